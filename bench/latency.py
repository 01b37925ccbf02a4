"""Latency and throughput of the whole service, next to the physical limit of this design.

Starts `kbchat serve` on a loopback port, replays the eval questions through POST /api/chat with
1 and then 8 concurrent clients, and measures bare in-process query encoding with the same model
(every request embeds its question once, so that is the ceiling). Also times the guard alone.

    .venv/bin/python bench/latency.py [--port 8765] [--rounds 2]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import numpy as np

from eval.datasets import load_guard, load_qa
from kbchat.config import get_settings
from kbchat.embedder import load_embedder
from service.followup import resolve_query

ROOT = Path(__file__).resolve().parents[1]
READY_TIMEOUT_S = 180


def start_server(port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "KBCHAT_PORT": str(port), "KBCHAT_HOST": "127.0.0.1", "HF_HUB_OFFLINE": "1"}
    proc = subprocess.Popen([str(ROOT / ".venv" / "bin" / "kbchat"), "serve"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + READY_TIMEOUT_S
    while time.time() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.5)
    proc.kill()
    sys.exit(f"the server did not become ready on port {port} within {READY_TIMEOUT_S} s")


def replay(url: str, questions: list[str], clients: int) -> dict[str, float]:
    http = httpx.Client(base_url=url, timeout=30, limits=httpx.Limits(max_connections=clients))

    def one(q: str) -> float:
        start = time.perf_counter()
        response = http.post("/api/chat", json={"messages": [{"role": "user", "content": q}]})
        response.raise_for_status()
        return (time.perf_counter() - start) * 1000

    for q in questions[:10]:  # warm-up
        one(q)
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        latencies = list(pool.map(one, questions))
    wall = time.perf_counter() - start
    return {"clients": clients, "requests": len(latencies), "p50_ms": float(np.percentile(latencies, 50)),
            "p95_ms": float(np.percentile(latencies, 95)), "requests_per_s": len(latencies) / wall}


def bare_encoding(questions: list[str]) -> dict[str, float]:
    embedder = load_embedder(get_settings().embedding_model)
    for q in questions[:10]:
        embedder.encode_query(q)
    times = []
    start = time.perf_counter()
    for q in questions:
        t = time.perf_counter()
        embedder.encode_query(q)
        times.append((time.perf_counter() - t) * 1000)
    wall = time.perf_counter() - start
    return {"p50_ms": statistics.median(times), "queries_per_s": len(questions) / wall, "embedder": embedder}  # type: ignore[dict-item]


def guard_latency(embedder, data_dir: Path) -> dict[str, float]:  # type: ignore[no-untyped-def]
    from service.guard.classifier import train_or_load
    from service.guard.router import Guard

    guard = Guard(train_or_load(embedder, data_dir / "guard"))
    items = load_guard()
    vecs = embedder.encode_queries([resolve_query(i.turns) for i in items])
    times = []
    for item, vec in zip(items, vecs):
        t = time.perf_counter()
        guard.route(item.turns, vec)
        times.append((time.perf_counter() - t) * 1000)
    return {"p50_ms": float(np.percentile(times, 50)), "p95_ms": float(np.percentile(times, 95)), "messages": len(times)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--rounds", type=int, default=2, help="times the question set is replayed per client count")
    args = parser.parse_args()
    questions = [i.question for i in load_qa()] * args.rounds
    bare = bare_encoding(questions)
    embedder = bare.pop("embedder")
    guard = guard_latency(embedder, get_settings().data_dir)
    del embedder
    proc = start_server(args.port)
    try:
        url = f"http://127.0.0.1:{args.port}"
        one = replay(url, questions, 1)
        eight = replay(url, questions, 8)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    result = {"bare_encoding": bare, "guard_only": guard, "service_1_client": one, "service_8_clients": eight,
              "throughput_8_vs_bare": eight["requests_per_s"] / bare["queries_per_s"], "cores": os.cpu_count()}
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
