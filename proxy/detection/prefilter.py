"""Texts in which no recognizer can find anything, told apart in the proxy's own process so
that they never cross to a detection worker ("Hello, how are you?", "Merci beaucoup !").

Such a text costs a worker about 5 ms of spaCy and recognizers, plus the hop to the worker
and back, for a result known in advance: no finding. `clear` gives that result in a few
microseconds, and only when it can *prove* the worker would give exactly it; anything it
is not sure about goes to the worker. The proof, each point a reason a recognizer could fire
that the text is shown not to have:

1. **Short, one segment, language known.** At most `MAX_CHARS` characters and fewer than
   `language.MIN_LETTERS` letters: the worker then reads the text as one segment and picks
   its language with `language.pick_language` (function words and accents; lingua is only
   asked about longer texts), which runs here too. Only texts picked as a language with a
   word list below (`SAFE_WORDS`) can be cleared.
2. **Nothing a pattern can hold.** Letters (ASCII, and French accented ones), spaces and
   `, . ? ! ' - \u2019` only: no digit (phones, cards, IBANs, ids, dates, postcodes), no `@`,
   `/`, `:` (e-mail addresses, URLs, labels), no `|`, `;`, tab or line break (tables,
   signatures). `normalise` leaves the text as it is (no written-out e-mail, no spaced
   letters, no look-alike characters): the worker analyses these very characters.
3. **Only listed words.** Every word is in `SAFE_WORDS[language]`: everyday function words,
   verbs and nouns of prompts, each one checked by the tests (`tests/proxy/detection/
   test_prefilter.py`) against what the recognizers consult: not a first name or surname
   for that language, nor an unambiguous first name written in lower case ("marie", "jürgen"),
   not a place the lower-case place rule would take, not a title, role or form label, not a
   cue phrase of one word ("tel", "born"), no cue phrase of several words made of listed
   words only; no month, weekday, time word or number word (dates), no nationality. Greetings
   and chat cues ("hello", "merci", "with") are listed: they only mark the *next* word as a
   name, and no listed word is one.
4. **No capitals** but the pronoun "I" and a first word from `STARTERS` ("Hello", "Can",
   "Merci"): spaCy reads other capitalised words as proper nouns, even everyday ones at the
   start of a sentence ("Us", "Court", "Sentence").
5. **The policy's own recognizers.** A deny-list is run here as the worker runs it (the same
   `DenyList` class over the same text): a text holding a listed value goes to the worker.
   Regular expressions are not run in the event loop (a pathological one would stall it): a
   policy with `patterns` sends every text to the worker. An allow-list only removes
   findings, so there is nothing to prove for it.

Points 1, 2, 4 and 5 are exact. Point 3 holds for every rule and list the recognizers
consult; spaCy's model, being statistical, cannot be proved silent on a word, only shown to
be: the tests run the real engine over every text it clears among the evaluation corpus's
texts, lines and sentences, every listed word alone, after each greeting and cue of its
language, and 2,400 seeded phrases of listed words, and it finds nothing and picks the same
language. (On some 14,000 word salads of listed words it still read 1 in 7,000 as an
organisation, "bonjour pouvez", never a person; the words it read so have been removed.)
Were the model to find something in a cleared text, that would be a finding of everyday
words: nothing personal is left unmasked by a clearance. Results are the worker's, so the
detection cache and the audit trail cannot tell a cleared text from an analysed one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from proxy.detection.custom import DenyList, PolicyDetection
from proxy.detection.language import MIN_LETTERS, pick_language
from proxy.detection.normalise import normalise
from proxy.detection.types import Analysis

# Longer texts may be cut into several segments by the worker (`LanguageIdentifier.segments`).
MAX_CHARS = 4 * MIN_LETTERS - 1
_FRENCH_LETTERS = "àâäçéèêëîïôöùûüÿœæ"
_SHAPE = re.compile(rf"[A-Za-z{_FRENCH_LETTERS}{_FRENCH_LETTERS.upper()} ,.?!'\u2019-]*")
# A word, with its inner apostrophes and hyphens ("don't", "s'il", "peut-être").
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")
_APOSTROPHE = str.maketrans({"\u2019": "'"})


_PRONOUN_I = frozenset({"I", "I'm", "I'd", "I'll", "I've"})


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Checked word by word by the tests (point 3 of the module docstring); remove a word rather
# than loosen a test. "the", "me", "short", "nice", "okay" are missing on purpose: the
# gazetteer, a title list ("Me", Maître) or the name index know them.
SAFE_WORDS: Mapping[str, frozenset[str]] = {
    "en": _words(
        "a about above after again against all also always am an and another any anyone "
        "anything are aren't around as ask asked asking at away back bad be because been "
        "before being below best better between both but by can can't cannot could couldn't "
        "did didn't do does doesn't doing don't done down during each easy either else "
        "enough even ever every everything for from full further get gets getting give given "
        "go going good got great had hadn't has hasn't have haven't having he hello help "
        "helpful her here hers herself hey hi him himself his how however i i'd i'll i'm "
        "i've if in instead into is isn't it it's its itself just keep kind know least less "
        "let let's like little long look lots made make makes many maybe mean might mine "
        "more much must my myself need needs never new no nor not nothing of off ok on once "
        "only or other others our ours ourselves out over own perhaps please point possible "
        "pretty quick quite rather really right said same say see seems shall she should "
        "shouldn't show simple since so some something sorry still such "
        "sure tell than thank thanks that that's their them themselves then there there's "
        "these they they're think this those though through to too under until up use used "
        "using very want was wasn't way we we're well were weren't what what's when where "
        "which while who why with without won't would wouldn't write wrong yes yet you you'd "
        "you'll you're you've your yours yourself"
    ),
    "fr": _words(
        "afin ai aide aider aimerais alors as assez au aucun aussi autre autres aux avait "
        "avec avez avoir avons beaucoup bien bonjour bonne ce ceci cela celle celui ces cet "
        "cette chaque chose choses ci comme comment d'accord dans de des dire dis dit doit "
        "donc du elle elles en encore es et faire fais fait faut il ils je juste la le les "
        "leur leurs lui là ma mais merci mes mieux moi moins mon ni non nos nous on ont ou "
        "oui où par parce pas peu peut peut-être peux plaît plus pour pourquoi pourrais "
        "pourriez pouvez puis qu'est-ce que quel quelle quelque quelques qui quoi rien s'il "
        "sa salut sans se ses si simple sont suis ta te tes toi ton tous tout toute toutes trop "
        "très tu un une va vais vos votre vous vraiment y à ça écrire êtes être"
    ),
}


# The words a cleared text may start with capitalised, each one checked by the tests with
# the engine, alone and before phrases of listed words.
STARTERS: Mapping[str, frozenset[str]] = {
    "en": _words(
        "a all also and any are but can could did do does don't give good great "
        "hello help hey hi how i i'd i'll i'm i've if is it it's just let's make maybe "
        "my no not ok please should so sorry sure tell thank "
        "thanks that that's there there's these they this was we what what's "
        "when where which who why with would write yes you your"
    ),
    "fr": _words(
        "alors au aussi avec bien bonjour ça ce cela comme comment d'accord dans de "
        "des donc écrire elle en et il ils je la le les leur merci mais "
        "moi mon ni non nous on oui ou où par peut peut-être peux plus pour pourquoi "
        "pourriez pouvez puis qu'est-ce que quel quelle qui quoi salut si tout "
        "très tu un une vous y"
    ),
}


class Prefilter:
    """`clear` for one detector: the languages with a model, and the deny-lists of the
    policies seen lately, built once per policy content (a list may be long)."""

    def __init__(self, modelled: frozenset[str], *, kept_policies: int = 32) -> None:
        self.modelled = modelled
        self._kept = kept_policies
        self._deny_lists: dict[str, tuple[DenyList, ...]] = {}

    def clear(
        self, text: str, languages: Sequence[str], options: PolicyDetection | None = None
    ) -> Analysis | None:
        """The worker's `Analysis` of `text` (no finding) if the module docstring's proof
        holds, else None: the text must go to a worker. `languages`: the policy's
        candidates, as the worker gets them."""
        language = self._language(text, languages)
        if (
            language is None
            or not self._clear_of_policy(text, options)
            or normalise(text).text != text
        ):
            return None
        return Analysis(language=language, findings=(), modelled=language in self.modelled)

    @staticmethod
    def _language(text: str, languages: Sequence[str]) -> str | None:
        """Points 1 to 4 of the module docstring: the text's language if they hold."""
        if len(text) > MAX_CHARS or not _SHAPE.fullmatch(text):
            return None
        words = [word.translate(_APOSTROPHE) for word in _WORD.findall(text)]
        if not words or sum(len(word) for word in words) >= MIN_LETTERS:
            return None
        # `LanguageIdentifier.pick` for a text under MIN_LETTERS letters (`_SHAPE` keeps it
        # free of the tokens `pick` strips first: numbers, addresses, URLs).
        language = languages[0] if len(languages) == 1 else pick_language(text, languages)
        safe = SAFE_WORDS.get(language, frozenset())
        starters = STARTERS.get(language, frozenset())
        for index, word in enumerate(words):
            lower = word.lower()
            if lower not in safe:
                return None
            if word != lower and not (
                word in _PRONOUN_I
                or (index == 0 and word == lower.capitalize() and lower in starters)
            ):
                return None
        return language

    def _clear_of_policy(self, text: str, options: PolicyDetection | None) -> bool:
        """Point 5 of the module docstring."""
        if options is None or not options.recognizers:
            return True
        if any(recognizer.patterns for recognizer in options.recognizers):
            return False
        return not any(deny.spans(text) for deny in self._deny_lists_of(options))

    def _deny_lists_of(self, options: PolicyDetection) -> tuple[DenyList, ...]:
        built = self._deny_lists.get(options.key)
        if built is None:
            if len(self._deny_lists) >= self._kept:
                self._deny_lists.pop(next(iter(self._deny_lists)))
            built = self._deny_lists[options.key] = tuple(
                DenyList(recognizer.deny_list, case_sensitive=recognizer.case_sensitive)
                for recognizer in options.recognizers
            )
        return built
