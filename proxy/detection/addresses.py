"""Postal addresses: house number, street type and name, then optionally postcode and town.

spaCy finds towns ("Lyon") but not addresses; an address is the most identifying thing in a
letter. The patterns follow each country's writing order:
- France, Belgium: `12 bis, rue de la Paix, 75002 Paris (Cedex)`;
- English: `221B Baker Street, London NW1 6XE`, `1600 Pennsylvania Avenue NW, Washington, DC 20500`;
- German: `Hauptstraße 5a, 10115 Berlin`;
- Spanish: `Calle de Alcalá 45, 3º B, 28014 Madrid`; Italian: `Via Roma 12, 00184 Roma (RM)`.
A street with its number scores 0.6; with postcode and town, 0.85; a postcode and town alone
score 0.3 and need a context phrase ("demeurant", "address", "wohnhaft in") to count.
The patterns of every country run whatever the text's language: people write their own
address in an e-mail in another language. Street types are matched in any case, names must
be capitalised (or digits, "rue du 8 Mai 1945"), so a sentence is not taken for a street.
"""

from __future__ import annotations

from collections.abc import Sequence

import regex as re
from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult

from proxy.detection import regex_limits
from proxy.detection.identifiers import CASE_SENSITIVE
from proxy.detection.people import MAKES, is_common_word
from proxy.detection.phones import REFERENCE_WORDS

# A capitalised word of a street's name. A full stop inside it ("St.Jean") or ending a short
# abbreviation ("St.", "J.") belongs to it; one that ends a longer word ends the sentence
# ("la calle Fuencarral. 85 m²", "13 July. Centre Court's roof").
_CAP_WORD = r"(?:\p{Lu}\p{Ll}{0,2}\.|\p{Lu}(?:[\p{L}'\u2019\-]|\.(?=[\p{L}]))*+(?!\.[ \n]))"
_CAP = rf"(?:{_CAP_WORD}|\d+(?:er|e)?)"
_TOWN_WORD = r"\p{Lu}[\p{L}'\u2019\-]*+(?![\d])"
_TOWN_LINK = (
    r"(?:sur|sous|en|lès|lez|les|le|la|de|du|des|am|an|im|bei|de la|del|di|della|dei|e|y|"
    r"de los|de las|upon|on|under)"
)
_TOWN = rf"{_TOWN_WORD}(?:[ \-](?:{_TOWN_LINK}[ \-])?{_TOWN_WORD}){{0,3}}"

# France and Belgium
_FR_TYPES = (
    r"rue|avenue|av\.|bd|boulevard|bld|place|pl\.|allée|allee|chemin|ch\.|impasse|imp\.|quai|"
    r"route|rte|cours|square|passage|villa|cité|cite|faubourg|fbg|rond-point|résidence|"
    r"residence|lieu-dit|sentier|voie|hameau|esplanade|promenade|parvis|montée|côte|ruelle|"
    r"mail|chaussée|chaussee|drève|clos|lotissement|domaine|parc|venelle|traverse|square"
)
_FR_PARTICLES = (
    r"(?:de la|de l'|de l\u2019|des|du|de|d'|d\u2019|l'|l\u2019|la|le|les|aux|au|sur|en|et|à)"
)
# A number after a unit of distance or time is not a house number ("au km 22, place Louis XII",
# "à 7 h 37 voie K").
_NOT_AFTER_UNIT = r"(?<!(?<![\w])(?i:km|kms|mi|miles|min|kg|h)[ ])"
_FR_STREET = (
    rf"(?<![\w]){_NOT_AFTER_UNIT}\d{{1,4}}(?:[ ]?(?i:bis|ter|quater|[a-d]))?,?[ ]"
    rf"(?i:{_FR_TYPES})[ ]"
    rf"(?:{_FR_PARTICLES}[ ]?{_CAP}|{_CAP_WORD})(?:[ ](?:{_FR_PARTICLES}[ ]?)?{_CAP}){{0,5}}"
)
_FR_TOWN = (
    rf"(?:\d{{5}}|\d{{2}}[ ]\d{{3}}|[1-9]\d{{3}})[ ]{_TOWN}(?:[ ](?i:cedex)(?:[ ]\d{{1,2}})?)?"
)
_FR = rf"{_FR_STREET}(?:,?[ \n]+(?:(?i:bp|cs)[ ]\d+[ ,\n]+)?{_FR_TOWN})?"

# English (UK, US, Ireland)
_EN_TYPES = (
    r"Street|St\.?|Avenue|Ave\.?|Road|Rd\.?|Lane|Ln\.?|Drive|Dr\.?|Boulevard|Blvd\.?|Court|"
    r"Ct\.?|Place|Pl\.?|Way|Square|Sq\.?|Terrace|Close|Crescent|Parkway|Pkwy\.?|Highway|Hwy\.?|"
    r"Row|Gardens|Grove|Hill|Mews|Walk|Park|Rise|View|Circle|Trail|Wharf"
)
_UK_POSTCODE = r"[A-Z]{1,2}\d[A-Z\d]?[ ]?\d[A-Z]{2}"
_US_ZIP = r"[A-Z]{2}[ ]\d{5}(?:-\d{4})?"
_EN_STREET = (
    rf"(?<![\w]){_NOT_AFTER_UNIT}(?:(?:Flat|Apt\.?|Apartment|Suite|Unit)[ ]\w+,?[ ])?"
    r"(?:(?i:no)\.?[ ])?(?:\d{1,5}-)?\d{1,5}[A-Za-z]?,?[ ]"
    rf"(?:{_CAP_WORD}[ ]|\d+(?:st|nd|rd|th)[ ]){{1,4}}(?:{_EN_TYPES})(?![\w])"
    r"(?:[ ](?:NW|NE|SW|SE|N|S|E|W)(?![\w]))?"
)
_EN = (
    rf"{_EN_STREET}(?:,?[ ](?:(?:Apt\.?|Suite|Unit|Flat)[ ]\w+,?[ ])?{_TOWN}"
    rf"(?:,?[ ](?:{_UK_POSTCODE}|{_US_ZIP}|\d{{5}}))?)?"
)

# German, Austrian, Swiss German
_DE_SUFFIXES = (
    r"straße|strasse|str\.|weg|allee|platz|gasse|ring|damm|ufer|chaussee|steig|pfad|markt|berg|hof"
)
# "am Bismarckplatz 10-18 Uhr": opening hours, not a house number.
_NOT_HOURS = r"(?![ ]?(?:[\-\u2013][ ]?\d{1,2}(?:[:.]\d\d)?[ ]?)?Uhr(?![\w]))"
_DE = (
    rf"(?<![\w])(?:\p{{Lu}}[\p{{L}}\-]*(?:{_DE_SUFFIXES})"
    r"|\p{Lu}[\p{L}\-]+[ \-](?:Straße|Strasse|Str\.|Weg|Allee|Platz|Gasse|Ring|Damm))"
    rf"[ ]\d{{1,4}}(?:[\-\u2013]\d{{1,4}})?[ ]?[a-z]?(?![\w]){_NOT_HOURS}"
    rf"(?:,?[ \n]+(?:D-|A-|CH-)?\d{{4,5}}[ ]{_TOWN})?"
)

# Spanish, Catalan, Portuguese and Italian: the type, the name, then the number ("Rua
# Augusta 1508", "Rua Mouzinho de Albuquerque, 15", Argentina's "Bv. Oroño 1450")
_ES_TYPES = (
    r"Calle|C/|Avenida|Avda\.|Av\.|Plaza|Pza\.|Paseo|Pº|Camino|Carretera|Ctra\.|Ronda|"
    r"Travesía|Glorieta|Vía|Rambla|Carrer|Passeig|Bv\.|Bulevar|Rua|Rúa|Travessa|Praça|"
    r"Alameda|Estrada|Rodovia|Calçada|Praceta"
)
_IT_TYPES = r"Via|Viale|V\.le|Piazza|P\.zza|Piazzale|Corso|C\.so|Largo|Vicolo|Strada|Contrada|Borgo"
_WORD_CAP = _CAP_WORD
# Italian elides the article before a vowel: "Via dell'Indipendenza", "Via dell'Acqua
# Bullicante", "Piazza dell'Unità", "Via sull'Argine"; Florence writes "Via de' Bardi";
# Catalan "Carrer de l'Hospital", "Carrer dels Àngels"; Portuguese "Rua do Ouro".
_ES_IT_LINK = (
    r"(?:de l'|de l\u2019|de la|de los|de las|de les|dels|del|de'|de\u2019|de|dei|della|delle|"
    r"degli|di|da|do|dos|das|d'|d\u2019|dell'|dell\u2019|l'|l\u2019|"
    r"dall'|dall\u2019|all'|all\u2019|sull'|sull\u2019|nell'|nell\u2019)"
)
_ES_IT_NAME = (
    rf"(?:{_ES_IT_LINK}[ ]?)?{_WORD_CAP}(?:[ ](?:(?:{_ES_IT_LINK}|y|e)[ ]?)?{_WORD_CAP}){{0,4}}"
)
_ES_IT = (
    rf"(?<![\w])(?i:{_ES_TYPES}|{_IT_TYPES})[ ]?{_ES_IT_NAME},?[ ]"
    r"(?:(?i:nº|n\.º|n\.|núm\.|no\.|no|n°)[ ]?)?\d{1,4}(?:[\-\u2013]\d{1,4})?(?![\d])"
    r"(?:/?[A-Za-z](?![\w]))?"
    rf"(?:,[ ]?\d{{1,2}}(?![\d])\.?[º°ªoa]?"
    r"(?:[ ]?(?:[A-Za-z](?![\w])|\d{1,2}\.?[ºª°oa](?![\w])"
    r"|(?i:izquierda|derecha|izq|izda|dcha)\.?))?)?"
    rf"(?:,?[ ]\d{{5}}[ ]{_TOWN}(?:[ ]\([A-Z]{{2}}\))?)?"
)

# UK and US addresses whose street has no type word ("82 Kingsway", "10 Downing"), held
# together by the postcode or state and ZIP at the end.
_EN_POSTCODED = (
    rf"(?<![\w])(?:(?:Flat|Apt\.?|Apartment|Suite|Unit)[ ]\w+,?[ ])?\d{{1,5}}[A-Za-z]?,?[ ]"
    rf"(?:{_CAP_WORD}[ ]?){{1,4}},[ ]{_TOWN},?[ ](?:{_UK_POSTCODE}|{_US_ZIP})(?![\w])"
)

_POSTCODE_TOWN = (
    r"(?<![\w])(?:\d{5}|\d{2}[ ]\d{3})[ ]\p{Lu}[\p{L}'\u2019\-]+(?:[ ](?i:cedex))?(?![\w])"
)


# "12-14 avenue Victor Hugo", "Via Mazzini 22-24": a street with a range of numbers and no
# postcode is a building (a residence's general meeting, a shop, a site), not where a person
# lives; it counts only with an address cue near ("domicile", "wohnhaft", "address": the
# context words lift it over the policy's 0.5).
_BUILDING_SCORE = 0.4
_RANGE_BEFORE = re.compile(r"\d[ ]?[\-\u2013/][ ]?$")
_RANGE_AFTER = re.compile(r"[ ]?[\-\u2013][ ]?\d")
_RANGE_INSIDE = re.compile(r"\d[\-\u2013]\d")
# Colombia's "Calle 72 # 10-34": the dash joins the cross street's number to the house's.
_CROSS_STREET_NUMBER = re.compile(r"(?:#|(?i:no)\.?)[ ]?\d{1,3}[A-Z]?[ ]?[\-\u2013][ ]?\d")


def _preposition_via(text: str, start: int) -> bool:
    """ "Tickets via Gate 44": outside Italian text, a lower-case "via" before a common
    English word is the preposition ("via Roma 12" stays a street)."""
    if not text.startswith("via ", start):
        return False
    following = text[start + 4 :].split(" ", 1)[0]
    return is_common_word(following, "en")


def _numbered_range(text: str, start: int, end: int) -> bool:
    """Whether the street's number is one end of a range of numbers."""
    if _CROSS_STREET_NUMBER.search(text, start, end):
        return False
    return bool(
        _RANGE_BEFORE.search(text[max(0, start - 4) : start])
        or _RANGE_AFTER.match(text, end)
        or _RANGE_INSIDE.search(text, start, end)
    )


class AddressRecognizer(PatternRecognizer):
    """ADDRESS: a postal address in one of the supported countries' formats."""

    PATTERNS = (
        Pattern("address fr/be", _FR, 0.6),
        Pattern("address en", _EN, 0.6),
        Pattern("address en, postcode", _EN_POSTCODED, 0.85),
        Pattern("address de", _DE, 0.6),
        Pattern("address es/it", _ES_IT, 0.6),
        Pattern("postcode and town", _POSTCODE_TOWN, 0.3),
    )
    _TOWN_PART = re.compile(
        r"\d{4,5}[ ]\p{Lu}|[A-Z]{1,2}\d[A-Z\d]?[ ]?\d[A-Z]{2}|[A-Z]{2} \d{5}|, \p{Lu}"
    )

    def __init__(self, language: str, context: Sequence[str]) -> None:
        super().__init__(
            supported_entity="ADDRESS",
            name="AddressRecognizer",
            patterns=list(self.PATTERNS),
            context=list(context),
            supported_language=language,
            global_regex_flags=CASE_SENSITIVE,
        )

    def validate_result(self, pattern_text: str) -> bool | None:
        """A street with a postcode and town is near certain (0.85 via `analyze`)."""
        return None

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):  # type: ignore[no-untyped-def]
        """Presidio's pattern matching, then 0.85 for full addresses (street + town)."""
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        if self.supported_language != "it":
            results = [r for r in results if not _preposition_via(text, r.start)]
        for result in results:
            value = text[result.start : result.end]
            if result.score >= 0.6 and self._TOWN_PART.search(value, 3):
                result.score = 0.85
        streets = [
            (r.start, r.end, _BLOCK_STREET if r.score >= 0.6 else _BLOCK_TOWN) for r in results
        ]
        blocks = address_blocks(text, streets, regex_limits.seconds())
        kept = [
            r
            for r in results
            if not any(start <= r.start and r.end <= end for start, end, _ in blocks)
        ]
        for start, end, full in blocks:
            inside = [r.score for r in results if start <= r.start and r.end <= end]
            score = max([0.85 if full else 0.6, *inside])
            kept.append(RecognizerResult("ADDRESS", start, end, score))
        for result in kept:
            if result.score == 0.6 and _numbered_range(text, result.start, result.end):
                result.score = _BUILDING_SCORE  # a street alone, its number a range
            elif result.score >= 0.6:
                result.end = _with_places(text, result.end)
        return kept


# --- Address blocks ------------------------------------------------------------------------
# A postal address is often written over several lines or with parts the street patterns
# above do not hold: a flat or building line before it (`Apt. 3`, `Flat 2`, `Appt 12`,
# `Bât. A`, `Résidence les Tilleuls`), a floor or door after it (`Hinterhaus`, `2. OG links`,
# `3º izq.`, `bajo`, `int. 14`, `#785`), a PO box instead of a street, and the postcode line
# of its country (`Boulder, CO 80304`, `Halifax, NS B0G 8F1`, `Sydney NSW 2041`,
# `Leeds LS2 2QB`, `Cork T12 B9G2`, `14000 CAEN CEDEX`, `09173 Cagliari (CA)`, `3158 St.
# Pölten`, `1012 AB Amsterdam`, `00-950 Warszawa`, `113 51 Stockholm`). Each such part is a
# *component*; components that follow one another, separated only by commas, dashes, spaces
# or one line break, make one ADDRESS span (the corpus convention: one span per address).
# A block counts only if it holds a street or a PO box: a postcode line alone keeps the low
# score of `postcode and town`.

# An abbreviation with its full stop may start a town ("St. Gallen", "Ste. Foy"); a full
# stop after a whole word ends the sentence ("28013 Madrid. El abono").
_TOWN_BLOCK_WORD = r"(?:\p{Lu}\p{Ll}{0,2}\.(?=[ ]\p{Lu})|\p{Lu}[\p{L}'\u2019\-]*+)"
_TOWN_BLOCK = rf"{_TOWN_BLOCK_WORD}(?:[ \-](?:{_TOWN_LINK}[ \-])?{_TOWN_BLOCK_WORD}){{0,3}}"
_CA_POSTCODE = r"[A-CEGHJ-NPR-TVXY]\d[A-Z][ ]?\d[A-Z]\d"
_EIRCODE = r"[A-Z]\d[\dW][ ]?[\dA-Z]{4}"
_US_STATE = (
    r"A[KLRZ]|C[AOT]|D[CE]|FL|GA|HI|I[ADLN]|K[SY]|LA|M[ADEINOST]|N[CDEHJMVY]|O[HKR]|PA|RI|"
    r"S[CD]|T[NX]|UT|V[AT]|W[AIVY]"
)
_CA_PROVINCE = r"AB|BC|MB|NB|NL|NS|NT|NU|ON|PE|QC|SK|YT|\((?:Québec|Quebec|Ontario)\)"
_AU_STATE = r"NSW|VIC|QLD|SA|WA|TAS|NT|ACT"
_BR_STATE = r"AC|AL|AP|AM|BA|CE|DF|ES|GO|MA|MT|MS|MG|PA|PB|PR|PE|PI|RJ|RN|RS|RO|RR|SC|SP|SE|TO"

_BLOCK_STREET = "street"
_BLOCK_BOX = "box"
_BLOCK_UNIT = "unit"
_BLOCK_TOWN = "town"

_COMPONENTS: tuple[tuple[str, str], ...] = (
    # Streets the patterns above miss: number after the name in French-speaking Belgium and
    # Switzerland ("Rue Paul-Bert 12", "Square des Tilleuls 55"); Austrian door numbers
    # ("Bachplatz 1/4/9"); Australian unit/number ("1/32 Macquarie Street").
    (
        _BLOCK_STREET,
        rf"(?<![\w])(?i:{_FR_TYPES})[ ](?:{_FR_PARTICLES}[ ]?)?{_CAP}"
        rf"(?:[ ](?:{_FR_PARTICLES}[ ]?)?{_CAP}){{0,4}}[ ]\d{{1,4}}(?:[ ]?(?i:bis|ter|[a-d]))?"
        r"(?![\w])",
    ),
    (
        _BLOCK_STREET,
        rf"(?<![\w])\p{{Lu}}[\p{{L}}\-]*(?:{_DE_SUFFIXES})[ ]\d{{1,4}}[a-z]?(?:/\d{{1,3}}){{1,3}}"
        r"(?![\w/])",
    ),
    (
        _BLOCK_STREET,
        r"(?<![\w/])(?:\d{1,4}/)?\d{1,5}[A-Za-z]?[ ](?:\p{Lu}[\p{L}'\-]*[ ]){1,3}"
        r"(?:Parade|Esplanade|Quay|Circuit|Crest|Heights|Green|Vale|Glen|Loop|Pass|Ridge|Tce|"
        rf"Pde|Cres|Cl|{_EN_TYPES})\.?(?![\w])",
    ),
    # Colombia: the street's type and number, "#" and the cross street's number, a dash and
    # the house's ("Calle 72 # 10-34", "Carrera 7 # 72-41", "Cra. 15 No. 93-07", "Av.
    # Calle 26 # 68C-61", "Transversal 5 Bis # 12-40").
    (
        _BLOCK_STREET,
        r"(?<![\w])(?:Av\.[ ])?(?:Calle|Carrera|Cra\.?|Cr\.|Kra\.?|Cl\.|Avenida|Av\.|"
        r"Transversal|Tv\.|Diagonal|Dg\.|Autopista)[ ]\d{1,3}[A-Z]?"
        r"(?:[ ](?:Bis|bis|Sur|sur|Este|este|[A-Z](?![\w])))?[ ]?(?:#|(?i:no)\.?)[ ]?"
        r"\d{1,3}[A-Z]?[ ]?[\-\u2013][ ]?\d{1,3}(?![\w\-])",
    ),
    # Wales and Ireland write the street's type first: "7 Heol y Coed", "12 Stryd Fawr",
    # "4 Sráid an Droichid", "9 Bóthar na Trá".
    (
        _BLOCK_STREET,
        r"(?<![\w])\d{1,4}[A-Za-z]?[ ](?:Heol|Stryd|Ffordd|Lôn|Sráid|Bóthar|Bothar|Sraid|Ascaill)"
        r"(?:[ ](?:y|yr|an|na|a'|'r)?[ ]?\p{Lu}[\p{L}'\-]+){1,3}(?![\w])",
    ),
    (
        _BLOCK_BOX,
        r"(?<![\w])(?:(?i:P\.?[ ]?O\.?[ ]Box|Post[ ]Office[ ]Box|Box|BP|B\.P\.|CS|TSA|Postbus|"
        r"Apartado(?:[ ]de[ ]correos)?|Apdo\.?|Casella[ ]postale|C\.P\.|CP|Postboks|Box)[ ]"
        r"\d{1,6}|Postfach(?:[ ]\d{2}(?:[ ]\d{2}){1,2}|[ ]\d{1,6}))(?![\w])",
    ),
    (
        _BLOCK_UNIT,
        r"(?<![\w])(?:(?i:Flat|Apt\.?|Apartment|Suite|Ste\.?|Unit|Room|Appt\.?|Apt|App\.?|"
        r"Appartement|Bât\.?|Bâtiment|Batiment|Escalier|Esc\.|Étage|Whg\.?|Wohnung|Top|"
        r"Piso|Puerta|Portal|Escalera|Esc|Depto\.?|Dpto\.?|Departamento|int\.|interno|scala|"
        r"piano|Stiege|Stg\.?|Tür|Boîte|Bte\.?|Bus|lot|Lot|Bloque|Edificio|Haus|Pta\.?|"
        # Latin America's "apto 502", "Int. 8"; Poland's "m. 7" (mieszkanie); a building
        # ("imm. 4"), a room in a residence or a hall ("chambre 14", "hab. 214", "Zimmer 3"),
        # a unit on an industrial estate ("nave 14")
        r"Apto\.?|Aptº|Apartamento|m\.|imm\.|Immeuble|chambre|ch\.|hab\.|habitación|Zimmer|"
        r"camera|nave|porte)"
        # a note on the flat in brackets: "Flat 1 (ground floor)", "Apt 3 (rear)"
        r"[ ]?[A-Z\d]{1,4}\b(?:[ ]\((?i:ground|first|second|top|basement|rear|back|front|"
        r"upper|lower|garden)[ \p{Ll}]{0,16}\))?|#[ ]?\d{1,5}[A-Z]?"
        r"|\d{1,2}\.?[ºª°oa][ ]?\d{1,2}\.?[ºª°oa]"
        r"|\d{1,2}\.?[ºª°oa][ ]?(?i:izquierda|derecha|Dto\.?|Esq\.?)"
        # Spain's principal floor and a side written alone ("pral. 2.ª", "int. izq."),
        # Catalan floors and doors ("5è 1a", "3r 2a", "4t")
        r"|(?i:pral\.?|principal|int\.[ ]?(?:izq|izda|dcha)\.?|izq\.|izda\.|dcha\.|"
        r"izquierda|derecha)"
        r"|\d{1,2}(?:r|n|t|è)(?:[ ]\d{1,2}a)?"
        r"|\d{1,2}(?:e|er|ème)[ ](?i:étage)"
        # a residence, a retirement home, a hall of residence ("résidence Les Tilleuls",
        # "Seniorenresidenz Am Park", "Residencia Universitaria Colegio Mayor San Pablo")
        r"|(?:[Rr]ésidence|[Rr]esidencia|[Rr]esidenza|\p{Lu}\p{Ll}*residenz|Residenz)"
        r"(?:[ ](?:les|le|la|des|du|de|del|l'|Les|Le|La|Am|Im|An|Zum|Zur)?[ ]?"
        r"\p{Lu}[\p{L}\-']+){1,6}"
        r"|Hinterhaus|Vorderhaus|Seitenflügel|Gartenhaus|\d{1,2}\.[ ](?:OG|Obergeschoss|Stock|"
        r"Etage)(?:[ ](?:links|rechts|Mitte))?|EG(?:[ ](?:links|rechts))?"
        r"|\d{1,2}\.?[º°ªoa](?:[ ]?(?:[A-H]|dcha\.?|izq\.?|izda\.?|dcha|centro|interior|exterior))?"
        r"|bajo(?:[ ][A-Z](?![\w]))?|entresuelo|ático|(?:\d{1,2}(?:st|nd|rd|th)[ ])Floor)(?![\w])",
    ),
    # A c/o line naming a firm or a practice ("c/o Studio Dentistico Lanza", "c/o Cabinet
    # dentaire des Halles"; a person's name after c/o is a PERSON of its own, found by the
    # name rules) and a British house or building name ("The Old Forge", "Kingfisher
    # House", "The Maltings") before the street.
    (
        _BLOCK_UNIT,
        r"(?<![\w])(?i:c/o)[ ](?=[^\n,;:]{0,30}?(?<![\w])(?i:studio|cabinet|clinic|clínica|"
        r"clinica|clinique|practice|praxis|ordination|kanzlei|buchhandlung|hotel|hôtel|société|"
        r"firma|gmbh|ltd|sarl|srl|dental|dentaire|dentistico|legale|notaire|notaio|abogados|"
        r"avocats|bank|banque|banca|school|école|scuola|hospital|hôpital|ospedale|restaurant|"
        r"résidence|residencia|residenza|agentur|agence|agencia|agenzia)(?![\w]))"
        r"[^\n,;:]{1,40}?(?=[ \t]*(?:,|\n))"
        r"|(?<![\w])(?:The[ ])?(?:\p{Lu}[\p{L}'\-]+[ ]){0,2}(?:House|Court|Cottage|Farm|Forge|"
        r"Rectory|Vicarage|Lodge|Mill|Barn|Manor|Maltings|Mansions|Buildings|Apartments|"
        r"Granary|Coach[ ]House|Old[ ]School)(?![\w])",
    ),
    (
        _BLOCK_TOWN,
        rf"(?<![\w])(?:\d{{5}}|\d{{2}}[ ]\d{{3}}|\d{{3}}[ ]\d{{2}}|\d{{2}}-\d{{3}}|\d{{4}}-\d{{3}}"
        rf"|[1-9]\d{{3}}(?:[ ]?[A-Z]{{2}}(?=[ ]\p{{Lu}}))?|(?:D|A|CH|F|B|L|NL)-\d{{4,5}}"
        rf"|0\d{{3}}|[A-Z]\d{{4}}(?:[A-Z]{{3}})?|\d{{6}}|AD\d{{3}})[ ]"
        rf"{_TOWN_BLOCK}(?:[ ]\([A-Z]{{2}}\))?(?:[ ](?i:cedex)(?:[ ]\d{{1,2}})?)?(?![\w])",
    ),
    (
        _BLOCK_TOWN,
        # (Dublin writes its postal district after the town: "Dublin 7, D07 X2V1")
        rf"(?<![\w]){_TOWN_BLOCK}(?:[ ]\d{{1,2}}W?(?=,?[ ]{_EIRCODE}))?,?[ ]"
        rf"(?:(?:{_US_STATE})[ ]\d{{5}}(?:-\d{{4}})?"
        rf"|(?:{_CA_PROVINCE})[ ]{{1,2}}{_CA_POSTCODE}|(?:{_AU_STATE})[ ]\d{{4}}"
        rf"|(?:Co\.[ ]\p{{Lu}}\p{{L}}+[ ])?{_EIRCODE}|{_UK_POSTCODE})(?![\w])"
        # the postcode on a line of its own ("Stockport⏎SK4 3DL")
        rf"|(?<![\w]){_TOWN_BLOCK},?\n(?:{_UK_POSTCODE}|{_EIRCODE})(?![\w])",
    ),
    # Brazil: the town, a dash and its state, then the CEP ("São Paulo - SP, 01304-001");
    # Mexico: the colonia before the postcode line ("Col. Roma Norte").
    (
        _BLOCK_TOWN,
        rf"(?<![\w]){_TOWN_BLOCK}[ ]?[\-\u2013/][ ]?(?:{_BR_STATE})"
        r"(?:,?[ ]\d{5}-?\d{3}(?![\w\-])|(?=[ \t]*(?:,|\n|$)))"
        r"|(?<![\w])\d{5}-\d{3}(?![\w\-])",
    ),
    (
        _BLOCK_UNIT,
        r"(?<![\w])(?:Col\.|Colonia)[ ]\p{Lu}[\p{L}\-]+"
        r"(?:[ ](?:(?:de|del|la)[ ])?\p{Lu}[\p{L}\-]+){0,3}(?![\w])",
    ),
)
# The postcode after the town, where Morocco, Romania, India and Japan write it ("…, Rabat
# 10020", "…, Chennai 600090", "…, Tokyo 180-0004"): a town the gazetteer knows, so that a
# standard's or a product's number ("ISO 9001, Qualitätsmanagement 27001") is not one.
_TOWN_THEN_POSTCODE = re.compile(
    r"(?<=,[ ])(?P<town>\p{Lu}\p{Ll}[\p{L}'\u2019\-]*(?:[ \-]\p{Lu}\p{Ll}[\p{L}'\u2019\-]*){0,2})"
    r"[ ](?:\d{5,6}|\d{3}-\d{4})(?![\w\-])",
    re.VERSION1,
)
# A street of any country whose type word none of the patterns knows ("Storgata 12B",
# "Olav Kyrres gate 19", "Am Sandtorkai 30", "Rua Augusta 120", "Gorriti 4820"): capitalised
# words then a house number. Alone it is too weak (a product and its model number look the
# same); it counts only next to a postcode line.
_BLOCK_NAMED_NUMBER = "named number"
# Poland writes "ul." (ulica), "al." (aleja) or "os." (osiedle) before the name ("ul. Długa
# 14 m. 7"); the Netherlands a floor or flat after a dash ("Keizersgracht 221-3",
# "Lijnbaansgracht 214-III", "Prinsengracht 89-H").
# Japan numbers the block, the lot and the building before the district's name ("2-14-7
# Kichijoji Honcho", "1-3-12 Nishi-Shinjuku"): like a name and a number, only next to a
# postcode line.
_JAPANESE_BLOCK = re.compile(
    r"(?<![\w\-])\d{1,2}-\d{1,3}-\d{1,3}[ ]\p{Lu}[\p{L}\-]+(?:[ ]\p{Lu}[\p{L}\-]+){0,2}(?![\w])",
    re.VERSION1,
)
_NAMED_NUMBER = re.compile(
    r"(?<![\w])(?:(?:Am|An|Im|Auf|Rua|Av\.|Avda\.|Via|Rue|Calle|C/|ul\.|al\.|os\.|Str\.|Calea)[ ])?"
    r"\p{Lu}[\p{L}'\-]+"
    r"(?:[ ](?:(?:de|da|do|dos|das|del|della|dei|degli|delle|di|la|le)[ ])?"
    r"(?:\p{Lu}[\p{L}'\-]+|gate|gata|"
    r"vej|väg|vägen|straat|laan|utca|ulica)){0,3}[ ]\d{1,4}[A-Za-z]?"
    r"(?:-(?:\d{1,3}|[IV]{1,4}|[A-Za-z])(?![\w\-/]))?(?:/\d{1,3}){0,3}(?![\w/])"
    r"(?![.,]\d)",  # not a version ("OpenSSL 3.0.13") nor an amount
    re.VERSION1,
)
# Words of a "name and number" that is a reference, a vehicle or a room, not a street.
_NOT_A_STREET = frozenset(REFERENCE_WORDS) | frozenset(
    {
        "flight", "vol", "flug", "vuelo", "volo", "train", "zug", "tren", "treno", "bus",
        "frecciarossa", "intercity", "ice", "tgv", "ave", "room", "salle", "sala", "raum",
        "platform", "gleis", "binario", "andén", "quai", "terminal", "version",
        "release", "model", "modèle", "modell", "modelo", "modello", "page", "seite", "página",
        "pagina", "chapter", "kapitel", "capítulo", "capitolo", "article", "artikel", "artículo",
        "articolo", "step", "level", "niveau", "stufe", "nivel", "livello", "total", "summe",
    }
) | MAKES  # fmt: skip
# "In 2019", "Since 2023", "Seit 2021", "Desde 2018": a small word and a year open a
# sentence, no street does.
_YEAR_AFTER_A_WORD = re.compile(r"\p{Lu}\p{Ll}{1,5}[ ](?:19|20)\d{2}")


def _a_year_after_a_word(value: str) -> bool:
    """A word of the five languages' stop words, then a year: a sentence's opening."""
    from proxy.detection.places import stop_words  # noqa: PLC0415 - people imports places

    return (
        _YEAR_AFTER_A_WORD.fullmatch(value) is not None
        and value.split(maxsplit=1)[0].casefold() in stop_words()
    )


_COMPONENT_PATTERNS = tuple(
    (kind, re.compile(pattern, re.VERSION1)) for kind, pattern in _COMPONENTS
)
# What may stand between two parts of one address: commas, dashes, spaces, one line break.
_JOINT = re.compile(r"[ \t]*(?:[,/\-\u2013][ \t]*)?(?:\n[ \t]*)?(?:[,\-\u2013][ \t]*)?")
# Between a street and its postcode line, one or two short parts no pattern knows, each
# between commas: a floor, a door, a staircase or a district ("Burgstraße 3, Dachgeschoss,
# 01067 Dresden", "Karl-Marx-Allee 93, Aufgang B, 10243 Berlin", "Via Sant'Antonio Abate 17,
# piano terra, 73100 Lecce", "Fondamenta dei Ormesini 2713, Cannaregio, 30121 Venezia",
# "58 boulevard de Belleville, esc. C, 4e gauche, 75020 Paris"), and the rest of a unit a
# pattern cut short ("2e étage gauche", "piano 4°", "2.º 2"), not a sentence after a full stop;
# the district may start the next line ("27 Cavendish Road⏎Heaton Moor, Stockport⏎SK4 3DL").
_BRIDGE = re.compile(
    r"(?:[ \t]*\n?[ \t]*(?:[^\n,;:!?().]|\.(?![ \t\n])){1,12}?)?[ \t]*,[ \t]*"
    r"(?:\d{0,4}[^\n,;:!?()\d]{1,24}\d{0,4}[ \t]*,[ \t]*){0,2}"
)


# A street without a house number, as rural and British addresses write it ("Church Street,
# Broseley TF12 5DA", "Lieu-dit La Borie, 12390 Rignac", "Località Poggio alla Croce 4",
# "route des Sanguinaires, 20000 Ajaccio"): like a name and a number, it counts only next to
# a postcode line.
_NUMBERLESS_STREET = re.compile(
    r"(?<![\w])(?:(?:\p{Lu}[\p{L}'\-]+[ ]){1,3}(?:Street|Road|Lane|Close|Green|Row|Hill|"
    r"Terrace|Crescent|Avenue|Drive|Way|Walk|Gardens|Grove|Place|Square)"
    r"|(?i:lieu-dit|hameau|route|chemin|località|localita|contrada|frazione|borgata|"
    r"polígono|poligono|urbanización|paraje|partida|zone[ ]artisanale|zone[ ]industrielle|"
    r"zone[ ]commerciale|zone[ ]d'activités?|parc[ ]d'activités|zona[ ]industriale|"
    r"zona[ ]artigianale|polígono[ ]industrial|Gewerbegebiet|Industriegebiet)[ ]"
    r"(?:(?:de[ ]la|de[ ]l'|des|du|de|d'|la|le|les|l'|di|del|della|dei|alla|al)[ ]?)?"
    r"\p{Lu}[\p{L}'\-]+(?:[ ](?:(?:de|des|du|la|le|les|di|del|della|alla|al|e)[ ])?"
    r"\p{Lu}[\p{L}'\-]+){0,3})(?![\w])",
    re.VERSION1,
)


# A French rural address names its hamlet or farm, with an article, where a street would be
# ("Adresse : La Haute Ville, 35190 Tinténiac", "Le Bourg, 23200 Saint-Pardoux-le-Neuf",
# "Chez M. Jacquier⏎La Combe, 73800 Arbin"): at a line's start or after an address label,
# and like a numberless street it counts only next to a postcode line. Its words are words,
# not acronyms ("Le TGV 6611 Paris-Gare de Lyon" is a train).
_HAMLET = re.compile(
    r"(?:(?<=^[ \t]*)|(?<=(?i:adresse|domicile|address|anschrift|dirección|domicilio|"
    r"indirizzo)[ \t]*:[ \t]*))"
    r"(?:Le|La|Les|L'|L\u2019)[ ]?\p{Lu}\p{Ll}[\p{L}'\-]*"
    r"(?:[ ](?:(?:de|des|du|la|le|les|aux)[ ])?\p{Lu}\p{Ll}[\p{L}'\-]*){0,2}(?![\w])",
    re.VERSION1 | re.MULTILINE,
)


def address_blocks(
    text: str, found: Sequence[tuple[int, int, str]], timeout: float
) -> list[tuple[int, int, bool]]:
    """Address blocks in `text`: runs of adjacent components (`found` street spans plus the
    components found here), each kept only if it holds a street or PO box. Each block is
    returned with whether it also holds a postcode line (a full address)."""
    parts = list(found)
    parts.extend(
        (match.start(), match.end(), _BLOCK_NAMED_NUMBER)
        for match in _NAMED_NUMBER.finditer(text, timeout=timeout)
        if not _NOT_A_STREET & {word.casefold() for word in match.group().split()}
        and not _a_year_after_a_word(match.group())
    )
    for pattern in (_NUMBERLESS_STREET, _JAPANESE_BLOCK, _HAMLET):
        parts.extend(
            (match.start(), match.end(), _BLOCK_NAMED_NUMBER)
            for match in pattern.finditer(text, timeout=timeout)
        )
    for kind, pattern in _COMPONENT_PATTERNS:
        if kind in {_BLOCK_UNIT, _BLOCK_TOWN} and not any(
            part[2] in {_BLOCK_STREET, _BLOCK_BOX, _BLOCK_NAMED_NUMBER} for part in parts
        ):
            break  # no street nor PO box: no block to find (most texts; saves the cost)
        parts.extend(
            (match.start(), match.end(), kind) for match in pattern.finditer(text, timeout=timeout)
        )
    if any(part[2] in {_BLOCK_STREET, _BLOCK_BOX, _BLOCK_NAMED_NUMBER} for part in parts):
        from proxy.detection.gazetteer import is_place  # noqa: PLC0415

        parts.extend(
            (match.start(), match.end(), _BLOCK_TOWN)
            for match in _TOWN_THEN_POSTCODE.finditer(text, timeout=timeout)
            if is_place(match.group("town"))
        )
    # At one start, the longest part first: "Tokyo 180-0004" is a postcode line before it is
    # a name and a number ("Tokyo 180"), so a street before it reaches it over a district.
    parts.sort(key=lambda part: (part[0], -part[1], part[2]))
    blocks: list[tuple[int, int, set[str]]] = []
    for start, end, kind in parts:
        if blocks:
            last_start, last_end, kinds = blocks[-1]
            joint = _JOINT.match(text, last_end, start) if start >= last_end else None
            if start < last_end or (joint is not None and joint.end() == start):
                blocks[-1] = (last_start, max(last_end, end), kinds | {kind})
                continue
            if kind in {_BLOCK_TOWN, _BLOCK_UNIT} and kinds & {_BLOCK_STREET, _BLOCK_NAMED_NUMBER}:
                bridge = _BRIDGE.match(text, last_end, start)
                if bridge is not None and bridge.end() == start:
                    blocks[-1] = (last_start, end, kinds | {kind})
                    continue
        blocks.append((start, end, {kind}))
    return [
        (start, end, _BLOCK_TOWN in kinds)
        for start, end, kinds in blocks
        if kinds & {_BLOCK_STREET, _BLOCK_BOX}
        or (_BLOCK_NAMED_NUMBER in kinds and _BLOCK_TOWN in kinds)
    ]


# What may follow an address and belongs to it: its town, province or country ("…, Cádiz",
# "⏎Glasgow", "(Cádiz)", "…, Portugal"), with its district's initials ("Bogotá D.C."), and
# a postcode on its own ("⏎G20 6NQ", ", D06 F6K3", ", 75011").
_AFTER_ADDRESS = re.compile(
    r"[ \t]*(?:,[ \t]*|\n[ \t]*|\()"
    r"(?:(?P<place>\p{Lu}[\p{L}'\-]+(?:[ \-]\p{Lu}[\p{L}'\-]+){0,2})(?:[ ]D\.[ ]?C\.)?\)?"
    rf"|(?P<code>{_UK_POSTCODE}|{_EIRCODE}|\d{{5}}|\d{{4}}-\d{{3}}))(?![\w])"
)


def _with_places(text: str, end: int) -> int:
    """The end of an address, with the town, province, country or postcode written after
    it, up to three of them. A district the gazetteer does not know belongs to it when it
    stands between commas before a known place ("…, depto. 1504, Providencia, Santiago,
    Chile"; not "⏎Thanks, Anna")."""
    from proxy.detection.gazetteer import is_place  # noqa: PLC0415

    def known(after: re.Match[str] | None) -> bool:
        return after is not None and bool(after.group("code") or is_place(after.group("place")))

    for _ in range(3):
        after = _AFTER_ADDRESS.match(text, end)
        if after is None:
            break
        if not known(after):
            following = _AFTER_ADDRESS.match(text, after.end())
            between_commas = after.group().lstrip(" \t").startswith(",") and (
                following is not None and following.group().lstrip(" \t").startswith(",")
            )
            if not (after.group("place") and between_commas and known(following)):
                break
            after = following
        end = after.end()
    return end
