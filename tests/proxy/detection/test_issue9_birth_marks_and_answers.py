"""Issue 9: a birth date marked as obituaries and family trees mark it ("* 12. Mai 1934" on
its line, "†" and the date of death after it), and a chat's answer to a birth-date question
that starts with an article ("Kundin: der 30. Mai 1975.").

Both went out in clear (the first rows failed before this change). A list's items starting
with "*" and a date are no births: without a cross after them, they stay unmasked (that
row passed before and still does).

Names and dates are fictitious and our own.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


@pytest.mark.parametrize(
    ("language", "text", "date"),
    [
        (
            "de",
            "In Liebe nehmen wir Abschied von\n\nHelmut Brünnhofer\n* 4. März 1931 in Weil"
            "\n† 9. Januar 2025 in Lörrach",
            "4. März 1931",
        ),
        (
            "de",
            "Mitarbeiter: Und Ihr Geburtsdatum?\nKundin: der 17. Juli 1968.\nMitarbeiter: Danke.",
            "17. Juli 1968",
        ),
        (
            "de",
            "Mitarbeiter: Wann sind Sie geboren?\nKunde: den 2. Oktober 1959\nMitarbeiter: Gut.",
            "2. Oktober 1959",
        ),
    ],
)
def test_marked_and_answered_birth_dates_are_masked(
    presidio: PresidioDetector, language: str, text: str, date: str
) -> None:
    assert date in masked(presidio, text, language, "DATE_OF_BIRTH")


def test_a_list_of_dates_with_stars_is_no_birth(presidio: PresidioDetector) -> None:
    text = "Termine:\n* 12. Mai 2025: Planung\n* 3. Juni 2025: Review"
    assert masked(presidio, text, "de", "DATE_OF_BIRTH") == []
