"""The text slots of a request body: values and keys of embedded JSON, written back exactly."""

from __future__ import annotations

import json

from proxy.formats.document import Document


def test_json_arguments_mask_keys_and_values_and_stay_valid_json() -> None:
    arguments = json.dumps({"jean@x.fr": {"note": "call Jean", "jean@x.fr": 1}, "n": [1, "Jean"]})
    doc = Document({"args": arguments, "other": "untouched"})
    doc.add_json_text(("args",), arguments)
    assert doc.texts == ["jean@x.fr", "note", "call Jean", "jean@x.fr", "n", "Jean"]
    masked = doc.apply(["<E>", "note", "call <P>", "<E>", "n", "<P>"])
    assert json.loads(masked["args"]) == {"<E>": {"note": "call <P>", "<E>": 1}, "n": [1, "<P>"]}
    assert masked["other"] == "untouched"


def test_unchanged_json_keeps_its_original_text() -> None:
    arguments = '{ "city" :  "Paris" }'
    doc = Document({"args": arguments})
    doc.add_json_text(("args",), arguments)
    assert doc.apply(doc.texts)["args"] == arguments


def test_key_order_is_kept_when_renaming() -> None:
    meta = {"a": "1", "secret@x.fr": "2", "z": "3"}
    doc = Document({"meta": meta})
    doc.add_strings(("meta",), meta)
    masked = doc.apply(["a", "1", "<E>", "2", "z", "3"])
    assert list(masked["meta"]) == ["a", "<E>", "z"]


def test_text_that_is_not_json_is_scanned_whole() -> None:
    doc = Document({"args": "{not json"})
    doc.add_json_text(("args",), "{not json")
    assert doc.texts == ["{not json"]
    assert doc.apply(["{masked"])["args"] == "{masked"
