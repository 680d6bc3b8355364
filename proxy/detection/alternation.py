"""Long alternations of words, rewritten so that a regex tries one branch per letter.

Many cue patterns start with hundreds of words in one alternation (`people.ROLES` has ~290:
"client|cliente|clients|customer|…"), case-insensitive. The `regex` module tries every
branch at every position of the text: such a pattern costs ~0.5 µs per character whatever
else it holds, several times what the rest of it costs (issue 13). `factored` writes the
same alternation with its shared leading letters taken out ("c(?:li(?:ent(?:|e|s))|
ustomer)|…"), so that at each position only the branch of the letter there is tried.

Why the matches are exactly the same (same spans, same groups, found in the same order):
1. A branch is only ever regrouped on a *plain literal character* at its start: a character
   that is not a regex metacharacter, or a metacharacter escaped with a backslash (`\\.`,
   `\\ `), and that no quantifier follows. A branch that starts otherwise (a group, a class,
   `\\s`, a letter with `?` after it, the empty branch) is left where it was, and splits
   the alternation into runs: branches are only regrouped within a run, so every branch
   keeps its place relative to those of other runs.
2. Within a run, branches are grouped by their first character, each group where its first
   branch was, and each group's branches in their original order. No text character can
   match two groups' first characters: only characters whose case equivalents are plain to
   see start a group (characters without case; ASCII and the Latin letters of
   U+00C0-U+024F whose case folding is one letter, but for the dotless i, the dotted
   capital I, the long s and the sharp s); where the alternation is matched
   case-insensitively (the pattern's flags, or a `(?i:` group around it), the key is the
   case-folded character ("Nom" and "nom" share a group, written with the first one's
   letter, which matches the same characters); elsewhere a branch whose first character is
   another's of the run in the other case starts a new run ("sr|Sr"). At a given position
   at most one group can match, and inside it the branches are tried in their original
   order: the engine meets the branches that can match there in the order it met them
   before, so backtracking takes the same path.
3. The rest of each branch, after its first character, is the same text of regex; the
   same grouping applies to it recursively. Only non-capturing groups `(?:…)` are added:
   capture groups keep their numbers and names.
`tests/proxy/detection/test_alternation.py` compares the matches of every pattern the
recognizers hold with the original's on texts made of its own words.
"""

from __future__ import annotations

from functools import lru_cache
from types import ModuleType
from typing import TypeVar

import regex

T = TypeVar("T")

_META = frozenset(".^$*+?{}[]\\|()")
_QUANTIFIERS = frozenset("*+?{")
# Letters whose case-insensitive equivalents are not just their upper and lower case.
_UNSAFE = frozenset("\u0131\u0130\u017f\u00df")  # dotless i, İ, long s, ß


@lru_cache(maxsize=256)
def factored(alternation: str, *, ignore_case: bool = False) -> str:
    """`alternation` (the inside of `(?:…)`) with the shared leading literal characters of
    its branches taken out; the same matches (module docstring). `ignore_case`: it is
    matched case-insensitively, so "Nom" and "nom" may share a group."""
    branches = _branches(alternation)
    if branches is None or len(branches) < 2:
        return alternation
    return _factor(branches, ignore_case)


def _branches(alternation: str) -> list[str] | None:
    """The top-level branches of `alternation`, or None if it does not parse simply."""
    branches: list[str] = []
    depth, in_class, start, index = 0, False, 0, 0
    while index < len(alternation):
        char = alternation[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            index += 2 if alternation[index + 1 : index + 2] == "^" else 1
            if alternation[index : index + 1] == "]":
                index += 1  # "[]…]", "[^]…]": that "]" is a member, not the end
            continue
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth < 0:
                return None
        elif char == "|" and depth == 0:
            branches.append(alternation[start:index])
            start = index + 1
        index += 1
    if depth or in_class:
        return None
    branches.append(alternation[start:])
    return branches


def _head(branch: str) -> tuple[str, str] | None:
    """(first character as written, rest) if `branch` starts with a plain literal character
    that may start a group (module docstring, points 1 and 2)."""
    if branch[:1] == "\\":
        if len(branch) < 2 or branch[1].isalnum() or branch[1] == "_":
            return None  # \s, \d, \p{…}, \1, \u2019: a class, a reference or a code
        literal, char = branch[:2], branch[1]
    elif not branch or branch[0] in _META:
        return None
    else:
        literal, char = branch[0], branch[0]
    rest = branch[len(literal) :]
    if rest[:1] in _QUANTIFIERS:
        return None
    if char.lower() != char.upper():  # a cased letter: only those whose cases are plain
        latin = char.isascii() or ("\u00c0" <= char <= "\u024f" and char not in _UNSAFE)
        if not latin or len(char.casefold()) != 1:
            return None
    return literal, rest


def _factor(branches: list[str], ignore_case: bool) -> str:
    """`branches` as one alternation, each run of branches with a plain first character
    grouped (module docstring)."""
    parts: list[str] = []
    run: dict[str, tuple[str, list[str]]] = {}  # key -> (first character as written, rests)
    for branch in branches:
        head = _head(branch)
        if head is not None:
            literal, rest = head
            key = literal[-1].casefold() if ignore_case else literal[-1]
            if key not in run and any(k.casefold() == key.casefold() for k in run):
                parts.extend(_grouped(run, ignore_case))  # "Sr" after "sr": a new run
                run = {}
            run.setdefault(key, (literal, []))[1].append(rest)
            continue
        parts.extend(_grouped(run, ignore_case))
        run = {}
        parts.append(branch)
    parts.extend(_grouped(run, ignore_case))
    return "|".join(parts)


def _grouped(run: dict[str, tuple[str, list[str]]], ignore_case: bool) -> list[str]:
    """One branch per first character of `run`, its rests factored in turn."""
    parts = []
    for literal, rests in run.values():
        inner = _factor(rests, ignore_case)
        alone = len(rests) == 1 or len(_branches(inner) or ()) == 1
        parts.append(literal + (inner if alone else f"(?:{inner})"))
    return parts


# Group openers whose content is an alternation that may be factored (point 3): plain and
# named captures, non-capturing, atomic, lookahead and scoped-flag groups. Lookbehinds (the
# `regex` module matches them backwards), conditionals (their `|` is not an alternation) and
# branch resets are copied as they are, with all they hold.
_OPENER = regex.compile(
    r"\((?!\?)|\(\?(?::|>|=|!|P?<(?![=!])\w+>|(?P<on>[a-zA-Z]*)(?:-(?P<off>[a-zA-Z]+))?:)"
    r"|\((?P<kept>\?(?:<=|<!|\(|\|))"
)
# Patterns left as they are: verbose ones (a "#" may start a comment holding parentheses),
# version 1 ones (nested character classes), ASCII, locale or full case folding (other
# case equivalences than point 2 assumes), fuzzy matching, global inline flags, and any
# construct `_OPENER` does not know.
_UNSUPPORTED_FLAGS = (
    regex.VERBOSE
    | regex.VERSION1
    | regex.BESTMATCH
    | regex.ENHANCEMATCH
    | regex.ASCII
    | regex.LOCALE
    | regex.FULLCASE
)
_UNSUPPORTED = regex.compile(r"\(\?[a-zA-Z\-]*[xVaLfbe]|\(\?[a-zA-Z\-]*\)|\{[^}]*[eids][<=]")


def factored_pattern(pattern: str, flags: int = 0) -> str:
    """`pattern` with every alternation in it `factored`: the same matches (module
    docstring). Left as it is if it uses a construct this does not parse (`_UNSUPPORTED`)."""
    if flags & _UNSUPPORTED_FLAGS or _UNSUPPORTED.search(pattern):
        return pattern
    ignore_case = bool(flags & regex.IGNORECASE)
    parsed = _sequence(pattern, 0, factor=True, ignore_case=ignore_case)
    if parsed is None or parsed[1] != len(pattern):
        return pattern
    return factored(parsed[0], ignore_case=ignore_case)


def _sequence(
    pattern: str, index: int, *, factor: bool, ignore_case: bool
) -> tuple[str, int] | None:
    """The regex from `index` up to the `)` closing its group (or the end), its groups'
    alternations factored if `factor` (case-insensitively where `ignore_case` is, as the
    flags of the groups around say), and the index where it stopped."""
    out: list[str] = []
    while index < len(pattern):
        char = pattern[index]
        if char == ")":
            break
        if char == "\\":
            out.append(pattern[index : index + 2])
            index += 2
        elif char == "[":
            end = _class_end(pattern, index)
            if end is None:
                return None
            out.append(pattern[index:end])
            index = end
        elif char == "(":
            opener = _OPENER.match(pattern, index)
            if opener is None:
                return None
            inside = factor and opener.group("kept") is None
            folds = ignore_case
            if opener.group("on") is not None or opener.group("off") is not None:
                folds = "i" in (opener.group("on") or "") or (
                    folds and "i" not in (opener.group("off") or "")
                )
            inner = _sequence(pattern, opener.end(), factor=inside, ignore_case=folds)
            if inner is None or inner[1] >= len(pattern):
                return None
            body, index = inner
            body = factored(body, ignore_case=folds) if inside else body
            out.append(opener.group() + body + ")")
            index += 1
        else:
            out.append(char)
            index += 1
    return "".join(out), index


def _class_end(pattern: str, index: int) -> int | None:
    """The index after the `]` closing the character class opened at `index`."""
    index += 2 if pattern[index + 1 : index + 2] == "^" else 1
    if pattern[index : index + 1] == "]":
        index += 1
    while index < len(pattern):
        if pattern[index] == "\\":
            index += 2
        elif pattern[index] == "]":
            return index + 1
        else:
            index += 1
    return None


@lru_cache(maxsize=512)  # each language's recognizers hold mostly the same patterns
def compile_factored(pattern: str, flags: int = 0) -> regex.Pattern[str]:
    """`regex.compile` of `pattern` with its alternations factored: the same matches."""
    return regex.compile(factored_pattern(pattern, flags), flags)


def with_factored_alternations(recognizer: T) -> T:
    """`recognizer` with each compiled pattern it holds as an attribute recompiled from its
    `factored_pattern`, same flags: the same matches, found faster (module docstring)."""
    for name, value in vars(recognizer).items():
        if isinstance(value, regex.Pattern) and isinstance(value.pattern, str):
            setattr(recognizer, name, compile_factored(value.pattern, value.flags))
    return recognizer


def factor_module_patterns(module: ModuleType) -> list[str]:
    """Each compiled pattern `module` holds as a global, recompiled from its
    `factored_pattern`, same flags, where that differs: the same matches, found faster.

    The rule modules' functions (`people.business_name`, `places.is_tied`, …) read their
    patterns from the module's globals each time they run, so replacing a global is seen by
    every caller; a module that imported the pattern under its own name keeps the original
    (same matches). Returns the names replaced."""
    replaced = []
    for name, value in list(vars(module).items()):
        if not (isinstance(value, regex.Pattern) and isinstance(value.pattern, str)):
            continue
        if factored_pattern(value.pattern, value.flags) != value.pattern:
            setattr(module, name, compile_factored(value.pattern, value.flags))
            replaced.append(name)
    return replaced
