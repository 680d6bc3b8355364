"""Names in a list of people: the rest of the list are people too.

Minutes, invitations and rotas list people on one line, separated by commas or semicolons:
"Attendees: Amara Diallo (chair), Sven Lindqvist, Ji-hoon Park, Fuchs (minutes)". A reader
knows "Fuchs" and "Ji-hoon Park" are people because the items around them are; neither is
in the name index nor after a cue, so nothing else finds them. Here, when at least two items
of such a list are names already found and every other item is capitalised name words, those
of them that are plain names (no common word, no notable place, no firm) are names too.
A list with anything else in it (a phrase, an e-mail address, a figure) is left alone, so
"Paris, Lyon and Marie's team" or a CSV row adds nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

import regex as re
from presidio_analyzer import RecognizerResult

from proxy.detection import regex_limits
from proxy.detection.name_index import Flag, flags, is_name
from proxy.detection.names import COMMON_WORDS
from proxy.detection.people import (
    LABEL_WORDS,
    NAME,
    TITLE_WORDS,
    business_name,
    is_common_word,
    place_not_person,
)

LIST_NAME_SCORE = 0.6
# A first name joined by "and" to a person found with at least this: a lone first name found
# inside a sentence (0.55, "Pilar y Eduardo") vouches for its partner as a stronger one does.
PAIR_MIN_SCORE = 0.55
_LINE = re.compile(r"[^\n]+")
# A label before the list: "Attendees:", "Anwesend:", "Presenti :", "- Participants:".
_LABEL = re.compile(r"[ \t>*\-\u2022]*\p{L}[\p{L} ./'\-]{0,30}?[ \t]*:[ \t]+")
_SEPARATOR = re.compile(r"[ \t]*[,;][ \t]*")
# A note after a name: "(chair)", "(Protokoll)", "(int. 5, per delega a …)" is not one.
_NOTE = re.compile(r"[ \t]*\([^()\n,]{1,30}\)[ \t.]*$")
_NAME = re.compile(NAME)
_MIN_NAMED = 2


def names_in_lists(
    text: str, results: list[RecognizerResult], min_score: float, language: str
) -> list[RecognizerResult]:
    """`results` and a PERSON result (score 0.6) for each unfound name-shaped item of a list
    whose other items are names found with at least `min_score`."""
    people = [
        (r.start, r.end) for r in results if r.entity_type == "PERSON" and r.score >= min_score
    ]
    partners = [
        (r.start, r.end) for r in results if r.entity_type == "PERSON" and r.score >= PAIR_MIN_SCORE
    ]
    extra = [
        RecognizerResult("PERSON", start, end, LIST_NAME_SCORE)
        for start, end in _first_names_beside_people(text, partners, language)
    ]
    if len(people) < _MIN_NAMED:
        return results + extra
    for line in _LINE.finditer(text, timeout=regex_limits.seconds()):
        if line.group().count(",") + line.group().count(";") < _MIN_NAMED:
            continue
        for start, end in _unfound_names_of_a_list(
            text, line.start(), line.end(), people, language
        ):
            extra.append(RecognizerResult("PERSON", start, end, LIST_NAME_SCORE))
    return results + extra


# A first name joined to a person by "and" or "&": "Tom and Will", "Sole e Fortunato",
# "Frank und Hope", capitalised as a name is written.
_AND = r"(?:and|&|und|e|y|et|\+)"
_NAME_AFTER_AND = re.compile(
    rf"[ ]+{_AND}[ ]+(?P<name>\p{{Lu}}\p{{Ll}}+)(?![\w\-'\u2019.@]|[ ]\p{{Lu}})"
)
_NAME_BEFORE_AND = re.compile(
    rf"(?<![\w\-'\u2019.@]|\p{{Lu}}\p{{Ll}}*[ ])(?P<name>\p{{Lu}}\p{{Ll}}+)[ ]+{_AND}[ ]+$"
)


def _first_names_beside_people(
    text: str, people: Sequence[tuple[int, int]], language: str
) -> list[tuple[int, int]]:
    """Unfound first names of the index right after or before a found person and "and":
    a pair of people is written so, and a first name that is also a word ("Will", "Hope",
    "Fortunato") is a name there. Not a common word of no name list, a title, a label, a
    notable place or a firm ("Anna and Paris", "Tom & Co")."""
    found = []
    for start, end in people:
        candidates = []
        after = _NAME_AFTER_AND.match(text, end)
        if after is not None:
            candidates.append(after.span("name"))
        before = _NAME_BEFORE_AND.search(text, max(0, start - 30), start)
        if before is not None:
            candidates.append(before.span("name"))
        for name_start, name_end in candidates:
            word = text[name_start:name_end]
            if (
                any(s <= name_start and name_end <= e for s, e in people)
                or not flags(word) & Flag.FIRST
                or word.casefold() in COMMON_WORDS | TITLE_WORDS | LABEL_WORDS
                or place_not_person(word)
                or business_name(text, name_start, name_end, language)
            ):
                continue
            found.append((name_start, name_end))
    return found


def _unfound_names_of_a_list(
    text: str, start: int, end: int, people: Sequence[tuple[int, int]], language: str
) -> list[tuple[int, int]]:
    label = _LABEL.match(text, start, end)
    if label is not None:
        start = label.end()
    named = 0
    unfound = []
    for item_start, item_end in _items(text, start, end):
        if any(s <= item_start and item_end <= e for s, e in people):
            named += 1
        elif not _NAME.fullmatch(text, item_start, item_end):
            return []  # something else in the list: no list of people
        elif _plain_name(text, item_start, item_end, language):
            unfound.append((item_start, item_end))
        # else capitalised words that are no plain name ("Marketing Team", a firm): left alone
    return unfound if named >= _MIN_NAMED else []


def _items(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The items between separators, each without surrounding blanks or a trailing note."""
    items = []
    cursor = start
    for separator in [*_SEPARATOR.finditer(text, start, end), None]:
        item_end = separator.start() if separator is not None else end
        note = _NOTE.search(text, cursor, item_end)
        if note is not None:
            item_end = note.start()
        item = text[cursor:item_end]
        stripped = item.strip(" \t.")
        if stripped:
            offset = cursor + item.index(stripped)
            items.append((offset, offset + len(stripped)))
        else:
            items.append((cursor, cursor))  # an empty item: no list of names
        if separator is not None:
            cursor = separator.end()
    return items


def _plain_name(text: str, start: int, end: int, language: str) -> bool:
    """At most four name words, none a common word that is not also a name, together no
    notable place and no firm."""
    value = text[start:end]
    words = value.split()
    if len(words) > 4:
        return False
    if any(is_common_word(word, language) and not is_name(word, language) for word in words):
        return False
    return not place_not_person(value) and not business_name(text, start, end, language)
