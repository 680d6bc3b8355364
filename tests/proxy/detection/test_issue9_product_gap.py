"""Issue 9: a first name, then a preposition and a place's noun, is a person.

A name followed by a product's noun is a thing's name ("the Clifton branch", "pizza
Margherita", "the Onyx gaming keyboard": up to two words may stand between). Those two words
could be anything, so "bumped into Hannah at the station" read as a station named Hannah and
passed unmasked, in every language ("Jasper am Bahnhof", "Chiara alla stazione", "Begoña en
la estación"): four misses of one chat template on the tuning parts. A function word between
(spaCy's stop words of the text's language) now ends the thing's name; only that language's:
"pendant" is a French function word, but "the Olivia pendant lamp" is a lamp. Each masked row below
passed unmasked before this change; the negative rows passed before and must still pass.

Values are fictitious and our own.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


@pytest.mark.parametrize(
    ("language", "text", "name"),
    [
        ("en", "omg just bumped into Hannah at the station, she is moving to Lebanon", "Hannah"),
        ("de", "Ich habe gestern Jasper am Bahnhof getroffen.", "Jasper"),
        ("it", "Ieri ho visto Chiara alla stazione, sembrava stanca.", "Chiara"),
        ("es", "Ayer vi a Begoña en la estación de autobuses.", "Begoña"),
    ],
)
def test_a_name_before_a_preposition_and_a_place_noun_is_masked(
    presidio: PresidioDetector, language: str, text: str, name: str
) -> None:
    assert masked(presidio, text, language, "PERSON") == [name]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Ask for the Victoria sponge at the counter."),
        ("en", "The Clifton branch closes at six."),
        ("it", "Una pizza Margherita e due birre, grazie."),
        ("en", "Our stand will show the new Olivia pendant lamp."),
        ("fr", "Plat : pavé de saumon sauce Choron ou pizza Reine"),
    ],
)
def test_a_things_name_before_its_noun_stays_unmasked(
    presidio: PresidioDetector, language: str, text: str
) -> None:
    assert masked(presidio, text, language, "PERSON") == []
