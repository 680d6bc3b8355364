"""A request body with a list of the text slots in it, to mask and write back.

Wire formats walk their JSON and register each text with `add_text` (plain text) or
`add_json_text` (a string holding JSON, such as tool-call arguments, whose string leaves are
scanned one by one so that detection sees values and not JSON punctuation, and so the result is
still valid JSON after masking). `apply` writes the masked texts back into a copy of the body.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from typing import Any

from proxy.body import check_embedded
from proxy.policy import Part


@dataclass(frozen=True)
class _Key:
    """A path step naming a dict *key* as the text: maps keyed by personal data (an e-mail
    address as a key of tool arguments) are masked like values."""

    name: str


JsonPath = tuple[str | int, ...]
_SlotPath = tuple[str | int | _Key, ...]


@dataclass
class _EmbeddedJson:
    """Stands in the body copy for a JSON string while its leaves are being masked."""

    value: Any
    original: str
    changed: bool = False


def _walk_strings(value: Any, path: _SlotPath) -> list[tuple[_SlotPath, str]]:
    if isinstance(value, str):
        return [(path, value)]
    if isinstance(value, dict):
        leaves: list[tuple[_SlotPath, str]] = []
        for key, item in value.items():
            if isinstance(key, str) and key:
                leaves.append(((*path, _Key(key)), key))
            leaves.extend(_walk_strings(item, (*path, key)))
        return leaves
    if isinstance(value, list):
        return [leaf for i, item in enumerate(value) for leaf in _walk_strings(item, (*path, i))]
    return []


class Document:
    """Each text is filed under the `Part` of the request it is in (system prompt, tool
    result…), which a policy's `scope` selects for detection."""

    def __init__(self, body: dict[str, Any]) -> None:
        self.body = copy.deepcopy(body)
        self._slots: list[tuple[_SlotPath, str]] = []
        self._parts: list[Part] = []
        self._embedded: list[tuple[JsonPath, _EmbeddedJson]] = []

    def add_text(self, path: _SlotPath, text: str, part: Part = Part.OTHER) -> None:
        if text:
            self._slots.append((path, text))
            self._parts.append(part)

    def add_json_text(self, path: JsonPath, raw: str, part: Part = Part.OTHER) -> None:
        """Scan the string leaves of JSON text; text that is not JSON is scanned as a whole.
        JSON nested too deep or holding a lone surrogate is refused, as in a body."""
        try:
            parsed = check_embedded(raw, path)
        except ValueError:
            self.add_text(path, raw, part)
            return
        if isinstance(parsed, str):
            self.add_text(path, raw, part)
            return
        holder = _EmbeddedJson(parsed, raw)
        self._set(path, holder)
        self._embedded.append((path, holder))
        for leaf_path, text in _walk_strings(parsed, ()):
            self.add_text((*path, *leaf_path), text, part)

    def add_key(self, path: JsonPath, key: str, part: Part = Part.OTHER) -> None:
        """The key `key` of the object at `path`, as a text (renamed if masked)."""
        self.add_text((*path, _Key(key)), key, part)

    def add_strings(self, path: JsonPath, value: Any, part: Part = Part.OTHER) -> None:
        """Every string inside an arbitrary JSON value (metadata maps, nested objects)."""
        for leaf_path, text in _walk_strings(value, path):
            self.add_text(leaf_path, text, part)

    @property
    def texts(self) -> list[str]:
        return [text for _, text in self._slots]

    @property
    def parts(self) -> list[Part]:
        """The part of the request each text is in, in the order of `texts`."""
        return list(self._parts)

    def apply(self, masked: list[str]) -> dict[str, Any]:
        """The body with each slot replaced; embedded JSON re-serialised only if it changed."""
        if len(masked) != len(self._slots):
            raise ValueError("one masked text per slot is required")
        changes = [
            (path, text)
            for (path, original), text in zip(self._slots, masked, strict=True)
            if text != original
        ]
        # Values first, then keys deepest first: every path still names the keys it was
        # recorded with when it is followed.
        for path, text in changes:
            if not isinstance(path[-1], _Key):
                self._set(path, text)
        for path, text in sorted(changes, key=lambda change: -len(change[0])):
            if isinstance(path[-1], _Key):
                self._rename(path, text)
        for path, holder in reversed(self._embedded):
            text = (
                json.dumps(holder.value, ensure_ascii=False, separators=(",", ":"))
                if holder.changed
                else holder.original
            )
            self._set(path, text)
        return self.body

    def _parent(self, path: _SlotPath) -> Any:
        target: Any = self.body
        for part in path[:-1]:
            target = target[part]
            if isinstance(target, _EmbeddedJson):
                target.changed = True  # only reached when a leaf inside it is rewritten
                target = target.value
        return target

    def _set(self, path: _SlotPath, value: Any) -> None:
        self._parent(path)[path[-1]] = value

    def _rename(self, path: _SlotPath, new_key: str) -> None:
        """Rename a key in place, keeping the order of the others (two keys masking to the
        same text keep the later value, as JSON parsers do with duplicate keys)."""
        target: dict[str, Any] = self._parent(path)
        old_key = path[-1].name if isinstance(path[-1], _Key) else str(path[-1])
        items = [(new_key if key == old_key else key, value) for key, value in target.items()]
        target.clear()
        target.update(items)
