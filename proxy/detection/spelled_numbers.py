"""Numbers written out in words, read as digits: "null eins sieben sechs, drei drei acht …",
"zéro six, quarante-deux, dix-huit, soixante-treize, cinquante-cinq", "oh-seven-seven-oh-one,
nine-one-two, three-four-five".

People write a phone number in words so that a spam filter (or a data filter) does not read
it, and a transcript of a call writes what the caller said. Every recognizer reads digits,
so such a number went to the provider in clear. `spelled_digit_edits` finds a run of number
words of the five languages (the digits, and the numbers 10 to 99 a French, Spanish or
Italian speaker groups a number into) and gives the digits it spells, for `normalise` to
read in its place (the whole run maps back to the words, so masking replaces what the user
wrote).

Only a run of at least `MIN_WORDS` number words spelling at least `MIN_DIGITS` digits is
rewritten: a phone number, not "one or two", "the two three-hour sessions", a year ("two
thousand and four" is no run of digits) or a count. What the digits are is left to the
recognizers: a run that spells no valid number stays unmasked, as its digits would.
"""

from __future__ import annotations

from functools import cache

import regex as re

from proxy.detection.alternation import factored

MIN_WORDS = 4
MIN_DIGITS = 8
# Groups of digits may stand between the words ("seis seis uno - 24 - 08 - 37"), if this many
# words are spelled.
MIN_SPELLED = 3

_DIGITS = {
    "en": ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"),
    "fr": ("zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf"),
    "de": ("null", "eins", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun"),
    "es": ("cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve"),
    "it": ("zero", "uno", "due", "tre", "quattro", "cinque", "sei", "sette", "otto", "nove"),
}
# Other ways to say a digit: "oh" in an English number, "zwo" on a German telephone.
_DIGIT_VARIANTS = {"oh": "0", "zwo": "2"}


def _english() -> dict[str, str]:
    teens = ("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
             "seventeen", "eighteen", "nineteen")  # fmt: skip
    tens = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
    words = {word: str(10 + index) for index, word in enumerate(teens)}
    for index, ten in enumerate(tens, 2):
        words[ten] = f"{index}0"
        for unit, digit in enumerate(_DIGITS["en"][1:], 1):
            for joint in ("-", " "):
                words[f"{ten}{joint}{digit}"] = f"{index}{unit}"
    return words


def _french() -> dict[str, str]:
    units = _DIGITS["fr"]
    teens = ("dix", "onze", "douze", "treize", "quatorze", "quinze", "seize", "dix-sept",
             "dix-huit", "dix-neuf")  # fmt: skip
    words = {word: str(10 + index) for index, word in enumerate(teens)}
    for index, ten in enumerate(("vingt", "trente", "quarante", "cinquante", "soixante"), 2):
        words[ten] = f"{index}0"
        words[f"{ten}-et-un"] = words[f"{ten} et un"] = f"{index}1"
        for unit in range(2, 10):
            words[f"{ten}-{units[unit]}"] = f"{index}{unit}"
    for offset, teen in enumerate(teens):  # 70-79: "soixante-dix", "soixante-et-onze"
        words[f"soixante-{teen}"] = str(70 + offset)
    words["soixante-et-onze"] = words["soixante et onze"] = "71"
    for base in ("quatre-vingt", "quatre-vingts"):
        words[base] = "80"
    for unit in range(1, 10):
        words[f"quatre-vingt-{units[unit]}"] = f"8{unit}"
    for offset, teen in enumerate(teens):
        words[f"quatre-vingt-{teen}"] = str(90 + offset)
    return words


def _spanish() -> dict[str, str]:
    units = _DIGITS["es"]
    teens = ("diez", "once", "doce", "trece", "catorce", "quince", "dieciséis", "diecisiete",
             "dieciocho", "diecinueve")  # fmt: skip
    words = {word: str(10 + index) for index, word in enumerate(teens)}
    words["veinte"] = "20"
    for unit, word in enumerate(("veintiuno", "veintidós", "veintitrés", "veinticuatro",
                                 "veinticinco", "veintiséis", "veintisiete", "veintiocho",
                                 "veintinueve"), 1):  # fmt: skip
        words[word] = f"2{unit}"
    tens = ("treinta", "cuarenta", "cincuenta", "sesenta", "setenta", "ochenta", "noventa")
    for index, ten in enumerate(tens, 3):
        words[ten] = f"{index}0"
        for unit in range(1, 10):
            words[f"{ten} y {units[unit]}"] = f"{index}{unit}"
    return words


def _italian() -> dict[str, str]:
    units = _DIGITS["it"]
    teens = ("dieci", "undici", "dodici", "tredici", "quattordici", "quindici", "sedici",
             "diciassette", "diciotto", "diciannove")  # fmt: skip
    words = {word: str(10 + index) for index, word in enumerate(teens)}
    tens = ("venti", "trenta", "quaranta", "cinquanta", "sessanta", "settanta", "ottanta",
            "novanta")  # fmt: skip
    for index, ten in enumerate(tens, 2):
        words[ten] = f"{index}0"
        for unit in range(1, 10):
            # the vowel drops before "uno" and "otto": "ventuno", "quarantotto"
            stem = ten[:-1] if unit in {1, 8} else ten
            words[f"{stem}{units[unit]}"] = f"{index}{unit}"
        words[f"{ten}tré"] = f"{index}3"  # "ventitré", "trentatré": the accent compounds take
    return words


@cache
def number_words() -> dict[str, str]:
    """Every number word of the five languages (lower case) and the digits it spells."""
    words = dict(_DIGIT_VARIANTS)
    for digits in _DIGITS.values():
        words.update({word: str(value) for value, word in enumerate(digits)})
    for table in (_english(), _french(), _spanish(), _italian()):
        words.update(table)
    return words


@cache
def _word_pattern() -> str:
    """A number word or a group of up to four digits. Longest spellings first, so that
    "quarante-deux" is one word and not "quarante" and "deux"."""
    spellings = sorted(number_words(), key=lambda word: (-len(word), word))
    spelled = factored("|".join(re.escape(spelling) for spelling in spellings), ignore_case=True)
    return rf"(?:{spelled}|[0-9]{{1,4}})"


@cache
def _run() -> re.Pattern[str]:
    word = _word_pattern()
    separator = r"(?:[ \t]*[,\-\u2013\u2014/.][ \t]*|[ \t]+)"
    return re.compile(
        rf"(?<![\w\-]){word}(?:{separator}{word}){{{MIN_WORDS - 1},}}(?![\w\-])",
        re.IGNORECASE,
    )


@cache
def _word() -> re.Pattern[str]:
    return re.compile(_word_pattern(), re.IGNORECASE)


# A separator a writer puts between a number's groups: punctuation, not a space alone.
_GROUP_BREAK = re.compile(r"[,\u2013\u2014/.]|[ \t]-[ \t]")


def spelled_digit_edits(text: str) -> list[tuple[int, int, str]]:
    """(start, end, digits) for each run of number words that spells a long number: the
    digits of each word, the groups the writer separated with punctuation (a dash, a comma)
    separated by a space."""
    edits = []
    words = number_words()
    for run in _run().finditer(text):
        groups: list[str] = [""]
        cursor = run.start()
        spelled = 0
        for word in _word().finditer(text, run.start(), run.end()):
            if word.start() < cursor:
                continue
            if _GROUP_BREAK.search(text, cursor, word.start()) and groups[-1]:
                groups.append("")
            written = word.group()
            spelled += not written.isdigit()
            groups[-1] += written if written.isdigit() else words[written.casefold()]
            cursor = word.end()
        digits = sum(len(group) for group in groups)
        if digits >= MIN_DIGITS and spelled >= MIN_SPELLED:
            edits.append((run.start(), run.end(), " ".join(group for group in groups if group)))
    return edits
