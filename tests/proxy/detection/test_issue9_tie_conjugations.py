"""Issue 9, item 3: a place is tied to a person by every person and tense of living, being
born, growing up and coming from ("Vivimos en…", "Abitiamo a…", "Wir wohnen in…", "Nous
habitons à…"), and by the labels of a registration form ("Zuzug aus:", "Proveniente da:",
"Ancien domicile :", `"based_in"`). Words a range, a claim or a ship share ("raised in",
"settled in", "retired to") tie only with a person near, as travel does ("will fly from",
"coming from", "landing"), and "soy de la opinión" ties nothing. The Italian, German,
French and English living sentences were already tied by the clause rule (a tie word's
stem in the place's clause) and pin it; the Spanish one, the labels and the flight fail
without the new phrases. Fictitious texts of our own; the whole detector, as the proxy
runs it.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


def _places(presidio: PresidioDetector, text: str, language: str) -> list[str]:
    return masked(presidio, text, language, "LOCATION", "ADDRESS")


@pytest.mark.parametrize(
    ("language", "text", "place"),
    [
        ("es", "Vivimos en Alcalá de Henares desde 2015 con los niños.", "Alcalá de Henares"),
        ("it", "Abitiamo a Pordenone con i bambini da tre anni.", "Pordenone"),
        ("de", "Wir wohnen in Oldenburg seit dem Frühjahr.", "Oldenburg"),
        ("fr", "Nous habitons à Quimper depuis deux ans.", "Quimper"),
        ("en", "She emigrated to Adelaide in 2019 with her husband.", "Adelaide"),
        ("en", "She was raised in Leeds by her aunt.", "Leeds"),
        ("de", "Einziehende Person: Marta Kowal\nZuzug aus: Rosenheim", "Rosenheim"),
        ("it", "Nome: Salvo Greco\nProveniente da: Lampedusa", "Lampedusa"),
        ("fr", "Locataire : Mme Odile Vasseur\nAncien domicile : Vesoul", "Vesoul"),
        ("en", '{"name": "Tove Lindahl", "based_in": "Tromsø"}', "Tromsø"),
        ("en", "Kemal will fly from Izmir on Friday because he is visiting his brother.", "Izmir"),
    ],
)
def test_the_place_is_tied(
    presidio: PresidioDetector, language: str, text: str, place: str
) -> None:
    assert place in _places(presidio, text, language)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "The new range was raised in Leeds last year."),
        ("en", "The claim was settled in London after two years."),
        ("es", "Soy de la opinión de que el stand de Madrid es mejor."),
        ("en", "The shipment is coming from Rotterdam next week."),
        ("en", "Our new model lands in Milan stores in May."),
    ],
)
def test_no_place_is_tied(presidio: PresidioDetector, language: str, text: str) -> None:
    assert _places(presidio, text, language) == []
