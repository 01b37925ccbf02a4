"""Admin endpoints: anything that changes the running service, behind `KBCHAT_ADMIN_TOKEN`.

No token configured means no admin endpoints (403 that says how to enable them); a request
without `Authorization: Bearer <token>` gets 401, a wrong token 403.
"""

from __future__ import annotations

import hmac
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, HTTPException, Request

from kbchat.ingest.index.store import IndexProblem, IndexUnavailable
from kbchat.service.web.deps import EngineDep

ADMIN_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"description": "No `Authorization: Bearer <token>` header."},
    403: {"description": "Wrong token, or admin endpoints disabled (no KBCHAT_ADMIN_TOKEN)."},
}


def require_admin(request: Request, authorization: Annotated[str | None, Header()] = None) -> None:
    token = request.app.state.settings.admin_token
    if token is None:
        raise HTTPException(403, "admin endpoints are disabled: set KBCHAT_ADMIN_TOKEN to enable them")
    scheme, _, given = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise HTTPException(401, "this admin endpoint needs the header 'Authorization: Bearer <KBCHAT_ADMIN_TOKEN>'",
                            headers={"WWW-Authenticate": "Bearer"})
    if not hmac.compare_digest(given.strip().encode(), token.get_secret_value().encode()):
        raise HTTPException(403, "the admin token is wrong")


def router() -> APIRouter:
    admin = APIRouter(prefix="/admin", tags=["admin"], dependencies=[Depends(require_admin)],
                      responses=ADMIN_RESPONSES)

    @admin.post("/reload", responses={409: {"description": "The published index cannot be loaded."}})
    def reload(engine: EngineDep) -> dict[str, Any]:
        """Load the newly published index now instead of at the next reload check. With several
        workers only the worker that answers reloads; the others follow within KBCHAT_RELOAD_INTERVAL_S."""
        try:
            changed = engine.holder.refresh()
        except IndexUnavailable:
            raise
        except IndexProblem as exc:
            raise HTTPException(409, f"{exc}; still serving {engine.index.version}") from exc
        return {"reloaded": changed, "index_version": engine.index.version}

    return admin
