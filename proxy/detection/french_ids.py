"""Checksums of French identifiers: NIR (social security number), SIREN and SIRET.

Plain functions over strings, no Presidio, so they are table-tested on their own and the
recognizers only decide *where* a candidate is. Each takes the text as it was matched
(spaces, dots, non-breaking spaces allowed) and says whether the number is well formed and
its check digits agree. A regex alone would flag every 9- or 14-digit order number; the
checksum is what turns a pattern into evidence.
"""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s.\-]")
_NIR_SHAPE = re.compile(r"[1-478]\d{4}(?:\d{2}|2[AB])\d{8}")
_CORSICA = {"2A": "19", "2B": "18"}
LA_POSTE_SIREN = "356000000"
LA_POSTE_HEAD_OFFICE_SIRET = "35600000000048"


def compact(value: str) -> str:
    """`value` without the separators people write inside numbers, upper-cased."""
    return _SEPARATORS.sub("", value).upper()


def luhn_is_valid(digits: str) -> bool:
    """The Luhn (mod 10) check used by SIREN, SIRET and payment cards."""
    if not digits.isdigit():
        return False
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = int(char)
        if position % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def nir_is_valid(value: str) -> bool:
    """A French NIR ("numéro de sécurité sociale"): 13 characters and a 2-digit key.

    Shape: sex (1, 2; 3, 4, 7, 8 for provisional numbers), year, month, department (two
    digits, or 2A/2B for Corsica), commune, order number, key. The key is
    97 - (n mod 97) where n is the first 13 characters read as a number, 2A and 2B counting
    as 19 and 18 (INSEE's rule).
    """
    nir = compact(value)
    if _NIR_SHAPE.fullmatch(nir) is None:
        return False
    body = nir[:5] + _CORSICA.get(nir[5:7], nir[5:7]) + nir[7:13]
    return 97 - int(body) % 97 == int(nir[13:])


def siren_is_valid(value: str) -> bool:
    """A SIREN (company number): 9 digits passing the Luhn check."""
    siren = compact(value)
    return len(siren) == 9 and luhn_is_valid(siren)


def siret_is_valid(value: str) -> bool:
    """A SIRET (establishment number): SIREN + 5-digit NIC, 14 digits passing Luhn.

    La Poste is the documented exception: its establishments share SIREN 356000000 and are
    numbered so that the digit sum is a multiple of 5 instead (its head office,
    35600000000048, passes Luhn and is checked the usual way).
    """
    siret = compact(value)
    if len(siret) != 14 or not siret.isdigit():
        return False
    if siret.startswith(LA_POSTE_SIREN) and siret != LA_POSTE_HEAD_OFFICE_SIRET:
        return sum(int(char) for char in siret) % 5 == 0
    return luhn_is_valid(siret)
