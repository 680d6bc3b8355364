"""Shared tables for the control-character tests: the characters people (and attackers) hide
inside a value, the values they hide them in, and the check that nothing of a value is left.

Used by `test_normalise.py` (every character at every position, normalisation only),
`test_evasion.py` (through the real detector and masking) and
`tests/proxy/test_relay_evasion.py` (through the proxy, with the official SDK).
"""

from __future__ import annotations

import regex as re

from proxy.placeholders import TOKEN_PATTERN

# C0 controls but tab, line feed and carriage return (they separate words and lines, and are
# tested on their own), DEL, and every C1 control (NEL included).
C0 = tuple(chr(code) for code in range(0x20) if chr(code) not in "\t\n\r")
DEL = ("\x7f",)
C1 = tuple(chr(code) for code in range(0x80, 0xA0))
ZERO_WIDTH = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff")
BIDI = (
    "\u061c", "\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
    "\u2066", "\u2067", "\u2068", "\u2069",
)  # fmt: skip
# Other format and default-ignorable characters: soft hyphen, combining grapheme joiner,
# Mongolian vowel separator, invisible plus, an unassigned default-ignorable, a variation
# selector, a tag character, a language tag, an Arabic number sign, a Hangul filler.
OTHER = (
    "\u00ad", "\u034f", "\u180e", "\u2064", "\u2065", "\ufe0f", "\U000e0041", "\U000e0001",
    "\u0600", "\u3164",
)  # fmt: skip
HIDDEN = C0 + DEL + C1 + ZERO_WIDTH + BIDI + OTHER

# (text before, value, text after): one value of each kind, in a sentence that holds no other
# personal data, so that every letter or digit masking leaves must be the sentence's own.
VALUES: dict[str, tuple[str, str, str]] = {
    "name": ("Please ask ", "John Smith", " to call me back."),
    "email": ("Write to ", "john.smith@example.com", " today."),
    "iban": ("Pay it to ", "FR76 3000 6000 0112 3456 7890 189", " today."),
    "phone": ("Appelez-moi au ", "06 12 34 56 78", " ce soir."),
    "card": ("My card is ", "4111 1111 1111 1111", " thanks."),
}


def hide(value: str, position: int, char: str) -> str:
    return value[:position] + char + value[position:]


def spread(value: str) -> list[tuple[int, str]]:
    """(position, character) pairs such that every position of `value` (0 to len, both edges
    included) gets at least one hidden character and every character is hidden at least once,
    at an inner position."""
    positions = len(value) + 1
    pairs = {(index % positions, char) for index, char in enumerate(HIDDEN)}
    pairs |= {(position, HIDDEN[position % len(HIDDEN)]) for position in range(positions)}
    inner = len(value) - 1
    pairs |= {(1 + index % inner, char) for index, char in enumerate(HIDDEN)}
    return sorted(pairs)


_ALNUM = re.compile(r"[^\p{L}\p{N}]+")
_HIDDEN = re.compile("[" + re.escape("".join(HIDDEN)) + "]+")


def alphanumerics(text: str) -> str:
    """The letters and digits of `text`, hidden characters left out (a Hangul filler is a
    letter to Unicode)."""
    return _ALNUM.sub("", _HIDDEN.sub("", text))


def left_in_clear(masked: str, before: str, after: str) -> str:
    """Letters and digits of `masked` outside placeholders that are not the sentence's own:
    empty when nothing of the value (not one character) reached the output."""
    outside = alphanumerics(TOKEN_PATTERN.sub("", masked))
    expected = alphanumerics(before + after)
    return "" if outside == expected else outside
