"""Issue 9: an everyday noun after an article is no place ("im Landkreis", "les habitants
de la commune").

The place rules took a capitalised word after a German preposition and a lower-case word
the gazetteer happens to list (a town named "Commune") after "habitants de" for places tied
to people (each positive row was masked before this change). German contracts a preposition
and an article before a noun, not before a town ("im Landkreis", "am Empfang"), and an article
before an everyday word makes it a noun. A region after "im" ("im Elsass") and a town typed
in lower case in a chat ("sie ist wieder in izmir") stay masked (those rows passed before
and still do).
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("de", "Unfallstatistik 2025 im Landkreis: 2.904 Unfälle, davon 377 mit Personenschaden."),
        ("de", "Seit dem Frühjahr wohnt sie im Landkreis, sagt ihre Kollegin."),
        ("fr", "Atelier gratuit pour les habitants de la commune, sur inscription en mairie."),
    ],
)
def test_a_noun_after_an_article_is_no_place(
    presidio: PresidioDetector, language: str, text: str
) -> None:
    assert masked(presidio, text, language, "LOCATION") == []


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Sie wohnt seit 2021 im Elsass bei ihrer Tochter.", "Elsass"),
        ("hat jemand was von aylin gehört? sie ist wieder in izmir", "izmir"),
    ],
)
def test_places_stay_masked(presidio: PresidioDetector, text: str, place: str) -> None:
    assert place in masked(presidio, text, "de", "LOCATION")
