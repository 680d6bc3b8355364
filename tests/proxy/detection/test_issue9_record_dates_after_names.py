"""Issue 9: a bare date right after a person's name in a record is their birth date.

"Co-applicant: Tanisha Price (wife), 04/15/1992, SSN …", "Kinder: Lena Vogt, 03.02.2011;
…": a record gives a person's birth date after their name without saying so. A full date
after a full name (whose first word is a listed first name) and a comma, ending a field, of
a year at least two years back, is a birth date now (score 0.6). A firm's name, or a date of
this year beside a name (a signature's), is not. Values are fictitious and our own.
"""

from __future__ import annotations

from datetime import date

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


@pytest.mark.parametrize(
    ("language", "text", "dates"),
    [
        ("en", "Co-applicant: Tanisha Price (wife), 04/15/1992, SSN 646-70-4358", ["04/15/1992"]),
        (
            "de",
            "Kinder: Lena Vogt, 03.02.2011; Jonas Vogt, 14.09.2013",
            ["03.02.2011", "14.09.2013"],
        ),
    ],
)
def test_a_records_date_after_a_name_is_a_birth_date(
    presidio: PresidioDetector, language: str, text: str, dates: list[str]
) -> None:
    assert masked(presidio, text, language, "DATE_OF_BIRTH") == dates


@pytest.mark.parametrize(
    "text",
    [
        "Invoice: Smith Ltd, 12/03/2001, paid in full.",
        f"Signed: Anna Weber, 03.02.{date.today().year}",
    ],
)
def test_a_firms_or_a_signatures_date_is_not(presidio: PresidioDetector, text: str) -> None:
    assert masked(presidio, text, "en", "DATE_OF_BIRTH") == []
