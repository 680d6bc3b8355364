"""Issue 9: places named like people ("Aira Force", "Newton Way", "Brunel Wing").

The models and the name rules read a first name or a surname before a landscape's or a
site's word as a person. A last word no one bears as a surname (Force, Cove, Reservoir,
Forest...) makes the name a place; one that is a surname too (Hill, Way, Wing, Lane...)
does so only after a word of the way there ("onto", "up", "in", "at"), and never as
someone's ("past Jane Hill's desk"). Each of the first rows was masked before this change;
the people of the last rows stay masked (they were before too).

Names and places are fictitious and our own.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


@pytest.mark.parametrize(
    "text",
    [
        "Day 2: a short ferry, then walk to Aira Force and back for lunch.",
        "From the car park, walk up Harriet Hill for the view over the bay.",
        "The new lockers are in Brunel Wing, next to the lifts.",
        "Take the second exit onto Newton Way; the depot is on the left.",
        'Bus 12 stops at "Newton Way \u2013 Depot" every 10 minutes.',
    ],
)
def test_a_place_named_like_a_person_is_not_masked(presidio: PresidioDetector, text: str) -> None:
    assert masked(presidio, text, "en", "PERSON") == []


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Please forward the invoice to Jane Lane in accounts.", ["Jane Lane"]),
        ("Damon Hill called about the invoice this morning.", ["Damon Hill"]),
        ("The report was written by Tom Hill and Priya Wood.", ["Priya Wood", "Tom Hill"]),
    ],
)
def test_people_with_such_surnames_stay_masked(
    presidio: PresidioDetector, text: str, names: list[str]
) -> None:
    assert masked(presidio, text, "en", "PERSON") == names


def test_someones_desk_is_no_place(presidio: PresidioDetector) -> None:
    text = "I walked past Jane Hill's desk and left the keys."
    assert "Jane Hill" in masked(presidio, text, "en", "PERSON")
