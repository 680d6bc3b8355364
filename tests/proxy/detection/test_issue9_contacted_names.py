"""Issue 9: a first name that is also a word, after a verb of calling, asking or telling.

"avvisa Fortunato", "mandare a Primo i documenti", "chiedo a Felice", "can u text Sunny?",
"frag Vera": the name is a word of the language ("fortunate", "first", "happy"), so
the rule for a lone first name drops it, and no title or greeting comes before it. A verb
of contact does the work of a cue: what it calls, asks or tells is a person. Each masked row
passed in clear before this change; a capitalised word after the verb that is no first name
("call Support", "Call Center") stays unmasked.

Values are fictitious and our own.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


@pytest.mark.parametrize(
    ("language", "text", "name"),
    [
        ("it", "Qualcuno avvisa Fortunato dei servizi generali?", "Fortunato"),
        ("it", "Domani: mandare a Primo i documenti dell'assicurazione.", "Primo"),
        ("it", "[19:31] Gioia: ok allora chiedo a Felice", "Felice"),
        ("en", "can u text Sunny? my phone is dying", "Sunny"),
        ("de", "Wegen der Schlüssel frag Vera, sie hat sie.", "Vera"),
    ],
)
def test_a_word_like_first_name_after_a_verb_of_contact_is_masked(
    presidio: PresidioDetector, language: str, text: str, name: str
) -> None:
    assert name in masked(presidio, text, language, "PERSON")


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Please call Support if the page fails to load."),
        ("en", "Call Center hours are 9 to 5 on weekdays."),
        ("it", "Per il guasto chiamare Assistenza Clienti al numero verde."),
        ("es", "Para la factura habla con Contabilidad antes del viernes."),
    ],
)
def test_a_department_after_a_verb_of_contact_is_not_masked(
    presidio: PresidioDetector, language: str, text: str
) -> None:
    assert masked(presidio, text, language, "PERSON") == []
