"""Issue 9, people named the way software and buildings name them: a chat's @mentions
("@sunny.k", "@piotr", "@tkowalczyk"), logins in sshd lines and quoted in bug reports
('Accepted publickey for fhoffmann from', 'utente «d'angelo.chiara» dall'IP'), and the names
on a doorbell ('klingel „Brandt/Okoye“', 'citofono «Colombo»'); never a code keyword after
"@" ("@media", "@param", "@Override") nor a caretaker's bell. Fictitious sentences of our
own; the whole detector, as the proxy runs it, judged with the default policy.
"""

from __future__ import annotations

import asyncio

import pytest

from bench.eval import policy_filter
from proxy.detection.pool import PresidioDetector

_ACTS_ON = policy_filter()


def _masked(presidio: PresidioDetector, text: str, language: str) -> list[tuple[str, str]]:
    (analysis,) = asyncio.run(presidio.analyze([text], [language]))
    return sorted(
        (f.entity_type, text[f.start : f.end])
        for f in analysis.findings
        if _ACTS_ON(f.entity_type, f.score)
    )


def _values(presidio: PresidioDetector, text: str, language: str) -> set[str]:
    return {value for _, value in _masked(presidio, text, language)}


@pytest.mark.parametrize(
    ("language", "text", "handle"),
    [
        ("de", "@sunny.k hast du das NDA vom typen aus Linz zurück?", "@sunny.k"),
        ("en", "yep. @kwame.a checked, it's the cert again", "@kwame.a"),
        ("en", '      slack: "@piotr"\n      phone: "+48 601 223 845"', "@piotr"),
        ("en", "@tkowalczyk commented on tests/test_student.py line 10:", "@tkowalczyk"),
    ],
)
def test_a_chats_mentions_of_people(
    presidio: PresidioDetector, language: str, text: str, handle: str
) -> None:
    assert handle in _values(presidio, text, language)


@pytest.mark.parametrize(
    "text",
    [
        "@media screen and (max-width: 600px) { @import url(print.css); }",
        "/** @param name the user's name @return the greeting */ @Override",
        "@here the build is green again, @channel please rebase",
    ],
)
def test_code_and_chat_keywords_after_an_at_are_no_people(
    presidio: PresidioDetector, text: str
) -> None:
    assert not any(value.startswith("@") for value in _values(presidio, text, "en"))


@pytest.mark.parametrize(
    ("language", "text", "login"),
    [
        (
            "en",
            "Mar 22 07:41:09 bastion sshd[2231]: Accepted publickey for fhoffmann from "
            "217.84.19.203 port 50644",
            "fhoffmann",
        ),
        ("en", 'Repro: user "jürgen.bauer" from IP 91.64.118.27, trace attached.', "jürgen.bauer"),
        ("de", "Repro: Benutzer „strauß.ingrid“ von IP 93.229.41.157.", "strauß.ingrid"),
        ("fr", "Repro : utilisateur « françois.leroy » depuis l'IP 82.64.1.15.", "françois.leroy"),
        ("es", "Repro: usuario «iñaki.zubizarreta» desde la IP 88.27.190.54.", "iñaki.zubizarreta"),
        ("it", "Repro: utente «d'angelo.chiara» dall'IP 2.234.117.41.", "d'angelo.chiara"),
    ],
)  # fmt: skip
def test_logins_in_sshd_lines_and_quoted_in_bug_reports(
    presidio: PresidioDetector, language: str, text: str, login: str
) -> None:
    assert ("PERSON", login) in _masked(presidio, text, language)


@pytest.mark.parametrize(
    ("language", "text", "names"),
    [
        ("de", "3. OG, klingel „Brandt/Okoye“. wenn keiner aufmacht, ruf an", {"Brandt", "Okoye"}),
        ("it", "alle 19. citofono «Colombo», terzo piano.", {"Colombo"}),
        ("it", 'Via Po 4, 10123 Torino (citofono "Pistone-Lo Cascio")', {"Pistone-Lo Cascio"}),
    ],
)  # fmt: skip
def test_the_names_on_a_doorbell(
    presidio: PresidioDetector, language: str, text: str, names: set[str]
) -> None:
    people = {
        value for entity_type, value in _masked(presidio, text, language) if entity_type == "PERSON"
    }
    assert names <= people


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("de", "Bei Problemen: Klingel: Hausmeister, Erdgeschoss."),
        ("de", "Im Angebot: Lampe „Atlas“ und Sessel „Bruno“ für 99 €."),
        ("en", "Ring the bell twice and wait."),
    ],
)
def test_a_caretakers_bell_and_quoted_products_name_no_one(
    presidio: PresidioDetector, language: str, text: str
) -> None:
    assert not any(t == "PERSON" for t, _ in _masked(presidio, text, language))
