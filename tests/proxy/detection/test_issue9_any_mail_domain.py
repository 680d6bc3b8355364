"""Issue 9: an e-mail address on a domain the public-suffix list does not know.

An address counted only when its domain ended in a public suffix or in one of nine
private-network names. Everything else passed unmasked: a staff address on another internal
domain ("@sede.intern", "@hq.loc", "@firma.priv") and an address mistyped or disguised
("@gmail.con", "@web.dee"). The local part names the person whatever the domain, so now any
domain whose last label starts with a letter counts, unless that label is a file's extension
("logo@2x.png") or a name reserved for examples (".example", ".test": placeholders, as
before). A version ("lodash@4.17.21") stays none. Each masked row below passed unmasked
before this change.

Values are fictitious and our own.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


@pytest.mark.parametrize(
    ("language", "text", "address"),
    [
        ("it", "Scrivere a g.esposito@sede.intern per l'accesso.", "g.esposito@sede.intern"),
        ("fr", "Mon adresse : m.ferrand@gmail.con (pardon, .com)", "m.ferrand@gmail.con"),
        ("es", "Mi correo es iratxe.goiri@oficina.loc", "iratxe.goiri@oficina.loc"),
        ("de", "Bitte an jonas.brenner@it.firma.priv weiterleiten", "jonas.brenner@it.firma.priv"),
        ("en", "bounce to ola.lindqvist@nordlicht.qqqzz", "ola.lindqvist@nordlicht.qqqzz"),
        (
            "en",
            "Reach Felicity at felicity.hp@btinternet.comm today.",
            "felicity.hp@btinternet.comm",
        ),
    ],
)
def test_an_address_on_any_named_domain_is_masked(
    presidio: PresidioDetector, language: str, text: str, address: str
) -> None:
    assert masked(presidio, text, language, "EMAIL_ADDRESS") == [address]


@pytest.mark.parametrize(
    "text",
    [
        "Use logo@2x.png for retina screens and icon@3x.webp on phones",  # images' names
        "npm i lodash@4.17.21 then react@18.2.0-rc.1",  # versions
        "address ola@lindqvist, no domain",  # no dot after the at sign
        "Send the receipt from max.mustermann@shop.example, bounces to jane.doe@mail.test",
    ],
)
def test_files_versions_and_placeholders_stay_unmasked(
    presidio: PresidioDetector, text: str
) -> None:
    assert masked(presidio, text, "en", "EMAIL_ADDRESS") == []
