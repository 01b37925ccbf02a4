"""Parse an XML file an editor saved, refusing anything that could expand or fetch entities.

PubMed's efetch XML starts with a DOCTYPE that names an external DTD; that is allowed (expat never
reads it). What is refused, as defusedxml refuses it: an internal DTD subset, any entity declaration
(the "billion laughs" expansion), an external entity, and a reference to an entity nobody declared.
"""

from __future__ import annotations

from typing import Any
from xml.etree.ElementTree import Element, TreeBuilder
from xml.parsers import expat

from kbchat.ingest.kb.citation import ImportProblem

MAX_BYTES = 50_000_000  # a PubMed export of a few thousand records; anything larger is not one


def parse_xml(data: bytes, where: str) -> Element:
    """The document's root element; ImportProblem for malformed or unsafe XML."""
    if len(data) > MAX_BYTES:
        raise ImportProblem(f"{where} is {len(data):,} bytes; split the export into files under {MAX_BYTES:,} bytes")
    builder = TreeBuilder()
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _doctype(where)
    parser.EntityDeclHandler = _refuse(where, "declares an entity")
    parser.UnparsedEntityDeclHandler = _refuse(where, "declares an unparsed entity")
    parser.ExternalEntityRefHandler = _refuse(where, "refers to an external entity")
    parser.SkippedEntityHandler = _refuse(where, "refers to an entity that is not declared")
    parser.StartElementHandler = builder.start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.data
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise ImportProblem(f"{where} is not well-formed XML ({expat.ErrorString(exc.code)} at line {exc.lineno}, "
                            f"column {exc.offset}); save the export again from PubMed") from exc
    return builder.close()


def _doctype(where: str) -> Any:
    def handler(name: str, system_id: str | None, public_id: str | None, has_internal_subset: bool) -> None:
        if has_internal_subset:
            raise ImportProblem(f"{where} has its own DTD inside the DOCTYPE; refused because it could declare "
                                "entities that expand without limit. Save the export again from PubMed")
    return handler


def _refuse(where: str, what: str) -> Any:
    def handler(*args: Any) -> None:
        name = args[0] if args and isinstance(args[0], str) else "?"
        raise ImportProblem(f"{where} {what} ({name!r}); refused for safety: PubMed exports need none. "
                            "Save the export again from PubMed")
    return handler
