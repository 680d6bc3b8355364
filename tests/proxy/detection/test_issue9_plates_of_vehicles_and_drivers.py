"""Issue 9: licence plates named by the vehicle or its driver, not by a plate word. A plate
with no checksum needs a cue; "Kennzeichen", "targa", "matrícula" were cues, while dispatch
lists and expense notes say "Camión: 8842 LWB", "Fahrzeug: HH-LT 9021" or put the driver
after the plate ("06:30  PL WGM 48K2  Fahrer: Nowicki"). The lorry's and the drivers' rows
failed before this change; "Fahrzeug" and "veicolo" were already context words, and those
rows pin that they still count. The negative rows passed before and still do: a car's model
after "Auto:" is no plate ("BMW X5"), nor a code before a word that is no driver.

Values are fictitious and our own.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


@pytest.mark.parametrize(
    ("language", "text", "plates"),
    [
        (
            "es",
            "Conductor: Anselmo Ruiz Peña\nCamión: 5127 KRD\nRuta: Vigo \u2192 Oporto",
            ["5127 KRD"],
        ),
        ("de", "Abholung morgen, Fahrzeug: KA-WT 3318, bitte Tor 4", ["KA-WT 3318"]),
        (
            "de",
            "Zeitfenster Tor Nord:\n05:45  PL KRA 71F3  Fahrer: Zielinski, Marek\n"
            "06:30  B-QX 4471  Fahrerin: Lange, Doris",
            ["B-QX 4471", "PL KRA 71F3"],
        ),
        ("it", "Rimborso km: veicolo GD 418 MT, 212 km il 14/03", ["GD 418 MT"]),
    ],
)
def test_a_plate_after_its_vehicle_or_before_its_driver_is_masked(
    presidio: PresidioDetector, language: str, text: str, plates: list[str]
) -> None:
    assert masked(presidio, text, language, "LICENSE_PLATE") == plates


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("de", "Auto: BMW X5, Farbe schwarz, Baujahr 2019"),
        ("en", "Build 4471 QXR passed; release notes for the team"),
    ],
)
def test_a_model_or_a_code_is_no_plate(
    presidio: PresidioDetector, language: str, text: str
) -> None:
    assert masked(presidio, text, language, "LICENSE_PLATE") == []
