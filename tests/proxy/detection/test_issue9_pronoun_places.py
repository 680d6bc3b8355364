"""Issue 9: a place after a preposition in a sentence about a person named by a pronoun.

A place after a locative preposition was masked only in a sentence that names a person
("Frank Ziegler wechselt nach Leipzig"); the next sentence, about the same person, passed it
unmasked ("Before that she spent six years in Lagos", "Er wechselt nach Leipzig", "il serait à
Valence"). In a text that names someone, a subject pronoun of the text's language before the
place in its sentence now counts as that person: "he"/"she", "er"/"sie", "il"/"elle",
"él"/"ella", "lui"/"lei" (not Italian's article "il"). A country is too wide to place
anyone and stays unmasked, and so does a role ("client site in Livingston" is a firm's),
and a pronoun in a text that names nobody. Each masked row below passed unmasked before this
change; the negative rows passed before and must still pass. (Spanish and Italian sentences
of this kind are mostly found by the model already: no tuning text moved in either.)

Values are fictitious and our own.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


@pytest.mark.parametrize(
    ("language", "text", "place"),
    [
        (
            "en",
            "Amara Osei leads the data team at Finbridge. Before that she spent six years in "
            "Lagos building payment systems.",
            "Lagos",
        ),
        (
            "de",
            "Frank Ziegler hat heute angerufen. Er wechselt nächsten Monat nach Leipzig.",
            "Leipzig",
        ),
        ("fr", "M. Fortin a appelé. Il m'a dit qu'il serait à Valence du 3 au 10 mai.", "Valence"),
    ],
)
def test_a_place_in_a_sentence_about_a_named_person_is_masked(
    presidio: PresidioDetector, language: str, text: str, place: str
) -> None:
    assert place in masked(presidio, text, language, "LOCATION")


@pytest.mark.parametrize(
    ("language", "text", "place"),
    [
        (
            "fr",
            "Marc Dubois a appelé. Il est à Brazzaville mais le compte est en France.",
            "France",
        ),
        (
            "en",
            "Mileage log of Tom Hale. Client site in Livingston and back, 58 miles.",
            "Livingston",
        ),
    ],
)
def test_a_place_with_no_one_there_stays_unmasked(
    presidio: PresidioDetector, language: str, text: str, place: str
) -> None:
    assert place not in masked(presidio, text, language, "LOCATION")
