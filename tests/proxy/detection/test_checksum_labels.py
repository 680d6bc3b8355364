"""A wrong check digit right after the identifier's label is still personal data (issue 8,
item 13); without a label, a number failing its check stays what it was: not a finding.

The rule is in `proxy.detection.identifiers` (module docstring); labels are
`context_words.LABELS`, matched by `context.label_pattern`.
"""

from __future__ import annotations

import pytest
from stdnum.be import nn as be_nn
from stdnum.ch import ssn as ch_ssn
from stdnum.de import idnr as de_idnr
from stdnum.es import dni as es_dni
from stdnum.es import nie as es_nie
from stdnum.it import codicefiscale as it_cf

from proxy.detection.context import label_pattern, value_starts
from proxy.detection.context_words import CONTEXT, LABELS
from proxy.detection.french_ids import luhn_is_valid, nir_is_valid, siren_is_valid, siret_is_valid
from proxy.detection.identifiers import (
    INVALID_CHECKSUM_SCORE,
    iban_is_valid,
    identifier_recognizers,
    vat_is_valid,
)
from proxy.detection.pool import PresidioDetector
from proxy.detection.types import CHECKSUM_KEY, Analysis, Checksum, Finding, checksum_of

# (language, text, entity type, value): the value's check digits disagree, its label is
# right before it.
LABELLED = [
    ("fr", "NIR 1 85 05 78 006 084 36", "FR_NIR", "1 85 05 78 006 084 36"),
    ("fr", "n° de sécurité sociale : 2 69 05 49 588 157 81", "FR_NIR", "2 69 05 49 588 157 81"),
    ("en", "Her social security number is 1 85 05 78 006 084 36.", "FR_NIR",
     "1 85 05 78 006 084 36"),
    ("fr", "Mon IBAN : FR77 3000 6000 0112 3456 7890 189, merci.", "IBAN_CODE",
     "FR77 3000 6000 0112 3456 7890 189"),
    ("en", "IBAN DE88 3704 0044 0532 0130 00 please.", "IBAN_CODE",
     "DE88 3704 0044 0532 0130 00"),
    ("es", "Cuenta: ES92 2100 0418 4502 0005 1332.", "IBAN_CODE",
     "ES92 2100 0418 4502 0005 1332"),
    ("fr", "Payé avec la carte 4970 1234 5678 9014 hier.", "CREDIT_CARD", "4970 1234 5678 9014"),
    ("en", "Card number: 5555 5555 5555 4445.", "CREDIT_CARD", "5555 5555 5555 4445"),
    ("en", "My card is 4111-1111-1111-1112, expiring soon.", "CREDIT_CARD",
     "4111-1111-1111-1112"),
    ("fr", "Société immatriculée, SIREN 732 829 321.", "FR_SIREN", "732 829 321"),
    ("fr", "SIRET n° 732 829 320 00075", "FR_SIRET", "732 829 320 00075"),
    ("fr", "TVA intracommunautaire : FR41303265045", "EU_VAT", "FR41303265045"),
    ("de", "USt-IdNr.: DE136695977", "EU_VAT", "DE136695977"),
    ("de", "Steuer-ID: 65929970488", "DE_TAX_ID", "65929970488"),
    ("es", "DNI 12345678A", "ES_NIF", "12345678A"),
    ("es", "NIE X1234567A", "ES_NIE", "X1234567A"),
    ("it", "Codice fiscale: RSSMRA85T10A562T", "IT_FISCAL_CODE", "RSSMRA85T10A562T"),
    ("fr", "Numéro national : 85.07.30-033.27", "BE_NATIONAL_NUMBER", "85.07.30-033.27"),
    ("de", "AHV-Nr. 756.1234.5678.96", "CH_AHV", "756.1234.5678.96"),
]  # fmt: skip

# Numbers of an identifier's shape failing its check, with no label right before them: order,
# invoice, ticket and file numbers; and labels followed by something that is not the value.
UNLABELLED = [
    ("en", "Order 4111 1111 1111 1112 has shipped."),
    ("en", "Order number: 4970 1234 5678 9014"),
    ("en", "Ticket #4111 1111 1111 1112 closed."),
    ("fr", "Commande n° 4970 1234 5678 9014 expédiée."),
    ("de", "Bestellnummer 5555 5555 5555 4445"),
    ("en", "Invoice 732 829 321 paid."),
    ("fr", "Facture 732 829 320 00075 réglée."),
    ("fr", "Dossier 1 85 05 78 006 084 36 clos."),
    ("fr", "Le code 4111 1111 1111 1112 est faux."),
    ("en", "Tracking FR77 3000 6000 0112 3456 7890 189"),
    ("en", "Ref. DE136695977"),
    ("en", "Transfer to GB83 WEST 1234 5698 7654 32 please."),
    ("en", "Visa 4111 1111 1111 1111 or 4111-1111-1111-1111, not 4111 1111 1111 1112."),
    ("en", "VAT: AT ANY TIME"),
    ("en", "VAT 20% 119.76, card 2 of 3"),
    ("fr", "TVA 20 % soit 77,40 €, carte 4 fois sans frais"),
    ("fr", "IBAN : voir le RIB joint. SIREN : en cours."),
    ("en", "Card 4970 1234 5678 9014 5678 1234 is too long to be a card."),
]

CHECKSUM_TYPES = frozenset(LABELS)


def _span(text: str, value: str) -> tuple[int, int]:
    start = text.index(value)
    return start, start + len(value)


def test_the_tables_hold_what_they_say() -> None:
    """Each labelled value really fails its check (else the test proves nothing)."""
    checks = {
        "FR_NIR": nir_is_valid, "FR_SIREN": siren_is_valid, "FR_SIRET": siret_is_valid,
        "IBAN_CODE": lambda v: iban_is_valid(v.replace(" ", "")),
        "CREDIT_CARD": lambda v: luhn_is_valid(v.replace(" ", "").replace("-", "")),
        "EU_VAT": vat_is_valid, "DE_TAX_ID": de_idnr.is_valid, "ES_NIF": es_dni.is_valid,
        "ES_NIE": es_nie.is_valid, "IT_FISCAL_CODE": it_cf.is_valid,
        "BE_NATIONAL_NUMBER": be_nn.is_valid, "CH_AHV": ch_ssn.is_valid,
    }  # fmt: skip
    assert set(checks) == CHECKSUM_TYPES
    for _, _, entity, value in LABELLED:
        assert not checks[entity](value), (entity, value)
    assert {entity for _, _, entity, _ in LABELLED} == CHECKSUM_TYPES


def test_labels_name_identifiers_not_generic_words() -> None:
    """A label is the only evidence for a value failing its check: never a generic word."""
    generic = {"number", "no", "n°", "id", "order", "invoice", "reference", "ref", "payment",
               "company", "code", "numéro", "nummer", "date", "contact"}  # fmt: skip
    phrases = {phrase for phrases in LABELS.values() for phrase in phrases}
    assert not phrases & generic


def test_only_identifiers_with_check_digits_have_labels() -> None:
    produced = {r.supported_entities[0] for r in identifier_recognizers("en", CONTEXT["en"])}
    assert produced >= CHECKSUM_TYPES
    assert not CHECKSUM_TYPES & {"BIC_CODE", "FR_PASSPORT", "FR_ID_CARD", "LICENSE_PLATE"}


@pytest.mark.parametrize(
    ("text", "starts"),
    [
        ("IBAN : FR76", [7]),
        ("Mon IBAN est FR76", [13]),
        ("card number: 4970", [13]),
        ("N° de carte bancaire : 4970", [23]),  # the longest label wins
        ("SIRET n° 732", [9]),
        ("IBAN-Nummer: DE89", [13]),
        ("numéro de sécurité\nsociale : 1 85", [29]),
        ("ribbon 123", []),  # whole words only
        ("The card was lost", [9]),  # a value would have to start right there
    ],
)
def test_value_starts_right_after_a_label(text: str, starts: list[int]) -> None:
    phrases = LABELS["IBAN_CODE"] + LABELS["CREDIT_CARD"] + LABELS["FR_SIRET"] + LABELS["FR_NIR"]
    assert value_starts(label_pattern(phrases), text) == starts


def test_a_label_pattern_needs_phrases() -> None:
    with pytest.raises(ValueError, match="at least one phrase"):
        label_pattern([])


def _recognized(language: str, text: str) -> list[tuple[str, str, float, str | None]]:
    found = []
    for recognizer in identifier_recognizers(language, CONTEXT.get(language, CONTEXT["en"])):
        entity = recognizer.supported_entities[0]
        for result in recognizer.analyze(text, [entity]):
            metadata = result.recognition_metadata or {}
            found.append((entity, text[result.start : result.end], result.score,
                          metadata.get(CHECKSUM_KEY)))  # fmt: skip
    return found


@pytest.mark.parametrize(("language", "text", "entity", "value"), LABELLED)
def test_a_labelled_value_failing_its_check_is_found_and_flagged(
    language: str, text: str, entity: str, value: str
) -> None:
    assert (entity, value, INVALID_CHECKSUM_SCORE, "invalid") in _recognized(language, text)


@pytest.mark.parametrize(
    ("text", "entity", "value"),
    [
        ("NIR 1 85 05 78 006 084 91", "FR_NIR", "1 85 05 78 006 084 91"),
        (
            "IBAN FR76 3000 6000 0112 3456 7890 189",
            "IBAN_CODE",
            "FR76 3000 6000 0112 3456 7890 189",
        ),
        ("carte 4111 1111 1111 1111", "CREDIT_CARD", "4111 1111 1111 1111"),
        ("SIREN 732 829 320", "FR_SIREN", "732 829 320"),
    ],
)
def test_a_value_passing_its_check_is_flagged_valid(text: str, entity: str, value: str) -> None:
    found = [(e, v, c) for e, v, _, c in _recognized("fr", text) if e == entity]
    assert found == [(entity, value, "valid")]


@pytest.mark.parametrize(("language", "text"), UNLABELLED)
def test_without_a_label_a_failing_check_finds_nothing(language: str, text: str) -> None:
    flagged = [found for found in _recognized(language, text) if found[3] == "invalid"]
    assert not flagged


@pytest.mark.parametrize(("language", "text", "entity", "value"), LABELLED)
async def test_the_engine_masks_labelled_values_as_their_type(
    presidio: PresidioDetector, language: str, text: str, entity: str, value: str
) -> None:
    """Through the real engine: the type and exact span, at a score the default policy acts on
    (0.5) and below that of any value whose check digits agree."""
    [analysis] = await presidio.analyze([text], [language])
    start, end = _span(text, value)
    scores = [f.score for f in analysis.findings if (f.entity_type, f.start, f.end) == (
        entity, start, end)]  # fmt: skip
    assert scores == [INVALID_CHECKSUM_SCORE]
    assert 0.5 <= INVALID_CHECKSUM_SCORE < 0.65


async def test_the_engine_finds_nothing_in_unlabelled_look_alikes(
    presidio: PresidioDetector,
) -> None:
    """Precision: order, invoice, ticket numbers and labels not followed by their value."""
    for language, text in UNLABELLED:
        [analysis] = await presidio.analyze([text], [language])
        wrong = [
            (f.entity_type, text[f.start : f.end], f.score)
            for f in analysis.findings
            if f.entity_type in CHECKSUM_TYPES and f.score >= 0.5
            and text[f.start : f.end] not in {"4111 1111 1111 1111", "4111-1111-1111-1111"}
        ]  # fmt: skip
        assert not wrong, text


def test_findings_and_analyses_count_invalid_checksums_apart() -> None:
    findings = (
        Finding(0, 4, "IBAN_CODE", 1.0, Checksum.VALID),
        Finding(5, 9, "IBAN_CODE", 0.6, Checksum.INVALID),
        Finding(10, 14, "CREDIT_CARD", 0.6, Checksum.INVALID),
        Finding(15, 19, "PERSON", 0.85),
    )
    assert Analysis("fr", findings).checksum_invalid == {"IBAN_CODE": 1, "CREDIT_CARD": 1}
    assert Analysis("fr", ()).checksum_invalid == {}


@pytest.mark.parametrize(
    ("metadata", "checksum"),
    [
        ({CHECKSUM_KEY: "invalid"}, Checksum.INVALID),
        ({CHECKSUM_KEY: "valid", "recognizer_name": "x"}, Checksum.VALID),
        ({"recognizer_name": "x"}, None),
        (None, None),
    ],
)
def test_checksum_of_reads_a_recognizers_metadata(
    metadata: dict[str, str] | None, checksum: Checksum | None
) -> None:
    assert checksum_of(metadata) is checksum
