"""Issue 9, evasion: a phone number wrapped over two lines after its own dash, dot or slash
("0221-⏎4478 193") is still one number; and a tab-separated sheet's tabs stay cell
separators, so a date cell before a phone cell does not glue the two into no number (the
"Móvil" column of an export). Fictitious numbers; the whole detector, as the proxy runs it.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


@pytest.mark.parametrize(
    ("language", "text", "number"),
    [
        ("de", "Ruf mich an: 0221-\n4478 193, danke", "0221-\n4478 193"),
        ("fr", "tel 06.47.\n82.19.30 merci", "06.47.\n82.19.30"),
        ("es", "llámame al 958 -\n27 44 13 por la tarde", "958 -\n27 44 13"),
    ],
)
def test_a_number_wrapped_after_its_separator_is_one_number(
    presidio: PresidioDetector, language: str, text: str, number: str
) -> None:
    assert masked(presidio, text, language, "PHONE_NUMBER") == [number]


def test_the_phone_cells_of_a_tab_separated_sheet_are_phones(presidio: PresidioDetector) -> None:
    text = (
        "Nombre\tPuesto\tAlta\tMóvil\n"
        "Xoana Quiroga\tMozo de almacén\t01/06\t644 218 390\n"
        "Moana Ngata\tPreparadora\t01/06\t622 901 447\n"
    )
    assert masked(presidio, text, "es", "PHONE_NUMBER") == ["622 901 447", "644 218 390"]
