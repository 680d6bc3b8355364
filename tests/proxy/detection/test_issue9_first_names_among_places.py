"""Issue 9, benign text that named no one and was altered: a first name that is also a town,
listed with towns or on a route ("the Paris, Frankfurt or Florence offices", "between
Brixton and Victoria"), and the first name of a listed figure in German, whose capitalised
surname looked like a noun ("welche Rolle Konrad Adenauer"). A first name beside another
first name stays a person. Fictitious sentences of our own; the whole detector.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Staff going to the Paris, Frankfurt or Florence offices book through the portal."),
        ("en", "Engineering works: no trains between Brixton and Victoria on Saturday."),
        ("fr", "Les équipes de Metz et Nancy déménagent au printemps."),
        ("de", "Erkläre kurz, welche Rolle Konrad Adenauer bei der Westbindung spielte."),
    ],
)  # fmt: skip
def test_a_town_that_is_a_first_name_among_towns_is_nobody(
    presidio: PresidioDetector, language: str, text: str
) -> None:
    assert masked(presidio, text, language, "PERSON") == []


@pytest.mark.parametrize(
    ("language", "text", "person"),
    [
        ("en", "I spoke to Nancy and Tom about the rota yesterday.", "Nancy"),
        ("en", "Lunch with Victoria and Priya went well, thanks.", "Victoria"),
        ("de", "Bitte ruf Konrad Bergmeier morgen früh an.", "Konrad Bergmeier"),
    ],
)
def test_a_first_name_beside_people_stays_a_person(
    presidio: PresidioDetector, language: str, text: str, person: str
) -> None:
    """Passes without the change too: it pins that the new rules need towns around."""
    found = masked(presidio, text, language, "PERSON")
    assert any(person in value for value in found), found
