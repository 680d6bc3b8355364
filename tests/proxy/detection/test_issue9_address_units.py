"""Issue 9, addresses with the floor, door or staircase between the street and the postcode
line ("22 rue Sainte, 2e étage gauche, 13001 Marseille", "Via Pasubio 18, scala A, piano 3°,
interno 11, 20154 Milano MI", "C/ Tomás de Aquino, 12, 2.º 2, 14004 Córdoba") and Italian
streets with an elided article ("Via dell'Indipendenza 33"), a house name or a firm's c/o line
before the street, and streets or localities without a number before a postcode line ("The Old
Forge, Church Street, Broseley TF12 5DA", "Lieu-dit La Borie, 12390 Rignac", "c/o Studio
Dentistico Lanza⏎Via Libertà 44⏎90143 Palermo"): one ADDRESS span, whole, as the
corpus writes it; a person's name after c/o is a PERSON ("c/o Okonkwo"). A sentence after a
street's full stop is not swallowed into it.
Fictitious addresses of our own; the whole detector, as the proxy runs it.
"""

from __future__ import annotations

import asyncio

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


def _addresses(presidio: PresidioDetector, text: str, language: str) -> list[str]:
    return masked(presidio, text, language, "ADDRESS")


@pytest.mark.parametrize(
    ("language", "text", "address"),
    [
        ("fr", "Dépôt de garantie : 22 rue Sainte, 2e étage gauche, 13001 Marseille",
         "22 rue Sainte, 2e étage gauche, 13001 Marseille"),
        ("fr", "l'adresse 58 boulevard de Belleville, esc. C, 4e gauche, 75020 Paris.",
         "58 boulevard de Belleville, esc. C, 4e gauche, 75020 Paris"),
        ("it", "sita in Via Pasubio 18, scala A, piano 3°, interno 11, 20154 Milano MI, composta",
         "Via Pasubio 18, scala A, piano 3°, interno 11, 20154 Milano MI"),
        ("it", "Residenza: Via dell'Indipendenza 33, 40121 Bologna",
         "Via dell'Indipendenza 33, 40121 Bologna"),
        ("es", "Dirección: C/ Tomás de Aquino, 12, 2.º 2, 14004 Córdoba",
         "C/ Tomás de Aquino, 12, 2.º 2, 14004 Córdoba"),
    ],
)  # fmt: skip
def test_an_address_with_its_floor_and_door_is_one_span(
    presidio: PresidioDetector, language: str, text: str, address: str
) -> None:
    assert address in _addresses(presidio, text, language)


def test_a_sentence_after_a_street_is_not_part_of_it(presidio: PresidioDetector) -> None:
    text = "Treffpunkt Hauptstraße 5. Danach bitte, 10115 Berlin ist weit."
    assert all("Danach" not in address for address in _addresses(presidio, text, "de"))


@pytest.mark.parametrize(
    ("language", "text", "address"),
    [
        ("en", "I APPOINT my friend Raj Sandhu of The Old Forge, Church Street, Broseley TF12 5DA.",
         "The Old Forge, Church Street, Broseley TF12 5DA"),
        ("en", "Forwarding address: Flat 9, Kingfisher House, 3 Mill Lane, Reading RG1 6PT",
         "Flat 9, Kingfisher House, 3 Mill Lane, Reading RG1 6PT"),
        ("fr", "Adresse de facturation : Lieu-dit La Croix Blanche, 49170 Savennières",
         "Lieu-dit La Croix Blanche, 49170 Savennières"),
        ("it", "Località Poggio alla Croce 4, 50063 Figline e Incisa Valdarno (FI)",
         "Località Poggio alla Croce 4, 50063 Figline e Incisa Valdarno (FI)"),
        ("it", "Indirizzo:\nc/o Studio Dentistico Lanza\nVia Libertà 44\n90143 Palermo\nGrazie",
         "c/o Studio Dentistico Lanza\nVia Libertà 44\n90143 Palermo"),
    ],
)  # fmt: skip
def test_a_house_name_a_firms_c_o_line_or_a_numberless_street_starts_the_address(
    presidio: PresidioDetector, language: str, text: str, address: str
) -> None:
    assert address in _addresses(presidio, text, language)


def test_a_persons_name_after_c_o_is_a_person(presidio: PresidioDetector) -> None:
    text = "Empfänger:\nChiara Lindemann\nc/o Okonkwo\nWeidenauer Str. 88\n57076 Siegen"
    (analysis,) = asyncio.run(presidio.analyze([text], ["de"]))
    people = {text[f.start : f.end] for f in analysis.findings if f.entity_type == "PERSON"}
    assert "Okonkwo" in people


def test_a_numberless_street_alone_is_no_address(presidio: PresidioDetector) -> None:
    text = "Our new store on Church Street opens Monday; parking on Station Road."
    assert _addresses(presidio, text, "en") == []
