"""Issue 9: the town line of a letter's signature.

A letter or an e-mail signed "Mit freundlichen Grüßen⏎Hannelore Sonnenschein⏎Saarbrücken"
says where its writer lives or works. The town passed in clear: no tie phrase stands before
it. Now a line holding only a town the gazetteer lists (its country or region may follow
after a comma), right after a name line that follows a closing formula, is a place tied to
that person. A job or a department on that line ("Rechtsanwältin") stays unmasked, and so
does a town elsewhere in the text. Each masked row below passed unmasked before this change.

Values are fictitious and our own.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


@pytest.mark.parametrize(
    ("language", "text", "places"),
    [
        (
            "de",
            "Die Unterlagen liegen bei.\n\nMit freundlichen Grüßen\nHannelore Sonnenschein\n"
            "Saarbrücken",
            ["Saarbrücken"],
        ),
        (
            "en",
            "Please refund the deposit.\n\nRegards,\nSiobhán Ní Bhriain\nGalway, Ireland",
            ["Galway", "Ireland"],
        ),
        (
            "fr",
            "Merci de votre retour.\n\nCordialement,\nGaëtan Le Goff\nQuimper",
            ["Quimper"],
        ),
    ],
)
def test_the_town_under_a_signature_is_masked(
    presidio: PresidioDetector, language: str, text: str, places: list[str]
) -> None:
    assert masked(presidio, text, language, "LOCATION") == places


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("de", "Anbei die Vollmacht.\n\nMit freundlichen Grüßen\nJana Brenner\nRechtsanwältin"),
        ("en", "Our Galway office opens in May.\n\nRegards,\nSiobhán Ní Bhriain"),
    ],
)
def test_a_job_line_or_a_town_in_the_prose_stays_unmasked(
    presidio: PresidioDetector, language: str, text: str
) -> None:
    assert masked(presidio, text, language, "LOCATION") == []
