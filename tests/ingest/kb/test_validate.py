from pathlib import Path

import pytest

from kbchat.ingest.kb.validate import check_kb
from tests.helpers import STUDY_FRONT, copy_kb, write_entry


@pytest.fixture
def kb(tmp_path: Path) -> Path:
    return copy_kb(tmp_path)


def messages(kb: Path) -> list[str]:
    return [str(p) for p in check_kb(kb).problems]


def test_fixture_kb_is_clean(kb: Path) -> None:
    assert messages(kb) == []


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda f: f + "\nfavourite_colour: blue", "unknown field 'favourite_colour'"),
        (lambda f: f.replace("journal: Journal of Tests\n", ""), "missing field 'journal'"),
        (lambda f: f.replace("doi: 10.1000/test.x-study", "doi: https://doi.org/10.1000/x"), "bad DOI"),
        (lambda f: f.replace("doi: 10.1000/test.x-study", "pmid: 12ab"), "bad PMID"),
        (lambda f: f.replace("year: 2021", "year: 21"), "bad year 21"),
        (lambda f: f.replace("design: cross_sectional_survey", "design: vibes"), "unknown design 'vibes'"),
        (lambda f: f.replace("status: reviewed", "status: done"), "status must be one of"),
        (lambda f: f.replace("id: x-study", "id: other-name"), "does not match the file name"),
        (lambda f: f.replace("doi: 10.1000/test.x-study", "volume: '1'"), "needs a doi, a pmid or an official url"),
    ],
)
def test_each_field_error_is_reported_with_its_line(kb: Path, edit, expected: str) -> None:  # type: ignore[no-untyped-def]
    path = write_entry(kb, "studies", "x-study", edit(STUDY_FRONT.format(id="x-study")),
                       "In a test survey, people answered.")
    found = [m for m in messages(kb) if expected in m]
    assert found, messages(kb)
    assert found[0].startswith(f"{path}:")
    line = int(found[0].split(":")[1])
    assert line >= 1


def test_line_number_points_at_the_bad_key(kb: Path) -> None:
    front = STUDY_FRONT.format(id="x-study").replace("year: 2021", "year: 3021")
    path = write_entry(kb, "studies", "x-study", front, "Body sentence here.")
    (problem,) = [m for m in messages(kb) if "bad year" in m]
    lines = path.read_text().splitlines()
    assert lines[int(problem.split(":")[1]) - 1].startswith("year:")


def test_duplicate_ids_across_folders(kb: Path) -> None:
    front = STUDY_FRONT.format(id="evidence-depression")
    write_entry(kb, "studies", "evidence-depression", front, "A duplicate body.")
    assert any("duplicate id 'evidence-depression'" in m for m in messages(kb))


def test_empty_body(kb: Path) -> None:
    write_entry(kb, "studies", "x-study", STUDY_FRONT.format(id="x-study"), "")
    assert any("empty body" in m for m in messages(kb))


def test_summary_citation_problems(kb: Path) -> None:
    front = "id: s-one\nkind: summary\ntitle: T\ntopics:\n- mood\nstatus: reviewed\nreviewed_on: '2026-11-22'"
    body = ("Cited to nothing real [@no-such-study].\nAn uncited claim about kratom.\n"
            "Cites a draft entry [@draft-study].")
    path = write_entry(kb, "summaries", "s-one", front, body)
    found = messages(kb)
    assert f"{path}:11: citation [@no-such-study] names no study in kb/studies/" in found
    assert any(m.startswith(f"{path}:12: sentence has no citation") for m in found)
    assert any(m.startswith(f"{path}:13:") and "status is 'draft'" in m for m in found)


def test_front_matter_that_is_not_yaml(kb: Path) -> None:
    (kb / "studies" / "broken.md").write_text("---\nid: [unclosed\n---\nbody\n", encoding="utf-8")
    assert any("not valid YAML" in m for m in messages(kb))


def test_file_without_front_matter(kb: Path) -> None:
    (kb / "studies" / "plain.md").write_text("just text\n", encoding="utf-8")
    assert any("must start with a '---'" in m for m in messages(kb))


def test_cli_prints_problems_and_exits_1(kb: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from kbchat import cli
    from kbchat.core.config import get_settings

    write_entry(kb, "studies", "x-study", STUDY_FRONT.format(id="x-study").replace("year: 2021", "year: 21"), "Body.")
    monkeypatch.setenv("KBCHAT_KB_DIR", str(kb))
    get_settings.cache_clear()
    result = CliRunner().invoke(cli.app, ["kb", "check"])
    get_settings.cache_clear()
    assert result.exit_code == 1
    assert "x-study.md:" in result.output and "bad year 21" in result.output


def test_a_draft_may_lack_what_review_adds_but_a_reviewed_entry_may_not(kb: Path) -> None:
    front = (STUDY_FRONT.format(id="x-study").replace("status: reviewed", "status: draft")
             .replace("reviewed_on: '2026-11-22'", "").replace("topics:\n- mood", "topics: []")
             .replace("population: 100 adults answering an online survey", "population: ''"))
    path = write_entry(kb, "studies", "x-study", front, "TODO(editor): write the digest.")
    assert messages(kb) == []
    path.write_text(path.read_text().replace("status: draft", "status: reviewed"))
    found = messages(kb)
    for fragment in ("missing field 'reviewed_on'", "missing field 'population'", "missing field 'topics'",
                     "still holds the TODO(editor) placeholder"):
        assert any(fragment in m for m in found), (fragment, found)


def test_reviewed_by_and_abstract_are_checked(kb: Path) -> None:
    front = STUDY_FRONT.format(id="x-study") + "\nreviewed_by: ''\nabstract:\n- not text"
    write_entry(kb, "studies", "x-study", front, "In a test survey, people answered.")
    found = messages(kb)
    assert any("reviewed_by must be the reviewer's name" in m for m in found)
    assert any("abstract must be text" in m for m in found)
