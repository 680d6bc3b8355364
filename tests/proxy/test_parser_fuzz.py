"""Fuzzing the request parser of every format: whatever the bytes, the answer is a Document that
can be masked and forwarded, or a VoileError with status 400 or 413. Never another exception
(an unexpected one is a 500, and a 500 makes SDKs resend).

`hypothesis` is not installed here, so a seeded mutator stands in for it: valid seed bodies
(every format, rich in fields) are mutated at random paths (wrong types, deleted and added
keys, huge and non-finite numbers, deep nesting, lone surrogates, control characters,
placeholder-looking text), serialised, sometimes damaged as bytes, and pushed through the same
steps as the relay: `parse_body`, the endpoint's `model`/`wants_stream`/`end_user`, `texts`,
then `apply` with every text replaced and the result encoded as the provider would get it.
The run is bounded in count (and so in time: a few seconds) and reproducible from its seed.
"""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from proxy.body import parse_body, too_deep
from proxy.errors import VoileError
from proxy.formats.anthropic_messages import CountTokens, Messages
from proxy.formats.base import Endpoint
from proxy.formats.openai_chat import ChatCompletions
from proxy.formats.openai_completions import Completions
from proxy.formats.openai_embeddings import Embeddings
from proxy.formats.openai_responses import Responses
from proxy.policy import Policy, PolicySpec

STRICT = Policy("default", Path("default.yaml"), "0" * 64, PolicySpec())
OPEN = Policy(
    "media",
    Path("media.yaml"),
    "0" * 64,
    PolicySpec.model_validate({"allow_unscannable": ["image", "audio", "file"]}),
)
CASES_PER_FORMAT = 1500
SCHEMA = {
    "type": "object",
    "title": "Mail",
    "description": "Send a mail to Jean Dupont",
    "properties": {
        "to": {"type": "string", "format": "email", "enum": ["a@b.fr"]},
        "cc": {"type": "array", "items": {"$ref": "#/$defs/Addr"}, "maxItems": 3},
    },
    "required": ["to"],
    "additionalProperties": False,
    "$defs": {"Addr": {"anyOf": [{"type": "string"}, {"type": "null"}]}},
}

CHAT = {
    "model": "gpt-4o-mini",
    "temperature": 0.2,
    "top_p": 1,
    "seed": 7,
    "n": 1,
    "max_completion_tokens": 64,
    "stream": True,
    "stream_options": {"include_usage": True},
    "service_tier": "auto",
    "logit_bias": {"50256": -100},
    "metadata": {"customer": "jean.dupont@orange.fr"},
    "user": "user-1",
    "stop": ["END"],
    "response_format": {
        "type": "json_schema",
        "json_schema": {"name": "mail", "schema": SCHEMA, "strict": True},
    },
    "tools": [
        {
            "type": "function",
            "function": {"name": "send_mail", "description": "Mail", "parameters": SCHEMA},
        },
        {
            "type": "custom",
            "custom": {
                "name": "sql",
                "format": {
                    "type": "grammar",
                    "grammar": {"syntax": "lark", "definition": "start: x"},
                },
            },
        },
    ],
    "tool_choice": {"type": "function", "function": {"name": "send_mail"}},
    "web_search_options": {
        "user_location": {"type": "approximate", "approximate": {"city": "Lyon"}}
    },
    "messages": [
        {"role": "system", "content": "You help Jean Dupont."},
        {"role": "developer", "content": [{"type": "text", "text": "Be brief."}]},
        {
            "role": "user",
            "name": "jean",
            "content": [
                {"type": "text", "text": "Mail jean.dupont@orange.fr"},
                {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}},
            ],
        },
        {
            "role": "assistant",
            "content": None,
            "refusal": None,
            "audio": {"id": "audio_1"},
            "tool_calls": [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {
                        "name": "send_mail",
                        "arguments": '{"to": "jean.dupont@orange.fr", "n": [1]}',
                    },
                }
            ],
        },
        {"role": "tool", "tool_call_id": "call_1", "content": "Sent to Jean Dupont."},
        {"role": "assistant", "content": "Done", "prefix": True},
    ],
}
RESPONSES = {
    "model": "gpt-5",
    "instructions": "Help Jean Dupont.",
    "store": True,
    "stream": False,
    "previous_response_id": "resp_1",
    "reasoning": {"effort": "low", "summary": "auto"},
    "text": {"format": {"type": "json_schema", "name": "m", "schema": SCHEMA}, "verbosity": "low"},
    "tools": [
        {"type": "function", "name": "send_mail", "parameters": SCHEMA},
        {"type": "web_search", "user_location": {"type": "approximate", "city": "Lyon"}},
        {
            "type": "file_search",
            "vector_store_ids": ["vs_1"],
            "filters": {
                "type": "and",
                "filters": [{"type": "eq", "key": "owner", "value": "Jean"}],
            },
        },
    ],
    "tool_choice": "auto",
    "metadata": {"k": "v"},
    "include": ["reasoning.encrypted_content"],
    "prompt": {"id": "pmpt_1", "variables": {"name": "Jean Dupont"}},
    "input": [
        {
            "role": "user",
            "content": [
                {"type": "input_text", "text": "Mail Jean Dupont"},
                {"type": "input_image", "image_url": "data:x", "detail": "auto"},
            ],
        },
        {
            "type": "message",
            "role": "assistant",
            "id": "msg_1",
            "status": "completed",
            "content": [
                {
                    "type": "output_text",
                    "text": "Sure",
                    "annotations": [
                        {
                            "type": "url_citation",
                            "url": "https://x",
                            "title": "T",
                            "start_index": 0,
                            "end_index": 1,
                        }
                    ],
                }
            ],
        },
        {
            "type": "reasoning",
            "id": "rs_1",
            "encrypted_content": "gAAA",
            "summary": [{"type": "summary_text", "text": "Jean"}],
        },
        {
            "type": "function_call",
            "id": "fc_1",
            "call_id": "call_1",
            "name": "send_mail",
            "arguments": '{"to": "jean.dupont@orange.fr"}',
        },
        {"type": "function_call_output", "call_id": "call_1", "output": "ok"},
        {"type": "item_reference", "id": "msg_0"},
    ],
}
EMBEDDINGS = {
    "model": "text-embedding-3-small",
    "input": ["Jean Dupont", "Lyon"],
    "dimensions": 256,
    "encoding_format": "float",
    "user": "u",
}
COMPLETIONS = {
    "model": "gpt-3.5-turbo-instruct",
    "prompt": ["Dear Jean Dupont,"],
    "suffix": "Regards",
    "max_tokens": 16,
    "logprobs": 2,
    "echo": False,
    "stop": "\n",
    "stream": True,
    "stream_options": {"include_usage": True},
}
MESSAGES = {
    "model": "claude-sonnet-4-5",
    "max_tokens": 64,
    "stream": True,
    "temperature": 0.5,
    "system": [
        {"type": "text", "text": "Help Jean Dupont.", "cache_control": {"type": "ephemeral"}}
    ],
    "metadata": {"user_id": "jean.dupont@orange.fr"},
    "stop_sequences": ["END"],
    "thinking": {"type": "enabled", "budget_tokens": 1024},
    "tool_choice": {"type": "tool", "name": "send_mail"},
    "tools": [
        {"name": "send_mail", "description": "Send", "input_schema": SCHEMA},
        {
            "type": "web_search_20250305",
            "name": "web_search",
            "max_uses": 2,
            "user_location": {"type": "approximate", "city": "Lyon"},
        },
    ],
    "messages": [
        {
            "role": "user",
            "content": [
                {
                    "type": "text",
                    "text": "Mail Jean Dupont",
                    "citations": [
                        {
                            "type": "char_location",
                            "cited_text": "Jean",
                            "document_index": 0,
                            "start_char_index": 0,
                            "end_char_index": 4,
                        }
                    ],
                },
                {
                    "type": "document",
                    "title": "CV",
                    "source": {"type": "text", "media_type": "text/plain", "data": "Jean Dupont"},
                },
                {
                    "type": "image",
                    "source": {"type": "base64", "media_type": "image/png", "data": "AAAA"},
                },
            ],
        },
        {
            "role": "assistant",
            "content": [
                {"type": "thinking", "thinking": "Jean", "signature": "sig"},
                {
                    "type": "tool_use",
                    "id": "toolu_1",
                    "name": "send_mail",
                    "input": {"to": "jean.dupont@orange.fr", "cc": [{"n": 1}]},
                },
            ],
        },
        {
            "role": "user",
            "content": [
                {
                    "type": "tool_result",
                    "tool_use_id": "toolu_1",
                    "is_error": False,
                    "content": [{"type": "text", "text": "Sent to Jean Dupont"}],
                },
                {
                    "type": "web_search_tool_result",
                    "tool_use_id": "srvtoolu_1",
                    "content": [
                        {
                            "type": "web_search_result",
                            "title": "T",
                            "url": "https://x",
                            "encrypted_content": "e",
                        }
                    ],
                },
            ],
        },
    ],
}
COUNT = {
    key: value
    for key, value in MESSAGES.items()
    if key not in ("max_tokens", "stream", "temperature", "metadata", "stop_sequences")
}

FORMATS: dict[str, tuple[Endpoint, dict[str, Any]]] = {
    "chat": (ChatCompletions(), CHAT),
    "responses": (Responses(), RESPONSES),
    "embeddings": (Embeddings(), EMBEDDINGS),
    "completions": (Completions(), COMPLETIONS),
    "messages": (Messages(), MESSAGES),
    "count_tokens": (CountTokens(), COUNT),
}


def _keys(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _keys(item)
    elif isinstance(value, list):
        for item in value:
            yield from _keys(item)


KEYS = sorted({key for _, seed in FORMATS.values() for key in _keys(seed)})
WEIRD: list[Any] = [
    None,
    True,
    False,
    0,
    -1,
    1,
    2**63,
    -(2**63) - 1,
    10**40,
    1.5,
    -0.0,
    1e308,
    "",
    " ",
    "x",
    "Jean Dupont",
    "jean.dupont@orange.fr",
    "\ud800",
    "a\udfffb",
    "\u0000\u0001\u001f",
    "Jo\u0001hn Smith",
    "\u202e\u200b",
    "<PERSON_abcdef>",
    "<PERSON_",
    "call_1",
    "text",
    "function",
    "user",
    "assistant",
    "tool_use",
    "json_schema",
    "auto",
    "😀" * 3,
    "x" * 300,
    [],
    [None],
    ["x"],
    [1, 2],
    [[1]],
    {},
    {"type": "text"},
    {"type": "text", "text": "t"},
    {"\ud800": 1},
    {"": ""},
    {"type": None},
    {"a": {"b": {"c": []}}},
]


def _paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*path, index))


def _get(value: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        value = value[part]
    return value


def _deep(depth: int) -> Any:
    value: Any = "leaf"
    for level in range(depth):
        value = [value] if level % 2 else {"k": value}
    return value


TEXTS = [
    "Jean Dupont",
    "Jo\u0001hn Smith",
    "FR76\u00003000 6000 0112 3456 7890 189",
    "<PERSON_abcdef>",
    "\u202e\u200b",
    "😀",
    "",
    "x" * 300,
    "call_1",
    "\x85\u2028",
    # JSON text, for the fields that hold some (tool-call arguments)
    "[" * 5000 + "]" * 5000,
    '{"a": "\\ud800"}',
    '{"a": NaN, "b": 1e999}',
    '{"\u0000": 1}',
    '{"to": "jean.dupont@orange.fr", "n": [1, {"x": null}]}',
    "[1, 2",
    "null",
]


def _mild(body: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """A change a valid request could make: other text, a key less, an item more."""
    body = copy.deepcopy(body)
    path = rng.choice(list(_paths(body))[1:])
    target, parent = _get(body, path), _get(body, path[:-1])
    if isinstance(target, str):
        parent[path[-1]] = rng.choice(TEXTS)
    elif isinstance(parent, dict) and path[-1] not in ("messages", "input", "model"):
        del parent[path[-1]]
    elif isinstance(target, list) and target:
        target.append(copy.deepcopy(rng.choice(target)))
    return body


def _mutate(body: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    if rng.random() < 0.4:
        return _mild(body, rng)
    body = copy.deepcopy(body)
    for _ in range(rng.randint(1, 3)):
        path = rng.choice(list(_paths(body)))
        target = _get(body, path)
        parent: Any = _get(body, path[:-1]) if path else None
        choice = rng.random()
        if choice < 0.45 and path:
            parent[path[-1]] = copy.deepcopy(rng.choice(WEIRD))
        elif choice < 0.55 and path and isinstance(parent, dict):
            del parent[path[-1]]
        elif choice < 0.7 and isinstance(target, dict):
            target[rng.choice([*KEYS, "surprise", "\ud800"])] = copy.deepcopy(rng.choice(WEIRD))
        elif choice < 0.78 and path:
            parent[path[-1]] = [target] if rng.random() < 0.5 else {"value": target}
        elif choice < 0.84 and path:
            parent[path[-1]] = _deep(rng.choice([10, 63, 70, 300]))
        elif choice < 0.92 and isinstance(target, list) and target:
            target.append(copy.deepcopy(rng.choice(target)))
        elif isinstance(target, str) and path:
            cut = rng.randint(0, len(target))
            parent[path[-1]] = target[:cut] + rng.choice(
                ["\ud83d", "\x00", "\x85", "\u2028", "<", "\\u0000", '"']
            )
    return body


def _damage(raw: bytes, rng: random.Random) -> bytes:
    choice = rng.random()
    if choice < 0.25:
        return raw[: rng.randint(0, len(raw))]
    if choice < 0.5:
        at = rng.randint(0, len(raw))
        return (
            raw[:at]
            + rng.choice(
                [
                    b"\xff",
                    b"\xc3",
                    b"[" * 100_000,
                    b"NaN",
                    b"1e999",
                    b'"\\ud800"',
                    b"\x00",
                    b"{",
                    b"]",
                    b"\\",
                ]
            )
            + raw[at:]
        )
    if choice < 0.75:
        return raw.replace(b'"', b"'", 1)
    return b"[" * rng.randint(60, 200_000) + raw + b"]" * rng.randint(0, 10)


def _cases(name: str, rng: random.Random) -> Iterator[bytes]:
    _, seed = FORMATS[name]
    yield json.dumps(seed).encode()
    for _ in range(CASES_PER_FORMAT):
        raw = json.dumps(_mutate(seed, rng)).encode()
        yield _damage(raw, rng) if rng.random() < 0.15 else raw


def _run(endpoint: Endpoint, raw: bytes, policy: Policy) -> str:
    """One request through the relay's parsing steps: 'ok', or the refusal's code."""
    try:
        body = parse_body(raw, max_depth=64)
        endpoint.model(body)
        endpoint.wants_stream(body)
        endpoint.end_user(body, {}, "x-voile-end-user")
        endpoint.conversation_refs(body)
        document = endpoint.texts(body, policy)
        texts = document.texts
        assert all(isinstance(text, str) and text for text in texts)
        for text in texts:
            text.encode("utf-8")  # no lone surrogate reaches detection
        masked = document.apply([f"<PERSON_{index}>" for index in range(len(texts))])
        json.dumps(masked, ensure_ascii=False, allow_nan=False).encode("utf-8")
    except VoileError as error:
        refusal = error
    else:
        return "ok"
    assert refusal.status in (400, 413), (refusal.status, refusal.code)
    return refusal.code


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_every_seed_is_a_valid_request(name: str) -> None:
    endpoint, seed = FORMATS[name]
    assert _run(endpoint, json.dumps(seed).encode(), OPEN) == "ok"


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_no_input_yields_anything_but_a_document_or_a_400(name: str) -> None:
    endpoint, _ = FORMATS[name]
    rng = random.Random(f"voile-fuzz-{name}")
    outcomes: dict[str, int] = {}
    for index, raw in enumerate(_cases(name, rng)):
        policy = OPEN if index % 2 else STRICT
        try:
            outcome = _run(endpoint, raw, policy)
        except Exception as exc:  # the failure message carries the input, to reproduce it
            raise AssertionError(
                f"{name} case {index}: {type(exc).__name__}: {exc}\n{raw[:2000]!r}"
            ) from exc
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    # The mutator reaches both outcomes and the refusals this issue is about.
    assert outcomes.get("ok", 0) > 20, outcomes
    assert {"unsupported_field", "invalid_json", "json_too_deep"} <= set(outcomes), outcomes


@pytest.mark.parametrize("depth", [64, 65, 1000, 100_000])
def test_nesting_beyond_the_limit_is_a_400_at_any_depth(depth: int) -> None:
    raw = b'{"a": ' + b"[" * (depth - 1) + b"]" * (depth - 1) + b"}"
    if depth <= 64:
        assert parse_body(raw) == {"a": _nested_list(depth - 1)}
        return
    with pytest.raises(VoileError) as caught:
        parse_body(raw)
    assert (caught.value.status, caught.value.code) == (400, "json_too_deep")


def _nested_list(depth: int) -> Any:
    value: Any = []
    for _ in range(depth - 1):
        value = [value]
    return value


@pytest.mark.parametrize(
    ("raw", "deep"),
    [
        (b'{"a": "[[[[[[[[[[[[[[["}', False),  # brackets inside strings do not count
        (b'{"a": "\\"[[[[[[[[[[[[[[[["}', False),  # nor after an escaped quote
        (
            b'{"a": "\\\\", "b": [[[[[[[[[[[[]]]]]]]]]]]]}',
            True,
        ),  # an escaped backslash ends no string
        (b"[" * 11, True),  # unterminated: reported either way, here as too deep
        (b'"' + b'\\"[' * 50_000 + b"\\", False),  # no closing quote: still linear
    ],
)
def test_depth_scan_ignores_strings(raw: bytes, deep: bool) -> None:
    assert too_deep(raw, 10) is deep


@pytest.mark.parametrize(
    ("raw", "code", "param"),
    [
        (b'{"messages": [{"content": "Jo\\ud800hn"}]}', "invalid_unicode", "messages[0].content"),
        (b'{"a": {"\\udfff": 1}}', "invalid_unicode", "a.\\udfff"),
        (b'{"a": "\\ud83d\\ude00"}', None, None),  # a pair is one character: fine
        (b'{"a": "\\\\ud800"}', None, None),  # an escaped backslash, then text
        (b'{"a": NaN}', "invalid_json", None),
        (b'{"a": 1e999}', "invalid_json", None),
        (b'{"a": -Infinity}', "invalid_json", None),
        (b'{"a": 1}\xff', "invalid_json", None),
        (b'\xef\xbb\xbf{"a": 1}', None, None),  # a UTF-8 byte order mark is tolerated
        ('{"a": 1}'.encode("utf-16"), "invalid_json", None),
        (b"[]", "invalid_request", None),
    ],
)
def test_body_rules(raw: bytes, code: str | None, param: str | None) -> None:
    if code is None:
        assert isinstance(parse_body(raw), dict)
        return
    with pytest.raises(VoileError) as caught:
        parse_body(raw)
    assert (caught.value.status, caught.value.code, caught.value.param) == (400, code, param)
