"""What a new index version changes against the live one: entries, and sentences within entries."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from kbchat.ingest.index.schema import Manifest, SentenceRow
from kbchat.ingest.index.store import IndexStore, read_all

# Two sentences this alike (difflib's ratio, 0-1) count as one sentence edited, not one removed and
# one added: a reworded clause or a corrected figure stays above it, an unrelated sentence does not.
EDIT_SIMILARITY = 0.6


@dataclass(frozen=True)
class SentenceChange:
    entry_id: str
    before: str  # "" when the sentence was added
    after: str  # "" when it was removed


@dataclass
class IndexDiff:
    entries_added: list[str] = field(default_factory=list)
    entries_changed: list[str] = field(default_factory=list)
    entries_removed: list[str] = field(default_factory=list)
    sentences: list[SentenceChange] = field(default_factory=list)

    @property
    def sentences_added(self) -> list[SentenceChange]:
        return [s for s in self.sentences if not s.before]

    @property
    def sentences_removed(self) -> list[SentenceChange]:
        return [s for s in self.sentences if not s.after]

    @property
    def sentences_changed(self) -> list[SentenceChange]:
        return [s for s in self.sentences if s.before and s.after]

    @property
    def empty(self) -> bool:
        return not (self.entries_added or self.entries_changed or self.entries_removed or self.sentences)


def diff_versions(store: IndexStore, old: Manifest | None, new: Manifest) -> IndexDiff:
    """Entries by content hash; sentences aligned per entry, so an edited sentence shows as changed."""
    before = old.entries if old else {}
    diff = IndexDiff(
        entries_added=sorted(set(new.entries) - set(before)),
        entries_changed=sorted(i for i in new.entries if i in before and before[i] != new.entries[i]),
        entries_removed=sorted(set(before) - set(new.entries)),
    )
    touched = set(diff.entries_added) | set(diff.entries_changed) | set(diff.entries_removed)
    if not touched:
        return diff
    old_text = sentences_by_entry(store, old, touched) if old else {}
    new_text = sentences_by_entry(store, new, touched)
    for entry_id in sorted(touched):
        diff.sentences += align(entry_id, old_text.get(entry_id, []), new_text.get(entry_id, []))
    return diff


def sentences_by_entry(store: IndexStore, manifest: Manifest, entry_ids: set[str]) -> dict[str, list[str]]:
    """The sentences of these entries in one version, in body order."""
    got = read_all(store.open_collections(manifest.version)["sentences"], ["documents", "metadatas"])
    rows = [SentenceRow.from_chroma(i, d, m) for i, d, m in zip(got["ids"], got["documents"], got["metadatas"],
                                                                  strict=True)]
    out: dict[str, list[str]] = {}
    for row in sorted((r for r in rows if r.entry_id in entry_ids), key=lambda r: (r.entry_id, r.position)):
        out.setdefault(row.entry_id, []).append(row.text)
    return out


def align(entry_id: str, before: list[str], after: list[str]) -> list[SentenceChange]:
    """Sentences added, removed, or edited: inside a replaced run, an old sentence pairs with the
    most similar new one after the previous pair (an edit), the rest are added or removed."""
    changes = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=before, b=after, autojunk=False).get_opcodes():
        if op != "equal":
            changes += _pair(entry_id, before[i1:i2], after[j1:j2])
    return changes


def _pair(entry_id: str, old: list[str], new: list[str]) -> list[SentenceChange]:
    out, start = [], 0
    for sentence in old:
        scores = [(difflib.SequenceMatcher(a=sentence, b=n).ratio(), j) for j, n in enumerate(new) if j >= start]
        best, at = max(scores, default=(0.0, -1))
        if best < EDIT_SIMILARITY:
            out.append(SentenceChange(entry_id, sentence, ""))
            continue
        out += [SentenceChange(entry_id, "", n) for n in new[start:at]]
        out.append(SentenceChange(entry_id, sentence, new[at]))
        start = at + 1
    return out + [SentenceChange(entry_id, "", n) for n in new[start:]]
