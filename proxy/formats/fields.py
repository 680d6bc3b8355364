"""Field tables: the type of every request field, and what Voile does with its value.

The request parsers describe their bodies as tables (field name → `Check`). A check looks at
one value and does exactly one of three things with it:

* **scan**: the type is checked, then every text in the value is registered with the
  `Document`, to be masked (`TEXT`, `NAME`, `TEXTS`, `JSON_TEXT`, `FREE_JSON`, `JSON_SCHEMA`);
* **pass**: the type is checked and the value cannot hold free text (`integer`, `number`,
  `BOOLEAN`, `enum`, `grammar`; `ID` when it fits the id grammar);
* **refuse**: a value of another type, or a key that no table names, is a 400
  `unsupported_field` naming the field's path, and nothing is forwarded. A field we do not
  know may carry text we would not scan, and a value of an unexpected type (tool-call
  `arguments` as an object, `tool_calls` as a string) would slip past the walker written for
  the expected one: both used to reach providers in clear. A field or variant the SDK can
  send and Voile refuses on purpose is in the table too, as `refused(reason)`: the reason is
  the table's documentation and the error's message.

The tables follow the official SDKs' request types; `tests/proxy/test_sdk_fields.py` reads
the installed SDKs' types and fails on any field or variant they can send that a table does
not name (as scanned, passed or refused).

Decisions that are not obvious (docs/coverage.md has them per field):

1. **Ids** (tool-call ids, `tool_call_id`, `tool_use.id`, response and file ids) pass when
   they fit `ID_GRAMMAR` and hold no number (`NUMBER_LIKE`): the provider minted them and gets
   them back. The grammar rules out spaces, `@` and `.`, so no written name, e-mail address or
   formatted number fits; what could still fit is a number without spaces (an IBAN, a card, a
   phone number cut by `-`), and an id holding six digits or more is therefore scanned, as is
   an id outside the grammar. Scanning every id would cost a detection per id and risk false
   positives (measured: `call_abc123` is an ORGANIZATION to the English model) that break
   call pairing where the provider checks the grammar (Anthropic does).
2. **Function and tool names** must fit the name grammar (OpenAI's, up to 128 characters for
   Anthropic and MCP names; refused otherwise) and follow the id rule: a name holding a number
   is scanned (measured: `FR7630006000011234567890189` is found as IBAN_CODE,
   `4111111111111111` as CREDIT_CARD), others pass. A person's name written as an identifier
   (`lookup_John_Smith`) passes: names are chosen by the app's developers, and detection does
   not find names in identifiers anyway (measured: `John_Smith` → nothing; `JohnSmith` →
   ORGANIZATION, `send_mail_to_Jean_Dupont` → LOCATION, both false or partial), so scanning
   names would cost a detection each and mostly produce false positives that rename tools.
   When a name is masked, it is the same token in the definition, the calls and
   `tool_choice`; providers reject `<` in a name, so such a request fails instead of leaking.
3. **JSON Schemas** (tool parameters, structured outputs) are the app's own text but can
   quote data (descriptions, enum values, defaults): their strings are scanned, property
   names included (and `required`, so that both get the same token); the vocabulary
   (`type`, `format`, numbers, `$defs` names and local `$ref`s) is type-checked and passes.
   Keywords we do not know are scanned whole: schemas have an open vocabulary.
4. **Numbers** are finite (`proxy.body`) and within the range the provider documents where it
   matters (a 4000-digit `seed` is not a seed); booleans are never numbers.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any, overload

from proxy.body import where
from proxy.errors import RefusedField, UnscannableContent, UnsupportedField
from proxy.formats.document import Document, JsonPath
from proxy.policy import Part, Policy, UnscannableKind

ID_GRAMMAR = re.compile(r"[A-Za-z0-9_-]{1,128}")
NAME_GRAMMAR = re.compile(r"[A-Za-z0-9_-]{1,128}")
# Six digits or more, perhaps cut by `_` or `-`: what a phone, card, account or national
# number looks like once spaces are not allowed (`06-12-34-56-78`, `FR7630006000011234567890189`).
NUMBER_LIKE = re.compile(r"[0-9](?:[_-]?[0-9]){5,}")
# An ISO 8601 date or date-time (`2025`, `2025-09-10T12:00:00.5Z`), nothing looser.
_TIMESTAMP = re.compile(
    r"[0-9]{4}(-[0-9]{2}(-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,9})?)?"
    r"(Z|[+-][0-9]{2}:?[0-9]{2})?)?)?)?"
)
_INT64 = 2**63 - 1


@dataclass(frozen=True)
class Scan:
    """What a check works with: the document to register texts in, the policy (for
    content that cannot be scanned), and the part of the request being walked (`within`)."""

    doc: Document
    policy: Policy
    part: Part = Part.OTHER


Check = Callable[[Scan, JsonPath, Any], None]
Fields = Mapping[str, Check]


def unsupported(path: JsonPath, what: str = "field") -> UnsupportedField:
    return UnsupportedField(
        f"Unsupported {what} '{where(path)}': Voile cannot tell whether it carries personal "
        "data, so it does not forward it.",
        param=where(path),
    )


def invalid(path: JsonPath, expected: str) -> UnsupportedField:
    return UnsupportedField(
        f"'{where(path)}' must be {expected}: Voile does not forward a value it cannot check "
        "for personal data.",
        param=where(path),
    )


# ------------------------------------------------------------------------------- passed


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def integer(low: int = -_INT64, high: int = _INT64) -> Check:
    def check(scan: Scan, path: JsonPath, value: Any) -> None:
        if not (_is_int(value) and low <= value <= high):
            raise invalid(path, f"an integer from {low} to {high}")

    return check


def number(low: float = -math.inf, high: float = math.inf) -> Check:
    def check(scan: Scan, path: JsonPath, value: Any) -> None:
        if not ((_is_int(value) or isinstance(value, float)) and low <= value <= high):
            raise invalid(path, f"a number from {low:g} to {high:g}")

    return check


def BOOLEAN(scan: Scan, path: JsonPath, value: Any) -> None:
    if not isinstance(value, bool):
        raise invalid(path, "true or false")


def enum(*values: str) -> Check:
    allowed = frozenset(values)

    def check(scan: Scan, path: JsonPath, value: Any) -> None:
        if not (isinstance(value, str) and value in allowed):
            raise invalid(path, "one of " + ", ".join(sorted(allowed)))

    return check


def grammar(pattern: str, description: str) -> Check:
    """A string in a grammar narrow enough to hold no free text (a format name, a tier)."""
    compiled = re.compile(pattern)

    def check(scan: Scan, path: JsonPath, value: Any) -> None:
        if not (isinstance(value, str) and compiled.fullmatch(value)):
            raise invalid(path, description)

    return check


def STRING(scan: Scan, path: JsonPath, value: Any) -> None:
    """A string checked elsewhere (`model`: `Endpoint.model` holds it to the model grammar)."""
    if not isinstance(value, str):
        raise invalid(path, "a string")


def PASSED(scan: Scan, path: JsonPath, value: Any) -> None:
    """Already checked by the caller (the tag that chose a variant)."""


# ------------------------------------------------------------------------------ scanned


def TEXT(scan: Scan, path: JsonPath, value: Any) -> None:
    if not isinstance(value, str):
        raise invalid(path, "a string")
    scan.doc.add_text(path, value, scan.part)


def _identifier(scan: Scan, path: JsonPath, value: str) -> None:
    """An identifier-like string passes unless it holds a number (decisions 1 and 2)."""
    if NUMBER_LIKE.search(value):
        scan.doc.add_text(path, value, scan.part)


def ID(scan: Scan, path: JsonPath, value: Any) -> None:
    """An id: passes if it fits the id grammar and holds no number, else is scanned."""
    if not isinstance(value, str):
        raise invalid(path, "a string")
    if ID_GRAMMAR.fullmatch(value):
        _identifier(scan, path, value)
    else:
        scan.doc.add_text(path, value, scan.part)


def NAME(scan: Scan, path: JsonPath, value: Any) -> None:
    """A function or tool name: in the name grammar (refused otherwise); passes unless it
    holds a number, which is scanned."""
    if not (isinstance(value, str) and NAME_GRAMMAR.fullmatch(value)):
        raise invalid(path, "a name of 1 to 128 letters, digits, '_' or '-'")
    _identifier(scan, path, value)


def TIMESTAMP(scan: Scan, path: JsonPath, value: Any) -> None:
    """A date or time the provider wrote (`retrieved_at`): passes if ISO 8601, else scanned."""
    if not isinstance(value, str):
        raise invalid(path, "a string")
    if not _TIMESTAMP.fullmatch(value):
        scan.doc.add_text(path, value, scan.part)


def JSON_TEXT(scan: Scan, path: JsonPath, value: Any) -> None:
    """A string holding JSON (tool-call arguments): each string in it is scanned."""
    if not isinstance(value, str):
        raise invalid(path, "a string (of JSON text)")
    scan.doc.add_json_text(path, value, scan.part)


def FREE_JSON(scan: Scan, path: JsonPath, value: Any) -> None:
    """Any JSON value (tool inputs, examples): every string and key in it is scanned."""
    scan.doc.add_strings(path, value, scan.part)


# ---------------------------------------------------------------------------- structure


def nullable(check: Check) -> Check:
    def checked(scan: Scan, path: JsonPath, value: Any) -> None:
        if value is not None:
            check(scan, path, value)

    return checked


def array(item: Check, *, nonempty: bool = False) -> Check:
    def check(scan: Scan, path: JsonPath, value: Any) -> None:
        if not isinstance(value, list) or (nonempty and not value):
            raise invalid(path, "a non-empty array" if nonempty else "an array")
        for index, element in enumerate(value):
            item(scan, (*path, index), element)

    return check


def either(
    expected: str,
    *,
    string: Check | None = None,
    array: Check | None = None,
    obj: Check | None = None,
    boolean: Check | None = None,
) -> Check:
    """A value that may have one of several JSON types, each with its own check."""

    def check(scan: Scan, path: JsonPath, value: Any) -> None:
        chosen = (
            string
            if isinstance(value, str)
            else array
            if isinstance(value, list)
            else obj
            if isinstance(value, dict)
            else boolean
            if isinstance(value, bool)
            else None
        )
        if chosen is None:
            raise invalid(path, expected)
        chosen(scan, path, value)

    return check


def obj(fields: Fields, *, required: Iterable[str] = ()) -> Check:
    """An object whose keys are all in `fields`."""
    needed = tuple(required)

    def check(scan: Scan, path: JsonPath, value: Any) -> None:
        if not isinstance(value, dict):
            raise invalid(path, "an object")
        for key in needed:
            if key not in value:
                raise invalid((*path, key), "present")
        check_fields(scan, path, value, fields)

    return check


def check_fields(scan: Scan, path: JsonPath, value: Mapping[str, Any], fields: Fields) -> None:
    for key, item in value.items():
        field = fields.get(key)
        if field is None:
            raise unsupported((*path, key))
        field(scan, (*path, key), item)


def tagged(
    variants: Mapping[str, Fields | Check],
    what: str,
    *,
    tag: str = "type",
    default: str | None = None,
    name_tag: bool = False,
) -> Check:
    """An object whose `tag` (or `default`, when the tag is absent) names its variant: a
    table of fields (the tag itself is allowed), or a check of the whole object. An unknown
    variant is refused at the object's path, or at the tag's (`name_tag`)."""
    checks: dict[str, Check] = {
        kind: variant if callable(variant) else obj({tag: PASSED, **variant})
        for kind, variant in variants.items()
    }

    def check(scan: Scan, path: JsonPath, value: Any) -> None:
        if not isinstance(value, dict):
            raise invalid(path, "an object")
        kind = value.get(tag, default)
        chosen = checks.get(kind) if isinstance(kind, str) else None
        if chosen is None:
            raise unsupported((*path, tag) if name_tag else path, f"{what} {kind!r} at")
        chosen(scan, path, value)

    return check


def mapping(value: Check, *, keys: str | None = None, max_items: int | None = None) -> Check:
    """An object with keys of the caller's choosing: scanned, or held to the grammar `keys`."""
    key_grammar = re.compile(keys) if keys is not None else None

    def check(scan: Scan, path: JsonPath, item: Any) -> None:
        if not isinstance(item, dict) or (max_items is not None and len(item) > max_items):
            raise invalid(
                path,
                "an object" if max_items is None else f"an object of at most {max_items} entries",
            )
        for key, element in item.items():
            if key_grammar is None:
                if key:
                    scan.doc.add_key(path, key, scan.part)
            elif not key_grammar.fullmatch(key):
                raise invalid((*path, key), f"a key matching {keys}")
            value(scan, (*path, key), element)

    return check


def refused(reason: str) -> Check:
    """A field or variant the SDK can send that Voile refuses on purpose, for `reason` (a
    sentence, shown to the app)."""

    def check(scan: Scan, path: JsonPath, value: Any) -> None:
        raise RefusedField(f"'{where(path)}' is not relayed: {reason}", param=where(path))

    return check


def unscannable(kind: UnscannableKind, what: str) -> Check:
    """Content detection cannot read: refused unless the policy allows `kind`. The value
    itself is not walked (its fields are checked by the caller's table)."""

    def check(scan: Scan, path: JsonPath, value: Any) -> None:
        if not scan.policy.allows_unscannable(kind):
            raise UnscannableContent(
                f"'{where(path)}' is {what}, which Voile cannot scan for personal data; "
                f"policy '{scan.policy.name}' does not allow {kind.value} content.",
                param=where(path),
            )

    return check


@overload
def within(part: Part, checked: Check) -> Check: ...
@overload
def within(part: Part, checked: Fields) -> Fields: ...
def within(part: Part, checked: Check | Fields) -> Check | Fields:
    """Texts under `checked` are in `part` of the request (a policy's `scope` selects parts
    for detection); an inner `within` wins. Given a table of fields (a `tagged` variant),
    the same table with each field's check wrapped."""
    if not callable(checked):
        return {key: within(part, check) for key, check in checked.items()}

    def check(scan: Scan, path: JsonPath, value: Any) -> None:
        checked(scan if scan.part is part else replace(scan, part=part), path, value)

    return check


def all_of(*checks: Check) -> Check:
    def check(scan: Scan, path: JsonPath, value: Any) -> None:
        for each in checks:
            each(scan, path, value)

    return check


TEXTS = either("a string or an array of strings", string=TEXT, array=array(TEXT))
ID_LIST = array(ID)
COUNT = integer(0)
DOMAINS = array(TEXT)  # domain names can name a person (jean-dupont.fr): scanned

# ----------------------------------------------------------------------- JSON Schemas

_JSON_TYPES = ("string", "number", "integer", "boolean", "object", "array", "null")
_DEF_NAME = r"[A-Za-z0-9_.-]{1,128}"


def _schema(scan: Scan, path: JsonPath, value: Any) -> None:
    """A JSON Schema, or `true`/`false` (decision 3)."""
    if isinstance(value, bool):
        return
    if not isinstance(value, dict):
        raise invalid(path, "a JSON Schema (an object)")
    for key, item in value.items():
        _SCHEMA_WORDS.get(key, FREE_JSON)(scan, (*path, key), item)


def _named_schemas(scan: Scan, path: JsonPath, value: Any) -> None:
    """`properties`: names the model writes back as argument keys; scanned as keys."""
    mapping(_schema)(scan, path, value)


_SCHEMAS = array(_schema)
_SCHEMA_WORDS: dict[str, Check] = {
    "type": either(
        "a JSON type or an array of them",
        string=enum(*_JSON_TYPES),
        array=array(enum(*_JSON_TYPES)),
    ),
    "format": grammar(r"[A-Za-z0-9_-]{1,64}", "a format name"),
    # The metaschema's URI (the Vercel ai SDK sends draft-07's): a constant, not a person's
    # URL, so it passes as is; any other `$schema` value is refused.
    "$schema": grammar(
        r"https?://json-schema\.org/(draft-0[3-7]/|draft/20(19-09|20-12)/)?"
        r"schema#?",
        "a json-schema.org metaschema URI",
    ),
    "$ref": grammar(r"#(/[$A-Za-z0-9_.-]{1,128}){0,16}", "a local reference such as #/$defs/Name"),
    "$defs": mapping(_schema, keys=_DEF_NAME),
    "definitions": mapping(_schema, keys=_DEF_NAME),
    # null for none: the SDKs type an input schema's `properties` and `required` as optional.
    "properties": nullable(_named_schemas),
    "patternProperties": _named_schemas,
    "dependentSchemas": _named_schemas,
    "required": nullable(array(TEXT)),
    "items": either(
        "a schema or an array of schemas", obj=_schema, boolean=_schema, array=_SCHEMAS
    ),
    **dict.fromkeys(
        (
            "additionalProperties",
            "not",
            "if",
            "then",
            "else",
            "contains",
            "propertyNames",
            "unevaluatedProperties",
            "unevaluatedItems",
            "additionalItems",
        ),
        _schema,
    ),
    **dict.fromkeys(("anyOf", "allOf", "oneOf", "prefixItems"), _SCHEMAS),
    # (exclusiveMinimum and exclusiveMaximum: numbers, or booleans in draft 4; scanned.)
    **dict.fromkeys(("minimum", "maximum", "multipleOf"), number()),
    **dict.fromkeys(
        (
            "minLength",
            "maxLength",
            "minItems",
            "maxItems",
            "minProperties",
            "maxProperties",
            "minContains",
            "maxContains",
        ),
        COUNT,
    ),
    **dict.fromkeys(("uniqueItems", "nullable", "deprecated", "readOnly", "writeOnly"), BOOLEAN),
    # description, title, enum, const, default, examples, pattern, $comment, $id
    # and any keyword not listed: every string and key in them scanned (FREE_JSON).
}
JSON_SCHEMA: Check = _schema
