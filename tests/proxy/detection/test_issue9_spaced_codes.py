"""Issue 9, evasion: a national identifier that begins or ends with a letter, written one
character at a time ("D S N P T R 9 8 R 0 8 L 7 3 6 L", "0 1 7 8 4 2 2 4 - E"). Spaced
digits were already joined, but only runs with a digit at both ends: the codice fiscale and
the DNI went out (the positive rows failed before this change, but the NIE's, which the
recognizer's own pattern reads spaced). Runs with a wrong check character or of no
identifier's shape stay unmasked (those rows passed before and still do).

Values are fictitious, with valid check characters.
"""

from __future__ import annotations

import pytest

from proxy.detection.normalise import normalise
from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


@pytest.mark.parametrize(
    ("language", "text", "entity_type", "value"),
    [
        (
            "it",
            "CF: R S S M R A 8 0 A 0 1 H 5 0 1 U, grazie",
            "IT_FISCAL_CODE",
            "R S S M R A 8 0 A 0 1 H 5 0 1 U",
        ),
        (
            "it",
            "<td>CF</td><td>V R D G P P 6 5 B 1 4 F 2 0 5 H</td>",
            "IT_FISCAL_CODE",
            "V R D G P P 6 5 B 1 4 F 2 0 5 H",
        ),
        ("es", "Mi DNI es 1 2 3 4 5 6 7 8 - Z, por si acaso", "ES_NIF", "1 2 3 4 5 6 7 8 - Z"),
        ("es", "NIE: X 1 2 3 4 5 6 7 L", "ES_NIE", "X 1 2 3 4 5 6 7 L"),
    ],
)
def test_a_spaced_out_identifier_is_masked_whole(
    presidio: PresidioDetector, language: str, text: str, entity_type: str, value: str
) -> None:
    assert masked(presidio, text, language, entity_type) == [value]


@pytest.mark.parametrize(
    ("language", "text", "entity_type"),
    [
        # the shape of an identifier with a wrong check character stays no identifier
        ("it", "Codice: V R D G P P 6 5 B 1 4 F 2 0 5 T", "IT_FISCAL_CODE"),
        ("es", "Fila 1 2 3 4 5 6 7 8 - A del teatro", "ES_NIF"),
    ],
)
def test_a_spaced_run_with_a_wrong_check_character_is_not_masked(
    presidio: PresidioDetector, language: str, text: str, entity_type: str
) -> None:
    assert masked(presidio, text, language, entity_type) == []


def test_a_spaced_run_of_no_identifier_is_not_joined_as_one() -> None:
    """ "A 1 B 2 …" joins into no identifier's shape: the letter before the first digit stays
    apart (`_SPACED` still joins the digits' run, as before)."""
    assert "A1B2" not in normalise("Codes A 1 B 2 C 3 D 4 E 5 for the quiz").text
