"""Issue 9: a noun, an acronym, a feast or a currency after a place's preposition is no place.

The place rule takes a capitalised word after a tie ("wohnt in Celle", "déménage à Agadir")
for a place. German capitalises every noun, and acronyms, feasts and currencies are
capitalised in every language, so "seit 2012 in Freiburg zu Hause", "ist ab Mai in
Elternzeit", "employé en CDI", "à Noël", "paid in CHF" were masked as places. A single
German word or acronym that is an everyday word and no place of the gazetteer, a month's
abbreviation, a feast or a currency code is no place now; the places beside them stay
masked. Each row was masked before this change. Values are fictitious and our own.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


@pytest.mark.parametrize(
    ("language", "text", "places"),
    [
        (
            "de",
            "Ich bin in Beirut geboren und seit 2012 in Freiburg zu Hause.",
            ["Beirut", "Freiburg"],
        ),
        ("de", "Sie wohnt in Celle und ist ab Mai in Elternzeit.", ["Celle"]),
        ("de", "Wir schlafen zwei Nächte bei Freunden, er wohnt in der Nähe.", []),
        ("fr", "Sa fille Lina déménage à Agadir à Noël.", ["Agadir"]),
        ("fr", "M. Diallo, qui habite à Évry, est employé en CDI depuis mars.", ["Évry"]),
        (
            "en",
            "He moved from Leeds to Harrogate in Jan and is paid in CHF.",
            ["Harrogate", "Leeds"],
        ),
    ],
)
def test_a_noun_after_a_tie_is_no_place(
    presidio: PresidioDetector, language: str, text: str, places: list[str]
) -> None:
    assert masked(presidio, text, language, "LOCATION", "ADDRESS") == places


@pytest.mark.parametrize(
    ("language", "text", "place"),
    [
        ("de", "Er wohnt seit März in Halle und pendelt nach Essen.", "Halle"),
        ("de", "Frau Berger lebt im Elsass.", "Elsass"),
        ("it", "Mia madre vive a Chiasso da vent'anni.", "Chiasso"),
        ("en", "I was born in Mogadishu and came to the UK in 2006.", "UK"),
        ("es", "Mi hermana vive en Mar del Plata desde 2019.", "Mar del Plata"),
    ],
)
def test_a_town_named_like_a_word_stays_a_place(
    presidio: PresidioDetector, language: str, text: str, place: str
) -> None:
    assert place in masked(presidio, text, language, "LOCATION", "ADDRESS")
