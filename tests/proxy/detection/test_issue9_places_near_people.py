"""Issue 9, places tied to a person by the sentence rather than by a verb the detector knows:
a listed place after a locative or directional preposition, in a sentence where a person
was found ("Frank Ziegler wechselt von Dresden nach Hamburg", "Rosa pregunta si puede
conectarse desde Lima"), is masked; a sentence that names no one keeps its places ("Umsatz in
Bayern", "the fair is in Paris"), and so does an event's or a body's name ending in a place
("Foire de Lyon", "Questura di Foggia"). Fictitious sentences of our own; the whole detector,
as the proxy runs it, judged with the default policy.
"""

from __future__ import annotations

import asyncio

import pytest

from bench.eval import policy_filter
from proxy.detection.pool import PresidioDetector

_ACTS_ON = policy_filter()


def _places(presidio: PresidioDetector, text: str, language: str) -> set[str]:
    (analysis,) = asyncio.run(presidio.analyze([text], [language]))
    return {
        text[f.start : f.end]
        for f in analysis.findings
        if f.entity_type in {"LOCATION", "ADDRESS"} and _ACTS_ON(f.entity_type, f.score)
    }


@pytest.mark.parametrize(
    ("language", "text", "places"),
    [
        (
            "de",
            "Frank Ziegler hat bestätigt, dass er zum 1. April von Dresden nach Hamburg wechselt.",
            {"Dresden", "Hamburg"},
        ),
        (
            "es",
            "Rosa Quispe pregunta si puede conectarse desde Lima, está allí hasta el viernes.",
            {"Lima"},
        ),
        ("it", "Buongiorno, sono Fortunata, ho un piccolo forno a Matera.", {"Matera"}),
        ("fr", "Yannick Kouassi, directeur achats, basé à Abidjan, nous a écrit.", {"Abidjan"}),
        ("en", "Hi, I'm Chioma Eze, I run a small bakery in Accra.", {"Accra"}),
    ],
)
def test_a_place_in_a_sentence_that_names_a_person(
    presidio: PresidioDetector, language: str, text: str, places: set[str]
) -> None:
    assert places <= _places(presidio, text, language)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("de", "Der Umsatz in Bayern stieg um 4 %, in Hamburg um 2 %."),
        ("en", "The trade fair is in Paris this year, and the next one in Lyon."),
        ("fr", "Contact rencontré à la Foire de Lyon : Mikako Ikeda, acheteuse."),
        ("it", "Il sig. Cosimo Ruggiero ritirerà il permesso presso la Questura di Foggia."),
        ("es", "Carta de Guillermo Sáez: revert de la validación de NIF."),
        ("en", "Anna Weber manages a London team of six."),  # English "a" is an article
    ],
)
def test_places_of_a_sentence_without_anyone_or_inside_another_name(
    presidio: PresidioDetector, language: str, text: str
) -> None:
    assert not _places(presidio, text, language) - {"Mikako Ikeda"}


@pytest.mark.parametrize(
    ("language", "text", "place"),
    [
        ("it", '{"nome": "Giulia Serra", "citta": "Roma", "ultimo_ip": "79.42.188.203"}', "Roma"),
        ("it", "Dati del richiedente\nlocalita: Bolzano", "Bolzano"),
        ("es", "Población: Getafe", "Getafe"),
    ],
)
def test_place_labels_written_without_accents_or_as_a_census_does(
    presidio: PresidioDetector, language: str, text: str, place: str
) -> None:
    """A form's or an export's field without its accent ("citta", "localita") or in its
    Spanish census form ("Población") names where a person lives."""
    assert place in _places(presidio, text, language)
