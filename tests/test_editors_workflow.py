"""The editors' workflow end to end, against the real app over HTTP: import a paper as a draft,
review it, publish it through the eval gate, see the running service answer from it, roll back
and see the old version answer again. Every step is the `kbchat` command an editor types; the
service is never restarted, and a poller checks that it never stops answering meanwhile."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner, Result

from kbchat import bootstrap, cli
from kbchat.core.config import get_settings
from kbchat.core.embedder import Embedder
from kbchat.service.web.api import create_app, long_date
from tests.helpers import (
    NEW_STUDY_BODY,
    NEW_STUDY_ID,
    NEW_STUDY_QUESTION,
    copy_kb,
    running_app,
    write_small_eval_sets,
)

RELOAD_S = 0.2
SWAP_TIMEOUT_S = 30.0
ROLLBACK_WITHIN_S = 10.0  # command plus the service's swap; measured at about a second here
CSL = {"type": "article-journal", "title": "Kratom and mood on Atlantis: a fictional survey",
       "container-title": "Journal of Fictional Island Studies", "author": [{"family": "Nemo", "given": "Ada"}],
       "issued": {"date-parts": [[2024, 1, 1]]}, "DOI": "10.1000/kbchat.atlantis",
       "abstract": "<jats:p>ABSTRACT-ONLY-WORDS: a fictional abstract that must never be indexed.</jats:p>"}


@pytest.fixture
def workspace(tmp_path: Path, embedder: Embedder, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of the fixture KB and an empty data dir, with every `kbchat` command pointed at them."""
    kb = copy_kb(tmp_path)
    monkeypatch.setenv("KBCHAT_KB_DIR", str(kb))
    monkeypatch.setenv("KBCHAT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KBCHAT_RELOAD_INTERVAL_S", str(RELOAD_S))
    monkeypatch.setenv("KBCHAT_PUBLISH_FLOORS", json.dumps({"qa.answer_cites_expected": 0.5,
                                                             "guard.must_refuse_recall": 0.6}))
    # The session's model, loaded once, wherever a command would load it.
    monkeypatch.setattr("kbchat.core.embedder.load_embedder", lambda _name: embedder)
    monkeypatch.setattr(bootstrap, "load_embedder", lambda _name: embedder)
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def kbchat(*args: str) -> Result:
    return CliRunner().invoke(cli.app, list(args))


class Poller:
    """Asks /readyz and /api/kb every 50 ms in the background; records anything but a 200."""

    def __init__(self, url: str) -> None:
        self.url, self.stop = url, threading.Event()
        self.failures: list[str] = []
        self.seen: set[str] = set()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def __enter__(self) -> Poller:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop.set()
        self.thread.join()

    def run(self) -> None:
        with httpx.Client(base_url=self.url, timeout=10) as http:
            while not self.stop.wait(0.05):
                for path in ("/readyz", "/api/kb"):
                    try:
                        response = http.get(path)
                    except httpx.HTTPError as exc:
                        self.failures.append(f"{path}: {exc!r}")
                        continue
                    if response.status_code != 200:
                        self.failures.append(f"{path}: {response.status_code}")
                    elif path == "/readyz":
                        self.seen.add(response.json()["index_version"])


def wait_for_version(http: httpx.Client, version: str) -> None:
    deadline = time.monotonic() + SWAP_TIMEOUT_S
    while time.monotonic() < deadline:
        if http.get("/readyz").json()["index_version"] == version:
            return
        time.sleep(0.05)
    raise AssertionError(f"the service did not switch to {version} within {SWAP_TIMEOUT_S} s")


def cited(http: httpx.Client, question: str) -> set[str]:
    response = http.post("/api/chat", json={"messages": [{"role": "user", "content": question}]})
    assert response.status_code == 200, response.text
    return {c["id"] for c in response.json()["citations"]}


def test_import_review_publish_rollback_against_a_running_service(workspace: Path, embedder: Embedder) -> None:
    qa, guard = write_small_eval_sets(workspace)
    assert kbchat("ingest").exit_code == 0
    settings = get_settings()
    app = create_app(settings, lambda: bootstrap.build(settings, embedder))
    with running_app(app) as url, httpx.Client(base_url=url, timeout=60) as http, Poller(url) as poller:
        old = http.get("/readyz").json()["index_version"]
        assert NEW_STUDY_ID not in cited(http, NEW_STUDY_QUESTION)

        # 1. Import: a draft with the bibliographic fields, the abstract aside, a placeholder body.
        export = workspace / "atlantis.json"
        export.write_text(json.dumps(CSL))
        imported = kbchat("kb", "import", "doi", str(export), "--id", NEW_STUDY_ID)
        assert imported.exit_code == 0, imported.output
        draft = settings.kb_dir / "studies" / f"{NEW_STUDY_ID}.md"
        assert "status: draft" in draft.read_text() and "ABSTRACT-ONLY-WORDS" in draft.read_text()
        again = kbchat("kb", "import", "doi", str(export))
        assert again.exit_code == 1 and "10.1000/kbchat.atlantis is already in the entry" in again.stderr

        # 2. Review: refused while the editor has not written it, then accepted.
        text = draft.read_text()
        refused = kbchat("kb", "review", NEW_STUDY_ID, "--by", "Ada Editor")
        assert refused.exit_code == 1 and "missing field 'population'" in refused.stderr
        assert draft.read_text() == text, "a refused review changes nothing"
        head, _, _ = text.rpartition("---\n")
        head = (head.replace("population: ''", "population: 321 kratom users answering a fictional survey")
                .replace("topics: []", "topics:\n- mood").replace("design: other", "design: cross_sectional_survey"))
        draft.write_text(f"{head}---\n\n{NEW_STUDY_BODY}")
        status = json.loads(kbchat("kb", "status", "--json").stdout)
        assert [d["blockers"] for d in status["drafts"] if d["id"] == NEW_STUDY_ID] == [[]], "ready for review"
        reviewed = kbchat("kb", "review", NEW_STUDY_ID, "--by", "Ada Editor")
        assert reviewed.exit_code == 0, reviewed.output
        assert http.get("/readyz").json()["index_version"] == old, "reviewing alone publishes nothing"

        # 3. Publish through the gate; the running service swaps the new version in.
        published = kbchat("publish", "--questions", str(qa), "--guard", str(guard), "--by", "Ada Editor")
        assert published.exit_code == 0, published.output + published.stderr
        assert f"+ [{NEW_STUDY_ID}]" in published.stdout and "floors: all hold" in published.stdout
        new = json.loads(kbchat("versions", "--json").stdout)["live"]
        assert new != old
        wait_for_version(http, new)
        assert NEW_STUDY_ID in cited(http, NEW_STUDY_QUESTION)
        source = http.get(f"/api/sources/{NEW_STUDY_ID}").json()
        assert source["reviewed_on"] == dt.date.today().isoformat()
        assert "ABSTRACT-ONLY-WORDS" not in json.dumps(source), "the abstract is never indexed or shown"
        info = http.get("/api/kb").json()
        assert info["changes"][0]["action"] == "publish" and info["changes"][0]["version"] == new
        assert info["message"] == f"KB updated on {long_date(info['updated_at'])}"
        listed = json.loads(kbchat("versions", "--json").stdout)["versions"]
        assert [v["version"] for v in listed] == [old, new]
        assert listed[1]["eval"]["retrieval.hybrid.recall@5"] == 1.0 and listed[0]["eval"] == {}

        # 4. Rollback: an unknown version changes nothing; the default goes back to the one before.
        unknown = kbchat("rollback", "20000101T000000-deadbeef")
        assert unknown.exit_code == 1 and "no kept version" in unknown.stderr and "kbchat versions" in unknown.stderr
        assert http.get("/readyz").json()["index_version"] == new
        started = time.monotonic()
        rolled = kbchat("rollback", "--by", "Ada Editor")
        assert rolled.exit_code == 0, rolled.output
        wait_for_version(http, old)
        assert time.monotonic() - started < ROLLBACK_WITHIN_S
        assert NEW_STUDY_ID not in cited(http, NEW_STUDY_QUESTION)
        assert http.get(f"/api/sources/{NEW_STUDY_ID}").status_code == 404
        assert [c["action"] for c in http.get("/api/kb").json()["changes"]] == ["rollback", "publish", "ingest"]
    assert poller.failures == [], "the service stopped answering during a swap"
    assert {old, new} <= poller.seen
