"""NIR, SIREN and SIRET checksums, from tables (no Presidio)."""

from __future__ import annotations

import pytest

from proxy.detection.french_ids import luhn_is_valid, nir_is_valid, siren_is_valid, siret_is_valid


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("2 69 05 49 588 157 80", True),  # key 80 = 97 - (2690549588157 mod 97)
        ("269054958815780", True),
        ("2.69.05.49.588.157.80", True),
        ("2 69 05 49 588 157 81", False),  # wrong key
        ("1 85 05 2A 006 084 35", True),  # Corsica: 2A counts as 19
        ("1 85 05 2a 006 084 35", True),
        ("1 85 05 2B 006 084 62", True),  # 2B counts as 18
        ("1 85 05 2A 006 084 62", False),  # 2B's key under 2A
        ("1 85 05 19 006 084 35", True),  # the number 2A stands for, written out
        ("5 69 05 49 588 157 80", False),  # no such first digit
        ("2 69 05 49 588 157", False),  # too short
        ("2 69 05 2C 588 157 80", False),
    ],
)
def test_nir(value: str, valid: bool) -> None:
    assert nir_is_valid(value) is valid


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("732 829 320", True),
        ("732829320", True),
        ("443 061 841", True),
        ("732 829 321", False),
        ("732 829 32", False),
        ("73282932O", False),  # letter O, not zero
    ],
)
def test_siren(value: str, valid: bool) -> None:
    assert siren_is_valid(value) is valid


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("732 829 320 00074", True),
        ("73282932000074", True),
        ("443 061 841 00047", True),
        ("732 829 320 00075", False),
        ("356 000 000 49837", True),  # La Poste: digit sum 45, a multiple of 5
        ("356 000 000 49838", False),  # digit sum 46
        ("35600000000048", True),  # La Poste head office: plain Luhn
        ("732 829 320 0007", False),
    ],
)
def test_siret(value: str, valid: bool) -> None:
    assert siret_is_valid(value) is valid


def test_la_poste_rule_is_not_luhn() -> None:
    """The exception matters: this La Poste SIRET fails Luhn, yet is valid."""
    assert not luhn_is_valid("35600000049837")
    assert siret_is_valid("35600000049837")
