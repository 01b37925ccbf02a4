"""Review states: draft → reviewed → retired, each change checked against the whole KB first."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kbchat.ingest.kb.importer import import_file
from kbchat.ingest.kb.parse import parse_entry
from kbchat.ingest.kb.review import ReviewProblem, retire, review, set_front_matter
from kbchat.ingest.kb.validate import check_kb
from tests.helpers import copy_kb

IMPORTS = Path(__file__).resolve().parents[2] / "fixtures" / "imports"
DAY = dt.date(2026, 12, 3)
BODY = ("In a fictional 2024 survey of 321 adults who use kratom, 40% reported calmer mood.\n"
        "The fictional 2024 survey relied on self-report from a self-selected sample.\n")


@pytest.fixture
def kb(tmp_path: Path) -> Path:
    return copy_kb(tmp_path)


def imported(kb: Path) -> Path:
    draft = import_file(kb, "pubmed", IMPORTS / "pubmed_two.xml")[0]
    return draft.path


def write_digest(path: Path, population: str = "321 adults answering a fictional survey") -> None:
    text = path.read_text()
    head, _, _ = text.rpartition("---\n")
    head = head.replace("population: ''", f"population: {population}").replace("topics: []", "topics:\n- mood")
    path.write_text(f"{head}---\n\n{BODY}")


def test_an_imported_draft_cannot_be_reviewed_until_the_editor_has_written_it(kb: Path) -> None:
    path = imported(kb)
    before = path.read_text()
    with pytest.raises(ReviewProblem) as err:
        review(kb, "muller-tester-2024-mood", by="Ada", on=DAY)
    message = str(err.value)
    assert "cannot be reviewed; nothing was changed" in message
    for fragment in ("missing field 'population'", "missing field 'topics'", "TODO(editor) placeholder"):
        assert fragment in message
    assert path.read_text() == before


def test_review_records_who_and_when_and_touches_nothing_else(kb: Path) -> None:
    path = imported(kb)
    write_digest(path)
    before = path.read_text()
    moved = review(kb, "muller-tester-2024-mood", by="Ada Editor", on=DAY)
    assert (moved.before, moved.after) == ("draft", "reviewed")
    meta = parse_entry(path).meta
    assert (meta["status"], meta["reviewed_on"], meta["reviewed_by"]) == ("reviewed", "2026-12-03", "Ada Editor")
    after = path.read_text()
    changed = [line for line in after.splitlines() if line not in before.splitlines()]
    assert changed == ["status: reviewed", "reviewed_on: '2026-12-03'", "reviewed_by: Ada Editor"]
    assert check_kb(kb).problems == []


def test_a_review_is_renewed_and_a_retired_entry_is_not_reviewed(kb: Path) -> None:
    review(kb, "hazim-2014-anxiolytic", by="Bo", on=DAY)
    meta = parse_entry(kb / "studies" / "hazim-2014-anxiolytic.md").meta
    assert (meta["reviewed_on"], meta["reviewed_by"]) == ("2026-12-03", "Bo")
    retire(kb, "hazim-2014-anxiolytic")
    with pytest.raises(ReviewProblem, match="is retired; to bring it back, set `status: draft`"):
        review(kb, "hazim-2014-anxiolytic", by="Bo", on=DAY)


def test_a_summary_citing_a_draft_is_not_reviewed(kb: Path) -> None:
    summary = kb / "summaries" / "evidence-depression.md"
    summary.write_text(summary.read_text().replace("status: reviewed", "status: draft")
                       .replace("@farah-idayu-2011-fst", "@draft-study"))
    before = summary.read_text()
    with pytest.raises(ReviewProblem, match=r"citation \[@draft-study\] names a study whose status is 'draft'"):
        review(kb, "evidence-depression", by="Ada", on=DAY)
    assert summary.read_text() == before


def test_retire_refuses_while_a_reviewed_summary_cites_the_study(kb: Path) -> None:
    study = kb / "studies" / "farah-idayu-2011-fst.md"
    before = study.read_text()
    with pytest.raises(ReviewProblem) as err:
        retire(kb, "farah-idayu-2011-fst")
    assert "evidence-depression.md" in str(err.value) and "status is 'retired'" in str(err.value)
    assert study.read_text() == before
    moved = retire(kb, "cdc-olsen-2019-deaths")  # cited by nothing
    assert moved.after == "retired" and parse_entry(moved.path).status == "retired"


@pytest.mark.parametrize(
    ("entry_id", "fragment"),
    [("no-such-entry", "no entry with id 'no-such-entry'"), ("draft-study", "was never served; delete")],
)
def test_retire_errors(kb: Path, entry_id: str, fragment: str) -> None:
    with pytest.raises(ReviewProblem, match=fragment):
        retire(kb, entry_id)


def test_review_needs_a_name(kb: Path) -> None:
    with pytest.raises(ReviewProblem, match="--by needs the reviewer's name"):
        review(kb, "hazim-2014-anxiolytic", by="  ", on=DAY)


def test_set_front_matter_replaces_or_inserts_after_the_previous_field() -> None:
    text = "---\nid: x\nstatus: draft\ntopics:\n- mood\n---\n\nBody.\n"
    out = set_front_matter(text, {"status": "reviewed", "reviewed_on": "2026-12-03", "reviewed_by": "A: B"})
    assert out == ("---\nid: x\nstatus: reviewed\nreviewed_on: '2026-12-03'\nreviewed_by: 'A: B'\ntopics:\n- mood\n"
                   "---\n\nBody.\n")
