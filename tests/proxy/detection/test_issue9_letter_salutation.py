"""Issue 9: a letter's salutation names a person even when a place bears the name.

"Hallo Benedikt,⏎⏎anbei die Rechnung" and "Hello Xiuying,⏎⏎The keys…" passed unmasked:
a greeting's name scores as weak evidence, and weak evidence that is all a notable place is
dropped; Benedikt is a Slovenian municipality (an ISO 3166-2 subdivision, which the
gazetteer counts as a region) and Xiuying a district of Haikou. A greeting alone on its line,
with a comma or "!" after the name, opens a letter or an e-mail: the name there, when it is a
first name that is no word anywhere, now scores as after a title. A place greeted so stays
unmasked ("Hallo Berlin!", "Hello London,"): it is no first name. Each masked row below
passed unmasked before this change.

Values are fictitious and our own.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


@pytest.mark.parametrize(
    ("language", "text", "name"),
    [
        ("de", "Hallo Benedikt,\n\nanbei die Rechnung vom März.", "Benedikt"),
        ("en", "Hello Xiuying,\n\nThe keys for the flat are ready.", "Xiuying"),
        ("en", "Hi Xiuying!\nThe keys for the flat are ready.", "Xiuying"),
    ],
)
def test_a_first_name_opening_a_letter_is_masked(
    presidio: PresidioDetector, language: str, text: str, name: str
) -> None:
    assert masked(presidio, text, language, "PERSON") == [name]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("de", "Hallo Berlin!\nWir sind wieder da, mit drei Konzerten im Mai."),
        ("en", "Hello London,\nwe are back in town for three nights in May."),
    ],
)
def test_a_place_greeted_stays_unmasked(
    presidio: PresidioDetector, language: str, text: str
) -> None:
    assert masked(presidio, text, language, "PERSON") == []
