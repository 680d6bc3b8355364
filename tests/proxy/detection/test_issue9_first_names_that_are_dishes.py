"""Issue 9: a first name that is also a dish's word ("Sole", a woman's name in Italy, and
the fish of "sole meunière").

A dish's word before a name made it a dish ("Sole Colbert", "poulet Marengo"), so "Sole
Brambilla" went out as one (each positive row failed before this change). A word after it
that is only ever a surname makes it a person; a word of no list or a first name too keeps
the dish (those rows passed before and still do).

Names are fictitious and our own.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


@pytest.mark.parametrize(
    ("language", "text", "name"),
    [
        ("it", "Sole Brambilla è in ferie fino a lunedì, scrivete a Dario.", "Sole Brambilla"),
        (
            "de",
            "4c1d9e0 Sole Abbruzzese <sole.abbruzzese@posteo.de> fix: Export repariert",
            "Sole Abbruzzese",
        ),
    ],
)
def test_a_woman_called_sole_is_masked(
    presidio: PresidioDetector, language: str, text: str, name: str
) -> None:
    assert name in masked(presidio, text, language, "PERSON")


def test_the_dishes_stay_unmasked(presidio: PresidioDetector) -> None:
    text = "Menu du jour : Sole Meunière, Sole Colbert, poulet Marengo, pêche Melba."
    assert masked(presidio, text, "fr", "PERSON") == []
