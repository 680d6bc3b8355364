"""Issue 9, first names that are everyday words ("Will", "Speranza", "Sole", "Primo"): before
a surname that is no word, or after a greeting, they are the name ("Will Greaves", "Speranza
Caruso", "Hola, soy Sunny"); alone or
before another word they stay words ("Will Microsoft ship it?", "The Grace Period ends").
Fictitious sentences of our own; the whole detector, as the proxy runs it.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


def _people(presidio: PresidioDetector, text: str, language: str) -> list[str]:
    return masked(presidio, text, language, "PERSON")


@pytest.mark.parametrize(
    ("language", "text", "person"),
    [
        ("en", "Parent/carer 2: Will Greaves (stepdad), mobile 07391 225 618", "Will Greaves"),
        ("en", "Pippa & Will Hargreaves, no. 41", "Will Hargreaves"),
        ("it", "Riunione con Speranza Caruso domani alle 10.", "Speranza Caruso"),
        ("de", "Post bitte an Primo Lazzari weiterleiten.", "Primo Lazzari"),
        ("es", "«Hola, soy Sunny, tengo una panadería pequeña y vi vuestras amasadoras.»", "Sunny"),
        ("it", "Buongiorno Ornella, sono Gioia. Oggi non riesco a venire.", "Gioia"),
    ],
)
def test_a_first_name_that_is_a_word_before_a_surname(
    presidio: PresidioDetector, language: str, text: str, person: str
) -> None:
    assert person in _people(presidio, text, language)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Will Microsoft ship it before Easter?"),
        ("en", "The Grace Period ends on Monday."),
        ("it", "Speranza Sanità è il nome del nuovo progetto."),
    ],
)
def test_the_words_alone_or_before_other_words_stay_words(
    presidio: PresidioDetector, language: str, text: str
) -> None:
    assert _people(presidio, text, language) == []
