"""Exceptions in logs without their messages: a message may quote what the user typed.

A validation error repeats its input, a chat-model provider echoes the prompt, a decode error shows
the bytes. So by default a logged exception keeps its type and its stack (file, line, function and
the source line: code, not data) and drops every message in its chain. `KBCHAT_LOG_MESSAGE_TEXT=true`
keeps them, for debugging only.
"""

from __future__ import annotations

import logging
import traceback

WITHHELD = "(message withheld: it may contain user text; KBCHAT_LOG_MESSAGE_TEXT=true shows it)"


def redacted(exc: BaseException) -> str:
    """The exception chain, oldest first, as stacks and type names only."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and all(current is not seen for seen in chain):
        chain.append(current)
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
    parts = [
        "Traceback (most recent call last):\n" + "".join(traceback.format_tb(e.__traceback__))
        + f"{type(e).__module__}.{type(e).__qualname__}: {WITHHELD}\n"
        for e in reversed(chain)
    ]
    return "\nThe above exception led to:\n\n".join(parts)


def describe(exc: BaseException, keep_text: bool) -> str:
    """The traceback to log: whole when `keep_text` (debugging), else `redacted`."""
    if keep_text:
        return "".join(traceback.format_exception(exc))
    return redacted(exc)


class WithholdExceptionText(logging.Filter):
    """Rewrites a record that carries an exception so its messages are withheld (for loggers we do
    not write to ourselves, such as uvicorn's error log)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None:
            record.msg = f"{record.getMessage()}\n{redacted(record.exc_info[1])}"
            record.args = None
            record.exc_info = None
            record.exc_text = None
        return True


def withhold_in(logger_name: str) -> None:
    """Install the filter once on a logger."""
    logger = logging.getLogger(logger_name)
    if not any(isinstance(f, WithholdExceptionText) for f in logger.filters):
        logger.addFilter(WithholdExceptionText())
