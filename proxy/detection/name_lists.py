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
from proxy.detection.name_index import is_name
from proxy.detection.people import NAME, business_name, is_common_word, place_not_person

LIST_NAME_SCORE = 0.6
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
    if len(people) < _MIN_NAMED:
        return results
    extra = []
    for line in _LINE.finditer(text, timeout=regex_limits.seconds()):
        if line.group().count(",") + line.group().count(";") < _MIN_NAMED:
            continue
        for start, end in _unfound_names_of_a_list(
            text, line.start(), line.end(), people, language
        ):
            extra.append(RecognizerResult("PERSON", start, end, LIST_NAME_SCORE))
    return results + extra


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
