"""OpenAI Embeddings: the input texts are masked before they leave; nothing comes back to restore.

The answer is vectors. Only error bodies can quote the (masked) input, so they are restored;
the `data` array is passed as is (walking millions of floats to find no placeholder would only
cost time). Token-id arrays are refused: ids cannot be scanned without the provider's
tokenizer, and decoding them here would mean guessing which one it uses.
"""

from __future__ import annotations

from typing import Any

from proxy.errors import BadRequest, UnscannableContent
from proxy.formats.base import Endpoint, RestoreCount, Usage, restore_json
from proxy.formats.document import Document, JsonPath
from proxy.formats.openai_chat import _unknown, _where, openai_usage
from proxy.policy import Policy
from proxy.restore import Lookup

_PASSTHROUGH = frozenset({"model", "dimensions", "encoding_format"})
_SCANNED = frozenset({"input", "user"})


def text_inputs(doc: Document, key: str, value: Any, *, required: bool) -> None:
    """A string or an array of strings (embeddings `input`, completions `prompt`); token ids
    (an array of integers, or of such arrays) are refused."""
    if isinstance(value, str):
        doc.add_text((key,), value)
        return
    if value is None:
        if required:
            raise BadRequest(f"'{key}' must be a string or an array of strings.", param=key)
        return
    if not isinstance(value, list):
        raise _unknown((key,), f"{key} type")
    for index, item in enumerate(value):
        path: JsonPath = (key, index)
        if isinstance(item, str):
            doc.add_text(path, item)
        elif isinstance(item, int | list):
            raise UnscannableContent(
                f"'{_where(path)}' holds token ids, which Voile cannot scan for personal data; "
                "send the text itself instead.",
                param=_where(path),
            )
        else:
            raise _unknown(path, f"{key} item")


def embeddings_request_texts(body: dict[str, Any], policy: Policy) -> Document:
    extra = set(body) - _PASSTHROUGH - _SCANNED
    if extra:
        raise _unknown((sorted(extra)[0],))
    doc = Document(body)
    text_inputs(doc, "input", body.get("input"), required=True)
    if body.get("user") is not None:
        if not isinstance(body["user"], str):
            raise _unknown(("user",), "user type")
        doc.add_text(("user",), body["user"])
    return doc


class Embeddings(Endpoint):
    name = "embeddings"

    def texts(self, body: dict[str, Any], policy: Policy) -> Document:
        return embeddings_request_texts(body, policy)

    def restore(self, body: Any, lookup: Lookup, count: RestoreCount) -> Any:
        if isinstance(body, dict) and isinstance(body.get("data"), list):
            rest = restore_json({k: v for k, v in body.items() if k != "data"}, lookup, count)
            return {k: body[k] if k == "data" else rest[k] for k in body}
        return restore_json(body, lookup, count)

    def usage(self, body: Any) -> Usage:
        return openai_usage(body)
