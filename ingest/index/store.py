"""Index versions in Chroma, and the one pointer that says which version is published.

Each ingest writes a complete new version beside the published one, then moves the pointer in one
atomic step (a file rename when Chroma is embedded, a single-row upsert on a Chroma server), so a
reader always sees either the old version or the new one, never a half-written index.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from kbchat.core.config import Settings
from kbchat.core.files import append_line, write_atomic
from kbchat.ingest.index.schema import Manifest

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection

PARTS = ("sentences", "passages", "entries")
MANIFEST_COLLECTION = "kbchat-manifest"
MANIFEST_ROW = "published"
VERSION_ROW = "version:"  # + version: the manifest of a version kept for rollback
CHANGE_ROW = "change:"  # + timestamp and counter: one changelog line
VERSION_MANIFEST = "manifest.json"
CHANGELOG = "changelog.jsonl"


class IndexProblem(Exception):
    """Base for index problems a person must act on."""


class IndexMissing(IndexProblem):
    pass


class IndexLocked(IndexProblem):
    pass


class ModelMismatch(IndexProblem):
    pass


class IndexCorrupt(IndexProblem):
    """The published pointer or a version's files cannot be read."""


class IndexUnavailable(IndexProblem):
    """The Chroma server cannot be reached just now; the same request may succeed later."""


@contextmanager
def reaching(where: str) -> Iterator[None]:
    """Turn a Chroma server that cannot be reached (refused, reset, timed out) into IndexUnavailable,
    which the HTTP edge answers with 503 and Retry-After; anything else passes through."""
    import httpx

    try:
        yield
    except httpx.TransportError as exc:
        raise IndexUnavailable(
            f"the index server at {where} cannot be reached ({type(exc).__name__}); it may be restarting"
        ) from exc


def collection_name(version: str, part: str) -> str:
    return f"kb-{version}-{part}"


def check_model(manifest: Manifest, model: str, dim: int | None = None) -> None:
    """Refuse to mix embeddings of two models in one index."""
    if manifest.model != model or (dim is not None and dim != manifest.dim):
        have = f"{model}" + (f" (dim {dim})" if dim is not None else "")
        raise ModelMismatch(
            f"the published index {manifest.version} was built with {manifest.model} (dim {manifest.dim}), "
            f"but KBCHAT_EMBEDDING_MODEL is {have}; rebuild it with `kbchat ingest --rebuild` "
            "or set KBCHAT_EMBEDDING_MODEL back"
        )


class IndexStore(Protocol):
    """Index versions plus the published pointer; `open_store` picks the backend."""

    where: str

    def published(self) -> Manifest | None:
        """The published manifest, or None before the first ingest."""
        ...

    def require_published(self) -> Manifest: ...

    def publish(self, manifest: Manifest) -> None:
        """Switch readers to `manifest.version` in one atomic step."""
        ...

    def create_collections(self, version: str) -> dict[str, Collection]: ...

    def open_collections(self, version: str) -> dict[str, Collection]: ...

    def prune(self, keep: set[str]) -> list[str]:
        """Delete versions not in `keep` (unpublished leftovers and old versions)."""
        ...

    def keep_version(self, manifest: Manifest) -> None:
        """Record a published version's manifest, so it can be listed and rolled back to."""
        ...

    def kept_versions(self) -> list[Manifest]:
        """Manifests of the published versions still stored, oldest first."""
        ...

    def append_change(self, line: str) -> None:
        """Add one JSON line to the changelog (who published or rolled back what, when)."""
        ...

    def changes(self) -> list[str]:
        """The changelog's JSON lines, oldest first."""
        ...


class _ChromaVersions:
    """What both backends share: one set of collections per version, on some Chroma client."""

    where: str

    def client(self, version: str) -> ClientAPI:
        raise NotImplementedError

    def published(self) -> Manifest | None:
        raise NotImplementedError

    def require_published(self) -> Manifest:
        manifest = self.published()
        if manifest is None:
            raise IndexMissing(f"no index is published under {self.where}; run `kbchat ingest` first")
        return manifest

    def create_collections(self, version: str) -> dict[str, Collection]:
        client = self.client(version)
        for part in PARTS:  # leftovers of a killed build of the same version
            if collection_name(version, part) in _names(client):
                client.delete_collection(collection_name(version, part))
        return {
            part: client.create_collection(
                collection_name(version, part),
                embedding_function=None,
                metadata={"hnsw:space": "cosine"},  # distance = 1 - cosine similarity
            )
            for part in PARTS
        }

    def open_collections(self, version: str) -> dict[str, Collection]:
        with reaching(self.where):
            try:
                client = self.client(version)
                return {
                    part: client.get_collection(collection_name(version, part), embedding_function=None)
                    for part in PARTS
                }
            except IndexProblem:
                raise
            except Exception as exc:  # chromadb raises NotFoundError, ValueError or its own errors by version
                if _unreachable(exc):
                    raise
                raise IndexCorrupt(
                    f"index version {version} is published but its collections cannot be opened under "
                    f"{self.where} ({type(exc).__name__}: {exc}); run `kbchat ingest --rebuild`"
                ) from exc


class LocalStore(_ChromaVersions):
    """Embedded Chroma: one folder per version under `data_dir`, and a pointer file."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.where = str(data_dir)

    @property
    def pointer_path(self) -> Path:
        return self.data_dir / "published.json"

    def published(self) -> Manifest | None:
        if not self.pointer_path.exists():
            return None
        try:
            return Manifest.from_json(self.pointer_path.read_text(encoding="utf-8"))
        except Exception as exc:  # truncated, hand-edited or foreign JSON: any parse error means the same
            raise IndexCorrupt(
                f"the published pointer {self.pointer_path} cannot be read ({type(exc).__name__}: {exc}); "
                "run `kbchat ingest --rebuild`"
            ) from exc

    def publish(self, manifest: Manifest) -> None:
        write_atomic(self.pointer_path, manifest.to_json())  # readers see the old pointer or the new one

    def version_dir(self, version: str) -> Path:
        return self.data_dir / "versions" / version

    def open_collections(self, version: str) -> dict[str, Collection]:
        if not self.version_dir(version).is_dir():  # say so, rather than let Chroma create an empty one
            raise IndexMissing(
                f"index version {version} is published but its folder {self.version_dir(version)} is missing; "
                "run `kbchat ingest --rebuild`"
            )
        return super().open_collections(version)

    def client(self, version: str) -> ClientAPI:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        path = self.version_dir(version)
        path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(path), settings=ChromaSettings(anonymized_telemetry=False))

    def prune(self, keep: set[str]) -> list[str]:
        dropped = []
        root = self.data_dir / "versions"
        for path in sorted(root.iterdir()) if root.exists() else []:
            if path.name not in keep:
                shutil.rmtree(path, ignore_errors=True)
                dropped.append(path.name)
        return dropped

    def keep_version(self, manifest: Manifest) -> None:
        write_atomic(self.version_dir(manifest.version) / VERSION_MANIFEST, manifest.to_json())

    def kept_versions(self) -> list[Manifest]:
        root = self.data_dir / "versions"
        files = sorted(root.glob(f"*/{VERSION_MANIFEST}")) if root.exists() else []
        return sorted((Manifest.from_json(f.read_text(encoding="utf-8")) for f in files), key=lambda m: m.version)

    def append_change(self, line: str) -> None:
        append_line(self.data_dir / CHANGELOG, line)

    def changes(self) -> list[str]:
        path = self.data_dir / CHANGELOG
        return [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()] if path.exists() else []


class ServerStore(_ChromaVersions):
    """A Chroma server: every version's collections on one server, and a one-row pointer collection."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.where = url
        self._http: ClientAPI | None = None

    def client(self, version: str = "") -> ClientAPI:
        if self._http is None:
            from urllib.parse import urlparse

            import chromadb
            from chromadb.config import Settings as ChromaSettings

            parsed = urlparse(self.url)
            self._http = chromadb.HttpClient(
                host=parsed.hostname or "127.0.0.1",
                port=parsed.port or 8000,
                ssl=parsed.scheme == "https",
                settings=ChromaSettings(anonymized_telemetry=False),
            )
        return self._http

    def published(self) -> Manifest | None:
        with reaching(self.url):
            rows = self._manifest_collection().get(ids=[MANIFEST_ROW], include=["documents"])
        docs = rows.get("documents") or []
        return Manifest.from_json(docs[0]) if docs and docs[0] else None

    def publish(self, manifest: Manifest) -> None:
        # A single-row upsert is atomic on the server: readers get the old row or the new one.
        with reaching(self.url):
            self._put(MANIFEST_ROW, manifest.to_json())

    def prune(self, keep: set[str]) -> list[str]:
        dropped = []
        client = self.client()
        for name in _names(client):
            if name.startswith("kb-") and not any(name.startswith(f"kb-{v}-") for v in keep):
                client.delete_collection(name)
                dropped.append(name)
        gone = [m.version for m in self.kept_versions() if m.version not in keep]
        if gone:
            self._manifest_collection().delete(ids=[VERSION_ROW + v for v in gone])
        return dropped

    def keep_version(self, manifest: Manifest) -> None:
        self._put(VERSION_ROW + manifest.version, manifest.to_json())

    def kept_versions(self) -> list[Manifest]:
        return sorted((Manifest.from_json(doc) for _id, doc in self._rows(VERSION_ROW)), key=lambda m: m.version)

    def append_change(self, line: str) -> None:
        # Row ids sort in time order: a UTC timestamp to the microsecond, then the process id.
        self._put(f"{CHANGE_ROW}{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S%f}-{os.getpid()}", line)

    def changes(self) -> list[str]:
        return [doc for _id, doc in sorted(self._rows(CHANGE_ROW))]

    def _put(self, row_id: str, document: str) -> None:
        self._manifest_collection().upsert(ids=[row_id], documents=[document],
                                            embeddings=np.ones((1, 1), dtype=np.float32))

    def _rows(self, prefix: str) -> list[tuple[str, str]]:
        got = self._manifest_collection().get(include=["documents"])
        return [(i, d) for i, d in zip(got["ids"], got.get("documents") or [], strict=True)
                if i.startswith(prefix) and d]

    def _manifest_collection(self) -> Collection:
        return self.client().get_or_create_collection(MANIFEST_COLLECTION, embedding_function=None)


def open_store(settings: Settings) -> IndexStore:
    """The server store when KBCHAT_CHROMA_URL is set, else embedded Chroma under the data dir."""
    return ServerStore(settings.chroma_url) if settings.chroma_url else LocalStore(settings.data_dir)


def _unreachable(exc: BaseException) -> bool:
    import httpx

    return isinstance(exc, httpx.TransportError)


def _names(client: ClientAPI) -> list[str]:
    return [c if isinstance(c, str) else c.name for c in client.list_collections()]


def read_all(collection: Collection, include: list[str]) -> dict[str, Any]:
    """Every row of a collection (the KB is small: a few thousand rows at most)."""
    return dict(collection.get(include=include))  # type: ignore[arg-type]


@contextmanager
def ingest_lock(data_dir: Path) -> Iterator[None]:
    """One ingest at a time per data dir; a second one is refused, not queued."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "ingest.lock"
    fh = open(path, "a+", encoding="utf-8")  # noqa: SIM115  # the flock is held across the yield; closed in finally
    try:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            fh.seek(0)
            holder = fh.read().strip() or "another process"
            raise IndexLocked(
                f"another ingest is already running on {data_dir} ({holder}); "
                "wait for it to finish, then run `kbchat ingest` again"
            ) from exc
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()}")
        fh.flush()
        yield
    finally:
        fh.close()  # closing releases the flock
