"""Issue 9: a given name with a regnal number or an epithet ("Henry VIII", "Fernando el
Católico", "Lorenzo il Magnifico") is a figure of history the way a listed one is, and a
request's lead-in before a colon ("Summarise for a Year 9 class: Ada Lovelace…") is no
form's field, so figures after it are history too. A record's field, a title, a greeting
or a German dative ("Anna die Karte geben") keep their people. Characters added to
`data/fictional_figures.txt` ("Geronimo Stilton", "Elizabeth Bennet") are no one either;
the Spanish tale's sentence passed before and pins it. Fictitious texts of our own; the
whole detector, as the proxy runs it.
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
        ("en", "Write a short quiz about Henry VIII and the dissolution of the monasteries."),
        (
            "es",
            "Prepara un resumen de historia: Fernando el Católico, Cristóbal Colón y "
            "Hernán Cortés.",
        ),
        ("it", "Prepara una scheda su Lorenzo il Magnifico per la classe terza."),
        ("fr", "Rédige une fiche sur Philippe le Bel et le procès des Templiers."),
        ("de", "Schreib fünf Quizfragen zu Friedrich II. und dem Siebenjährigen Krieg."),
        (
            "en",
            "Summarise for a Year 8 history class: Ada Lovelace worked with Charles Babbage "
            "on the Analytical Engine.",
        ),
    ],
)
def test_figures_of_history_are_no_one(
    presidio: PresidioDetector, language: str, text: str
) -> None:
    assert _people(presidio, text, language) == []


@pytest.mark.parametrize(
    ("language", "text", "person"),
    [
        ("en", "Patient: Henry VIII\nWard 4, bed 2", "Henry"),
        ("es", "Nombre del titular: Ada Lovelace", "Ada Lovelace"),
        ("de", "Ich gebe Anna die Karte morgen zurück.", "Anna"),
        ("es", "Hola Felipe, ¿vienes mañana a la reunión?", "Felipe"),
        ("it", "Siamo ancora da Nicolò a Lecce, torniamo tardi.", "Nicolò"),
    ],
)
def test_records_and_people_stay_people(
    presidio: PresidioDetector, language: str, text: str, person: str
) -> None:
    assert any(person in value for value in _people(presidio, text, language))


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("it", "Scrivi un riassunto su Geronimo Stilton e il suo giornale."),
        ("en", "Quiz for the book club: what does Elizabeth Bennet think of Fitzwilliam Darcy?"),
        ("es", "Resume el cuento: Cenicienta pierde el zapato y Blancanieves come la manzana."),
    ],
)
def test_characters_of_fiction_are_no_one(
    presidio: PresidioDetector, language: str, text: str
) -> None:
    assert _people(presidio, text, language) == []
