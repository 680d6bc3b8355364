"""Policies: what the security team says may leave, per entity type, app and destination.

A policy is a YAML file in the policies directory; its name is the file name without
``.yaml``. Files are parsed once at start-up into frozen models; any error stops start-up with
the file, line and field (see `proxy.yamlfile`). The policy's content hash goes into every
audit record, so a compliance officer can tell exactly which rules applied.

The decisions, in the order a reader needs them (docs/policies.md has worked examples):

1. **A request has a target**: the calling app, the provider its path names, and that
   provider's `region` tag from the config (`Target`). The policy's `destinations`, if set,
   say which targets the app may use at all; any other is refused (403
   `destination_not_allowed`, audited) before anything is read.
2. **Rules match by entity type and target.** A rule names one or more entity types (or
   `"*"`, every type) and may be limited to some `apps`, and to some `providers` or
   `regions` (or to every region but some: `outside_regions`). A rule without conditions
   applies everywhere.
3. **Precedence: the most specific rule wins**, compared in this order:
   a. destination: a rule naming the provider beats one naming a region, which beats one
      naming neither;
   b. app: a rule naming the app beats one that does not;
   c. entity: a rule naming the type beats a `"*"` rule;
   d. inheritance: a rule of the policy itself beats one it inherits (`extends`), and a
      nearer base beats a farther one;
   e. strictness, for rules equal on all of the above (overlapping lists in one file):
      block > redact > hash > mask > fake > allow.
   No rule: the policy's `default_action` and `min_score`. Destination comes first because
   it is usually a legal constraint (a jurisdiction), an app exception a business one: an
   app-wide `allow` never opens a destination that a destination rule closes unless it
   names that destination too.
4. **`extends: base`** starts from the base policy (itself perhaps extending another):
   every key the file sets replaces the base's, except `rules`, `recognizers` and
   `allow_list`, which add to the base's, and `tests`, which are each file's own. The hash
   of a policy that extends another covers the base's hash, so a change anywhere in the
   chain changes the hash every audit record names.
5. **`scope`** lists the parts of a request detection reads (system prompts, user
   messages, earlier answers, tool arguments, tool results, tool definitions, other
   fields). A part out of scope is not analysed, but a value masked elsewhere in the
   request is still masked in it, and placeholder-looking text in it is still neutralised.
6. **`generated`** says what to do with personal data the model writes in its answer that
   was not in the request (`allow`, `redact`, `block`), see `proxy.generated`.
7. **`mode: shadow`**, on a rule or on a whole policy, computes a decision without enforcing
   it (`proxy.shadow`). A shadow rule takes no part in what a request gets; the policy's
   `rollout` is the policy as it would be with its shadow rules enforced (a shadow rule
   beating an enforced one equal on 3a-d). A policy in shadow mode is not enforced at all:
   its apps run under the nearest policy it extends that is not in shadow mode (so it
   needs `extends`), and the policy itself is their rollout. `mode` is each file's own: a
   policy extending a shadow policy is enforced unless it says otherwise.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from proxy.detection.custom import CustomRecognizer, PolicyDetection
from proxy.yamlfile import ConfigError, Path_, line_of, parse_yaml, validate_data


class Action(StrEnum):
    MASK = "mask"  # reversible placeholder, restored in the answer
    FAKE = "fake"  # reversible surrogate of the same type and locale, restored (proxy.faking)
    REDACT = "redact"  # irreversible: replaced by the type label, e.g. [PERSON]
    HASH = "hash"  # irreversible but stable: [PERSON:3f9a1c2b], lets the model correlate
    BLOCK = "block"  # the whole request is refused, nothing is forwarded
    ALLOW = "allow"  # sent as is


# Strictest first: used to break ties between rules and between overlapping spans. A
# surrogate tells the provider more than a placeholder (gender, country, a plausible shape),
# so `fake` ranks below `mask`.
SEVERITY = {
    Action.BLOCK: 5,
    Action.REDACT: 4,
    Action.HASH: 3,
    Action.MASK: 2,
    Action.FAKE: 1,
    Action.ALLOW: 0,
}


class WithoutModel(StrEnum):
    PATTERNS = "patterns"  # patterns only; counted as texts_without_model
    REFUSE = "refuse"  # the request is refused, like a blocked entity


class UnscannableKind(StrEnum):
    IMAGE = "image"
    AUDIO = "audio"
    FILE = "file"


class Part(StrEnum):
    """The parts of a request a policy's `scope` can name; every wire format files each of
    its texts under one (`proxy.formats.fields.within`)."""

    SYSTEM = "system"  # system and developer prompts, Responses `instructions`
    USER = "user"  # user messages, prompts, embeddings input
    ASSISTANT = "assistant"  # earlier answers of the model, sent back as history
    TOOL_ARGUMENTS = "tool_arguments"  # tool calls the model made (arguments, inputs)
    TOOL_RESULTS = "tool_results"  # what the app's tools returned
    TOOL_DEFINITIONS = "tool_definitions"  # tool descriptions and schemas, output schemas
    OTHER = "other"  # every other text field: metadata, user ids, stop sequences…


class Mode(StrEnum):
    ENFORCE = "enforce"  # the decision is applied
    SHADOW = "shadow"  # the decision is computed and audited, not applied (point 7)


class GeneratedAction(StrEnum):
    ALLOW = "allow"  # the answer passes as the model wrote it
    REDACT = "redact"  # replaced by its type label, e.g. [PHONE_NUMBER]
    BLOCK = "block"  # the answer is withheld (a stream is cut with an error event)


ANY_ENTITY = "*"
ALL_PARTS: tuple[Part, ...] = tuple(Part)

Score = Annotated[float, Field(ge=0.0, le=1.0)]
Name = Annotated[str, Field(min_length=1, pattern=r"^[A-Za-z0-9_.-]+$")]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _check_entity(value: str, info: ValidationInfo, *, wildcard: bool) -> str:
    if wildcard and value == ANY_ENTITY:
        return value
    context = info.context or {}
    known: Collection[str] | None = context.get("known_entities")
    own: Collection[str] = context.get("policy_entities", ())
    if known is not None and value not in known and value not in own:
        supported = ", ".join(sorted({*known, *own}))
        raise ValueError(f"{value!r} is not a supported entity type: {supported}")
    return value


def _as_tuple(value: object) -> object:
    return (value,) if isinstance(value, str) else value


class EntityRule(_Frozen):
    entity: tuple[str, ...] = Field(
        min_length=1,
        description="Entity type, a list of types, or '*' for every type.",
    )
    action: Action
    min_score: Score | None = Field(
        default=None, description="Findings below this score are ignored (default: policy's)."
    )
    apps: tuple[Name, ...] = Field(default=(), description="Only for these apps.")
    providers: tuple[Name, ...] = Field(
        default=(), description="Only for requests to these providers (config names)."
    )
    regions: tuple[Name, ...] = Field(
        default=(), description="Only for providers whose `region` is one of these."
    )
    outside_regions: tuple[Name, ...] = Field(
        default=(),
        description="Only for providers whose `region` is none of these (or not set).",
    )
    mode: Mode = Field(
        default=Mode.ENFORCE,
        description="shadow: computed and audited as what would have been done, not applied.",
    )

    @field_validator("entity", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        return _as_tuple(value)

    @field_validator("entity")
    @classmethod
    def _known_entities(cls, value: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        for item in value:
            _check_entity(item, info, wildcard=True)
        if ANY_ENTITY in value and len(value) > 1:
            raise ValueError("'*' already names every type: list no other")
        if len(set(value)) != len(value):
            raise ValueError("a type is listed twice")
        return value

    @model_validator(mode="after")
    def _one_destination_kind(self) -> Self:
        given = [key for key in ("providers", "regions", "outside_regions") if getattr(self, key)]
        if len(given) > 1:
            raise ValueError(
                f"give one of providers, regions, outside_regions, not {' and '.join(given)} "
                "(write two rules)"
            )
        return self

    @property
    def destination_rank(self) -> int:
        """2: names providers; 1: names regions; 0: any destination (precedence 3a)."""
        return 2 if self.providers else 1 if self.regions or self.outside_regions else 0

    @property
    def condition(self) -> str:
        """The rule's conditions as written, for `policy explain` and errors."""
        parts = [
            f"{key}: [{', '.join(values)}]"
            for key in ("apps", "providers", "regions", "outside_regions")
            if (values := getattr(self, key))
        ]
        return ", ".join(parts) or "everywhere"

    def matches(self, target: Target | None) -> bool:
        """Whether the rule applies to requests of `target`; with no target (a policy read
        without a request), only rules without conditions do."""
        if target is None:
            return not (self.apps or self.destination_rank)
        return (
            (not self.apps or target.app in self.apps)
            and (not self.providers or target.provider in self.providers)
            and (not self.regions or target.region in self.regions)
            and (not self.outside_regions or target.region not in self.outside_regions)
        )


class Destinations(_Frozen):
    """The providers an app under this policy may use: those named, and those whose
    `region` tag is listed. A request to any other is refused."""

    providers: tuple[Name, ...] = ()
    regions: tuple[Name, ...] = ()

    @model_validator(mode="after")
    def _not_empty(self) -> Self:
        if not self.providers and not self.regions:
            raise ValueError(
                "list at least one provider or region (to refuse every destination, "
                "do not assign the policy to an app)"
            )
        return self

    def allow(self, provider: str, region: str | None) -> bool:
        return provider in self.providers or (region is not None and region in self.regions)


class Generated(_Frozen):
    """Personal data the model writes in its answer that was not in the request: found by
    detection on the answer as the provider sent it, for the types the policy does not
    `allow` for the target, scored at least `min_score`."""

    action: GeneratedAction = GeneratedAction.ALLOW
    min_score: Score = Field(
        default=0.7,
        description="Findings in answers below this score pass (answers are not "
        "prompts: a high bar keeps false positives out of the app's text).",
    )

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: object) -> object:
        """`generated: redact` is `generated: {action: redact}`."""
        return {"action": data} if isinstance(data, str) else data


class Expectation(_Frozen):
    """What a policy test expects (at least one key)."""

    masked: tuple[str, ...] | None = Field(
        default=None,
        description="Exactly these entity types are replaced (mask, fake, redact or hash).",
    )
    blocked: bool | tuple[str, ...] | None = Field(
        default=None,
        description="The request is refused (400 pii_blocked); a list: for exactly these types.",
    )
    text: str | None = Field(
        default=None,
        description="The text as the provider sees it; a placeholder is written <TYPE>, a "
        "hash label [TYPE:hash], a surrogate {TYPE} (they depend on the deployment's key).",
    )
    refused: Literal["destination_not_allowed"] | None = Field(
        default=None, description="The destination is refused before any detection."
    )

    @field_validator("masked", "blocked", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        return _as_tuple(value)

    @field_validator("masked", "blocked")
    @classmethod
    def _known_entities(cls, value: object, info: ValidationInfo) -> object:
        if isinstance(value, tuple):
            for item in value:
                _check_entity(item, info, wildcard=False)
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        given = [
            k for k in ("masked", "blocked", "text", "refused") if getattr(self, k) is not None
        ]
        if not given:
            raise ValueError("expect at least one of masked, blocked, text, refused")
        refusal = [k for k in given if k == "refused" or (k == "blocked" and self.blocked)]
        if refusal and len(given) > 1:
            raise ValueError(f"'{refusal[0]}' cannot be combined with {', '.join(given[1:])}")
        return self


class PolicyTest(_Frozen):
    """A policy test: a text sent by an app to a destination, and what must come of it."""

    name: str = Field(min_length=1)
    app: Name = Field(default="policy-test", description="The calling app's name.")
    provider: Name = Field(description="The destination provider's name.")
    region: Name | None = Field(
        default=None, description="Its region (default: the config's, if it defines it)."
    )
    text: str = Field(min_length=1)
    expect: Expectation


class PolicySpec(_Frozen):
    extends: Name | None = Field(
        default=None, description="A policy (file name without .yaml) to start from."
    )
    description: str = ""
    destinations: Destinations | None = Field(
        default=None, description="Providers an app may use; unset: every configured one."
    )
    languages: tuple[str, ...] = Field(
        default=("en", "fr"),
        min_length=1,
        description="Languages texts may be in; the first is the fallback when unsure.",
    )
    language_without_model: WithoutModel = Field(
        default=WithoutModel.PATTERNS,
        description="A text in a listed language that has no spaCy model: analyse it with "
        "patterns only (and count it), or refuse the request.",
    )
    recognizers: tuple[CustomRecognizer, ...] = Field(
        default=(),
        description="The policy's own entity types: regular expressions (with validator "
        "and context words) and deny-lists. Rules can name their entities.",
    )
    allow_list: tuple[str, ...] = Field(
        default=(),
        description="Values never masked (the company's own public names and addresses); "
        "a finding inside one of them is dropped.",
    )
    default_action: Action = Field(
        default=Action.MASK, description="Action for detected types that no rule names."
    )
    min_score: Score = 0.5
    rules: tuple[EntityRule, ...] = ()
    scope: tuple[Part, ...] = Field(
        default=ALL_PARTS, description="Parts of a request detection reads."
    )
    generated: Generated = Generated()
    allow_unscannable: tuple[UnscannableKind, ...] = Field(
        default=(),
        description="Content that detection cannot read (image, audio, file) and may still "
        "be forwarded. Anything not listed is refused.",
    )
    tests: tuple[PolicyTest, ...] = Field(
        default=(), description="Policy tests, run by `voile policy check`."
    )
    mode: Mode = Field(
        default=Mode.ENFORCE,
        description="shadow: the policy is computed and audited for its apps, which run "
        "under the policy it extends meanwhile (point 7).",
    )

    @model_validator(mode="after")
    def _shadow_extends(self) -> Self:
        if self.mode is Mode.SHADOW and self.extends is None:
            raise ValueError(
                "a policy in shadow mode needs `extends`: its apps run under the policy "
                "it extends until the mode is removed"
            )
        return self

    @model_validator(mode="before")
    @classmethod
    def _declare_own_entities(cls, data: object, info: ValidationInfo) -> object:
        """Let rules name the entities of this policy's own recognizers (validated later),
        and those of the policies it extends."""
        if isinstance(data, dict) and isinstance(info.context, dict):
            recognizers = data.get("recognizers")
            own = {
                r["entity"]
                for r in (recognizers if isinstance(recognizers, list) else [])
                if isinstance(r, dict) and isinstance(r.get("entity"), str)
            }
            info.context["policy_entities"] = own | set(info.context.get("inherited_entities", ()))
        return data

    @field_validator("allow_list")
    @classmethod
    def _allow_list_not_blank(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if any(not item.strip() for item in value):
            raise ValueError("entries must not be blank")
        return value

    @field_validator("rules")
    @classmethod
    def _one_rule_per_entity(cls, rules: tuple[EntityRule, ...]) -> tuple[EntityRule, ...]:
        """Two rules for the same type under the same conditions: which one is meant?"""
        seen: set[tuple[str, str, Mode]] = set()
        for rule in rules:
            for entity in rule.entity:
                key = (entity, rule.condition, rule.mode)
                if key in seen:
                    where = "" if rule.condition == "everywhere" else f" ({rule.condition})"
                    shadow = " in shadow mode" if rule.mode is Mode.SHADOW else ""
                    raise ValueError(f"entity {entity} has more than one rule{shadow}{where}")
                seen.add(key)
        return rules

    @field_validator("scope")
    @classmethod
    def _scope_once(cls, value: tuple[Part, ...]) -> tuple[Part, ...]:
        if not value:
            raise ValueError(
                f"list the parts to scan ({', '.join(ALL_PARTS)}); to scan nothing, "
                "allow every type instead (default_action: allow)"
            )
        if len(set(value)) != len(value):
            raise ValueError("a part is listed twice")
        return value

    @field_validator("tests")
    @classmethod
    def _unique_test_names(cls, value: tuple[PolicyTest, ...]) -> tuple[PolicyTest, ...]:
        names = [test.name for test in value]
        twice = sorted({name for name in names if names.count(name) > 1})
        if twice:
            raise ValueError(f"test names must be unique: {', '.join(twice)}")
        return value

    @field_validator("languages")
    @classmethod
    def _languages_have_models(
        cls, value: tuple[str, ...], info: ValidationInfo
    ) -> tuple[str, ...]:
        available: Collection[str] | None = (info.context or {}).get("languages")
        if available is not None:
            missing = [lang for lang in value if lang not in available]
            if missing:
                raise ValueError(
                    f"no detection model configured for {', '.join(missing)} "
                    f"(configured: {', '.join(sorted(available))})"
                )
        return value


@dataclass(frozen=True)
class Target:
    """Who sends a request, and where to: what rules and destinations match on."""

    app: str
    provider: str
    region: str | None = None

    def __str__(self) -> str:
        region = f" (region {self.region})" if self.region else " (no region)"
        return f"app {self.app} → provider {self.provider}{region}"


@dataclass(frozen=True)
class Origin:
    """Where a setting or a rule was written."""

    path: Path
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class PolicyRule:
    """A rule as a policy applies it: where it was written and how many `extends` away
    (0: the policy's own file)."""

    rule: EntityRule
    origin: Origin
    level: int = 0
    promoted: bool = False  # a shadow rule, enforced in the policy's `rollout` (point 7)

    @property
    def active(self) -> bool:
        return self.rule.mode is Mode.ENFORCE or self.promoted

    def covers(self, entity_type: str) -> bool:
        return entity_type in self.rule.entity or ANY_ENTITY in self.rule.entity

    def rank(self, entity_type: str) -> tuple[int, int, int, int, int, int]:
        """Precedence 3a-e, higher first; in a rollout, a shadow rule before strictness."""
        return (
            self.rule.destination_rank,
            1 if self.rule.apps else 0,
            1 if entity_type in self.rule.entity else 0,
            -self.level,
            1 if self.promoted else 0,
            SEVERITY[self.rule.action],
        )


@dataclass(frozen=True)
class Decision:
    action: Action
    min_score: float
    rule: PolicyRule | None = None  # None: the policy's default_action


@dataclass(frozen=True)
class Policy:
    """A validated policy plus where it came from, for audit records and logs. `spec` is the
    effective spec (its bases merged in, `extends`); `rules` every rule that may apply, own
    and inherited, with where each was written."""

    name: str
    path: Path
    sha256: str
    spec: PolicySpec
    rules: tuple[PolicyRule, ...] = ()
    bases: tuple[str, ...] = ()  # the policies it extends, nearest first
    origins: Mapping[str, Origin] = field(default_factory=dict)  # top-level key → where set
    test_origins: tuple[Origin, ...] = ()  # where each of `spec.tests` is written

    def __post_init__(self) -> None:
        if not self.rules and self.spec.rules:  # built in code, without a file
            own = tuple(PolicyRule(rule, Origin(self.path, 0)) for rule in self.spec.rules)
            object.__setattr__(self, "rules", own)

    def rulebook(self, target: Target | None = None) -> Rulebook:
        """The rules that decide for `target`: those matching it, shadow rules left out."""
        return Rulebook(
            self, target, tuple(r for r in self.rules if r.active and r.rule.matches(target))
        )

    @property
    def shadowed(self) -> bool:
        """Whether anything of this policy is in shadow mode (the policy, or a rule)."""
        return self.spec.mode is Mode.SHADOW or any(not r.active for r in self.rules)

    @cached_property
    def rollout(self) -> Policy:
        """This policy as it would be with its shadow rules enforced (point 7)."""
        if all(rule.active for rule in self.rules):
            return self
        rules = tuple(rule if rule.active else replace(rule, promoted=True) for rule in self.rules)
        return replace(self, rules=rules)

    def decision_for(self, entity_type: str, target: Target | None = None) -> Decision:
        return self.rulebook(target).decision_for(entity_type)

    def allows_destination(self, provider: str, region: str | None) -> bool:
        destinations = self.spec.destinations
        return destinations is None or destinations.allow(provider, region)

    def allows_unscannable(self, kind: UnscannableKind) -> bool:
        return kind in self.spec.allow_unscannable

    def scans(self, part: Part) -> bool:
        return part in self.spec.scope

    def origin_of(self, key: str) -> Origin | None:
        return self.origins.get(key)

    @property
    def fakes(self) -> bool:
        """Whether some rule (or the default) may mint surrogates (`proxy.faking`)."""
        return self.spec.default_action is Action.FAKE or any(
            rule.rule.action is Action.FAKE for rule in self.rules
        )

    @cached_property
    def detection_options(self) -> PolicyDetection | None:
        """What the detector needs from this policy beyond its languages, or None."""
        options = PolicyDetection(
            recognizers=self.spec.recognizers, allow_list=self.spec.allow_list
        )
        return None if options.empty else options


@dataclass(frozen=True)
class Rulebook:
    """A policy's rules for one target: what masking asks for each finding."""

    policy: Policy
    target: Target | None
    rules: tuple[PolicyRule, ...]  # those matching the target

    def decision_for(self, entity_type: str) -> Decision:
        candidates = [rule for rule in self.rules if rule.covers(entity_type)]
        spec = self.policy.spec
        if not candidates:
            return Decision(spec.default_action, spec.min_score)
        best = max(candidates, key=lambda rule: rule.rank(entity_type))
        min_score = spec.min_score if best.rule.min_score is None else best.rule.min_score
        return Decision(best.rule.action, min_score, best)

    def overridden(self, entity_type: str) -> list[PolicyRule]:
        """The other rules for `entity_type` that match, weakest last (for `explain`)."""
        candidates = [rule for rule in self.rules if rule.covers(entity_type)]
        ranked = sorted(candidates, key=lambda rule: rule.rank(entity_type), reverse=True)
        return ranked[1:]


# --- loading -------------------------------------------------------------------------------

# Keys whose values add to the base's instead of replacing them (`extends`).
_ADDITIVE = ("rules", "recognizers", "allow_list")


@dataclass(frozen=True)
class _Source:
    name: str
    path: Path
    raw: bytes
    data: Any
    lines: dict[Path_, int]

    def line(self, *path: str | int) -> int:
        return line_of(self.lines, path)

    def origin(self, *path: str | int) -> Origin:
        return Origin(self.path, self.line(*path))


class _Loader:
    """Reads the policies of one directory, each once, resolving `extends` on demand."""

    def __init__(
        self, directory: Path, known_entities: Collection[str], languages: Collection[str]
    ) -> None:
        self.directory = directory
        self.known_entities = known_entities
        self.languages = languages
        self.errors: list[str] = []
        self._done: dict[str, Policy | None] = {}  # None: invalid (its errors are reported)

    def names(self) -> list[str]:
        return [path.stem for path in sorted(self.directory.glob("*.yaml"))]

    def load(self, name: str, chain: tuple[str, ...] = ()) -> Policy | None:
        if name in self._done:
            return self._done[name]
        try:
            policy = self._build(self._read(name), chain)
        except ConfigError as exc:
            self.errors.append(str(exc))
            policy = None
        self._done[name] = policy
        return policy

    def _read(self, name: str) -> _Source:
        path = self.directory / f"{name}.yaml"
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise ConfigError(f"{path}: not UTF-8") from None
        data, lines = parse_yaml(text, str(path))
        if not data:  # a truncated deploy, not a decision
            raise ConfigError(
                f"{path}:1 (top level): the policy is empty; write its settings "
                "(start from the bundled default.yaml) or remove the file"
            )
        return _Source(name, path, raw, data, lines)

    def _base(self, source: _Source, chain: tuple[str, ...]) -> Policy | None:
        base_name = source.data.get("extends") if isinstance(source.data, dict) else None
        if not isinstance(base_name, str):
            return None  # absent, or not a name: the model says so
        where = f"{source.path}:{source.line('extends')} extends"
        if base_name == source.name or base_name in chain:
            cycle = " → ".join((*chain, source.name, base_name))
            raise ConfigError(f"{where}: policies extend each other in a loop: {cycle}")
        if not (self.directory / f"{base_name}.yaml").is_file():
            available = ", ".join(n for n in self.names() if n != source.name)
            raise ConfigError(
                f"{where}: no policy {base_name!r} in {self.directory} (available: {available})"
            )
        base = self.load(base_name, (*chain, source.name))
        if base is None:
            raise ConfigError(f"{where}: policy {base_name!r} is invalid (see its errors)")
        return base

    def _build(self, source: _Source, chain: tuple[str, ...]) -> Policy:
        base = self._base(source, chain)
        context: dict[str, Any] = {
            "known_entities": self.known_entities,
            "languages": self.languages,
            "inherited_entities": {r.entity for r in base.spec.recognizers} if base else set(),
        }
        spec = validate_data(PolicySpec, source.data, source.lines, str(source.path), context)
        own_rules = tuple(
            PolicyRule(rule, source.origin("rules", index)) for index, rule in enumerate(spec.rules)
        )
        origins = {key: source.origin(key) for key in spec.model_fields_set}
        tests = tuple(source.origin("tests", index) for index in range(len(spec.tests)))
        if base is None:
            return Policy(
                name=source.name,
                path=source.path,
                sha256=hashlib.sha256(source.raw).hexdigest(),
                spec=spec,
                rules=own_rules,
                origins=origins,
                test_origins=tests,
            )
        return Policy(
            name=source.name,
            path=source.path,
            # The base's hash is part of this one: a change in the chain is a new version.
            sha256=hashlib.sha256(
                source.raw + b"\n# extends sha256:" + base.sha256.encode()
            ).hexdigest(),
            spec=_merged(base.spec, spec),
            rules=(
                *(PolicyRule(r.rule, r.origin, r.level + 1) for r in base.rules),
                *own_rules,
            ),
            bases=(base.name, *base.bases),
            origins={**base.origins, **origins},
            test_origins=tests,
        )


def _merged(base: PolicySpec, own: PolicySpec) -> PolicySpec:
    """`own` over `base` (see point 4 of the module docstring)."""
    update: dict[str, Any] = {
        key: getattr(own, key) for key in own.model_fields_set if key not in _ADDITIVE
    }
    update["rules"] = (*base.rules, *own.rules)
    update["recognizers"] = (*base.recognizers, *own.recognizers)
    update["allow_list"] = tuple(dict.fromkeys((*base.allow_list, *own.allow_list)))
    update["tests"] = own.tests
    update["extends"] = own.extends
    update["mode"] = own.mode
    return base.model_copy(update=update)


def load_policy(
    path: Path, *, known_entities: Collection[str], languages: Collection[str]
) -> Policy:
    """One policy file (and the policies it extends, from the same directory)."""
    if not path.is_file():
        raise ConfigError(f"{path}: policy file not found")
    loader = _Loader(path.parent, known_entities, languages)
    policy = loader.load(path.stem)
    if policy is None:
        raise ConfigError("\n".join(loader.errors))
    return policy


def load_policies(
    directory: Path, *, known_entities: Collection[str], languages: Collection[str]
) -> Mapping[str, Policy]:
    """Every ``*.yaml`` in `directory`; all errors of all files are reported together."""
    if not directory.is_dir():
        raise ConfigError(
            f"{directory}: policies directory not found; set `policies_dir` in "
            "the config file (or `voile policy check DIR`)"
        )
    loader = _Loader(directory, known_entities, languages)
    loaded = {name: loader.load(name) for name in loader.names()}
    if loader.errors:
        raise ConfigError("\n".join(loader.errors))
    policies = {name: policy for name, policy in loaded.items() if policy is not None}
    if not policies:
        raise ConfigError(f"{directory}: no *.yaml policy found")
    return policies


def enforced_and_shadow(
    policy: Policy, policies: Mapping[str, Policy]
) -> tuple[Policy, Policy | None]:
    """What an app assigned `policy` runs under, and what is computed beside it in shadow
    mode (None: nothing): a shadow policy's nearest enforced base, and the policy's
    rollout (point 7)."""
    if policy.spec.mode is Mode.ENFORCE:
        return policy, policy.rollout if policy.shadowed else None
    for name in policy.bases:
        base = policies.get(name)
        if base is not None and base.spec.mode is Mode.ENFORCE:
            return base, policy.rollout
    where = policy.origin_of("mode") or policy.path
    raise ConfigError(
        f"{where} mode: policy {policy.name!r} is in shadow mode and extends no policy "
        "that is not (its apps would run under none)"
    )


def named_in_rules(policy: Policy, key: Literal["apps", "providers"]) -> Iterable[str]:
    """Every app or provider name the policy's rules and destinations name (for warnings
    about names the config does not define)."""
    for rule in policy.rules:
        yield from getattr(rule.rule, key)
    if key == "providers" and policy.spec.destinations is not None:
        yield from policy.spec.destinations.providers
