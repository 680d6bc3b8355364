"""Request paths and query strings as validated parts, and upstream URLs built only from them.

A caller's path is hostile: `/openai/v1/models/..%2F..%2Fv1%2Ffiles` once reached the
provider as `GET /v1/files` *with the injected provider key*. So no caller text is ever
spliced into an upstream URL. Instead:

1. The raw (still percent-encoded) path is split on `/`. Each segment is decoded exactly once
   and must then be a plain name (`SEGMENT`): no `/`, `\\`, `?`, `#`, `%` (so a double
   encoding like `%252F` is refused, not decoded twice), no space or control character, and
   not `.` or `..`. Empty segments (`//`, a trailing `/`) are refused too.
2. The wire format maps the segments to a `Route`, whose upstream path is made of its own
   constants and segments that passed step 1.
3. The query string is parsed into pairs; each name must be one the route takes and each
   value must match that parameter's grammar. A name may appear once, unless it ends in `[]`
   (an array in the SDKs' brackets format: `include[]=a&include[]=b`). The upstream query is
   rebuilt from those pairs.
4. `upstream_url` percent-encodes each segment again and hands yarl an already-encoded URL, so
   nothing downstream re-interprets it.

What logs and the audit trail record of a path is the route's *template*
(`/v1/models/{model}`), never the caller's text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, quote, unquote

from yarl import URL

from proxy.errors import InvalidPath, UnsupportedQuery

if TYPE_CHECKING:
    from proxy.formats.base import Endpoint

# A path segment after decoding: letters, digits and the unreserved/sub-delimiter characters
# that ids use (`ft:gpt-4o:org:id`, `claude-3-5-sonnet-20241022`, `llama3:8b`, `gpt-4o@v2`).
SEGMENT = re.compile(r"[A-Za-z0-9._~:@+=-]{1,256}")
MAX_SEGMENTS = 16
MAX_QUERY_PARAMETERS = 16

# Grammars for query values; a route names which parameters it takes and with which grammar.
ID_VALUE = re.compile(r"[A-Za-z0-9._:-]{1,256}")
INT_VALUE = re.compile(r"[0-9]{1,6}")
BOOL_VALUE = re.compile(r"true|false")
API_VERSION = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(-preview)?|v1|latest|preview")


@dataclass(frozen=True)
class Route:
    """Where a request goes, decided from validated segments only.

    `template` is the route as logs and the audit trail record it; `upstream` the path below
    the provider's base URL (constants and validated segments); `query` the parameters the
    route accepts, with their grammars; `model` a model id taken from the path, if any.
    """

    endpoint: Endpoint
    template: str
    upstream: tuple[str, ...]
    query: Mapping[str, re.Pattern[str]] = field(default_factory=dict)
    model: str | None = None


def path_segments(raw_path: str) -> tuple[str, ...]:
    """The validated, decoded segments of a raw (percent-encoded) request path."""
    if not raw_path.startswith("/"):
        raise InvalidPath("The request path must start with '/'.")
    parts = raw_path[1:].split("/")
    if len(parts) > MAX_SEGMENTS:
        raise InvalidPath(f"The request path has more than {MAX_SEGMENTS} segments.")
    segments = []
    for position, raw in enumerate(parts, start=1):
        try:
            decoded = unquote(raw, errors="strict")
        except UnicodeDecodeError:
            decoded = ""
        if not SEGMENT.fullmatch(decoded) or decoded in (".", ".."):
            # The segment itself is not echoed: it is caller text of unknown content.
            raise InvalidPath(
                f"Path segment {position} is not a plain name (letters, digits and . _ ~ : @ "
                "+ = -; no '..', no encoded '/', '?', '#' or '%', no control characters).",
            )
        segments.append(decoded)
    return tuple(segments)


def query_pairs(
    raw_query: str, accepted: Mapping[str, re.Pattern[str]]
) -> tuple[tuple[str, str], ...]:
    """The query's pairs, each name accepted by the route and each value in its grammar."""
    if not raw_query:
        return ()
    try:
        pairs = parse_qsl(
            raw_query,
            keep_blank_values=True,
            strict_parsing=True,
            max_num_fields=MAX_QUERY_PARAMETERS,
            errors="strict",
        )
    except (ValueError, UnicodeDecodeError):
        raise UnsupportedQuery("The query string could not be parsed.") from None
    seen: set[str] = set()
    for name, value in pairs:
        grammar = accepted.get(name)
        if grammar is None:
            named = f" '{name}'" if ID_VALUE.fullmatch(name) else ""
            raise UnsupportedQuery(
                f"Query parameter{named} is not accepted on this route"
                + (f" (accepted: {', '.join(sorted(accepted))})." if accepted else "."),
                param=name if named else None,
            )
        if name in seen and not name.endswith("[]"):
            raise UnsupportedQuery(f"Query parameter '{name}' is repeated.", param=name)
        if not grammar.fullmatch(value):
            raise UnsupportedQuery(
                f"Query parameter '{name}' has a value outside its grammar.", param=name
            )
        seen.add(name)
    return tuple(pairs)


def upstream_url(base_url: str, segments: Sequence[str], query: Sequence[tuple[str, str]]) -> URL:
    """`base_url` (operator configuration) + validated segments + validated query pairs."""
    for segment in segments:  # defence in depth: callers pass only validated segments
        if not SEGMENT.fullmatch(segment) or segment in (".", ".."):
            raise InvalidPath("Refusing to build an upstream URL from an invalid segment.")
    path = "/".join(quote(segment, safe="") for segment in segments)
    url = URL(f"{base_url.rstrip('/')}/{path}", encoded=True)
    return url.with_query(list(query)) if query else url
