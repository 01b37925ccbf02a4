"""`kbchat kb status`: what editors have to do next."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kbchat.ingest.kb.status import kb_status
from tests.helpers import copy_kb, write_entry


def test_drafts_stale_reviews_uncited_sentences_and_unserved_citations(tmp_path: Path) -> None:
    kb = copy_kb(tmp_path)
    write_entry(kb, "summaries", "draft-summary",
                "id: draft-summary\nkind: summary\ntitle: A draft summary\ntopics:\n- mood\nstatus: draft",
                "An uncited sentence about kratom.\nA sentence citing a draft [@draft-study].\n"
                "One citing a missing study [@nope-2020].")
    status = kb_status(kb, today=dt.date(2027, 12, 1), max_age_days=365)
    assert status.counts == {"draft": 2, "reviewed": 6}
    drafts = {d.id: d for d in status.drafts}
    assert drafts["draft-study"].blockers == [], "the fixture draft is complete: ready for review"
    assert any("[@draft-study] names a study whose status is 'draft'" in b for b in drafts["draft-summary"].blockers)
    # The fixture entries were reviewed on 2026-11-22: 374 days before 2027-12-01.
    assert {s.id for s in status.stale} == {"garcia-romeu-2020-survey", "hazim-2014-anxiolytic", "evidence-depression",
                                            "farah-idayu-2011-fst", "cdc-olsen-2019-deaths", "fixture-planted-dosing"}
    assert all(s.age_days == 374 for s in status.stale)
    assert [u.text for u in status.uncited] == ["An uncited sentence about kratom."]
    assert [(c.cited, c.cited_status) for c in status.unserved_citations] == [("draft-study", "draft"),
                                                                              ("nope-2020", "missing")]
    assert status.unserved_citations[0].line == status.uncited[0].line + 1
    assert status.problems == 2, "the uncited sentence and the missing study are `kbchat kb check` problems too"
    assert kb_status(kb, today=dt.date(2027, 1, 1), max_age_days=365).stale == []
