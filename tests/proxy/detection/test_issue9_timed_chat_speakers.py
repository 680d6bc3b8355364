"""Issue 9: a chat export's speakers written "Name 18:02" above their messages.

Slack and Teams exports put the speaker's name and the time on a line of their own
("Vangelis 18:04", "Marguerite Chen-Lambert  9:22 AM"), with no colon after the name, so
the speaker rule ("lea: …") did not read them. Two such lines or more make a chat export
now, and a name on them that is no everyday word (or a first name that is none of the
text's language) is a speaker's (score 0.6). A schedule's "Abfahrt 18:02", "Lunch 12:30" is
not. Each masked row passed in clear before this change. Values are fictitious and our own.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


@pytest.mark.parametrize(
    ("language", "text", "names"),
    [
        (
            "de",
            "Vangelis 18:04\nkommt heute jemand zum Training?\nOksana 18:06\nich, ab sieben",
            ["Oksana", "Vangelis"],
        ),
        (
            "en",
            "Marguerite Chen-Lambert  9:22 AM\nno rush\nTendai Moyo  9:25 AM\nok, thanks",
            ["Marguerite Chen-Lambert", "Tendai Moyo"],
        ),
    ],
)
def test_timed_speakers_are_masked(
    presidio: PresidioDetector, language: str, text: str, names: list[str]
) -> None:
    assert masked(presidio, text, language, "PERSON") == names


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("de", "Fahrplan\nAbfahrt 18:02\nAnkunft 19:10\nUmstieg 18:40"),
        ("en", "Agenda\nLunch 12:30\nDinner 19:00\nBreakfast 7:30 AM"),
    ],
)
def test_a_schedule_is_no_chat(presidio: PresidioDetector, language: str, text: str) -> None:
    assert masked(presidio, text, language, "PERSON") == []
