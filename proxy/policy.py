"""Policies: what the security team says may leave, per entity type.

A policy is a YAML file in the policies directory; its name is the file name without
``.yaml``. Files are parsed once at start-up into frozen models; any error stops start-up with
the file, line and field (see `proxy.yamlfile`). The policy's content hash goes into every
audit record, so a compliance officer can tell exactly which rules applied.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from proxy.detection.custom import CustomRecognizer, PolicyDetection
from proxy.yamlfile import ConfigError, load_model, parse_yaml


class Action(StrEnum):
    MASK = "mask"  # reversible placeholder, restored in the answer
    REDACT = "redact"  # irreversible: replaced by the type label, e.g. [PERSON]
    HASH = "hash"  # irreversible but stable: [PERSON:3f9a1c2b], lets the model correlate
    BLOCK = "block"  # the whole request is refused, nothing is forwarded
    ALLOW = "allow"  # sent as is


class WithoutModel(StrEnum):
    PATTERNS = "patterns"  # patterns only; counted as texts_without_model
    REFUSE = "refuse"  # the request is refused, like a blocked entity


class UnscannableKind(StrEnum):
    IMAGE = "image"
    AUDIO = "audio"
    FILE = "file"


Score = Annotated[float, Field(ge=0.0, le=1.0)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class EntityRule(_Frozen):
    entity: str = Field(description="Entity type, e.g. PERSON, EMAIL_ADDRESS, FR_NIR.")
    action: Action
    min_score: Score | None = Field(
        default=None, description="Findings below this score are ignored (default: policy's)."
    )

    @field_validator("entity")
    @classmethod
    def _known_entity(cls, value: str, info: ValidationInfo) -> str:
        context = info.context or {}
        known: Collection[str] | None = context.get("known_entities")
        own: Collection[str] = context.get("policy_entities", ())
        if known is not None and value not in known and value not in own:
            supported = ", ".join(sorted({*known, *own}))
            raise ValueError(f"{value!r} is not a supported entity type: {supported}")
        return value


class PolicySpec(_Frozen):
    description: str = ""
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
    allow_unscannable: tuple[UnscannableKind, ...] = Field(
        default=(),
        description="Content that detection cannot read (image, audio, file) and may still "
        "be forwarded. Anything not listed is refused.",
    )

    @model_validator(mode="before")
    @classmethod
    def _declare_own_entities(cls, data: object, info: ValidationInfo) -> object:
        """Let rules name the entities of this policy's own recognizers (validated later)."""
        if isinstance(data, dict) and isinstance(info.context, dict):
            recognizers = data.get("recognizers")
            if isinstance(recognizers, list):
                info.context["policy_entities"] = {
                    r["entity"]
                    for r in recognizers
                    if isinstance(r, dict) and isinstance(r.get("entity"), str)
                }
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
        seen: set[str] = set()
        for rule in rules:
            if rule.entity in seen:
                raise ValueError(f"entity {rule.entity} has more than one rule")
            seen.add(rule.entity)
        return rules

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
class Decision:
    action: Action
    min_score: float


@dataclass(frozen=True)
class Policy:
    """A validated policy plus where it came from, for audit records and logs."""

    name: str
    path: Path
    sha256: str
    spec: PolicySpec

    def decision_for(self, entity_type: str) -> Decision:
        for rule in self.spec.rules:
            if rule.entity == entity_type:
                min_score = self.spec.min_score if rule.min_score is None else rule.min_score
                return Decision(rule.action, min_score)
        return Decision(self.spec.default_action, self.spec.min_score)

    def allows_unscannable(self, kind: UnscannableKind) -> bool:
        return kind in self.spec.allow_unscannable

    @cached_property
    def detection_options(self) -> PolicyDetection | None:
        """What the detector needs from this policy beyond its languages, or None."""
        options = PolicyDetection(
            recognizers=self.spec.recognizers, allow_list=self.spec.allow_list
        )
        return None if options.empty else options


def load_policy(
    path: Path, *, known_entities: Collection[str], languages: Collection[str]
) -> Policy:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8") from None
    if not parse_yaml(text, str(path))[0]:  # a truncated deploy, not a decision
        raise ConfigError(
            f"{path}:1 (top level): the policy is empty; write its settings "
            "(start from the bundled default.yaml) or remove the file"
        )
    context = {"known_entities": known_entities, "languages": languages}
    spec = load_model(PolicySpec, text, str(path), context)
    return Policy(name=path.stem, path=path, sha256=hashlib.sha256(raw).hexdigest(), spec=spec)


def load_policies(
    directory: Path, *, known_entities: Collection[str], languages: Collection[str]
) -> Mapping[str, Policy]:
    """Every ``*.yaml`` in `directory`; all errors of all files are reported together."""
    if not directory.is_dir():
        raise ConfigError(
            f"{directory}: policies directory not found; set `policies_dir` in "
            "the config file (or `voile policy check --policies-dir DIR`)"
        )
    policies: dict[str, Policy] = {}
    errors: list[str] = []
    for path in sorted(directory.glob("*.yaml")):
        try:
            policy = load_policy(path, known_entities=known_entities, languages=languages)
        except ConfigError as exc:
            errors.append(str(exc))
        else:
            policies[policy.name] = policy
    if errors:
        raise ConfigError("\n".join(errors))
    if not policies:
        raise ConfigError(f"{directory}: no *.yaml policy found")
    return policies
