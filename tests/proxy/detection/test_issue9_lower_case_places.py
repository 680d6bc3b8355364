"""Issue 9, item 3: a town typed in lower case, as chats do, is tied after a strong tie even
when frequency lists count it among a language's words ("sie wohnt in lüneburg"), and "shes
from" / "i'm from" tie a place as "is from" does. A relative alone before a common word ties
nothing ("a mio padre in parole semplici"), nor does "from" before a thing: both controls
passed before the change. Fictitious texts of our own; the whole detector, as the proxy
runs it.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


def _places(presidio: PresidioDetector, text: str, language: str) -> list[str]:
    return masked(presidio, text, language, "LOCATION", "ADDRESS")


@pytest.mark.parametrize(
    ("language", "text", "place"),
    [
        ("de", "jonas: sie wohnt in lüneburg seit mai, frag sie selbst", "lüneburg"),
        ("en", "tom: yeah shes from valparaiso i think\nkat: cool", "valparaiso"),
        ("en", "dee: im from leicester originally lol", "leicester"),
    ],
)
def test_a_lower_case_town_is_tied(
    presidio: PresidioDetector, language: str, text: str, place: str
) -> None:
    assert place in _places(presidio, text, language)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("it", "Mi aiuti a spiegare questa lettera a mio padre in parole semplici?"),
        ("en", "shes from work, not from school, so be nice"),
    ],
)
def test_no_place_is_tied(presidio: PresidioDetector, language: str, text: str) -> None:
    assert _places(presidio, text, language) == []
