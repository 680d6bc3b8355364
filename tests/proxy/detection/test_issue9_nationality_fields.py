"""Issue 9: a nationality or religion field is found where a CV puts it after a middle dot ("Geboren
1990 in Lwiw · Staatsangehörigkeit: ukrainisch"), under a plural label with two values
("Nacionalidades: peruana y española"), and after a label with a longer note in parentheses
("Religion (optional, for the rota): Sikh"); a nationality word in a sentence after the label's
value stays unflagged (a control that passed before the change). Fictitious texts of our own; the
whole detector, as the proxy runs it.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


@pytest.mark.parametrize(
    ("language", "text", "value"),
    [
        (
            "de",
            "Olena Marchenko\nGeboren am 04.05.1990 in Lwiw \u00b7 Staatsangehörigkeit: ukrainisch"
            "\n\nBerufserfahrung",
            "ukrainisch",
        ),
        (
            "es",
            "Nacida en Cusco el 2 de mayo de 1991 \u00b7 Nacionalidades: peruana y española\n"
            "Idiomas: español, quechua",
            "peruana y española",
        ),
        (
            "en",
            "Emergency contact: Harjit Kaur (sister)\nReligion (optional, for the rota): Sikh\n",
            "Sikh",
        ),
    ],
)
def test_the_field_is_found(
    presidio: PresidioDetector, language: str, text: str, value: str
) -> None:
    assert value in masked(presidio, text, language, "NRP")


def test_a_sentence_after_a_value_is_no_field(presidio: PresidioDetector) -> None:
    text = "Menu notes \u00b7 cuisine: French and Italian dishes, nothing spicy."
    assert masked(presidio, text, "en", "NRP") == []
