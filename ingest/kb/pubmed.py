"""PubMed efetch XML (`efetch.fcgi?db=pubmed&retmode=xml`, or "Save → PubMed XML") → citations."""

from __future__ import annotations

from pathlib import Path
from xml.etree.ElementTree import Element

from kbchat.ingest.kb.citation import Citation, ImportProblem, clean_doi, clean_text, first_year, title_case_journal
from kbchat.ingest.kb.safexml import parse_xml


def read_pubmed(path: Path) -> list[Citation]:
    """Every PubmedArticle in the file, in order; ImportProblem if it is not a PubMed export."""
    root = parse_xml(path.read_bytes(), str(path))
    if root.tag not in ("PubmedArticleSet", "PubmedArticle"):
        raise ImportProblem(f"{path} is XML but not a PubMed export (its root is <{root.tag}>, "
                            "expected <PubmedArticleSet>); save it from PubMed as XML")
    articles = [root] if root.tag == "PubmedArticle" else root.findall("PubmedArticle")
    if not articles:
        books = len(root.findall("PubmedBookArticle"))
        hint = f" ({books} book record(s): write those entries by hand)" if books else ""
        raise ImportProblem(f"{path} holds no <PubmedArticle>{hint}")
    return [_citation(a, f"{path}, record {i}") for i, a in enumerate(articles, 1)]


def _text(node: Element | None) -> str:
    """All text inside `node`, markup such as <i> dropped."""
    return clean_text("".join(node.itertext())) if node is not None else ""


def _citation(article: Element, where: str) -> Citation:
    medline = article.find("MedlineCitation")
    art = medline.find("Article") if medline is not None else None
    if medline is None or art is None:
        raise ImportProblem(f"{where} has no <MedlineCitation><Article>; is the file truncated?")
    ids = {i.get("IdType", ""): _text(i) for i in article.iterfind("PubmedData/ArticleIdList/ArticleId")}
    elocations = {e.get("EIdType", ""): _text(e) for e in art.iterfind("ELocationID")}
    journal = art.find("Journal")
    return Citation(
        title=_text(art.find("ArticleTitle")).removesuffix(".").strip(),
        authors=[a for a in (_author(x) for x in art.iterfind("AuthorList/Author")) if a],
        journal=title_case_journal(_text(journal.find("Title")) if journal is not None else ""),
        year=_year(art),
        volume=_text(art.find("Journal/JournalIssue/Volume")),
        issue=_text(art.find("Journal/JournalIssue/Issue")),
        pages=_text(art.find("Pagination/MedlinePgn")),
        doi=clean_doi(ids.get("doi") or elocations.get("doi", "")),
        pmid=_text(medline.find("PMID")) or ids.get("pubmed", ""),
        pmcid=ids.get("pmc", ""),
        abstract=_abstract(art),
        publication_types=[_text(t) for t in art.iterfind("PublicationTypeList/PublicationType")],
        where=where,
    )


def _author(node: Element) -> str:
    collective = _text(node.find("CollectiveName"))
    if collective:
        return collective
    family, given = _text(node.find("LastName")), _text(node.find("ForeName")) or _text(node.find("Initials"))
    return f"{family}, {given}" if family and given else family


def _year(art: Element) -> int | None:
    issue_date = art.find("Journal/JournalIssue/PubDate")
    for text in (_text(issue_date.find("Year")) if issue_date is not None else "",
                 _text(issue_date.find("MedlineDate")) if issue_date is not None else "",
                 _text(art.find("ArticleDate/Year"))):
        year = first_year(text)
        if year is not None:
            return year
    return None


def _abstract(art: Element) -> str:
    """Structured abstracts keep their labels: 'BACKGROUND: … METHODS: …'."""
    parts = []
    for node in art.iterfind("Abstract/AbstractText"):
        label = node.get("Label")
        parts.append(f"{label}: {_text(node)}" if label else _text(node))
    return " ".join(p for p in parts if p)
