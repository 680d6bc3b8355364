"""The recognizers each language gets, built explicitly: nothing loaded by default.

Presidio's default registry gives every language the same recognizers with English context
words, and enables national ones (US SSN, bank account, driver licence, passport, ITIN; UK
NHS) that outside their country mostly produce false positives; adding French recognizers on
top of it would run the generic ones twice. So every recognizer is listed here, once per
language, with that language's context phrases (`context_words.py`; matched by `context.py`).

Dropped on purpose, with the reason:
- URLs without a scheme ("main.py", "setup.sh", "notes.md" all match Presidio's list of
  top-level domains, and code is common in LLM prompts); `http(s)://` URLs are kept.
- IP addresses that identify no host: loopback, unspecified and reserved ones ("::2" is
  what the Python slice `a[::2]` looks like to Presidio).
- Dates written "mm/yy" or "mm/yyyy" (scores 0.1/0.2; fractions and card expiry dates).
- Presidio's US/UK/other national recognizers: not our jurisdictions yet, and each is a
  source of false positives; add them per deployment when needed.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

import tldextract
from presidio_analyzer import EntityRecognizer, Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from presidio_analyzer.predefined_recognizers import (
    CreditCardRecognizer,
    DateRecognizer,
    EmailRecognizer,
    IbanRecognizer,
    IpRecognizer,
    PhoneRecognizer,
    SpacyRecognizer,
    UrlRecognizer,
)

from proxy.detection.context_words import CONTEXT
from proxy.detection.french_ids import nir_is_valid, siren_is_valid, siret_is_valid

# tldextract fetches the public-suffix list over the network on first use unless told not
# to; with no URLs and no cache directory it uses the snapshot shipped in the package.
OFFLINE_TLD_EXTRACT = tldextract.TLDExtract(cache_dir=None, suffix_list_urls=())

# Between the digit groups of French numbers people write spaces, dots, dashes and the
# (narrow) non-breaking spaces word processors put in French text.
_SEP = r"[ .\-\u00a0\u202f]?"
# Not glued to a longer number: no digit (even across one separator) right before or after.
_BEFORE = r"(?<![\w])(?<!\d[ .\-\u00a0\u202f])"
_AFTER = r"(?![\w])(?![ .\-\u00a0\u202f]\d)"


def _digit_groups(*groups: str) -> str:
    """A regex for `groups` written with or without separators, not part of a longer number."""
    return _BEFORE + _SEP.join(groups) + _AFTER


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
        return [r for r in results if text[r.start : r.end].casefold() not in self.labels]


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


class FrNirRecognizer(PatternRecognizer):
    """French social security number (NIR), 15 characters, key checked (mod 97)."""

    PATTERNS = (
        Pattern(
            "FR_NIR",
            _digit_groups(
                r"[1-478]", r"\d{2}", r"\d{2}", r"(?:\d{2}|2[AB])", r"\d{3}", r"\d{3}", r"\d{2}"
            ),
            0.5,
        ),
    )

    def __init__(self, supported_language: str, context: list[str]) -> None:
        super().__init__(
            supported_entity="FR_NIR",
            patterns=list(self.PATTERNS),
            context=context,
            supported_language=supported_language,
        )

    def validate_result(self, pattern_text: str) -> bool:
        """A valid key is strong evidence (score 1); a wrong one drops the match."""
        return nir_is_valid(pattern_text)


class FrSirenRecognizer(PatternRecognizer):
    """French company number (SIREN), 9 digits, Luhn. Weak alone: 1 number in 10 passes."""

    PATTERNS = (Pattern("FR_SIREN", _digit_groups(r"\d{3}", r"\d{3}", r"\d{3}"), 0.3),)

    def __init__(self, supported_language: str, context: list[str]) -> None:
        super().__init__(
            supported_entity="FR_SIREN",
            patterns=list(self.PATTERNS),
            context=context,
            supported_language=supported_language,
        )

    def invalidate_result(self, pattern_text: str) -> bool:
        """A failed checksum drops the match; a passing one keeps the pattern's score,
        because passing Luhn is weak evidence that context words must confirm."""
        return not siren_is_valid(pattern_text)


class FrSiretRecognizer(PatternRecognizer):
    """French establishment number (SIRET), 14 digits, Luhn or La Poste's rule."""

    PATTERNS = (Pattern("FR_SIRET", _digit_groups(r"\d{3}", r"\d{3}", r"\d{3}", r"\d{5}"), 0.5),)

    def __init__(self, supported_language: str, context: list[str]) -> None:
        super().__init__(
            supported_entity="FR_SIRET",
            patterns=list(self.PATTERNS),
            context=context,
            supported_language=supported_language,
        )

    def invalidate_result(self, pattern_text: str) -> bool:
        """A failed checksum drops the match; see `FrSirenRecognizer.invalidate_result`."""
        return not siret_is_valid(pattern_text)


def _without(patterns: Sequence[Pattern], names: set[str]) -> list[Pattern]:
    kept = [pattern for pattern in patterns if pattern.name not in names]
    if len(kept) != len(patterns) - len(names):
        # A Presidio upgrade renamed a pattern: fail at start-up, not silently keep noise.
        raise RuntimeError(f"Presidio patterns {sorted(names)} not all found")
    return kept


def recognizers_for(
    language: str, phone_regions: Sequence[str], ner_entities: Sequence[str]
) -> list[EntityRecognizer]:
    """Every recognizer for one language, each once, with that language's context."""
    context = CONTEXT.get(language, CONTEXT["en"])
    return [
        NerRecognizer(
            supported_language=language,
            supported_entities=list(ner_entities),
            labels=[phrase for phrases in context.values() for phrase in phrases],
        ),
        OfflineEmailRecognizer(supported_language=language, context=context["EMAIL_ADDRESS"]),
        PhoneRecognizer(
            supported_language=language,
            context=context["PHONE_NUMBER"],
            supported_regions=tuple(phone_regions),
        ),
        IbanRecognizer(supported_language=language, context=context["IBAN_CODE"]),
        CreditCardRecognizer(supported_language=language, context=context["CREDIT_CARD"]),
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
        FrNirRecognizer(supported_language=language, context=context["FR_NIR"]),
        FrSirenRecognizer(supported_language=language, context=context["FR_SIREN"]),
        FrSiretRecognizer(supported_language=language, context=context["FR_SIRET"]),
    ]
