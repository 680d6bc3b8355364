"""Issue 9, false alarms on texts with no personal data: a team's move and a revenue's growth
tie no place ("Traslado del equipo de datos de la sede de Madrid a la de Alcobendas", "il
fatturato è cresciuto del 7 %, trainato da Modena"), while a person's move still does
("Traslado de Itziar a Getafe", "Oggetto: trasferimento a Londra"); a stop of a route is a
place ("between Brixton and Stockwell", "the Mann\u2013Whitney U test"); a law named after its
minister ("la loi Évin"); a first name that is a limit ("Máximo una página"); a historical
figure celebrated or quoted as a school's name. Fictitious sentences of our own; the whole
detector, as the proxy runs it.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked

_TYPES = ("PERSON", "LOCATION")


@pytest.mark.parametrize(
    ("language", "text"),
    [
        (
            "es",
            "Orden del día:\n3. Traslado del equipo de ventas de la sede de Sevilla a la de "
            "Dos Hermanas\n4. Varios",
        ),
        (
            "it",
            "Punti:\n3. Trasferimento del reparto qualità dalla sede di Bergamo a quella di "
            "Dalmine\n4. Varie",
        ),
        (
            "it",
            "Nel secondo semestre il fatturato è cresciuto del 5,1 %, trainato da Verona e "
            "Vicenza.",
        ),
        ("en", "Engineering works: the Northern line is closed between Brixton and Clapham."),
        ("en", "No trains between Clifton and Stockwell this weekend."),
        ("en", "Our lecturer compared the Mann\u2013Whitney U test and the t-test."),
        ("fr", "Résume la loi Évin et la loi Toubon en trois phrases pour la formation."),
        ("es", "Redacta el aviso para los pacientes. Máximo una página, tono cercano."),
        ("it", "Scrivi l'avviso per la bacheca. Massimo una pagina."),
        ("it", "A Como, il museo civico celebra Alessandro Volta con una mostra sulle pile."),
        ("it", 'Da lunedì l\'ingresso del plesso "Maria Montessori" apre alle 7:50.'),
    ],
)
def test_no_person_and_no_place_in_these_benign_texts(
    presidio: PresidioDetector, language: str, text: str
) -> None:
    assert masked(presidio, text, language, *_TYPES) == []


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("es", "Asunto: Traslado de Itziar a Getafe\nHola, ¿alguien sabe la fecha?", "Getafe"),
        ("it", "Oggetto: trasferimento a Londra\nCiao Ludovica, ecco i dati.", "Londra"),
        ("it", "Sono cresciuta a Matera, poi mi sono trasferita a Torino.", "Matera"),
        (
            "it",
            "Abito temporaneamente da Ngozi e Emeka perché casa mia è in ristrutturazione.",
            "Ngozi",
        ),
        ("es", "Firmado: Massimo Ferraro", "Massimo Ferraro"),
        ("it", 'Paziente: "Maria Montessori", nata il 3/4/1961', "Maria Montessori"),
    ],
)
def test_people_and_their_moves_are_still_found(
    presidio: PresidioDetector, language: str, text: str, expected: str
) -> None:
    assert expected in masked(presidio, text, language, *_TYPES)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Day 2: London King's Cross 09:30 to York, then the museum."),
        ("en", "The walk goes through Regent's Park and ends at Camden Market for lunch."),
        ("en", "Two quiz questions, one about Anne Hathaway's Cottage in Stratford-upon-Avon."),
        ("en", "Nearest stations are Canary Wharf and Heron Quays (DLR)."),
        ("fr", "Le porte-conteneurs CMA CGM Jacques Saadé arrive au Havre le 9 décembre."),
        ("en", "Summarise Winston Churchill's role in the founding of the Council of Europe."),
    ],
)
def test_places_and_ships_named_after_people_and_a_request_about_a_figure(
    presidio: PresidioDetector, language: str, text: str
) -> None:
    assert masked(presidio, text, language, "PERSON") == []


def test_a_persons_possessive_before_an_ordinary_noun_is_still_a_person(
    presidio: PresidioDetector,
) -> None:
    assert "Oskar" in masked(
        presidio, "Please send Oskar's new address to the courier today.", "en", "PERSON"
    )


@pytest.mark.parametrize(
    ("language", "text"),
    [
        (
            "en",
            "Write a gentle explainer about Parkinson's disease for our leaflet. Cover: first "
            "signs, and how people manage Parkinson's at work.",
        ),
        ("fr", "Une fiche sur la maladie de Parkinson : quand Parkinson se déclare, que faire ?"),
        ("en", "Agenda: 2. The Churchill meeting room projector is replaced on Monday."),
    ],
)
def test_an_eponym_named_once_is_one_everywhere_and_a_meeting_room(
    presidio: PresidioDetector, language: str, text: str
) -> None:
    assert masked(presidio, text, language, "PERSON") == []


def test_a_person_who_bears_an_eponyms_name_is_still_one(presidio: PresidioDetector) -> None:
    text = "Mr Parkinson called about the leaflet; please ring him back on 020 7946 0018."
    assert "Parkinson" in masked(presidio, text, "en", "PERSON")


def test_someone_to_call_is_a_person_whatever_law_bears_the_name(
    presidio: PresidioDetector,
) -> None:
    text = (
        "- appeler Pascal (le plombier, 06 28 73 11 40) pour la fuite\n"
        "- réviser la loi de Pascal avec les enfants pour l'exposé"
    )
    assert "Pascal" in masked(presidio, text, "fr", "PERSON")
