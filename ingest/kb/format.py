"""What a KB entry is: the front-matter vocabulary and the parsed `Entry`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DESIGNS = (
    "systematic_review", "narrative_review", "randomized_trial", "human_lab_study", "cohort",
    "cross_sectional_survey", "case_report", "case_series", "animal_study", "in_vitro",
    "surveillance_report", "agency_statement", "other",
)
STATUSES = ("draft", "reviewed", "retired")
TOPICS = (
    "what_is_kratom", "alkaloids", "pharmacology", "mood", "depression", "anxiety", "ptsd", "adhd",
    "pain", "use_patterns", "doses_reported", "opioid_withdrawal", "dependence", "withdrawal",
    "treatment", "adverse_effects", "toxicity", "deaths", "interactions", "contamination",
    "pregnancy", "legal_status", "evidence_gaps",
)

COMMON_REQUIRED = ("id", "kind", "title", "topics", "status", "reviewed_on")
STUDY_REQUIRED = (*COMMON_REQUIRED, "authors", "journal", "year", "design", "population")
# An agency web page may have no journal and no dated issue; its official URL identifies it.
AGENCY_DESIGNS = ("agency_statement",)
AGENCY_EXEMPT = ("journal", "year")
# A draft (for example one just imported) may still lack what an editor adds when reviewing it.
DRAFT_MAY_LACK = ("reviewed_on", "population", "topics")
# `abstract` is the source's abstract, kept for the reviewer and never indexed or shown.
STUDY_OPTIONAL = ("volume", "issue", "pages", "doi", "pmid", "pmcid", "url", "seen_at", "abstract", "reviewed_by")
SUMMARY_OPTIONAL: tuple[str, ...] = ("reviewed_by",)
LOCATORS = ("doi", "pmid", "url")
# `kbchat kb import` writes this body; an entry that still holds it cannot be reviewed.
PLACEHOLDER_MARK = "TODO(editor)"
BODY_PLACEHOLDER = (
    f"{PLACEHOLDER_MARK}: replace this line with the digest: 3 to 8 sentences in our own words, each naming "
    "the study, its design and population (kb/README.md). The abstract in the front matter is for reference: "
    "it is never indexed or shown."
)

# Labels a reader sees next to a citation ("this rests on mice").
DESIGN_LABELS = {
    "systematic_review": "Systematic review",
    "narrative_review": "Narrative review",
    "randomized_trial": "Randomized trial",
    "human_lab_study": "Human lab study",
    "cohort": "Cohort study",
    "cross_sectional_survey": "Survey",
    "case_report": "Case report",
    "case_series": "Case series",
    "animal_study": "Animal study",
    "in_vitro": "Lab study (cells)",
    "surveillance_report": "Surveillance report",
    "agency_statement": "Agency statement",
    "other": "Other source",
    "summary": "Editors' summary",
}

KIND_FOLDERS = {"study": "studies", "summary": "summaries"}


@dataclass
class Entry:
    """One parsed KB file. `body_line` is the 1-based file line where the body starts."""

    path: Path
    meta: dict[str, Any]
    body: str
    body_line: int
    key_lines: dict[str, int] = field(default_factory=dict)
    content_hash: str = ""

    @property
    def id(self) -> str:
        return str(self.meta.get("id", ""))

    @property
    def kind(self) -> str:
        return str(self.meta.get("kind", ""))

    @property
    def status(self) -> str:
        return str(self.meta.get("status", ""))

    @property
    def title(self) -> str:
        return str(self.meta.get("title", ""))

    @property
    def design(self) -> str:
        return "summary" if self.kind == "summary" else str(self.meta.get("design", "other"))

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, 1)


def design_label(design: str) -> str:
    return DESIGN_LABELS.get(design, design.replace("_", " ").capitalize())


def short_authors(authors: list[str] | None) -> str:
    """'Grundmann', 'Smith & Lawson', 'Garcia-Romeu et al.' from a list of 'Family, Given'."""
    names = [_family_name(str(a)) for a in (authors or []) if str(a).strip()]
    names = [n for n in names if n.lower() not in ("et al.", "et al")]
    if not names:
        return ""
    if len(names) == 1:
        return names[0]
    if len(names) == 2:
        return f"{names[0]} & {names[1]}"
    return f"{names[0]} et al."


def _family_name(author: str) -> str:
    """'Smith, Kirsten E.' → 'Smith'; 'Kiyokawa M' → 'Kiyokawa'; an agency name stays whole."""
    if "," in author:
        return author.split(",")[0].strip()
    parts = author.split()
    if len(parts) == 2 and parts[1].isupper() and len(parts[1]) <= 3:
        return parts[0]
    return author.strip()


def source_url(meta: dict[str, Any]) -> str:
    """The link a reader follows: DOI first, then PubMed, then the official URL."""
    if meta.get("doi"):
        return f"https://doi.org/{meta['doi']}"
    if meta.get("pmid"):
        return f"https://pubmed.ncbi.nlm.nih.gov/{meta['pmid']}/"
    return str(meta.get("url") or "")
