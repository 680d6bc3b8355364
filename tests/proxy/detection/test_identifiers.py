"""Check digits of the identifiers the recognizers validate, table-tested without Presidio."""

from __future__ import annotations

import pytest

from proxy.detection.identifiers import IBAN_LENGTHS, iban_is_valid, vat_is_valid


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("FR7630006000011234567890189", True),
        ("fr7630006000011234567890189", True),
        ("FR7630006000011234567890188", False),  # checksum
        ("FR763000600001123456789018", False),  # one character short for France
        ("GB82WEST12345698765432", True),
        ("DE89370400440532013000", True),
        ("PL61109010140000071219812874", True),
        ("MC5811222000010123456789030", True),
        ("XX89370400440532013000", False),  # not a country in the registry
    ],
)
def test_iban(value: str, valid: bool) -> None:
    assert iban_is_valid(value) is valid


def test_every_iban_country_has_a_length() -> None:
    assert len(IBAN_LENGTHS) > 70
    assert IBAN_LENGTHS["FR"] == 27
    assert IBAN_LENGTHS["DE"] == 22
    assert IBAN_LENGTHS["NO"] == 15


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("FR40303265045", True),
        ("FR 40 303 265 045", True),
        ("FR41303265045", False),  # the French key is 12 + 3 * (SIREN mod 97) mod 97
        ("DE136695976", True),
        ("CHE-116.281.710 MWST", True),
        ("ESX2482300W", True),
        ("IT00743110157", True),
        ("BE0403170701", True),
        # without the prefix, as the number's own country writes it after its label
        ("00743110157", True),  # a partita IVA
        ("00743110158", False),
        ("B78876232", True),  # a Spanish CIF
        ("B78876231", False),
    ],
)
def test_vat(value: str, valid: bool) -> None:
    assert vat_is_valid(value) is valid
