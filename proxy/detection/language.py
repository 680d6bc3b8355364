"""Pick the language a text is analysed in, among the policy's candidate languages.

A deliberately simple heuristic until a library-based detector replaces it: each candidate
gets one vote per word of the text found in its list of very common function words, and one
vote per character specific to its spelling (é, ç for French; ä, ß for German; ñ, ¿ for
Spanish; ò, ì for Italian). The highest vote wins; a tie goes to the earlier candidate, and a
text that gives no evidence (numbers only, code, a language we have no list for) gets the
first candidate, which the policy names as its fallback. It never returns a language that is
not a candidate, so a text is never analysed with a model the policy did not choose.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence

_WORD = re.compile(r"[^\W\d_]+")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


STOP_WORDS: dict[str, frozenset[str]] = {
    "en": _words(
        "the and of to is are was were that this with for you your have has not be it on "
        "at by from what which would will can please my we they he she there their an or "
        "but if do does how"
    ),
    "fr": _words(
        "le la les des du un une et est sont dans pour pas que qui ne sur avec au aux ce "
        "cette ces il elle nous vous je mon ma mes son sa ses leur mais ou où très merci "
        "bonjour être avoir"
    ),
    "de": _words(
        "der die das und ist sind nicht ein eine einen dem den des mit für auf ich sie wir "
        "ihr es zu von auch wie bitte danke oder aber wenn im"
    ),
    "es": _words(
        "el los las una unos y es son por para con pero como está están muy gracias hola "
        "yo usted mi su sus del también cuando porque hay"
    ),
    "it": _words(
        "il lo gli della delle dei degli nel nella e è sono non per con una un questo "
        "questa anche ma molto grazie ciao io siamo perché come"
    ),
}

SPECIFIC_CHARACTERS: dict[str, frozenset[str]] = {
    "en": frozenset(),
    "fr": frozenset("éçêâîôûëïœ"),
    "de": frozenset("äöüß"),
    "es": frozenset("ñ¿¡áíóú"),
    "it": frozenset("òì"),
}


def pick_language(text: str, candidates: Sequence[str]) -> str:
    """The candidate `text` most looks like; ties and no evidence give the first one."""
    if not candidates:
        raise ValueError("pick_language needs at least one candidate language")
    if len(candidates) == 1:
        return candidates[0]
    normalised = unicodedata.normalize("NFC", text).lower()
    words = Counter(_WORD.findall(normalised))
    characters = Counter(normalised)
    best, best_votes = candidates[0], -1
    for language in candidates:
        votes = _votes(words, STOP_WORDS.get(language, frozenset())) + _votes(
            characters, SPECIFIC_CHARACTERS.get(language, frozenset())
        )
        if votes > best_votes:
            best, best_votes = language, votes
    return best


def _votes(counts: Counter[str], evidence: frozenset[str]) -> int:
    return sum(count for item, count in counts.items() if item in evidence)
