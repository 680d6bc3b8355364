"""Issue 9: a writer who types one name in lower case, as a cue shows ("ciao gianni!",
"slt c chloé"), types the others so too: a lone message, with no speakers to show it is a
chat, still has its other lower-case first names masked ("ho sentito marta", "des nouvelles
de clément"); record keys ("geo=", "iban:") and everyday words stay. Fictitious texts of our
own; the whole detector, as the proxy runs it.
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
            "ciao gianni! ho sentito marta ieri, dice che stasera non viene",
            ["gianni", "marta"],
        ),
        (
            "fr",
            "slt c chloé, t'as des nouvelles de clément ? il répond plus depuis lundi",
            ["chloé", "clément"],
        ),
        (
            "es",
            "hola jacinto, sabes si amparo vuelve mañana? si no se lo pido a rocío",
            ["jacinto", "amparo", "rocío"],
        ),
    ],
)
def test_a_lower_case_writers_other_first_names_are_people(
    presidio: PresidioDetector, language: str, text: str, names: list[str]
) -> None:
    assert set(names) <= set(masked(presidio, text, language, "PERSON"))


def test_keys_and_words_of_a_lower_case_writer_stay(presidio: PresidioDetector) -> None:
    text = (
        "hola jacinto, la luz del despacho sigue fundida\n"
        "login_fail user=admin geo=ES\ncampo iban: vacío"
    )
    assert masked(presidio, text, "es", "PERSON") == ["jacinto"]


def test_a_capitalised_writers_lower_case_words_stay(presidio: PresidioDetector) -> None:
    """Without a lower-case name found by a cue, nothing says the writer types names so."""
    text = "Ho sentito marta ieri sera al telefono."
    assert "marta" not in masked(presidio, text, "it", "PERSON")


@pytest.mark.parametrize(
    ("language", "text", "names"),
    [
        (
            "es",
            "resume el grupo de padres\n\nmamá de lucas: quién puede acompañar?\n"
            "ainhoa: yo por la mañana\nrachid: yo todo el día\n"
            "jose (papá de vega): yo por la tarde",
            ["lucas", "ainhoa", "rachid", "jose", "vega"],
        ),
        (
            "de",
            "[03.02.24, 06:12] ben: sie ist da\n[03.02.24, 06:15] oma gisela: wie geht es ihr?\n"
            "[03.02.24, 06:16] ben: gut, beide schlafen\n[03.02.24, 06:30] onkel murat: willkommen",
            ["ben", "gisela", "murat"],
        ),
        (
            "it",
            "mamma di leo: chi accompagna la gita?\nclaudia: io la mattina\n"
            "gigi (papà di tommy): io il pomeriggio",
            ["leo", "claudia", "gigi", "tommy"],
        ),
    ],
)
def test_a_family_or_class_chats_speakers_are_people(
    presidio: PresidioDetector, language: str, text: str, names: list[str]
) -> None:
    """Speakers named by a relation ("oma gisela:"), by their child ("mamá de lucas:",
    "gigi (papà di tommy):"), and the chat's other speakers with them."""
    assert set(names) <= set(masked(presidio, text, language, "PERSON"))


def test_a_family_chats_relations_and_welcomes_are_no_names(presidio: PresidioDetector) -> None:
    text = (
        "[03/02/24 07:20] dani: ya está aquí\n[03/02/24 07:22] la yaya Carmen: ay mi niña\n"
        "[03/02/24 07:40] tito paco: bienvenida martinita"
    )
    found = masked(presidio, text, "es", "PERSON")
    assert {"dani", "Carmen", "paco"} <= set(found)
    assert not {"yaya", "tito", "bienvenida"} & set(found)
