"""Write eval/reports/<timestamp>/ report.md, report.json and PNG plots."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

REPORTS = Path(__file__).resolve().parent / "reports"


def flatten(results: dict[str, Any], prefix: str = "") -> dict[str, float]:
    """'qa.citation_recall' → value, for --fail-under; lists and nested tables are skipped."""
    flat: dict[str, float] = {}
    for key, value in results.items():
        name = f"{prefix}{key}"
        if isinstance(value, bool):
            continue
        if isinstance(value, (int, float)):
            flat[name] = float(value)
        elif isinstance(value, dict) and key not in ("confusion", "recall@5_by_topic"):
            flat.update(flatten(value, f"{name}."))
    return flat


def check_floors(results: dict[str, Any], floors: dict[str, float]) -> list[str]:
    """Messages for each metric under its floor (or unknown)."""
    flat = flatten(results)
    problems = []
    for name, floor in floors.items():
        if name not in flat:
            problems.append(f"unknown metric {name!r} (known: {', '.join(sorted(flat))})")
        elif flat[name] < floor:
            problems.append(f"{name} = {flat[name]:.3f} is under the floor {floor}")
    return problems


def write_report(results: dict[str, Any], out_root: Path | None = None) -> Path:
    """Write eval/reports/<UTC timestamp>/ (or under `out_root`); returns that folder."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    out = (out_root or REPORTS) / stamp
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.json").write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    plots = _plots(results, out)
    (out / "report.md").write_text(_markdown(results, plots), encoding="utf-8")
    return out


def _pct(x: float) -> str:
    return f"{x:.3f}"


def _markdown(r: dict[str, Any], plots: list[str]) -> str:
    lines = ["# kbchat eval report", "", f"- target: {r['target']}", f"- index version: {r.get('index_version', '?')}",
             f"- run at: {r['run_at']}", f"- scorer: {r['scorer']}", ""]
    if "faithfulness_scorer" in r:
        f = r["faithfulness_scorer"]
        lines += ["## The faithfulness scorer itself (eval/data/faithfulness_dev.jsonl)", "",
                  "| n | accuracy | balanced accuracy | precision (unsupported) | recall (unsupported) "
                  "| F1 (unsupported) |",
                  "|---|---|---|---|---|---|",
                  f"| {f['n']} | {_pct(f['accuracy'])} | {_pct(f['balanced_accuracy'])} "
                  f"| {_pct(f['precision_unsupported'])} | {_pct(f['recall_unsupported'])} "
                  f"| {_pct(f['f1_unsupported'])} |", ""]
    if "retrieval" in r:
        lines += ["## Retrieval (answerable questions; any expected id counts)", "",
                  "| method | recall@1 | recall@3 | recall@5 | recall@10 | MRR |", "|---|---|---|---|---|---|"]
        for method, s in r["retrieval"].items():
            lines.append(f"| {method} | {_pct(s['recall@1'])} | {_pct(s['recall@3'])} | {_pct(s['recall@5'])} "
                         f"| {_pct(s['recall@10'])} | {_pct(s['mrr'])} |")
        lines += ["", "Recall@5 by topic (hybrid):", "", "| topic | recall@5 |", "|---|---|"]
        lines += [f"| {t} | {_pct(v)} |" for t, v in r["retrieval"]["hybrid"]["recall@5_by_topic"].items()]
        lines.append("")
    if "qa" in r:
        q = r["qa"]
        lines += ["## Answers", "", "| metric | value |", "|---|---|"]
        lines += [f"| {k} | {_pct(v) if isinstance(v, float) else v} |"
                  for k, v in q.items() if not isinstance(v, (list, dict))]
        lines += ["", "Questions whose expected entries were not cited, or that abstained wrongly:", ""]
        lines += [f"- {f['id']} ({', '.join(f['expected_ids'])}): {f['question']} → {f['outcome']}"
                  for f in r.get("qa_failures", [])] or ["- none"]
        lines.append("")
    if "guard" in r:
        g = r["guard"]
        lines += ["## Guardrail (eval/data/guard_dev.jsonl)", "", "| metric | value |", "|---|---|"]
        lines += [f"| {k} | {_pct(v) if isinstance(v, float) else v} |"
                  for k, v in g.items() if not isinstance(v, (list, dict))]
        labels = list(g["confusion"])
        lines += ["", "Confusion matrix (rows: expected, columns: routed):", "",
                  "| expected \\ got | " + " | ".join(labels) + " |", "|---" * (len(labels) + 1) + "|"]
        lines += [f"| {row} | " + " | ".join(str(g['confusion'][row].get(c, 0)) for c in labels) + " |"
                  for row in labels]
        lines += ["", "Misrouted messages:", ""]
        lines += [f"- {x['id']} expected {x['expected']}, got {x['got']} {x['tags']}: {x['message'][:160]!r}"
                  for x in g["misrouted"]] or ["- none"]
        lines.append("")
    if plots:
        lines += ["## Plots", ""] + [f"![{p}]({p})" for p in plots]
    return "\n".join(lines) + "\n"


def _plots(r: dict[str, Any], out: Path) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")  # no display here
    import matplotlib.pyplot as plt

    written = []
    if "retrieval" in r:
        topics = r["retrieval"]["hybrid"]["recall@5_by_topic"]
        fig, ax = plt.subplots(figsize=(8, 5))
        ax.barh(list(topics), list(topics.values()), color="#2f6f8f")
        ax.set_xlim(0, 1)
        ax.set_xlabel("recall@5 (hybrid)")
        ax.set_title("Retrieval recall per topic")
        fig.tight_layout()
        fig.savefig(out / "recall_by_topic.png", dpi=110)
        plt.close(fig)
        written.append("recall_by_topic.png")
    if "guard" in r:
        conf = r["guard"]["confusion"]
        labels = list(conf)
        matrix = [[conf[a].get(b, 0) for b in labels] for a in labels]
        fig, ax = plt.subplots(figsize=(7, 6))
        ax.imshow(matrix, cmap="Blues")
        ax.set_xticks(range(len(labels)), labels, rotation=35, ha="right")
        ax.set_yticks(range(len(labels)), labels)
        for i, row in enumerate(matrix):
            for j, v in enumerate(row):
                ax.text(j, i, str(v), ha="center", va="center", color="black")
        ax.set_xlabel("routed")
        ax.set_ylabel("expected")
        ax.set_title("Guardrail confusion matrix")
        fig.tight_layout()
        fig.savefig(out / "guard_confusion.png", dpi=110)
        plt.close(fig)
        written.append("guard_confusion.png")
    latencies = r.get("latencies_ms")
    if latencies:
        fig, ax = plt.subplots(figsize=(7, 4))
        ax.hist(latencies, bins=40, color="#5a8f3c")
        ax.set_xlabel("ms per question")
        ax.set_title("Answer latency")
        fig.tight_layout()
        fig.savefig(out / "latency.png", dpi=110)
        plt.close(fig)
        written.append("latency.png")
    return written
