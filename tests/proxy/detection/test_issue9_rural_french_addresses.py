"""Issue 9: French rural addresses that name a hamlet or a farm instead of a street.

"Adresse : La Haute Ville, 35190 Tinténiac", "Domicile : Le Bourg, 23200 Saint-Pardoux-
le-Neuf", "Chez M. Jacquier⏎La Combe, 73800 Arbin": no house number and no street type, so
only the postcode line was found (or nothing), and the hamlet went out in clear. A name
with an article, at a line's start or after an address label, now joins the postcode line
after it into one address; alone, or with an acronym ("Le TGV 6611 Paris-Gare de Lyon"),
it is none. The masked rows passed (in part) in clear before this change.

Values are fictitious and our own.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


@pytest.mark.parametrize(
    ("text", "address"),
    [
        (
            "N° SS rattaché : 215063577414673\nAdresse : La Haute Ville, 35190 Tinténiac",
            "La Haute Ville, 35190 Tinténiac",
        ),
        (
            "Mme Odile Ferrand, 89 ans\nDomicile : Le Bourg, 23200 Saint-Pardoux-le-Neuf",
            "Le Bourg, 23200 Saint-Pardoux-le-Neuf",
        ),
        (
            "Chez M. Lionel Jacquier\nLa Combe, 73800 Arbin\n\nObjet : haie mitoyenne",
            "La Combe, 73800 Arbin",
        ),
    ],
)
def test_a_hamlet_before_a_postcode_line_is_part_of_the_address(
    presidio: PresidioDetector, text: str, address: str
) -> None:
    assert masked(presidio, text, "fr", "ADDRESS") == [address]


@pytest.mark.parametrize(
    "text",
    [
        "Le TGV 6611 Paris-Gare de Lyon part à 8 h 12.",
        "La Combe est un joli coin des Alpes.",
    ],
)
def test_a_train_or_a_place_name_alone_is_no_address(presidio: PresidioDetector, text: str) -> None:
    assert masked(presidio, text, "fr", "ADDRESS") == []
