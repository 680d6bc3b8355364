"""Nationality and religion (NRP) where a text states a person's: a form label
("Nationality: Finnish", "Staatsangehörigkeit: deutsch / türkisch", "Cittadinanza: greca",
`"nationality": "Ukrainian"`, "Religion: muslimisch - kein Schweinefleisch") or a phrase
("de nationalité sénégalaise", "cittadino rumeno", "finnischer Staatsbürger", "an Irish
citizen", "He's Catholic and…", "Musulman pratiquant, repas sans porc", "di religione
testimone di Geova").

spaCy's English model tags nationality words (NORP) wherever they stand, "French market" as
much as "a French citizen"; the other languages have no model for it at all. A person's
nationality is special-category-adjacent data (it reveals origin), so the label or phrase
that ties the word to a person is what makes it personal: the word after it is taken,
whatever it is, with no list of nationalities to fall behind. A religion is special-category
data itself (GDPR art. 9); without a label it is recognised from a short lexicon of faiths
in the five languages (`_RELIGIONS`), and only where the text says it of someone: after
"is" ("She is Jehovah's Witness and…", "es católica"), with "practising" ("Católico
practicante", "praktizierende Muslimin"), or standing alone as a clause of a note
("…, O2 2 l. Muslim, bittet um…"). "Catholic University" or "the Muslim world" pass.
"""

from __future__ import annotations

from functools import cache

import regex as re
from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from proxy.detection import regex_limits
from proxy.detection.alternation import compile_factored
from proxy.detection.name_index import without_accents

SCORE = 0.85

_LABELS = (
    r"nationalities|nationalités|nacionalidades|cittadinanze|staatsangehörigkeiten|"
    r"nationality|citizenship|nationalité|citoyenneté|staatsangehörigkeit|"
    r"staatsbürgerschaft|nationalität|nacionalidad|ciudadanía|cittadinanza|nazionalità|"
    r"religion|religious affiliation|confession|religión|religione|konfession|bekenntnis|"
    r"religionszugehörigkeit|culte"
)
_WORD = r"\p{L}[\p{L}\-]*"
# Where a label starts: a line's start, or a wide gap or a column bar after another field on
# the same line ("Geburtsdatum: 04.07.1992   Staatsangehörigkeit: polnisch").
_LABEL_START = r"(?:^[ \t>*\-]*|[ \t]{2,}|[|\u00b7\u2022][ \t]*|\t)"
# What may follow a labelled value: the line's end, a field separator, or a dash and a
# remark ("Religion: muslimisch - kein Schweinefleisch").
_VALUE_END = r"(?=[ \t]*(?:$|[,;\n(|])|[ \t]+[\u2013\u2014\-][ \t])"
# One value, or two ("deutsch / türkisch", "italienne-marocaine", "boliviana y española").
_VALUE = (
    rf"(?P<value>{_WORD}(?:[ \t]*/[ \t]*{_WORD}|[ \t]+(?:y|e|et|and|und)[ \t]+{_WORD}"
    rf"|[ \-]{_WORD})?)"
)
_PHRASE_BEFORE = (
    r"de nationalité|of (?:the )?nationality|di nazionalità|di cittadinanza|"
    r"de nacionalidad|mit (?:der )?staatsangehörigkeit|nationality|"
    # two at once: "double nationalité turque et française", "doble nacionalidad"
    r"double nationalité|doble nacionalidad|doppia cittadinanza|dual nationality|"
    r"dual citizenship|doppelte staatsbürgerschaft|doppelte staatsangehörigkeit|"
    r"citoyen|citoyenne|ciudadano|ciudadana|cittadino|cittadina|citizen of"
)
_PHRASE_AFTER_NOUN = r"nationality|citizen|national"
# The label's word without a colon, as a clause after a name ("Padre: Cristian Rojas,
# nacionalidad colombiana", "à Dakar, nationalité sénégalaise", or after an en or em dash
# "nationalité burkinabè"): only after a comma, such a dash or at a line's start, so that
# "obtenir la nationalité française" in prose passes.
_BARE_LABEL = r"nacionalidad|nationalité|cittadinanza|nazionalità|nationality|citizenship"
# German writes the adjective in lower case: "finnischer Staatsbürger", "vietnamesische
# Staatsangehörige", "die türkische Staatsangehörigkeit".
_GERMAN_CITIZEN = (
    r"Staatsbürger(?:in|schaft)?|Staatsangehörige[rn]?|Staatsangehörigkeit|Nationalität"
)

# Every match of a nationality phrase holds one of its words: where none is, even inside a
# longer word, the phrase pattern (which tries every capitalised and lower-case word) is
# not run (issue 13).
# Phrases that also start or end prose about nationality in general ("dual nationality
# changed", "a French national team"): their word must be a demonym (`is_demonym`).
_LOOSE_PHRASE = re.compile(
    r"(?i:nationality|dual|double|doble|doppia|doppelte)\b|\p{Lu}\p{L}+[ \t]+(?i:national)\b"
)
# "national" as an adjective of a thing, not a noun for a person.
_NATIONAL_COMPOUND = re.compile(
    r"(?<=(?i:national))[ \t]+(?i:teams?|squad|side|league|championships?|park|parks|day|"
    r"holiday|anthem|museum|gallery|library|theatre|theater|assembly|guard|grid|service|health|"
    r"insurance|lottery|average|debt|curriculum|minimum|trust|express|rail|railways?|"
    r"archives|statistics|security|airline|carrier|broadcaster|press|media|park's)(?![\w])"
)
_ANY_PHRASE_WORD = compile_factored(
    rf"(?i:{_PHRASE_BEFORE}|{_PHRASE_AFTER_NOUN}|{_GERMAN_CITIZEN}|{_BARE_LABEL})"
)


class NationalityRecognizer(EntityRecognizer):
    """NRP: the value of a nationality label, or the word of a nationality phrase (module
    docstring), score `SCORE`."""

    def __init__(self, language: str) -> None:
        super().__init__(
            supported_entities=["NRP"], name="NationalityRecognizer", supported_language=language
        )
        self._labelled = re.compile(
            # a label shared with another field first: "Heimatort / Staatsangehörigkeit:"
            rf"(?im:{_LABEL_START}(?:\p{{L}}+[ \t]*/[ \t]*)?(?:{_LABELS})[ \t]*"
            rf"(?:\([^)\n]{{0,40}}\))?[ \t]*:[ \t]*)"
            rf"{_VALUE}{_VALUE_END}"
            # a JSON key: `"nationality": "Ukrainian"`
            rf"|\"(?i:{_LABELS}|nationalite|nationalitat|nazionalita)\"[ \t]*:[ \t]*\""
            rf"(?P<value>{_WORD}(?:[ \-/]{_WORD})?)\"",
            re.IGNORECASE | re.MULTILINE,
        )
        self._phrase = re.compile(
            rf"(?<![\w])(?i:{_PHRASE_BEFORE})[ \t]+(?P<value>{_WORD})(?![\w])"
            rf"|(?<![\w])(?P<value>\p{{Lu}}\p{{L}}{{2,}})[ \t]+(?i:{_PHRASE_AFTER_NOUN})(?![\w])"
            rf"|(?<![\w])(?P<value>\p{{Ll}}{{3,}}e[rns]?)[ \t]+(?:{_GERMAN_CITIZEN})(?![\w])"
            rf"|(?m:(?<=[,\u2013\u2014][ \t]*|^[ \t]*))(?i:{_BARE_LABEL})[ \t]+(?P<value>{_WORD})"
            rf"{_VALUE_END}"
        )

    def load(self) -> None:
        """Nothing to load."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Each labelled or phrased nationality."""
        timeout = regex_limits.seconds()
        found: dict[tuple[int, int], RecognizerResult] = {}
        phrased = _ANY_PHRASE_WORD.search(text, timeout=timeout) is not None
        for pattern in (self._labelled, self._phrase) if phrased else (self._labelled,):
            for match in pattern.finditer(text, timeout=timeout):
                start, end = match.span("value")
                if (
                    pattern is self._phrase
                    and _LOOSE_PHRASE.match(match.group()) is not None
                    and not is_demonym(match.group("value"))
                ):
                    continue  # "the rules on dual nationality changed"
                if pattern is self._phrase and _NATIONAL_COMPOUND.match(text, match.end()):
                    continue  # "a French national team player", "the Welsh national anthem"
                found.setdefault((start, end), RecognizerResult("NRP", start, end, SCORE))
        for pattern in (_APPOSITION, _COORDINATED_CITIZENSHIP, _PASSPORT, _ORIGIN, _DUAL):
            for match in pattern.finditer(text, timeout=timeout):
                start, end = match.span("value")
                if is_demonym(match.group("value")):
                    found.setdefault((start, end), RecognizerResult("NRP", start, end, SCORE))
        if _ANY_FAITH.search(text, timeout=timeout) is not None:
            for match in _RELIGION_OF_A_PERSON.finditer(text, timeout=timeout):
                start, end = match.span("value")
                found.setdefault((start, end), RecognizerResult("NRP", start, end, SCORE))
        for _, first_end in list(found):
            second = _AND_ANOTHER.match(text, first_end, timeout=timeout)
            if second is not None and is_demonym(second.group("value")):
                start, end = second.span("value")
                found.setdefault((start, end), RecognizerResult("NRP", start, end, SCORE))
        return list(found.values())


# A nationality said of a person in passing: between commas after a name, an age, a birth
# date or a spouse ("M. Aurelio Conti, italien, résidant à Menton", "71F, Colombian, lives
# alone", "38 años, nigeriana, residente", "(né le 05/01/1972, tunisien)", "son mari,
# Québécois,"), before "resident" or "patient" ("58 años, iraní residente en Málaga",
# "(b. 02.08.1990), Irish patient"), or after "is" ("Es nigeriano", "È nigeriano", "husband
# is Portuguese"), or as what a witness calls someone ("avec le Portugais, je crois qu'il
# s'appelle…", "con el marroquí ese del gimnasio"), or before "citizen" words in German
# ("chilenische Staatsbürgerin" is `_GERMAN_CITIZEN`).
_AFTER_A_PERSON = (
    r"(?<=\p{Lu}[\p{Ll}'\-]+|\p{Lu}{2,}|\d{1,3}[ ]?(?:ans|años|anni|jahre|years|yo|y/o|[FMJ]\.?)|"
    r"\d{4}\)|\b\d{1,2}[./\-]\d{1,2}[./\-]\d{2,4}|\p{Lu}\p{Ll}+,[ ]\d{1,3}|"
    r"\b(?i:mari|husband|wife|Mann|Frau|marido|esposa|mujer|marito|moglie|épouse|femme))"
)
_A_PERSON_AFTER = (
    r"[ \t]+(?i:residente|résidant|résidente|installée?|residing|living|resident|wohnhaft|"
    r"patient|patiente|paciente|paziente|Patientin)\b"
)
# "is" said of a person: English capitalises the demonym, so its subject must be one.
_PERSON_IS = (
    r"(?i:he|she|husband|wife|partner|mother|father|mum|dad|son|daughter|brother|sister)"
    r"(?:'s|\u2019s|[ \t]+is|[ \t]+was)"
)
# The look-aheads `(?=[ \t]*,)` and `(?=\)?[ \t]*,)` only repeat what the branch needs
# next: they change no match, but fail at once where no comma follows, before the costly
# look-behind `_AFTER_A_PERSON` is tried at every position of the text (issue 13).
_APPOSITION = compile_factored(
    rf"(?:(?=[ \t]*,){_AFTER_A_PERSON}[ \t]*,[ \t]*(?P<value>\p{{L}}[\p{{Ll}}\-]{{3,}})"
    rf"(?=[ \t]*(?:[,;.)]|\n|$)|[ \t]+(?:di|de|of|d')[ ]origin|{_A_PERSON_AFTER})"
    rf"|(?=\)?[ \t]*,)(?:{_AFTER_A_PERSON}[ \t]*,[ \t]*|\)[ \t]*,[ \t]*)"
    rf"(?P<value>\p{{L}}[\p{{Ll}}\-]{{3,}})(?={_A_PERSON_AFTER})"
    # said by the person: "Io sono nigeriano, in Italia da…", "Yo soy peruano con residencia…",
    # "I'm Polish and…"
    r"|(?<![\w])(?i:io[ \t]+sono|sono|yo[ \t]+soy|soy|je[ \t]+suis|ich[ \t]+bin|i['\u2019]m|"
    r"i[ \t]+am)[ \t]+(?:(?i:un|una|une|a|an|ein|eine)[ \t]+)?(?P<value>\p{L}[\p{Ll}\-]{3,})"
    r"(?=[ \t]*[,;.]|[ \t]+(?i:y|e|et|and|und|con|with|avec|mit|in|en|a|da|de|di|from|since|"
    r"seit|depuis|desde)[ ])"
    r"|(?<![\w])(?i:es|è|est|is|ist|era|était|war|was)[ \t]+"
    r"(?:(?i:un|una|une|a|an|ein|eine)[ \t]+)?(?P<value>\p{Ll}[\p{Ll}\-]{3,})"
    r"(?=[ \t]*[,;.]|[ \t]+(?:y|e|et|and|und)[ ])"
    rf"|(?<![\w]){_PERSON_IS}[ \t]+(?:(?i:a|an)[ \t]+)?(?P<value>\p{{Lu}}\p{{Ll}}{{3,}})"
    r"(?=[ \t]*[,;.)]|[ \t]+(?:and|but)[ ])"
    # a person called by their nationality, with the article ("avec le Portugais, je
    # crois", "con el colombiano, creo", "con l'albanese»", "con el marroquí ese")
    r"|(?<![\w])(?i:avec le|avec la|avec l'|con el|con la|con il|con lo|con l'|with the)[ \t]*"
    r"(?P<value>\p{L}[\p{Ll}\-]{3,})(?=[ \t]*[,;.»)\u2013\u2014]|[ \t]+[\u2013\u2014\-][ ]|"
    r"[ \t]+(?:ese|esa|aquel|quello|quella|là)\b))",
    re.MULTILINE,
)
# The first of two citizenships ("Er hat die türkische und die deutsche
# Staatsangehörigkeit", "la nacionalidad española y la marroquí" is `_BARE_LABEL`).
_COORDINATED_CITIZENSHIP = re.compile(
    r"(?<![\w])(?P<value>\p{Ll}{3,}e[rn]?)[ \t]+(?:und|oder)[ \t]+(?:die[ \t]+|der[ \t]+)?"
    r"\p{Ll}{3,}e[rn]?[ \t]+(?:Staatsangehörigkeit|Staatsbürgerschaft|Nationalität)"
)
# A passport's country ("holds an Israeli passport", "passport seen (Zimbabwean)", "tiene el
# pasaporte colombiano", "passeport algérien", "den türkischen Pass").
_PASSPORT = re.compile(
    r"(?<![\w])(?i:an?|his|her|my|your|their)[ \t]+(?P<value>\p{Lu}\p{Ll}{3,})[ \t]+passport"
    r"(?![ \t]*(?:holders?|controls?|office))"
    r"|(?i:passport)[^.\n()]{0,12}\([ \t]*(?P<value>\p{Lu}\p{Ll}{3,})[ \t]*\)"
    r"|(?i:pasaporte|passeport|passaporto)[ \t]+(?P<value>\p{Ll}{4,})(?![\w])"
    r"|(?<![\w])(?P<value>\p{Ll}{4,}e[nr]?)[ \t]+(?:Reise)?[Pp]ass(?![\w])"
)
# Both halves of a dual national's pair ("Turkish-German dual national", "türkisch-deutscher
# Doppelstaatler", "italo-argentino con doppia cittadinanza" is `_PHRASE_BEFORE`'s).
_DUAL_NOUN = (
    r"[ \t]+(?i:dual[ \t]+(?:national|citizen)s?|doppelstaatler\w*|doppelstaatsbürger\w*|"
    r"binational\w*|double[ \t]+national\w*|doble[ \t]+nacional\w*)"
)
_DUAL = re.compile(
    rf"(?<![\w\-])(?P<value>\p{{L}}{{4,}})(?=-\p{{L}}{{4,}}{_DUAL_NOUN})"
    rf"|(?<=(?<![\w\-])\p{{L}}{{4,}}-)(?P<value>\p{{L}}{{4,}})(?={_DUAL_NOUN})"
)
# Faiths and their believers in the five languages, the forms a note writes of a person
# ("Catholic", "musulmane", "Muslimin", "ortodossa", "Zeuge Jehovas", "rumänisch-orthodox").
_FAITHS = (
    r"(?:"
    r"catholic|catholique|katholisch(?:e[rn]?)?|katholik(?:in)?|católic[oa]|cattolic[oa]|"
    r"protestant(?:e|in)?|protestantisch(?:e[rn]?)?|evangelisch(?:e[rn]?)?|evangélic[oa]|"
    r"evangelic[oa]|évangélique|evangelical|"
    r"muslim(?:a|in|e)?|moslem(?:in)?|muslimisch(?:e[rn]?)?|musulman(?:e|a)?|musulmán|"
    r"musulman[oa]|"
    r"jewish|juif|juive|jüdisch(?:e[rn]?)?|jüdin|judí[oa]|ebre[oa]|"
    r"hindu|hindou(?:e)?|hindú|induista|hinduistisch(?:e[rn]?)?|"
    r"buddhist(?:in)?|bouddhiste|budista|buddista|buddhistisch(?:e[rn]?)?|sikh|sij|"
    r"christian|chrétien(?:ne)?|christlich(?:e[rn]?)?|christin|cristian[oa]|"
    r"orthodox(?:e[rn]?)?|ortodox[oa]|ortodoss[oa]|"
    r"atheist(?:in)?|athée|ate[oa]|atheistisch(?:e[rn]?)?|agnostic|agnostique|agnóstic[oa]|"
    r"agnostic[oa]|agnostisch(?:e[rn]?)?|konfessionslos(?:e[rn]?)?|"
    r"anglican(?:e|a|o)?|methodist|baptist(?:e|a)?|lutheran|luthérien(?:ne)?|lutherisch(?:e[rn]?)?|"
    r"mormon(?:e|a)?|mormón|adventist(?:e|a)?|pentecostal|pentecôtiste|quaker|"
    r"sunni|sunnite|sunnita|suní|sunnitisch(?:e[rn]?)?|shia|shiite|chiite|sciita|chií|"
    r"schiitisch(?:e[rn]?)?|alevit(?:in)?|alevitisch(?:e[rn]?)?|"
    r"jehovah(?:'|\u2019)?s witness|témoin de jéhovah|testigo de jehová|testimone di geova|"
    r"zeug(?:e|in) jehovas"
    r")"
)
_RELIGIONS = (
    r"(?:roman |römisch-|greek |griechisch-|russian |russisch-|rumänisch-|serbisch-|"
    r"coptic |koptisch-)?" + _FAITHS
)
_PRACTISING = (
    r"(?:practising|practicing|devout|observant|pratiquante?|practicante|praticante|"
    r"praktizierende[rs]?|gläubige[rs]?)"
)
_RELIGION = rf"(?i:{_RELIGIONS})(?![\w\-])"
# A religion said of a person (module docstring): after "is" or a religion word without a
# colon ("di religione", "de confession"), with "practising" before or after, or alone as a
# clause of a note, between sentence or clause punctuation and a comma or a dash, unless a
# list of faiths follows ("Muslim, Christian and Jewish leaders").
_RELIGION_OF_A_PERSON = compile_factored(
    r"(?<!\b(?i:it|this|that|which|what|there|c'|ce|es|das|esto|eso|questo|ciò)[ \t]*)"
    r"(?:(?<![\w])(?i:is|am|est|es|è|ist|era|était|war|was|sono|soy|suis|bin|being|étant|"
    r"essendo|siendo)|(?<=\w)(?:'s|\u2019s|'m|\u2019m))[ \t]+"
    # a few words between ("ist nach eigenen Angaben römisch-katholisch", "es muy católica")
    r"(?:(?!(?i:a|an|un|una|une|ein|eine)[ \t])\p{L}+[ \t]+){0,3}?"
    rf"(?:(?i:a|an|un|una|una|une|ein|eine)[ \t]+)?(?:(?i:{_PRACTISING})[ \t]+)?"
    rf"(?P<value>{_RELIGION}(?:[ \t]+{_RELIGION})?)"
    rf"(?=[ \t]*(?:[,;.)!?\n]|$)|[ \t]+(?i:and|y|e|et|und|but|pero|mais|"
    rf"aber|ma|{_PRACTISING})\b|[ \t]+[\u2013\u2014\-][ \t])"
    rf"|(?<![\w])(?i:{_PRACTISING})[ \t]+(?P<value>{_RELIGION})"
    rf"|(?<![\w])(?P<value>{_RELIGION})[ \t]+(?i:{_PRACTISING})(?![\w])"
    r"|(?<![\w])(?i:di religione|de religión|de religion|de confession|religione|religión|"
    rf"religion|confession|konfession)[ \t]*\(?[ \t]*(?P<value>{_RELIGION})"
    rf"|(?:^|(?<=[.;:!?][ \t]{{1,3}}))(?P<value>{_RELIGION})"
    rf"(?=[ \t]*(?:,|[\u2013\u2014])(?![ \t]*(?:{_RELIGION}|(?i:and|y|et|und|e)\b)))"
    # after a name or an age ("Mr Fontana, 78, Catholic - requested the chaplain")
    rf"|{_AFTER_A_PERSON}[ \t]*,[ \t]*(?P<value>{_RELIGION})"
    r"(?=[ \t]*(?:[,;.)\u2013\u2014]|$)|[ \t]+-[ \t])"
    # German puts the verb last ("dass sie Muslima ist")
    rf"|(?<![\w])(?:sie|er|ich)[ \t]+(?:\p{{Ll}}+[ \t]+){{0,2}}?(?P<value>{_RELIGION})"
    r"[ \t]+(?:ist|sei|bin|war|wäre)(?![\w])",
    re.MULTILINE,
)
# Every match of `_RELIGION_OF_A_PERSON` holds a faith's word: where none is, the pattern is
# not run (it tries its look-behinds at every position, ~5x the cost of this search). These
# three patterns run on every text: their alternations are factored (`alternation.py`).
_ANY_FAITH = compile_factored(rf"(?i:{_FAITHS})")
# An origin ("d'origine roumaine", "de origen nigeriano", "di origine marocchina", "of
# Nigerian descent", "türkischer Herkunft"), and a second nationality or faith after a first
# ("elle est protestante et rwandaise").
_ORIGIN = re.compile(
    r"(?<![\w])(?i:d'origine|d\u2019origine|de origen|di origine|origine)[ \t]+"
    r"(?P<value>\p{L}[\p{Ll}\-]{3,})(?![\w])"
    r"|(?<![\w])(?i:of)[ \t]+(?P<value>\p{Lu}\p{Ll}{3,})[ \t]+(?i:descent|heritage)"
    r"|(?<![\w])(?P<value>\p{Ll}{3,}er)[ \t]+Herkunft(?![\w])"
)
_AND_ANOTHER = re.compile(r"[ \t]+(?i:et|and|y|e|und)[ \t]+(?P<value>\p{L}[\p{Ll}\-]{3,})(?![\w])")
# Endings of nationality adjectives and nouns in the five languages ("italien", "uruguayo",
# "nigeriana", "portugaise", "polnisch", "Turkish", "svizzero", "iraní", "belge").
_DEMONYM_ENDING = re.compile(
    r"(?:an|ian|ish|ese|esi|esa|ais|aise|ois|oise|ien|ienne|ain|aine|isch|ische|ano|ana|ani|"
    r"ane|ino|ina|ini|ine|eno|ena|eni|ense|es|ero|era|eri|ole|yo|ya|ge|i|ch|que|ier|"
    r"cher|chen|ches|chem)$"  # German's inflected adjectives: "deutscher", "polnischen"
)


# Words with a country's first letters and a demonym's ending that name no nationality: a
# doorman is no Portuguese ("con la portera").
_LOOK_ALIKES = frozenset(
    {"portero", "portera", "porteros", "porteras", "portier", "portiere", "portiera", "portieri"}
)


# Demonyms whose first letters are not their country's ("Irish" and Ireland, "danois" and
# Danemark, "griego" and Grecia), and Québec's, a nation's without a state: the exceptions
# to `is_demonym`'s rule, accent-free and in lower case.
_IRREGULAR = frozenset(
    {
        "irish", "french", "dutch", "welsh", "swiss", "greek", "danish", "british", "english",
        "scottish", "flemish", "suisse", "suisses", "grec", "grecque", "danois", "danoise",
        "neerlandais", "neerlandaise", "britannique", "ecossais", "ecossaise", "gallois",
        "galloise", "griechisch", "griechische", "griechischer", "danisch", "danische",
        "danischer", "schweizer", "schweizerin", "schweizerisch", "schweizerische", "griego",
        "griega", "danes", "danesa", "suizo", "suiza", "holandes", "holandesa", "britanico",
        "britanica", "escoces", "escocesa", "greco", "greca", "danese", "olandese",
        "britannico", "britannica", "scozzese", "quebecois", "quebecoise", "quebecker",
        "turco", "turca", "turcos", "turcas", "turchi", "turche",
    }
)  # fmt: skip


def is_demonym(word: str) -> bool:
    """A word that names a nationality: a demonym's ending, and its first letters those of
    a country's name in one of the five languages ("italien" and "Italie", "chilenische"
    and "Chile", "Romanian" and "Romania"). Countries come from the gazetteer, so no list
    of nationalities is kept here."""
    folded = without_accents(word.casefold())
    if folded in _IRREGULAR:
        return True
    if len(folded) < 4 or _DEMONYM_ENDING.search(folded) is None or folded in _LOOK_ALIKES:
        return False
    return folded[:4] in _country_prefixes()


@cache
def _country_prefixes() -> frozenset[str]:
    from proxy.detection.gazetteer import Flag, places  # noqa: PLC0415

    return frozenset(
        without_accents(name)[:4]
        for name, bits in places().items()
        if bits & Flag.COUNTRY and " " not in name and len(name) >= 4
    )
