"""Issue 9: a surname-first name is a register's field after a list's number ("1. Schulte, Miriam"),
or between dashes ("Plaza 3 - 2210 HBN - RIAHI, Karima (1.º A)"), as it is after a label or in a
cell; a numbered itinerary of towns and countries stays places (a control that passed before the
change). Fictitious texts of our own; the whole detector, as the proxy runs it.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


@pytest.mark.parametrize(
    ("language", "text", "people"),
    [
        (
            "de",
            "Bewerberliste, bitte ranken:\n\n1. Hoffmann, Sabine \u2013 8 Jahre Personalwesen\n"
            "2. Krüger, Matthias \u2013 Quereinsteiger, sofort verfügbar",
            ["Hoffmann, Sabine", "Krüger, Matthias"],
        ),
        (
            "it",
            "Turni della settimana:\n1) Colombo Giulia \u2013 mattina\n"
            "2) Ferri Gianluca \u2013 sera",
            ["Colombo Giulia", "Ferri Gianluca"],
        ),
        (
            "es",
            "Plazas del garaje:\nPlaza 5 \u2013 2210 HBN \u2013 QUINTANA, Lucía (1.º A)",
            ["QUINTANA, Lucía"],
        ),
    ],
)
def test_a_numbered_register_names_its_people(
    presidio: PresidioDetector, language: str, text: str, people: list[str]
) -> None:
    found = masked(presidio, text, language, "PERSON")
    assert all(person in found for person in people), found


def test_a_numbered_itinerary_names_no_one(presidio: PresidioDetector) -> None:
    text = "Itinerary:\n1. Lyon, France \u2013 2 nights\n2. Porto, Portugal \u2013 3 nights"
    assert masked(presidio, text, "en", "PERSON") == []
