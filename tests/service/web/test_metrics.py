"""GET /metrics: requests by route template and status, latency, abstentions, refusals by kind,
the index version; and several worker processes adding up (prometheus-client multiprocess mode)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from kbchat.service.answer.engine import Engine
from tests.service.conftest import ask

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def scrape(client: TestClient) -> Samples:
    response = client.get("/metrics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(response.text) for s in family.samples}


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_chat_outcomes_requests_and_latency_are_counted(client: TestClient, engine: Engine) -> None:
    before = scrape(client)
    assert ask(client, "Do kratom users say it helps their depression?")["route"] == "answer"
    assert ask(client, "Which shipping companies carry kratom from Indonesia to Europe?")["abstained"]
    assert ask(client, "How much kratom should I take?")["route"] == "personal_dosing"
    assert ask(client, "I want to kill myself")["route"] == "crisis"
    v1 = {"model": "kbchat", "messages": [{"role": "user", "content": "How many grams of kratom is a safe dose?"}]}
    assert client.post("/v1/chat/completions", json=v1).status_code == 200
    assert client.post("/api/chat", json={"messages": []}).status_code == 422
    assert client.get("/api/sources/hazim-2014-anxiolytic").status_code == 200
    after = scrape(client)

    def grew(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    chat = {"method": "POST", "path": "/api/chat"}
    assert grew("kbchat_http_requests_total", **chat, status="200") == 4
    assert grew("kbchat_http_requests_total", **chat, status="422") == 1
    assert grew("kbchat_http_requests_total", method="POST", path="/v1/chat/completions", status="200") == 1
    # A path parameter is one label (the route template), not one series per entry id.
    assert grew("kbchat_http_requests_total", method="GET", path="/api/sources/{entry_id}", status="200") == 1
    assert grew("kbchat_http_request_duration_seconds_count", **chat) == 5
    assert grew("kbchat_http_request_duration_seconds_sum", **chat) > 0
    assert grew("kbchat_abstentions_total") == 1
    assert grew("kbchat_refusals_total", kind="personal_dosing") == 2
    assert grew("kbchat_refusals_total", kind="crisis") == 1
    assert value(after, "kbchat_refusals_total", kind="treatment_substitution") >= 0  # present from the start
    assert ("kbchat_refusals_total", (("kind", "out_of_scope"),)) in after
    assert value(after, "kbchat_index_info", version=engine.index.version, model=engine.index.manifest.model) == 1


WORKER = """
import sys
from fastapi import FastAPI
from kbchat.service.web.metrics import Metrics
metrics = Metrics(FastAPI(), None)
for _ in range(int(sys.argv[1])):
    metrics.observe("POST", "/api/chat", 200, 0.02, {"route": "crisis", "abstained": False})
"""
SCRAPE = """
import sys
from pathlib import Path
from fastapi import FastAPI
from kbchat.service.web.metrics import Metrics
sys.stdout.write(Metrics(FastAPI(), Path(sys.argv[1])).exposition().decode())
"""


def test_with_a_multiprocess_dir_any_worker_reports_all_workers(tmp_path: Path) -> None:
    """What `kbchat serve --workers N` sets up: each worker writes its counts under
    PROMETHEUS_MULTIPROC_DIR, and the one that answers a scrape adds up all of them."""
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    for count in ("3", "4"):  # two worker processes, one after the other
        subprocess.run([sys.executable, "-c", WORKER, count], env=env, check=True, timeout=60)
    out = subprocess.run([sys.executable, "-c", SCRAPE, str(tmp_path)], env=env, check=True, timeout=60,
                         capture_output=True, text=True).stdout
    samples = {(s.name, tuple(sorted(s.labels.items()))): s.value
               for family in text_string_to_metric_families(out) for s in family.samples}
    assert value(samples, "kbchat_http_requests_total", method="POST", path="/api/chat", status="200") == 7
    assert value(samples, "kbchat_refusals_total", kind="crisis") == 7
