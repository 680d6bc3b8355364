"""Issue 9: a first name joined to a found person by "and" ("Grace Adeyemi and Sunny",
"Lucía Ferrándiz y Fausto").

A first name that is also a word ("Sunny", "Fausto": lucky in Italian and Spanish) is not
taken alone; beside a person and "and", "y", "e", "und", "et" or "&" it is one (each positive
row failed before this change). A notable place there stays a place ("Anna Kowalski and
Paris"; that row passed before and still does).

Names are fictitious and our own.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


@pytest.mark.parametrize(
    ("language", "text", "name"),
    [
        ("en", "Grace Adeyemi and Sunny will open the café on Saturday.", "Sunny"),
        ("en", "Sunny and Grace Adeyemi will open the café on Saturday.", "Sunny"),
        ("es", "El viernes vienen Lucía Ferrándiz y Fausto a revisar la obra.", "Fausto"),
    ],
)
def test_a_first_name_beside_a_person_is_masked(
    presidio: PresidioDetector, language: str, text: str, name: str
) -> None:
    assert name in masked(presidio, text, language, "PERSON")


def test_a_place_beside_a_person_is_no_person(presidio: PresidioDetector) -> None:
    text = "Anna Kowalski and Paris are the two options for the offsite."
    assert masked(presidio, text, "en", "PERSON") == ["Anna Kowalski"]
