"""Structured JSON logs with one canonical line per request.

Only types, counts, ids, statuses and durations are ever logged. Nothing in this module
accepts a request body, a header value or an exception message from a detector: callers pass
named, typed fields, and tests plant canary values to check the whole output.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

import structlog


def configure_logging(level: str = "info", stream: Any = None) -> None:
    """JSON lines on stdout (or `stream`). Called once by the CLI; tests call it again with
    their own stream to read every line that was written."""
    numeric = logging.getLevelName(level.upper())
    if not isinstance(numeric, int):
        numeric = logging.INFO
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.dict_tracebacks,
            structlog.processors.JSONRenderer(),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(numeric),
        logger_factory=structlog.PrintLoggerFactory(stream or sys.stdout),
        cache_logger_on_first_use=False,
    )
    # aiohttp's access log repeats the canonical line without its fields; silence it, and
    # route the standard library's warnings through the same level.
    logging.basicConfig(level=numeric, stream=stream or sys.stderr, force=True)
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)


def get_logger(name: str) -> Any:
    return structlog.get_logger(name)
