"""BibTeX (what doi.org returns for `Accept: application/x-bibtex`) → citations.

A small reader for what DOI services and reference managers write: `@type{key, field = {…} | "…" |
number, …}` with nested braces, `#` concatenation and the common LaTeX accents. Macros (@string,
`month = mar`) are not expanded: none of the fields read here uses them in DOI exports.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from kbchat.ingest.kb.citation import Citation, ImportProblem, clean_doi, clean_text, first_year

SKIPPED_TYPES = ("comment", "preamble", "string")
ACCENTS = {'"': "\u0308", "'": "\u0301", "`": "\u0300", "^": "\u0302", "~": "\u0303", "=": "\u0304",
           ".": "\u0307", "c": "\u0327", "u": "\u0306", "v": "\u030c", "H": "\u030b", "k": "\u0328"}
LETTERS = {"ss": "ß", "o": "ø", "O": "Ø", "ae": "æ", "AE": "Æ", "aa": "å", "AA": "Å", "l": "ł", "L": "Ł",
           "i": "i", "j": "j", "oe": "œ", "OE": "Œ"}
ESCAPES = {"&": "&", "%": "%", "$": "$", "_": "_", "#": "#", "{": "{", "}": "}"}


def looks_like_bibtex(text: str) -> bool:
    return re.search(r"@\s*[A-Za-z]+\s*\{", text) is not None


def read_bibtex(path: Path, text: str) -> list[Citation]:
    entries = [e for e in _Reader(path, text).entries() if e[0] not in SKIPPED_TYPES]
    if not entries:
        raise ImportProblem(f"{path} has no BibTeX entry (expected @article{{key, title = {{...}}, ...}})")
    return [_citation(kind, fields, f"{path}, record {n}") for n, (kind, fields) in enumerate(entries, 1)]


class _Reader:
    """A cursor over the text; every error names the line."""

    def __init__(self, path: Path, text: str) -> None:
        self.path, self.text, self.pos = path, text, 0

    def fail(self, message: str) -> ImportProblem:
        line = self.text.count("\n", 0, self.pos) + 1
        return ImportProblem(f"{self.path}:{line}: {message}; is this BibTeX?")

    def entries(self) -> list[tuple[str, dict[str, str]]]:
        found: list[tuple[str, dict[str, str]]] = []
        while (at := self.text.find("@", self.pos)) != -1:
            self.pos = at + 1
            kind = self.word().lower()
            self.skip_space()
            if not self.text.startswith(("{", "("), self.pos):
                raise self.fail(f"@{kind} is not followed by {{")
            self.pos += 1
            if kind in SKIPPED_TYPES:
                self.pos -= 1
                self.braced()
                found.append((kind, {}))
                continue
            found.append((kind, self.fields()))
        return found

    def fields(self) -> dict[str, str]:
        self.pos = self.text.find(",", self.pos) + 1  # skip the citation key
        if self.pos == 0:
            raise self.fail("the entry has no fields")
        fields: dict[str, str] = {}
        while True:
            self.skip_space(",")
            if self.pos >= len(self.text):
                raise self.fail("the entry is not closed with }")
            if self.text[self.pos] in "})":
                self.pos += 1
                return fields
            name = self.word().lower()
            self.skip_space()
            if not name or not self.text.startswith("=", self.pos):
                raise self.fail(f"expected field = value, found {self.text[self.pos:self.pos + 20]!r}")
            self.pos += 1
            fields[name] = self.value(name)

    def value(self, name: str) -> str:
        parts = []
        while True:
            self.skip_space()
            char = self.text[self.pos : self.pos + 1]
            if char == "{":
                parts.append(self.braced())
            elif char == '"':
                end = self.text.find('"', self.pos + 1)
                if end == -1:
                    raise self.fail(f"the value of {name} has no closing quote")
                parts.append(self.text[self.pos + 1 : end])
                self.pos = end + 1
            else:  # a number, or a macro such as `month = mar` (kept as its name: nothing here reads it)
                word = self.word()
                if not word:
                    raise self.fail(f"the value of {name} is missing")
                parts.append(word)
            self.skip_space()
            if not self.text.startswith("#", self.pos):
                return "".join(parts)
            self.pos += 1

    def braced(self) -> str:
        depth, start = 0, self.pos
        for i in range(self.pos, len(self.text)):
            if self.text[i] == "\\":
                continue
            if self.text[i] == "{" and self.text[i - 1 : i] != "\\":
                depth += 1
            elif self.text[i] == "}" and self.text[i - 1 : i] != "\\":
                depth -= 1
                if depth == 0:
                    self.pos = i + 1
                    return self.text[start + 1 : i]
        raise self.fail("a { is never closed")

    def word(self) -> str:
        match = re.compile(r"[A-Za-z0-9_:.+/-]*").match(self.text, self.pos)
        self.pos = match.end() if match else self.pos
        return match.group(0) if match else ""

    def skip_space(self, also: str = "") -> None:
        while self.pos < len(self.text) and (self.text[self.pos].isspace() or self.text[self.pos] in also):
            self.pos += 1


def delatex(text: str) -> str:
    """'M{\\"u}ller' → 'Müller', '{K}ratom' → 'Kratom', '252--274' → en dash."""
    text = re.sub(r"\\([A-Za-z]{1,2})(?![A-Za-z])\s*", lambda m: LETTERS.get(m.group(1), m.group(0)), text)
    text = re.sub(r"\\([\"'`^~=.])\s*\{?\s*([A-Za-z])\s*\}?",
                  lambda m: unicodedata.normalize("NFC", m.group(2) + ACCENTS[m.group(1)]), text)
    text = re.sub(r"\\([cuvHk])\s*\{\s*([A-Za-z])\s*\}",
                  lambda m: unicodedata.normalize("NFC", m.group(2) + ACCENTS[m.group(1)]), text)
    text = re.sub(r"\\([&%$_#{}])", lambda m: ESCAPES[m.group(1)], text)
    text = text.replace("---", "\u2014").replace("--", "\u2013")
    return clean_text(text.replace("{", "").replace("}", ""))


def split_authors(raw: str) -> list[str]:
    """'Smith, Kirsten E. and Albert Garcia-Romeu and {World Health Organization}' → 'Family, Given' each."""
    names, depth, start = [], 0, 0
    for i, char in enumerate(raw):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth == 0 and raw[i : i + 5].lower() == " and " and i >= start:
            names.append(raw[start:i])
            start = i + 5
    names.append(raw[start:])
    return [n for n in (_name(part) for part in names) if n and n.lower() != "others"]


def _name(raw: str) -> str:
    """'Given Family' → 'Family, Given'; a braced part is one word ('Anna {van der Berg}', '{WHO}')."""
    words = _words(raw.strip())
    if len(words) < 2 or any("," in w and not w.startswith("{") for w in words):
        return delatex(raw)
    return f"{delatex(words[-1])}, {delatex(' '.join(words[:-1]))}"


def _words(raw: str) -> list[str]:
    words: list[str] = []
    depth, current = 0, ""
    for char in raw:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if char.isspace() and depth == 0:
            words, current = [*words, current] if current else words, ""
        else:
            current += char
    return [*words, current] if current else words


def _citation(kind: str, fields: dict[str, str], where: str) -> Citation:
    def get(*names: str) -> str:
        return next((delatex(fields[n]) for n in names if fields.get(n, "").strip()), "")

    return Citation(
        title=get("title"),
        authors=split_authors(fields.get("author", "")),
        journal=get("journal", "journaltitle"),
        year=first_year(get("year", "date")),
        volume=get("volume"),
        issue=get("number", "issue"),
        pages=get("pages").replace("\u2013", "-"),
        doi=clean_doi(get("doi")),
        pmid=get("pmid"),
        abstract=get("abstract"),
        publication_types=[kind],
        where=where,
    )
