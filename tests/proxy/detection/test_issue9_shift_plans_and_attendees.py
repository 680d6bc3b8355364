"""Issue 9: the staff of a shift plan, and a meeting's list of people (below).

A plan names people by first name with their hours in brackets, and such names are often
words ("apertura Sole (6\u201313)", "Fortunato", "Constant", "Prosper"), which no rule took
alone: they went out while the unambiguous names beside them were masked. Two entries or
more, one of them a first name that is no word, make the plan one of people (the positive
rows failed before this change, but for the unambiguous names). Plans of no one stay
unmasked (those rows passed before and still do).

Names are fictitious and our own.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


@pytest.mark.parametrize(
    ("language", "text", "names"),
    [
        (
            "it",
            "Turni settimana 23:\n"
            "Lun: apertura Fortunato (6\u201313), chiusura Ornella (15\u201322)\n"
            "Mar: apertura Sole (6\u201313), chiusura Fortunato (15\u201322)",
            ["Fortunato", "Fortunato", "Ornella", "Sole"],
        ),
        (
            "fr",
            "Planning boulangerie :\nMardi : Constant (4h\u201311h), Ghislaine (7h\u201314h)\n"
            "Mercredi : Constant (4h\u201311h), Prosper (13h\u201320h)",
            ["Constant", "Constant", "Ghislaine", "Prosper"],
        ),
        (
            "de",
            "Dienstplan KW 12: Mo Frühdienst Wendelin (06:00-14:00),"
            " Spätdienst Hedwig (14:00-22:00)",
            ["Hedwig", "Wendelin"],
        ),
    ],
)
def test_every_name_of_a_shift_plan_is_masked(
    presidio: PresidioDetector, language: str, text: str, names: list[str]
) -> None:
    assert masked(presidio, text, language, "PERSON") == names


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Shifts: Early (6-14), Late (14-22), Night (22-6)"),
        (
            "it",
            "Orari della piscina: Lunedì (9\u201313), Domenica (9\u201312), Palestra (15\u201322)",
        ),
        ("fr", "Horaires : Accueil (8h\u201312h), Caisse (14h\u201318h)"),
    ],
)
def test_a_plan_of_no_one_stays_unmasked(
    presidio: PresidioDetector, language: str, text: str
) -> None:
    assert masked(presidio, text, language, "PERSON") == []


# --- a meeting's list of people ----------------------------------------------------------
# "Attendees:", "Presenti:", "Entschuldigt:": once half of the list's names begin with a
# first name, the others are people too, names that are words ("Fortunato Sole") or end in
# one ("Ji-hoon Park", read as a park after a comma), and a surname alone (these rows failed
# before this change). A list of teams has no first name and stays unmasked.


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        (
            "it",
            "Verbale del 12/03\nPresenti: Ornella Basile, Italia Marras, Serena Locci,"
            " Fortunato Sole (presiede)",
            ["Fortunato Sole", "Italia Marras"],
        ),
        (
            "en",
            "Attendees: Amara Okafor (chair), Sven Holmqvist, Ji-hoon Park, Lindqvist (minutes)",
            ["Ji-hoon Park", "Lindqvist"],
        ),
    ],
)
def test_every_name_of_a_list_of_attendees_is_masked(
    presidio: PresidioDetector, language: str, text: str, expected: list[str]
) -> None:
    found = masked(presidio, text, language, "PERSON")
    assert all(name in found for name in expected), found


def test_a_list_of_teams_is_no_list_of_people(presidio: PresidioDetector) -> None:
    text = "Participants: Marketing, Sales, Finance, Legal Affairs"
    assert masked(presidio, text, "en", "PERSON") == []
