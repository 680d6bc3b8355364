"""The recognizers each language gets, built explicitly: nothing loaded by default.

Presidio's default registry gives every language the same recognizers with English context
words, and enables national ones (US SSN, bank account, driver licence, passport, ITIN; UK
NHS) that outside their country mostly produce false positives; adding French recognizers on
top of it would run the generic ones twice. So every recognizer is listed here, once per
language, with that language's context phrases (`context_words.py`; matched by `context.py`).
Identifiers (`identifiers.py`), names (`people.py`) and addresses (`addresses.py`) are found
in every language: a French NIR or a German address can be quoted in an English e-mail. A
language with no spaCy model gets every recognizer but the model's.

Dropped on purpose, with the reason:
- URLs without a scheme ("main.py", "setup.sh", "notes.md" all match Presidio's list of
  top-level domains, and code is common in LLM prompts); `http(s)://` URLs are kept.
- IP addresses that identify no host: loopback, unspecified and reserved ones ("::2" is
  what the Python slice `a[::2]` looks like to Presidio).
- Dates written "mm/yy" or "mm/yyyy" (scores 0.1/0.2; fractions and card expiry dates).
- Presidio's IBAN and card recognizers: ours try every country's exact IBAN length and
  every card scheme's lengths (Presidio's miss lower-case IBANs, dotted card numbers and
  Mastercard's 2-series).
- Presidio's US/UK/other national recognizers: not our jurisdictions yet, and each is a
  source of false positives; add them per deployment when needed.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

import regex as re
from presidio_analyzer import EntityRecognizer, Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from presidio_analyzer.predefined_recognizers import (
    DateRecognizer,
    EmailRecognizer,
    IpRecognizer,
    PhoneRecognizer,
    SpacyRecognizer,
    UrlRecognizer,
)

from proxy.detection.addresses import AddressRecognizer
from proxy.detection.context_words import ADDRESS_PHRASES, BIRTH_PHRASES, CONTEXT
from proxy.detection.custom import (
    VALIDATORS,
    CustomRecognizer,
    DenyList,
    PolicyDetection,
    Validator,
)
from proxy.detection.identifiers import CASE_SENSITIVE, IGNORE_CASE, identifier_recognizers
from proxy.detection.names import COMMON_WORDS, FIRST_NAMES
from proxy.detection.normalise import OFFLINE_TLD_EXTRACT
from proxy.detection.people import LABEL_WORDS, TITLE_WORDS, BirthDateRecognizer, NameCueRecognizer


class NerRecognizer(SpacyRecognizer):
    """spaCy's entities, minus those that are just the name of a kind of data.

    Small models often tag "IBAN", "SIRET" or "Visa" as an organisation or a place. Such a
    word is not personal data, and masking it ("<ORGANIZATION_1> <IBAN_CODE_1>") only
    makes the prompt harder for the model to read. The words are the context phrases of
    the language: by construction, labels that introduce data.
    """

    def __init__(
        self, supported_language: str, supported_entities: list[str], labels: Sequence[str]
    ) -> None:
        super().__init__(
            supported_language=supported_language, supported_entities=supported_entities
        )
        self.labels = frozenset(label.casefold() for label in labels)

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """spaCy's results, without entities whose whole text is a data label."""
        results: list[RecognizerResult] = super().analyze(text, entities, nlp_artifacts)
        return [
            r
            for r in results
            if text[r.start : r.end].casefold() not in self.labels
            and plausible_entity(text, r.start, r.end, r.entity_type)
        ]


_SENTENCE_START = re.compile(r"(?:^|[.!?:;»\"]\s+|\n\s*|^\s*[-*•>]\s*)$")


def plausible_entity(text: str, start: int, end: int, entity_type: str) -> bool:
    """Whether a model's entity can be one: it has letters; a one-word person or place is
    not a title, a form label or a common capitalised word; a one-word person that only
    starts a sentence ("Salary will be paid", "Montant mensuel") is a common noun unless it
    is a known first name or appears elsewhere in the text."""
    value = text[start:end]
    if not any(char.isalpha() for char in value):
        return False
    if entity_type not in {"PERSON", "LOCATION"} or " " in value.strip():
        return True
    word = value.strip(" .,;:").casefold()
    if word in COMMON_WORDS or word in TITLE_WORDS or word in LABEL_WORDS:
        return False
    if entity_type != "PERSON":
        return True
    starts_sentence = _SENTENCE_START.search(text[max(0, start - 8) : start]) is not None
    return sum(char.isalpha() for char in value) >= 3 and (
        word in FIRST_NAMES or not starts_sentence or text.count(value) > 1
    )


class OfflineEmailRecognizer(EmailRecognizer):
    """Presidio's email recognizer, validating the domain against the bundled suffix list."""

    def validate_result(self, pattern_text: str) -> bool:
        """An address counts if its domain ends in a known public suffix (offline)."""
        return OFFLINE_TLD_EXTRACT(pattern_text).fqdn != ""


class HostIpRecognizer(IpRecognizer):
    """Presidio's IP recognizer, keeping only addresses that can point at a host or person."""

    def invalidate_result(self, pattern_text: str) -> bool:
        """Drop what is not an address, and loopback, unspecified or reserved addresses."""
        try:
            address = ipaddress.ip_interface(pattern_text).ip
        except ValueError:
            return True
        return address.is_loopback or address.is_unspecified or address.is_reserved


def _without(patterns: Sequence[Pattern], names: set[str]) -> list[Pattern]:
    kept = [pattern for pattern in patterns if pattern.name not in names]
    if len(kept) != len(patterns) - len(names):
        # A Presidio upgrade renamed a pattern: fail at start-up, not silently keep noise.
        raise RuntimeError(f"Presidio patterns {sorted(names)} not all found")
    return kept


def recognizers_for(
    language: str, phone_regions: Sequence[str], ner_entities: Sequence[str]
) -> list[EntityRecognizer]:
    """Every recognizer for one language, each once, with that language's context.

    `ner_entities` empty: the language has no spaCy model, patterns only."""
    context = CONTEXT.get(language, CONTEXT["en"])
    birth = BIRTH_PHRASES.get(language, []) + BIRTH_PHRASES["en"]
    address = ADDRESS_PHRASES.get(language, []) + ADDRESS_PHRASES["en"]
    ner: list[EntityRecognizer] = []
    if ner_entities:
        ner.append(
            NerRecognizer(
                supported_language=language,
                supported_entities=list(ner_entities),
                labels=[phrase for phrases in context.values() for phrase in phrases],
            )
        )
    return [
        *ner,
        OfflineEmailRecognizer(supported_language=language, context=context["EMAIL_ADDRESS"]),
        PhoneRecognizer(
            supported_language=language,
            context=context["PHONE_NUMBER"],
            supported_regions=tuple(phone_regions),
        ),
        HostIpRecognizer(supported_language=language, context=context["IP_ADDRESS"]),
        UrlRecognizer(
            supported_language=language,
            context=context["URL"],
            patterns=_without(UrlRecognizer.PATTERNS, {"Non schema URL", "Quoted Non-schema URL"}),
        ),
        DateRecognizer(
            supported_language=language,
            context=context["DATE_TIME"],
            patterns=_without(DateRecognizer.PATTERNS, {"mm/yyyy or m/yyyy", "mm/yy or m/yy"}),
        ),
        *identifier_recognizers(language, context),
        AddressRecognizer(language, address),
        NameCueRecognizer(language),
        BirthDateRecognizer(language, birth),
    ]


class PolicyPatternRecognizer(PatternRecognizer):
    """A policy's regular expressions for one entity, with its validator and context."""

    def __init__(self, spec: CustomRecognizer, language: str) -> None:
        super().__init__(
            supported_entity=spec.entity,
            name=f"policy:{spec.entity}",
            patterns=[
                Pattern(f"policy:{spec.entity}:{index}", pattern.regex, pattern.score)
                for index, pattern in enumerate(spec.patterns)
            ],
            context=list(spec.context),
            supported_language=language,
            global_regex_flags=CASE_SENSITIVE if spec.case_sensitive else IGNORE_CASE,
        )
        self._validate = None if spec.validator is Validator.NONE else VALIDATORS[spec.validator]

    def validate_result(self, pattern_text: str) -> bool | None:
        """With a validator: certain if it passes, dropped if not. Without: pattern score."""
        return None if self._validate is None else self._validate(pattern_text)


class DenyListRecognizer(EntityRecognizer):
    """A policy's deny-list for one entity: every listed value found, score 1."""

    def __init__(self, spec: CustomRecognizer, language: str) -> None:
        super().__init__(
            supported_entities=[spec.entity],
            name=f"policy-deny:{spec.entity}",
            supported_language=language,
        )
        self._entity = spec.entity
        self._list = DenyList(spec.deny_list, case_sensitive=spec.case_sensitive)

    def load(self) -> None:
        """Nothing to load."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Each listed value in `text`."""
        return [
            RecognizerResult(self._entity, start, end, 1.0) for start, end in self._list.spans(text)
        ]


def policy_recognizers(detection: PolicyDetection, language: str) -> list[EntityRecognizer]:
    """Presidio recognizers for a policy's own `recognizers` entries, for one language."""
    built: list[EntityRecognizer] = []
    for spec in detection.recognizers:
        if spec.patterns:
            built.append(PolicyPatternRecognizer(spec, language))
        if spec.deny_list:
            built.append(DenyListRecognizer(spec, language))
    return built
