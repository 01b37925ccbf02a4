"""FastAPI dependencies the route modules share."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from kbchat.service.answer.engine import Engine


def get_engine(request: Request) -> Engine:
    """The engine the lifespan built (service/web/api.py)."""
    return request.app.state.engine  # type: ignore[no-any-return]


EngineDep = Annotated[Engine, Depends(get_engine)]
