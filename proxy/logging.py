"""Structured JSON logs with one canonical line per request.

Only types, counts, ids, statuses and durations are ever logged. Nothing in this module
accepts a request body, a header value or an exception message from a detector: callers pass
named, typed fields, and tests plant canary values to check the whole output.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import MutableMapping
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
    # Other libraries log through the standard library. Their DEBUG and INFO records can
    # quote payloads (HTTP clients, Presidio), so only their warnings and errors get through,
    # rendered as the same JSON lines and without local variables in tracebacks.
    handler = logging.StreamHandler(stream or sys.stdout)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.JSONRenderer(),
            ],
            foreign_pre_chain=[
                structlog.stdlib.add_log_level,
                structlog.stdlib.add_logger_name,
                structlog.processors.TimeStamper(fmt="iso", utc=True),
                _exception_type_only,
            ],
        )
    )
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(max(numeric, logging.WARNING))


def _exception_type_only(
    _: Any, __: str, event: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """A library's exception message or traceback may quote request data: keep its type."""
    exc_info = event.pop("exc_info", None)
    if exc_info:
        error = exc_info[1] if isinstance(exc_info, tuple) else sys.exc_info()[1]
        if error is not None:
            event["error_type"] = type(error).__name__
    return event


def get_logger(name: str) -> Any:
    return structlog.get_logger(name)
