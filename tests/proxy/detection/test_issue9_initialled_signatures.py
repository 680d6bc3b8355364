"""Issue 9: an initial and a surname no list has, alone as a field, a note's author or a
signature ("- T. Oyelowo: reproduced…", "\\nF. Brambati\\n", "V. La Mantia, 095 …").

An initial and a surname were taken only when the surname is listed and no word, so the
author of a ticket's note or a letter's signature went out whenever the surname was rare,
and a surname with a particle never counted (each positive row failed before this change).
Where such a name stands alone on its line or before a field's end, it is one. Lettered
steps of a list ("- A. Settings: …") stay unmasked: the word after the letter is a word of
the language (that row passed before and still does).

Names and numbers are fictitious and our own.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


@pytest.mark.parametrize(
    ("language", "text", "name"),
    [
        (
            "en",
            "Work notes:\n- T. Oyelowo: reproduced on the hotel Wi-Fi, MTU issue.",
            "T. Oyelowo",
        ),
        (
            "it",
            "Le confermo il ritiro per giovedì.\nF. Brambati\n\n> Il 12 feb ha scritto:",
            "F. Brambati",
        ),
        ("it", "Sarò a Siracusa fino al 28.\nV. La Mantia \u2013 095 716 3381", "V. La Mantia"),
    ],
)
def test_an_initialled_name_alone_on_its_line_is_masked(
    presidio: PresidioDetector, language: str, text: str, name: str
) -> None:
    assert name in masked(presidio, text, language, "PERSON")


def test_lettered_steps_stay_unmasked(presidio: PresidioDetector) -> None:
    text = "Steps:\n- A. Settings: choose the language\n- B. Export: CSV or XLSX"
    assert masked(presidio, text, "en", "PERSON") == []
