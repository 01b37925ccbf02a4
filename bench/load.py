"""Load and soak: 10,000 chat requests from 32 concurrent clients against a real `kbchat serve`.

Starts `kbchat serve` with its defaults (2 workers x 1 torch thread, the real KB) on a free
loopback port, except KBCHAT_RATE_LIMIT=off: all 32 clients share one address, and the default
limit (60 a minute per address) exists to stop exactly this. Each client keeps one keep-alive
connection and sends the eval questions and the guard's dev messages in turn (answers, refusals,
crisis replies, abstentions), through four kinds of request:

    /api/chat JSON 60%, /api/chat SSE 10%, /v1/chat/completions JSON 20%, /v1/chat/completions SSE 10%

A request counts as an error if its status is not 200 or a stream does not end properly. Reports
the errors, latency percentiles (whole response), throughput, every worker's RSS after the warm-up
and at the end, the load average, and whether /metrics counted every request (workers add up in
prometheus-client's multiprocess mode). A bench, not a test: it asserts nothing about time.

    .venv/bin/python bench/load.py [--requests 10000] [--clients 32] [--json]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from kbchat.eval.datasets import load_guard, load_qa

ROOT = Path(__file__).resolve().parents[1]
READY_TIMEOUT_S = 600  # a first run builds the index of the real KB (about half a minute) first
REQUEST_TIMEOUT_S = 60
WARM_UP = 64
SOAK_CHECKPOINTS = 4
# The request kinds in turn: 6 in 10 /api/chat JSON, 1 /api/chat SSE, 2 /v1 JSON, 1 /v1 SSE.
KINDS = [("/api/chat", False)] * 6 + [("/api/chat", True)] + [("/v1/chat/completions", False)] * 2 + [
    ("/v1/chat/completions", True)]


@dataclass
class Tally:
    latencies_ms: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    kinds: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "KBCHAT_PORT": str(port), "KBCHAT_HOST": "127.0.0.1", "KBCHAT_RATE_LIMIT": "off",
           "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    log_path = ROOT / ".kbchat" / "load-server.log"  # the server's stderr (access log), kept for a post-mortem
    log_path.parent.mkdir(exist_ok=True)
    log = open(log_path, "wb")  # noqa: SIM115  # handed to the server process, which outlives this function
    proc = subprocess.Popen([str(ROOT / ".venv" / "bin" / "kbchat"), "serve"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=log)
    deadline = time.time() + READY_TIMEOUT_S
    while time.time() < deadline:
        if proc.poll() is not None:
            sys.exit(f"kbchat serve exited with {proc.returncode}; see {log.name}")
        try:
            if get(port, "/readyz")[0] == 200:
                return proc
        except OSError:
            pass
        time.sleep(0.5)
    proc.kill()
    sys.exit(f"kbchat serve did not become ready on port {port} within {READY_TIMEOUT_S} s")


def get(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def workers(server_pid: int) -> list[int]:
    """The serving processes: uvicorn's workers are children of the `kbchat serve` process."""
    children = Path(f"/proc/{server_pid}/task/{server_pid}/children").read_text().split()
    found = []
    for pid in children:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        if b"multiprocessing" in cmdline and b"resource_tracker" not in cmdline:
            found.append(int(pid))
    return found


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def messages() -> list[list[dict[str, str]]]:
    """The eval questions and the guard's dev messages, each a conversation the API accepts."""
    convs = [[{"role": "user", "content": q.question}] for q in load_qa()]
    for item in load_guard():
        turns = [{"role": t.role, "content": t.content} for t in item.turns]
        if len(turns) <= 20 and all(0 < len(t["content"]) <= 2000 for t in turns):
            convs.append(turns)
    return convs


def body(path: str, streamed: bool, conversation: list[dict[str, str]]) -> str:
    data: dict[str, Any] = {"messages": conversation, "stream": streamed}
    if path.startswith("/v1/"):
        data["model"] = "kbchat"
    return json.dumps(data)


def well_formed(path: str, streamed: bool, payload: bytes) -> bool:
    if not streamed:
        data = json.loads(payload)
        return bool(data.get("choices") if path.startswith("/v1/") else data.get("answer"))
    text = payload.decode()
    return text.rstrip().endswith("data: [DONE]") if path.startswith("/v1/") else "event: done\n" in text


class Client:
    """One keep-alive connection, reopened after an error."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn: http.client.HTTPConnection | None = None

    def send(self, path: str, streamed: bool, payload: str) -> tuple[float, str | None]:
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT_S)
        start = time.perf_counter()
        try:
            self.conn.request("POST", path, payload, {"Content-Type": "application/json"})
            response = self.conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException) as exc:
            self.conn.close()
            self.conn = None
            return (time.perf_counter() - start) * 1000, type(exc).__name__
        elapsed = (time.perf_counter() - start) * 1000
        if response.status != 200:
            return elapsed, f"HTTP {response.status}"
        if not well_formed(path, streamed, data):
            return elapsed, "malformed body"
        return elapsed, None


def run(port: int, convs: list[list[dict[str, str]]], total: int, clients: int, tally: Tally, offset: int = 0) -> float:
    """Send `total` requests from `clients` threads (the plan's items from `offset` on); returns the
    wall time in seconds. The pool is drained at the end, so a run's tail waits for its slowest request."""
    local = threading.local()
    plan = [(KINDS[i % len(KINDS)], convs[i % len(convs)]) for i in range(offset, offset + total)]

    def one(item: tuple[tuple[str, bool], list[dict[str, str]]]) -> None:
        (path, streamed), conv = item
        if not hasattr(local, "client"):
            local.client = Client(port)
        elapsed, error = local.client.send(path, streamed, body(path, streamed, conv))
        with tally.lock:
            tally.latencies_ms.append(elapsed)
            tally.kinds[f"{path}{' SSE' if streamed else ''}"] += 1
            if error:
                tally.errors[error] += 1

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(one, plan))
    return time.perf_counter() - start


def counted_chat_requests(port: int) -> float:
    """Chat requests /metrics reports (all workers), from kbchat_http_requests_total."""
    from prometheus_client.parser import text_string_to_metric_families

    _status, text = get(port, "/metrics")
    return sum(s.value for family in text_string_to_metric_families(text.decode()) for s in family.samples
               if s.name == "kbchat_http_requests_total" and s.labels["path"] in ("/api/chat", "/v1/chat/completions"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    args = parser.parse_args()
    convs = messages()
    load_before = os.getloadavg()
    port = free_port()
    proc = start_server(port)
    try:
        run(port, convs, WARM_UP, args.clients, Tally())  # each worker's first requests load lazily
        pids = workers(proc.pid)
        rss_before = {pid: rss_mb(pid) for pid in pids}
        tally = Tally()
        cpu_before = os.times()
        wall, rss_by_quarter = 0.0, []
        for quarter in range(SOAK_CHECKPOINTS):  # RSS at each quarter: a plateau is warm-up, a steady climb a leak
            share = args.requests // SOAK_CHECKPOINTS + (args.requests % SOAK_CHECKPOINTS if quarter == 0 else 0)
            wall += run(port, convs, share, args.clients, tally, offset=len(tally.latencies_ms))
            rss_by_quarter.append([round(rss_mb(pid)) for pid in pids])
        cpu = os.times()
        rss_after = {pid: rss_mb(pid) for pid in pids}
        counted = counted_chat_requests(port)
        load_after = os.getloadavg()
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=60)
    lat = np.asarray(tally.latencies_ms)
    result = {
        "requests": args.requests, "clients": args.clients, "kinds": dict(tally.kinds),
        "errors": sum(tally.errors.values()), "errors_by_kind": dict(tally.errors),
        "p50_ms": round(float(np.percentile(lat, 50)), 1), "p95_ms": round(float(np.percentile(lat, 95)), 1),
        "p99_ms": round(float(np.percentile(lat, 99)), 1), "max_ms": round(float(lat.max()), 1),
        "requests_per_s": round(args.requests / wall, 1), "wall_s": round(wall, 1),
        "worker_rss_mb_before": [round(v) for v in rss_before.values()],
        "worker_rss_mb_after": [round(rss_after[p]) for p in pids],
        "worker_rss_growth_pct": [round(100 * (rss_after[p] - rss_before[p]) / rss_before[p], 1) for p in pids],
        "worker_rss_mb_by_quarter": rss_by_quarter,
        "metrics_counted_chat_requests": counted, "sent_chat_requests": WARM_UP + args.requests,
        "bench_client_cpu_s": round((cpu.user + cpu.system) - (cpu_before.user + cpu_before.system), 1),
        "load_average_1m_before_after": [round(load_before[0], 2), round(load_after[0], 2)],
        "cores": os.cpu_count(),
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"{args.requests} requests, {args.clients} clients: {result['errors']} errors {result['errors_by_kind']}")
    print(f"latency p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, p99 {result['p99_ms']} ms "
          f"(max {result['max_ms']}); {result['requests_per_s']} req/s over {result['wall_s']} s")
    print(f"worker RSS {result['worker_rss_mb_before']} MB -> {result['worker_rss_mb_after']} MB "
          f"({result['worker_rss_growth_pct']} %); after each quarter {rss_by_quarter}")
    print(f"/metrics counted {counted:.0f} chat requests of {WARM_UP + args.requests} sent; kinds {result['kinds']}")
    print(f"load average (1 min) {result['load_average_1m_before_after']} on {result['cores']} cores; "
          f"the bench's own clients used {result['bench_client_cpu_s']} s of CPU")


if __name__ == "__main__":
    main()
