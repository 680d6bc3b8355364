"""Issue 9: a relation, a rank or a saint's title with a name, alone in typographic
quotes, names a thing: a wine, a beer, a racehorse, a toy («Zia Ottavia», „Sir Galahad“).

A title before a name is the strongest cue for a person, so such names were masked even in
quotes, which already made a plain name a product's (each positive row failed before this
change). A verb of calling before the quotes keeps a nickname a person («lo llaman «Don
Anselmo»»), and a form of address in quotes stays a person (« M. Vautrin », a signature):
those rows passed before and still do.

Names are fictitious and our own.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("it", "Carta dei vini: rosso «Zia Ottavia», bianco «Nonno Cirillo», 18 € al calice."),
        ("de", "Im Ausgleich laufen „Lady Rowena“, „Sir Galahad“ und „Morgenrot“. Start 14:10."),
        ("es", "Cervezas de la casa: «Don Leandro» (tostada) y «Abuela Casilda» (negra), 4 €."),
        ("it", "Nuovi peluche in vetrina: «Zio Baldo» e «Nonna Mirta», 24,90 € ciascuno."),
    ],
)
def test_a_titled_name_in_quotes_names_a_thing(
    presidio: PresidioDetector, language: str, text: str
) -> None:
    assert masked(presidio, text, language, "PERSON") == []


@pytest.mark.parametrize(
    ("language", "text", "name"),
    [
        ("es", "En el barrio lo llaman «Don Anselmo» y vive en el 3.º B.", "Anselmo"),
        ("fr", "Le client signe ses mails « M. Vautrin » depuis des années.", "Vautrin"),
    ],
)
def test_a_nickname_or_a_signature_in_quotes_stays_masked(
    presidio: PresidioDetector, language: str, text: str, name: str
) -> None:
    assert name in masked(presidio, text, language, "PERSON")
