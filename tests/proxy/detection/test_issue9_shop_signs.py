"""Issue 9: a shop's sign named after its owner ("Wilma's Bakery", "Jorgs Backstube").

A first name with a possessive before a capitalised shop's noun is the shop's name, as
"Regent's Park" was already a park's: masking it only breaks a marketing prompt (each
positive row was masked before this change). German writes the owner in the genitive with
no apostrophe; there only nouns that are businesses count, since "Annas Küche" may be her
kitchen. A possessive before a lower-case noun is someone's ("Ulrike's garage"): that row
passed before and still does.

Names are fictitious and our own.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", 'FAQ: "Is Wilma\'s Bakery part of the same group as Café Lindqvist?" No.'),
        ("en", "Lunch at Ottilie's Kitchen, then the car goes to Barnaby's Garage."),
        ("de", "Wochenplan für Jorgs Backstube, KW 12: Montag Foto vom Roggenbrot."),
        ("de", "Das Team von Ninas Café sucht ab März eine Aushilfe für Samstage."),
    ],
)
def test_a_shop_sign_is_not_masked(presidio: PresidioDetector, language: str, text: str) -> None:
    assert masked(presidio, text, language, "PERSON") == []


def test_someones_own_garage_keeps_them_masked(presidio: PresidioDetector) -> None:
    text = "Ulrike's garage is full, so park at the neighbours'."
    assert masked(presidio, text, "en", "PERSON") == ["Ulrike"]
