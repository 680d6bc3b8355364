"""Issue 9: brands no private person is plausibly called ("Louis Vuitton", "Hermès",
"Dr. Oetker", "Jack Daniel's", "Ben & Jerry's") name no one even with no brand word near
them, while the same names written as a record's (a form's field, after a title, with a
phone on the line) stay people, and brands many people are named like ("Paul Smith") still
need a brand word. Fictitious texts of our own; the whole detector, as the proxy runs it.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


def _people(presidio: PresidioDetector, text: str, language: str) -> list[str]:
    return masked(presidio, text, language, "PERSON")


@pytest.mark.parametrize(
    ("language", "text"),
    [
        (
            "fr",
            "Cadeaux de fin d'année : stylo Montblanc, foulard Hermès, coffret de macarons, "
            "maroquinerie Louis Vuitton.",
        ),
        (
            "en",
            "Tighten this brief: the winter promotion bundles Ben & Jerry's tubs with "
            "Dr. Oetker Ristorante pizzas in 640 supermarkets.",
        ),
        ("en", "Markets wrap: the index slipped while Dell rose 6% after its results."),
        (
            "es",
            "Lote de empresa: turrón, una botella de Jack Daniel's grabada y un pañuelo Hermès.",
        ),
        ("it", "La promo estiva abbina i gelati alle pizze Dr. Oetker in 300 punti vendita."),
        ("de", "Für die VIP-Kunden bestellen wir wieder Christian Dior Parfums als Geschenk."),
    ],
)
def test_an_unmistakable_brand_is_no_person(
    presidio: PresidioDetector, language: str, text: str
) -> None:
    assert _people(presidio, text, language) == []


@pytest.mark.parametrize(
    ("language", "text", "person"),
    [
        ("de", "Kunde: Louis Vuitton\nTel. 0171 2345678", "Louis Vuitton"),
        ("en", "Please ring Mr Dell tomorrow about the invoice.", "Dell"),
        ("en", "Paul Smith will send the forms tomorrow.", "Paul Smith"),
    ],
)
def test_a_record_or_a_common_name_stays_a_person(
    presidio: PresidioDetector, language: str, text: str, person: str
) -> None:
    assert person in _people(presidio, text, language)
