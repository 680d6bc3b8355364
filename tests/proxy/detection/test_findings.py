"""What the real engine finds, through the shared pool: entity type and exact span.

Each case lists values that must be found (type, the exact text of the span) and values
that must not be found as that type (wrong checksums, things that only look like data), at a
score the default policy acts on.
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
    covered: list[tuple[str, str]] = field(default_factory=list)  # by a span at least as wide


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
        # where two named people will be is theirs (issue 9, `places_near_people`)
        [("PERSON", "John Smith"), ("PERSON", "Marie Curie"), ("LOCATION", "Paris")],
    ),
    "en-place-in-business-prose": Case(
        "en",
        "Our sales rose 4% in Paris and 2% in Lyon last quarter.",
        [],
        [("LOCATION", "Paris"), ("LOCATION", "Lyon")],  # a sentence that names no one
    ),
    "en-place-tied-to-a-person": Case(
        "en", "John Smith lives in Leeds.", [("PERSON", "John Smith"), ("LOCATION", "Leeds")]
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
        "fr", "Jean Dupont, né le 12/03/1985 à Lyon.", [("DATE_OF_BIRTH", "12/03/1985")]
    ),
    "fr-plain-date-is-not-a-birth-date": Case(
        "fr",
        "La réunion du 12/03/2025 est reportée.",
        [("DATE_TIME", "12/03/2025")],
        [("DATE_OF_BIRTH", "12/03/2025")],
    ),
    "en-birth-date-words": Case(
        "en", "Patient born on March 3, 1958 in Leeds.", [("DATE_OF_BIRTH", "March 3, 1958")]
    ),
    "fr-phones-every-form": Case(
        "fr",
        "Tél : +33 (0)6 12 34 56 78, 0033 6 12 34 56 78, 06-12-34-56-78, "
        "06\u00a012\u00a034\u00a056\u00a078.",
        [
            ("PHONE_NUMBER", "+33 (0)6 12 34 56 78"),
            ("PHONE_NUMBER", "0033 6 12 34 56 78"),
            ("PHONE_NUMBER", "06-12-34-56-78"),
            ("PHONE_NUMBER", "06\u00a012\u00a034\u00a056\u00a078"),
        ],
    ),
    "fr-vat": Case(
        "fr",
        "TVA intracommunautaire FR40303265045, et non FR41303265045.",
        [("EU_VAT", "FR40303265045")],
        [("EU_VAT", "FR41303265045")],
    ),
    "fr-iban-every-country-and-case": Case(
        "fr",
        "Comptes : fr7630006000011234567890189, DE89 3704 0044 0532 0130 00, "
        "PL61 1090 1014 0000 0712 1981 2874, MC58 1122 2000 0101 2345 6789 030.",
        [
            ("IBAN_CODE", "fr7630006000011234567890189"),
            ("IBAN_CODE", "DE89 3704 0044 0532 0130 00"),
            ("IBAN_CODE", "PL61 1090 1014 0000 0712 1981 2874"),
            ("IBAN_CODE", "MC58 1122 2000 0101 2345 6789 030"),
        ],
    ),
    "fr-iban-does-not-swallow-the-next-number": Case(
        "fr",
        "IBAN FR76 3000 6000 0112 3456 7890 189 42 euros",
        [("IBAN_CODE", "FR76 3000 6000 0112 3456 7890 189")],
    ),
    "fr-bic-needs-context": Case(
        "fr",
        "BIC : BNPAFRPPXXX. Le DOCUMENT joint.",
        [("BIC_CODE", "BNPAFRPPXXX")],
        [("BIC_CODE", "DOCUMENT")],
    ),
    "fr-plate-passport-id-card": Case(
        "fr",
        "Véhicule immatriculé AB-123-CD ; passeport n° 19AB45821 ; "
        "carte d'identité n° 880692310285.",
        [
            ("LICENSE_PLATE", "AB-123-CD"),
            ("FR_PASSPORT", "19AB45821"),
            ("FR_ID_CARD", "880692310285"),
        ],
    ),
    "fr-address-and-titles": Case(
        "fr",
        "Mme Lefèvre, demeurant 15 bis rue Victor Hugo, 93100 Montreuil, et M. DUPONT.",
        [("ADDRESS", "15 bis rue Victor Hugo, 93100 Montreuil")],
        covered=[("PERSON", "Lefèvre"), ("PERSON", "DUPONT")],
    ),
    "fr-form-labels": Case(
        "fr",
        "Nom : MOREAU ; Prénom : Isabelle",
        [("PERSON", "MOREAU"), ("PERSON", "Isabelle")],
        [("PERSON", "Nom")],
    ),
    "en-card-schemes": Case(
        "en",
        "Cards: 2223 0000 4841 0010, 4111.1111.1111.1111, 3782 822463 10005.",
        [
            ("CREDIT_CARD", "2223 0000 4841 0010"),
            ("CREDIT_CARD", "4111.1111.1111.1111"),
            ("CREDIT_CARD", "3782 822463 10005"),
        ],
    ),
    "en-address-uk": Case(
        "en",
        "Send it to 221B Baker Street, London NW1 6XE please.",
        [("ADDRESS", "221B Baker Street, London NW1 6XE")],
    ),
    "de-ids-and-address": Case(
        "de",
        "Steuer-ID 36 574 261 809, wohnhaft Hauptstraße 5a, 10115 Berlin; Herr Müller.",
        [
            ("DE_TAX_ID", "36 574 261 809"),
            ("ADDRESS", "Hauptstraße 5a, 10115 Berlin"),
            ("PERSON", "Müller"),
        ],
    ),
    "es-ids": Case(
        "es",
        "DNI 12345678Z, NIE X1234567L; la Sra. García vive en Calle Mayor 12, 28013 Madrid.",
        [
            ("ES_NIF", "12345678Z"),
            ("ES_NIE", "X1234567L"),
            ("PERSON", "García"),
            ("ADDRESS", "Calle Mayor 12, 28013 Madrid"),
        ],
        [("ES_NIF", "X1234567L")],
    ),
    "it-be-ch-ids": Case(
        "fr",
        "Codice fiscale RSSMRA85T10A562S; numéro national 85.07.30-033.28; AVS 756.9217.0769.85.",
        [
            ("IT_FISCAL_CODE", "RSSMRA85T10A562S"),
            ("BE_NATIONAL_NUMBER", "85.07.30-033.28"),
            ("CH_AHV", "756.9217.0769.85"),
        ],
    ),
    "fr-nir": Case(
        "fr",
        "n° de sécurité sociale : 2 69 05 49 588 157 80",
        [("FR_NIR", "2 69 05 49 588 157 80")],
    ),
    "fr-nir-compact": Case("fr", "NIR 269054958815780.", [("FR_NIR", "269054958815780")]),
    "fr-nir-bad-key-after-its-label": Case(  # a typo'd key is still the person's NIR
        "fr",
        "n° de sécurité sociale : 2 69 05 49 588 157 81",
        [("FR_NIR", "2 69 05 49 588 157 81")],
    ),
    "fr-nir-bad-key-without-label": Case(
        "fr",
        "Le dossier 2 69 05 49 588 157 81 est clos.",
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


def _acted_on(finding: Finding) -> bool:
    """Scored high enough for the default policy to act on it (0.3 for phones, else 0.5)."""
    return finding.score >= (0.3 if finding.entity_type == "PHONE_NUMBER" else 0.5)


def _overlaps(finding: Finding, start: int, end: int) -> bool:
    return finding.start < end and start < finding.end


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
async def test_findings(presidio: PresidioDetector, case: Case) -> None:
    """Found as the type and exact span given, at a score the default policy acts on."""
    [analysis] = await presidio.analyze([case.text], [case.language])
    assert analysis.language == case.language
    got = {(f.entity_type, f.start, f.end) for f in analysis.findings if _acted_on(f)}
    for entity_type, value in case.found:
        assert (entity_type, *_span(case.text, value)) in got, (entity_type, value)
    for entity_type, value in case.covered:
        start, end = _span(case.text, value)
        assert any(t == entity_type and s <= start and end <= e for t, s, e in got), (
            entity_type,
            value,
        )
    for entity_type, value in case.not_found:
        start, end = _span(case.text, value)
        wrong = [
            f
            for f in analysis.findings
            if f.entity_type == entity_type and _overlaps(f, start, end) and _acted_on(f)
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
