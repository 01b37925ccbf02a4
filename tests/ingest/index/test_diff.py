"""What a new version changes: entries by content, sentences aligned within each entry."""

from __future__ import annotations

from pathlib import Path

from kbchat.core.embedder import Embedder
from kbchat.ingest.index.build import run_ingest
from kbchat.ingest.index.diff import SentenceChange, align, diff_versions
from kbchat.ingest.index.store import open_store
from tests.helpers import STUDY_FRONT, copy_kb, settings_for, write_entry


def test_align_pairs_an_edited_sentence_and_keeps_insertions_apart() -> None:
    before = ["A one.", "B two.", "C three."]
    after = ["A one.", "New.", "B two, edited.", "C three."]
    assert align("e", before, after) == [SentenceChange("e", "", "New."),
                                         SentenceChange("e", "B two.", "B two, edited.")]
    assert align("e", ["Old unrelated."], ["Quite different text here."]) == [
        SentenceChange("e", "Old unrelated.", ""), SentenceChange("e", "", "Quite different text here.")]
    assert align("e", before, before) == []
    assert align("e", [], ["X."]) == [SentenceChange("e", "", "X.")]
    assert align("e", ["X."], []) == [SentenceChange("e", "X.", "")]


def test_diff_between_two_published_versions(tmp_path: Path, embedder: Embedder) -> None:
    kb = copy_kb(tmp_path)
    settings = settings_for(kb, tmp_path / "data")
    store = open_store(settings)
    run_ingest(settings, load_model=lambda _n: embedder)
    old = store.require_published()
    write_entry(kb, "studies", "new-study", STUDY_FRONT.format(id="new-study"), "In a new survey, 40% felt calm.")
    path = kb / "studies" / "hazim-2014-anxiolytic.md"
    path.write_text(path.read_text().replace("much as diazepam did.", "much as diazepam did in that test."))
    (kb / "studies" / "cdc-olsen-2019-deaths.md").unlink()
    run_ingest(settings, load_model=lambda _n: embedder)
    diff = diff_versions(store, old, store.require_published())
    assert (diff.entries_added, diff.entries_changed, diff.entries_removed) == (
        ["new-study"], ["hazim-2014-anxiolytic"], ["cdc-olsen-2019-deaths"])
    assert [s.after for s in diff.sentences_added] == ["In a new survey, 40% felt calm."]
    [changed] = diff.sentences_changed
    assert changed.entry_id == "hazim-2014-anxiolytic" and changed.after.endswith("as diazepam did in that test.")
    assert changed.before.endswith("as diazepam did.")
    assert {s.entry_id for s in diff.sentences_removed} == {"cdc-olsen-2019-deaths"}
    assert len(diff.sentences_removed) >= 2
    first = diff_versions(store, None, old)
    assert len(first.entries_added) == 6 and not first.sentences_removed
