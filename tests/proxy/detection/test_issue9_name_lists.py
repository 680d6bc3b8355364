"""Issue 9, first names listed after a plural role or relation ("nietos, Álvaro, Inés, Jaime y
Paloma", "Kinder: Chidi (2012), Ada (2015)") and German first names before a common noun
("Heinz Bescheid geben"). Lists of surnames stay a firm's ("Cruz, Barnett and Johnson").
Fictitious sentences of our own; the whole detector, as the proxy runs it.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


def _people(presidio: PresidioDetector, text: str, language: str) -> list[str]:
    return masked(presidio, text, language, "PERSON")


@pytest.mark.parametrize(
    ("language", "text", "people"),
    [
        (
            "es",
            "Le sobreviven sus nietos, Teodoro, Inés, Jaime y Paloma, y demás familia.",
            ["Inés", "Jaime", "Paloma", "Teodoro"],
        ),
        (
            "es",
            "Hijos: Daniel (2014), Hope (2018)\nDomicilio fiscal: Madrid",
            ["Daniel", "Hope"],
        ),
        ("de", "Kinder: Chidi (2012), Ifeoma (2015)", ["Chidi", "Ifeoma"]),
        (
            "de",
            "Mitreisende: Bianca (10), Felice (7)\nZeitraum: 12. bis 19.04.",
            ["Bianca", "Felice"],
        ),
        (
            "en",
            "Her grandchildren Rosario, Ottilie and Bram send their love.",
            ["Bram", "Ottilie", "Rosario"],
        ),
    ],
)
def test_names_listed_after_a_plural_relation(
    presidio: PresidioDetector, language: str, text: str, people: list[str]
) -> None:
    assert set(people) <= set(_people(presidio, text, language))


@pytest.mark.parametrize(
    ("language", "text", "person"),
    [
        ("de", "Könnten Sie bitte Heinz Bescheid geben, dass die Inventur fertig ist?", "Heinz"),
        ("de", "Bitte noch Jörg Geld für die Konzertkarten überweisen.", "Jörg"),
    ],
)
def test_a_german_first_name_before_a_common_noun(
    presidio: PresidioDetector, language: str, text: str, person: str
) -> None:
    assert person in _people(presidio, text, language)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Our lawyers at Cruz, Barnett and Johnson sent the draft."),
        ("de", "Die Kanzlei Brandt, Keller und Vogt prüft den Vertrag."),
        ("de", "Die Rechnung von Emma Matratzen GmbH ist bezahlt."),
    ],
)
def test_surname_lists_and_product_names_are_left_alone(
    presidio: PresidioDetector, language: str, text: str
) -> None:
    assert _people(presidio, text, language) == []
