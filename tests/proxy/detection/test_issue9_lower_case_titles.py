"""Issue 9: a surname after a title, both in lower case, as chats write them.

"der schlüssel liegt bei frau kowalski", "lo recoge la señora ortega", "chiedi alla
signora bianchi", "demande à madame lefebvre": the title is the cue, a capital is not
needed. A surname some list holds is masked now (score 0.7); what a German title may stand
before that is a word ("frau doktor") is not. Each masked row passed in clear before this
change. Values are fictitious and our own.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


@pytest.mark.parametrize(
    ("language", "text", "name"),
    [
        ("de", "ok, der schlüssel liegt bei frau kowalski am empfang", "kowalski"),
        ("es", "tranquila, lo recoge la señora ortega mañana", "ortega"),
        ("it", "chiedi alla signora bianchi se ha le chiavi", "bianchi"),
        ("fr", "demande à madame lefebvre pour les clés", "lefebvre"),
    ],
)
def test_a_lower_case_surname_after_a_lower_case_title_is_masked(
    presidio: PresidioDetector, language: str, text: str, name: str
) -> None:
    assert masked(presidio, text, language, "PERSON") == [name]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("de", "die frau doktor kommt gleich wieder"),
        ("es", "gracias, señora, por la paciencia"),
    ],
)
def test_a_word_after_a_lower_case_title_is_not_masked(
    presidio: PresidioDetector, language: str, text: str
) -> None:
    assert masked(presidio, text, language, "PERSON") == []
