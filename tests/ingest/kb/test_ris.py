"""RIS → citations."""

from __future__ import annotations

from pathlib import Path

import pytest

from kbchat.ingest.kb.citation import ImportProblem
from kbchat.ingest.kb.ris import read_ris

IMPORTS = Path(__file__).resolve().parents[2] / "fixtures" / "imports"


def test_reads_a_record_with_a_wrapped_title() -> None:
    path = IMPORTS / "zotero.ris"
    [c] = read_ris(path, path.read_text())
    assert c.title == "Daily kratom use and mood: a fictional ecological momentary assessment study"
    assert c.authors == ["Alvarez, Maria", "Brown, Tom"]
    assert (c.journal, c.year, c.volume, c.issue, c.pages) == ("Test Journal of Mood", 2023, "4", "3", "210-219")
    assert c.doi == "10.1000/kbchat.test.0004", "the doi.org prefix is removed"
    assert c.abstract.startswith("A fictional sample of 150 adults")


def test_two_records_and_the_journal_tag_order(tmp_path: Path) -> None:
    text = ("TY  - JOUR\nTI  - One\nJO  - Abbrev J\nJF  - Full Journal\nPY  - 2019\nDO  - 10.1/a\nER  -\n"
            "TY  - JOUR\nT1  - Two\nT2  - Second Journal\nY1  - 2020///\nUR  - https://doi.org/10.1/b\nER  - \n")
    one, two = read_ris(tmp_path / "x.ris", text)
    assert (one.title, one.journal, one.year, one.doi) == ("One", "Full Journal", 2019, "10.1/a")
    assert (two.title, two.journal, two.year, two.doi) == ("Two", "Second Journal", 2020, "10.1/b")


@pytest.mark.parametrize(("text", "fragment"), [("TI  - no type\nER  -\n", "before the first 'TY  - ' line"),
                                                ("TY  - JOUR\nTI  - cut off\n", "no 'ER  - ' line"),
                                                ("just text\n", "has no RIS record")])
def test_broken_files_are_named(tmp_path: Path, text: str, fragment: str) -> None:
    with pytest.raises(ImportProblem, match=fragment):
        read_ris(tmp_path / "x.ris", text)
