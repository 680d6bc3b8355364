"""Places with judgement: a place tied to a person is personal data, a place in business
prose is not.

"Elira Krasniqi, wohnhaft in Würzburg", "she's moving to Leeds", "card declined at a shop in
Porto", "né à Varsovie" say where a person lives, was born or was: masked. "Our Berlin office",
"exhibitors from Manchester", "Paris 2024", "en France" say nothing about anyone: masking
them only degrades the answer. So a place name (spaCy's LOCATION, or a capitalised name after
a cue in languages without a model) scores:
- `TIED_SCORE` (0.85) after one of `TIES` (its language's or English), written right before
  it (at most a few words between: "wohnhaft in der Stadt Würzburg" is not, "lives in
  central Leeds" is);
- `UNTIED_SCORE` (0.35) otherwise: under the default policy's threshold (0.5), so not masked;
  a policy that wants every place masked gives LOCATION `min_score: 0.3`.
Addresses are another matter (`addresses.py`): always masked.
"""

from __future__ import annotations

import regex as re
from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from proxy.detection import regex_limits
from proxy.detection.context import phrase_pattern

TIED_SCORE = 0.85
UNTIED_SCORE = 0.35

TIES: dict[str, tuple[str, ...]] = {
    "en": (
        "lives in", "living in", "lived in", "live in", "resides in", "residing in",
        "resident of", "resident in", "born in", "moved to", "moving to", "relocating to",
        "relocated to", "relocate to", "grew up in", "hometown", "home town", "is from",
        "comes from", "native of", "staying in", "stays in", "home to", "discharged home to",
        "back in", "issued in", "shop in", "store in", "atm in", "withdrawal in", "billing zip in",
        "city of residence", "place of birth", "town:", "city:", "based in", "i'm in", "im in",
        "currently in", "now in", "living at",
    ),
    "fr": (
        "habite à", "habite au", "habite en", "habitant à", "vit à", "vivant à", "demeurant à",
        "domicilié à", "domiciliée à", "domicilié au", "résidant à", "réside à", "résident à",
        "né à", "née à", "né(e) à", "originaire de", "installé à", "installée à",
        "déménagé à", "déménage à", "lieu de naissance", "ville de résidence", "domicile à",
        "retour à domicile à", "huissier de justice à", "distributeur de", "commerçant à",
        "je suis à", "suis à", "ville :", "fait à", "séjourné à", "serai à",
    ),
    "de": (
        "wohnhaft in", "wohnt in", "lebt in", "wohne in", "lebe in", "geboren in", "wohnort",
        "geburtsort", "zugezogen nach", "umgezogen nach", "zieht nach", "ansässig in",
        "sitzt in", "nach hause in", "entlassung nach hause in", "automaten in", "geldautomaten in",
        "filiale in", "stammt aus", "kommt aus", "bin in", "bin gerade in", "wohnhaft:",
    ),
    "es": (
        "vive en", "reside en", "residente en", "nacido en", "nacida en", "natural de",
        "domiciliado en", "domiciliada en", "lugar de nacimiento", "se mudó a", "se muda a",
        "vecino de", "vecina de", "con sede en", "cajero de", "domicilio en", "alta a domicilio en",
        "estoy en", "vivo en",
    ),
    "it": (
        "vive a", "vive in", "abita a", "abita in", "residente a", "residente in", "nato a",
        "nata a", "domiciliato a", "domiciliata a", "luogo di nascita", "trasferito a",
        "trasferita a", "con sede a", "bancomat di", "domicilio a", "dimissione a domicilio a",
        "vivo a", "vivo in", "sono a",
    ),
}  # fmt: skip


# Words that say a clause is about where someone is from, lives, was born or was: a place
# after a locative preposition later in the same clause is tied to that person ("born on
# 16 Jan 2004 in Bunbury", "nacida el 8 de mayo de 1958 en Tarragona", "Accident survenu
# le 3 mai à Colmar"). Word starts, any language: a text mixes them.
_TIE_WORDS = (
    # en
    r"born|birth|birthplace|lives?|lived|living|resid\w*|moved?|moving|relocat\w*|grew|"
    r"hometown|native|stay(?:s|ed|ing)?|based|domiciled|citizen|accident|crash|collision|"
    r"travel\w*|flies|flew|flying|visiting|returned|returning|transfer|secondment|"
    # fr
    r"née?s?|naissance|habit\w+|vit|vivai\w*|vivant|demeur\w*|domicili\w*|réside\w*|résidant|"
    r"originaire|install[ée]e?s?|déménag\w*|grandi|accident|survenu\w*|sinistre|"
    r"mutation|muté\w*|arrive\w*|rentre\w*|séjourn\w*|"
    # de
    r"geboren|geburt\w*|wohn\w*|lebt|lebe|lebte|ansässig|stamm\w*|umgezogen|zieht|gezogen|"
    r"aufgewachsen|unfall\w*|ereignet\w*|wechseln|umzug|versetzung|ursprünglich|"
    # es
    r"nacid[oa]s?|naci[óo]|nací|nacimiento|viv[eoí]\w*|domicili\w*|vecin[oa]s?|natural|mud[óo]|"
    r"mudad[oa]|trasladad[oa]|criad[oa]|accidente|siniestro|ocurri\w*|empadronad[oa]|"
    r"traslado|viaja\w*|"
    # it
    r"nat[oaie]|nascita|abit\w+|vivo|vive|residente|trasferit[oaie]|cresciut[oaie]|"
    r"originari[oa]|incidente|avvenut[oaie]|domicilio|risied\w*|trasferimento|tornat[oa]|"
    r"arrivan[oa]|arriva|sono di|partì|partito|partita"
)
# A locative preposition (and article) right before the place.
_BEFORE_PLACE = (
    r"(?<![\w])(?:in|at|near|to|à|a|ad|au|aux|en|nach|zu|im|bei|aus|da|di|de|from|per|hacia|para)"
    r"(?:[ \t]+(?:the|la|le|les|der|die|dem|den|el|los|las|il|lo))?[ \t]+(?:l['\u2019])?$"
)
# Form labels whose value is where a person lives or was born ("Ville : Colmar",
# "Geburtsort: Graz", "Città: Bari"); not a bare "Place:", which may be an event's.
_PLACE_LABELS = (
    r"place of birth|city|town|hometown|residence|city of residence|country of residence|"
    r"lieu de naissance|ville|commune|ville de résidence|lieu de résidence|"
    r"wohnort|geburtsort|stadt|wohnsitz|"
    r"lugar de nacimiento|ciudad|localidad|municipio|lugar de residencia|"
    r"luogo di nascita|città|comune|località|luogo di residenza"
)
# The dateline of a letter ("Lecce, 3 aprile 2025", "En Gijón, a 05/12/2026", "Fait à
# Lyon, le 2 mai"): where the writer is.
_DATELINE_BEFORE = r"(?im:^[ \t]*(?:(?:en|fait à|done at|given at|dato a|data a|a)[ \t]+)?$)"
_DATELINE_AFTER = re.compile(
    r"[ \t]*,[ \t]*(?:(?:le|den|am|a|el|il|on|the)[ \t]+)?\d{1,4}(?:[ ./\-]|\.?[ \t]+\p{L})",
    re.IGNORECASE,
)
_CLAUSE_BREAK = re.compile(r"[!?;\n]|\.(?!\d)(?:\s|$)")


def tie_pattern(language: str) -> re.Pattern[str]:
    """The tie phrases of `language` and English, ending where the place may start (a few
    lower-case words, an article, may stand between)."""
    phrases = TIES.get(language, ()) + TIES["en"]
    cue = phrase_pattern(phrases).pattern
    return re.compile(
        rf"{cue}[ \t]*(?:(?:the|la|le|les|l'|der|die|dem|el|los|las|il|lo|central|downtown|"
        rf"centre|center|north|south|east|west)[ \t]+)?$",
        re.IGNORECASE,
    )


_TIE_WORD = re.compile(rf"(?<![\w])(?:{_TIE_WORDS})(?![\w])", re.IGNORECASE)
_PREPOSITION = re.compile(_BEFORE_PLACE, re.IGNORECASE)
_LABELLED = re.compile(rf"(?im:^[ \t>*\-]*(?:{_PLACE_LABELS})[ \t]*:[ \t]*$)")
_DATELINE = re.compile(_DATELINE_BEFORE)
# A tie word that is part of a name ("the Cupra Born", "Hotel Native"): no tie.
_NAMED = re.compile(r"\p{Lu}[\p{L}\-]*[ ]\p{Lu}\p{L}*$")


# A CV's or a signature's contact line: the town first, then a phone number or an e-mail
# address on the same line ("Frankfurt am Main · 0157 3321 8840 · dragana.p@…").
_CONTACT_AFTER = re.compile(
    r"(?:,[ ]\p{Lu}[\p{L} ]{1,20})?[ \t]*[·|•\-\u2013][ \t]*[^\n]{0,80}?"
    r"(?:[\w.+\-]+@[\w\-]+\.|\+\d{1,3}[ (]?\d|(?<![\d.,])0\d[\d ]{6,})"
)


def _contact_line(text: str, start: int, end: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    if text[line_start:start].strip(" \t>*-"):
        return False
    return _CONTACT_AFTER.match(text, end) is not None


def is_tied(pattern: re.Pattern[str], text: str, start: int, end: int | None = None) -> bool:
    """Whether the place at `text[start:end]` is tied to a person: a tie phrase ends right
    before it; or a locative preposition stands right before it and a tie word earlier in
    its clause ("born on 16 Jan 2004 in Bunbury"); or it is a form label's value ("Ville :
    Colmar", "Geburtsort: Graz"); or the dateline of a letter ("Lecce, 3 aprile 2025")."""
    window = max(0, start - 48)
    if pattern.search(text, window, start) is not None:
        return True
    if _LABELLED.search(text, max(0, start - 40), start) is not None:
        return True
    if (
        end is not None
        and _DATELINE.search(text, max(0, start - 12), start) is not None
        and _DATELINE_AFTER.match(text, end) is not None
    ):
        return True
    if end is not None and _contact_line(text, start, end):
        return True
    if _PREPOSITION.search(text, max(0, start - 24), start) is None:
        return False
    clause_start = max(0, start - 100)
    for brk in _CLAUSE_BREAK.finditer(text, clause_start, start):
        clause_start = brk.end()
    return any(
        not _NAMED.search(text, max(0, tie.start() - 40), tie.end())
        for tie in _TIE_WORD.finditer(text, clause_start, start)
    )


_NOT_PLACES = frozenset(
    (
        "january", "february", "march", "april", "may", "june", "july", "august", "september",
        "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday",
        "saturday", "sunday", "janvier", "février", "mars", "avril", "mai", "juin", "juillet",
        "août", "septembre", "octobre", "novembre", "décembre", "lundi", "mardi", "mercredi",
        "jeudi", "vendredi", "samedi", "dimanche", "januar", "februar", "märz", "juni", "juli",
        "oktober", "dezember", "montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag",
        "sonntag", "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
        "septiembre", "octubre", "noviembre", "diciembre", "lunes", "martes", "miércoles", "jueves",
        "viernes", "sábado", "domingo", "gennaio", "febbraio", "aprile", "maggio", "giugno",
        "luglio", "settembre", "ottobre", "dicembre", "lunedì", "martedì", "mercoledì", "giovedì",
        "venerdì", "sabato", "domenica", "the", "la", "le", "el", "il", "der", "die", "das",
    )
)  # fmt: skip


# Words a capitalised run may start with that are not part of the place ("En Gijón"), and
# articles that may be ("Le Havre", "La Coruña", "Den Haag").
_LEADING = frozenset({"en", "in", "a", "à", "fait", "done", "dato", "data"})
_ARTICLES = frozenset({"le", "la", "les", "el", "los", "las", "il", "lo", "den", "der", "die"})


class PlaceCueRecognizer(EntityRecognizer):
    """LOCATION: a capitalised place name tied to a person by its context (`is_tied`): after
    a tie phrase ("wohnhaft in Würzburg", "vive en Sevilla", "nato a Bari"), after a
    locative preposition in a clause about where someone lives, was born or was ("nacida el
    8 de mayo de 1958 en Tarragona"), as a place label's value, or as a letter's dateline.
    The only source of places in languages without a spaCy model; in the others it adds
    what the model misses."""

    _PLACE = re.compile(
        r"\p{Lu}[\p{L}'\u2019\-]+"
        r"(?:(?:[ \-](?:am|an|im|de la|de los|de las|de|del|di|sur|en|la|le|sul|upon|on)[ \-]"
        r"|[ \-]|(?<=(?<![\w])\p{Lu}\p{Ll}{0,2})\.[ ])\p{Lu}[\p{L}'\u2019\-]+){0,3}"
    )

    def __init__(self, language: str) -> None:
        super().__init__(
            supported_entities=["LOCATION"], name="PlaceCueRecognizer", supported_language=language
        )
        self._ties = tie_pattern(language)
        self._candidate = re.compile(rf"(?<![\w\-'\u2019.@/])(?P<place>{self._PLACE.pattern})")

    def load(self) -> None:
        """Nothing to load."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Each capitalised name tied to a person (`is_tied`), `TIED_SCORE`."""
        found = []
        for match in self._candidate.finditer(text, timeout=regex_limits.seconds()):
            start, end = match.span("place")
            words = text[start:end].split()
            if len(words) > 1 and words[0].casefold() in _LEADING:
                start = text.index(words[1], start)  # "En Gijón, a 5 de mayo": Gijón
                words = words[1:]
            first = words[0].casefold()
            if first in _NOT_PLACES and (len(words) == 1 or first not in _ARTICLES):
                continue  # a month, a day, an article alone; "Le Havre", "La Spezia" stay
            if is_tied(self._ties, text, start, end):
                found.append(RecognizerResult("LOCATION", start, end, TIED_SCORE))
        return found
