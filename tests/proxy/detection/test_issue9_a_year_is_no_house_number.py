"""Issue 9: "In 2019 Tom joined the team" is no address.

A capitalised word and a number look like a street and its house number to the address
rule ("Lindenweg 12"), and a number and a capitalised word like a postcode line ("2019
Tom": "Tom" is a town's name). A sentence that opens with a small word and a year ("In
2023 Sarah was promoted", "Seit 2021 …") was masked whole as an address. A stop word of the
five languages before a year is no street now; streets numbered like years stay addresses.
Values are fictitious and our own.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "In 2019 Tom joined the team as a junior analyst."),
        ("en", "In 2023 Sarah was promoted to team lead."),
    ],
)
def test_a_year_opening_a_sentence_is_no_address(
    presidio: PresidioDetector, language: str, text: str
) -> None:
    assert masked(presidio, text, language, "ADDRESS") == []


@pytest.mark.parametrize(
    ("language", "text", "address"),
    [
        ("de", "Neue Anschrift: Lindenweg 2019, 34117 Kassel", "Lindenweg 2019, 34117 Kassel"),
        ("de", "Am Hang 2019\n79117 Freiburg", "Am Hang 2019\n79117 Freiburg"),
    ],
)
def test_a_street_numbered_like_a_year_stays_an_address(
    presidio: PresidioDetector, language: str, text: str, address: str
) -> None:
    assert address in masked(presidio, text, language, "ADDRESS")
