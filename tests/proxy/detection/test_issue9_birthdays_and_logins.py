"""Issue 9: birth dates people write without a full date, or with the cue somewhere else.

After a birth phrase the date had to have a day, a month and a four-digit year, and the
phrase had to come first. These passed in clear: a day and month alone right after the
phrase or a birthday word ("geboren am 3. Februar", "birthday: 12/03", "compleanno: 12
marzo"), a two-digit year said aloud ("Le 2 juin 65"), a month and a year ("born in March
1985", "né en mars 1985"), a month's name between hyphens ("D.O.B.: 12-Mar-1985"), a form's
leader dots between label and value, and German's participle after the date ("Er wurde am
12. März 1985 in Köln geboren"). Each masked row below passed unmasked before this change.

A second fix is in the same recognizer: a shorter reading of a date found first at the same
place ("3 de mayo") kept a longer one found by a later pattern out, because results were
compared by their start; they are compared by span now. Two fixes to the logins derived
from a found name are here too: a login that is a common word is not derived ("closed" from
"Disraeli Close"), and each of two surnames makes logins ("mtorres" for Marta Torres
Aguilar).

Values are fictitious and our own.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


@pytest.mark.parametrize(
    ("language", "text", "date"),
    [
        ("de", "Mila, geboren am 3. Februar um 4:12 im Klinikum Nürnberg.", "3. Februar"),
        ("es", "Mi hijo Iker nació el 3 de mayo, pesó 3,2 kilos.", "3 de mayo"),
        (
            "fr",
            "Conseiller : Votre date de naissance ?\nClient : Le 2 juin 65.",
            "2 juin 65",
        ),
        ("en", "Name: Ruth Okafor\nD.O.B.: 12-Mar-1985\nWard 4", "12-Mar-1985"),
        ("en", "Patient: Ruth Okafor\nDate of Birth ........ 12/03/1985", "12/03/1985"),
        ("en", "Ruth Okafor was born in March 1985 in Leeds.", "March 1985"),
        ("fr", "Sami Haddad est né en mars 1985 à Tunis.", "mars 1985"),
        ("de", "Herr Brenner wurde am 12. März 1985 in Köln geboren.", "12. März 1985"),
        ("en", "Staff list: Ruth Okafor, birthday: 12/03, cake from Tom", "12/03"),
        ("de", "Jonas Brenner, Geburtstag am 12.03., bitte Karte besorgen", "12.03."),
        ("it", "Scheda di Chiara Esposito, compleanno: 12 marzo", "12 marzo"),
        ("fr", "Il est né le 3 mai 12h30 à Lyon.", "3 mai"),  # the hour is no year
    ],
)
def test_a_birthday_or_a_partial_birth_date_is_masked(
    presidio: PresidioDetector, language: str, text: str, date: str
) -> None:
    assert masked(presidio, text, language, "DATE_OF_BIRTH") == [date]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("de", "Treffen am 12. März 2024 in Köln, danach Abendessen."),  # no birth phrase
        # a chat's time stamp before a birth: the stamp is not the birth date
        ("de", "[03.02.24, 06:12] ben: Mila, geboren um 5:48, 3240 g"),
        ("en", "The birthday party is in March, venue TBC."),  # a month alone
    ],
)
def test_other_dates_near_the_words_stay_unmasked(
    presidio: PresidioDetector, language: str, text: str
) -> None:
    assert masked(presidio, text, language, "DATE_OF_BIRTH") == []


def test_a_name_made_login_that_is_a_word_is_not_masked(presidio: PresidioDetector) -> None:
    """ "Disraeli Close" makes the login "closed" (surname + initial); "closed" is a word."""
    text = "The school is closed. Disraeli Close is resurfaced; ask mkraus (Melanie Kraus)."
    assert "closed" not in masked(presidio, text, "en", "PERSON")
    assert "mkraus" in masked(presidio, text, "en", "PERSON")


@pytest.mark.parametrize(
    ("text", "login"),
    [
        ("Usuaria: lcabrera (Lorena Cabrera Hidalgo, contabilidad)", "lcabrera"),
        ("Solicitante: mtorres (Marta Torres Aguilar), consultora externa", "mtorres"),
    ],
)
def test_a_login_from_the_first_of_two_surnames_is_masked(
    presidio: PresidioDetector, text: str, login: str
) -> None:
    """Spanish logins take the first surname of two ("mtorres" for Marta Torres Aguilar);
    only the last one was tried."""
    assert login in masked(presidio, text, "es", "PERSON")
