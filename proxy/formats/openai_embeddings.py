"""OpenAI Embeddings: the input texts are masked before they leave; nothing comes back to restore.

The answer is vectors. Only error bodies can quote the (masked) input, so they are restored;
the `data` array is passed as is (walking millions of floats to find no placeholder would only
cost time). Token-id arrays are refused: ids cannot be scanned without the provider's
tokenizer, and decoding them here would mean guessing which one it uses.
"""

from __future__ import annotations

from typing import Any

from proxy.body import where
from proxy.errors import BadRequest, UnscannableContent
from proxy.formats.base import Endpoint, RestoreCount, Usage, restore_json
from proxy.formats.document import Document, JsonPath
from proxy.formats.fields import TEXT, Fields, Scan, enum, integer, invalid
from proxy.formats.openai_chat import MODEL, openai_usage, request_texts
from proxy.policy import Policy
from proxy.restore import Lookup


def TEXT_INPUT(scan: Scan, path: JsonPath, value: Any) -> None:
    """A string or an array of strings (embeddings `input`, completions `prompt`); token ids
    (an array of integers, or of such arrays) are refused."""
    if isinstance(value, str):
        scan.doc.add_text(path, value)
        return
    if not isinstance(value, list):
        raise invalid(path, "a string or an array of strings")
    for index, item in enumerate(value):
        item_path: JsonPath = (*path, index)
        if isinstance(item, str):
            scan.doc.add_text(item_path, item)
        elif isinstance(item, int | list) and not isinstance(item, bool):
            raise UnscannableContent(
                f"'{where(item_path)}' holds token ids, which Voile cannot scan for personal "
                "data; send the text itself instead.",
                param=where(item_path),
            )
        else:
            raise invalid(item_path, "a string")


EMBEDDINGS_FIELDS: Fields = {
    "model": MODEL,
    "input": TEXT_INPUT,
    "dimensions": integer(1, 1 << 16),
    "encoding_format": enum("float", "base64"),
    "user": TEXT,
}


def embeddings_request_texts(body: dict[str, Any], policy: Policy) -> Document:
    if body.get("input") is None:
        raise BadRequest("'input' must be a string or an array of strings.", param="input")
    return request_texts(body, policy, EMBEDDINGS_FIELDS)


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
