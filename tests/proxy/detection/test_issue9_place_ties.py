"""Issue 9, places tied to a person by emigrating, coming originally from, growing up or moving
in the first person ("Marianne emigrated to Auckland", "originally from Enugu", "me crié en
Constanța, me mudé a Castellón"); "raised" alone ties nothing ("she raised it with HR").
Fictitious sentences of our own; the whole detector, as the proxy runs it.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


def _places(presidio: PresidioDetector, text: str, language: str) -> list[str]:
    return masked(presidio, text, language, "LOCATION")


@pytest.mark.parametrize(
    ("language", "text", "places"),
    [
        ("en", "Context: Marianne emigrated to Auckland in 2021 and had twins.", ["Auckland"]),
        ("en", "Location: Leeds, originally from Enugu", ["Enugu"]),
        (
            "es",
            "Me crié en Constanța, estudié Química en Bucarest y me mudé a Castellón en 2013.",
            ["Castellón", "Constanța"],
        ),
        ("it", "Mia nonna è emigrata in Argentina nel 1951.", ["Argentina"]),
    ],
)
def test_places_tied_by_emigrating_growing_up_or_moving(
    presidio: PresidioDetector, language: str, text: str, places: list[str]
) -> None:
    assert set(places) <= set(_places(presidio, text, language))


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Ji-hoon raised that the new starters in Hull have had no refresher."),
        ("en", "Sales raised in Lyon were booked in March."),
    ],
)
def test_raising_a_point_ties_no_place(
    presidio: PresidioDetector, language: str, text: str
) -> None:
    assert _places(presidio, text, language) == []


@pytest.mark.parametrize(
    ("language", "text", "places"),
    [
        (
            "de",
            'mitarbeiter:\n  - uid: bnguyen\n    name: "Bao Nguyen"\n    standort: Hagen',
            ["Hagen"],
        ),
        (
            "fr",
            '{"login": "cpham", "nom": "Pham", "prenom": "Claire", "site": "Lille"}',
            ["Lille"],
        ),
        ("es", "- login: mgarcia\n  nombre: Milagros García\n  sede: Oviedo", ["Oviedo"]),
    ],
)
def test_a_workplace_in_a_persons_record(
    presidio: PresidioDetector, language: str, text: str, places: list[str]
) -> None:
    assert set(places) <= set(_places(presidio, text, language))


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("it", "Nuova utenza\nNome: Alessandro\nUfficio: Acquisti\nUsername: adeluca"),
        ("de", "BEGIN:VEVENT\nSUMMARY:Gespräch mit Anna\nLOCATION:Raum Berlin 4.12\nEND:VEVENT"),
        ("fr", '{"magasin": "Nord", "site": "Lille", "surface_m2": 1200}'),
    ],
)
def test_a_department_a_calendar_room_or_a_stores_site_is_no_ones(
    presidio: PresidioDetector, language: str, text: str
) -> None:
    assert _places(presidio, text, language) == []
