"""Issue 9: a park's, a hall's or a school's name after "the" or a possessive is no person.

"Our Victoria Park five-a-side", "the venue is the Royal Albert Hall", "past the King Edward
VII School": a first name and a capitalised word make a person's name to the name rules and
to the small models. Their last word names a facility, and "the" or a possessive before
them (one more capitalised word between or not) makes them a place's name. "Hall", "Park"
and "Ward" are surnames too, so without the article the name stays a person's ("our new
colleague Stuart Hall"). Each masked row here was masked before this change. Values are
fictitious and our own.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


@pytest.mark.parametrize(
    "text",
    [
        "Our Victoria Park five-a-side is moved to Thursday evening.",
        "The venue is the Royal Albert Hall, doors open at seven.",
        "From the station, walk past the King Edward VII School and turn left.",
        "The Queen Elizabeth Olympic Park will host the legacy exhibition in May.",
    ],
)
def test_a_facility_after_the_is_no_person(presidio: PresidioDetector, text: str) -> None:
    assert masked(presidio, text, "en", "PERSON") == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Our new colleague Stuart Hall starts on Monday.", "Stuart Hall"),
        ("The tenant, Margaret Court, pays on the first.", "Margaret Court"),
        ("Ward manager: Grace Ward, extension 2214.", "Grace Ward"),
        ("Please call Daniel Green back before noon.", "Daniel Green"),
    ],
)
def test_a_surname_like_a_facility_stays_a_person(
    presidio: PresidioDetector, text: str, name: str
) -> None:
    assert name in masked(presidio, text, "en", "PERSON")
