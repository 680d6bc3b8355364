"""Issue 9: a first name that is no word and a listed surname that is none are a person's
name even when a small place is spelled so ("Tao Yuan", also a spelling of the town
Taoyuan).

A name found on weak evidence that is all a place was dropped, however small the place, so
such a name went out in clear (the first rows failed before this change). Places named
with a word stay places: "Victoria Park" (a park) and "Santa Mónica" (no first name and
surname) are not taken for people (those rows passed before and still do).

Names and texts are our own.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("it", "Il referente per la fornitura è Tao Yuan, in ufficio fino alle 17."),
        ("en", "The account belongs to Tao Yuan; please reset the password today."),
    ],
)
def test_a_first_name_and_a_surname_spelling_a_small_place_are_a_person(
    presidio: PresidioDetector, language: str, text: str
) -> None:
    assert "Tao Yuan" in masked(presidio, text, language, "PERSON")


@pytest.mark.parametrize(
    "text",
    [
        "The team picnic is in Victoria Park on Saturday, near the lake.",
        "Our next offsite is in Santa Mónica, by the pier.",
    ],
)
def test_places_named_with_a_word_stay_places(presidio: PresidioDetector, text: str) -> None:
    assert masked(presidio, text, "en", "PERSON") == []
