"""What the real engine finds, through the shared pool: entity type and exact span.

Each case lists values that must be found (type, the exact text of the span) and values
that must not be found as that type (wrong checksums, things that only look like data).
The spaCy models may add other findings (small models tag digit groups as dates, say); the
masking stage merges overlaps, so only the listed expectations are asserted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from proxy.detection.pool import PresidioDetector
from proxy.detection.types import Finding


@dataclass(frozen=True)
class Case:
    language: str
    text: str
    found: list[tuple[str, str]]
    not_found: list[tuple[str, str]] = field(default_factory=list)


CASES = {
    # English
    "en-email": Case(
        "en", "My email is john.smith@example.com.", [("EMAIL_ADDRESS", "john.smith@example.com")]
    ),
    "en-phone-us": Case(
        "en",
        "Call me at (201) 555-0123, 201-555-0123 or +1 201 555 0123.",
        [
            ("PHONE_NUMBER", "(201) 555-0123"),
            ("PHONE_NUMBER", "201-555-0123"),
            ("PHONE_NUMBER", "+1 201 555 0123"),
        ],
    ),
    "en-phone-gb": Case(
        "en",
        "Office 0121 234 5678, mobile +44 7400 123456.",
        [("PHONE_NUMBER", "0121 234 5678"), ("PHONE_NUMBER", "+44 7400 123456")],
    ),
    "en-phone-fr-international": Case(
        "en", "In Paris: +33 1 23 45 67 89.", [("PHONE_NUMBER", "+33 1 23 45 67 89")]
    ),
    "en-iban": Case(
        "en",
        "Transfer to GB82 WEST 1234 5698 7654 32 please.",
        [("IBAN_CODE", "GB82 WEST 1234 5698 7654 32")],
    ),
    "en-iban-bad-checksum": Case(
        "en",
        "Transfer to GB83 WEST 1234 5698 7654 32 please.",
        [],
        [("IBAN_CODE", "GB83 WEST 1234 5698 7654 32")],
    ),
    "en-card": Case(
        "en",
        "Visa 4111 1111 1111 1111 or 4111-1111-1111-1111, not 4111 1111 1111 1112.",
        [("CREDIT_CARD", "4111 1111 1111 1111"), ("CREDIT_CARD", "4111-1111-1111-1111")],
        [("CREDIT_CARD", "4111 1111 1111 1112")],
    ),
    "en-people": Case(
        "en",
        "John Smith will meet Marie Curie in Paris.",
        [("PERSON", "John Smith"), ("PERSON", "Marie Curie"), ("LOCATION", "Paris")],
    ),
    "en-ip-url": Case(
        "en",
        "The server is 192.168.1.10 (not 127.0.0.1); "
        "see https://example.com/u?id=42 or main.py or a[::2].",
        [("IP_ADDRESS", "192.168.1.10"), ("URL", "https://example.com/u?id=42")],
        [("IP_ADDRESS", "127.0.0.1"), ("URL", "main.py"), ("IP_ADDRESS", "::2")],
    ),
    "en-french-ids": Case(
        "en",
        "Her French social security number is 2 69 05 49 588 157 80; "
        "company SIRET 732 829 320 00074.",
        [("FR_NIR", "2 69 05 49 588 157 80"), ("FR_SIRET", "732 829 320 00074")],
        [("FR_SIREN", "732 829 320")],  # the SIREN inside a SIRET is not reported twice
    ),
    "en-data-labels-are-not-organisations": Case(
        "en",
        "Jean Dupont, IBAN FR76 3000 6000 0112 3456 7890 189, jean.dupont@orange.fr",
        [("PERSON", "Jean Dupont"), ("IBAN_CODE", "FR76 3000 6000 0112 3456 7890 189")],
        [("ORGANIZATION", "IBAN")],
    ),
    # French
    "fr-email": Case(
        "fr", "Mon adresse est jean.dupont@orange.fr.", [("EMAIL_ADDRESS", "jean.dupont@orange.fr")]
    ),
    "fr-phones": Case(
        "fr",
        "Appelez-moi au 06 12 34 56 78, au 06.12.34.56.78, au 0612345678 ou au +33 6 12 34 56 78.",
        [
            ("PHONE_NUMBER", "06 12 34 56 78"),
            ("PHONE_NUMBER", "06.12.34.56.78"),
            ("PHONE_NUMBER", "0612345678"),
            ("PHONE_NUMBER", "+33 6 12 34 56 78"),
        ],
    ),
    "fr-phones-be-ch": Case(
        "fr",
        "Bruxelles : +32 12 34 56 78. Lausanne : 021 234 56 78.",
        [("PHONE_NUMBER", "+32 12 34 56 78"), ("PHONE_NUMBER", "021 234 56 78")],
    ),
    "fr-iban": Case(
        "fr",
        "IBAN : FR76 3000 6000 0112 3456 7890 189",
        [("IBAN_CODE", "FR76 3000 6000 0112 3456 7890 189")],
    ),
    "fr-card": Case(
        "fr", "Ma carte bancaire : 4111 1111 1111 1111.", [("CREDIT_CARD", "4111 1111 1111 1111")]
    ),
    "fr-person": Case("fr", "Je m'appelle Jean Dupont.", [("PERSON", "Jean Dupont")]),
    "fr-person-place": Case(
        "fr",
        "Marie Curie est née à Varsovie.",
        [("PERSON", "Marie Curie"), ("LOCATION", "Varsovie")],
    ),
    "fr-birth-date": Case(
        "fr", "Jean Dupont, né le 12/03/1985 à Lyon.", [("DATE_TIME", "12/03/1985")]
    ),
    "fr-nir": Case(
        "fr",
        "n° de sécurité sociale : 2 69 05 49 588 157 80",
        [("FR_NIR", "2 69 05 49 588 157 80")],
    ),
    "fr-nir-compact": Case("fr", "NIR 269054958815780.", [("FR_NIR", "269054958815780")]),
    "fr-nir-bad-key": Case(
        "fr",
        "n° de sécurité sociale : 2 69 05 49 588 157 81",
        [],
        [("FR_NIR", "2 69 05 49 588 157 81")],
    ),
    "fr-nir-corsica": Case(
        "fr",
        "Assurés : 1 85 05 2A 006 084 35 et 1 85 05 2B 006 084 62, mais pas 1 85 05 2A 006 084 36.",
        [("FR_NIR", "1 85 05 2A 006 084 35"), ("FR_NIR", "1 85 05 2B 006 084 62")],
        [("FR_NIR", "1 85 05 2A 006 084 36")],
    ),
    "fr-siren": Case(
        "fr",
        "SIREN 732 829 320, et non 732 829 321.",
        [("FR_SIREN", "732 829 320")],
        [("FR_SIREN", "732 829 321"), ("ORGANIZATION", "SIREN")],
    ),
    "fr-siret": Case(
        "fr",
        "SIRET 732 829 320 00074 ou 73282932000074, mais pas 732 829 320 00075.",
        [("FR_SIRET", "732 829 320 00074"), ("FR_SIRET", "73282932000074")],
        [("FR_SIRET", "732 829 320 00075"), ("FR_SIREN", "732 829 320")],
    ),
    "fr-siret-la-poste": Case(
        "fr",
        "La Poste, SIRET 356 000 000 49837 ; faux : 356 000 000 49838.",
        [("FR_SIRET", "356 000 000 49837")],
        [("FR_SIRET", "356 000 000 49838")],
    ),
}


def _span(text: str, value: str) -> tuple[int, int]:
    start = text.index(value)
    return start, start + len(value)


def _overlaps(finding: Finding, start: int, end: int) -> bool:
    return finding.start < end and start < finding.end


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
async def test_findings(presidio: PresidioDetector, case: Case) -> None:
    [analysis] = await presidio.analyze([case.text], [case.language])
    assert analysis.language == case.language
    got = {(f.entity_type, f.start, f.end) for f in analysis.findings}
    for entity_type, value in case.found:
        assert (entity_type, *_span(case.text, value)) in got, (entity_type, value)
    for entity_type, value in case.not_found:
        start, end = _span(case.text, value)
        wrong = [
            f
            for f in analysis.findings
            if f.entity_type == entity_type and _overlaps(f, start, end)
        ]
        assert not wrong, (entity_type, value)


async def test_context_words_raise_the_score_of_weak_identifiers(
    presidio: PresidioDetector,
) -> None:
    """A bare 9-digit Luhn number is weak evidence; "SIREN" before it makes it strong."""
    bare, named = await presidio.analyze(
        ["Le nombre 732 829 320 apparaît ici.", "Société immatriculée sous le SIREN 732 829 320."],
        ["fr"],
    )
    [bare_score] = [f.score for f in bare.findings if f.entity_type == "FR_SIREN"]
    [named_score] = [f.score for f in named.findings if f.entity_type == "FR_SIREN"]
    assert bare_score < 0.5 < named_score


async def test_checksum_validated_identifiers_score_one(presidio: PresidioDetector) -> None:
    [analysis] = await presidio.analyze(
        ["NIR 2 69 05 49 588 157 80, IBAN FR76 3000 6000 0112 3456 7890 189"], ["fr"]
    )
    scores = {
        f.entity_type: f.score
        for f in analysis.findings
        if f.entity_type in {"FR_NIR", "IBAN_CODE"}
    }
    assert scores == {"FR_NIR": 1.0, "IBAN_CODE": 1.0}


async def test_language_is_picked_per_text_among_candidates(presidio: PresidioDetector) -> None:
    english, french = await presidio.analyze(
        ["Please call John Smith tomorrow.", "Merci d'appeler Jean Dupont demain."], ["en", "fr"]
    )
    assert (english.language, french.language) == ("en", "fr")
