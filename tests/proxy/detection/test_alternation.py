"""`alternation.py`: alternations rewritten with their shared leading letters taken out find
exactly what the original finds, in the same order (issue 13)."""

from __future__ import annotations

import importlib.util
import random
from types import ModuleType

import pytest
import regex

from proxy.detection import recognizers
from proxy.detection.alternation import (
    factor_module_patterns,
    factored,
    factored_pattern,
    with_factored_alternations,
)


@pytest.mark.parametrize(
    ("alternation", "expected"),
    [
        ("client|cliente|clients|customer", "c(?:lient(?:|e|s)|ustomer)"),
        # "Clara" would match what "client" matches case-insensitively: a new run.
        ("client|cab|Clara|cat", "c(?:lient|ab)|Clara|cat"),
        # A group, a class, an escape class or a quantified letter stays where it was.
        ("ab|(?:x)|ac|[ab]c|\\sx|a?b|ad", "ab|(?:x)|ac|[ab]c|\\sx|a?b|ad"),
        ("hola+|hol|ho", "ho(?:l(?:a+|)|)"),
        ("n°|nº|no|\\-a|-b", "n(?:°|º|o)|\\-(?:a|b)"),
        ("\u0131a|\u0131b", "\u0131a|\u0131b"),  # dotless i: its cases are not plain to see
    ],
)
def test_factored_takes_out_shared_leading_letters(alternation: str, expected: str) -> None:
    assert factored(alternation) == expected


@pytest.mark.parametrize(
    "pattern",
    [
        r"(?<=foo|fob)x",  # a lookbehind is matched backwards: left alone
        r"(?i:al|am)(?(1)a|b)",  # a conditional's "|" is no alternation: not parsed
        r"(?i)ab|ac",  # global inline flags: left alone
        r"(?x)ab|ac # (a comment)",
        r"(?:a|b",
    ],
)
def test_factored_pattern_leaves_what_it_does_not_parse(pattern: str) -> None:
    assert factored_pattern(pattern) == pattern


def test_case_insensitive_groups_share_letters_of_either_case() -> None:
    assert factored_pattern(r"(?i:Nom|nom de|gez|Given)x") == r"(?i:Nom(?:| de)|g(?:ez|iven))x"
    assert factored_pattern(r"Nom|nom de", regex.IGNORECASE) == r"Nom(?:| de)"
    # A case-sensitive group inside keeps its cases apart.
    assert factored_pattern(r"(?i:A|a(?-i:B|b))") == r"(?i:A(?:|(?-i:B|b)))"
    assert factored_pattern(r"(?ia:Nom|nom)") == r"(?ia:Nom|nom)"  # ASCII folding: left alone


def test_factored_pattern_factors_every_group() -> None:
    assert factored_pattern(r"(?<![\w])(?:abc|abd|x)(?P<n>ca|cb)(?=ya|yb)") == (
        r"(?<![\w])(?:ab(?:c|d)|x)(?P<n>c(?:a|b))(?=y(?:a|b))"
    )


def _texts(words: list[str], rng: random.Random) -> list[str]:
    """Texts made of the alternations' own words, in every case, glued or spaced, with names
    and punctuation between: where the branches compete for the same characters."""
    extra = ["Jean", "Dupont", "de", "la", ":", ",", "\n", "Müller", "née", "M.", "Sr", "sr."]
    texts = []
    for _ in range(300):
        parts = rng.choices(words + extra, k=rng.randint(1, 12))
        parts = [
            p.upper() if rng.random() < 0.2 else p.title() if rng.random() < 0.3 else p
            for p in parts
        ]
        texts.append("".join(p + rng.choice(["", " ", " ", ": ", ", ", "\n"]) for p in parts))
    return texts


@pytest.mark.parametrize("language", ["en", "fr", "de"])
def test_every_factored_pattern_of_the_recognizers_finds_the_same(
    language: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each compiled pattern a recognizer holds, factored, gives the same spans and groups,
    overlapped or not, on texts made of its own words."""
    monkeypatch.setattr(recognizers, "with_factored_alternations", lambda recognizer: recognizer)
    rng = random.Random(13)
    compared = 0
    for recognizer in recognizers.recognizers_for(language, ["FR", "DE"], ["PERSON", "LOCATION"]):
        for value in vars(recognizer).values():
            if not isinstance(value, regex.Pattern):
                continue
            original = regex.compile(value.pattern, value.flags)
            fast = regex.compile(factored_pattern(value.pattern, value.flags), value.flags)
            words = regex.findall(r"[^\W\d_][\w'.\-]*", value.pattern)
            for text in _texts(words, rng):
                for overlapped in (False, True):
                    assert [
                        (m.span(), m.groups()) for m in fast.finditer(text, overlapped=overlapped)
                    ] == [
                        (m.span(), m.groups())
                        for m in original.finditer(text, overlapped=overlapped)
                    ], (type(recognizer).__name__, text)
            compared += 1
    assert compared > 20


def test_with_factored_alternations_recompiles_the_attributes() -> None:
    class Holder:
        def __init__(self) -> None:
            self.cue = regex.compile(r"(?:client|cliente)\s+(\w+)", regex.IGNORECASE)

    holder = with_factored_alternations(Holder())
    assert holder.cue.pattern == r"(?:client(?:|e))\s+(\w+)"
    assert holder.cue.flags & regex.IGNORECASE


def _fresh_copy(module: ModuleType) -> ModuleType:
    """`module` executed anew, out of `sys.modules`: its patterns as written, whether or not
    a worker built in this session has factored the imported one."""
    spec = importlib.util.find_spec(module.__name__)
    assert spec is not None
    assert spec.loader is not None
    copy = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(copy)
    return copy


def _same_matches(original: regex.Pattern[str], fast: regex.Pattern[str], texts: list[str]) -> None:
    for text in texts:
        for overlapped in (False, True):
            assert [(m.span(), m.groups()) for m in fast.finditer(text, overlapped=overlapped)] == [
                (m.span(), m.groups()) for m in original.finditer(text, overlapped=overlapped)
            ], (original.pattern[:80], text)


@pytest.mark.parametrize("module", recognizers.RULE_MODULES, ids=lambda module: module.__name__)
def test_every_factored_pattern_of_the_rule_modules_finds_the_same(module: ModuleType) -> None:
    """Each module-level pattern of a rule module, factored as `factor_rule_modules` does,
    gives the same spans and groups, overlapped or not, on texts made of its own words."""
    copy = _fresh_copy(module)
    originals = {
        name: value for name, value in vars(copy).items() if isinstance(value, regex.Pattern)
    }
    replaced = factor_module_patterns(copy)
    rng = random.Random(17)
    for name in replaced:
        original, fast = originals[name], getattr(copy, name)
        assert fast.pattern == factored_pattern(original.pattern, original.flags)
        assert fast.flags == original.flags
        words = regex.findall(r"[^\W\d_][\w'.\-]*", original.pattern)
        _same_matches(original, fast, _texts(words, rng)[:120])


def test_factor_module_patterns_replaces_the_globals_once() -> None:
    module = ModuleType("rules")
    module.CUE = regex.compile(r"(?<!\w)(?:client|cliente)\s+(\w+)", regex.IGNORECASE)
    module.PLAIN = plain = regex.compile(r"\d+")
    assert factor_module_patterns(module) == ["CUE"]
    assert module.CUE.pattern == r"(?<!\w)(?:client(?:|e))\s+(\w+)"
    assert module.PLAIN is plain
    assert factor_module_patterns(module) == []  # already factored
