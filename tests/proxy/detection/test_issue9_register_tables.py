"""Issue 9, item 3: a guest list's or a register's table ties its towns to its people: a
column headed by where someone lives, comes from or goes ("Travelling from", "Viene de",
"Wohnt jetzt in", "Sale a", "Destino"), a people's column whose cells carry notes, relations
or a second person ("tía Reme", "padrinos Jesús y Mari Paz", "Abdou Ndiaye (compañero)"),
a header qualified in parentheses ("Name (damals)"), and rows a language identifier reads
as another language (a table is never cut between its rows). A shipment's table keeps its
destinations (a control that passed before the change and pins that the new headers need
a table of people). Fictitious texts of our own; the whole detector, as the proxy runs it.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


def _places(presidio: PresidioDetector, text: str, language: str) -> list[str]:
    return masked(presidio, text, language, "LOCATION", "ADDRESS")


@pytest.mark.parametrize(
    ("language", "text", "towns"),
    [
        (
            "en",
            "Reunion RSVPs - how many need a room?\n\n"
            "| Guest | Travelling from | Room | Mobile |\n|---|---|---|---|\n"
            "| Carys Pritchard | Llandeilo | yes | 07700 912345 |\n"
            "| Joost van Dijk | Harderwijk | no | +31 6 12 34 56 78 |\n"
            "| Maarten de Boer | Zwolle | yes | +31 6 87 65 43 21 |",
            ["Harderwijk", "Llandeilo", "Zwolle"],
        ),
        (
            "es",
            "Invitados del bautizo, ¿cuántos somos?\n\n"
            "| Invitado | Viene de | Niños |\n|---|---|---|\n"
            "| tía Remedios | Jumilla | 1 |\n"
            "| padrinos Ginés y Mari Carmen | Caravaca | 0 |\n"
            "| Oumar Sow (compañero de trabajo) | Archena | 2 |",
            ["Archena", "Caravaca", "Jumilla"],
        ),
        (
            "de",
            "Klassentreffen - wer braucht ein Zimmer?\n\n"
            "| Name (damals) | Wohnt jetzt in | Zimmer |\n|---|---|---|\n"
            "| Sabine Gruber | Neumarkt | ja |\n"
            "| Florian Weigl | Amberg | nein |",
            ["Amberg", "Neumarkt"],
        ),
    ],
)
def test_the_towns_of_a_register_are_tied(
    presidio: PresidioDetector, language: str, text: str, towns: list[str]
) -> None:
    found = _places(presidio, text, language)
    assert all(town in found for town in towns), found


def test_a_shipment_keeps_its_destinations(presidio: PresidioDetector) -> None:
    text = (
        "Check the totals:\n\n| Shipment | Destination | Weight |\n|---|---|---|\n"
        "| SKU-1042 | Rotterdam | 12 kg |\n| SKU-2210 | Antwerp | 8 kg |"
    )
    assert _places(presidio, text, "en") == []
