"""BibTeX → citations: nested braces, LaTeX accents, names in both orders, macros left alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from kbchat.ingest.kb.bibtex import delatex, read_bibtex, split_authors
from kbchat.ingest.kb.citation import ImportProblem

IMPORTS = Path(__file__).resolve().parents[2] / "fixtures" / "imports"


def test_reads_doi_orgs_one_line_entry() -> None:
    path = IMPORTS / "doi.bib"
    [c] = read_bibtex(path, path.read_text())
    assert c.title == "Kratom and sleep: a fictional case series", "protective braces are dropped"
    assert c.authors == ["Petrov, Ivan", "Schäfer, Jörg", "Kratom Sleep Group"]
    assert (c.journal, c.year, c.volume, c.pages, c.doi) == ("Test Case Reports in Medicine", 2021, "17", "1-6",
                                                             "10.1000/kbchat.test.0005")


def test_quotes_concatenation_comments_and_several_entries(tmp_path: Path) -> None:
    text = ('@comment{ignored}\n@string{jn = "Macro Journal"}\n'
            '@Article{a, Title = "First " # {title}, Journal = {J One}, Year = 2019, DOI = {10.1/a\\_b}}\n'
            '@article{b,\n  title = {Second {\\&} more},\n  journaltitle = {J Two},\n  date = {2020-05-01},\n'
            '  author = {Smith, J. and others},\n}\n')
    a, b = read_bibtex(tmp_path / "x.bib", text)
    assert (a.title, a.journal, a.year, a.doi) == ("First title", "J One", 2019, "10.1/a_b")
    assert (b.title, b.journal, b.year, b.authors) == ("Second & more", "J Two", 2020, ["Smith, J."])


def test_accents() -> None:
    assert delatex(r"M{\"u}ller, Fran\c{c}ois, Garc\'{\i}a, Nu\~{n}ez, {\ss}") == "Müller, François, García, Nuñez, ß"
    assert split_authors(r"Anna {van der Berg} and Lee, K.") == ["van der Berg, Anna", "Lee, K."]


@pytest.mark.parametrize(("text", "fragment"), [("no entries here", "has no BibTeX entry"),
                                                ("@article{a, title = {open", "is never closed"),
                                                ("@article{a, title {x}}", "expected field = value"),
                                                ('@article{a, title = "open}', "no closing quote")])
def test_broken_entries_name_the_line(tmp_path: Path, text: str, fragment: str) -> None:
    with pytest.raises(ImportProblem, match=fragment):
        read_bibtex(tmp_path / "x.bib", text)
