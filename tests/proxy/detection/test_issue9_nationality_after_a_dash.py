"""Issue 9: a nationality written as a bare label's clause after a dash.

"Né le 03/03/1995 à Bobo-Dioulasso \u2013 nationalité burkinabè": the label's word without a
colon counted only after a comma or at a line's start, so a CV's dash kept the nationality
in clear. A dash now counts as a comma does; prose ("obtenir la nationalité française")
still passes. The masked rows passed in clear before this change.

Values are fictitious and our own.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


@pytest.mark.parametrize(
    ("language", "text", "value"),
    [
        ("fr", "Né le 03/03/1995 à Bobo-Dioulasso \u2013 nationalité burkinabè", "burkinabè"),
        ("es", "Nacida en Cochabamba — nacionalidad boliviana", "boliviana"),
    ],
)
def test_a_nationality_after_a_dash_is_masked(
    presidio: PresidioDetector, language: str, text: str, value: str
) -> None:
    assert masked(presidio, text, language, "NRP") == [value]


def test_nationality_in_prose_stays_unmasked(presidio: PresidioDetector) -> None:
    text = "Les démarches pour obtenir la nationalité française prennent un an."
    assert masked(presidio, text, "fr", "NRP") == []
