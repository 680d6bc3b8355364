"""The field tables keep step with the installed SDKs (issue 10, item 5).

Every field and variant the official `openai` and `anthropic` SDKs can send, read from their
request types (`CompletionCreateParams`, the message and content-part TypedDicts, …, walked
to the leaves), must be in the format's table: scanned, passed as text-free, or refused on
purpose with a reason (`proxy.formats.fields.refused`). A field a table does not name is
refused as unknown (400 `unsupported_field`): an SDK release that adds one makes this test
fail, instead of apps failing through Voile.

How: each leaf of an SDK type becomes one probe, a request body holding only that path (and
the tags, `type` or `role`, that select its variant), checked against the table. A probe
fails when the table does not know a key or a variant on the way, or refuses a value of a
type the SDK declares (`null` where the SDK allows `None`, a list where it allows one). A
string the table holds to a grammar (a model id, a duration) may refuse the probe's sample
string: that is the table being stricter than `str` on purpose, and it is not a failure.
"""

from __future__ import annotations

import collections.abc
import itertools
import os
import re
import types
import typing
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import openai
import pydantic
import pytest
import typing_extensions as te
from anthropic.types import message_count_tokens_params as anthropic_count
from anthropic.types import message_create_params as anthropic_create
from anthropic.types.beta import message_count_tokens_params as beta_count
from anthropic.types.beta import message_create_params as beta_create
from openai.types import completion_create_params as completions_create
from openai.types import embedding_create_params as embeddings_create
from openai.types.chat import completion_create_params as chat_create
from openai.types.responses import response_create_params as responses_create

from proxy.errors import RefusedField, UnscannableContent, UnsupportedField
from proxy.formats.anthropic_messages import COUNT_FIELDS, MESSAGES_FIELDS
from proxy.formats.document import Document
from proxy.formats.fields import Fields, Scan, check_fields
from proxy.formats.openai_chat import CHAT_FIELDS
from proxy.formats.openai_completions import COMPLETIONS_FIELDS
from proxy.formats.openai_embeddings import EMBEDDINGS_FIELDS
from proxy.formats.openai_responses import RESPONSES_FIELDS
from proxy.policy import Policy, PolicySpec
from tests.fakes.openai_provider import FakeOpenAI
from tests.proxy.support import assert_not_leaked

POLICY = Policy("default", Path("default.yaml"), "0" * 64, PolicySpec())
Path_ = tuple[str, ...]

# ------------------------------------------------------------------- probes from SDK types

_WRAPPERS = (te.Required, te.NotRequired, te.ReadOnly)
_SEQUENCES = (list, tuple, set, collections.abc.Iterable, collections.abc.Sequence)
_MAPPINGS = (dict, collections.abc.Mapping)
_SAMPLES: dict[Any, Any] = {str: "x", bool: True, int: 1, float: 0.5}


def _strip(tp: Any) -> tuple[Any, str | None]:
    """The type under Required/NotRequired/Annotated, and the wire name an alias gives it."""
    alias = None
    while True:
        origin = te.get_origin(tp)
        if origin in _WRAPPERS:
            tp = te.get_args(tp)[0]
        elif origin is te.Annotated:
            alias = next((m.alias for m in tp.__metadata__ if getattr(m, "alias", None)), alias)
            tp = te.get_args(tp)[0]
        else:
            return tp, alias


def _fields(tp: Any) -> dict[str, tuple[Any, bool]]:
    """Wire name -> (type, required) of a TypedDict or a pydantic model (the SDKs accept
    their answer models as history too)."""
    if te.is_typeddict(tp):
        out = {}
        for key, hint in te.get_type_hints(tp, include_extras=True).items():
            inner, alias = _strip(hint)
            out[alias or key] = (inner, key in tp.__required_keys__)
        return out
    return {
        (info.alias or key): (info.annotation, info.is_required())
        for key, info in tp.model_fields.items()
    }


def _literals(tp: Any) -> tuple[Any, ...] | None:
    tp, _ = _strip(tp)
    if te.get_origin(tp) is typing.Literal:
        return te.get_args(tp)
    if te.get_origin(tp) in (typing.Union, types.UnionType):
        members = [a for a in te.get_args(tp) if a is not type(None)]
        return _literals(members[0]) if len(members) == 1 else None
    return None


def _free_form(tp: Any) -> bool:
    """`object`, or a dict of them: any JSON, which the SDK does not describe."""
    tp, _ = _strip(tp)
    if tp is object or tp is Any:
        return True
    return te.get_origin(tp) in _MAPPINGS and _strip(te.get_args(tp)[-1])[0] is object


def _is_record(tp: Any) -> bool:
    return te.is_typeddict(tp) or (isinstance(tp, type) and issubclass(tp, pydantic.BaseModel))


def probes(tp: Any, path: Path_ = (), seen: tuple[Any, ...] = ()) -> Iterator[tuple[Path_, Any]]:
    """(path, value) for every leaf of `tp`: each value holds one path of the type."""
    tp, _ = _strip(tp)
    origin = te.get_origin(tp)
    if tp is type(None):
        yield path, None
    elif origin in (typing.Union, types.UnionType):
        members = te.get_args(tp)
        typed = any(_is_record(_strip(m)[0]) for m in members)
        for member in members:
            if not (typed and _free_form(member)):  # "or any object": nothing to probe
                yield from probes(member, path, seen)
    elif origin is typing.Literal:
        for value in te.get_args(tp):
            yield path, value
    elif _is_record(tp):
        yield from _record_probes(tp, path, seen)
    elif _free_form(tp):
        yield path, {}
    elif origin in _SEQUENCES or getattr(tp, "__name__", "") == "SequenceNotStr":
        (item,) = te.get_args(tp)[:1] or (object,)
        if _free_form(item):
            yield path, []
        else:
            for leaf, value in probes(item, (*path, "[]"), seen):
                yield leaf, [value]
    elif origin in _MAPPINGS:
        for leaf, value in probes(te.get_args(tp)[1], (*path, "{}"), seen):
            yield leaf, {"k": value}
    elif tp in _SAMPLES:
        yield path, _SAMPLES[tp]
    elif origin is typing.IO or tp in (bytes, os.PathLike):  # files: the SDK sends base64
        yield path, "x"
    else:
        raise AssertionError(f"no sample for {tp!r} at {'/'.join(path)}")


def _record_probes(tp: Any, path: Path_, seen: tuple[Any, ...]) -> Iterator[tuple[Path_, Any]]:
    """An object: its variant tags (required literals, and `type`/`role`) in every probe,
    then one probe per other field's leaves. A type met again inside itself is not walked
    again (filters, schemas)."""
    if tp in seen:
        return
    fields = _fields(tp)
    tags = {
        key: values
        for key, (hint, required) in fields.items()
        if (values := _literals(hint)) is not None and (required or key in ("type", "role"))
    }
    here = (*path, tp.__name__)
    for combination in itertools.product(*tags.values()):
        base = dict(zip(tags, combination, strict=True))
        yield here, dict(base)
        for key, (hint, _) in fields.items():
            if key not in tags:
                for leaf, value in probes(hint, (*here, key), (*seen, tp)):
                    yield leaf, {**base, key: value}


# ------------------------------------------------------------------------------- checking

_STEP = re.compile(r"\[(\d+)\]|\.?([^.\[\]]+)")


def _at(body: Any, param: str) -> Any:
    """The value at an error's `param` (`messages[0].content`) in `body`."""
    value = body
    for index, key in _STEP.findall(param):
        if isinstance(value, list) and index:
            value = value[int(index)]
        elif isinstance(value, dict) and key:
            value = value.get(key)
        else:
            return None
    return value


def gaps(
    params: type, table: Fields, *, header_fields: frozenset[str] = frozenset()
) -> tuple[int, dict[str, str]]:
    """(probes run, {error: SDK path}) for every probe of `params` that `table` refuses as
    unknown or for its type. `header_fields` are params the SDK sends as headers."""
    found: dict[str, str] = {}
    count = 0
    for key, (hint, _) in _fields(params).items():
        if key in header_fields:
            continue
        for leaf, value in probes(hint, (key,)):
            count += 1
            body = {key: value}
            try:
                check_fields(Scan(Document(body), POLICY), (), body, table)
            except (RefusedField, UnscannableContent):
                continue  # on purpose, with a reason; or content the policy decides
            except UnsupportedField as error:
                stricter = not error.message.startswith("Unsupported") and (
                    isinstance(_at(body, error.param or ""), str)
                    or "a key matching" in error.message
                )
                if not stricter:
                    found.setdefault(error.message.split(": Voile")[0], "/".join(leaf))
    return count, found


CASES: dict[str, tuple[type, Fields, frozenset[str]]] = {
    "openai chat.completions": (
        chat_create.CompletionCreateParamsStreaming,
        CHAT_FIELDS,
        frozenset(),
    ),
    "openai responses": (
        responses_create.ResponseCreateParamsStreaming,
        RESPONSES_FIELDS,
        frozenset(),
    ),
    "openai completions": (
        completions_create.CompletionCreateParamsStreaming,
        COMPLETIONS_FIELDS,
        frozenset(),
    ),
    "openai embeddings": (embeddings_create.EmbeddingCreateParams, EMBEDDINGS_FIELDS, frozenset()),
    "anthropic messages": (
        anthropic_create.MessageCreateParamsStreaming,
        MESSAGES_FIELDS,
        frozenset(),
    ),
    "anthropic count_tokens": (anthropic_count.MessageCountTokensParams, COUNT_FIELDS, frozenset()),
    # The beta resources post to the same routes (`?beta=true`); `betas` is a header.
    "anthropic beta messages": (
        beta_create.MessageCreateParamsStreaming,
        MESSAGES_FIELDS,
        frozenset({"betas"}),
    ),
    "anthropic beta count_tokens": (
        beta_count.MessageCountTokensParams,
        COUNT_FIELDS,
        frozenset({"betas"}),
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_every_field_the_sdk_can_send_is_in_the_table(case: str) -> None:
    params, table, header_fields = CASES[case]
    count, found = gaps(params, table, header_fields=header_fields)
    assert count > 10, "the SDK type yielded no probes: has its module moved?"
    report = "\n".join(f"{message}  (SDK: {leaf})" for message, leaf in found.items())
    assert not found, f"{case}: the SDK can send what the table refuses:\n{report}"


async def test_newer_chat_fields_are_relayed_through_the_sdk(
    client: openai.AsyncOpenAI, fake_openai: FakeOpenAI
) -> None:
    """The fields issue 10 found refused on Chat (accepted on Responses): sent by the SDK,
    forwarded as they are, the text next to them masked."""
    breakpoint_ = {"mode": "explicit", "ttl": "12h"}
    answer = await client.chat.completions.create(
        model="gpt-4o-mini",
        messages=[
            {
                "role": "user",
                "content": [
                    {
                        "type": "text",
                        "text": "Write to jean.dupont@orange.fr.",
                        "prompt_cache_breakpoint": {"mode": "explicit", "ttl": "12h"},
                    }
                ],
            }
        ],
        prompt_cache_options={"mode": "explicit", "ttl": "30m"},
        moderation={
            "model": "omni-moderation-latest",
            "policy": {"input": {"mode": "block"}, "output": {"mode": "score"}},
        },
    )
    assert answer.choices[0].message.content == "Write to jean.dupont@orange.fr."
    sent = fake_openai.last
    assert sent["prompt_cache_options"] == {"mode": "explicit", "ttl": "30m"}
    assert sent["moderation"]["policy"]["input"] == {"mode": "block"}
    assert sent["messages"][0]["content"][0]["prompt_cache_breakpoint"] == breakpoint_
    assert_not_leaked(fake_openai, ["jean.dupont@orange.fr"])


# ---------------------------------------------------------------- the prober tests itself


class _Alias:
    """What the SDKs put in `Annotated` for a field whose wire name differs (`PropertyInfo`)."""

    alias = "x-extra"


class _Part(te.TypedDict, total=False):
    type: te.Required[te.Literal["text"]]
    text: te.Required[str]
    cache: int | None


class _Body(te.TypedDict, total=False):
    parts: collections.abc.Iterable[_Part | dict[str, object]]
    mode: te.Literal["a", "b"]
    extra: te.Annotated[str, _Alias()]


def test_probes_cover_every_leaf_with_its_variant_tag() -> None:
    assert {"/".join(path): value for path, value in probes(_Body)} == {
        "_Body": {},
        "_Body/parts/[]/_Part": {"parts": [{"type": "text"}]},
        "_Body/parts/[]/_Part/text": {"parts": [{"type": "text", "text": "x"}]},
        "_Body/parts/[]/_Part/cache": {"parts": [{"type": "text", "cache": None}]},
        "_Body/mode": {"mode": "b"},
        "_Body/x-extra": {"x-extra": "x"},
    }


def test_a_field_missing_from_a_table_is_found() -> None:
    table: Mapping[str, Any] = {key: CHAT_FIELDS[key] for key in CHAT_FIELDS if key != "seed"}
    _, found = gaps(chat_create.CompletionCreateParamsStreaming, table)
    assert list(found) == ["Unsupported field 'seed'"]
