"""Historical figures: the dead are no data subjects.

"Write a quiz question about Marie Curie's two Nobel Prizes", "un résumé sur la campagne
d'Égypte de Napoléon Bonaparte", "eine Quizfrage zu Albert Einsteins Nobelpreis": the GDPR
protects living people (recital 27), and masking a historical figure only breaks the
answer (the model is asked about `<PERSON_…>`'s campaign). A person finding whose name,
possessive or genitive aside, is one of the ~5,300 spellings of `data/historical_figures.txt`
(people who died before 2015; the file's README says how it was made; two-word names with
a very common surname excepted) or of the ~165 of `data/fictional_figures.txt` (Sherlock
Holmes, Don Quijote, Pinocchio, Odysseus are no one either) scores `HISTORICAL_SCORE`,
under the default policy's threshold, and is not propagated to the text's other mentions.

Two different listed figures in one text ("une fiche de révision : Napoléon Bonaparte,
Jeanne d'Arc, Louis XIV") say the text is about them, with no word of topic needed: living
people seldom share their names with two of them at once.

Only the full name as the list spells it counts, or a part of it when the text writes it
whole ("Santiago Ramón" inside "Santiago Ramón y Cajal"): a surname alone ("Garibaldi",
"Curie") stays a person, since living people bear it. A name as a form's field or after a
title or a relation is left alone: "Patient: Albert Einstein", "Frau Marie Curie", "my son
Isaac Newton" are records and people, whatever their names.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from itertools import pairwise
from typing import TYPE_CHECKING

import regex as re

if TYPE_CHECKING:
    from presidio_analyzer import RecognizerResult

HISTORICAL_SCORE = 0.3
_MAX_WORDS = 7
# A name's words and the particles between them ("Leonardo da Vinci", "Ramón y Cajal").
_WORD = re.compile(r"[\p{L}][\p{L}'\u2019.\-]*")
_POSSESSIVE = re.compile(r"(?:['\u2019]s?|(?<=\p{Ll}{2})s)$")


# The most frequent surnames of the five languages' countries: a first name and one of them
# ("William Turner", "Michael Collins", "Aldo Moro") names many living people too, so such a
# two-word entry of the list is not used; a longer one is ("Joseph Mallord William Turner").
_COMMON_SURNAMES = frozenset(
    (
        "smith", "jones", "williams", "brown", "taylor", "davies", "davis", "evans", "wilson",
        "thomas", "roberts", "johnson", "walker", "wright", "robinson", "thompson", "white",
        "hughes", "edwards", "green", "hall", "wood", "harris", "lewis", "martin", "jackson",
        "clarke", "clark", "turner", "hill", "scott", "cooper", "morris", "ward", "moore",
        "king", "watson", "baker", "harrison", "morgan", "young", "allen", "mitchell", "james",
        "anderson", "phillips", "lee", "bell", "parker", "miller", "collins", "ford", "stewart",
        "murphy", "kelly", "walsh", "byrne", "ryan", "o'brien", "campbell", "kennedy", "adams",
        "bernard", "dubois", "robert", "richard", "petit", "durand", "leroy", "moreau",
        "simon", "laurent", "lefebvre", "michel", "garcia", "david", "bertrand", "roux",
        "vincent", "fournier", "morel", "girard", "andré", "lefèvre", "mercier", "dupont",
        "lambert", "bonnet", "françois", "martinez", "müller", "schmidt", "schneider",
        "fischer", "weber", "meyer", "wagner", "becker", "schulz", "hoffmann", "schäfer",
        "koch", "bauer", "richter", "klein", "wolf", "schröder", "neumann", "schwarz",
        "zimmermann", "braun", "krüger", "hofmann", "hartmann", "lange", "schmitt", "werner",
        "schmitz", "krause", "meier", "lehmann", "schmid", "garcía", "rodríguez", "gonzález",
        "fernández", "lópez", "martínez", "sánchez", "pérez", "gómez", "martín", "jiménez",
        "ruiz", "hernández", "díaz", "moreno", "álvarez", "muñoz", "romero", "alonso",
        "gutiérrez", "navarro", "torres", "domínguez", "vázquez", "ramos", "gil", "ramírez",
        "serrano", "blanco", "molina", "morales", "suárez", "ortega", "delgado", "castro",
        "ortiz", "rubio", "marín", "sanz", "núñez", "iglesias", "medina", "garrido", "rossi",
        "russo", "ferrari", "esposito", "bianchi", "romano", "colombo", "ricci", "marino",
        "greco", "bruno", "gallo", "conti", "mancini", "costa", "giordano", "rizzo",
        "lombardi", "moretti", "barbieri", "fontana", "santoro", "mariani", "rinaldi",
        "caruso", "ferrara", "galli", "martini", "leone", "longo", "gentile", "martinelli",
        "vitale", "lombardo", "serra", "coppola", "marchetti", "parisi", "villa", "conte",
        "ferraro", "ferri", "fabbri", "bianco", "marini", "grasso", "valentini", "messina",
        "sala", "gatti", "pellegrini", "palumbo", "sanna", "farina", "rizzi", "monti",
        "cattaneo", "moro", "silvestri", "mazza", "testa", "grassi", "pellegrino", "carbone",
        "giuliani", "benedetti", "barone", "rossetti", "caputo", "montanari", "guerra",
        "palmieri", "bernardi", "martino", "fiore", "ferretti", "bellini", "basile", "riva",
        "donati", "piras", "vitali", "battaglia", "sartori", "neri", "costantini", "milani",
        "pagano", "ruggiero", "sorrentino", "orlando", "negri", "silva", "santos", "ferreira",
        "pereira", "oliveira", "rodrigues", "jansen", "de jong", "de vries", "peeters",
        "janssens", "nielsen", "hansen", "jensen", "andersen", "larsen", "johansson",
        "andersson", "karlsson", "nilsson", "eriksson", "nowak", "kowalski", "wiśniewski",
    )
)  # fmt: skip


@cache
def _names() -> frozenset[str]:
    lines = [
        line
        for name in ("historical_figures.txt", "fictional_figures.txt")
        for line in resources.files("proxy.detection")
        .joinpath(f"data/{name}")
        .read_text(encoding="utf-8")
        .splitlines()
    ]
    names = (_key(line) for line in lines if line.strip() and not line.startswith("#"))
    return frozenset(
        name
        for name in names
        if not (len(name.split()) == 2 and name.split()[1] in _COMMON_SURNAMES)
    )


def _key(name: str) -> str:
    return " ".join(name.casefold().split())


# A form's field ("Patient:", "Name :", "| "), a title or a relation right before the name,
# its value quoted or not. A field's label is a few words; a longer lead-in before a colon
# is a request ("Summarise for a Year 9 class: Ada Lovelace worked with…", "Hazme una chuleta
# para el examen de historia: Isabel la Católica, …"), no field.
_RECORD_BEFORE = re.compile(
    r"(?:(?:^|\n)[ \t]*(?:[^\s:|]+[ \t]+){0,3}[^\s:|]+[ \t]*:[ \t]*|\|[ \t]*|"
    r"(?<![\w])(?i:herr|frau|mr|mrs|ms|mx|dr|"
    r"mme|mlle|m|sr|sra|srta|sig|sig\.ra|dott|dott\.ssa|son|daughter|wife|husband|brother|"
    r"sister|mother|father|fils|fille|sohn|tochter|hijo|hija|figlio|figlia|patient|patientin|"
    r"client|cliente|kunde|kundin)\.?[ \t]+)[\"«„“]?$"
)


# The text is about the figure: a word of topic or authorship right before the name ("a quiz
# about", "overview of", "la conquista por", "il Nobel di", "une fiche sur", "zu", "über"),
# a possessive or genitive on it ("Curie's", "Einsteins"), or life dates after it.
_ABOUT_BEFORE = re.compile(
    r"(?<![\w])(?i:about|of|on|by|like|de|du|des|d['\u2019]|sur|par|à|selon|über|von|zu|"
    r"sobre|por|del|según|di|della|dello|del|su|sul|sulla|da|secondo|"
    # an exhibition, a festival, a tribute ("celebra Alessandro Volta con una mostra")
    r"celebrates|celebrating|honours|honors|commemorates|célèbre|célèbrent|commémore|feiert|"
    r"ehrt|würdigt|celebra|celebran|conmemora|homenajea|celebrano|commemora|omaggia)[ \t]+$"
)
# A name alone between quotes: a school's, a building's, a ship's ('plesso "Maria
# Montessori"', 'Casa della Salute "Rita Levi-Montalcini"'); typographic quotes are
# `people._named_thing`'s, straight ones open JSON strings too, so only for a listed figure.
_QUOTE_BEFORE = re.compile(r"[\"«„“][ \u00a0]?$")
_QUOTE_AFTER = re.compile(r"[ \u00a0]?[\"»“”]")
_ABOUT_AFTER = re.compile(r"(?:['\u2019]s?|s)?[ \t]*\([^()\n]{0,12}\d{3,4}[^()\n]{0,12}\)")


def historical_figure(text: str, start: int, end: int, *, in_company: bool = False) -> bool:
    """Whether the person found at `text[start:end]` is a historical figure the text is
    about: the found words, with up to six words of the same line around them, make a
    listed name; a word of topic comes before it, or a possessive or life dates after it,
    or (`in_company`) the text names another listed figure; and it is no form's field, no
    one after a title or a relation, no name with contact data near it on its line. "Tell
    Jean that Marie Curie called" names someone alive."""
    return discussed(text, listed_figure(text, start, end), in_company=in_company)


Figure = tuple[str, bool, tuple[int, int]]  # a listed name, its possessive, its span


def discussed(text: str, figure: Figure | None, *, in_company: bool = False) -> bool:
    """Whether the text is about the listed `figure` (see `historical_figure`)."""
    if figure is None:
        return False
    _, possessive, (start, end) = figure
    return possessive or in_company or _about(text, start, end)


def listed_figure(text: str, start: int, end: int) -> Figure | None:
    """The listed name the person found at `text[start:end]` is part of (with up to six
    words of its line around it), whether it bears a possessive, and its span; None when
    it is none, or when it is a record's (a form's field, after a title or a relation,
    contact data near it)."""
    names = _names()
    record = _RECORD_BEFORE.search(text, max(0, start - 48), start)
    if record is not None and not (":" in record.group() and _a_figure_follows(text, end, names)):
        return None  # a field's value, not a label before a list ("Ripasso: Volta, Galilei")
    if _LIVING_VERB_BEFORE.search(text, max(0, start - 100), start) is not None:
        return None  # "Invite Clara Campoamor and Victoria Kent": people one can invite
    low, high = _window(text, start, end)
    if _a_record(text, low, start, high):
        return None
    words = list(_WORD.finditer(text, low, high))
    inside = [i for i, word in enumerate(words) if word.start() < end and start < word.end()]
    if not inside:
        return None
    first, last = inside[0], inside[-1]
    for left in range(max(0, first - _MAX_WORDS + 1), first + 1):
        for right in range(last, min(len(words), left + _MAX_WORDS)):
            listed = _listed(text, words[left : right + 1], names)
            if listed is not None:
                span = (words[left].start(), words[right].end())
                name = _key(_POSSESSIVE.sub("", text[span[0] : span[1]]))
                return name, listed, span
    return _ruler(text, start, end)


def _ruler(text: str, start: int, end: int) -> Figure | None:
    """`_RULER` at the found name, covering it: a figure named by its regnal number or
    epithet."""
    ruler = _RULER.match(text, start)
    if ruler is None or ruler.end() < end:
        return None
    return _key(ruler.group()), False, ruler.span()


# A given name with a regnal number or an epithet: a monarch's, a pope's, a lord's of old
# ("Felipe III", "Henry VIII", "Isabel la Católica", "Juana la Loca", "Ludovico il Moro",
# "Charles the Bald", "Pépin le Bref", "Karl der Große"). No one alive is written so; such a
# name counts as a listed figure (the text must still be about it, as for the list). "I"
# alone is no numeral (the English pronoun), and a German epithet is an adjective in -e
# ("der Große"), not the article and noun of a dative ("Anna die Unterlagen geben").
_RULER = re.compile(
    r"\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?[ \t]+"
    r"(?:(?=[IVXL]{2,6}(?![\w]))L?X{0,3}(?:IX|IV|V?I{0,3})(?![\w])|"
    r"(?:the|el|la|il|lo|le)[ \t]+\p{Lu}\p{Ll}{2,}(?![\w])|"
    r"(?:der|die)[ \t]+\p{Lu}\p{Ll}+e(?![\w]))"
)


# How far around a finding its name's words and its record's contact data are looked for:
# seven words of a name, a line of a form. Not the whole line: a pasted paragraph is one line,
# and a text of many names would scan it once per name.
_REACH = 160


def _window(text: str, start: int, end: int) -> tuple[int, int]:
    """The finding's line, at most `_REACH` characters each way, cut at whole words."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    low, high = max(line_start, start - _REACH), min(line_end, end + _REACH)
    if low > line_start:
        low = text.find(" ", low, start) + 1 or start
    if high < line_end:
        high = max(end, text.rfind(" ", end, high))
    return low, high


def _about(text: str, start: int, end: int) -> bool:
    """A word of topic before the figure at `text[start:end]`, quotes around it, life dates
    after it, or a question about what the figure did ("What did Florence Nightingale
    change?")."""
    return (
        _ABOUT_BEFORE.search(text, max(0, start - 16), start) is not None
        or (
            _QUOTE_BEFORE.search(text, max(0, start - 2), start) is not None
            and _QUOTE_AFTER.match(text, end) is not None
        )
        or _ABOUT_AFTER.match(text, end) is not None
        or _asked_about(text, start, end)
    )


# A question's first word, at the start of its sentence, a few words before the figure:
# "What did Florence Nightingale actually change…?", "Qu'a réellement apporté Louis Pasteur à
# la vaccination ?", "¿Qué aportó realmente Santiago Ramón y Cajal…?", "Was hat Rudolf
# Virchow eigentlich…?", "Cosa ha scoperto Alessandro Volta?".
_QUESTION_BEFORE = re.compile(
    r"(?:^|[.!?:\n][ \t]*)¿?(?i:qu['\u2019]|(?:what|how|why|when|which|in what|que|quel|quelle|"
    r"comment|pourquoi|quand|was|wie|warum|wann|welche|welchen|welches|inwiefern|qué|cómo|"
    r"por qué|cuándo|cuál|cuáles|en qué|cosa|che cosa|come|perché|quando|quale|quali|in che)"
    r"(?![\w]))[^.!?:\n]{0,40}$"
)
_QUESTION_AFTER = re.compile(r"[^.!?\n]{0,160}\?")


def _asked_about(text: str, start: int, end: int) -> bool:
    """The figure is the subject of a question about their work or life: its sentence starts
    with a question word at most 40 characters before the name and ends with "?". A living
    namesake is as rarely asked about so as the figure is discussed otherwise."""
    return (
        _QUESTION_BEFORE.search(text, max(0, start - 48), start) is not None
        and _QUESTION_AFTER.match(text, end) is not None
    )


_WORD_BEFORE = re.compile(r"(?P<word>\p{L}+)[ \t]*:?[ \t]*$")
# Contact data near the name: an e-mail address, a phone, a card or an account number.
_CONTACT_DATA = re.compile(r"@[\w-]+\.|\d(?:[ .\-/]?\d){6}")


def a_record(text: str, start: int, end: int) -> bool:
    """The name at `text[start:end]` is a person's record whatever it reads like: a form's
    field, a title or a relation right before it, or contact data near it on its line
    ("Kunde: Hugo Boss", "Mr Louis Vuitton, 06 12 34 56 78"). `brands.py` asks too."""
    if _RECORD_BEFORE.search(text, max(0, start - 48), start) is not None:
        return True
    low, high = _window(text, start, end)
    return _a_record(text, low, start, high)


def _a_record(text: str, low: int, start: int, high: int) -> bool:
    """The name follows a role, a title or a form label ("cardholder William Turner"), or
    contact data stands near it on its line (`_window`): a person's record, whoever the
    name's famous bearer."""
    before = _WORD_BEFORE.search(text, max(low, start - 32), start)
    if before is not None and before.group("word").casefold() in _record_words():
        return True
    return _CONTACT_DATA.search(text, low, high) is not None


@cache
def _record_words() -> frozenset[str]:
    from proxy.detection.people import LABEL_WORDS, ROLE_WORDS, TITLE_WORDS  # noqa: PLC0415

    holders = {"cardholder", "holder", "titular", "titolare", "inhaber", "inhaberin"}
    return ROLE_WORDS | TITLE_WORDS | LABEL_WORDS | holders


def _listed(text: str, words: list[re.Match[str]], names: frozenset[str]) -> bool | None:
    """None: the words, as written (one space between), are no listed name; False: they are
    one; True: they are one with a possessive or genitive ("Curie's", "Einsteins"), which
    says the text is about the figure."""
    if any(text[a.end() : b.start()] not in (" ", "\u00a0") for a, b in pairwise(words)):
        return None
    phrase = " ".join(word.group() for word in words).rstrip(".")  # "… Marconi." ends a sentence
    if _key(phrase) in names or _key(phrase + ".") in names:  # "Ludwig XIV."
        return False
    bare = _POSSESSIVE.sub("", phrase)
    return True if bare != phrase and _key(bare) in names else None


# A verb whose object is someone alive, earlier in the name's sentence: "Invite … to the
# training", "Ruf … an", "llama a …", "convoca …", "remercie …".
_LIVING_VERB_BEFORE = re.compile(
    r"(?<![\w])(?i:invit\w*|call|e-?mail|meet|remind\w*|ping|cc|thank\w*|"
    r"welcome|hire|onboard|contacte[rz]?|contactez|appelle[rz]?|appelez|rappelle[rz]?|"
    r"rappelez|convoque[rz]?|remercie[rz]?|einladen|lade|ladet|lädt|ruf|rufe|ruft|rufen|"
    r"anrufen|kontaktiere\w*|erinnere\w*|begrüße\w*|llama|llamad|llamar|llámal[oa]|"
    r"contacta[rd]?|convoca[rd]?|agradece\w*|chiama|chiamate|chiamare|chiamal[oa]|"
    r"contatta\w*|avvisa\w*|convocare|ringrazia\w*)(?![\w])[^.!?\n]{0,100}$"
)
# A list's separator after a name: a comma, a semicolon or a conjunction.
_LIST_NEXT = re.compile(r"[ \t]*(?:[,;]|[ \t](?:and|et|und|e|y|&))[ \t]+")


def _a_figure_follows(text: str, end: int, names: frozenset[str]) -> bool:
    """A listed figure comes next in a list after the name ending at `end`: the label before
    it heads a list of figures, not a field of one person's record."""
    separator = _LIST_NEXT.match(text, end)
    if separator is None:
        return False
    line_end = text.find("\n", separator.end())
    line_end = len(text) if line_end < 0 else line_end
    words = list(_WORD.finditer(text, separator.end(), min(line_end, separator.end() + 120)))
    return any(
        _listed(text, words[:count], names) is not None
        for count in range(1, min(len(words), _MAX_WORDS) + 1)
    )


# What stands between two items of a list of people for `lower_names_listed_beside_figures`:
# `_LIST_NEXT`'s separators, in any case and with "or", after up to three words of the first
# item's epithet ("Camillo Benso conte di Cavour, Giuseppe Mazzini").
_LIST_GAP = re.compile(
    r"(?:[ \t]+[\p{L}'\u2019]+){0,3}[ \t]*(?:[,;]|[ \t](?i:and|et|und|e|ed|y|&|or|ou|oder|o))"
    r"[ \t]+"
)


def lower_names_listed_beside_figures(text: str, people: list[RecognizerResult]) -> None:
    """Lower to `HISTORICAL_SCORE` a person found as an item of a list whose next or previous
    item is a figure the text is about (already lowered), in a text about two figures or
    more: one of them, though no list has the name ("Louis XIV, Jeanne d'Arc, Victor Hugo,
    Marie Curie et Simone Veil", "Giuseppe Garibaldi, Camillo Benso conte di Cavour,
    Giuseppe Mazzini"), a quiz's or a lesson's list, not a record's. A record's item
    (`a_record`: a field, a title, contact data on its line) is left alone."""
    ordered = sorted(people, key=lambda result: result.start)
    changed = True
    while changed:
        changed = False
        for before, after in pairwise(ordered):
            if (before.score <= HISTORICAL_SCORE) == (after.score <= HISTORICAL_SCORE):
                continue
            if _LIST_GAP.fullmatch(text, before.end, after.start) is None:
                continue
            person = after if before.score <= HISTORICAL_SCORE else before
            if not a_record(text, person.start, person.end):
                person.score = HISTORICAL_SCORE
                changed = True


def surname_of(name: str) -> str:
    """The last word of a found name, its possessive aside ("Marie Curie's" -> "Curie")."""
    return _POSSESSIVE.sub("", name.rsplit(maxsplit=1)[-1]) if name.strip() else name
