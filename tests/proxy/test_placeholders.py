"""The placeholder grammar, as tables: what is a token, what could still become one.

The streaming restorer is only as right as `could_start_token`: if it said False for a real
prefix a split token would be missed; if it said True too often text would be held for no
reason. So it is checked here against a brute-force oracle, not only examples.
"""

from __future__ import annotations

import itertools

import pytest

from proxy.placeholders import (
    ID_ALPHABET,
    ID_LENGTH,
    LITERAL_TYPE,
    MAX_TOKEN_LENGTH,
    MAX_TYPE_LENGTH,
    TOKEN_PATTERN,
    Vault,
    could_start_token,
)

LONGEST = "<" + "A" * MAX_TYPE_LENGTH + "_abcdef>"

TOKENS = [
    "<PERSON_k3x9qa>",
    "<EMAIL_ADDRESS_7hj2mq>",
    "<A_222222>",
    "<A_2_abcdef>",
    "<FR_NIR_zzzzzz>",
    f"<{LITERAL_TYPE}_mnpqrs>",
    LONGEST,
]

NOT_TOKENS = [
    ("id too short", "<PERSON_1>"),
    ("id two long", "<PERSON_10>"),
    ("id one short", "<PERSON_abcde>"),
    ("id one long", "<PERSON_abcdefg>"),
    ("id with 0, not in the alphabet", "<PERSON_abcde0>"),
    ("id with l, not in the alphabet", "<PERSON_abcdel>"),
    ("id in capitals", "<PERSON_ABCDEF>"),
    ("type in lower case", "<person_abcdef>"),
    ("type starting with a digit", "<1PERSON_abcdef>"),
    ("no type", "<_abcdef>"),
    ("type too long", "<" + "A" * (MAX_TYPE_LENGTH + 1) + "_abcdef>"),
    ("space before the id", "<PERSON abcdef>"),
    ("space before the >", "<PERSON_abcdef >"),
    ("no closing bracket", "<PERSON_abcdef"),
    ("no opening bracket", "PERSON_abcdef>"),
]


@pytest.mark.parametrize("token", TOKENS)
def test_well_formed_tokens_match_the_grammar(token: str) -> None:
    assert TOKEN_PATTERN.fullmatch(token)


@pytest.mark.parametrize(("case", "text"), NOT_TOKENS)
def test_near_misses_do_not_match_the_grammar(case: str, text: str) -> None:
    assert TOKEN_PATTERN.fullmatch(text) is None, case
    assert TOKEN_PATTERN.search(text) is None, case


def test_the_longest_token_is_max_token_length() -> None:
    assert len(LONGEST) == MAX_TOKEN_LENGTH


@pytest.mark.parametrize("token", TOKENS)
def test_every_proper_prefix_of_a_token_could_start_one_and_the_token_itself_not(
    token: str,
) -> None:
    for end in range(1, len(token)):
        assert could_start_token(token[:end]), token[:end]
    assert not could_start_token(token)


@pytest.mark.parametrize(
    ("case", "text"),
    [
        ("empty text", ""),
        ("text before the <", "a<"),
        ("a space after <", "< "),
        ("lower case after <", "<d"),
        ("a digit after <", "<1"),
        ("an underscore after <", "<_"),
        ("a seventh id character", "<PERSON_abcdefg"),
        ("a character outside the id alphabet", "<PERSON_abco"),
        ("a type one too long", "<" + "A" * (MAX_TYPE_LENGTH + 1)),
        ("a second <", "<PERSON_<"),
        ("a complete token", "<PERSON_abcdef>"),
        ("a > too early", "<PERSON_abc>"),
    ],
)
def test_text_that_cannot_grow_into_a_token_is_not_held(case: str, text: str) -> None:
    assert not could_start_token(text), case


def test_could_start_token_agrees_with_a_brute_force_oracle() -> None:
    """Every string up to 5 characters over the characters that matter to the grammar."""
    # Any proper prefix of a token can be completed by one of these: the rest of a type in
    # capitals plus a full id, or the rest of an id.
    completions = [
        "A" * extra + "_" + "a" * ID_LENGTH + ">" for extra in range(MAX_TYPE_LENGTH + 1)
    ] + ["a" * extra + ">" for extra in range(ID_LENGTH + 1)]
    alphabet = "<>A_a20 "
    for length in range(1, 6):
        for chars in itertools.product(alphabet, repeat=length):
            text = "".join(chars)
            oracle = any(TOKEN_PATTERN.fullmatch(text + rest) for rest in completions)
            assert could_start_token(text) == oracle, repr(text)


def test_the_id_alphabet_has_no_look_alikes_and_32_symbols() -> None:
    assert len(set(ID_ALPHABET)) == len(ID_ALPHABET) == 32
    assert not set("01lo") & set(ID_ALPHABET)


@pytest.mark.parametrize(
    "entity_type",
    ["PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "IBAN_CODE", "FR_NIR", LITERAL_TYPE, "A" * 40],
)
def test_minted_tokens_match_the_grammar_and_are_stable(entity_type: str) -> None:
    vault = Vault(secret=b"k")
    token = vault.token_for(entity_type, "Zoë")
    assert TOKEN_PATTERN.fullmatch(token)
    assert vault.token_for(entity_type, "Zoë") == token
    assert Vault(secret=b"k").token_for(entity_type, "Zoë") == token
    assert vault.value_of(token) == "Zoë"


def test_values_differing_in_case_get_different_tokens() -> None:
    vault = Vault(secret=b"k")
    assert vault.token_for("LOCATION", "Lyon") != vault.token_for("LOCATION", "lyon")


@pytest.mark.parametrize("entity_type", ["person", "9X", "A-B", "A" * (MAX_TYPE_LENGTH + 1)])
def test_token_for_refuses_an_entity_type_the_grammar_cannot_parse(entity_type: str) -> None:
    """A custom recognizer named e.g. ``medical-id`` would otherwise get a token that no
    restorer recognises, and the app would receive the placeholder instead of its data."""
    with pytest.raises(ValueError, match="entity type"):
        Vault(secret=b"k").token_for(entity_type, "x")
