"""Issue 9: the speakers of a chat that only one rule can vouch for.

In a chat between people (one speaker is a known name), its other speakers are people too.
Three kinds went out before this change (each positive row failed then):
- a one-word speaker who takes two turns and whose name is also a word of the language
  ("Speranza", hope in Italian): refused as an everyday word unless written in lower case;
- a speaker of one turn named by a surname that is no word ("ziegler:"): only a listed
  first name was taken once;
- a speaker whose name no list has ("Zbyszek"), once, whom the chat names again.
A form's label that no list has ("Zustelladresse:") speaks once and is not named again: it
stays unmasked (that row passed before and still does).

Names are fictitious and our own.
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
            "Dario: hai visto il preventivo?\nSperanza: sì, lo mando stasera\n"
            "Dario: perfetto grazie\nSperanza: figurati",
            ["Dario", "Dario", "Speranza", "Speranza"],
        ),
        (
            "de",
            "lena: wer macht heute die kasse?\nziegler: ich, bis 14 uhr\n"
            "jonas: dann übernehme ich danach",
            ["jonas", "lena", "ziegler"],
        ),
        (
            "en",
            "Ola: who's opening tomorrow?\nIvan: me and Zbyszek\n"
            "Ola: great. Zbyszek, bring the float please\nZbyszek: will do",
            ["Ivan", "Ola", "Ola", "Zbyszek", "Zbyszek", "Zbyszek"],
        ),
    ],
)
def test_every_speaker_of_a_chat_between_people_is_masked(
    presidio: PresidioDetector, language: str, text: str, names: list[str]
) -> None:
    assert masked(presidio, text, language, "PERSON") == names


def test_a_forms_label_that_no_list_has_is_no_speaker(presidio: PresidioDetector) -> None:
    text = "Anna: hier die Daten\nKonto: DE12 wird nachgereicht\nZustelladresse: folgt\nAnna: danke"
    assert masked(presidio, text, "de", "PERSON") == ["Anna", "Anna"]
