"""Issue 9: a phone number at the end of a schedule's line is still a number when the next
line starts with a time ("…, 06 74 10 58 23⏎8h15 : M. …"), and a log's port is not glued
to the next line's date into a card number; plates after the vehicle or parking words staff
write ("furgoneta 7305 HRT", "targa … furgone"). Fictitious texts of our own; the whole
detector, as the proxy runs it.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


@pytest.mark.parametrize(
    ("language", "text", "phones"),
    [
        (
            "fr",
            "Tournée infirmière :\n7h30 : Mme Odile Ferrand, insuline, 03 85 21 47 60\n"
            "8h15 : M. Karim Belhadj, pansement, 06 41 72 93 18\n9h00 : fin",
            ["03 85 21 47 60", "06 41 72 93 18"],
        ),
        (
            "it",
            "Agenda ambulatorio:\n9:15 Ciro Esposito \u2013 visita, 081 763 4412\n"
            "10:00 Rosa Gallo \u2013 prelievo, 339 504 2871",
            ["081 763 4412", "339 504 2871"],
        ),
    ],
)
def test_a_phone_at_the_end_of_a_schedules_line_is_found(
    presidio: PresidioDetector, language: str, text: str, phones: list[str]
) -> None:
    assert set(phones) <= set(masked(presidio, text, language, "PHONE_NUMBER"))


def test_a_logs_port_and_the_next_lines_date_are_no_card(presidio: PresidioDetector) -> None:
    text = (
        "2024-11-30 22:01:07 sshd[811]: Accepted publickey for deploy from 10.0.4.7 port 61544\n"
        "2024-12-03 06:13:40 sshd[2311]: session opened"
    )
    assert masked(presidio, text, "en", "CREDIT_CARD") == []


def test_a_card_wrapped_over_two_lines_is_still_one_number(presidio: PresidioDetector) -> None:
    text = "Card for the refund:\n4539 1488 0343\n6467 please"
    assert masked(presidio, text, "en", "CREDIT_CARD") == ["4539 1488 0343\n6467"]


@pytest.mark.parametrize(
    ("language", "text", "plate"),
    [
        ("es", "Acceso a obra: Electro Sur, 8:00-17:00, furgoneta 2241 KPT", "2241 KPT"),
        ("it", "Ingresso cantiere: Idraulica Rossi, furgone FG 318 TX", "FG 318 TX"),
    ],
)
def test_a_plate_after_a_vehicle_word(
    presidio: PresidioDetector, language: str, text: str, plate: str
) -> None:
    assert plate in masked(presidio, text, language, "LICENSE_PLATE")
