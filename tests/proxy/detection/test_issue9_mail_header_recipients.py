"""Issue 9: a mail header's recipients, written "Surname, First".

"An: Demir, Murat": Outlook writes a recipient as surname, comma, first name. The rule for
such pairs refused a surname that is also a first name (so that "Peter, Anna" in a list of
first names stays two first names), and "Demir" is both: only "Murat" was masked. On a
mail header's line (To, Cc, From, An, Von, De, À, Da, Para) the pair is a recipient now.
Values are fictitious and our own.
"""

from __future__ import annotations

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


def test_recipients_surname_first_are_masked_whole(presidio: PresidioDetector) -> None:
    text = "Gesendet: Montag, 15. April 2024 08:47\nAn: Demir, Murat; Kaya, Elif\nBetreff: Termin"
    assert masked(presidio, text, "de", "PERSON") == ["Demir, Murat", "Kaya, Elif"]


def test_a_list_of_first_names_stays_first_names(presidio: PresidioDetector) -> None:
    text = "Teilnehmer: Peter, Anna, Paul"
    assert masked(presidio, text, "de", "PERSON") == ["Anna", "Paul", "Peter"]
