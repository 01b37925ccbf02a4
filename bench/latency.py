"""Latency and throughput of the whole service, next to the physical limit of this design.

Starts `kbchat serve` on a loopback port, replays the eval questions through POST /api/chat with
1 and then 8 concurrent clients, and measures bare in-process query encoding with the same model
(every request embeds its question once, so one-at-a-time encoding is the ceiling the issue set;
batches of 8, which the service forms under load, are printed beside it). Also times the guard.

The 8-client load is generated twice: by Python threads (which share the two cores with the
server and cost it throughput) and, when Debian's `wrk` is installed (`apt-get install wrk`), by
wrk, a C load generator whose own CPU use is small.

    .venv/bin/python bench/latency.py [--port 8765] [--rounds 2] [--workers N] [--seconds 20]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import numpy as np

from kbchat.core.config import get_settings
from kbchat.core.conversation import resolve_query
from kbchat.core.embedder import load_embedder
from kbchat.eval.datasets import load_guard, load_qa

ROOT = Path(__file__).resolve().parents[1]
READY_TIMEOUT_S = 180


def start_server(port: int, workers: int) -> subprocess.Popen[bytes]:
    # The rate limit off: every client of this bench is one loopback address.
    env = {**os.environ, "KBCHAT_PORT": str(port), "KBCHAT_HOST": "127.0.0.1", "KBCHAT_WORKERS": str(workers),
           "KBCHAT_RATE_LIMIT": "off", "HF_HUB_OFFLINE": "1"}
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
    """`clients` threads, each with one keep-alive connection. http.client, not httpx: the client
    shares the cores with the server, and httpx spent 0.6 ms of CPU per request here to its 0.2."""
    host, port = url.removeprefix("http://").split(":")
    local = threading.local()

    def one(q: str) -> float:
        if not hasattr(local, "conn"):
            local.conn = http.client.HTTPConnection(host, int(port), timeout=30)
        body = json.dumps({"messages": [{"role": "user", "content": q}]})
        start = time.perf_counter()
        local.conn.request("POST", "/api/chat", body, {"Content-Type": "application/json"})
        response = local.conn.getresponse()
        response.read()
        elapsed = (time.perf_counter() - start) * 1000
        if response.status != 200:
            raise RuntimeError(f"POST /api/chat answered {response.status} to {q!r}")
        return elapsed

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
    start = time.perf_counter()
    for i in range(0, len(questions) - 7, 8):
        embedder.encode_queries(questions[i : i + 8])
    batched = (len(questions) // 8 * 8) / (time.perf_counter() - start)
    return {"p50_ms": statistics.median(times), "queries_per_s": len(questions) / wall,
            "batches_of_8_queries_per_s": batched, "embedder": embedder}  # type: ignore[dict-item]


WRK_SCRIPT = """
local bodies = {%s}
local i = 0
request = function()
  i = i %% #bodies + 1
  return wrk.format("POST", "/api/chat", {["Content-Type"] = "application/json"}, bodies[i])
end
"""
WRK_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk_load(url: str, questions: list[str], clients: int, seconds: int) -> dict[str, float] | None:
    """`clients` keep-alive connections from one wrk thread, cycling through the questions."""
    wrk = shutil.which("wrk")
    if wrk is None:
        return None
    bodies = ",".join("[==[" + json.dumps({"messages": [{"role": "user", "content": q}]}) + "]==]" for q in questions)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % bodies)
    try:
        # warm-up
        subprocess.run([wrk, "-t1", f"-c{clients}", "-d3s", "-s", script.name, url], check=True, capture_output=True)
        out = subprocess.run([wrk, "-t1", f"-c{clients}", f"-d{seconds}s", "--latency", "-s", script.name, url],
                             check=True, capture_output=True, text=True).stdout
    finally:
        os.unlink(script.name)
    percentiles = {p: float(v) * WRK_UNITS[u]
                   for p, v, u in re.findall(r"^\s+(50|90|99)%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"clients": clients, "seconds": seconds,
            "requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1]),  # type: ignore[index]
            "p50_ms": percentiles["50"], "p90_ms": percentiles["90"], "p99_ms": percentiles["99"],  # wrk prints no p95
            "non_2xx": int(errors[1]) if errors else 0}


def guard_latency(embedder, data_dir: Path) -> dict[str, float]:  # type: ignore[no-untyped-def]
    from kbchat.service.guard.classifier import train_or_load
    from kbchat.service.guard.router import Guard

    guard = Guard(train_or_load(embedder, data_dir / "guard"))
    items = load_guard()
    vecs = embedder.encode_queries([resolve_query(i.turns) for i in items])
    times = []
    for item, vec in zip(items, vecs, strict=True):
        t = time.perf_counter()
        # The question's vector is shared with retrieval; the extra sentences of a longer message
        # are encoded by the guard itself, so they are timed here.
        guard.route(item.turns, vec, embedder.encode_queries)
        times.append((time.perf_counter() - t) * 1000)
    return {"p50_ms": float(np.percentile(times, 50)), "p95_ms": float(np.percentile(times, 95)),
            "messages": len(times)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--rounds", type=int, default=2, help="times the question set is replayed per client count")
    parser.add_argument("--workers", type=int, default=get_settings().workers, help="worker processes of the server")
    parser.add_argument("--seconds", type=int, default=20, help="length of the wrk run")
    args = parser.parse_args()
    questions = [i.question for i in load_qa()] * args.rounds
    before = bare_encoding(questions)
    embedder = before.pop("embedder")
    guard = guard_latency(embedder, get_settings().data_dir)
    del embedder
    proc = start_server(args.port, args.workers)
    try:
        url = f"http://127.0.0.1:{args.port}"
        one = replay(url, questions, 1)
        eight = replay(url, questions, 8)
        eight_wrk = wrk_load(url, questions, 8, args.seconds)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    after = bare_encoding(questions)
    after.pop("embedder")
    # This machine's speed drifts by tens of percent between minutes, so the ceiling is measured
    # before and after the service runs, and the ratios use the faster of the two.
    ceiling = max(before["queries_per_s"], after["queries_per_s"])
    result: dict[str, object] = {
        "cores": os.cpu_count(), "workers": args.workers, "torch_threads": get_settings().torch_threads,
        "bare_encoding_before": before, "bare_encoding_after": after, "guard_only": guard,
        "service_1_client": one, "service_8_clients_python": eight,
        "throughput_8_python_vs_bare": eight["requests_per_s"] / ceiling,
        "service_8_clients_wrk": eight_wrk or "wrk is not installed (apt-get install wrk)",
    }
    if eight_wrk:
        result["throughput_8_wrk_vs_bare"] = eight_wrk["requests_per_s"] / ceiling
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
