"""Issue 9, places with judgement: a birthplace label after a comma ("…, Geburtsort:
Landshut") or after the date it shares a label with ("Geburtsdatum / -ort: 11.12.1988 /
Gjakova"), a birth tie written as a label ("Nato a: Accra"), "basée à" next to a person, a
German noun that ties the place inside a run of capitals ("seinem Wohnort Bamberg"), "se ha
mudado a" with a client, a holiday home ("vom Ferienhaus in …"), a family's holiday ("vacanze
dai nonni a …"): each place is where someone lives, was born or stays, masked. A firm
"basée à" a town is business prose and stays. Fictitious people; the whole detector, as the
proxy runs it.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


@pytest.mark.parametrize(
    ("language", "text", "places"),
    [
        ("de", "Geburtsdatum: 08.11.1994, Geburtsort: Landshut", ["Landshut"]),
        ("de", "Personalbogen\nGeburtsdatum / -ort: 11.12.1988 / Gjakova", ["Gjakova"]),
        ("it", "Scheda dipendente\nNato a: Accra (Ghana) il 02/10/1991", ["Accra", "Ghana"]),
        ("fr", "Camille Roux\nContrôleuse de gestion - basée à Nantes", ["Nantes"]),
        (
            "de",
            "Er fährt am 9. abends von seinem Wohnort Bamberg direkt zum Flughafen.",
            ["Bamberg"],
        ),
        ("es", "La clienta dice que se ha mudado a Logroño y cambió de banco.", ["Logroño"]),
        ("en", "Moved in: 2 March. Previous address: Limerick, Ireland.", ["Ireland", "Limerick"]),
    ],
)
def test_a_place_tied_to_a_person_is_masked(
    presidio: PresidioDetector, language: str, text: str, places: list[str]
) -> None:
    assert masked(presidio, text, language, "LOCATION", "ADDRESS") == places


def test_a_firm_based_in_a_town_is_business_prose(presidio: PresidioDetector) -> None:
    text = "Notre fournisseur est une PME basée à Nantes depuis 1990."
    assert masked(presidio, text, "fr", "LOCATION", "ADDRESS") == []


@pytest.mark.parametrize(
    ("language", "text", "places"),
    [
        (
            "de",
            "Bitte die IP vom Ferienhaus in Świnoujście freischalten, da arbeite ich im August.",
            ["Świnoujście"],
        ),
        ("it", "Aggiungi anche l'IP della casa al mare a Otranto, lavoro da lì.", ["Otranto"]),
        ("it", "Tratta: BGY → BDS, 2-16 agosto, vacanze dai nonni a Lecce", ["Lecce"]),
    ],
)
def test_a_holiday_home_or_a_familys_holiday_is_someones_whereabouts(
    presidio: PresidioDetector, language: str, text: str, places: list[str]
) -> None:
    assert masked(presidio, text, language, "LOCATION", "ADDRESS") == places


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Our staff trip to Portsmouth is booked for the sales team."),
        ("de", "Die Monteure sind nächste Woche auf Montage, danach auf Werft."),
    ],
)
def test_a_teams_trip_or_work_is_no_ones_whereabouts(
    presidio: PresidioDetector, language: str, text: str
) -> None:
    assert masked(presidio, text, language, "LOCATION", "ADDRESS") == []
