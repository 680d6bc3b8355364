"""Issue 9, false alarms on business prose: what only looks like a street and a house number
(a car's model year and engine size, opening hours after a square, a distance before a
square, the English preposition "via", the range of numbers of a building in a residents'
meeting agenda) is not a person's address; the same streets where someone lives, or written
with their postcode, still are. Fictitious sentences of our own; the whole detector."""

from __future__ import annotations

import asyncio

import pytest

from proxy.detection.pool import PresidioDetector


def _addresses(presidio: PresidioDetector, text: str, language: str) -> list[str]:
    (analysis,) = asyncio.run(presidio.analyze([text], [language]))
    return [
        text[f.start : f.end]
        for f in analysis.findings
        if f.entity_type == "ADDRESS" and f.score >= 0.5
    ]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("2019 Peugeot Rifter 2 seats, 41,000 miles, one owner, full history.", "en"),
        ("Die Filiale am Goetheplatz 9\u201320 Uhr, samstags bis 16 Uhr geöffnet.", "de"),
        ("Ravitaillement au km 31, place Jean Jaurès, puis descente vers la gare.", "fr"),
        ("Le TGV partira à 7 h 37 voie K. Arrivée prévue à 10 h 58.", "fr"),
        ("Deliveries via Door 12 only, Monday to Friday.", "en"),
        ("Assemblea del Condominio Aurora, Via Cavour 18-20\n1. Bilancio 2025", "it"),
        ("Junta de la Comunidad Las Acacias, calle Goya 31-33\n1. Cuentas del año", "es"),
        ("Copropriété Les Tilleuls, 8-10 rue Pasteur\n1. Approbation des comptes", "fr"),
    ],
)
def test_lookalikes_of_a_street_are_not_addresses(
    presidio: PresidioDetector, text: str, language: str
) -> None:
    assert _addresses(presidio, text, language) == []


@pytest.mark.parametrize(
    ("text", "language", "address"),
    [
        ("Il habite 8 rue Pasteur depuis mars.", "fr", "8 rue Pasteur"),
        ("Adresse du locataire : 8-10 rue Pasteur, merci de confirmer.", "fr", "10 rue Pasteur"),
        (
            "Lieferadresse: Goethestraße 9-11, 80336 München",
            "de",
            "Goethestraße 9-11, 80336 München",
        ),
        ("Abito in via Cavour 18 da due anni, a Torino.", "it", "via Cavour 18"),
        ("Residenza: Via Cavour 18-20, 10123 Torino", "it", "Via Cavour 18-20, 10123 Torino"),
    ],
)
def test_the_same_streets_where_someone_lives_stay_addresses(
    presidio: PresidioDetector, text: str, language: str, address: str
) -> None:
    assert address in " | ".join(_addresses(presidio, text, language))


@pytest.mark.parametrize(
    ("text", "language", "address"),
    [
        ("Paket an Jonas Fuchs, Burgstraße 3, Dachgeschoss, 01067 Dresden. Da war niemand.",
         "de", "Burgstraße 3, Dachgeschoss, 01067 Dresden"),
        ("wohnhaft Bergmannstraße 7, Hinterhof, Aufgang C, 10961 Berlin", "de",
         "Bergmannstraße 7, Hinterhof, Aufgang C, 10961 Berlin"),
        ("Cliente: Via Sant'Antonio Abate 17, piano terra, 73100 Lecce.", "it",
         "Via Sant'Antonio Abate 17, piano terra, 73100 Lecce"),
        ("Indirizzo: Fondamenta dei Ormesini 2713, Cannaregio, 30121 Venezia", "it",
         "Fondamenta dei Ormesini 2713, Cannaregio, 30121 Venezia"),
        ("residente in Via Nazionale 301, 80059 Torre del Greco (NA), rappresentato", "it",
         "Via Nazionale 301, 80059 Torre del Greco (NA)"),
    ],
)  # fmt: skip
def test_a_floor_a_door_or_a_district_between_street_and_postcode_is_part_of_the_address(
    presidio: PresidioDetector, text: str, language: str, address: str
) -> None:
    assert address in _addresses(presidio, text, language)
