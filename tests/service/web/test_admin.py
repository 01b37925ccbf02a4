"""Admin endpoints behind KBCHAT_ADMIN_TOKEN: disabled without one, 401/403 without the right one."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kbchat import bootstrap
from kbchat.core.embedder import Embedder
from kbchat.service.web.api import create_app
from tests.helpers import STUDY_FRONT, copy_kb, settings_for, write_entry

TOKEN = "s3cret-admin-token"


@pytest.fixture
def admin(tmp_path: Path, embedder: Embedder) -> Iterator[tuple[TestClient, Path]]:
    """The real app with an admin token, on its own index (the test publishes a new version)."""
    kb = copy_kb(tmp_path)
    settings = settings_for(kb, tmp_path / "data", admin_token=TOKEN)
    bootstrap.publish(settings, embedder)
    engine = bootstrap.build(settings, embedder)
    with TestClient(create_app(settings, lambda: engine), raise_server_exceptions=False) as client:
        yield client, kb
    engine.queries.close()


def test_without_a_configured_token_admin_endpoints_are_disabled(client: TestClient) -> None:
    response = client.post("/admin/reload", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 403
    assert "disabled" in response.json()["detail"] and "KBCHAT_ADMIN_TOKEN" in response.json()["detail"]


def test_a_missing_or_wrong_token_is_refused(admin: tuple[TestClient, Path]) -> None:
    client, _kb = admin
    missing = client.post("/admin/reload")
    assert missing.status_code == 401 and missing.headers["WWW-Authenticate"] == "Bearer"
    assert "Authorization: Bearer" in missing.json()["detail"]
    assert client.post("/admin/reload", headers={"Authorization": "Basic " + TOKEN}).status_code == 401
    wrong = client.post("/admin/reload", headers={"Authorization": "Bearer not-the-token"})
    assert wrong.status_code == 403 and wrong.json()["detail"] == "the admin token is wrong"


def test_reload_with_the_token_switches_to_a_newly_published_index(
    admin: tuple[TestClient, Path], embedder: Embedder, tmp_path: Path
) -> None:
    client, kb = admin
    auth = {"Authorization": f"Bearer {TOKEN}"}
    before = client.get("/readyz").json()["index_version"]
    unchanged = client.post("/admin/reload", headers=auth)
    assert unchanged.status_code == 200 and unchanged.json() == {"reloaded": False, "index_version": before}
    write_entry(kb, "studies", "new-study", STUDY_FRONT.format(id="new-study"),
                "In a new test survey, 40% reported calm.")
    published = bootstrap.publish(settings_for(kb, tmp_path / "data"), embedder)
    assert client.get("/readyz").json()["index_version"] == before, "no background reloads in tests"
    reloaded = client.post("/admin/reload", headers=auth).json()
    assert reloaded == {"reloaded": True, "index_version": published.version}
    assert client.get("/readyz").json()["index_version"] == published.version


def test_a_published_index_that_cannot_be_loaded_is_refused_and_the_old_one_kept(
    admin: tuple[TestClient, Path], embedder: Embedder, tmp_path: Path
) -> None:
    client, kb = admin
    auth = {"Authorization": f"Bearer {TOKEN}"}
    before = client.get("/readyz").json()["index_version"]
    write_entry(kb, "studies", "new-study", STUDY_FRONT.format(id="new-study"),
                "In a new test survey, 40% reported calm.")
    published = bootstrap.publish(settings_for(kb, tmp_path / "data"), embedder)
    shutil.rmtree(tmp_path / "data" / "versions" / published.version)
    refused = client.post("/admin/reload", headers=auth)
    assert refused.status_code == 409
    assert "is missing" in refused.json()["detail"] and f"still serving {before}" in refused.json()["detail"]
    assert client.post("/api/chat", json={"messages": [{"role": "user", "content": "What is kratom?"}]}).json()[
        "index_version"] == before
