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

from functools import cache

import regex as re
from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from proxy.detection import regex_limits
from proxy.detection.context import phrase_pattern
from proxy.detection.gazetteer import is_big_place, is_country, is_place
from proxy.detection.name_index import (
    COMMON_ANYWHERE,
    COMMON_IN,
    Flag,
    flags,
    is_first_name,
    is_unambiguous_first_name,
)

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
        "currently in", "now in", "living at", "studies in", "studying in", "studied in",
        "back to", "moved back to", "address in", "calling from", "called from", "call from",
        "rang from", "phoning from", "freelance in", "freelancer in", "freelancing in",
        "self-employed in", "moves to", "moves from", "commutes from",
        # the other persons and tenses of living, growing up, settling
        "we live in", "they live in", "raised in", "emigrated to", "retired to", "settled in",
        "hails from", "she's from", "he's from", "shes from", "hes from", "i'm from", "im from",
        "i am from", "we're from", "we are from", "they're from", "they are from",
    ),
    "fr": (
        "habite à", "habite au", "habite en", "habitant à", "vit à", "vivant à", "demeurant à",
        "domicilié à", "domiciliée à", "domicilié au", "résidant à", "réside à", "résident à",
        "né à", "née à", "né(e) à", "originaire de", "originaire d'", "originaire du",
        "originaires de", "originaires d'", "installé à", "installée à",
        "déménagé à", "déménage à", "lieu de naissance", "ville de résidence", "domicile à",
        "retour à domicile à", "huissier de justice à", "distributeur de", "commerçant à",
        "je suis à", "suis à", "ville :", "fait à", "séjourné à", "serai à", "habite",
        "habitent", "habitait", "j'habite", "étudiant à", "étudiante à", "étudie à",
        "s'installer à", "s'installer en", "rentré à", "rentrée à", "adresse à", "vivre à",
        "appelle de", "appelle depuis", "appelé de", "appelé depuis", "appelée de",
        "appelée depuis", "téléphone de", "freelance à", "indépendant à", "indépendante à",
        "arrivé à", "arrivée à", "arrivés à", "basé à", "basée à", "basé en", "basée en",
        "habitons à", "habitez à", "habitent à", "habitons en", "vivons à", "vivent à", "vis à",
        "vivait à", "vécu à", "grandi à", "né en", "née en", "demeure à", "domiciliée en",
        "domicilié en",
    ),
    "de": (
        "wohnhaft in", "wohnt in", "lebt in", "wohne in", "lebe in", "geboren in", "wohnort",
        "geburtsort", "zugezogen nach", "umgezogen nach", "zieht nach", "ansässig in",
        "sitzt in", "nach hause in", "entlassung nach hause in", "automaten in", "geldautomaten in",
        "filiale in", "stammt aus", "kommt aus", "bin in", "bin gerade in", "wohnhaft:",
        "studiert in", "zurück nach", "adresse in", "heimatort", "rufe aus", "ruft aus",
        "anruf aus", "freiberuflich in", "selbständig in", "selbstständig in", "pendelt aus",
        "pendelt von", "zieht von",
        "wohnen in", "wohnte in", "wohnten in", "wohnst in", "leben in", "lebte in",
        "lebten in", "lebst in", "aufgewachsen in", "stamme aus", "stammen aus", "zuzug aus",
        "zuzug von", "gebürtig aus", "ursprünglich aus",
    ),
    "es": (
        "vive en", "reside en", "residente en", "nacido en", "nacida en", "natural de",
        "domiciliado en", "domiciliada en", "lugar de nacimiento", "se mudó a", "se muda a",
        "vecino de", "vecina de", "con sede en", "cajero de", "domicilio en", "alta a domicilio en",
        "estoy en", "vivo en", "estudia en", "vivir a", "vivir en", "vivió en", "vivía en",
        "dirección en", "se fue a", "volvió a", "llamo desde", "llamó desde", "llama desde",
        "llamando desde", "autónomo en", "autónoma en", "freelance en", "se muda de",
        "se traslada a", "se trasladó a", "llegó a", "llegó bien a", "llegué a", "se va a",
        "se ha mudado a", "me he mudado a", "nos hemos mudado a", "se mudará a", "afincado en",
        "afincada en",
        "vivimos en", "viven en", "vives en", "vivían en", "vivieron en", "viví en",
        "residimos en", "residen en", "resido en", "nací en", "nació en", "nacimos en",
        "crecí en", "creció en", "criado en", "criada en", "soy de", "somos de", "oriundo de",
        "oriunda de", "empadronado en", "empadronada en", "procedente de",
    ),
    "it": (
        "vive a", "vive in", "abita a", "abita in", "residente a", "residente in", "nato a",
        "nata a", "domiciliato a", "domiciliata a", "luogo di nascita", "trasferito a",
        "trasferita a", "con sede a", "bancomat di", "domicilio a", "dimissione a domicilio a",
        "vivo a", "vivo in", "sono a", "studia a", "vivere a", "vivere in", "vissuto a",
        "viveva a", "tornata a", "tornato a", "indirizzo a", "chiamo da", "ha chiamato da",
        "chiama da", "chiamando da", "freelance a", "libero professionista a",
        "si trasferisce a", "si è trasferito a", "si è trasferita a", "arrivato a",
        "arrivata a", "arrivati a", "cresciuto a", "cresciuta a", "cresciuti a",
        "cresciuto in", "cresciuta in", "si è spostato a", "si è spostata a",
        "viviamo a", "viviamo in", "vivono a", "vivono in", "vivi a", "viveva in",
        "vivevano a", "abito a", "abito in", "abitiamo a", "abitano a", "abitano in",
        "abitava a", "risiede a", "risiede in", "residenti a", "sono nato a", "sono nata a",
        "nati a", "originario di", "originaria di", "proveniente da", "provenienti da",
    ),
}  # fmt: skip


# Words that say a clause is about where someone is from, lives, was born or was: a place
# after a locative preposition later in the same clause is tied to that person ("born on
# 16 Jan 2004 in Bunbury", "nacida el 8 de mayo de 1958 en Tarragona", "Accident survenu
# le 3 mai à Colmar"). Word starts, any language: a text mixes them.
# Verbs and nouns of travel, leaving, coming back and staying: "flight to Marrakech", "zieht
# von Tuzla", "viajó a Tánger", "il part demain pour Hô-Chi-Minh-Ville", "rientrata in
# Albania". A company or a parcel travels too, so these tie a place only with a person near.
_MOTION_WORDS = (
    r"flying|fly|coming|landing|lands|landed|drive|driving|drove|leave|leaving|arriving|"
    r"reisen|reist|reiste|gereist|fliegt|fliegen|rückkehr|zurückkehr\w*|zurückzieh\w*|verlässt|"
    r"verlassen|viajó|viajar|regresa|regresó|regresar|trasladarse|"
    r"quitt\w*|quitté\w*|partir|déplacement|rendre|rentré\w*|"
    r"rientr\w*|andat[oaie]|partire|lasciat[oaie]|tornare|"
    # coming from, going back, arriving, going ("Viene de Cali", "il vient de Rouen",
    # "vuelve de Nador", "su llegada a Madrid", "se ha ido de Elche", "tengo que ir a Rosario")
    r"viene|vienen|vient|viennent|vengo|venir|vuelven?(?=[ \t]+del?[ \t])|volver|ido|ir|"
    r"(?<=(?:su|mi|tu|sua|mia|ihre|seine|his|her|son|sa|ma)[ \t])(?:llegada|arrivée|arrivo|"
    r"ankunft|arrival)|irme|irse|flight|flug|vuelo|volo|"
    # holidays and remote work somewhere ("in ferie a Nuoro", "en télétravail depuis
    # Abidjan", "Heimarbeitsplatz in Graz"), being somewhere ("si trovava a")
    r"ferie|vacances|vacaciones|urlaub|holiday|vacation|télétravail|teletrabajo|telelavoro|"
    r"heimarbeitsplatz|homeoffice|trovava|trova|trovo|trouve|trouvait|"
    # a holiday ("Familienurlaub auf Mallorca", "vacanze dai nonni a Catania"); not a trip,
    # which a team makes as often ("a staff trip to Portsmouth")
    r"\w*urlaub|vacanz[ae]"
)
# Working or studying somewhere ("su pareja trabaja en Lleida", "lavora come cuoco a
# Taormina"): weak ties too, and since one works *at* a firm ("worked at Arden Fabrication",
# "lavorato con Fabiola in Ecomind", "jours travaillés par an et 10 jours de RTT") only a
# place the gazetteer lists is tied by them.
_WORK_WORDS = (
    r"works|working|worked|travaill\w*|arbeitet|arbeitete|trabaj[aoó]\w*|lavor[aoi]\w*|"
    r"studies|studying|studiert|étudie|estudia|studia"
)
_TIE_WORDS = (
    # en
    r"born|birth|birthplace|lives?|lived|living|resid\w*|moved?|moving|relocat\w*|grew|"
    r"hometown|native|stay(?:s|ed|ing)?|based|domiciled|citizen|accident|crash|collision|"
    r"travel\w*|flies|flew|flying|visiting|returned|returning|transfer|secondment|moves|"
    r"commut\w*|pendelt|trasferisce|traslada|muda|llegó|arrivat[oaie]|angekommen|"
    # leaving a country for good, growing up, being from ("Marianne emigrated to Auckland",
    # "originally from Enugu", "me crié en Constanța", "emigrata in Argentina")
    r"emigrat\w*|immigrat\w*|originally|émigr\w*|immigr[ée]\w*|ausgewandert|"
    r"auswander\w*|eingewandert|emigr[óoéa]\w*|inmigr\w*|cri[éó]|crecí|creció|"
    r"emigrat[oaie]|immigrat[oaie]|"
    # fr
    r"née?s?|naissance|habit\w+|vit|vivai\w*|vivant|demeur\w*|domicili\w*|réside\w*|résidant|"
    r"originaire|install[ée]e?s?|déménag\w*|grandi|accident|survenu\w*|sinistre|"
    r"mutation|muté\w*|arrive\w*|rentre\w*|séjourn\w*|"
    # de
    r"geboren|geb|geburt\w*|wohn\w*|lebt|lebe|lebte|ansässig|stamm\w*|umgezogen|zieht|gezogen|"
    r"aufgewachsen|unfall\w*|ereignet\w*|wechseln|umzug|versetzung|ursprünglich|"
    # es
    r"nacid[oa]s?|naci[óo]|nací|nacimiento|viv[eoí]\w*|domicili\w*|vecin[oa]s?|natural|mud[óo]|"
    r"mudad[oa]|mudé|mudamos|mudaron|mudarme|mudarse|trasladad[oa]|criad[oa]|accidente|"
    r"siniestro|ocurri\w*|empadronad[oa]|"
    r"traslado|viaja\w*|"
    # it
    r"nat[oaie]|nascita|abit\w+|vivo|vive|residente|trasferit[oaie]|cresciut[oaie]|"
    r"originari[oa]|incidente|avvenut[oaie]|domicilio|risied\w*|trasferimento|tornat[oa]|"
    r"arrivan[oa]|arriva|sono di|partì|partito|partita|"
    # a death: the place is where a person died ("falleció el mes pasado en Cáceres")
    r"died|passed away|décédée?|décès|verstorben|gestorben|starb|falleci\w*|murió|"
    r"mort[oa]|decedut[oa]|decesso|"
    # travel and stays, in the five languages: they need a person near (`_WEAK_TIE_WORDS`)
    rf"{_MOTION_WORDS}|{_WORK_WORDS}"
)
# A locative preposition (and article) right before the place.
_BEFORE_PLACE = (
    r"(?<![\w])(?:in|at|near|to|à|a|ad|au|aux|en|nach|zu|im|bei|aus|da|di|de|from|per|hacia|para|"
    r"desde|von|vers|depuis|pour|dal|dalla|dai|into)"
    r"(?:[ \t]+(?:the|la|le|les|der|die|dem|den|el|los|las|il|lo))?[ \t]+(?:l['\u2019])?$"
)
# Form labels whose value is where a person lives or was born ("Ville : Colmar",
# "Geburtsort: Graz", "Città: Bari"); not a bare "Place:", which may be an event's.
_PLACE_LABELS = (
    r"place of birth|city|town|hometown|residence|city of residence|country of residence|"
    r"lieu de naissance|ville|commune|ville de résidence|lieu de résidence|"
    r"wohnort|geburtsort|stadt|wohnsitz|heimatort|herkunftsort|"
    r"lugar de nacimiento|ciudad|localidad|municipio|lugar de residencia|poblacion|población|"
    r"luogo di nascita|città|citta|comune|località|localita|luogo di residenza|"
    r"previous address|former address|bisherige wohnung|frühere wohnung|herkunft|provenienza|"
    r"origine|procedencia|lugar de origen|proveniente da|zuzug aus|zuzug von|"
    r"ancien domicile|nouveau domicile|domicile|domicilio|residenza|residencia|based in|"
    r"based_in|lives in|lives_in"
)
# A verb at a clause's end that ties the place before it to its subject, in German's verb-final
# clauses ("1962 in Rostock geboren", "nach Thessaloniki umgezogen", "seit 2019 in Kassel
# wohnen"): at most two words after the place.
# At most two lower-case words or numbers between the place and a verb-final tie.
_BEFORE_FINAL_VERB = r"(?:[ \t]+(?-i:\p{Ll}+|\d+)){0,2}?[ \t]+"
_TIE_AFTER = re.compile(
    rf"{_BEFORE_FINAL_VERB}(?:geboren|gezogen|umgezogen|verzogen|weggezogen|"
    r"zurückgekehrt|zurückgezogen|zurück|aufgewachsen|wohnt|wohnen|wohnte|wohnhaft|lebt|leben|"
    r"lebte|ansässig|gemeldet|ausgewandert|übersiedelt|angekommen|angerufen|zieht|umzieht|"
    r"gelandet)(?![\w])",
    re.IGNORECASE,
)
# Verbs at a German clause's end that a company or a thing may be the subject of too: they
# tie the place before them only with a person near ("als sie nach Zagreb reisen musste",
# "falls Sie nächste Woche noch in Osaka sind", "weil ich nach Aarhus ziehe").
_WEAK_TIE_AFTER = re.compile(
    rf"{_BEFORE_FINAL_VERB}(?:sind|ist|war|waren|bin|bist|reisen|reist|"
    r"reiste|ziehe|ziehen|fliegen|fliege|fliegt|flog|fahre|fahren|fährt|arbeitet|gearbeitet|"
    r"gewohnt|gelebt)"
    # the clause's end: a verb inside it is no verb-final tie ("Ihr Ansprechpartner in der
    # Schweiz ist Reto Baumann", "der Fährverkehr nach Helgoland ist eingestellt")
    r"(?=[ \t]*(?:[,.;:!?)\n]|$)|[ \t]+(?:musste|muss|müssen|wollte|will|wollen|kann|"
    r"konnte|soll|sollte|wird|würde|werden|hat|hatte|habe|haben)(?![\w]))",
    re.IGNORECASE,
)
# Where a person is now, as chats say it: a pronoun (or a first name, checked by the caller,
# or nothing in languages that drop it, at a clause's start) and a verb of being or staying,
# a few words, a locative preposition: "sie ist wieder in izmir", "no, è a Bari dai suoi",
# "no, está en Málaga", "on est encore chez Mehdi, à Montpellier", "der ist bei seiner oma
# in Thessaloniki". A subject noun ("the fair is in Paris", "die Messe ist in Köln") is no
# person, so only pronouns, first names and a bare clause start open the pattern.
_WHERE_SUBJECT = (
    r"he|she|they|i|we|you|er|sie|ich|wir|du|der|die|il|elle|je|on|nous|ils|elles|tu|"
    r"él|ella|ellos|ellas|yo|lui|lei|io|noi|loro|"
    # a person named by a role or a relation ("Kunde war in Kitzbühel", "la cliente è a
    # Manila", "papa est bien arrivé à Oran")
    r"kunde|kundin|patient|patientin|client|cliente|clienta|customer|paciente|paziente|"
    r"papa|papà|papá|mama|mamá|mamma|maman|mum|mom|dad|oma|opa|nonna|nonno|abuela|abuelo|"
    r"tío|tía|zio|zia|tonton|tata|onkel|tante|uncle|aunt|auntie"
)
_WHERE_VERB = (
    r"is|are|am|was|were|stays|stayed|staying|remains|went|goes|going|headed|"
    r"ist|bin|bist|sind|war|waren|bleibt|bleiben|blieb|fährt|fliegt|liegt|sitzt|"
    r"est|suis|es|sommes|sont|était|étais|reste|restent|part|va|vais|rentre|"
    r"está|estás|estoy|estamos|están|estaba|estaban|sigue|seguimos|siguen|seguía|queda|quedó|"
    r"vuelve|volvió|llegó|llegaron|"
    r"è|sono|sei|siamo|era|ero|eravamo|erano|sta|stai|stanno|stava|resta|rimane|torna|"
    r"tornato|tornata|estuve|estuvo|étais|"
    r"tornati"
)
# Verbs of languages that drop the subject pronoun ("no, è a Bari", "sigue en Málaga"): only
# these open the pattern at a bare clause start; English, German and French need a subject.
_PRO_DROP_VERBS = frozenset(
    (
        "está", "estás", "estoy", "estamos", "están", "estaba", "estaban", "sigue", "seguimos",
        "siguen", "seguía", "queda", "quedó", "vuelve", "volvió", "è", "sono", "sei", "siamo",
        "era", "erano", "sta", "stai", "stanno", "stava", "resta", "rimane", "torna", "tornato",
        "tornata", "tornati", "ero", "eravamo", "estuve", "estuvo",
    )
)  # fmt: skip
_LOCATIVE_END = (
    r"[ \t]+(?:in|at|à|a|au|en|nach|bei|im|da|from|aus|de|desde|di|von)"
    r"(?:[ \t]+(?:the|la|le|el|il|lo))?[ \t]+$"
)
_WHEREABOUTS = re.compile(
    rf"(?:(?<![\w])(?P<subject>{_WHERE_SUBJECT}|j['\u2019](?=[ \t]*(?:étais|suis)))"
    r"|(?<=(?:^|[\n.!?:;,(]|(?<![\w])(?:and|und|et|y|e|but|aber|mais|pero|ma))[ \t]*)"
    r"(?P<name>(?-i:\p{Lu}\p{Ll}+))"
    r"|(?P<speaker>(?:^|\n)[ \t]*(?:\[[^\]\n]{1,20}\][ \t]*)?\p{L}[\p{L}.\-]{0,20}[ \t]*:[ \t]*)"
    r"|(?:^|[\n:,(¿¡]|(?<![\w])(?:che|que|qui|dass|no|nee|nein|non|sí|yes|ja|oui|ese día|"
    r"aquel día|quel giorno|quel dì|ce jour-là|that day|an dem tag|an diesem tag))[ \t]*)[ \t]*"
    rf"(?:(?<![\w])(?P<verb>{_WHERE_VERB})|['\u2019](?:s|re|m|ll[ \t]+be)|[ \t]+will[ \t]+be)"
    r"(?![\w])"
    r"(?:[ \t]+(?:\p{Ll}[\p{Ll}'\u2019]*|\d+|(?:bei|chez|da|con|with|at|avec|mit|en casa de)"
    r"[ \t]+\p{Lu}\p{Ll}+,?)){0,4}?"
    rf"{_LOCATIVE_END}",
    re.IGNORECASE,
)
# Every whereabouts ends so: where the text before a place does not, `_WHEREABOUTS` (whose
# look-behinds are tried at every position) is not searched (issue 13).
_ENDS_LOCATIVE = re.compile(_LOCATIVE_END, re.IGNORECASE)
# The dateline of a letter ("Lecce, 3 aprile 2025", "En Gijón, a 05/12/2026", "Fait à
# Lyon, le 2 mai"): where the writer is.
_DATELINE_BEFORE = r"(?im:^[ \t]*(?:(?:en|fait à|done at|given at|dato a|data a|a)[ \t]+)?$)"
_DATELINE_AFTER = re.compile(
    r"[ \t]*,[ \t]*(?:(?:le|den|am|a|el|il|on|the)[ \t]+)?\d{1,4}(?:[ ./\-]|\.?[ \t]+\p{L})",
    re.IGNORECASE,
)
# A full stop ends a clause, but not after a number ("2. Mai") or an abbreviation ("geb.
# 19.11.1988 in Posen", "Dr. Wong in Leeds").
_CLAUSE_BREAK = re.compile(
    r"[!?;\n]|(?<!\d|(?<![\w])(?i:geb|b|n|dr|st|nr|no|ca|sr|sra|mr|mrs|ms|prof|dott|sig|"
    r"jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|okt|nov|dec|dez|déc|janv|févr|avr|juil))"
    r"\.(?!\d)(?:\s|$)"
)


# Tie phrases and words that say where a person *or an organisation or a thing* is, moved or
# went ("the warehouse stays in Rotterdam", "a supplier based in Lyon", "spedizione partita
# dal magazzino di Piacenza", "Umzug der Produktion nach Győr"): they tie a place only when a
# person is named or referred to in the same sentence (`_person_near`). Birth, residence and
# first-person phrases ("born in", "wohnt in", "je suis à") need no such evidence.
_WEAK_TIES = frozenset(
    (
        "moved to", "moving to", "relocating to", "relocated to", "relocate to", "comes from",
        "staying in", "stays in", "home to", "back in", "back to", "moved back to", "based in",
        "currently in", "now in", "installé à", "installée à", "déménagé à", "déménage à",
        "s'installer à", "s'installer en", "rentré à", "rentrée à", "zugezogen nach",
        "umgezogen nach", "zieht nach", "sitzt in", "zurück nach", "kommt aus", "ansässig in",
        "con sede en", "se mudó a", "se muda a", "se fue a", "volvió a", "trasferito a",
        "trasferita a", "con sede a", "tornata a", "tornato a", "filiale in", "moves to",
        "moves from", "zieht von", "se muda de", "se traslada a", "se trasladó a", "se va a",
        "si trasferisce a", "si è trasferito a", "si è trasferita a", "arrivé à", "arrivée à",
        "arrivés à", "arrivato a", "arrivata a", "arrivati a", "llegó a", "llegó bien a",
        "basé à", "basée à", "basé en", "basée en", "se ha mudado a", "se mudará a",
        "si è spostato a", "si è spostata a",
        # a range is raised, a claim settled, a ship retired too
        "raised in", "settled in", "retired to",
    )
)  # fmt: skip
_WEAK_TIE_WORDS = re.compile(
    r"moved?|moving|relocat\w*|stay(?:s|ed|ing)?|based|travel\w*|flies|flew|flying|visiting|"
    r"returned|returning|transfer|install[ée]e?s?|déménag\w*|arrive\w*|rentre\w*|"
    r"séjourn\w*|umgezogen|zieht|gezogen|wechseln|umzug|mud[óo]|mudad[oa]|trasladad[oa]|"
    r"viaja\w*|trasferit[oaie]|tornat[oa]|arrivan[oa]|arriva|partì|partito|partita|moves|"
    r"trasferisce|traslada|muda|pendelt|commut\w*|llegó|arrivat[oaie]|angekommen|"
    # a team, a revenue or a stock moves and grows too ("Traslado del equipo de datos de la
    # sede de Madrid", "il fatturato è cresciuto del 7 %, trainato da Modena")
    r"traslado|trasferimento|cresciut[oaie]|"
    rf"mudé|mudamos|mudaron|mudarme|mudarse|{_MOTION_WORDS}|{_WORK_WORDS}",
    re.IGNORECASE,
)
_WORK_WORD = re.compile(_WORK_WORDS, re.IGNORECASE)
# Who a weak tie may be about: a personal pronoun or possessive of the singular or of a third
# person, a title, a relation or a role, not the words another language's article or
# conjunction spells the same ("il", "ma", "se", "si"): "he moved to", "my sister lives",
# "Herr Brandt zieht nach", "il paziente è tornato a", "we moved to leicester". The plural
# possessives and the second person are left out: they are a company's voice ("our plant
# stays in Győr", "your order is back in Lyon").
_PERSON_WORDS = re.compile(
    r"(?<![\w'\u2019])(?:he|she|they|i|we|him|her|his|hers|their|my|i'm|mr|mrs|ms|mx|dr|"
    r"mum|mom|dad|wife|husband|son|daughter|brother|sister|friend|colleague|patient|client|"
    r"customer|employee|tenant|candidate|applicant|claimant|defendant|freelancer|manager|"
    r"elle|ils|elles|je|j|nous|lui|mon|mes|son|sa|ses|leur|leurs|mme|mlle|"
    r"patiente?|cliente|salariée?|locataire|fils|fille|mari|femme|frère|sœur|amie?|collègue|"
    r"er|sie|ich|wir|mein\w*|sein\w*|ihr\w*|herr|frau|patientin|kundin|kunde|mitarbeiter\w*|"
    r"mieter\w*|sohn|tochter|bruder|schwester|freund\w*|kolleg\w*|mann|"
    r"él|ella|ellos|ellas|yo|nosotros|nosotras|mi|mis|su|sus|sr|sra|señor\w*|don|doña|paciente|emplead[oa]|"
    r"inquilin[oa]|hij[oa]|herman[oa]|amig[oa]|compañer[oa]|marido|esposa|me|clienta|"
    r"usuari[oa]|titular|titolare|utente|alumn[oa]|"
    r"io|noi|lei|loro|mio|mia|miei|suo|suoi|sue|sig|signor\w*|dott\w*|dipendente|figli[oa]|"
    r"fratello|sorella|amic[oa]|collega|moglie|mi|"
    r"family|famille|familie|familia|famiglia|parents|eltern|padres|genitori|couple|paar|"
    r"familien\w+|nonn[oaie]|abuel[oa]s?|oma|opa|großeltern|grandparents|grands-parents)(?!\w)",
    re.IGNORECASE,
)
_CAPITALISED = re.compile(r"(?<![\w'\u2019\-])\p{Lu}\p{Ll}+(?![\w\-])")
# A chat's or a transcript's speaker at the start of the line: a person talking.
_SPEAKER = re.compile(
    r"[ \t]*(?P<time>\[[^\]\n]{1,20}\][ \t]*)?(?P<speaker>\p{L}[\p{L}.\-]{0,20})[ \t]*:"
)


def _person_near(text: str, start: int) -> bool:
    """A person in the paragraph's last 200 characters before `start`: a pronoun, a
    possessive, a title, a relation or a role (`_PERSON_WORDS`), a first name, or a chat
    line's speaker (a first name, or any name after a time stamp: not a form's label)."""
    paragraph = text.rfind("\n\n", max(0, start - 200), start)
    sentence_start = paragraph + 2 if paragraph >= 0 else max(0, start - 200)
    if _PERSON_WORDS.search(text, sentence_start, start) is not None:
        return True
    line_start = text.rfind("\n", 0, start) + 1
    speaker = _SPEAKER.match(text, line_start)
    if speaker is not None and (
        speaker.group("time") is not None or is_first_name(speaker.group("speaker"), "en")
    ):
        return True
    return any(
        is_first_name(word.group(), "en")
        and (
            is_unambiguous_first_name(word.group())
            or _SENTENCE_OPENING.search(text, max(0, word.start() - 3), word.start()) is None
        )
        for word in _CAPITALISED.finditer(text, sentence_start, start)
    )


# A sentence's or a line's start: a capitalised word there may be any word of a language
# ("Nel secondo semestre", "Nel" is a Dutch first name).
_SENTENCE_OPENING = re.compile(r"(?:^|[.!?:\n][ \t]*)$")


def _weak(phrase: str) -> bool:
    folded = " ".join(phrase.casefold().split())
    return any(folded.startswith(tie) for tie in _WEAK_TIES)


def tie_pattern(language: str) -> re.Pattern[str]:
    """The tie phrases of `language` and English, ending where the place may start (a few
    lower-case words, an article, may stand between)."""
    phrases = TIES.get(language, ()) + TIES["en"]
    cue = phrase_pattern(phrases).pattern
    return re.compile(
        rf"{cue}[ \t]*:?[ \t]*(?:(?:the|la|le|les|l'|der|die|dem|el|los|las|il|lo|central|downtown|"
        rf"centre|center|north|south|east|west)[ \t]+)?$",
        re.IGNORECASE,
    )


# Street types that start a street's name ("Rua Augusta", "Calle Mayor", "Via Roma").
STREET_TYPES = frozenset(
    {"rua", "praça", "travessa", "avenida", "calle", "plaza", "paseo", "via", "viale", "piazza",
     "corso", "rue", "avenue", "boulevard", "place", "straße", "strasse", "platz", "gasse"}
)  # fmt: skip
_TIE_WORD = re.compile(rf"(?<![\w])(?:{_TIE_WORDS})(?![\w])", re.IGNORECASE)
_PREPOSITION = re.compile(_BEFORE_PLACE, re.IGNORECASE)
# German "auf" before an island ("Urlaub auf Mallorca", "wohnt auf Sylt"), a listed place
# only: "auf Montage", "auf Werft" are work.
_ON_AN_ISLAND = re.compile(r"(?<![\w])(?i:auf)[ \t]+$")
# A label at a line's start, after a field separator or a sentence ("Geburtsdatum: 03.07.1982
# Geburtsort: Gaziantep", "| Wohnort: Kiel", "Moved in: 1 October. Previous address: Galway"),
# or a JSON key (`"city": "Bergen"`).
_LABELLED = re.compile(
    rf"(?im:(?:^[ \t>*\-]*|[ \t]{{2,}}|\t|[|;·•,][ \t]*|(?<=\p{{Ll}}|\d)\.[ \t]+)"
    rf"(?:{_PLACE_LABELS})"
    # "Wohnort seit 2021: Ingolstadt", "Residence since 2019: Leeds"
    r"(?:[ \t]+(?:seit|since|depuis|desde|dal|dall'|da)[ \t]+(?:19|20)\d{2})?"
    r"[ \t]*:[ \t]*$"
    rf"|\"(?:{_PLACE_LABELS}|home_?town|birth_?place|place_of_birth)\"[ \t]*:[ \t]*\"$)"
)
_DATELINE = re.compile(_DATELINE_BEFORE)
# A birth label giving the date, then the place ("Geburtsdatum/-ort: 11.08.1991, Lagos",
# "Fecha y lugar de nacimiento: 30/06/1995, Enugu").
_BIRTH_DATE_THEN_PLACE = re.compile(
    r"(?im:(?:date and place of birth|date et lieu de naissance|geburtsdatum ?/ ?-?ort|"
    r"geburtsdatum und -?ort|fecha y lugar de nacimiento|data e luogo di nascita|"
    r"born)[ \t]*:?[ \t]*[\d./\- ]{6,12}\d[ \t]*[,/][ \t]*$)"
)
# A birth date's own label, then the place after a dash or "in" ("Data di nascita:
# 07/04/1984 - Leopoli", "Date of birth: 02.03.1979 in Tarnów"); not another field of the
# same line ("Date de naissance : 12/03/1980 - Nationalité : française", `_FIELD_NEXT`).
_BIRTH_DATE_LABEL_THEN_PLACE = re.compile(
    r"(?im:(?:date of birth|birth date|date de naissance|geburtsdatum|fecha de nacimiento|"
    r"data di nascita|data de nascimento)[ \t]*:[ \t]*[\d./\- ]{6,12}\d"
    r"[ \t]*(?:[\u2013\u2014\-]|in|à|a|en)[ \t]+$)"
)
_FIELD_NEXT = re.compile(r"[\p{L}'\- ]{0,30}?[ \t]*(?::|\d)")


# A workplace's label in a person's record ("standort: Hagen", "sede: Gijón", `"site":
# "Lille"`, "Location: Leeds"): where that person works, when a person is near
# (`_person_near`) and the value is a listed town ("Ufficio: Acquisti" is a department);
# a store's or an event's record names no one, nor does a calendar entry's "LOCATION:Raum".
_WORKPLACE_LABELS = (
    r"standort|arbeitsort|einsatzort|dienstort|sede|site|office|location|bureau|"
    r"lieu de travail|ufficio|oficina|luogo di lavoro|centro de trabajo|work location|"
    r"workplace|place of work|"
    # German's label of any place, in a person's record ("Ort: Jena", `"ort": "Jena"`), and
    # a login log's "geo=Trapani": a place near a person is theirs. Not "Lugar:", "Luogo:",
    # "Lieu :", which in a claim name the accident's place (the corpus does not mark those).
    r"ort|geo|geoip"
)
_WORKPLACE_LABELLED = re.compile(
    rf"(?m:(?:^[ \t>*\-]*|[ \t]{{2,}}|\t|[|;·•][ \t]*)(?!LOCATION:)(?i:{_WORKPLACE_LABELS})"
    r"[ \t]*:[ \t]*\"?$"
    rf"|\"(?i:{_WORKPLACE_LABELS})\"[ \t]*:[ \t]*\"$"
    rf"|(?<![\w])(?i:{_WORKPLACE_LABELS})=$)"
)


# A trip's label at a line's start in a person's record ("Reise: von Kiel nach Lyon",
# "Trip: supplier audit, 3 nights in Antwerp", "Ruta: Murcia → Perpiñán → Lyon", "Trasferta:
# da Ancona a Monaco"): every listed town on that line is where the person travels, as the
# travel requests and expense claims staff paste say. The same for a payment's purpose and
# the source of a client's funds, which name their holiday home or the property they sold
# ("Causale: quota affitto casa a Rimini", "Herkunft der Mittel: Verkauf einer
# Familienimmobilie in Antalya"). Not a shipment's or a product's route: a person must be
# near (`_person_near`).
_TRIP_AND_PAYMENT_LABELS = (
    r"trip|travel|journey|route|itinerary|destination|business trip|"
    r"reise|dienstreise|fahrt|reiseziel|strecke|ziel|"
    r"voyage|trajet|déplacement|deplacement|itinéraire|mission|"
    r"viaje|ruta|destino|trayecto|desplazamiento|"
    r"trasferta|viaggio|destinazione|tratta|itinerario|percorso|"
    # Not a bare "Reference:", "Motivo:", "Motif :", "Purpose:": a consultation's reason and
    # a document's reference have them too ("Motivo de consulta: HTA").
    r"payment reference|source of funds|origin of funds|"
    r"verwendungszweck|zahlungsgrund|herkunft der mittel|mittelherkunft|"
    r"objet du virement|origine des fonds|"
    r"concepto|origen de los fondos|procedencia de los fondos|"
    r"causale|origine dei fondi|provenienza dei fondi"
)
_TRIP_OR_PAYMENT_LINE = re.compile(
    rf"(?im:^[ \t>*\-]*(?:{_TRIP_AND_PAYMENT_LABELS})[ \t]*:[^\n]*$)"
)


def _a_trip_or_a_payment_in_a_record(text: str, start: int, end: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    return (
        _TRIP_OR_PAYMENT_LINE.match(text, line_start, start) is not None
        and is_place(text[start:end])
        and _person_near(text, line_start)
    )


def _a_workplace_in_a_record(text: str, start: int, end: int) -> bool:
    return (
        _WORKPLACE_LABELLED.search(text, max(0, start - 40), start) is not None
        and is_place(text[start:end])
        and _person_near(text, start)
    )


def _labelled_or_kin(text: str, start: int) -> bool:
    """A place label's value, a birth label's place after its date, or a place after a
    relative or a home."""
    return (
        _LABELLED.search(text, max(0, start - 40), start) is not None
        or _BIRTH_DATE_THEN_PLACE.search(text, max(0, start - 60), start) is not None
        or (
            _BIRTH_DATE_LABEL_THEN_PLACE.search(text, max(0, start - 60), start) is not None
            and _FIELD_NEXT.match(text, start) is None
        )
        or _KIN_OR_HOME_BEFORE.search(text, max(0, start - 60), start) is not None
    )


# A relative or a home before the place: where someone is or lives ("his mother in
# Samarkand", "chez sa sœur Deborah à Netanya", "da sua nonna a Nuoro", "her daughter's
# home in Leicester", "my old flat in Marrakech", "la casa vieja de Córdoba").
_RELATIONS = (
    r"mother|father|mum|mom|dad|parents|son|daughter|sister|brother|wife|husband|"
    r"boyfriend|girlfriend|bf|gf|grandmother|grandfather|grandma|grandpa|granny|uncle|aunt|"
    r"auntie|cousin|niece|nephew|family|friends?|"
    r"mère|père|fils|fille|sœur|soeur|frère|femme|mari|conjointe?|compagne|compagnon|"
    r"grand-mère|grand-père|mamie|papi|oncle|tante|cousine?|nièce|neveu|famille|amie?s?|"
    r"mutter|vater|eltern|sohn|tochter|schwester|bruder|freundin|freund|oma|opa|"
    r"großmutter|großvater|onkel|cousine|familie|"
    r"madre|padre|padres|hij[oa]|herman[oa]|espos[oa]|marido|mujer|pareja|novi[oa]|abuel[oa]|"
    r"tí[oa]|prim[oa]|familia|amig[oa]s?|"
    r"genitori|figli[oaie]|sorella|fratello|moglie|marito|compagn[oa]|fidanzat[oa]|nonn[oaie]|"
    r"zi[oaie]|cugin[oaie]|famiglia|amic[oa]|amici|abuelos|großeltern|grosseltern|"
    r"grandparents|grands-parents"
)
_HOMES = (
    r"flat|home|house|apartment|place|appartement|maison|logement|studio|casa|piso|"
    r"departamento|apartamento|wohnung|haus|appartamento"
)
_POSSESSIVES = r"my|his|her|their|mon|ma|son|sa|leur|mi|su|mio|mia|suo|sua|mein\w*|sein\w*|ihr\w*"
_KIN_OR_HOME_BEFORE = re.compile(
    rf"(?<![\w])(?i:(?:{_RELATIONS})(?:['\u2019]s[ ](?:{_HOMES}))?(?:[ ](?-i:\p{{Lu}}\p{{L}}+))?"
    rf"|(?:{_POSSESSIVES})(?:[ ]\p{{Ll}}+)?[ ](?:{_HOMES})(?:[ ]\p{{Ll}}+)?"
    rf"|(?:casa|piso|maison)[ ](?:vieja|vecchia|nueva|nuova|ancienne|nouvelle)"
    rf"|(?:vecchia|nuova|ancienne|nouvelle)[ ](?:casa|maison)"
    rf"|chez[ ](?:moi|nous|lui|elle)|bei[ ](?:mir|uns)|a[ ]casa[ ](?:mia|sua|nostra)"
    # a holiday home is someone's: "vom Ferienhaus in Kołobrzeg", "la casa al mare a Gallipoli"
    r"|ferienhaus|ferienwohnung|holiday[ ]home|holiday[ ]house|summer[ ]house|beach[ ]house|"
    r"maison[ ]de[ ]vacances|résidence[ ]secondaire|casa[ ]al[ ]mare|casa[ ]in[ ]montagna|"
    r"seconda[ ]casa|casa[ ]de[ ]la[ ]playa|casa[ ]de[ ]campo|segunda[ ]residencia)"
    r"[ ]+(?i:in|at|à|a|en|de|di|nach|bei|da|auf)[ ]+$"
)
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


def is_tied(
    pattern: re.Pattern[str],
    text: str,
    start: int,
    end: int | None = None,
    *,
    unvouched: bool = False,
) -> bool:
    """Whether the place at `text[start:end]` is tied to a person: a tie phrase ends right
    before it (one a company or a thing may be the subject of, `_WEAK_TIES`, only with a
    person near, `_person_near`); or it is a form label's value ("Ville : Colmar",
    "Geburtsort: Graz", "Fecha y lugar de nacimiento: 30/06/1995, Enugu"); or a relative or
    a home stands before it ("his mother in Samarkand", "my old flat in Marrakech"); or the
    dateline of a letter ("Lecce, 3 aprile 2025"), the place a login came from ("from
    81.174.22.150 (Hanoi)"), a chat's verbless answer ("ciro: da gennaro a pozzuoli"); or
    a person's whereabouts ("sie ist wieder in Izmir"); or a locative preposition stands
    right before it and a tie word is in its clause ("born on 16 Jan 2004 in Bunbury", "1962
    in Rostock geboren").

    `unvouched`: the candidate is only a capitalised word, no model read it as a place. Then
    a whereabouts needs a place the gazetteer lists, since German capitalises every noun
    ("ich bin meistens im Büro"), and a dateline a listed place or one word that is no
    common noun ("Sitzungsprotokoll Bauausschuss, 5. Juni" heads minutes)."""
    first_word = text[start:end].split(maxsplit=1)[:1] if end is not None else []
    if first_word and first_word[0].casefold() in STREET_TYPES:
        return False  # a street's name alone ("near Rua Augusta"); with a number, an address
    tie = pattern.search(text, max(0, start - 48), start)
    if tie is not None and (not _weak(tie.group()) or _person_near(text, tie.start())):
        return True
    if _labelled_or_kin(text, start) or (
        end is not None
        and (
            _a_workplace_in_a_record(text, start, end)
            or _a_trip_or_a_payment_in_a_record(text, start, end)
        )
    ):
        return True
    listed = not unvouched or end is None or is_place(text[start:end])
    if (
        end is not None
        and _tied_by_layout(text, start, end)
        and (listed or _one_name(text, start, end))
    ):
        return True
    named = listed or (end is not None and _proper_name(text, start, end))
    whereabouts = (
        named
        and _ENDS_LOCATIVE.search(text, max(0, start - 90), start)
        and _WHEREABOUTS.search(text, max(0, start - 90), start)
    )
    if whereabouts and _a_person(whereabouts):
        return True
    return _tied_in_clause(text, start, end) or (
        end is not None and listed and _qualifies_a_tied_place(pattern, text, start)
    )


# A place right before a qualifier, in parentheses or after a comma ("né à Casablanca
# (Maroc)", "Born in Pune, India", "residente en Kumasi (Ghana)"), or before the place the
# person lived before ("Wohnort: Ingolstadt (vorher Timișoara)").
_QUALIFIED = re.compile(
    r"(?P<place>\p{Lu}[\p{L}'\u2019.\-]*(?:[ \-]\p{Lu}[\p{L}'\u2019.\-]*){0,3})"
    r"[ \t]*(?:\((?:(?i:vorher|zuvor|früher|previously|formerly|before|avant|auparavant|"
    r"anciennement|antes|anteriormente|prima|precedentemente)[ \t:]+)?|,[ \t]*)$"
)


def _qualifies_a_tied_place(pattern: re.Pattern[str], text: str, start: int) -> bool:
    """The region or country after a tied place qualifies it, and is tied with it."""
    before = _QUALIFIED.search(text, max(0, start - 40), start)
    if before is None or not is_place(before.group("place")):
        return False
    return is_tied(pattern, text, before.start("place"), before.end("place"))


def _proper_name(text: str, start: int, end: int) -> bool:
    """Capitalised words that are no common word of any language the name index knows, the
    particles between aside ("Kitzbühel", "Punta del Este"): a name the gazetteer lacks."""
    words = [w for w in text[start:end].split() if w.casefold() not in _PARTICLES]
    return bool(words) and all(not (flags(word) & COMMON_ANYWHERE) for word in words)


_PARTICLES = frozenset({"del", "de", "la", "di", "da", "am", "an", "im", "sur", "en", "le"})


def _one_name(text: str, start: int, end: int) -> bool:
    """One word that is no common word of any language the name index knows ("Woippy")."""
    word = text[start:end]
    return " " not in word and not (flags(word) & COMMON_ANYWHERE)


# Where a login came from, as a security log or a support note writes it after the IP
# address: "Last successful login from 81.174.22.150 (Hanoi)", "desde 190.216.84.33 (Ecuador)".
_IP_THEN_PARENTHESIS = re.compile(
    r"(?<![\w.:])(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-f]{1,4}(?::[0-9a-f]{0,4}){2,7})[ \t]*\($",
    re.IGNORECASE,
)
# A chat's answer to "where are you?" without a verb: "sami: chez lyna à aubervilliers",
# "brayan: en casa de la yoli en vallecas", "ciro: da gennaro a pozzuoli".
_VERBLESS_WHEREABOUTS = re.compile(
    r"(?:^|\n)[ \t]*(?:\[[^\]\n]{1,20}\][ \t]*)?\p{L}[\p{L}.\-]{0,20}[ \t]*:[ \t]*"
    r"(?i:bei|chez|da|en casa de(?:[ \t]+(?:la|el))?|a casa di|at|with|avec|mit|con)[ \t]+"
    r"\p{L}[\p{L}'\u2019\-]*[ \t]+(?i:in|im|à|a|en|at)[ \t]+$"
)


def _tied_by_layout(text: str, start: int, end: int) -> bool:
    """A letter's dateline, the town of a contact line, the place a login came from, or a
    chat's verbless answer about where the speaker is."""
    dateline = (
        _DATELINE.search(text, max(0, start - 12), start) is not None
        and _DATELINE_AFTER.match(text, end) is not None
    )
    return (
        dateline
        or _contact_line(text, start, end)
        or _signature_place(text, start, end)
        or _IP_THEN_PARENTHESIS.search(text, max(0, start - 42), start) is not None
        or _VERBLESS_WHEREABOUTS.search(text, max(0, start - 70), start) is not None
    )


# A signature's last lines: a closing formula alone on its line, the writer's name (two to
# four capitalised words, no figure, no label), and a line that is only a town, with its
# country or region after a comma ("Mit freundlichen Grüßen⏎Hannelore Sonnenschein⏎
# Saarbrücken", "Regards,⏎Siobhán Ní Bhriain⏎Galway, Ireland"): where the writer lives or
# works.
_SIGNATURE_NAME_LINE = (
    r"[ \t]*\p{Lu}[\p{L}'\u2019.\-]*"
    r"(?:[ ]+(?:\p{Lu}[\p{L}'\u2019.\-]*|de|van|von|der|da|di|del|la|le|ni|ní|ó|mac)){1,3}"
    r"[ \t]*\n"
)
_PLACE_LINE_END = re.compile(r"(?:,[ \t]*\p{Lu}[\p{L}. \-]{1,30})?[ \t]*(?:\n|$)")


@cache
def _signature_before() -> re.Pattern[str]:
    from proxy.detection.people import CLOSINGS  # noqa: PLC0415 - people imports this module

    return re.compile(
        rf"(?:^|\n)[ \t]*(?i:{CLOSINGS})[ \t]*[,.!]?[ \t]*\n{_SIGNATURE_NAME_LINE}[ \t]*$"
    )


def _signature_place(text: str, start: int, end: int) -> bool:
    """The town line of a signature (`_signature_before`): a town the gazetteer lists, not
    a job or a department written on that line ("Rechtsanwältin", "Personalabteilung")."""
    return (
        _PLACE_LINE_END.match(text, end) is not None
        and is_place(text[start:end])
        and _signature_before().search(text, max(0, start - 160), start) is not None
    )


# How far after a weak tie word its place may start: a few words ("viajó a", "si trovava in
# ferie a"), not the next place of a long clause ("se ha ido a vivir a Logroño pero sigue
# llevando la delegación de Pamplona").
_WEAK_REACH = 40


def _tied_in_clause(text: str, start: int, end: int | None) -> bool:
    """A locative preposition right before the place, and a tie word in its clause: before
    it ("born on 16 Jan 2004 in Bunbury") or, verb-final, right after ("in Rostock
    geboren"). A weak tie word ties a place at most `_WEAK_REACH` characters on, and a
    person must be near; a word of work ties only a place the gazetteer lists (`_WORK_WORDS`):
    a model reads a firm as a place as readily as a town."""
    if _PREPOSITION.search(text, max(0, start - 24), start) is None and not (
        end is not None
        and _ON_AN_ISLAND.search(text, max(0, start - 8), start) is not None
        and is_place(text[start:end])
    ):
        return False
    if end is not None and _TIE_AFTER.match(text, end) is not None:
        return True
    if (
        end is not None
        and _WEAK_TIE_AFTER.match(text, end) is not None
        and _person_near(text, start)
    ):
        return True
    clause_start = max(0, start - 100)
    for brk in _CLAUSE_BREAK.finditer(text, clause_start, start):
        clause_start = brk.end()
    return any(
        not _NAMED.search(text, max(0, tie.start() - 40), tie.end())
        and (
            not _WEAK_TIE_WORDS.fullmatch(tie.group())
            or (
                start - tie.end() <= _WEAK_REACH
                and (_person_near(text, tie.start()) or _first_name_between(text, tie.end(), start))
            )
            or (
                tie.group().casefold() in _ADJACENT_TIES
                and text[tie.end() : start].strip().casefold() in {"a", "en", "in"}
            )
        )
        and (
            not _WORK_WORD.fullmatch(tie.group()) or (end is not None and is_place(text[start:end]))
        )
        for tie in _TIE_WORD.finditer(text, clause_start, start)
    )


# Weak tie words that tie a place right after them and a preposition: a subject line's
# "Trasferimento a Londra", "traslado a Getafe", "cresciuta a Bari" (not "Traslado del equipo
# de datos de la sede de Madrid", "è cresciuto del 7 %, trainato da Modena").
_ADJACENT_TIES = frozenset({"traslado", "trasferimento", "cresciuto", "cresciuta", "cresciuti"})


def _first_name_between(text: str, start: int, end: int) -> bool:
    """A first name between a weak tie word and its place: whose move it is ("Traslado de
    Itziar a Getafe", "Trasferimento di Nicoletta a Lodi")."""
    return any(
        is_first_name(word.group(), "en") for word in _CAPITALISED.finditer(text, start, end)
    )


def _a_person(whereabouts: re.Match[str]) -> bool:
    """A pronoun; a first name at a clause's start (not "die Fiat Panda ist in"); or no
    subject at all before a verb of a pro-drop language ("no, è a Bari"): a person's
    whereabouts."""
    if whereabouts.group("subject") is not None or whereabouts.group("speaker") is not None:
        return True  # a pronoun, or a chat's speaker who drops it ("oli: bleibt in Kiel")
    name = whereabouts.group("name")
    if name is not None:
        return is_first_name(name, "en")
    verb = whereabouts.group("verb")
    return verb is not None and verb.casefold() in _PRO_DROP_VERBS


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
        "venerdì", "sabato", "domenica", "summer", "spring", "autumn", "winter", "sommer",
        "frühling", "herbst", "été", "hiver", "printemps", "automne", "verano", "invierno",
        "primavera", "otoño", "estate", "inverno", "autunno", "the", "la", "le", "el", "il",
        "der", "die", "das",
        # month abbreviations, feasts and currencies: "in Jan", "à Noël", "paid in CHF"
        # ("Mar" is left out: "Mar del Plata", "Mar Menor")
        "jan", "feb", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
        "christmas", "easter", "noël", "pâques", "toussaint", "weihnachten", "ostern",
        "pfingsten", "silvester", "navidad", "nochebuena", "pascua", "semana", "natale",
        "pasqua", "ferragosto", "ramadan", "ramadán", "eid", "diwali", "hanukkah",
        "chf", "eur", "usd", "gbp", "jpy", "cny", "sek", "nok", "dkk", "pln", "czk", "huf",
        "dr", "dra", "drs",
    )
)  # fmt: skip


# Words a capitalised run may start with that are not part of the place ("En Gijón"), and
# articles that may be ("Le Havre", "La Coruña", "Den Haag").
_LEADING = frozenset({"en", "in", "a", "à", "fait", "done", "dato", "data"})
_ARTICLES = frozenset({"le", "la", "les", "el", "los", "las", "il", "lo", "den", "der", "die"})


# German contracts a preposition and an article before a noun, not before a town: "im
# Landkreis", "am Empfang", "beim Hausarzt" (a region the gazetteer lists is one: "im Elsass").
_CONTRACTED_ARTICLE_BEFORE = re.compile(r"(?<![\w])(?:im|am|vom|zum|zur|beim|ins)[ ]$")
# An article right before a lower-case word: "de la commune", "the city", "la ville".
_ARTICLE_BEFORE = re.compile(
    r"(?<![\w])(?i:le|la|les|l'|el|los|las|il|lo|the|der|die|das|den|dem)[ ]?$"
)


# A word inside a run of capitalised words, after a space.
_INNER_WORD = re.compile(r"(?<=[ ])\p{Lu}")
# A preposition inside a run of capitalised words, after which a place may start.
_INNER_PREPOSITION = re.compile(r"[ ](?:en|in|a|à|an|am|im)[ ](?=\p{Lu})")


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
        r"|[ \-]|(?<=(?<![\w])(?:St|Ste|Sta|Sto|Mt|Ft|Pt|S|N|E|W))\.[ ])"
        r"\p{Lu}[\p{L}'\u2019\-]+){0,3}"
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
        """Each capitalised name tied to a person (`is_tied`), and each listed place typed in
        lower case, as chats do ("sie ist wieder in izmir"), tied the same way:
        `TIED_SCORE`."""
        found = self._lower_case_places(text)
        # Matched first, so that the limit bounds the regex, not the checks of each match.
        for match in list(self._candidate.finditer(text, timeout=regex_limits.seconds())):
            start, end = match.span("place")
            words = text[start:end].split()
            if len(words) > 1 and words[0].casefold() in _LEADING:
                start = text.index(words[1], start)  # "En Gijón, a 5 de mayo": Gijón
                words = words[1:]
            while len(words) > 2 and words[-1].casefold().rstrip(".,;:!?") in _NOT_PLACES:
                # "Belgrad im Januar", "Cardiff on Friday": the place before the date
                words = words[:-2]
                end = text.index(words[-1], start) + len(words[-1])
            first = words[0].casefold()
            if first in _NOT_PLACES and (len(words) == 1 or first not in _ARTICLES):
                continue  # a month, a day, an article alone; "Le Havre", "La Spezia" stay
            if (
                _CONTRACTED_ARTICLE_BEFORE.search(text, max(0, start - 6), start) is not None
                or (len(words) == 1 and (self.supported_language == "de" or _an_acronym(words[0])))
            ) and (
                not is_place(text[start:end])
                and _a_common_word(text[start:end], self.supported_language)
            ):
                # "im Landkreis", "am Empfang", "zu Hause", "in Elternzeit", "bei Freunden",
                # "en CDI": a noun or an acronym, not a place the gazetteer knows ("im Elsass",
                # "in Halle" stay). Not every language's one word: the Italian lexicon and
                # wordfreq count towns as words ("Chiasso", "Assisi", "Mallorca").
                continue
            if is_tied(self._ties, text, start, end, unvouched=True):
                found.append(RecognizerResult("LOCATION", start, end, TIED_SCORE))
                continue
            # "seinem Wohnort Aschaffenburg": a German noun that ties the place, capitalised
            # as every noun is, starts the run; try the words after it.
            inner = self._after_an_inner_tie(text, start, end)
            if inner is not None:
                found.append(RecognizerResult("LOCATION", inner, end, TIED_SCORE))
                continue
            # "mujer Rosario en Leganés": a name, a preposition, the place; try the place.
            for link in _INNER_PREPOSITION.finditer(text, start, end):
                if text[link.end() : end].split(maxsplit=1)[0].casefold() in _NOT_PLACES:
                    break  # "Termin im Dezember"
                if is_tied(self._ties, text, link.end(), end, unvouched=True):
                    found.append(RecognizerResult("LOCATION", link.end(), end, TIED_SCORE))
                    break
        return found

    def _after_an_inner_tie(self, text: str, start: int, end: int) -> int | None:
        """Where a place starts inside a run of capitalised words, right after a tie phrase
        that ends inside the run ("Wohnort Aschaffenburg", "Geburtsort Passau"): a strong
        tie only, and a place the gazetteer lists."""
        for word in _INNER_WORD.finditer(text, start + 1, end):
            tie = self._ties.search(text, max(0, word.start() - 48), word.start())
            if tie is not None and tie.end() > start and not _weak(tie.group()):
                return word.start() if is_place(text[word.start() : end]) else None
        return None

    def _closely_tied(self, text: str, start: int) -> bool:
        """A strong tie phrase right before the word at `start`: then a town the name index
        also counts among a language's frequent words (German frequency lists hold
        "lüneburg", "passau") is the town ("sie wohnt in lüneburg"). Not after a relative
        alone: "a mio padre in parole semplici"."""
        tie = self._ties.search(text, max(0, start - 48), start)
        return tie is not None and not _weak(tie.group())

    def _lower_case_places(self, text: str) -> list[RecognizerResult]:
        found = []
        for match in list(_LOWER_WORD.finditer(text, timeout=regex_limits.seconds())):
            word = match.group()
            common = _a_common_word(word, self.supported_language) and not is_big_place(word)
            if (
                word in _NOT_PLACES
                or word in _LOWER_CASE_WORDS
                or word in stop_words()
                or not is_place(word)
                or (common and not self._closely_tied(text, match.start()))
                # "les habitants de la commune": an article makes an everyday word a noun
                or (
                    _a_common_word(word, self.supported_language)
                    and _ARTICLE_BEFORE.search(text, max(0, match.start() - 5), match.start())
                )
            ):
                continue
            if is_tied(self._ties, text, match.start(), match.end()):
                found.append(RecognizerResult("LOCATION", match.start(), match.end(), TIED_SCORE))
        return found


# Acronyms that name a place a person lives in or comes from ("came to the UK in 2006").
_PLACE_ACRONYMS = frozenset({"uae", "ddr", "brd", "ussr", "udssr", "urss", "nyc"})


def _an_acronym(word: str) -> bool:
    """Three capitals or more that name no place ("CDI", "AVE"); two ("UK", "US", "LA")
    name places too often to count."""
    return word.isupper() and len(word) > 2 and word.casefold() not in _PLACE_ACRONYMS


def _a_common_word(word: str, language: str) -> bool:
    """A word the name index marks as common in `language` or English ("mercedes", "will")."""
    return bool(flags(word) & (Flag.COMMON_EN | COMMON_IN.get(language, Flag.COMMON_EN)))


# A lower-case word that may be a place ("izmir", "leicester", "zaragoza").
_LOWER_WORD = re.compile(r"(?<![\w\-'\u2019.@/])\p{Ll}[\p{Ll}\-]{3,}(?![\w\-@])")
# Towns whose names are everyday words: never a place when written in lower case.
_LOWER_CASE_WORDS = frozenset(
    (
        "nice", "reading", "mobile", "split", "bath", "orange", "sale", "march", "deal", "wells",
        "eagle", "hope", "unity", "liberty", "independence", "home", "office", "house", "work",
        "school", "town", "city", "central", "grand", "bell", "mons", "vary", "como", "male",
        "ville", "gare", "marine", "union", "friendship", "progress", "victoria", "lens", "sens",
        "tours", "salon", "villa", "palma", "mercedes", "santa", "carmen", "leon", "león",
        "time", "bad", "marathon", "chad", "guinea", "derby", "cork", "bury", "most", "lima",
    )
)  # fmt: skip


@cache
def stop_words(language: str | None = None) -> frozenset[str]:
    """spaCy's stop words of `language`, or of all five languages ("most", "alle", "come",
    "todo"): never a place in lower case (and never part of a product's name:
    `people.business_name`)."""
    from spacy.lang.de.stop_words import STOP_WORDS as DE  # noqa: PLC0415
    from spacy.lang.en.stop_words import STOP_WORDS as EN  # noqa: PLC0415
    from spacy.lang.es.stop_words import STOP_WORDS as ES  # noqa: PLC0415
    from spacy.lang.fr.stop_words import STOP_WORDS as FR  # noqa: PLC0415
    from spacy.lang.it.stop_words import STOP_WORDS as IT  # noqa: PLC0415

    by_language = {"en": EN, "fr": FR, "de": DE, "es": ES, "it": IT}
    if language is None:
        return frozenset(EN | FR | DE | ES | IT)
    return frozenset(by_language.get(language, EN))


# --- places in a sentence that names a person ----------------------------------------------

NEAR_A_PERSON_SCORE = 0.6
# A locative or directional preposition and the capitalised place after it ("in Graz",
# "nach Singapur", "desde Lima", "à Namur", "a Matera", "verso Seriate", "Richtung Wiesbaden").
_ENGLISH_PREPOSITIONS = r"in|at|to|from|near|into|towards"
_PREPOSITIONS = (
    rf"{_ENGLISH_PREPOSITIONS}|à|au|en|de|depuis|vers|nach|aus|von|bei|im|richtung|desde|"
    r"hacia|a|ad|da|di|verso"
)
_PLACE_AFTER = (
    r"[ \t]+(?P<place>\p{Lu}[\p{L}'\u2019\-]+"
    r"(?:[ ](?:de|del|di|am|an|im|sur|en)?[ ]?\p{Lu}[\p{L}'\u2019\-]+)?)"
    r"(?![\w\-]|[ ]\d{4}(?!\d))"  # "Paris 2024", "Expo Milano 2015": an event
)
# English text has its own: its "a" is an article ("a London team"), "de" part of a name.
_PLACE_AFTER_PREPOSITION = {
    "en": re.compile(rf"(?<![\w])(?i:{_ENGLISH_PREPOSITIONS}){_PLACE_AFTER}"),
    "": re.compile(rf"(?<![\w])(?i:{_PREPOSITIONS}){_PLACE_AFTER}"),
}
# "of" after a capitalised word: the place ends another proper noun, an event's or a body's
# ("Foire de Lyon", "Semana Santa de Sevilla", "SIGEP di Rimini", "Questura di Foggia").
_OF_A_PROPER_NOUN = re.compile(
    r"(?P<word>\p{Lu}[\p{L}.\-]*)[ \t]+(?i:de|di|du|des|del|della|von|of|de la)[ \t]+$"
)


def _of_a_proper_noun(text: str, preposition: int, start: int) -> bool:
    """`_OF_A_PROPER_NOUN` before the place, its word no month or day ("zum 1. April von
    Dresden nach Hamburg")."""
    before = _OF_A_PROPER_NOUN.search(text, max(0, preposition - 40), start)
    return before is not None and before.group("word").casefold() not in _NOT_PLACES


_SENTENCE_REACH = 200


def places_near_people(
    text: str, results: list[RecognizerResult], min_score: float, language: str
) -> list[RecognizerResult]:
    """`results` and a LOCATION (`NEAR_A_PERSON_SCORE`) for each listed place after a
    locative preposition in a sentence where a person was found with at least `min_score`:
    "Frank Ziegler wechselt von Dresden nach Hamburg", "Rosa Quispe pregunta si puede
    conectarse desde Lima", "soy Sunny, tengo una panadería en Cuenca"; or where a subject
    pronoun stands for someone the text names (`_PERSON_PRONOUN`). Where a person is,
    where they go and where they come from is theirs; a sentence without anyone ("the fair
    is in Paris", "Umsatz in Bayern") is not touched, so business prose keeps its places."""
    people = [
        (r.start, r.end) for r in results if r.entity_type == "PERSON" and r.score >= min_score
    ]
    if not people:
        return results
    found = people + [
        (r.start, r.end)
        for r in results
        if r.entity_type in {"LOCATION", "ADDRESS"} and r.score >= min_score
    ]
    pattern = _PLACE_AFTER_PREPOSITION.get(language, _PLACE_AFTER_PREPOSITION[""])
    extra = []
    for match in pattern.finditer(text, timeout=regex_limits.seconds()):
        start, end = match.span("place")
        place = text[start:end]
        if any(s < end and start < e for s, e in found) or not is_place(place):
            continue
        if (
            place.casefold() in _NOT_PLACES
            or place.isupper()  # "NIF", "IFA": acronyms
            or (_a_common_word(place, language) and not is_big_place(place))
            or _of_a_proper_noun(text, match.start(), start)
        ):
            continue
        first, last = _sentence(text, start, end)
        if any(first <= s and e <= last for s, e in people) or (
            language in _PERSON_PRONOUN
            and _PERSON_PRONOUN[language].search(text, first, match.start()) is not None
            and not is_country(place)
        ):
            extra.append(RecognizerResult("LOCATION", start, end, NEAR_A_PERSON_SCORE))
    return results + extra


# A person the sentence speaks of without naming, before the place: a subject pronoun ("she
# spent six years in Lagos", "er wechselt nach Leipzig", "il serait en Espagne, à Valence").
# Only in a text that names someone elsewhere: the pronoun is theirs. Not a possessive ("his
# UK mobile … in Italia"), nor a role noun ("client site in Livingston" is a firm's), nor a
# country: "il est à Brazzaville mais le compte est en France".
_PERSON_PRONOUNS = {
    "en": "he|she",
    "de": "er|sie",
    # impersonal "il" counts too ("il y a un bureau à Lyon"): among the tuning parts' four
    # false findings of this rule, none came from it
    "fr": "il|elle|ils|elles",
    "es": "él|ella|ellos|ellas",
    "it": "lui|lei|egli",  # not "il", Italian's article
}
_PERSON_PRONOUN = {
    language: re.compile(rf"(?<![\w])(?i:{words})(?![\w'\u2019])")
    for language, words in _PERSON_PRONOUNS.items()
}


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """The bounds of the sentence around `text[start:end]` (at most `_SENTENCE_REACH`
    characters each way; "1. April", "Dr. Wong" end none)."""
    first = max(0, start - _SENTENCE_REACH)
    for stop in _CLAUSE_BREAK.finditer(text, first, start):
        first = stop.end()
    after = _CLAUSE_BREAK.search(text, end, min(len(text), end + _SENTENCE_REACH))
    return first, after.start() if after is not None else min(len(text), end + _SENTENCE_REACH)


# The score of another mention of a place already masked as a person's.
PROPAGATED_PLACE_SCORE = 0.6
# A firm's or a body's place: a branch word before it ("notre agence de Nantes", "die
# Niederlassung in Winterthur", "Our Houston lab" after it), a firm's name and a comma before
# it ("Schwarzwald Bau GmbH, Pforzheim", "Banco destino: BCP, Lima"), or a capitalised word
# right before it, "of" between or not ("Universität Stuttgart", "University of Edinburgh",
# "Ordine dei Medici di Napoli").
_BRANCH_WORDS = (
    r"sede|sedi|filiale|agenzia|ufficio|stabilimento|agence|bureau|siège|site|usine|oficina|"
    r"sucursal|delegación|planta|office|offices|branch|plant|lab|campus|warehouse|depot|"
    r"niederlassung|standort|werk|büro|zentrale|lager"
)
_BRANCH_BEFORE = re.compile(
    rf"(?<![\w])(?i:{_BRANCH_WORDS})(?:[ ][\p{{L}}'\u2019]+){{0,2}}[ ](?:[\p{{L}}'\u2019]+[ ])?$"
)
_BRANCH_AFTER = re.compile(rf"[ ](?i:{_BRANCH_WORDS})(?![\w])")
_FIRM_OR_BODY_BEFORE = re.compile(
    r"(?:\p{Lu}[\p{L}.&\-]*,|(?<![.!?:\n][ ]?)\p{Lu}[\p{L}.\-]*(?:[ ](?i:of|de|di|du|des|del|"
    r"della|dei|degli|von|der))?)[ ]$"
)


def _a_firms_place(text: str, start: int, end: int) -> bool:
    """The place at `text[start:end]` is a firm's or a body's (see `_BRANCH_WORDS`)."""
    return (
        _BRANCH_BEFORE.search(text, max(0, start - 40), start) is not None
        or _BRANCH_AFTER.match(text, end) is not None
        or _FIRM_OR_BODY_BEFORE.search(text, max(0, start - 40), start) is not None
    )


def propagate_places(
    text: str, results: list[RecognizerResult], min_score: float
) -> list[RecognizerResult]:
    """`results`, with every other mention of a place already found as a person's (LOCATION
    with at least `min_score`) masked too: "Ruth Okafor moved to Harrogate … the Harrogate
    flat", "Marta vive a Cremona … Indirizzo di spedizione: Cremona centro". The placeholder
    is the same; left in clear, the other mention would tell the provider what the first one
    hides. A mention is the same word as written (capitals included: a tied "Nice" makes no
    "nice day" a place), or, when the place was found in lower case ("a lecce"), in any
    case. A firm's or a body's mention stays (`_a_firms_place`: "Our Leeds office", "la
    sede di Torino")."""
    tied: dict[str, float] = {}
    for result in results:
        if result.entity_type != "LOCATION" or result.score < min_score:
            continue
        value = text[result.start : result.end]
        if not is_place(value):
            continue
        key = value.casefold() if value.islower() else value
        tied[key] = max(tied.get(key, 0.0), result.score)
    if not tied:
        return results
    # A mention already judged is left as judged: an untied place (0.35: "Our Leeds office",
    # business prose), an address, a firm's name. Measured on the holdouts: without this and
    # `_a_firms_place`, propagation caught 18 labelled places for 29 false findings; with
    # both, 13 for 10.
    covered = [
        (r.start, r.end)
        for r in results
        if r.entity_type in {"LOCATION", "ADDRESS", "ORGANIZATION"}
    ]
    pattern = re.compile(
        r"(?<![\w\-'\u2019@./])(?i:"
        + "|".join(re.escape(place) for place in sorted(tied, key=len, reverse=True))
        + r")(?![\w\-@]|\.\w)"
    )
    extra = []
    for match in pattern.finditer(text, timeout=regex_limits.seconds()):
        mention = match.group()
        if mention not in tied and mention.casefold() not in tied:
            continue  # another capitalisation than the found one's
        if any(s < match.end() and match.start() < e for s, e in covered):
            continue
        if _a_firms_place(text, match.start(), match.end()):
            continue
        extra.append(
            RecognizerResult("LOCATION", match.start(), match.end(), PROPAGATED_PLACE_SCORE)
        )
    return results + extra
