"""Restoring surrogates (`proxy.surrogates`, through `proxy.restore`), from tables: no server.

The same property as for placeholders: however the provider cuts its answer, the streamed
restoration equals the restoration of the whole text; plain text is released at once and
nothing is held longer than a surrogate could still be forming. And the forms a model writes
a surrogate in (capitals, a possessive, the surname alone, an identifier regrouped) come back
as the value, while look-alikes (a longer word, a name in lower case) stay as they are.
"""

from __future__ import annotations

import itertools
import json
import random

import pytest

from proxy.placeholders import Vault
from proxy.restore import Known, Restorer, json_string_escape, restore_text
from proxy.surrogates import FormKind, SurrogateIndex, form_kind

PROMPT = (
    "Je m'appelle Jean Dupont, jean.dupont@orange.fr, 06 12 34 56 78, "
    "IBAN FR76 3000 6000 0112 3456 7890 189. Marie Curie est ma collègue."
)
VAULT = Vault(b"voile-test-secret-for-surrogates")
VAULT.observe([PROMPT])
JEAN = VAULT.surrogate_for("PERSON", "Jean Dupont", "fr")
MARIE = VAULT.surrogate_for("PERSON", "Marie Curie", "fr")
MAIL = VAULT.surrogate_for("EMAIL_ADDRESS", "jean.dupont@orange.fr", "fr")
PHONE = VAULT.surrogate_for("PHONE_NUMBER", "06 12 34 56 78", "fr")
IBAN = VAULT.surrogate_for("IBAN_CODE", "FR76 3000 6000 0112 3456 7890 189", "fr")
TOKEN = VAULT.token_for("LOCATION", "Lyon")
FIRST, LAST = JEAN.split()
GENITIVE = "'" if LAST.endswith(("s", "x", "z")) else "s"  # German: Duponts, Smets'
KNOWN = Known(VAULT.value_of, SurrogateIndex.of(VAULT.surrogates()))


def compact(value: str) -> str:
    return value.replace(" ", "")


# (case, the answer as the provider writes it, the answer the app must get)
CASES = [
    ("as minted", f"Bonjour {JEAN} !", "Bonjour Jean Dupont !"),
    ("capitals", f"DEAR {JEAN.upper()},", "DEAR JEAN DUPONT,"),
    ("lower case full name", f"cc {JEAN.lower()}", "cc jean dupont"),
    ("surname in capitals", f"M. {LAST.upper()} a appelé", "M. DUPONT a appelé"),
    ("possessive", f"{LAST}'s file and {LAST}\u2019s car", "Dupont's file and Dupont\u2019s car"),
    ("genitive", f"{LAST}{GENITIVE} Akte", f"Dupont{GENITIVE} Akte"),
    ("surname alone", f"Mme {MARIE.split()[1]} et M. {LAST}", "Mme Curie et M. Dupont"),
    ("first name alone", f"Merci {FIRST}.", "Merci Jean."),
    ("e-mail in capitals", f"<{MAIL.upper()}>", "<JEAN.DUPONT@ORANGE.FR>"),
    ("phone regrouped", f"Tel: {compact(PHONE)}.", "Tel: 0612345678."),
    ("iban compact", f"IBAN {compact(IBAN)}", "IBAN FR7630006000011234567890189"),
    ("with a placeholder", f"{TOKEN}: {JEAN}", "Lyon: Jean Dupont"),
    ("adjacent punctuation", f"({JEAN}){MAIL}", "(Jean Dupont)jean.dupont@orange.fr"),
    # Look-alikes stay as they are.
    ("inside a longer word", f"{LAST}ville, X{LAST}", f"{LAST}ville, X{LAST}"),
    ("a name in lower case is a word", f"le {LAST.lower()} du coin", f"le {LAST.lower()} du coin"),
    ("inside an identifier", f"{compact(PHONE)}9", f"{compact(PHONE)}9"),
]


@pytest.mark.parametrize(("case", "answer", "expected"), CASES, ids=[c[0] for c in CASES])
def test_whole_answers_get_every_form_back(case: str, answer: str, expected: str) -> None:
    assert restore_text(answer, KNOWN)[0] == expected


@pytest.mark.parametrize(("case", "answer", "expected"), CASES, ids=[c[0] for c in CASES])
def test_cut_anywhere_the_stream_restores_like_the_whole(
    case: str, answer: str, expected: str
) -> None:
    for cut in range(len(answer) + 1):
        restorer = Restorer(KNOWN)
        out = restorer.feed(answer[:cut]) + restorer.feed(answer[cut:]) + restorer.flush()
        assert out == expected, cut


@pytest.mark.parametrize(("case", "answer", "expected"), CASES, ids=[c[0] for c in CASES])
def test_one_character_at_a_time_and_random_cuts(case: str, answer: str, expected: str) -> None:
    restorer = Restorer(KNOWN)
    assert "".join(restorer.feed(c) for c in answer) + restorer.flush() == expected
    rng = random.Random(case)
    for _ in range(20):
        cuts = sorted(rng.sample(range(1, len(answer)), min(4, len(answer) - 1)))
        restorer = Restorer(KNOWN)
        pieces = [answer[a:b] for a, b in itertools.pairwise([0, *cuts, len(answer)])]
        assert "".join(restorer.feed(p) for p in pieces) + restorer.flush() == expected


def test_plain_text_is_released_at_once_and_what_is_held_is_bounded() -> None:
    restorer = Restorer(KNOWN)
    assert restorer.feed("Rien de personnel ici, ") == "Rien de personnel ici, "
    assert restorer.feed(LAST[:3]) == ""  # could be the surname: held
    assert restorer.pending == LAST[:3]
    assert restorer.feed("x ") == LAST[:3] + "x "  # it was not
    longest = KNOWN.surrogates.longest
    for cut in range(1, len(IBAN) + 1):
        restorer = Restorer(KNOWN)
        restorer.feed("IBAN " + IBAN[:cut])
        assert len(restorer.pending) <= longest


def test_json_text_gets_values_json_escaped() -> None:
    vault = Vault(b"k" * 32)
    vault.observe(['Conan "the" O\'Brien'])
    surrogate = vault.surrogate_for("ORGANIZATION", 'Conan "the" O\'Brien', "en")
    known = Known(vault.value_of, SurrogateIndex.of(vault.surrogates()))
    arguments = json.dumps({"client": surrogate})
    restored, count, _ = restore_text(arguments, known, json_string_escape)
    assert json.loads(restored) == {"client": 'Conan "the" O\'Brien'}
    assert count == 1
    for cut in range(len(arguments) + 1):
        restorer = Restorer(known, json_string_escape)
        out = restorer.feed(arguments[:cut]) + restorer.feed(arguments[cut:]) + restorer.flush()
        assert out == restored


def test_restored_values_are_counted() -> None:
    _, restored, unresolved = restore_text(f"{JEAN}, {LAST}, {TOKEN}, <PERSON_abcdef>", KNOWN)
    assert (restored, unresolved) == (3, 1)


def test_the_request_wins_over_the_conversation_it_continues() -> None:
    """A surrogate remembered from an earlier turn (the conversation vault) restores too;
    where the request minted the same surrogate for another value, the request's wins."""
    inherited = {"Bastien Rolland": "Paul Verlaine", JEAN: "someone else"}
    known = Known(VAULT.value_of, SurrogateIndex.of(inherited, VAULT.surrogates()))
    assert restore_text(f"Bastien Rolland, {JEAN}", known)[0] == "Paul Verlaine, Jean Dupont"


@pytest.mark.parametrize(
    ("surrogate", "kind"),
    [
        ("Martin", FormKind.PROPER),
        ("Jean-Paul", FormKind.PROPER),
        ("Paul Martin", FormKind.TEXT),
        ("paul.martin@example.org", FormKind.TEXT),
        ("06 25 66 21 02", FormKind.IDENTIFIER),
        ("FR7614193866094176298131601", FormKind.TEXT),
        ("+33 6 19 00 01 83", FormKind.IDENTIFIER),
        ("15/04/1981", FormKind.IDENTIFIER),
    ],
)
def test_the_forms_come_from_the_surrogates_shape(surrogate: str, kind: FormKind) -> None:
    assert form_kind(surrogate) is kind


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("Martins Akte", "Duponts Akte"),
        ("MARTINS AKTE", "DUPONTS AKTE"),
        ("Martin's", "Dupont's"),
        ("martin", "martin"),
        ("Martinez", "Martinez"),
        ("Bernard Martin", "Bernard Dupont"),
    ],
)
def test_a_proper_noun_in_its_forms(answer: str, expected: str) -> None:
    known = Known(lambda token: None, SurrogateIndex.of({"Martin": "Dupont"}))
    assert restore_text(answer, known)[0] == expected


def test_a_surrogate_without_its_accents_gives_the_value_without_its_own() -> None:
    known = Known(lambda token: None, SurrogateIndex.of({"Édouard Perrin": "Jérôme Dupont"}))
    assert restore_text("Edouard Perrin, EDOUARD PERRIN", known)[0] == (
        "Jerome Dupont, JEROME DUPONT"
    )


def test_json_written_ascii_only_is_restored_cut_anywhere() -> None:
    """Tool-call arguments a model writes with `\\u00e9` for `é`: the surrogate is found as
    JSON spells it, and the value goes back JSON-escaped."""
    entries = {"Paul Clément": 'Jean "Jeannot" Dupont', "Clément": "Dupont"}
    known = Known(lambda token: None, SurrogateIndex.of(entries))
    arguments = json.dumps({"subject": "Re: Paul Clément", "cc": "M. Clément"})
    assert "\\u00e9" in arguments
    expected = {"subject": 'Re: Jean "Jeannot" Dupont', "cc": "M. Dupont"}
    assert json.loads(restore_text(arguments, known, json_string_escape)[0]) == expected
    for cut in range(len(arguments) + 1):
        restorer = Restorer(known, json_string_escape)
        out = restorer.feed(arguments[:cut]) + restorer.feed(arguments[cut:]) + restorer.flush()
        assert json.loads(out) == expected, cut


def test_the_hold_back_rule_agrees_with_each_form() -> None:
    """The index's set lookups say what `Form.could_grow` says, for every tail of every
    form and of look-alikes."""
    index = KNOWN.surrogates
    tails = {
        text[start:end]
        for form in index.forms
        for text in (form.text, form.text.upper(), form.text.lower(), form.text + "x")
        for start in range(len(text))
        for end in range(start + 1, len(text) + 1)
    }
    tails |= {compact(IBAN)[:n] for n in range(1, 12)} | {"06  ", "0 6", "06   1", " 06"}
    for tail in tails:
        expected = any(form.could_grow(tail) for form in index.forms)
        assert index._could_grow(tail) is expected, tail
