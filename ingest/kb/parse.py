"""Read a KB Markdown file into an `Entry`, remembering the line of every front-matter key."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import yaml

from kbchat.ingest.kb.format import Entry

DELIMITER = "---"


@dataclass(frozen=True)
class Problem:
    """One validation finding, printed as `path:line: message`."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class EntryParseError(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def _split_front_matter(path: Path, text: str) -> tuple[str, str, int]:
    lines = text.split("\n")
    if not lines or lines[0].strip() != DELIMITER:
        raise EntryParseError(Problem(path, 1, "file must start with a '---' front-matter line"))
    for i in range(1, len(lines)):
        if lines[i].strip() == DELIMITER:
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1 :]), i + 2
    raise EntryParseError(Problem(path, 1, "front matter has no closing '---' line"))


def _key_lines(front: str) -> dict[str, int]:
    node = yaml.compose(front)
    if not isinstance(node, yaml.MappingNode):
        return {}
    # +2: the opening '---' is line 1, and marks are 0-based.
    return {str(k.value): k.start_mark.line + 2 for k, _ in node.value}


def parse_entry(path: Path) -> Entry:
    """Parse one file; raise `EntryParseError` if it is not front matter plus body."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise EntryParseError(Problem(path, 1, f"not UTF-8 text ({exc.reason})")) from exc
    return parse_text(path, text)


def parse_text(path: Path, text: str) -> Entry:
    """Parse the text an entry at `path` has (or would have, before it is written)."""
    front, body, body_line = _split_front_matter(path, text)
    try:
        meta = yaml.safe_load(front)
        key_lines = _key_lines(front)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        raise EntryParseError(Problem(path, line, f"front matter is not valid YAML: {exc}")) from exc
    if not isinstance(meta, dict):
        raise EntryParseError(Problem(path, 1, "front matter must be a mapping of field: value"))
    leading = len(body) - len(body.lstrip("\n"))
    return Entry(
        path=path,
        meta=meta,
        body=body.strip(),
        body_line=body_line + leading,
        key_lines=key_lines,
        content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )
