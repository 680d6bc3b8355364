"""Issue 9: in English, a first name right after "the", "a" or "an" names a thing, a title
or a place ("the Duke of York pub", "the Hudson connector", "an Oscar"), not a person.

A capitalised first name alone counted as a person wherever no rule explained it away: the
name rules' lone first name (0.55), and the model's PERSON entity of one word. So product
names, pubs, bridges and awards in benign English prose were masked (the rows below each
failed before this change). English puts no article before a person's
first name. Other languages do, colloquially ("la Maru", "el Dani", "der Gerd"), so the rule
is English only, and a first name without an article still counts (the last two tests).

Names and texts are our own.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


@pytest.mark.parametrize(
    "text",
    [
        "After dinner, the Duke of Clarence pub next door is good for drinks.",
        "Deprecated the Tobias importer; use the Hudson connector instead.",
        "The film won an Oscar for its score and a Bafta for its editing.",
        "Install the Margaret desktop client before Monday's update.",
        "Our team lunch is at the Albert on Friday, booked for twelve.",
    ],
)
def test_a_first_name_after_an_english_article_is_no_person(
    presidio: PresidioDetector, text: str
) -> None:
    assert masked(presidio, text, "en", "PERSON") == []


def test_a_first_name_without_an_article_still_counts(presidio: PresidioDetector) -> None:
    text = "Please forward the signed contract to Hudson before Friday."
    assert "Hudson" in masked(presidio, text, "en", "PERSON")


def test_an_article_before_a_first_name_still_counts_outside_english(
    presidio: PresidioDetector,
) -> None:
    text = "Edu: no jodas, el Rulo se ha ido a vivir con la Sandra a Mallorca"
    assert "Sandra" in masked(presidio, text, "es", "PERSON")
