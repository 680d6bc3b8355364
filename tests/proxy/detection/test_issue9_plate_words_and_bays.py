"""Issue 9: a plate of any country right after a word naming a plate, a nationality between
("Swedish plate NKB 48C", "plaque belge 1-ABC-482", "tschechisches Kennzeichen 5A2 3187",
"car_reg: LV23 PLO"), "reg"/"registration" after a vehicle word ("My car, registration
191-KE-4472"); a plate before a parking bay ("- LR21 KHG - bay 14", a German one before
"Platz 14"); a strict plate after "p.7" or a car's make and model ("Skoda Octavia BB-NT 77").
A firm's registration number, a team's rank, capitals without digits and a model year stay
as they are. Fictitious plates of our own; the whole detector, as the proxy runs it.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


def _plates(presidio: PresidioDetector, text: str, language: str) -> list[str]:
    return masked(presidio, text, language, "LICENSE_PLATE")


@pytest.mark.parametrize(
    ("language", "text", "plates"),
    [
        ("en", "Visitors: Ms Berg, Swedish plate TKL 63F, until Friday.", ["TKL 63F"]),
        ("fr", "Oui, plaque belge 2-KPX-519, j'ai prévenu l'accueil.", ["2-KPX-519"]),
        ("it", "Ospite: targa austriaca W-318 TX per due giorni.", ["W-318 TX"]),
        ("de", "Besucher mit tschechischem Kennzeichen 7B4 2251 kommt um 9.", ["7B4 2251"]),
        ("en", "guests:\n  - name: X\n    car_reg: MK22 RTF\n", ["MK22 RTF"]),
        ("en", "My car, registration 182-D-99134, was in the visitor car park.", ["182-D-99134"]),
        (
            "en",
            "Vehicles: insured SE reg PRT 55K; TP reg GHW 914\nThe insured states",
            ["GHW 914", "PRT 55K"],
        ),
        ("en", "Rental: CA plate 7XYZ481 returned late.", ["7XYZ481"]),
        (
            "de",
            "Eigenes Kfz: M-QT 1180, Unfallgegner: FRG-LU 62 (Fahrer flüchtig)",
            ["FRG-LU 62", "M-QT 1180"],
        ),
        (
            "en",
            "Permits:\n- Ana Ruiz \u2013 KX70 BNF \u2013 bay 9\n- Tom Hale \u2013 free",
            ["KX70 BNF"],
        ),
        ("es", "Plazas:\n- Marta Gil \u2013 7261 LRW \u2013 plaza 3", ["7261 LRW"]),
        ("de", "Tiefgarage:\n- Jens Ohm, LB-JO 77E, Platz 12, ja", ["LB-JO 77E"]),
        ("it", "posti\np.4 FT 208 KM Gianni\np.5 libero", ["FT 208 KM"]),
        ("de", "Gegner: Frau Lenz, Skoda Fabia HN-KL 402, versichert bei", ["HN-KL 402"]),
    ],
)
def test_a_plate_after_its_word_or_before_a_bay(
    presidio: PresidioDetector, language: str, text: str, plates: list[str]
) -> None:
    assert _plates(presidio, text, language) == plates


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Company registration SC123456 (Scotland), VAT registered."),
        ("fr", "Société immatriculée au RCS PARIS B 123 456 789."),
        ("de", "Tabelle: TSV 1860, Platz 4\nFC 08 Homburg 2, Platz 7"),
        ("en", "For sale: VW Golf 2015 GTD, one owner."),
        ("en", "The template AB12 CDE is reused in every report."),
        ("en", "Number plate recognition (ANPR) cameras go live on 3 March."),
    ],
)
def test_no_plate_word_no_plate(presidio: PresidioDetector, language: str, text: str) -> None:
    assert _plates(presidio, text, language) == []
