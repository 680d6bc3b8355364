"""Issue 9: registers and sign-in sheets write the surname first. A table's header that joins
a name's parts ("Cognome Nome", "Apellidos, nombre", "Nom et prénom") heads a column of
people, and one that abbreviates a birth date ("F. nacimiento", "Data nasc.") a column of
birth dates; a surname in capitals keeps its particle ("DA SILVA Fábio") and a West African
"N'" ("N'GUESSAN Affoué"). Fictitious people of our own; the whole detector, as the proxy
runs it. (The Italian register is found by the name index too; it pins the header.)
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


@pytest.mark.parametrize(
    ("language", "text", "names"),
    [
        (
            "it",
            "Elenco:\n\n| Cognome Nome | Reparto |\n|---|---|\n| Stoica Irina | logistica |\n"
            "| Barbu Teodora Cristina | amministrazione |",
            ["Barbu Teodora Cristina", "Stoica Irina"],
        ),
        (
            "es",
            "Registro:\n\n| Apellidos, nombre | Turno |\n|---|---|\n| Quiroga Vela, Xoana | tarde |"
            "\n| Ngata, Moana | noche |",
            ["Ngata, Moana", "Quiroga Vela, Xoana"],
        ),
        (
            "fr",
            "Nom et prénom;Service\nLE GOFF Aurore;achats\nMAKELELE Pacôme;accueil",
            ["LE GOFF Aurore", "MAKELELE Pacôme"],
        ),
    ],
)
def test_a_header_joining_a_names_parts_heads_a_column_of_people(
    presidio: PresidioDetector, language: str, text: str, names: list[str]
) -> None:
    assert masked(presidio, text, language, "PERSON") == names


def test_an_abbreviated_birth_header_heads_a_column_of_birth_dates(
    presidio: PresidioDetector,
) -> None:
    text = (
        "Altas:\n\n| Nombre | F. nacimiento | Alta |\n|---|---|---|\n"
        "| Xoana Quiroga | 07/02/1991 | 01/03/2022 |"
    )
    assert masked(presidio, text, "es", "DATE_OF_BIRTH") == ["07/02/1991"]


@pytest.mark.parametrize(
    "text",
    [
        "| Nome prodotto | Prezzo |\n|---|---|\n| Tavolo Elena | 120 |\n| Sedia Bianca | 45 |",
        "| First contact | Last order |\n|---|---|\n| 2024-01-02 | 2024-03-04 |",
    ],
)
def test_a_header_of_other_words_is_no_name_column(presidio: PresidioDetector, text: str) -> None:
    assert masked(presidio, text, "it", "PERSON") == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Émargement :\n1. DA SILVA Fábio - signé\n2. absent", "DA SILVA Fábio"),
        ("Émargement :\n1. VAN DER BERG Anouk - signée", "VAN DER BERG Anouk"),
        ("Émargement :\n3. N'GUESSAN Affoué - absente", "N'GUESSAN Affoué"),
    ],
)
def test_a_surname_in_capitals_keeps_its_particle(
    presidio: PresidioDetector, text: str, name: str
) -> None:
    assert name in masked(presidio, text, "fr", "PERSON")
