"""Placeholder restoration, whole and streamed, driven by tables: no server, no event loop.

The central property: however the provider cuts its answer, the streamed restoration is
exactly the restoration of the whole text, and nothing is held longer than a placeholder
could still be forming.
"""

from __future__ import annotations

import itertools
import json
import random
from collections.abc import Callable, Iterable

import pytest

from proxy.placeholders import LITERAL_TYPE, MAX_TOKEN_LENGTH, Vault
from proxy.restore import Restorer, identity, json_string_escape, restore_text

VAULT = Vault(secret=b"voile-test-secret")
ZOE = VAULT.token_for("PERSON", "Zoë Ångström")
JF = VAULT.token_for("PERSON", "Jean-François")
MAIL = VAULT.token_for("EMAIL_ADDRESS", "zoe@example.fr")
EMOJI = VAULT.token_for("NICKNAME", "🦊 Renard")
QUOTED = VAULT.token_for("PERSON", 'Conan "the" O\'Brien \\ C:\\Users\\conan')
CONTROL = VAULT.token_for("NOTE", "line one\nline two\ttab \x01")
# What a client itself wrote that looked like a placeholder is masked under LITERAL_TYPE, so
# that restoring gives the client's text back; it must not then be restored a second time.
LITERAL = VAULT.token_for(LITERAL_TYPE, "<PERSON_")
UNKNOWN = "<PERSON_abcdef>"  # well-formed, but not minted in this vault
assert UNKNOWN not in VAULT


def lookup(token: str) -> str | None:
    return VAULT.value_of(token)


def value(token: str) -> str:
    result = VAULT.value_of(token)
    assert result is not None
    return result


# (case, masked text as the provider streams it, expected restored text, restored, unresolved)
TEXT_CASES: list[tuple[str, str, str, int, int]] = [
    (
        "sentence with several tokens",
        f"Bonjour {ZOE}, {JF} vous écrit à {MAIL} 🙂.",
        "Bonjour Zoë Ångström, Jean-François vous écrit à zoe@example.fr 🙂.",
        3,
        0,
    ),
    (
        "adjacent and repeated tokens",
        f"{ZOE}{JF}{ZOE}",
        "Zoë ÅngströmJean-FrançoisZoë Ångström",
        3,
        0,
    ),
    ("token alone", ZOE, "Zoë Ångström", 1, 0),
    ("emoji value between emoji", f"🦊{EMOJI}🦊", "🦊🦊 Renard🦊", 1, 0),
    (
        "comparisons and html around tokens",
        f"<div>{JF}</div> if a < b and b<c or x<>y: <p>{MAIL}</p> <",
        "<div>Jean-François</div> if a < b and b<c or x<>y: <p>zoe@example.fr</p> <",
        2,
        0,
    ),
    (
        "angle brackets doubled around a token are the model's own text",
        f"<{ZOE}> <<{JF}>>",
        "<Zoë Ångström> <<Jean-François>>",
        2,
        0,
    ),
    (
        "a token-like prefix interrupted by a real token",
        f"<PERSON_{ZOE} <PERSON_ab{JF} <{MAIL}",
        "<PERSON_Zoë Ångström <PERSON_abJean-François <zoe@example.fr",
        3,
        0,
    ),
    (
        "near-misses are not tokens",
        "<PERSON_1> <PERSON_10> <PERSON_abcdefg> <PERSON_abcde> <person_abcdef> "
        "<PERSON_ABCDEF> <PERSON_abcde0> <PERSON_abcdel> <_abcdef> <1PERSON_abcdef> "
        "<PERSON abcdef> <PERSON_abcdef > < PERSON_abcdef> <PERSON_abcdef",
        "<PERSON_1> <PERSON_10> <PERSON_abcdefg> <PERSON_abcde> <person_abcdef> "
        "<PERSON_ABCDEF> <PERSON_abcde0> <PERSON_abcdel> <_abcdef> <1PERSON_abcdef> "
        "<PERSON abcdef> <PERSON_abcdef > < PERSON_abcdef> <PERSON_abcdef",
        0,
        0,
    ),
    (
        "a token followed by an extra id character is not a token",
        f"{ZOE[:-1]}a> and {ZOE[:-1]}",
        f"{ZOE[:-1]}a> and {ZOE[:-1]}",
        0,
        0,
    ),
    (
        "unknown tokens pass through and are counted",
        f"{UNKNOWN} met {ZOE} and <LOCATION_mnpqrs>.",
        "<PERSON_abcdef> met Zoë Ångström and <LOCATION_mnpqrs>.",
        1,
        2,
    ),
    (
        "a restored value is never restored again",
        f"{LITERAL}abcdef> and {LITERAL}{ZOE[8:]}",
        f"<PERSON_abcdef> and <PERSON_{ZOE[8:]}",
        2,
        0,
    ),
    (
        "the longest possible type name",
        f"{VAULT.token_for('A' * 40, 'long')}!",
        "long!",
        1,
        0,
    ),
    ("no token at all", "Rien à restaurer ici.", "Rien à restaurer ici.", 0, 0),
    ("empty text", "", "", 0, 0),
]
TEXT_IDS = [case[0] for case in TEXT_CASES]

SHORT_TEXT = f"a<{ZOE}>{JF}<b"  # short enough to cut at every pair of offsets


def stream(
    fragments: Iterable[str],
    escape: Callable[[str], str] = identity,
    *,
    check_bound: bool = True,
) -> tuple[str, Restorer]:
    """Feed fragments one by one, asserting the hold-back bound after every feed."""
    restorer = Restorer(lookup, escape)
    out: list[str] = []
    for fragment in fragments:
        out.append(restorer.feed(fragment))
        if check_bound:
            assert len(restorer.pending) <= MAX_TOKEN_LENGTH - 1
    out.append(restorer.flush())
    assert restorer.pending == ""
    return "".join(out), restorer


def cut(text: str, offsets: Iterable[int]) -> list[str]:
    bounds = [0, *sorted(offsets), len(text)]
    return [text[a:b] for a, b in itertools.pairwise(bounds)]


# --- whole texts -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "masked", "expected", "restored", "unresolved"), TEXT_CASES, ids=TEXT_IDS
)
def test_restore_text_restores_known_tokens_and_counts(
    case: str, masked: str, expected: str, restored: int, unresolved: int
) -> None:
    assert restore_text(masked, lookup) == (expected, restored, unresolved), case


# --- streamed texts, cut everywhere -----------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "masked", "expected", "restored", "unresolved"), TEXT_CASES, ids=TEXT_IDS
)
def test_text_cut_at_every_offset_restores_exactly(
    case: str, masked: str, expected: str, restored: int, unresolved: int
) -> None:
    for offset in range(len(masked) + 1):
        result, restorer = stream(cut(masked, [offset]))
        assert result == expected, f"{case}: cut at {offset}"
        assert (restorer.restored, restorer.unresolved) == (restored, unresolved)


@pytest.mark.parametrize(
    ("case", "masked", "expected", "restored", "unresolved"), TEXT_CASES, ids=TEXT_IDS
)
def test_text_fed_one_character_at_a_time_restores_exactly(
    case: str, masked: str, expected: str, restored: int, unresolved: int
) -> None:
    result, restorer = stream(masked)
    assert result == expected, case
    assert (restorer.restored, restorer.unresolved) == (restored, unresolved)


@pytest.mark.parametrize(
    ("case", "masked", "expected", "restored", "unresolved"), TEXT_CASES, ids=TEXT_IDS
)
def test_text_cut_at_random_multiple_offsets_restores_exactly(
    case: str, masked: str, expected: str, restored: int, unresolved: int
) -> None:
    rng = random.Random(f"restore-{case}")
    for _ in range(200):
        offsets = [rng.randrange(len(masked) + 1) for _ in range(rng.randrange(1, 12))]
        result, restorer = stream(cut(masked, offsets))
        assert result == expected, f"{case}: cuts at {sorted(offsets)}"
        assert (restorer.restored, restorer.unresolved) == (restored, unresolved)


def test_short_text_cut_at_every_pair_of_offsets_restores_exactly() -> None:
    expected = "a<Zoë Ångström>Jean-François<b"
    for first, second in itertools.combinations_with_replacement(range(len(SHORT_TEXT) + 1), 2):
        result, restorer = stream(cut(SHORT_TEXT, [first, second]))
        assert result == expected, f"cuts at {first}, {second}"
        assert (restorer.restored, restorer.unresolved) == (2, 0)


def test_streaming_matches_restore_text_on_random_token_soup() -> None:
    """Fuzz against the whole-text path with the characters that matter to the grammar."""
    rng = random.Random(20240521)
    pieces = [*"<<<>>_ AEP2ak0l", "PERSON", "_abcdef", ZOE, JF, UNKNOWN, LITERAL, "<PERSON_"]
    for _ in range(500):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 40)))
        expected = restore_text(text, lookup)
        offsets = [rng.randrange(len(text) + 1) for _ in range(rng.randrange(0, 10))]
        result, restorer = stream(cut(text, offsets))
        assert (result, restorer.restored, restorer.unresolved) == expected, repr(text)


# --- hold-back ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "fragments", "released"),
    [
        (
            "a split token is held, then restored",
            ["Hi <PER", ZOE[4:] + "!"],
            ["Hi ", "Zoë Ångström!"],
        ),
        ("text before a lone < is released", ["x <"], ["x "]),
        ("a < that cannot start a token goes at once", ["a < b"], ["a < b"]),
        ("an html tag goes at once", ["<div>"], ["<div>"]),
        ("a lower-case letter after < ends the wait", ["<", "d", "iv>"], ["", "<d", "iv>"]),
        ("a short id goes as soon as its > arrives", ["<PERSON_1", ">"], ["", "<PERSON_1>"]),
        ("a seventh id character ends the wait", [ZOE[:-1], "g>"], ["", ZOE[:-1] + "g>"]),
        ("a complete token in one fragment", [ZOE], ["Zoë Ångström"]),
        ("a token whose > comes alone", [ZOE[:-1], ">"], ["", "Zoë Ångström"]),
        (
            "a second < releases the first prefix",
            ["<PERSON_ab", "<PERSON_"],
            ["", "<PERSON_ab"],
        ),
        ("the tail after a token is released too", [f"{ZOE} et fin"], ["Zoë Ångström et fin"]),
    ],
)
def test_release_is_as_early_as_the_grammar_allows(
    case: str, fragments: list[str], released: list[str]
) -> None:
    restorer = Restorer(lookup)
    assert [restorer.feed(fragment) for fragment in fragments] == released, case


def test_flush_releases_what_was_held_unchanged() -> None:
    restorer = Restorer(lookup)
    assert restorer.feed("Merci <PERSON_abc") == "Merci "
    assert restorer.pending == "<PERSON_abc"
    assert restorer.flush() == "<PERSON_abc"
    assert restorer.pending == ""
    assert restorer.flush() == ""
    assert (restorer.restored, restorer.unresolved) == (0, 0)


@pytest.mark.parametrize(
    "text",
    [
        "<" + "A" * 40 + "_abcdef" + "x" * 10,
        "<" + "A" * 41 + "_abcdef>",
        "<" + "A_" * 30,
        "<" * 100,
        ("<PERSON_" * 20) + ZOE,
        "<" + "A" * 40 + "_abcdef>",
    ],
)
def test_hold_back_never_exceeds_the_longest_token_prefix(text: str) -> None:
    restorer = Restorer(lookup)
    longest = 0
    for char in text:
        restorer.feed(char)
        longest = max(longest, len(restorer.pending))
    assert longest <= MAX_TOKEN_LENGTH - 1
    restorer.flush()


def test_the_bound_is_reached_by_the_longest_type() -> None:
    """The bound is tight: the longest proper prefix of a token is held whole."""
    prefix = "<" + "A" * 40 + "_abcdef"
    assert len(prefix) == MAX_TOKEN_LENGTH - 1
    restorer = Restorer(lookup)
    assert restorer.feed(prefix) == ""
    assert restorer.pending == prefix


# --- unknown tokens and escaping -------------------------------------------------------------


def test_lookup_is_asked_only_about_well_formed_tokens() -> None:
    asked: list[str] = []

    def recording(token: str) -> str | None:
        asked.append(token)
        return lookup(token)

    text = f"<PERSON_1> {ZOE} <PERSON_abcdefg> {UNKNOWN} <div>"
    restorer = Restorer(recording)
    restorer.feed(text)
    restorer.flush()
    assert asked == [ZOE, UNKNOWN]


def test_unknown_tokens_are_not_escaped() -> None:
    def shouting(value: str) -> str:
        return value.upper()

    assert restore_text(f"{UNKNOWN} {ZOE}", lookup, shouting) == (
        "<PERSON_abcdef> ZOË ÅNGSTRÖM",
        1,
        1,
    )


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("Zoë Ångström", "Zoë Ångström"),
        ("🦊", "🦊"),
        ('say "hi"', 'say \\"hi\\"'),
        ("C:\\Users", "C:\\\\Users"),
        ("a\nb\tc\r", "a\\nb\\tc\\r"),
        ("\x01", "\\u0001"),
        ("</script>", "</script>"),
        ("", ""),
    ],
)
def test_json_string_escape_gives_the_inside_of_a_json_string(raw: str, escaped: str) -> None:
    assert json_string_escape(raw) == escaped
    assert json.loads(f'"{escaped}"') == raw


TOOL_ARGUMENTS = json.dumps(
    {"to": MAIL, "name": QUOTED, "greeting": f"Chère {ZOE} 🦊", "note": CONTROL, "n": 3},
    ensure_ascii=False,
)
TOOL_ARGUMENTS_RESTORED = {
    "to": "zoe@example.fr",
    "name": value(QUOTED),
    "greeting": "Chère Zoë Ångström 🦊",
    "note": value(CONTROL),
    "n": 3,
}


def test_tool_call_arguments_cut_at_every_offset_stay_valid_json() -> None:
    for offset in range(len(TOOL_ARGUMENTS) + 1):
        result, restorer = stream(cut(TOOL_ARGUMENTS, [offset]), json_string_escape)
        assert json.loads(result) == TOOL_ARGUMENTS_RESTORED, f"cut at {offset}"
        assert restorer.restored == 4


def test_tool_call_arguments_restore_whole_as_valid_json() -> None:
    result, restored, unresolved = restore_text(TOOL_ARGUMENTS, lookup, json_string_escape)
    assert json.loads(result) == TOOL_ARGUMENTS_RESTORED
    assert (restored, unresolved) == (4, 0)


# --- size -------------------------------------------------------------------------------------


def test_a_megabyte_without_angle_brackets_goes_through_in_one_feed() -> None:
    text = "Lorem ipsum dolor sit amet, Zoë 🙂. " * 30_000
    restorer = Restorer(lookup)
    assert restorer.feed(text) == text
    assert restorer.pending == ""
    assert restorer.flush() == ""


def test_a_megabyte_in_small_fragments_is_released_as_it_comes() -> None:
    text = ("Lorem ipsum dolor sit amet. " * 1000 + f"{ZOE} a < b <div> ") * 35
    expected = text.replace(ZOE, "Zoë Ångström")
    result, restorer = stream(cut(text, range(0, len(text), 7)))
    assert result == expected
    assert restorer.restored == 35


def test_a_megabyte_of_near_miss_prefixes_is_released_unchanged() -> None:
    text = "<PERSON_abcde " * 75_000
    restorer = Restorer(lookup)
    assert restorer.feed(text) == text
    assert (restorer.restored, restorer.unresolved) == (0, 0)
