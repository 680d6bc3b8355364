"""Issue 9: a place label with its year, and the place a person lived before.

"Wohnort seit 2021: Ingolstadt (vorher Timișoara)": the label's year stood between the
label and its colon, so the label was not read, and the earlier town in parentheses after
"vorher" / "previously" is the person's too. Both went out in clear before this change.
Values are fictitious and our own.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


@pytest.mark.parametrize(
    ("language", "text", "places"),
    [
        ("de", "Wohnort seit 2021: Ingolstadt (vorher Timișoara)", ["Ingolstadt", "Timișoara"]),
        ("en", "City since 2019: Leeds (previously Bradford)", ["Bradford", "Leeds"]),
    ],
)
def test_a_labelled_place_and_the_one_before_it_are_masked(
    presidio: PresidioDetector, language: str, text: str, places: list[str]
) -> None:
    assert masked(presidio, text, language, "LOCATION") == places


def test_a_place_in_parentheses_without_a_tie_stays(presidio: PresidioDetector) -> None:
    text = "Umsatz 2024 in Bayern (vorher Baden-Württemberg) gestiegen."
    assert masked(presidio, text, "de", "LOCATION") == []
