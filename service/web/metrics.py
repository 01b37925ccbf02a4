"""`GET /metrics` in Prometheus' text format: requests, latency, abstentions, refusals, index version.

Each app has its own registry (tests build several apps in one process). With several uvicorn
workers each worker counts its own requests; `kbchat serve` then sets PROMETHEUS_MULTIPROC_DIR
(Settings.metrics_multiproc_dir) before the workers start, every worker writes its counts to files
there, and whichever worker answers a scrape adds up all of them (prometheus-client's multiprocess
mode). The index version is read live from the worker that answers.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

from fastapi import FastAPI, Request, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.core import InfoMetricFamily, Metric
from prometheus_client.registry import Collector

from kbchat.service.web.access_log import CHAT_FIELDS

disable_created_metrics()  # type: ignore[no-untyped-call]  # the `_created` series double the output and no dashboard here reads them
UNMATCHED = "(unmatched)"  # static files, docs assets, unknown paths: one label, not one per URL
REFUSALS = ("crisis", "personal_dosing", "treatment_substitution", "out_of_scope")


class IndexInfo(Collector):
    """kbchat_index_info{version, model}: the index this worker serves, read at scrape time."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app

    def collect(self) -> Iterator[Metric]:
        engine = getattr(self.app.state, "engine", None)
        if engine is None:
            return
        manifest = engine.index.manifest
        yield InfoMetricFamily("kbchat_index", "The published index this worker serves.",
                               value={"version": manifest.version, "model": manifest.model})


class Metrics:
    def __init__(self, app: FastAPI, multiproc_dir: Path | None) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.multiproc_dir = multiproc_dir
        self.index = IndexInfo(app)
        self.requests = Counter("kbchat_http_requests", "HTTP requests by method, route template and status.",
                                ["method", "path", "status"], registry=self.registry)
        self.latency = Histogram("kbchat_http_request_duration_seconds", "Time to the response headers, by route.",
                                 ["method", "path"], registry=self.registry)
        self.abstentions = Counter("kbchat_abstentions", "Chat answers that said the knowledge base does not cover "
                                   "the question.", registry=self.registry)
        self.refusals = Counter("kbchat_refusals", "Chat replies that did not answer from the knowledge base, "
                                "by kind (the guard's route).", ["kind"], registry=self.registry)
        for kind in REFUSALS:  # every kind shows from the start, at 0
            self.refusals.labels(kind)
        self.registry.register(self.index)

    def observe(self, method: str, path: str, status: int, seconds: float, chat: dict[str, object]) -> None:
        self.requests.labels(method, path, str(status)).inc()
        self.latency.labels(method, path).observe(seconds)
        if chat.get("abstained") is True:
            self.abstentions.inc()
        if chat.get("route") in REFUSALS:
            self.refusals.labels(str(chat["route"])).inc()

    def exposition(self) -> bytes:
        if self.multiproc_dir is None:
            return generate_latest(self.registry)
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, path=str(self.multiproc_dir))  # type: ignore[no-untyped-call]
        registry.register(self.index)
        return generate_latest(registry)


def install(app: FastAPI, multiproc_dir: Path | None) -> Metrics:
    metrics = Metrics(app, multiproc_dir)

    @app.middleware("http")
    async def count(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        started = time.perf_counter()
        response = await call_next(request)  # errors.py turns every error into a response first
        route = request.scope.get("route")
        path = getattr(route, "path", UNMATCHED)
        fields = getattr(request.state, "log", {})
        chat = {k: v for k, v in fields.items() if k in CHAT_FIELDS}
        metrics.observe(request.method, path, response.status_code, time.perf_counter() - started, chat)
        return response

    @app.get("/metrics", include_in_schema=False)
    def scrape() -> Response:
        return Response(metrics.exposition(), media_type=CONTENT_TYPE_LATEST)

    return metrics
