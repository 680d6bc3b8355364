"""Issue 9, nationalities as forms and people write them: two in one field ("deutsch /
türkisch"), a label shared with another field ("Heimatort / Staatsangehörigkeit:"), a JSON
key, said by the person ("Io sono nigeriano", "Yo soy peruano con…"), both halves of a dual
national ("Turkish-German dual national", "double nationalité turque et française"). A
first-person sentence with no nationality in it ("Io sono pronto") and a summit's
"Anglo-French" pass. Fictitious people; the whole detector, as the proxy runs it.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


@pytest.mark.parametrize(
    ("language", "text", "values"),
    [
        ("de", "Staatsangehörigkeit: deutsch / polnisch\nAnschrift: folgt", ["deutsch / polnisch"]),
        ("de", "Geburtsort: Tuzla\nHeimatort / Staatsangehörigkeit: bosnisch", ["bosnisch"]),
        ("en", '{"place_of_birth": "Lviv", "nationality": "Ukrainian", "id": 7}', ["Ukrainian"]),
        ("it", "Io sono senegalese, in Italia da otto anni, e il conto è qui.", ["senegalese"]),
        ("es", "Yo soy boliviano con residencia en España desde 2016.", ["boliviano"]),
        (
            "en",
            "Client: Kemal Arslan, Turkish-Dutch dual national, resident in Utrecht.",
            ["Dutch", "Turkish"],
        ),
        (
            "de",
            "Kunde: Kemal Arslan, türkisch-niederländischer Doppelstaatler, wohnt in Kleve.",
            ["niederländischer", "türkisch"],
        ),
        (
            "fr",
            "Client : Kemal Arslan, double nationalité turque et belge, réside à Liège.",
            ["belge", "turque"],
        ),
    ],
)
def test_a_nationality_as_people_and_forms_write_it(
    presidio: PresidioDetector, language: str, text: str, values: list[str]
) -> None:
    assert masked(presidio, text, language, "NRP") == values


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("it", "Sono sicuro che va bene. Io sono pronto, partiamo."),
        ("en", "The Anglo-French summit ends on Friday."),
    ],
)
def test_no_nationality_no_finding(presidio: PresidioDetector, language: str, text: str) -> None:
    assert masked(presidio, text, language, "NRP") == []


@pytest.mark.parametrize(
    "text",
    [
        "The rules on dual nationality changed in 2024.",
        "He is a French national team player now.",
        "Stand up for the Welsh national anthem.",
    ],
)
def test_prose_about_nationality_in_general_names_none(
    presidio: PresidioDetector, text: str
) -> None:
    assert masked(presidio, text, "en", "NRP") == []


def test_a_national_is_still_a_person_s(presidio: PresidioDetector) -> None:
    text = "Mr Okafor, a Nigerian national, arrived on Monday."
    assert masked(presidio, text, "en", "NRP") == ["Nigerian"]
