"""`kbchat versions` and `kbchat rollback`: the published versions kept beside the live one, and
moving the pointer back to one of them (one atomic pointer write; a running service swaps it in
at its next reload check, as after a publish)."""

from __future__ import annotations

from dataclasses import replace

from kbchat.core.config import Settings
from kbchat.ingest.index.changelog import Change, now, record
from kbchat.ingest.index.schema import Manifest
from kbchat.ingest.index.store import IndexProblem, check_model, ingest_lock, open_store

# The figures `kbchat versions` prints per version (all are in `--json`).
SHOWN = ("retrieval.hybrid.recall@5", "qa.answer_cites_expected", "qa.citation_recall", "qa.abstention_recall",
         "guard.must_refuse_recall")


class UnknownVersion(IndexProblem):
    """The version asked for is not kept (never published, or pruned)."""


def list_versions(settings: Settings) -> tuple[list[Manifest], Manifest | None]:
    """The kept versions, oldest first, and the live one."""
    store = open_store(settings)
    return store.kept_versions(), store.published()


def rollback(settings: Settings, version: str | None = None, *, who: str) -> Change:
    """Make `version` (default: the newest kept version older than the live one) live again and pin it."""
    with ingest_lock(settings.data_dir):
        store = open_store(settings)
        live = store.require_published()
        target = _target(store.kept_versions(), live, version)
        check_model(target, live.model, live.dim)
        store.open_collections(target.version)  # its collections must still be there (IndexMissing if not)
        pinned = replace(target, published_at=now(), pinned=True)
        store.publish(pinned)
        change = Change(at=pinned.published_at, who=who, action="rollback", version=target.version,
                        previous=live.version, summary=f"back to {target.version} (built {target.built_at})",
                        eval=target.eval)
        record(store, change)
        return change


def _target(kept: list[Manifest], live: Manifest, version: str | None) -> Manifest:
    names = [m.version for m in kept]
    listing = ", ".join(names) if names else "none"
    if version is None:
        older = [m for m in kept if m.version < live.version]
        if not older:
            raise UnknownVersion(f"no version older than the live {live.version} is kept (kept: {listing}); "
                                 "nothing was changed")
        return older[-1]
    if version == live.version:
        raise UnknownVersion(f"{version} is already the live version; nothing was changed")
    match = [m for m in kept if m.version == version]
    if not match:
        raise UnknownVersion(f"no kept version {version!r} (kept: {listing}); run `kbchat versions` to list them. "
                             "Nothing was changed")
    return match[0]


def version_lines(kept: list[Manifest], live: Manifest | None) -> list[str]:
    """`kbchat versions` for a person: one line per kept version, newest first, with its figures."""
    if not kept:
        return ["no published version is kept yet; `kbchat publish` keeps each one it publishes"]
    lines = []
    for m in reversed(kept):
        mark = "*" if live is not None and m.version == live.version else " "
        counts = f"{m.counts.get('entries', 0)} entries, {m.counts.get('sentences', 0)} sentences"
        figures = ", ".join(f"{k.split('.', 1)[1]} {v:.3f}" for k, v in m.eval.items() if k in SHOWN) or "no eval"
        lines.append(f"{mark} {m.version}  published {m.published_at or '?'}  {counts}  {figures}")
    if live is not None and live.pinned:
        lines.append(f"live: {live.version}, pinned by `kbchat rollback` (`kbchat publish` publishes kb/ again)")
    return lines
