"""Issue 9: once a place is masked as a person's, its other mentions are masked too.

"Ruth Okafor moved to Harrogate in May. The Harrogate flat still needs new keys": the first
mention is tied to Ruth and masked; the second went out in clear, telling the provider what
the first placeholder hides. Every other mention of a place found as a person's (same
spelling and capitals) now gets the same placeholder, as other mentions of a name do. A
firm's or a body's mention is left alone: a branch word around it ("Our Leeds office", "la
sede di Napoli"), a firm's name and a comma before it ("Schwarzwald Bau GmbH, Pforzheim"),
or an institution's name it ends ("University of Edinburgh").

Values are fictitious and our own.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


@pytest.mark.parametrize(
    ("language", "text", "place"),
    [
        (
            "en",
            "Ruth Okafor moved to Harrogate in May. The Harrogate flat still needs new keys.",
            "Harrogate",
        ),
        (
            "it",
            "Marta Rossi vive a Cremona dal 2018.\nIndirizzo di spedizione: Cremona centro.",
            "Cremona",
        ),
        (
            "de",
            "Jonas Brenner ist nach Kassel gezogen. Bitte im CRM pflegen, Kassel ist neu.",
            "Kassel",
        ),
    ],
)
def test_every_mention_of_a_persons_place_is_masked(
    presidio: PresidioDetector, language: str, text: str, place: str
) -> None:
    assert masked(presidio, text, language, "LOCATION") == [place, place]


@pytest.mark.parametrize(
    ("language", "text", "place"),
    [
        ("en", "Ruth Okafor lives in Leeds. Our Leeds office closes in June.", "Leeds"),
        (
            "de",
            "Mila Kovačević, aufgewachsen in Pforzheim\n"
            "seit 2019 Projektleiterin, Schwarzwald Bau GmbH, Pforzheim",
            "Pforzheim",
        ),
        (
            "en",
            "Grace Obi studied in Edinburgh.\nEducation: MSc Statistics, University of Edinburgh",
            "Edinburgh",
        ),
    ],
)
def test_a_firms_or_a_bodys_mention_of_the_place_is_not_masked(
    presidio: PresidioDetector, language: str, text: str, place: str
) -> None:
    assert masked(presidio, text, language, "LOCATION") == [place]
