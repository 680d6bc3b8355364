"""A request body: bytes in, a JSON object out, or a precise 400. Never a 500.

The caller has already bounded the size (`limits.max_body_bytes`, 413). What is checked here:

1. **UTF-8 only** (RFC 8259 §8.1; a byte order mark is tolerated). Python's decoder would also
   guess UTF-16 and UTF-32, which nothing upstream expects.
2. **Nesting is bounded before parsing** (`limits.max_json_depth`, default 64). The JSON
   decoder, our field walkers, `deepcopy` and the encoder that forwards the body all recurse
   once per level: a 100,000-deep array used to end in `RecursionError`, a 500. The depth is
   measured on the raw bytes, without recursion and in linear time, with C-speed byte
   operations only: escaped backslashes and quotes are dropped, then everything but quotes
   and brackets, then what lies between two quotes; the running sum of the brackets left is
   taken chunk by chunk, stopping at the first chunk that goes too deep. (A regex cutting out
   string literals was 10 times slower on many short strings, and could go quadratic on an
   unterminated one.)
3. **Numbers are finite**: `NaN`, `Infinity` and `1e999` (which Python reads as infinity)
   cannot be written back as JSON for the provider.
4. **Strings and keys are valid Unicode**: the escape `\\ud800` decodes to a lone UTF-16
   surrogate that Python accepts but that no detector, UTF-8 encoder or provider does (it used
   to fail detection with a 503, so SDKs retried). The error names the field, never its value.

`check_embedded` applies 2 and 4 to JSON held in a string (tool-call arguments), which the
formats parse in their turn.
"""

from __future__ import annotations

import json
import math
import re
from itertools import accumulate
from typing import Any

from proxy.errors import BadRequest, InvalidUnicode, JsonTooDeep, MalformedJson

JsonPath = tuple[str | int, ...]

DEFAULT_MAX_DEPTH = 64  # also `LimitSettings.max_json_depth`'s default

_NOT_STRUCTURE = bytes(byte for byte in range(256) if byte not in b'"[]{}')
_STEP = [0] * 256
for _byte in b"[{":
    _STEP[_byte] = 1
for _byte in b"]}":
    _STEP[_byte] = -1
_CHUNK = 1 << 16
# JSON can spell a lone surrogate only as an escape; raw UTF-8 cannot encode one.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


class _NotFinite(ValueError):
    pass


def where(path: JsonPath) -> str:
    """A field path as errors name it: `messages[0].tool_calls[1].function.name`."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def too_deep(raw: bytes, limit: int) -> bool:
    """True if JSON text nests arrays and objects more than `limit` levels deep (`{}` is one
    level). Brackets inside strings do not count; invalid JSON may be reported either way."""
    if raw.count(b"[") + raw.count(b"{") <= limit:  # cannot be deeper: the usual case
        return False
    # Escaped backslashes, then escaped quotes, go first (left to right, as JSON pairs them);
    # what is left between two quotes is inside a string.
    unescaped = raw.replace(b"\\\\", b"").replace(b'\\"', b"")
    parts = unescaped.translate(None, _NOT_STRUCTURE).split(b'"')
    brackets = b"".join(parts[::2])
    depth = 0
    for start in range(0, len(brackets), _CHUNK):
        chunk = brackets[start : start + _CHUNK]
        if max(accumulate(map(_STEP.__getitem__, chunk), initial=depth)) > limit:
            return True
        depth += chunk.count(b"[") + chunk.count(b"{") - chunk.count(b"]") - chunk.count(b"}")
    return False


def lone_surrogate(value: Any, path: JsonPath = ()) -> JsonPath | None:
    """The path of the first string or key (in document order) holding a lone surrogate, or
    None. Iterative: safe at any depth."""
    stack: list[tuple[JsonPath, Any]] = [(path, value)]
    while stack:
        where_, item = stack.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                return where_
        elif isinstance(item, dict):
            for key in item:
                if _SURROGATE.search(key):
                    return (*where_, key.encode("utf-8", "backslashreplace").decode("ascii"))
            stack.extend(((*where_, key), child) for key, child in reversed(item.items()))
        elif isinstance(item, list):
            stack.extend(((*where_, index), item[index]) for index in reversed(range(len(item))))
    return None


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise _NotFinite(text)
    return number


def _not_a_number(text: str) -> float:
    raise _NotFinite(text)


def _loads(text: str | bytes) -> Any:
    """`json.loads` refusing non-finite numbers (`_NotFinite`) and deep recursion (the
    depth is checked first; `RecursionError` is only a second line)."""
    return json.loads(text, parse_float=_finite, parse_constant=_not_a_number)


def _refuse_surrogate(found: JsonPath) -> InvalidUnicode:
    name = where(found)
    return InvalidUnicode(
        f"'{name}' is not valid Unicode: it holds a lone UTF-16 surrogate (an escape between "
        "\\ud800 and \\udfff that is not part of a pair).",
        param=name,
    )


def parse_body(raw: bytes, *, max_depth: int = DEFAULT_MAX_DEPTH) -> dict[str, Any]:
    """The request body as a JSON object, or a 400 saying precisely why not."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise MalformedJson(f"Request body is not valid UTF-8 (at byte {exc.start}).") from None
    if too_deep(raw, max_depth):
        raise JsonTooDeep(
            f"Request body is nested deeper than {max_depth} levels of arrays "
            "and objects (limits.max_json_depth)."
        )
    try:
        body = _loads(text)
    except _NotFinite:
        raise MalformedJson(
            "Request body holds a number that is not finite (NaN, Infinity or "
            "beyond the range of a double)."
        ) from None
    except RecursionError:  # not expected after the depth check
        raise JsonTooDeep(
            f"Request body is nested deeper than {max_depth} levels of arrays "
            "and objects (limits.max_json_depth)."
        ) from None
    except ValueError as exc:
        at = f" at position {exc.pos}" if isinstance(exc, json.JSONDecodeError) else ""
        raise MalformedJson(f"Request body is not valid JSON{at}.") from None
    if not isinstance(body, dict):
        raise BadRequest("Request body must be a JSON object.")
    if _SURROGATE_ESCAPE.search(raw):
        found = lone_surrogate(body)
        if found is not None:
            raise _refuse_surrogate(found)
    return body


def check_embedded(text: str, path: JsonPath, max_depth: int = DEFAULT_MAX_DEPTH) -> Any:
    """JSON text held in a string field (tool-call arguments), parsed with the body's rules;
    raises ValueError if it is not JSON (the caller then scans it as plain text)."""
    raw = text.encode("utf-8", "surrogatepass")
    if too_deep(raw, max_depth):
        raise JsonTooDeep(
            f"'{where(path)}' holds JSON nested deeper than {max_depth} levels.", param=where(path)
        )
    try:
        value = _loads(text)
    except RecursionError:
        raise JsonTooDeep(
            f"'{where(path)}' holds JSON nested deeper than {max_depth} levels.", param=where(path)
        ) from None
    if _SURROGATE_ESCAPE.search(raw):
        found = lone_surrogate(value, path)
        if found is not None:
            raise _refuse_surrogate(found)
    return value
