"""Issue 9: a nationality that qualifies a person ("my French colleague", "the danish girl").

The English model tags nationality words wherever they stand ("French market"), so its
findings score under the policy's threshold unless a label or a phrase ties them to a
person (`nationality.py`). A nationality right before a word for a person (a lower-case
word between or not: "the Romanian agency staff") is that person's now (score 0.6); before
"market", "customer service" or "client base" it is not. Each masked row passed in clear
before this change. Values are fictitious and our own.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


@pytest.mark.parametrize(
    ("text", "nationality"),
    [
        ("My French colleague Camille Lefort will join the call.", "French"),
        ("stavros: the danish girl from the wedding, you know her", "danish"),
        ("Halima criticised him in front of the Romanian agency staff.", "Romanian"),
    ],
)
def test_a_nationality_of_a_person_is_masked(
    presidio: PresidioDetector, text: str, nationality: str
) -> None:
    assert masked(presidio, text, "en", "NRP") == [nationality]


@pytest.mark.parametrize(
    "text",
    [
        "The French market grew 4% and German exports fell.",
        "We need a German speaking customer service team.",
        "Our French customer base grew by a third.",
    ],
)
def test_a_nationality_of_a_market_or_a_service_is_not(
    presidio: PresidioDetector, text: str
) -> None:
    assert masked(presidio, text, "en", "NRP") == []
