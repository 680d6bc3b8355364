"""People: names the statistical model may miss, and dates of birth.

The small spaCy models miss names that a human reader never would: "Mme Lefèvre", "Nom :
DUPONT", "Herr Müller" in a text with no German model, a name the model only half-covers.
Three cues catch most of them, in every language, with or without a model:
- a title or form of address before a capitalised name (`M.`, `Madame`, `Mr`, `Dr`, `Herr`,
  `Frau`, `Sr.`, `Sra.`, `Sig.ra`, …); the title itself is not part of the finding;
- a form label before it (`Nom :`, `Prénom :`, `Name:`, `Vorname:`, `Apellidos:`, …);
- a common first name (`names.FIRST_NAMES`) followed by a capitalised surname, or a surname
  in capitals followed by a first name ("DUPONT Jean", as French forms write it).
`propagate_names` then marks the other occurrences in the same text of the words of each
name found (the surname alone, a first name alone), as a reader would.

A date is a date of birth (`DATE_OF_BIRTH`, masked by the default policy, unlike other
dates) when a birth phrase ("né le", "born on", "geboren am", "fecha de nacimiento") stands
just before it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from itertools import pairwise

import regex as re
from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from proxy.detection import regex_limits
from proxy.detection.brands import a_brand
from proxy.detection.context import any_phrase, phrase_pattern
from proxy.detection.gazetteer import is_big_place, is_place
from proxy.detection.historical import listed_figure
from proxy.detection.mailboxes import role_mailbox
from proxy.detection.name_index import (
    COMMON_ANYWHERE,
    Flag,
    flags,
    is_first_name,
    is_name,
    is_surname,
    is_unambiguous_first_name,
    without_accents,
)
from proxy.detection.names import COMMON_WORDS, FIRST_NAMES
from proxy.detection.places import STREET_TYPES, stop_words

UPPER = r"\p{Lu}"
# A team or a department after a signature's name: "Aaliyah | Returns team", "Callum @
# Support", "Jérémie — Support", "Kevin vom Kundenservice".
_SIGNATURE_TEAM = r"[ \t]+(?:[|@\u2014\u2013\-]|vom|von|from|de|du|del|della|dal|dello)[ \t]+"
LOWER = r"[\p{Ll}'\u2019]"
# A capitalised name word ("Dupont", "Jean-Pierre", "O'Brien", "D'Angelo", "McDonald",
# "MacAskill", West African "N'Diaye") or one in capitals ("O'CONNELL", "N'GUESSAN"). The
# letter after the capital is a lower-case one, so "O'" alone is no name word.
NAME_WORD = (
    rf"(?:(?:Ma?c|Fitz|[ODN]['\u2019])?{UPPER}\p{{Ll}}{LOWER}*(?:[\-'\u2019]{UPPER}?{LOWER}+)*"
    rf"(?:-{UPPER}{LOWER}+)*"
    rf"|(?:[ODN]['\u2019])?{UPPER}{{2,}}(?:[\-'\u2019]{UPPER}{{2,}})*)"
)
# Particles inside a full name, Irish "Ó"/"Ní" and Catalan "i" between two surnames ("Joan
# Pujol i Serra") included.
PARTICLE = (
    r"(?:de la|de|du|des|d'|d\u2019|van der|van den|van|von der|von|der|den|da|di|del|della|"
    r"dos|das|le|la|ben|el|al-|ter|zu|\u00d3|N\u00ed|Nic|U\u00ed|i)"
)
# A full name: words, with particles between ("Jean de La Fontaine", "Ludwig van Beethoven").
NAME = rf"{NAME_WORD}(?:(?:[ ]{PARTICLE})?[ ]{NAME_WORD}){{0,3}}"
INITIAL_THEN_NAME = rf"(?:{UPPER}\.[ ]?(?:{UPPER}\.[ ]?)?)?{NAME}"

TITLES = {
    "en": r"Mr|Mr\.|Mrs|Mrs\.|Ms|Ms\.|Miss|Mx|Dr|Dr\.|Prof\.|Professor|Sir|Dame|Lady|Lord",
    "fr": (
        r"M\.|MM\.|Mme|Mme\.|Mmes|Mlle|Mlle\.|Monsieur|Madame|Mademoiselle|Dr|Dr\.|Docteur|"
        r"Pr|Pr\.|Professeur|Me|Maître|Maitre"
    ),
    "de": (
        r"Herr|Herrn|Frau|Hr\.|Fr\.|Dr\. med\. dent\.|Dr\. med\.|Dr\. rer\. nat\.|Dr\.|"
        r"Prof\.|Fräulein"
    ),
    "es": r"Sr\.|Sra\.|Srta\.|Sres\.|Señor|Señora|Señorita|Don|Doña|D\.|Dña\.|Dr\.|Dra\.",
    "it": r"Sig\.|Sig\.ra|Sig\.na|Signor|Signora|Signorina|Dott\.|Dott\.ssa|Avv\.|Ing\.|Prof\.",
}
# Titles written out, which people also write in lower case ("gracias, señora Dubois").
SPELLED_TITLES = (
    r"mister|madam|madame|monsieur|mademoiselle|señor|señora|señorita|signor|signora|"
    r"signorina|herr|frau|doctor|doctora|docteur|dottore|dottoressa|professor|professeur|"
    r"doktor|dottor|doktorin|"
    # abbreviations written in lower case ("dott. Adeyemi", "sig.ra Rossi", "D.ª Covadonga")
    r"dott\.|dott\.ssa|sig\.|sig\.ra|avv\.|ing\.|dr\.|dra\.|sr\.|sra\.|prof\.|"
    r"d\.ª|dª|dña\."
)
_SPELLED_TITLE = re.compile(SPELLED_TITLES)
# A chat's title in lower case and the surname after it in lower case too ("bei frau
# kowalski", "la señora ortega", "madame lefebvre"): the title is a cue a capital is not
# needed for.
_LOWER_TITLED = re.compile(
    r"(?<![\w])(?:frau|herr|herrn|madame|monsieur|mademoiselle|señora|señor|señorita|"
    r"signora|signor|signorina|mrs|mr|ms)[ ]+(?P<name>\p{Ll}[\p{Ll}'\u2019\-]{2,})"
    r"(?![\w\-])"
)
# Greetings and introductions before a first name, in any case: chat messages are often
# written in lower case ("hi jessica, it's mark").
GREETINGS = (
    r"hi|hey|hello|dear|thanks|cheers|it's|it is|i'm|i am|this is|my name is|"
    r"bonjour|salut|coucou|bonsoir|merci|c'est|je suis|je m'appelle|moi c'est|"
    r"hallo|liebe|lieber|hier ist|ich bin|ich heiße|danke|"
    r"hola|querida|querido|soy|me llamo|gracias|ciao|caro|cara|sono|mi chiamo|grazie|"
    r"slt|cc|yo|hiya|moin|servus|buenas|buongiorno|buonasera|salve|good morning|good afternoon|"
    r"bonjour à|hallo an|hi there|"
    r"buenos días|buenos dias|buenas tardes|buenas noches|buen día|guten morgen|guten tag|"
    r"guten abend|good evening|good day"
)
# A letter's formal salutation, as often before a title or a department ("Gentile
# Direzione", "Estimados Sres.") as before a name ("Estimada Nuria,", "Gentile Davide,"):
# only a listed name after it is taken.
FORMAL_SALUTATIONS = (
    r"estimado|estimada|estimados|estimadas|apreciado|apreciada|distinguido|distinguida|"
    r"gentile|gentilissimo|gentilissima|gentili|egregio|egregia|carissimo|carissima|"
    r"cher|chère|chers|chères"
)
# Greetings as chat writes them, letters doubled: "holaa", "ciaooo", "heyyy", "hiii".
ELONGATED_GREETINGS = r"hola+|ciao+|hey+y|hii+|hello+o|salu+t|coucou+|hallo+o|oye|ey|hej|hei"
# Closing formulas: the line after one (or the rest of its line, after a comma) is a
# signature.
CLOSINGS = (
    r"best regards|kind regards|warm regards|regards|best wishes|best|cheers|thanks|"
    r"thank you|many thanks|sincerely|yours sincerely|yours faithfully|yours truly|"
    r"cordialement|bien cordialement|bien à vous|salutations|sincères salutations|"
    r"merci|merci d'avance|bonne journée|bonne soirée|à bientôt|bises|amitiés|"
    r"mit freundlichen grüßen|mit freundlichen grüssen|freundliche grüße|freundliche grüsse|"
    r"viele grüße|viele grüsse|beste grüße|beste grüsse|liebe grüße|liebe grüsse|"
    r"herzliche grüße|schöne grüße|grüße|gruß|mfg|lg|vg|danke|vielen dank|"
    r"atentamente|saludos|un saludo|saludos cordiales|un abrazo|muchas gracias|gracias|"
    r"cordiali saluti|distinti saluti|saluti|un saluto|grazie|grazie mille|a presto|"
    # a friend's or a relative's sign-off: "besos, Iratxe", "un bacio\nGiulia", "love, Tom"
    r"besos|besitos|un beso|abrazos|un cordial saludo|cordialmente|baci|bacioni|un bacio|"
    r"abbracci|un abbraccio|buona giornata|bisous|gros bisous|je t'embrasse|love|lots of love|"
    r"hugs|take care|all the best|warmly|speak soon|talk soon|küsse|bussi|bis bald|tschüss"
)
# Words naming a person's role, relation or occupation, right before their name:
# "Kundin Erika Mustermann", "patiente Durand", "singer Dubois", "mon collègue Rémi".
ROLES = (
    r"client|cliente|clients|customer|patient|patiente|paciente|paziente|"
    r"kunde|kundin|patientin|kontoinhaber|kontoinhaberin|mitarbeiter|mitarbeiterin|"
    r"kollege|kollegin|mieter|mieterin|vermieter|vermieterin|antragsteller|antragstellerin|"
    r"versicherte|versicherter|versicherungsnehmer|versicherungsnehmerin|ansprechpartner|"
    r"ansprechpartnerin|sachbearbeiter|sachbearbeiterin|bewerber|bewerberin|"
    r"colleague|employee|tenant|landlord|applicant|candidate|user|member|contact|manager|"
    r"collègue|salarié|salariée|locataire|propriétaire|candidat|candidate|utilisateur|"
    r"utilisatrice|interlocuteur|interlocutrice|adhérent|adhérente|assuré|assurée|"
    r"compañero|compañera|empleado|empleada|inquilino|inquilina|candidato|candidata|usuario|"
    r"usuaria|titular|asegurado|asegurada|collega|dipendente|inquilina|utente|assicurato|"
    r"assicurata|singer|chanteur|chanteuse|sänger|sängerin|cantante|actor|actress|acteur|"
    r"actrice|schauspieler|schauspielerin|attore|attrice|author|auteur|autor|autorin|autore|"
    r"driver|conducteur|conductrice|fahrer|fahrerin|conductor|conductora|autista|"
    r"conducente|guidatore|guidatrice|chauffeur|chauffeuse|lenker|lenkerin|"
    r"witness|témoin|zeuge|zeugin|testigo|testimone|"
    r"wife|husband|son|daughter|mother|father|brother|sister|friend|neighbour|neighbor|"
    r"mum|mom|dad|aunt|uncle|maman|papa|tante|oncle|mamie|papi|mama|oma|opa|onkel|"
    r"mamá|papá|tía|tío|abuela|abuelo|mamma|papà|zia|zio|nonna|nonno|"
    r"femme|mari|épouse|époux|fils|fille|mère|père|frère|sœur|soeur|ami|amie|voisin|voisine|"
    r"ehefrau|ehemann|sohn|tochter|mutter|vater|bruder|schwester|freund|freundin|nachbar|"
    r"nachbarin|esposa|esposo|marido|hijo|hija|madre|padre|hermano|hermana|amigo|amiga|"
    r"vecino|vecina|moglie|marito|figlio|figlia|fratello|sorella|amico|amica|vicino|vicina|"
    r"familie|famiglia|familia|famille|family|"
    # a married couple by its surname: "Eheleute Petrov", "i coniugi Petrescu", "los cónyuges
    # Iordache", "les époux Kowalczyk"
    r"eheleute|ehepaar|coniugi|cónyuges|conyuges|époux|spouses|"
    r"mannes|sohnes|vaters|bruders|compagno|compagna|novio|novia|pareja|copain|copine|"
    r"partner|partnerin|boyfriend|girlfriend|nephew|niece|cousin|cousine|cugino|cugina|"
    r"primo|prima|neffe|nichte|enkel|enkelin|nipote|nieto|nieta|"
    r"techniker|technikerin|schichtleiter|schichtleiterin|teamleiter|teamleiterin|"
    r"vorgesetzter|vorgesetzte|technician|engineer|supervisor|technicien|technicienne|"
    r"técnico|técnica|tecnico|tecnica|responsabile|nuovo assunto|nuova assunta|new hire|"
    r"nouvel embauché|nouvelle embauchée|nuevo empleado|nueva empleada|"
    # who signs or declares, who reviewed or reported: "Io sottoscritta Fosca Benedetti",
    # "Revisado por Wang Lei", "Gemeldet von Aleksandra"
    r"sottoscritto|sottoscritta|soussigné|soussignée|undersigned|unterzeichnete|"
    r"unterzeichneter|suscrito|suscrita|reviewed by|revisado por|revisione|geprüft von|"
    r"gemeldet von|segnalato da|signalé par|reportado por|approved by|approvato da|"
    r"aprobado por|genehmigt von|validé par|"
    # a handoff or a witness's sighting: "Escalate to Oyelaran", "Pasar a Sepúlveda",
    # "Vi a Carrasco salir", "Ho visto Lombardo uscire", "his line manager Kowalczyk"
    r"escalate to|hand over to|pasar a|passare a|passer à|weiterleiten an|vi a|ho visto|"
    r"j'ai vu|i saw|line manager|responsable"
)
# Plural roles before a list of names ("die Kinder Ana und Luka", "colleagues Marek and
# Ibo", "nietos, Álvaro, Inés, Jaime y Paloma", "Mitreisende: Bianca (10), Felice (7)").
PLURAL_ROLES = (
    r"kinder|kids|children|enfants|niños|hijos|hijas|figli|figlie|bambini|kollegen|colleagues|"
    r"collègues|colleghi|compañeros|colegas|eltern|parents|genitori|padres|brüder|brothers|"
    r"sisters|schwestern|frères|sœurs|fratelli|sorelle|hermanos|hermanas|twins|zwillinge|"
    r"grandchildren|grandkids|enkel|enkelkinder|petits-enfants|nietos|nietas|nipoti|"
    r"sons|daughters|söhne|töchter|filles|mitreisende|travellers|travelers|passengers|"
    r"passagiere|pasajeros|passeggeri|passagers|acompañantes|accompagnatori|"
    r"hijos políticos|schwiegerkinder"
)
# A plural role and what may follow it before its list ("nietos, ", "Kinder: ").
_ROLE_LIST_HEAD = rf"(?<![\w])(?i:{PLURAL_ROLES})[ ]*[:,]?[ ]+"
# The label of a meeting's or an event's list of people ("Attendees: Amara Diallo (chair),
# Sven Lindqvist, Fuchs (minutes)", "Presenti: …", "Entschuldigt: …"), with its colon.
_ATTENDEES_HEAD = re.compile(
    r"(?<![\w])(?i:attendees|participants|present|apologies|absent|invited|guests|"
    r"présents|présentes|excusés|excusées|absents|invités|anwesend|teilnehmer|teilnehmende|"
    r"teilnehmerinnen|entschuldigt|abwesend|gäste|asistentes|ausentes|invitados|excusados|"
    r"presenti|partecipanti|assenti|assenti[ ]giustificati|assente[ ]giustificato|"
    r"assente[ ]giustificata|invitati|ospiti)[ ]*:[ ]*"
)
# "Of" in the five languages, between a role or a kind of data and the person it is of.
OF = r"of|de|d'|du|von|vom|di|del|della|do|da"
# Kinds of personal data, before "of"/"de"/"von"/"di" and the person they belong to.
DATA_NOUNS = (
    r"number|phone|phone number|mobile|email|e-mail|mail|address|account|details|contract|"
    r"file|card|passport|numéro|téléphone|portable|adresse|courriel|compte|contrat|dossier|"
    r"coordonnées|carte|nummer|telefonnummer|handynummer|adresse|konto|vertrag|akte|daten|"
    r"número|teléfono|móvil|correo|dirección|cuenta|contrato|expediente|datos|tarjeta|"
    r"numero|telefono|cellulare|indirizzo|conto|contratto|pratica|dati|carta"
)
# A speaker's name at the start of a chat line ("lea: bin müde", "[09:15] manon: jsp"); the
# roles people are given instead are not names.
# Exports of messaging apps put the time after the name, with or without a colon, and the
# message on the same line or the next ("Nuria 23:05: a mi padre…", "Guillem Puig  11:04\n").
_SPEAKER_LINE = re.compile(
    # at most one space of indent, quoting marks aside: an indented "key:" is a YAML
    # record's field ("    sede: Oviedo", "      slack: …"), not a chat's speaker
    r"(?m:^(?:[ \t]?>)*[ \t]?(?P<stamp>\[[0-9:., \-/]{4,20}\][ \t]*)?"
    r"(?P<name>\p{L}[\p{L}'._\-]{1,30}(?:[ ]\p{Lu}[\p{L}'.\-]{1,30})?)"
    r"(?:[ \t]*:[ \t]+\S|(?P<time>[ \t]+\d{1,2}:\d{2}(?::\d{2})?)[ \t]*:?"
    r"(?:[ \t]+\S|[ \t]*\n[ \t]*\S)))"
)
SPEAKER_ROLES = frozenset(
    (
        "me", "moi", "ich", "yo", "io", "you", "agent", "support", "customer", "client",
        "cliente", "kunde", "kundin", "caller", "nurse", "doctor", "operator", "bot", "system",
        "user", "assistant", "conseiller", "conseillère", "gestor", "gestora", "agente",
        "operatore", "operador", "operadora", "berater", "beraterin", "mitarbeiter",
        "mitarbeiterin", "q", "a", "p", "r", "juez", "testigo", "witness", "judge", "richter",
        "zeuge", "mamá", "mama", "maman", "mum", "mom", "papa", "papá", "dad", "nonna",
        "nonno", "oma", "opa", "abuela", "abuelo", "admin", "moderator", "host", "guest",
        "note", "notes", "re", "fw", "fwd", "cc", "bcc", "to", "from", "subject", "objet",
        "betreff", "asunto", "oggetto", "date", "datum", "fecha", "data", "tel", "phone",
        "iban", "bic", "swift", "email", "id", "nif", "vat", "ip", "url", "ort", "city",
    )
)  # fmt: skip
# A question asking for a name, and the answer on the next line after a speaker's label:
# "Wie ist Ihr Name bitte?" / "Kunde: dragan petrović".
_NAME_QUESTION = re.compile(
    r"(?i:\b(?:name|nom|nombre|nome|namen)\b[^\n?]{0,40}\?|(?:who am i speaking|con quién hablo|"
    r"à qui ai-je|mit wem spreche|con chi parlo)[^\n?]{0,30}\?)[^\n]*\n"
)
_ANSWER = re.compile(
    r"[ \t>]*(?:\[[0-9:. \-/]{4,20}\][ \t]*)?(?:[\p{L} .'\-]{1,24}:[ \t]*)?"
    r"(?:(?i:it's|it is|i'm|je suis|c'est|soy|me llamo|sono|ich bin|ich heiße)[ \t]+)?"
    r"(?P<name>\p{L}[\p{L}'\-]+(?:[ ]\p{L}[\p{L}'\-]+){1,3})[ \t]*[.!]?[ \t]*(?:$|\n)"
)
# Words naming someone right before: "a teacher called Agnes McTavish", "un tal llamado
# Vlad", "ein Kollege namens Jonas".
CALLED = (
    r"called|named|namens|genannt|heißt|hieß|llamado|llamada|de nombre|se llama|se llamaba|"
    r"chiamato|chiamata|di nome|chiamava|chiamavano|si chiama|"
    r"appelé|appelée|nommé|nommée|prénommé|prénommée|dénommé|dénommée|"
    # a nickname ("il sig. Tancredi detto \"Tano\"", "conocido como Chema", "known as Vlad")
    r"detto|detta|alias|aka|a\.k\.a\.|surnommé|surnommée|apodado|apodada|conocido como|"
    r"conocida como|known as|nicknamed|spitzname"
)
# Who a relative belongs to, and relatives, before their name ("his son Milan", "la moglie
# Domenica").
_KIN_OWNERS = (
    r"my|his|her|their|our|your|mon|ma|son|sa|leur|notre|votre|mein|meine|sein|seine|ihr|"
    r"ihre|unser|unsere|dein|deine|mi|su|tu|nuestro|nuestra|mio|mia|suo|sua|tuo|tua|il|la|"
    r"lo|el|der|die|the|"
    # with a preposition: "dalla figlia Assunta", "mit seiner Frau Anna", "del hijo Iker"
    r"dalla|della|alla|nella|dal|del|dello|al|du|au|le|seiner|ihrer|meiner|deiner|unserer|"
    r"seinem|ihrem|meinem|deinem|unserem|seines|ihres|meines|dem|des"
)
_KIN = (
    r"wife|husband|son|daughter|mother|father|brother|sister|grandson|granddaughter|nephew|"
    r"niece|femme|mari|épouse|époux|fils|fille|mère|père|frère|sœur|soeur|petit-fils|"
    r"petite-fille|neveu|nièce|ehefrau|ehemann|frau|mann|sohn|tochter|mutter|vater|bruder|"
    r"schwester|enkel|enkelin|neffe|nichte|esposa|esposo|marido|mujer|hijo|hija|madre|padre|"
    r"hermano|hermana|nieto|nieta|sobrino|sobrina|moglie|marito|figlio|figlia|fratello|"
    r"sorella|nipote|compagno|compagna|compagne|compagnon|pareja|novio|novia|freund|freundin|"
    r"boyfriend|girlfriend|fiancé|fiancée|fidanzato|fidanzata"
)
# Relations before a name written in lower case in family chats: "tonton hervé", "tía
# ramiro", "auntie meena", "tante emine".
RELATIONS = (
    r"tonton|tata|tante|oncle|cousin|cousine|mamie|papi|papy|auntie|aunty|aunt|uncle|cousin|"
    r"grandma|grandpa|nan|nana|onkel|cousine|oma|opa|tía|tío|tia|tio|prima|primo|abuela|abuelo|"
    r"zia|zio|cugina|cugino|nonna|nonno|mamma|papà"
)
# A family's or a class's chat names its speakers by their relation ("oma gisela:", "tito
# paco:", "la yaya Carmen:"), by their child ("mamá de lucas:", "mama von jonas:", "la maman
# de noé:", "jose (papá de vega):") or by a first name and an initial ("sophie b:"): every
# name in them is a person's, and such a speaker is one more line of a chat between people.
_PARENTS = (
    r"mamá|mama|mamma|maman|mamme|mum|mom|mummy|mommy|papá|papa|papà|papi|dad|daddy|"
    r"mutter|vater|madre|padre|mère|père"
)
_OF_A_CHILD = r"(?:de|di|von|of|du|del|della|d['\u2019])"
_SPEAKER_NAME = r"\p{L}[\p{L}'\-]{1,30}"
_COMPOSITE_SPEAKER = re.compile(
    r"(?m:^(?:[ \t]?>)*[ \t]?(?:\[[0-9:., \-/]{4,20}\][ \t]*)?(?:"
    # a relation and a name
    rf"(?:(?i:la|le|el|il|mi|my|ma|mon)[ ]+)?(?i:{RELATIONS}|yaya|tita|tito|grandad|granddad|"
    rf"granny|gran|nonno|nonna|oma|opa|oncle)[ ]+(?P<relative>{_SPEAKER_NAME})"
    # a parent named by the child
    rf"|(?:(?i:la|le|el|il)[ ]+)?(?i:{_PARENTS})[ ]+(?i:{_OF_A_CHILD})[ ]*"
    rf"(?P<child>{_SPEAKER_NAME})"
    rf"|(?P<owner>{_SPEAKER_NAME})['\u2019]s?[ ]+(?i:mum|mom|dad|mummy|mommy|daddy)"
    # a name and who they are, in brackets
    rf"|(?P<named>{_SPEAKER_NAME})[ ]+\((?i:{_PARENTS})[ ]+(?i:{_OF_A_CHILD})[ ]*"
    rf"(?P<child_of_named>{_SPEAKER_NAME})\)"
    # a first name and an initial
    rf"|(?P<initialled>{_SPEAKER_NAME})[ ](?P<initial>\p{{L}})\.?"
    r")[ \t]*:[ \t]+\S)"
)
# Words after which a lower-case first name is a person in chat: "slt c chloé", "chez
# bastien", "avec rémi", "hey jürgen", "with oskar".
CHAT_CUES = (
    r"hi|hey|hello|yo|hiya|dear|thanks|thx|cheers|with|from|ask|tell|call|text|"
    r"salut|slt|coucou|cc|bonjour|bjr|bonsoir|merci|c|c'est|cest|avec|chez|pour|de la part de|"
    r"moi c|moi c'est|demande à|dis à|"
    r"hallo|hi|moin|servus|grüß dich|danke|mit|bei|von|frag|"
    r"hola|buenas|gracias|con|soy|ciao|salve|grazie|sono|da|"
    # telling, asking or seeing someone: "sag jonas", "dile a dayana", "dis a dylan", "di a
    # martina", "has visto a paz", "hai visto stella"
    r"sag|sage|dile a|decile a|dì a|di a|dis a|dites à|chiedi a|chiedo a|pregunta a|"
    r"pregúntale a|has visto a|hai visto|vi a|ho visto|told|asked"
)
# The chat cues that are prepositions.
_PREPOSITION_CUES = frozenset(
    {"with", "from", "avec", "chez", "pour", "de la part de", "mit", "bei", "von", "con", "da"}
)
# A street's first word after a labelled name and a comma starts the address, not the name's
# other half ("Remitente: Bartolomé Cifuentes Ayala, Plaza de San Francisco 5", "Absender:
# Arben Hoxha, Lindenstraße 4"; "Nom : Dupont, Jean" keeps its first name).
_STREET_START = (
    rf"(?i:{'|'.join(sorted(STREET_TYPES))})[ ]"
    r"|\p{L}+(?i:straße|strasse|weg|gasse|platz|allee|ring|damm|ufer)[ ]"
)
LABELS = (
    r"Nom|Prénom|Prénoms|Nom de famille|Nom et prénom|Nom, prénom|Nom de naissance|Nom d'usage|"
    r"Name|Full name|First name|Last name|Surname|Given name|Family name|Patient name|"
    r"Vorname|Vornamen|Nachname|Familienname|Vor- und Nachname|Prenom|First_name|Last_name|"
    r"Firstname|Lastname|Full_name|Fullname|Nom_complet|Apellido1|Apellido2|"
    r"Nombre|Apellido|Apellidos|Nombre y apellidos|Cognome|Nome|Nome e cognome|"
    r"Titulaire|Titulaire du compte|Account holder|Kontoinhaber|Titular|Intestatario|"
    r"Patient|Patiente|Paciente|Paziente|Salarié|Salariée|Employee|Mitarbeiter|Mitarbeiterin|"
    r"Kontoinhaberin|Patientin|Kunde|Kundin|Customer|Client|Cliente|Versicherte|Versicherter|"
    r"Contact|Contact person|Ansprechpartner|Ansprechpartnerin|Persona de contacto|Referente|"
    r"Signed|Signé|Unterschrift|Firma|Firmado|Firmato|gez\.|gezeichnet|Sender|Expéditeur|Absender|Remitente|Mittente|"
    r"Signature|Signatures|Signatur|Unterschriften|Signed by|Signé par|Firmado por|Firmato da|"
    r"Beneficiary|Bénéficiaire|Begünstigter|Beneficiario|Beneficiaria|Passenger|Passager|"
    r"Passagier|Pasajero|Passeggero|Guest|Invité|Gast|Huésped|Ospite|Owner|Propriétaire|"
    r"Inhaber|Inhaberin|Propietario|Proprietario|Requester|Demandeur|Antragsteller|Solicitante|"
    r"Richiedente|Author|Auteur|Verfasser|Autor|Autore|"
    # the parties of a sale: "ACQUIRENTE: Besiana Kola", "Käuferin: Dilek Aydemir"
    r"Buyer|Seller|Purchaser|Acheteur|Acheteuse|Acquéreur|Acquéreuse|Vendeur|Venderesse|"
    r"Käufer|Käuferin|Verkäufer|Verkäuferin|Comprador|Compradora|Vendedor|Vendedora|"
    r"Acquirente|Venditore|Venditrice|"
    # other names of the same person: "Geburtsname: Fiedler", '"preferred_name": "Sasha"'
    r"Geburtsname|Ehename|Rufname|Spitzname|Maiden name|Birth name|Married name|"
    r"Preferred name|Preferred_name|Nickname|Known as|Nom de jeune fille|Nom marital|Surnom|"
    r"Apellido de soltera|Apodo|Cognome da nubile|Cognome di nascita|Soprannome"
)

ROLE_WORDS = frozenset(ROLES.split("|")) | frozenset(
    {"juriste", "paralegal", "conseiller", "conseillère", "assistante", "assistant", "chargée",
     "chargé", "git", "kollegen", "kolleginnen", "team", "équipe"}
)  # fmt: skip
# The titles as words ("sra", "dott", "sig.ra"): their patterns unescaped; "M." and "D." left
# out, which are initials as often.
TITLE_WORDS = frozenset(
    word.replace("\\", "").casefold().rstrip(".")
    for titles in TITLES.values()
    for word in titles.split("|")
    if len(word.replace("\\", "").rstrip(".")) > 1
) | frozenset({"mister", "docteur", "doctor", "madame", "monsieur", "messieurs", "mesdames"})
LABEL_WORDS = frozenset(label.casefold() for label in LABELS.split("|")) | frozenset(
    {"nom", "prénom", "adresse", "address", "date", "tél", "tel", "email", "mail", "objet"}
)

_DATE_MONTHS = (
    r"janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|"
    r"novembre|décembre|decembre|janv\.|févr\.|sept\.|oct\.|nov\.|déc\.|"
    r"january|february|march|april|may|june|july|august|september|october|november|"
    r"december|jan\.?|feb\.?|mar\.?|apr\.?|jun\.?|jul\.?|aug\.?|sep\.?|sept\.?|oct\.?|"
    r"nov\.?|dec\.?|januar|jänner|februar|märz|april|mai|juni|juli|august|september|"
    r"oktober|november|dezember|enero|febrero|marzo|abril|mayo|junio|julio|agosto|"
    r"septiembre|setiembre|octubre|noviembre|diciembre|gennaio|febbraio|aprile|maggio|"
    r"giugno|luglio|settembre|ottobre|dicembre"
)
# Month abbreviations of travel documents and airline bookings ("11MAR1981", "15ABR1978").
_DOCUMENT_MONTHS = (
    r"JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC|ENE|ABR|AGO|DIC|GEN|MAG|GIU|LUG|SET|"
    r"OTT|JANV|FEV|FÉV|AVR|MAI|JUIN|JUIL|AOU|AOÛ|DÉC|MRZ|MÄR|OKT|DEZ"
)
DATE = (
    r"(?:\d{1,2}[./\-]\d{1,2}[./\-](?:\d{4}|\d{2})"
    r"|\d{1,2}\.[ ]\d{1,2}\.[ ]?(?:\d{4}|\d{2})"  # spaced, as German dictation: "3. 8. 1988"
    r"|\d{4}-\d{2}-\d{2}"
    r"|\d{4}[./]\d{2}[./]\d{2}"  # year first with dots or slashes: "1994.10.03"
    # a Roman month, as Spanish and Italian records write it: "14.VII.1952"
    r"|\d{1,2}[./](?:XII|XI|X|IX|VIII|VII|VI|V|IV|III|II|I)[./](?:\d{4}|\d{2})"
    rf"|\d{{2}}(?:{_DOCUMENT_MONTHS})(?:\d{{4}}|\d{{2}})(?![\w])"
    # a month's name between hyphens, as forms and spreadsheets write it: "12-Mar-1985"
    rf"|\d{{1,2}}-(?:{_DATE_MONTHS})-(?:\d{{4}}|\d{{2}})(?![\w])"
    # "3rd of June 1991", "le 1er mars 1990", "12 de mayo de 1985"
    rf"|(?:1er|\d{{1,2}})(?:\.|er|st|nd|rd|th)?\s+(?:(?:de|of)\s+)?(?:{_DATE_MONTHS})"
    r"(?:\s+de)?,?\s+\d{4}"
    rf"|(?:{_DATE_MONTHS})\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})"
)


# A date written out in words, as dictation gives it ("second of march nineteen sixty five",
# "dritten juni neunzehnhundertsiebzig", "quattordici novembre millenovecentosessantanove"):
# number words of the five languages, whole or glued into one word as German and Italian
# write them, the small words between, and a month name (checked by the caller).
_NUMBER_MORPHEMES = (
    # en
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
    r"eighty|ninety|hundred|thousand|first|second|third|fourth|fifth|sixth|seventh|eighth|"
    r"ninth|tenth|eleventh|twelfth|teenth|tieth|th|oh|"
    # fr
    r"un|une|deux|trois|quatre|cinq|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|"
    r"seize|vingt|trente|quarante|cinquante|soixante|cent|cents|mille|mil|premier|première|"
    # de
    r"ein|eins|zwei|drei|vier|fünf|sechs|sech|sieben|sieb|acht|neun|zehn|elf|zwölf|zwanzig|"
    r"dreißig|vierzig|fünfzig|sechzig|siebzig|achtzig|neunzig|hundert|tausend|und|erst|dritt|"
    r"ten|te|ter|sten|ste|"
    # es
    r"uno|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|once|doce|trece|catorce|quince|"
    r"dieci|veinti|veinte|treinta|cuarenta|cincuenta|sesenta|setenta|ochenta|noventa|cien|"
    r"ciento|cientos|novecientos|ochocientos|primero|séis|dós|trés|"
    # it
    r"due|tre|quattro|cinque|sei|sette|otto|nove|dieci|undici|dodici|tredici|quattordici|"
    r"quindici|sedici|diciassette|diciotto|diciannove|venti|vent|trenta|trent|quaranta|"
    r"quarant|cinquanta|cinquant|sessanta|sessant|settanta|settant|ottanta|ottant|novanta|"
    r"novant|cento|mila|primo"
)
_NUMBER_WORD = rf"(?:{_NUMBER_MORPHEMES})+(?:en|er|es|e)?(?:-(?:{_NUMBER_MORPHEMES})+)*"
_SPELLED_FILLERS = r"of|the|and|de|del|du|et|y|e|im|jahr|l'|le|el|il|am|in"
SPELLED_DATE = (
    rf"(?:{_NUMBER_WORD}|{_DATE_MONTHS})"
    rf"(?:[ ,]+(?:(?:{_SPELLED_FILLERS})[ ]+)*(?:{_NUMBER_WORD}|{_DATE_MONTHS})(?![\w'\-])){{2,10}}"
)
_SPELLED_MONTH = re.compile(rf"(?<![\w])(?:{_DATE_MONTHS})(?![\w])", re.IGNORECASE)


def _result(entity: str, start: int, end: int, score: float) -> RecognizerResult:
    # The analyzer adds the recognizer's name and id to the metadata (context needs the id).
    return RecognizerResult(entity, start, end, score)


class NameCueRecognizer(EntityRecognizer):
    """PERSON from cues a reader uses, with or without a statistical model (module
    docstring). Scores, from the strongest evidence to the weakest:

    - 0.75: after a title ("Mme", "Herr", "Sra.", "señora") or a listed form label ("Nom :",
      "Patientin:"); a maiden name after a name and "geb." or "née" ("Ferreira geb.
      Sousa");
    - 0.7: after a role word ("Kundin", "client", "paciente", "singer", "la maman de") or a
      closing formula (the signature), when a word of it is a known name or it has two
      words; after any other form label ("Next of kin:", "Grenzgänger:"), a name of two to
      four words with a known one; the answer to a question asking for a name ("Wie ist
      Ihr Name?" / "Kunde: dragan petrović"); a word an e-mail address of the same text is
      made of ("Elira Kelmendi, elira_kelmendi@totino.it"); the display name before an
      address ("From: Tendai Moyo <t.moyo@example.org>"); a listed surname in lower case
      after a title in lower case ("bei frau kowalski", "la señora ortega");
    - 0.65: a known first name (`name_index`) then a capitalised word ("Erika Mustermann",
      "Tyler Low"), a listed first name before a surname ("Morgan Bryant"), or a surname in
      capitals then a first name ("DUPONT Jean");
    - 0.6: one capitalised word after a greeting ("Hallo Konrad,", "Thanks, Priya") or
      "called"; a name after "the number of" ("le numéro de Aimé"); a known name with "'s"
      or an initial ("Letizia M."); a lower-case name after a chat cue or a relation
      ("hey jürgen", "tonton hervé") that is a common word in none of the five languages;
      the speakers of a chat ("lea: bin müde"), and of a chat export's "Name 18:02" lines;
      a lower-case first name, even a word,
      starting a clause before what only a person does ("sole è arrivata"); the last line
      of a text (its writer); a surname then a first name as a field of a form or list
      ("Titolare: Bianchi Matteo"); a first name that is a word in no language alone on
      its line (a salutation "Marcus,", a sign-off, a field's value "Approva: Ilaria") or
      in parentheses ("Selezionatrice (Martina):"); a first name, a word-like one included,
      after a verb of calling, asking or telling ("avvisa Fortunato", "text Sunny");
    - 0.55: a known first name alone, capitalised, inside a sentence and not inside a
      longer name nor before a capitalised word or "&" ("Clarion Health", "Marks &
      Spencer"), or starting a sentence when it is a word in no language and a lower-case
      word follows ("Tariq will ask"). The small models miss most lone first names of
      other cultures ("Aoife", "Tunde"), so this runs with a model too.
    A "known name" is one of `name_index` that is not a common word of the text's language
    or of English ("Oskar" is, "Bitte" and "Will" are not). Names of firms, products and
    notable places (`business_name`, `place_not_person`) are dropped below 0.75.
    """

    def __init__(self, language: str) -> None:
        super().__init__(
            supported_entities=["PERSON"], name="NameCueRecognizer", supported_language=language
        )
        titles = "|".join(TITLES.values())
        self._titled = re.compile(
            rf"(?<![\w.])(?:{titles}|(?i:{SPELLED_TITLES}))[ \u00a0]+(?P<name>{INITIAL_THEN_NAME})"
        )
        self._labelled = re.compile(
            rf"(?<![\w])(?P<label>(?i:{LABELS}))[ \t]*(?:\([^)\n]{{0,20}}\))?[ \t]*"
            rf"(?::|\"[ \t]*:)[ \t]*"  # "Nom :" or a JSON key, '"nom": "Le Goff"'
            rf"(?P<quote>\")?(?P<name>{INITIAL_THEN_NAME}(?:,?[ ](?!{_STREET_START}){NAME})?)"
            rf"(?(quote)\")"
        )
        self._greeted = re.compile(
            rf"(?<![\w])(?i:{GREETINGS}|{ELONGATED_GREETINGS})[ ,!]+"
            rf"(?P<name>(?i:[\p{{L}}][\p{{L}}'\u2019\-]+))"
            rf"(?:[ ](?P<last>{NAME_WORD}))?(?![\w])"
        )
        self._saluted = re.compile(
            rf"(?<![\w])(?i:{FORMAL_SALUTATIONS})[ ]+(?P<name>{NAME_WORD})"
            rf"(?:[ ](?P<last>{NAME_WORD}))?(?=[ ]*[,:!\n])"
        )
        self._chat = re.compile(
            rf"(?<![\w'])(?P<cue>(?i:{CHAT_CUES}|{RELATIONS}))[ ,:]+"
            rf"(?P<name>\p{{Ll}}[\p{{Ll}}'\u2019\-]+)"
            rf"(?![\w])"
        )
        self._called = re.compile(
            rf"(?<![\w])(?i:{CALLED})[ ]+[\"'«„“]?(?P<name>{NAME_WORD}(?:[ ]{NAME_WORD})?)(?![\w])"
        )
        self._role = re.compile(
            rf"(?<![\w])(?i:{ROLES})(?:[ ]+(?i:{OF}))?"
            rf"[ ]*[:,]?[ ]+(?P<name>{NAME})"
        )
        self._role_list = re.compile(rf"{_ROLE_LIST_HEAD}(?=\p{{Lu}})")
        # A relative named after the relation ("ihr Sohn Milan", "su esposa Montse", "la
        # moglie Domenica", "nonna Assunta"): a first name may be a word too there.
        self._kin = re.compile(
            rf"(?<![\w])(?:(?i:{_KIN_OWNERS})[ ]+(?i:{_KIN})|(?i:{RELATIONS}|auntie))[ ]*,?[ ]+"
            rf"(?P<name>(?-i:\p{{Lu}}\p{{Ll}}+))(?![\w\-])"
        )
        # A chat asking after someone ("anyone seen rosh today?", "hat jemand lea gesehen?",
        # "qualcuno ha visto chiara?", "algú ha vist la montse?") or inviting to someone's
        # party ("al cumple de edu?", "alla festa di ale?", "zu chrissis geburtstag?"): the
        # word is a person's name, written in lower case as chats do (`_sought_or_feted`).
        self._sought = re.compile(
            r"(?<![\w])(?i:anyone seen|has anyone seen|have you seen|you seen|did you see|"
            r"qualcuno ha visto|avete visto|alguien ha visto a|alguien vio a|habéis visto a|"
            r"algú ha vist|quelqu'un a vu|vous avez vu|t'as vu|hat jemand|hat wer|habt ihr|"
            r"cumple de|cumpleaños de|festa di|compleanno di|anniversaire de|anniv de|"
            r"birthday of|geburtstag von)[ ]+(?:(?i:la|el|il|lo|le|the)[ ]+)?"
            r"(?P<name>\p{Ll}[\p{Ll}\-]{1,})(?=[ ]*(?:\?|!|$|,|today|heute|oggi|hoy|avui|"
            r"aujourd'hui|gesehen|irgendwo))"
            r"|(?<![\w])(?P<owner>\p{Ll}{2,}?)(?:'s|s)[ ]+(?i:birthday|bday|geburtstag|party)"
            r"(?![\w])"
            # someone's number in lower case ("hai il numero di donatella?"): first names only
            r"|(?<![\w])(?i:numero|número|numéro|nummer|number|tel|telefono|teléfono|mail|"
            r"e-mail|email|correo|indirizzo|dirección|adresse|address|handy|móvil|cellulare)"
            r"[ ]+(?i:di|de|von|of|da)[ ]+(?P<holder>\p{Ll}[\p{Ll}\-]{2,})(?![\w])",
            re.MULTILINE,
        )
        # A chat's question about someone: "und Henrik?", "y Quique?", "e Rocco?".
        self._asked_about = re.compile(
            r"(?:^|[\n:.!][ \t]*)(?i:and|und|et|y|e|what about|und was ist mit)[ \t]+"
            r"(?P<name>\p{L}[\p{Ll}'\u2019\-]+)[ \t]*\?",
            re.MULTILINE,
        )
        # Someone's data, named by a preposition: "le numéro de Aimé", "die Nummer von
        # Konrad", "la mail di Isabella", "the address of Priya", "el correo de Chema".
        self._owner = re.compile(
            rf"(?<![\w])(?i:{DATA_NOUNS})[ ]+(?i:{OF})[ ]*"
            rf"(?P<name>{NAME_WORD}(?:[ ]{NAME_WORD})?)(?![\w])"
        )
        # Someone a sentence hands a task or a question to, or the writer's partner in a chat
        # answer: "io e Bogdan", "Chiedere di Manu al 0422 …", "ask for Beppe" (a known first
        # name alone, or two capitalised words).
        self._handed_to = re.compile(
            r"(?<![\w])(?i:me and|ich und|io e|yo y|moi et|ask for|asked for|chiedere di|"
            r"chiedi di|chiedete di|preguntar por|pregunta por|preguntad por|demander|demandez|"
            r"fragen nach|fragt nach|assigned to|assegnato a|assegnata a|asignado a|asignada a|"
            r"attribué à|attribuée à|zugewiesen an|"
            # a ticket's field: "assigné : Quentin", "assegnato: Nicolò", "Bearbeiter: Timo"
            r"(?:assigned|assignee|assigné|assignée|attribué|assegnato|assegnata|asignado|"
            r"asignada|zugewiesen|bearbeiter|bearbeiterin|zuständig|incaricato|incaricata)"
            r"[ \t]?:)"
            rf"[ ]+(?P<name>{NAME_WORD}(?:[ ]{NAME_WORD})?)(?![\w])"
        )
        # A maiden name after a married one: "Ana Rita Ferreira geb. Sousa", "Adaeze
        # Haverkamp geb. Nwosu", "Claire Martin, née Dubois". "geb." before a date or "am"
        # is a birth date's ("geb. am 14.07.1988"): a name word starts with a capital.
        self._maiden = re.compile(
            rf"(?<=\p{{Ll}},?[ ])(?:geb\.|geborene|geborener|née|nee)[ ]+"
            rf"(?P<name>{NAME_WORD})(?![\w])"
        )
        # Someone a sentence says to call, ask, tell or thank: "chiamare Fortunato
        # (idraulico)", "avvisa Primo", "chiedo a Felice", "pregunta a Pilar", "ask Sunny",
        # "frag Vera". One capitalised first name, a word-like one included ("Fortunato",
        # "Sunny"), with no capitalised word after it.
        self._contacted = re.compile(
            rf"(?<![\w])(?i:{_CONTACT_VERBS})[ ]+(?P<name>\p{{Lu}}\p{{Ll}}+)"
            r"(?![\w\-'\u2019@.]|[ ]+(?:&|\p{Lu}))"
        )
        self._signature = re.compile(
            rf"(?im:(?:^[ \t>]*|[.!?][ \t]+)(?:{CLOSINGS})[ \t]*[,.!]?[ \t]*"
            rf"(?:(?:\r?\n[ \t>]*){{1,2}}|,[ \t]*|[ \t]+-[ \t]*|[ ](?=[^\n]{{2,40}}$)))"
            rf"(?P<name>(?:{UPPER}\.[ ]?)?{NAME_WORD}(?:[ \-]{NAME_WORD}){{0,2}}"
            rf"(?:[ ](?:&|and|et|und|y|e)[ ]{NAME_WORD})?)[ \t]*(?:$|,|\(|\r?\n|{_SIGNATURE_TEAM})"
        )
        # The last line of a text, after a blank line or a dash: who wrote it ("\n\nHauke",
        # a dash before "Marcus", "Corinne, Support", "\n\nG. Ravelojaona").
        self._last_line = re.compile(
            rf"(?:\n[ \t]*\n|[\u2014\u2013][ \t]*|^)[ \t>]*"
            rf"(?P<name>(?:{UPPER}\.[ ]?)?{NAME_WORD}(?:[ \-]{NAME_WORD})?)"
            rf"[ \t]*(?:[,(][^\n]{{0,40}}|{_SIGNATURE_TEAM}[^\n]{{1,40}})?[ \t]*\s*$"
        )
        self._possessive = re.compile(rf"(?<![\w])(?P<name>{NAME_WORD})['\u2019]s(?![\w])")
        # "Bianchi Matteo", "Hofmann, Tobias", "Delvaux, Marie-Claire": surname first, as
        # registers, forms and Italian usage write it; two surnames before a comma
        # ("IBÁÑEZ SOLER, Vicente", "Hartwig-Nguyen, Lan").
        self._surname_first = re.compile(
            rf"(?<![\w\-])(?P<surname>{NAME_WORD}[ \-]{NAME_WORD}(?=,)|{NAME_WORD}),?[ ]"
            rf"(?P<first>{NAME_WORD})(?![\w\-]|[ ]\p{{Lu}})"
        )
        self._first_last = re.compile(
            rf"(?<![\w])(?P<first>{NAME_WORD})(?:[ \-](?P<second>{NAME_WORD}))?"
            rf"(?:[ ]{PARTICLE})?[ ](?P<last>{NAME_WORD})"
            # whole words only: "Emma Matratzen GmbH" is no "Emma Matratzen Gmb"
            rf"(?:[ ](?P<more>{NAME_WORD}))?(?![\w])"
        )
        self._capitalised = re.compile(r"(?<![\w\-'])(?P<name>\p{Lu}\p{Ll}{2,})(?![\w\-])")
        # Any form label, not only the listed ones ("Next of kin:", "Taxpayer:", "Host:",
        # "Grenzgänger:"), when what follows it to the end of the line is a name of two to
        # four words, one of them a known name and none a common word.
        self._any_label = re.compile(
            rf"(?m:^[ \t>*\-]*[\p{{L}}][\p{{L}} ./'()\-]{{1,30}}?[ \t]*:[ \t]*)"
            rf"(?P<name>{NAME_WORD}(?:[ ]{PARTICLE})?(?:[ ]{NAME_WORD}){{1,3}})"
            rf"[ \t]*(?=(?m:$)|[,;(]|[ \t]+-[ \t]|[ \t]{{2}})"
        )
        # The last line of a text, a first name and a team: "\nKevin vom Kundenservice",
        # "\nJérémie — Support", "\nSara del servizio clienti".
        self._team_sign_off = re.compile(
            rf"(?:^|\n)[ \t>]*(?P<name>{NAME_WORD}(?:[ ]{NAME_WORD})?){_SIGNATURE_TEAM}"
            rf"[^\n]{{1,40}}\s*$"
        )
        # A known first name and an initial: "Letizia M.", "Dominyka K."
        self._first_initial = re.compile(rf"(?<![\w])(?P<name>{NAME_WORD}[ ]\p{{Lu}}\.)(?![\w])")
        # An initial and a surname ("J. Cortés", "E. Yildiz"), as signatures and minutes
        # write a person.
        self._initial_last = re.compile(
            r"(?<![\w.])(?P<name>(?:\p{Lu}\.[ ]?)?\p{Lu}\.[ ]"
            r"(?P<particle>(?:La|Le|Lo|De|Di|Da|Del|Della|Van|Von|van|von|de|di|da|del|della)[ ])?"
            r"(?P<last>\p{Lu}[\p{Ll}'\u2019]+(?:-\p{Lu}[\p{Ll}]+)?))"
            r"(?![\w\-]|[ ]\p{Lu})"  # "D. Anselmo Ferrer": a title, then a full name
        )
        # Who signed, as initials and a surname in any list: "Signed E. Demirtaş",
        # "Signed: P. Ortega ....... F. Achterberg", "Unterschriften: G. Fuchs / M. L. Tran".
        self._signed = re.compile(
            r"(?<![\w])(?i:signed|signed by|signature|signatures|signé|signé par|"
            r"unterschrift|unterschriften|gez\.|gezeichnet|firmado|firmado por|firma|firmato|"
            r"firmato da|firme)[ \t]*:?[ \t]+(?P<names>[^\n]{1,120})"
        )
        self._signed_name = re.compile(
            rf"(?<![\w.])(?:\p{{Lu}}\.[ ]?){{1,2}}[ ]?{NAME_WORD}(?:-{NAME_WORD})?(?![\w\-])"
        )
        # A travel booking's or a passport's name: "HASSAN/KARIM", "GARCIA LOPEZ/DIEGO".
        self._document_name = re.compile(
            r"(?<![\w/])(?P<name>\p{Lu}{2,}(?:[ \-]\p{Lu}{2,}){0,2}/\p{Lu}{2,}(?:[ ]\p{Lu}{2,})?)"
            r"(?![\w/])"
        )

    def load(self) -> None:
        """Nothing to load."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Names from titles, labels, roles, signatures, greetings, the layout of chats and
        the name index (see the class docstring for the scores)."""
        language = self.supported_language
        results = [
            *self._announced(text, language),
            *_speakers(text, language),
            *_timed_speakers(text, language),
            *_names_before_a_role(text, language),
            *_answers_to_a_name_question(text, language),
            *_email_names(text, language),
            *_display_names(text, language),
            *_logins_with_their_names(text),
            *self._by_name(text, language),
        ]
        results.extend(self._lone_first_names(text, language))
        results.extend(_lower_case_names_in_a_lower_case_text(text, results))
        return (
            [
                r
                for r in results
                if not (
                    business_name(text, r.start, r.end, language)
                    # a dotted lower-case login is nobody's product, even quoted ('user
                    # „strauß.ingrid“ from'), nor a name on a doorbell ('citofono «Colombo»')
                    and _DOTTED_LOGIN.fullmatch(text, r.start, r.end) is None
                    and _AFTER_A_DOORBELL.search(text, max(0, r.start - 80), r.start) is None
                )
                and not (r.score < 0.75 and place_not_person(text[r.start : r.end]))
                and not (r.score < 0.7 and _in_a_quoted_title(text, r.start, r.end))
                and not (r.score < 0.75 and _in_a_table_header(text, r.start))
            ]
            # not filtered: a verb of calling names a person even in quotes („Bolle“ looks
            # like a product's name), and a CV's heading in capitals may start with a
            # dish's word ("SOLE AGARWAL")
            + _called_by_a_verb(text, language)
            + _names_in_capitals(text, language)
            # nor a meeting's list of people, where "Ji-hoon Park" after a comma is no park
            + _attendees(text, language)
        )

    def _announced(self, text: str, language: str) -> list[RecognizerResult]:
        """Names after a word that announces one: a title, a label, a role, a closing
        formula, "called", "the number of", a greeting, a chat cue."""
        timeout = regex_limits.seconds()
        results = []
        for pattern, score in ((self._titled, 0.75), (self._labelled, 0.75)):
            for match in pattern.finditer(text, overlapped=True, timeout=timeout):
                if _a_firm_field(match, language):
                    continue
                start, end = _trim_common_words(
                    text,
                    *_without_a_code_prefix(text, *match.span("name")),
                    # after a title, a word is a name ("Frau Krämer", "Sig. Costante")
                    language if pattern is self._labelled else None,
                )
                if end <= start or text[start:end].casefold() in ROLE_WORDS:
                    continue
                # "D." (Don) or "M." before a name in no list is a letter and a full stop
                # ("Certificado energético D. Comunidad 120 €/mes"), not a title.
                # French "M." is "Monsieur" ("M. Aubusson", "M. Fidèle Mbarga").
                one_letter = _ONE_LETTER_TITLE.search(
                    text, max(0, match.start() - 4), match.start("name")
                )
                if (
                    one_letter is not None
                    and not (language == "fr" and one_letter.group().startswith("M."))
                    and not is_listed_name(text[start:end].split(maxsplit=1)[0])
                ):
                    continue
                results.append(_result("PERSON", start, end, score))
        for pattern in (self._role, self._signature):
            for match in pattern.finditer(text, overlapped=True, timeout=timeout):
                start, end = _trim_common_words(text, match.start("name"), match.end("name"), None)
                words = text[start:end].split()
                if end <= start:
                    continue
                if pattern is self._signature and _a_signature_name(
                    words, language, at_the_end=not text[end:].strip()
                ):
                    results.append(_result("PERSON", start, end, 0.7 if len(words) > 1 else 0.6))
                    continue
                if not _plain_name_words(words, language) and not (
                    pattern is self._role and _a_known_first_then_a_surname(words, language)
                ):
                    continue
                known = any(is_name(word.strip("-"), language) for word in words)
                if known or len(words) > 1:
                    results.append(_result("PERSON", start, end, 0.7 if known else 0.6))
        return (
            results
            + self._after_a_phrase(text, language)
            + self._role_lists(text, language)
            + self._kin_names(text, language)
            + self._lower_case_titled(text, language)
            + self._greeted_or_chatted(text, language)
            + _subjects_of_a_person_verb(text)
            + _shift_plan_names(text)
        )

    def _after_a_phrase(self, text: str, language: str) -> list[RecognizerResult]:
        """Names after "called", "the number of", a task's hand-off, any form label, or a
        chat's question ("und Henrik?")."""
        results = []
        for pattern, accept, score in (
            (self._called, _not_a_lone_word, 0.6),
            (self._owner, _first_or_two_words, 0.6),
            (self._handed_to, _first_or_two_words, 0.6),
            (self._any_label, _a_known_name, 0.7),
            (self._asked_about, _a_first_name, 0.6),
        ):
            for match in pattern.finditer(text, timeout=regex_limits.seconds()):
                start, end = match.span("name")
                words = text[start:end].split()
                if _plain_name_words(words, language) and accept(words, language):
                    results.append(_result("PERSON", start, end, score))
                elif pattern is self._any_label and _ends_with_a_surname(words, language):
                    results.append(_result("PERSON", start, end, 0.6))
        for match in self._maiden.finditer(text, timeout=regex_limits.seconds()):
            name = match.group("name")
            if name.casefold() not in COMMON_WORDS:
                results.append(_result("PERSON", match.start("name"), match.end("name"), 0.75))
        for match in self._contacted.finditer(text, timeout=regex_limits.seconds()):
            if _a_contacted_name(match.group("name"), language):
                results.append(_result("PERSON", match.start("name"), match.end("name"), 0.6))
        return results + _nicknames(text, language)

    def _lower_case_titled(self, text: str, language: str) -> list[RecognizerResult]:
        """A lower-case surname after a lower-case title (`_LOWER_TITLED`), score 0.7: a
        surname some list holds, no stop word, title, label or (in German, where the title
        may stand before a noun: "frau doktor", "herr ober") everyday word."""
        results = []
        for match in _LOWER_TITLED.finditer(text, timeout=regex_limits.seconds()):
            word = match.group("name")
            folded = word.casefold()
            if (
                flags(word) & Flag.SURNAME
                and folded not in stop_words()
                and folded not in COMMON_WORDS | TITLE_WORDS | LABEL_WORDS | ROLE_WORDS
                and _SPELLED_TITLE.fullmatch(folded) is None
                and not (language == "de" and is_common_word(word, language))
            ):
                results.append(_result("PERSON", match.start("name"), match.end("name"), 0.7))
        return results

    def _kin_names(self, text: str, language: str) -> list[RecognizerResult]:
        """A capitalised word after a relation ("ihr Sohn Milan"), score 0.75, as after a
        title: a listed name even if it is a word or a town ("Primo", "Domenica", "Milan"),
        or a word of no list ("Montse")."""
        results = []
        for match in self._kin.finditer(text, timeout=regex_limits.seconds()):
            word = match.group("name")
            folded = word.casefold()
            listed = flags(word) & (Flag.FIRST | Flag.SURNAME)
            if (
                folded in TITLE_WORDS
                or folded in LABEL_WORDS
                or (folded in ROLE_WORDS and not listed)
            ):
                continue  # "la madre paciente"; but "il figlio Primo" ("primo": a cousin too)
            if listed or not (is_common_word(word, language) or folded in COMMON_WORDS):
                results.append(_result("PERSON", match.start("name"), match.end("name"), 0.75))
        return results

    def _role_lists(self, text: str, language: str) -> list[RecognizerResult]:
        """Two names or more after a plural role or relation ("die Kinder Ana und Luka",
        "nietos, Álvaro, Inés, Jaime y Paloma", "Hijos: Daniel (2014), Hope (2018)"), score
        0.75 as after a relation: each begins with a first name, a word-like one included
        ("Hope", "Paloma"), a town's too ("Rosario")."""
        results: list[RecognizerResult] = []
        for head in self._role_list.finditer(text, timeout=regex_limits.seconds()):
            items = _listed_people(text, head.end())
            if len(items) < 2 or not all(_a_listed_person(text[a:b], language) for a, b in items):
                continue
            results.extend(_result("PERSON", start, end, 0.75) for start, end in items)
        return results

    def _greeted_or_chatted(self, text: str, language: str) -> list[RecognizerResult]:
        """A name after a greeting ("Hallo Konrad,"), or in lower case after a chat cue
        ("slt c chloé", "ask kowalski")."""
        timeout = regex_limits.seconds()
        results = []
        for match in self._greeted.finditer(text, overlapped=True, timeout=timeout):
            if not self._greeted_name(match.group("name"), language):
                continue
            end = match.end("name")
            last = match.group("last")
            if last is not None and _plain_name_words([last], language):
                end = match.end("last")
            opens = _opens_a_letter(text, match.start(), end) and is_unambiguous_first_name(
                match.group("name")
            )
            results.append(_result("PERSON", match.start("name"), end, 0.75 if opens else 0.6))
        for match in self._saluted.finditer(text, timeout=timeout):
            name = match.group("name")
            folded = name.casefold()
            if folded in COMMON_WORDS or folded in TITLE_WORDS or folded in LABEL_WORDS:
                continue
            if folded not in FIRST_NAMES and not is_name(name, language):
                continue  # "Gentile Direzione", "Estimados Sres.": a department, a title
            last = match.group("last")
            end = match.end("last" if last and _plain_name_words([last], language) else "name")
            results.append(_result("PERSON", match.start("name"), end, 0.6))
        for match in self._chat.finditer(text, timeout=timeout):
            name = match.group("name")
            if is_unambiguous_first_name(name) or (
                # after a preposition, a lower-case surname is as often a word the word
                # lists lack ("con niebla", "da muratore"): first names only there
                match.group("cue").casefold() not in _PREPOSITION_CUES and _unambiguous(name)
            ):
                results.append(_result("PERSON", match.start("name"), match.end("name"), 0.6))
        for match in self._sought.finditer(text, timeout=timeout):
            group = next(g for g in ("name", "owner", "holder") if match.group(g) is not None)
            word = match.group(group)
            if _sought_or_feted(word, language) and (
                group != "holder" or is_unambiguous_first_name(word)
            ):
                results.append(_result("PERSON", match.start(group), match.end(group), 0.6))
        return results

    def _by_name(self, text: str, language: str) -> list[RecognizerResult]:
        """Names known as names: "Letizia M.", "Oskar's", "Erika Mustermann", "DUPONT Jean"."""
        timeout = regex_limits.seconds()
        results = []
        for match in self._first_initial.finditer(text, timeout=timeout):
            first = match.group("name").split()[0]
            if _known_first(first, language) and first.casefold() not in COMMON_WORDS:
                results.append(_result("PERSON", match.start("name"), match.end("name"), 0.6))
        for match in self._initial_last.finditer(text, timeout=timeout):
            last = match.group("last")
            if match.group("particle") is None and (
                _listed_surname(last)
                and not is_common_word(last, language)
                and not (match.group("name")[0] in "NSEW" and last in _COMPASS_STREETS)
            ):
                results.append(_result("PERSON", match.start("name"), match.end("name"), 0.7))
            elif (
                _a_signed_field(text, match)
                and last.casefold() not in COMMON_WORDS
                and (match.group("particle") is not None or not flags(last))
            ):
                # an initial and a surname no list has, or one after a particle, alone as a
                # field, a note's author or a signature ("- R. Achebe: reproduced…",
                # "G. La Rosa, 095 …", "\nG. Pellegatta\n")
                results.append(_result("PERSON", match.start("name"), match.end("name"), 0.6))
        for match in self._signed.finditer(text, timeout=timeout):
            for name in self._signed_name.finditer(text, *match.span("names"), timeout=timeout):
                results.append(_result("PERSON", name.start(), name.end(), 0.7))
        return results + self._document_names(text) + self._known_names(text, language)

    def _document_names(self, text: str) -> list[RecognizerResult]:
        """ "SURNAME/GIVEN" of bookings and passports, when the given name is a listed first
        name and a part has four letters or more ("HASSAN/KARIM"; not "TCP/IP", "MUC/BCN");
        a title before it is not part of it ("MR", "SRA")."""
        results = []
        for match in self._document_name.finditer(text, timeout=regex_limits.seconds()):
            start, end = match.span("name")
            surname, given = text[start:end].split("/", 1)
            words = surname.split()
            while words and words[0] in _DOCUMENT_TITLES:
                start = text.index(words[1], start) if len(words) > 1 else end
                words = words[1:]
            parts = [*words, *given.split()]
            if words and _listed_first(given.split()[0]) and any(len(w) >= 4 for w in parts):
                results.append(_result("PERSON", start, end, 0.8))
        return results

    def _known_names(self, text: str, language: str) -> list[RecognizerResult]:
        """The possessive, layout and first-and-last-name rules of `_by_name`."""
        timeout = regex_limits.seconds()
        results = []
        for match in self._possessive.finditer(text, timeout=timeout):
            if is_name(match.group("name"), language):
                results.append(_result("PERSON", match.start("name"), match.end("name"), 0.6))
        if language == "de":
            results.extend(_german_genitives(text))
        results.extend(self._by_layout(text, language))
        for match in self._first_last.finditer(text, overlapped=True, timeout=timeout):
            span = _first_name_span(text, match, language)
            if span is None or _STREET_AFTER.match(text, span[1]) or _street_word(text, *span):
                continue
            span = _with_capital_particle(text, span)
            if not _REGION_BEFORE.search(text, max(0, span[0] - 12), span[0]):
                results.append(_result("PERSON", *span, 0.65))
        return results

    def _sign_offs(self, text: str, language: str) -> list[RecognizerResult]:
        """The last line of a text, its writer: a name after a blank line or a dash, or a
        first name before a team ("Kevin vom Kundenservice")."""
        timeout = regex_limits.seconds()
        results = []
        for match in self._last_line.finditer(text, timeout=timeout):
            start, end = match.span("name")
            words = text[start:end].replace(".", ". ").split()
            if _plain_name_words(words, language) and (
                any(is_name(w, language) for w in words) or len(words) > 1
            ):
                results.append(_result("PERSON", start, end, 0.6))
        for match in self._team_sign_off.finditer(text, timeout=timeout):
            start, end = match.span("name")
            words = text[start:end].split()
            if _plain_name_words(words, language) and _known_first(words[0], language):
                results.append(_result("PERSON", start, end, 0.6))
        return results

    def _by_layout(self, text: str, language: str) -> list[RecognizerResult]:
        """Names where a document's layout puts them: a login after its field, the last
        line of a text, a surname-first name as a field."""
        timeout = regex_limits.seconds()
        results = []
        for match in _LOGIN.finditer(text, timeout=timeout):
            login = match.group("login")
            # a chat's "user: can u email …" is a speaker saying a word, not a login
            said = (
                login.isalpha()
                and is_common_word(login, language)
                and _SENTENCE_GOES_ON.match(text, match.end("login")) is not None
            )
            if not _a_service_account(login) and not login.isdigit() and not said:
                results.append(_result("PERSON", match.start("login"), match.end("login"), 0.7))
        results.extend(_log_logins(text))
        results.extend(_doorbell_names(text, language))
        results.extend(_care_of_names(text, language))
        for match in _CV_HEADER.finditer(text, timeout=timeout):
            results.append(_result("PERSON", match.start("name"), match.end("name"), 0.75))
        results.extend(self._sign_offs(text, language))
        for match in _ALONE_ON_A_LINE.finditer(text, timeout=timeout):
            if _lone_name_word(match.group("name")):
                results.append(_result("PERSON", match.start("name"), match.end("name"), 0.6))
        for match in _IN_PARENTHESES.finditer(text, timeout=timeout):
            if _lone_name_word(match.group("name")):
                results.append(_result("PERSON", match.start("name"), match.end("name"), 0.6))
        for match in self._surname_first.finditer(text, overlapped=True, timeout=timeout):
            surname, first = match.group("surname"), match.group("first")
            if not (
                _FIELD_START.search(text, max(0, match.start() - 40), match.start())
                and _FIELD_END.match(text, match.end())
            ):
                continue  # registers write them as a field: "Titolare: Bianchi Matteo"
            if (
                all(_listed_surname(part) for part in re.split(r"[ \-]", surname))
                # two surnames, not a figure's name and a first name ("Peter Pan, Atlas")
                and (
                    " " not in surname
                    or not any(_known_first(w, language) for w in surname.split())
                )
                and not _ARTICLE_BEFORE.search(text, max(0, match.start() - 6), match.start())
                and not _MODEL_AFTER.match(text, match.end())
                and (
                    not _known_first(surname, language)
                    # a mail header's recipients are "Surname, First" ("An: Demir, Murat")
                    or _MAIL_HEADER_LINE.match(text, text.rfind("\n", 0, match.start()) + 1)
                )
                and _known_first(first, language)
                and first.casefold() not in COMMON_WORDS
            ):
                results.append(_result("PERSON", match.start(), match.end(), 0.6))
        return results

    @staticmethod
    def _greeted_name(name: str, language: str) -> bool:
        folded = name.casefold()
        if folded in COMMON_WORDS or folded in TITLE_WORDS or folded in LABEL_WORDS:
            return False
        if name[0].islower():
            return folded in FIRST_NAMES or is_unambiguous_first_name(name)
        if folded in FIRST_NAMES or is_name(name, language) or folded in WORD_NAMES:
            return True  # "Hola, soy Sunny,", "Hi Will,"
        # A capitalised word the index does not know ("Hallo Konrad,", "Hi Priya"): a name
        # unless it is a common word of the language.
        return not is_common_word(name, language)

    @staticmethod
    def _subject_name(text: str, match: re.Match[str]) -> bool:
        """A sentence that starts with a first name that is a word in no language, then a
        lower-case word, starts with a person ("Davide ha chiamato", "Aoife said")."""
        return is_unambiguous_first_name(match.group("name")) and (
            _LOWER_WORD_AFTER.match(text, match.end()) is not None
        )

    def _lone_first_names(self, text: str, language: str) -> list[RecognizerResult]:
        found = []
        for match in self._capitalised.finditer(text, timeout=regex_limits.seconds()):
            name = match.group("name")
            if name.casefold() in COMMON_WORDS or not is_first_name(name, language):
                continue
            if name.casefold() in _LANGUAGE_NAMES:
                continue  # "Translate into French", "an English summary"
            if _QUOTED_OR_COUNTED.search(text, max(0, match.start() - 6), match.start()):
                continue  # "das Modul „Emma“", "2 x Margherita": a product's name
            if name.casefold() not in FIRST_NAMES and (
                is_big_place(name) or (is_place(name) and not is_unambiguous_first_name(name))
            ):
                continue  # "Valencia", "Lucca": a lone word that is a place is one
            if (
                _SENTENCE_START.search(text, max(0, match.start() - 6), match.start())
                and not self._subject_name(text, match)
                and not _heads_a_list_of_first_names(text, match.end())
            ):
                continue
            if _among_places(text, match.start(), match.end()):
                continue  # "between Brixton and Victoria", "the Paris, Frankfurt or Florence"
            if _among_figures(text, match.start(), match.end()):
                continue  # "Bisher: Siegfried, Loreley, Odin, Herkules": names for a product
            if _PLACE_BEFORE.search(
                text, max(0, match.start() - 12), match.start()
            ) and not _after_a_first_name_and(text, match.start(), language):
                continue  # "el País Vasco", "entre Galicia y Valencia", "nach Florenz"
            if (
                _MODEL_AFTER.match(text, match.end())
                or _LETTER_AFTER.match(text, match.end())
                or _STREET_AFTER.match(text, match.end())
                or _inside_a_proper_noun(text, match.start(), match.end(), language)
                or (
                    _PROPER_NOUN_AFTER.match(text, match.end())
                    and not (
                        _a_german_noun_after(text, match.end(), language)
                        # "welche Rolle Konrad Adenauer": a figure's surname, no noun
                        and not _a_listed_figures_first_name(text, match.start(), match.end())
                    )
                )
                or _FIRM_BEFORE.search(text, max(0, match.start() - 24), match.start())
            ):
                continue  # "Atlas V2", "la Fiat Panda", "Clarion Health", "Marks & Spencer"
            if after_an_english_article(text, match.start(), language):
                continue  # "the Duke of York", "the Hudson connector"
            found.append(_result("PERSON", match.start("name"), match.end("name"), 0.55))
        return found


# What ends a letter's salutation line: "Hallo Benedikt," then a line break.
_SALUTATION_END = re.compile(r"[ \t]*[,!][ \t]*(?:\r?\n|$)")


def _opens_a_letter(text: str, start: int, end: int) -> bool:
    """A greeting alone on its line, with a comma or "!" after the name: a letter's or an
    e-mail's salutation ("Hallo Benedikt,⏎⏎anbei die Rechnung"). The name there is a person's
    even when a region or a district bears it too (Slovenia's Benedikt, Haikou's Xiuying),
    so such a name is not weighed as a place (the caller asks this only of a first name that
    is no word)."""
    line_start = text.rfind("\n", 0, start) + 1
    return not text[line_start:start].strip() and _SALUTATION_END.match(text, end) is not None


# The rest of a full name after a first name: "Adenauer", "J. Fox".
_REST_OF_A_NAME = re.compile(r"(?:[ ]\p{Lu}\.)?[ ]\p{Lu}[\p{L}'\u2019\-]+")


def _a_listed_figures_first_name(text: str, start: int, end: int) -> bool:
    """The first name of a full name that is a listed historical or public figure's: the
    full-name rules judge the whole, so the first name alone is not taken again where
    German capitals make the surname look like a noun ("welche Rolle Konrad Adenauer")."""
    rest = _REST_OF_A_NAME.match(text, end)
    return rest is not None and listed_figure(text, start, rest.end()) is not None


# A list item next to a word: "Brixton and ", ", Frankfurt or ", " and Victoria".
_CONJUNCTIONS = r"(?:and|or|und|oder|et|ou|y|o|e|ed|&)"
# Words that put two towns on a route: "between Brixton and Victoria", "von Hagen nach".
_ROUTE_WORDS = r"(?i:between|from|via|entre|zwischen|tra|fra|von)"
_ITEM_BEFORE = re.compile(
    rf"(?:(?P<route>{_ROUTE_WORDS}[ ]+))?"
    rf"(?P<item>\p{{Lu}}[\p{{L}}'\u2019\-]+)"
    rf"(?:,[ ]+(?:{_CONJUNCTIONS}[ ]+)?|[ ]+{_CONJUNCTIONS}[ ]+)$"
)
_LIST_ROUTE_BEFORE = re.compile(rf"{_ROUTE_WORDS}[ ]+$")
_ITEM_AFTER = re.compile(
    rf"(?:,[ ]+(?:{_CONJUNCTIONS}[ ]+)?|[ ]+(?:{_CONJUNCTIONS}|to|nach|a|à)[ ]+)"
    r"(?P<item>\p{Lu}[\p{L}'\u2019\-]+)(?![\w'\u2019\-]|[ ]\p{Lu})"
)


def _among_places(text: str, start: int, end: int) -> bool:
    """A first name that is also a town, listed with towns: "the Paris, Frankfurt or
    Florence offices", "Marsala, Torino, Genova, Teano"; or on a route with another such
    name ("between Brixton and Victoria"). A neighbour that is a first name too keeps the
    pair people ("Florence and Tom", "Victoria and Paris Hilton")."""
    if not is_place(text[start:end]):
        return False
    neighbours = []
    before = _ITEM_BEFORE.search(text, max(0, start - 40), start)
    if before is not None:
        neighbours.append((before.group("item"), before.group("route") is not None))
    after = _ITEM_AFTER.match(text, end)
    if after is not None:
        route = _LIST_ROUTE_BEFORE.search(text, max(0, start - 12), start) is not None
        neighbours.append((after.group("item"), route))
    return any(
        is_place(item) and (on_a_route or not is_first_name(item, "en"))
        for item, on_a_route in neighbours
    )


_NEXT_LIST_ITEM = re.compile(
    r"(?:,[ ]*|[ ]+(?:and|und|et|y|e)[ ]+)(?P<word>\p{Lu}\p{Ll}+)(?![\w\-])"
)


def _heads_a_list_of_first_names(text: str, end: int) -> bool:
    """A sentence's first word followed by a comma and a common first name: a rota's or a
    guest list's first person ("Turni: Lucia, Davide, Ilaria", "On call: Sophie, Tom")."""
    following = _NEXT_LIST_ITEM.match(text, end)
    return following is not None and following.group("word").casefold() in FIRST_NAMES


# A list item's edges: a comma, a conjunction or a colon before; a comma, a note in
# parentheses, a conjunction or the end of the sentence after.
_LIST_ITEM_BEFORE = re.compile(rf"(?:,|:|[ ]{_CONJUNCTIONS})[ ]+$")
_LIST_ITEM_AFTER = re.compile(rf"(?:,|[ ]\(|[ ]{_CONJUNCTIONS}[ ]|[.;]|$)", re.MULTILINE)
_CAPITALISED_ITEM = re.compile(r"(?<![\w'\u2019\-])\p{Lu}[\p{L}'\u2019\-]+(?![\w'\u2019\-])")


def _among_figures(text: str, start: int, end: int) -> bool:
    """A first name listed with fictional, mythological or historical figures ("Bisher:
    Siegfried (zu pathetisch?), Loreley, Odin, Herkules", "Pinocchio (no!), Minerva,
    Ercole, Atlante, Dante, Leonardo", "Tamino, Pamina, Papageno"): a list of names for a
    product, a quiz or a cast, in which the names the lists lack are of the same kind."""
    if _LIST_ITEM_BEFORE.search(text, max(0, start - 6), start) is None:
        return False
    if _LIST_ITEM_AFTER.match(text, end) is None:
        return False
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    if text.count(",", line_start, line_end) < 2:
        return False
    return any(
        listed_figure(text, word.start(), word.end()) is not None
        for word in _CAPITALISED_ITEM.finditer(text, line_start, line_end)
        if not word.start() <= start < word.end()
        and _LIST_ITEM_AFTER.match(text, word.end()) is not None
    )


def _a_german_noun_after(text: str, end: int, language: str) -> bool:
    """German writes every noun capitalised: a common noun after a first name does not
    start a firm's or a thing's name ("Heinz Bescheid geben", "Jörg Geld zurückgeben")."""
    if language != "de":
        return False
    following = _NEXT_WORD.match(text, end)
    if following is None:
        return False
    word = following.group("word")
    return is_common_word(word, language) and not is_name(word, language)


_NEXT_WORD = re.compile(r"[ ]+(?P<word>\p{Lu}\p{Ll}+)(?![\w\-])")
# Languages and nationalities that the name lists also hold as first names or surnames.
_LANGUAGE_NAMES = frozenset(
    {"french", "english", "german", "dutch", "irish", "welsh", "roman", "british", "american",
     "italian", "spanish", "portuguese", "greek", "swiss", "scottish", "polish", "danish"}
)  # fmt: skip
# One capital letter after a word makes it a hall's, a gate's or a block's ("Hall B, gate 7").
_LETTER_AFTER = re.compile(r"[ ][A-Z](?![\w.'\u2019])")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;»\"(]\s*|\n\s*|^\s*[-*•>]\s*)$")
# A capitalised word or an ampersand after a lone first name: it starts a firm's or a
# thing's name ("Clarion Health", "Arden Fabrication", "Johnson & Whitaker"); a real
# "First Last" is the full-name rule's.
# A first name alone on its line: a salutation ("Marcus,"), a sign-off ("\nMichele" at
# the end), a field's value ("Approva: Ilaria", "Owner: Tomás"), also after a sentence on
# its line ("… billing-api. Aprueba: Itziar.").
_ALONE_ON_A_LINE = re.compile(
    r"(?m:(?:^|(?<=(?:^[ \t>*\-]*|[.!?][ \t]+)[\p{L}][\p{L} ./'()\-]{0,30}:))[ \t>]*"
    r"(?P<name>\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?)[ \t]*[,.!]?[ \t]*$)"
)
# A first name in parentheses, alone or before a comma: "Selezionatrice (Martina):",
# "Nota (Serena):", "con bimba (Amara, 3 anni)".
_IN_PARENTHESES = re.compile(r"\((?P<name>\p{Lu}\p{Ll}+)(?:\)|,[ ])")
# An opening quotation mark or a count right before a lone name: what it names is a thing
# ("the „Emma“ module", "le tritacarne «Aldo»", "2 x Margherita").
_QUOTED_OR_COUNTED = re.compile(r"(?:[„«“\"\u2018\u2039]|\d[ ]?[x\u00d7][ ]?)$")
_LOWER_WORD_AFTER = re.compile(r",?[ ]+\(?\p{Ll}{2,}")
_PROPER_NOUN_AFTER = re.compile(r"[ ]+(?:&|\p{Lu}\p{Ll})")
# An English article: English puts none before a person's first name, so a first name after
# one names a thing, a title or a place ("the Duke of York", "the Jarvis deployment bot", "an
# Oscar"). Other languages do, colloquially ("la Maru", "el Dani", "der Gerd"): not there.
_ENGLISH_ARTICLE_BEFORE = re.compile(r"(?<![\w])(?i:the|an?)[ ]$")


def after_an_english_article(text: str, start: int, language: str) -> bool:
    """An English text's "the", "a" or "an" right before `start`: a first name there names a
    thing ("the Jarvis deployment bot", "an Oscar"), for the name rules and the model's
    entities alike."""
    return language == "en" and bool(_ENGLISH_ARTICLE_BEFORE.search(text, max(0, start - 5), start))


# A word that makes the next one a firm's name ("la société Conrad", "Marks & Spencer").
_FIRM_BEFORE = re.compile(
    r"(?:(?i:société|entreprise|cabinet|maison|firma|empresa|ditta|azienda|company|studio|"
    r"agence|agency|agentur|agencia|agenzia|hotel|hôtel|restaurant|bar|café|caffè)[ ]+|&[ ]*)$"
)
# A person's login after the field that names it, as logs, tickets and code write it
# ("user=t.brandt", "user=<m.quiroga>", "Author: sunny <…>", "TODO(kfischer)", "reported by:
# bianchi.l").
_LOGIN = re.compile(
    r"(?<![\w])(?i:user|username|user_name|login|uid|account|author|owner|assignee|reporter|"
    r"reported by|benutzer|usuario|utente|utilisateur|todo|fixme)"
    r"(?:[ \t]*[=:][ \t]*<?|\()(?P<login>[a-z][a-z0-9]*(?:[._\-][a-z0-9]+)?)(?![\w@=])"
)
# The line under a CV's heading is its owner's name ("LEBENSLAUF\nDmitrij Wassiljew").
_CV_HEADER = re.compile(
    r"(?im:^[ \t#*]*(?:lebenslauf|curriculum vitae|currículum vitae|curriculum|cv|résumé|"
    r"resume|curriculum vitæ)[ \t*:]*\n[ \t#*]*"
    r"(?P<name>(?-i:\p{Lu}[\p{L}'\u2019\-]+(?:[ ](?:\p{Lu}[\p{L}'\u2019\-]+|de|da|di|del|van|von|"
    r"y|i)){1,4}))[ \t*]*$)"
)
# A login in a log line: "Failed password for akaragoz from", "invalid user mrossi from",
# "échecs pour l'utilisateur n.benyahia depuis", and the user field of a web server's access
# log ("62.210.14.88 - amelia.watts [12/Nov/2026:10:22:01]").
_LOG_LOGIN = re.compile(
    r"(?:(?<![\w])(?i:password for|publickey for|login for|failure for|failed for|"
    r"invalid user|for user|utilisateur|benutzer|usuario|utente|user)[ \t]+"
    # quoted as bug reports quote it: 'user "jürgen.bauer" from', "utente «d'angelo.chiara»"
    r"(?:[\"'\u00ab\u201e\u201c\u201a\u2039][ \u00a0]?)?"
    r"(?P<login>[\p{Ll}][\p{Ll}0-9]*(?:[._\-'\u2019][\p{Ll}0-9]+){0,2})"
    r"(?=(?:[ \u00a0]?[\"'\u00bb\u201c\u201d\u2018\u2019\u203a])?[ \t]+"
    r"(?i:from|depuis|de|von|aus|desde|da|dal|dall['\u2019]|dalla)(?:[ \t]|(?<=['\u2019])))"
    # a web server's access log line: "IP - login [date]" (not only at a line's start: the
    # normaliser joins a line ending in a number to the next, "… 212 2a0c:5a80::3e - ana")
    r"|(?<!\S)[0-9a-f.:]{3,45}[ \t]+-[ \t]+(?P<web>[\p{Ll}][\p{Ll}0-9]*(?:[._\-][\p{Ll}0-9]+)?)"
    r"[ \t]+\["
    # a dotted login quoted after "user", whatever the event ("user 'a.benali' connected")
    r"|(?<![\w])(?i:user|utilisateur|benutzer|usuario|utente)[ \t]+[\"'\u00ab\u201e\u201c]"
    r"(?P<quoted>[\p{Ll}][\p{Ll}0-9]*(?:[._][\p{Ll}0-9]+){1,2})[\"'\u00bb\u201c\u201d])"
)
_SENTENCE_GOES_ON = re.compile(r"[ ]+\p{Ll}")
_DOTTED_LOGIN = re.compile(r"\p{Ll}+(?:[._\-'\u2019]\p{Ll}+)+")  # "strauß.ingrid", no "panel-2025"
# Logins that are no person's.
_SERVICE_ACCOUNTS = frozenset(
    {"admin", "root", "system", "service", "bot", "test", "guest", "anonymous", "null", "none",
     "unknown", "api", "www", "nobody", "daemon", "jenkins", "deploy", "ci", "svc", "support"}
)  # fmt: skip
# The accounts every SSH scanner tries ("Invalid user oracle from …"): machines' as whole
# logins only, since as a part they may be a person's initials ("pi.rossi", "sa.weber").
_SCANNED_ACCOUNTS = frozenset(
    {"oracle", "postgres", "mysql", "ubuntu", "centos", "debian", "pi", "ftp", "ftpuser",
     "git", "user", "usuario", "utente", "administrator", "nagios", "tomcat", "hadoop",
     "ec2-user", "vagrant", "docker", "steam", "minecraft", "elastic", "redis", "sa"}
)  # fmt: skip
# Parts that make a compound login a machine's ("svc-backup", "ci_runner", "backup.cron").
_SERVICE_PARTS = _SERVICE_ACCOUNTS | frozenset(
    {"backup", "cron", "etl", "batch", "runner", "build", "sync", "noreply", "monitor",
     "monitoring", "agent", "worker", "job", "jobs", "scheduler"}
)  # fmt: skip
_LOGIN_PARTS = re.compile(r"[._\-]")


def _a_service_account(login: str) -> bool:
    """A login no person owns: a listed one ("root", "jenkins"), or a compound one with a
    machine's word as its first or last part ("svc-backup", "etl_runner"); "a.bot" or
    "m.root" are rare enough as people to be taken for machines."""
    folded = login.casefold()
    if folded in _SERVICE_ACCOUNTS or folded in _SCANNED_ACCOUNTS:
        return True
    parts = _LOGIN_PARTS.split(folded)
    return len(parts) > 1 and (parts[0] in _SERVICE_PARTS or parts[-1] in _SERVICE_PARTS)


# Where a surname-first name stands: as a field of a form, a list or a table.
# A register's field: a line's start, a bullet or a number of a list ("1. Schulte, Miriam -
# 6 Jahre"), a label, a cell, a dash between fields; ended by the line's end, a cell's end,
# a dash or two spaces.
_FIELD_START = re.compile(
    r"(?:^|\n|[:|;,(][ \t]*|^[ \t]*[-*•][ \t]*|(?m:^)[ \t]*\d{1,3}[.)][ \t]+|"
    r"[ \t][\u2013\u2014][ \t]+)[ \t]*$"
)
# A mail header that lists people ("An: Demir, Murat; Kaya, Elif", "To:", "Cc:", "De :").
_MAIL_HEADER_LINE = re.compile(
    r"[ \t>]*(?i:an|to|cc|bcc|from|von|de|à|a|para|da|kopie|reply-to|antwort an)[ \t]*:"
)
_FIELD_END = re.compile(r"[ \t]*(?:$|\n|[|;,(]|[\u2013\u2014][ \t])|[ \t]{2}")
# An article before a pair makes it a thing's name ("la Fiat Panda", "the Kestrel KX").
_ARTICLE_BEFORE = re.compile(r"(?<![\w])(?i:la|le|el|il|lo|the|der|die|das|un|una|a)[ ]$")
# A street word after a name makes it a street's ("Baker Street", "Grafton St"); not "Lane",
# "Close", "Grove" or "Way", which are surnames too ("Lois Lane").
_STREET_AFTER = re.compile(
    r"[ ](?:Street|St|Road|Rd|Avenue|Ave|Square|Sq|Place|Straße|Strasse|Platz|Weg|Allee|"
    r"Gasse|Ring|Calle|Plaza|Paseo|Avenida|Via|Viale|Piazza|Corso|Rue|Boulevard|Blvd|Quai|"
    r"Gardens|Crescent|Terrace|Drive|Mews|Wharf)\b\.?"
)
# A noun after a name, or its last word, that makes it a room's, a prize's or a site's: "the
# Brontë room", "the Copley Medal", "the Royal Victoria Dock", "Offa's Dyke Path" (not
# "Hall" nor "Bridge", which are surnames too).
_THING_NOUNS = (
    r"room|rooms|medal|award|prize|dock|docks|path|trail|lecture|library|stadium|museum|"
    r"market|markets|quay|quays|meeting[ ]room|conference[ ]room|boardroom|"
    r"gallery|theatre|theater|college|institute|hospital|station|building|centre|center|"
    r"saal|raum|preis|medaille|stiftung|salle|prix|médaille|sala|premio|medalla|medaglia|"
    # a wine's grade after its name ("Chablis Premier Cru", "Marqués de Riscal Reserva")
    r"premier[ ]cru|grand[ ]cru|reserva|gran[ ]reserva|riserva|crianza|único|spätlese|auslese"
)
# Theorems, transforms, diseases, laws and lab ware named after someone ("Fourier transform",
# "Parkinson's disease", "Petri dishes", "théorème de Thalès", "Satz des Thales", "boîtes de
# Petri", "transformée de Laplace", "morbo di Crohn", "concours Lépine"): English puts the
# name first, the other languages after the noun (`_VENUE_BEFORE`).
_EPONYM_AFTER = (
    r"theorem|theorems|transform|transforms|disease|syndrome|equation|equations|effect|"
    r"distribution|principle|conjecture|paradox|dish|dishes|scale|constant|algorithm|"
    r"inequality|lemma|curve|cycle|burner|burners|number[ ]theory|law|laws|razor|formula|"
    r"formulas|formulae|identity|hypothesis|postulate|current[ ]law|voltage[ ]law|"
    r"circuit[ ]laws"
)
# Eponyms a possessive would make someone's things ("Tom's test", "Anna's shift"): only
# without one ("the Kalman filter", "the Doppler shift", "the Haber process").
_EPONYM_AFTER_BARE = (
    r"filter|filters|shift|process|exact[ ]test|test|correction|coefficient|form|method|"
    r"estimator|integral|series|operator|matrix|condition|criterion"
)
_EPONYM_BEFORE = (
    r"théorème|transformée|maladie|syndrome|équation|effet|loi|principe|conjecture|paradoxe|"
    r"boîtes?|échelle|constante|algorithme|inégalité|méthode|bec|"
    r"satz|transformation|krankheit|syndrom|gleichung|effekt|verteilung|prinzip|schalen?|"
    r"skala|konstante|algorithmus|methode|"
    r"teorema|transformada|enfermedad|síndrome|ecuación|efecto|ley|principio|placas?|escala|"
    r"algoritmo|método|mechero|"
    r"trasformata|malattia|morbo|sindrome|equazione|effetto|legge|piastr[ae]|costante|metodo|"
    r"becco|filter|filtre|filtro|test|prozess|procédé|proceso|processo|gesetz|règle|regla|"
    r"regola|séries?|formule|fórmula|formula|formel|serie|reihe|théorie|teoría|teoria"
)
_POSSESSIVE_PLACES = (
    r"Cross|Park|Inn|College|Hospital|Cottage|Gate|Wharf|Market|Church|Cathedral|Chapel|"
    r"Island|Bay|Head|Point|Fields|Green|Common|Wood|Lane|Road|Street|Square|"
    # a shop's or a restaurant's sign ("Sven's Bakery", "Maria's Kitchen", "Tony's Garage"):
    # capitalised, as a name is written; "Tony's garage" is his
    r"Bakery|Kitchen|Garage|Diner|Café|Cafe|Bistro|Deli|Grill|Pizzeria|Salon|Barbers|"
    r"Emporium|Restaurant|Tavern|Brewery|Tearoom|Tearooms|Pantry|Cakes|Burgers|Bagels"
)
# … the same after a name the model read with its possessive ("London King's" + " Cross"),
# and the place's noun alone after one ("Regent's" + "Park").
_POSSESSIVE_PLACE_AFTER = re.compile(rf"[ ](?:{_POSSESSIVE_PLACES})(?![\w])")
_POSSESSIVE_PLACE_NOUN = re.compile(rf"(?:{_POSSESSIVE_PLACES})")
# German writes a shop's owner in the genitive, without an apostrophe ("Svens Backstube",
# "Ninas Café"); only nouns that are businesses, since "Annas Küche" is her kitchen.
_GENITIVE_BUSINESS_AFTER = re.compile(
    r"[ ](?:Backstube|Bäckerei|Imbiss|Café|Cafe|Bistro|Kneipe|Pizzeria|Hofladen|Brauhaus|"
    r"Weinstube|Eisdiele|Friseursalon|Blumenladen|Werkstatt)(?![\w])"
)
_POSSESSIVE_BEFORE = re.compile(r"\p{L}['\u2019]s?[ ]$")
_THING_NEXT = re.compile(
    rf"[ ](?i:{_THING_NOUNS})(?![\w])|(?:['\u2019]s)?[ ](?i:{_EPONYM_AFTER})(?![\w])"
    # a place named after someone, possessive and capitalised noun ("King's Cross", "Regent's
    # Park", "Anne Hathaway's Cottage", "St Thomas' Hospital")
    rf"|['\u2019]s?[ ](?:{_POSSESSIVE_PLACES})(?![\w])"
    rf"|(?<!['\u2019]s)[ ](?i:{_EPONYM_AFTER_BARE})(?![\w])"
)
# A German compound naming a prize, a school or a building after someone ("Gottfried
# Wilhelm Leibniz-Preis", "Geschwister-Scholl-Gymnasium").
_HYPHENATED_THING = re.compile(
    r"-(?i:preis|medaille|stiftung|saal|schule|gymnasium|institut|zentrum|klinik|haus|halle|"
    r"museum|bibliothek|platz|straße|strasse|allee|ring|brücke|weg)$"
)
_THING_LAST = re.compile(rf"(?!(?i:sala|salle|saal|preis)$)(?i:{_THING_NOUNS})")  # "Orietta Sala"
# "los Reyes", "cabalgata de Reyes", "día de Reyes": the Magi or the King and Queen.
_REYES = re.compile(r"(?<![\w])(?:los|de)[ ]$")
# A model code after a word makes it a product's name ("Atlas V2", "Kestrel KX-450").
_MODEL_AFTER = re.compile(r"[ ][A-Z]{0,4}-?\d")
# Words that start the name of a place, a saint's day or a building, capitalised whatever
# opens the sentence ("Santa Maria è chiusa", "San Pietro si visita", "Saint Louis est").
_NAMED_PLACE_WORDS = frozenset(
    {"san", "santa", "santo", "sant", "sankt", "saint", "sainte", "st", "ste", "são", "port",
     "porta", "monte", "mont", "lago", "lac", "isla", "isola", "villa", "casa", "palazzo",
     "hotel", "museo", "musée", "museum", "teatro", "théâtre", "stadio", "ospedale", "hôpital",
     "hospital", "scuola", "école", "colegio", "liceo", "lycée", "collège", "parco", "parque",
     "parc", "ponte", "pont", "puerta", "torre", "tour", "castel", "castello", "château",
     "cala", "capo", "cabo", "punta", "bad", "fort", "lake", "mount", "cape", "queen", "king",
     "prince", "princess", "lady", "lord", "sir", "royal", "new", "old", "great", "little"}
)  # fmt: skip
_CAPITALISED_CHAIN_BEFORE = re.compile(
    r"(?P<word>\p{Lu}\p{L}+)[ ](?:(?:de|del|dei|degli|di|della|des|du|von|van|of|the)[ ])?$"
)


def _street_word(text: str, start: int, end: int) -> bool:
    """The last word of the span is a street word ("Grafton St")."""
    return _STREET_AFTER.fullmatch(" " + text[start:end].rsplit(" ", 1)[-1]) is not None


def _inside_a_proper_noun(text: str, start: int, end: int, language: str = "en") -> bool:
    """A capitalised word (not a title, greeting or label, nor in German text a common noun
    or verb: "in seiner Wohnung Kevin", "Kannst du Dariusz") right before, a particle
    between or not: the word ends a longer name ("la Fiat Panda", "Paseo de Gracia"). Nor
    an everyday word that opens the sentence, with a lower-case word after the name: the
    capital is the sentence's ("Ieri Walter gli ha spiegato", "Chiamate Arianna al 347…",
    "Yesterday Priya said")."""
    before = _CAPITALISED_CHAIN_BEFORE.search(text, max(0, start - 40), start)
    if before is None:
        return False
    word = before.group("word").casefold()
    if (
        before.end("word") == start - 1
        and _SENTENCE_START.search(text, max(0, before.start() - 6), before.start())
        and _LOWER_WORD_AFTER.match(text, end)
        and is_common_word(before.group("word"), language)
        and not is_name(before.group("word"), language)
        and not is_place(before.group("word"))
        and word not in STREET_TYPES
        and word not in _NAMED_PLACE_WORDS
    ):
        return False
    if (
        language == "de"
        and is_common_word(before.group("word"), language)
        and not is_name(before.group("word"), language)
        and word not in _PRODUCT_NOUN_SET
    ):
        return False  # German capitalises its nouns; a noun before a name is no name of it
    return not (
        word in TITLE_WORDS
        or word in LABEL_WORDS
        or word in ROLE_WORDS
        or re.fullmatch(rf"(?:{GREETINGS}|{ELONGATED_GREETINGS})", word) is not None
    )


_EMAIL = re.compile(r"(?<![\w.+\-])(?P<local>[\w.+\-]{2,64})@[\w\-]+(?:\.[\w\-]+)+")
_SPACES = re.compile(r"[ ]+")
_LOCAL_PART_WORDS = re.compile(r"[^\W\d_]{2,}")
_WORD = re.compile(r"(?<![\w\-'])\p{L}[\p{L}'\u2019]+(?:-\p{L}+)?(?![\w\-])")


# A login and the full name it was made from, one in brackets after the other, as ticket
# systems and directories write them ("dwarsame (Deqa Warsame)", "Deqa Warsame (dwarsame)",
# "j.okafor (Joy Okafor)").
_LOGIN_WORD = r"[a-z][a-z0-9._\-]{2,30}"
_FULL_NAME = r"\p{Lu}[\p{Ll}'\u2019\-]+(?:[ ]\p{Lu}[\p{Ll}'\u2019\-]+){1,2}"
_LOGIN_THEN_NAME = re.compile(
    rf"(?<![\w@/.\-])(?P<login>{_LOGIN_WORD})[ ]?\((?P<name>{_FULL_NAME})\)"
)
_NAME_THEN_LOGIN = re.compile(rf"(?<![\w])(?P<name>{_FULL_NAME})[ ]?\((?P<login>{_LOGIN_WORD})\)")
_NOT_LETTERS = re.compile(r"[^a-z]")


def _logins_with_their_names(text: str) -> list[RecognizerResult]:
    """A login beside the full name it is made of (the surname whole, and the first name
    or its initial: "dwarsame" and "Deqa Warsame", "okafor.j" and "Joy Okafor"): both are
    the person, score 0.75. The login's letters say the bracketed words are a name, which
    neither the model nor the name lists may know ("Deqa"); a team or a product in brackets
    after a login ("deploy (Data Engineering)") is made of none of its letters."""
    if "(" not in text:
        return []
    results = []
    for pattern in (_LOGIN_THEN_NAME, _NAME_THEN_LOGIN):
        for match in pattern.finditer(text, timeout=regex_limits.seconds()):
            if _made_from(match.group("login"), match.group("name")):
                for group in ("login", "name"):
                    results.append(_result("PERSON", match.start(group), match.end(group), 0.75))
    return results


def _made_from(login: str, name: str) -> bool:
    letters = _NOT_LETTERS.sub("", without_accents(login.casefold()))
    words = [_NOT_LETTERS.sub("", without_accents(word.casefold())) for word in name.split()]
    first, last = words[0], words[-1]
    if len(last) < 3 or not first or last not in letters:
        return False
    rest = letters.replace(last, "", 1)
    return bool(rest) and (first.startswith(rest) or rest.startswith(first[0]))


# The display name of an address, as mail headers and address books write it ("From:
# Tendai Moyo <t.moyo@example.org>", "Da: Giusto La Rosa <giusto.larosa@…>"): capitalised
# words and particles right before "<address>".
_DISPLAY_NAME = re.compile(
    r"(?<![\w\-'\u2019.])(?P<name>\p{Lu}[\p{L}'\u2019\-]+"
    r"(?:[ ](?:(?:de|da|di|del|della|van|von|der|den|le|la|el|i|y|dos|das|du|bin|ben|al)[ ])?"
    r"\p{Lu}[\p{L}'\u2019\-]+){1,4})[ ]*<(?P<address>[\w.+\-]{1,64}@[\w\-]+(?:\.[\w\-]+)+)>"
)


def _display_names(text: str, language: str) -> list[RecognizerResult]:
    """The display name of an e-mail address (`_DISPLAY_NAME`), two to five words, score
    0.7: a mailbox's owner, unless the address is a role's ("Kundenservice Team
    <service@…>", `role_mailbox`) or every word is an everyday one ("Customer Support")."""
    if "<" not in text:
        return []
    results = []
    for match in _DISPLAY_NAME.finditer(text, timeout=regex_limits.seconds()):
        words = match.group("name").split()
        if role_mailbox(match.group("address")) or all(
            _an_everyday_word(word, language) for word in words
        ):
            continue
        if words[0].casefold() in COMMON_WORDS | LABEL_WORDS | TITLE_WORDS:
            continue
        results.append(_result("PERSON", match.start("name"), match.end("name"), 0.7))
    return results


def _email_names(text: str, language: str) -> list[RecognizerResult]:
    """Words of the text that an e-mail address of the same text is made of
    ("Elira Kelmendi, elira_kelmendi@totino.it", "the mail of Isabella? … isabella.t@…"):
    people's addresses are built from their names. A capitalised word, or a lower-case
    unambiguous first name, that is not a common word (unless another word of the same
    address stands next to it: "Karim Wild, karim.wild@…"), score 0.7."""
    if "@" not in text:
        return []
    parts: set[str] = set()
    addresses: list[tuple[int, int]] = []
    for match in _EMAIL.finditer(text, timeout=regex_limits.seconds()):
        addresses.append(match.span())
        parts.update(
            without_accents(word.casefold())
            for word in _LOCAL_PART_WORDS.findall(match.group("local"))
        )
    if not parts:
        return []
    words = [
        match
        for match in _WORD.finditer(text, timeout=regex_limits.seconds())
        if without_accents(match.group().casefold()) in parts
        and not any(start <= match.start() < end for start, end in addresses)
        and (match.group()[0].isupper() or is_unambiguous_first_name(match.group()))
        and match.group().casefold() not in COMMON_WORDS | TITLE_WORDS | LABEL_WORDS
    ]
    found = []
    for index, match in enumerate(words):
        neighbours = [
            other
            for other in words[max(0, index - 1) : index + 2]
            if other is not match
            and 0 < abs(other.start() - match.start()) <= len(match.group()) + 24
            and re.fullmatch(
                r"[ ]+", text[min(match.end(), other.end()) : max(match.start(), other.start())]
            )
            is not None
        ]
        greeted = _GREETING_BEFORE.search(text, max(0, match.start() - 24), match.start())
        if neighbours or greeted or not is_common_word(match.group(), language):
            found.append(_result("PERSON", match.start(), match.end(), 0.7))
    return found


# A greeting right before a word ("Bonjour Amour,", "Gentile Celeste,"): with the word in an
# e-mail address of the text, a first name even if it is a word too.
_GREETING_BEFORE = re.compile(rf"(?<![\w])(?i:{GREETINGS})[ ,]+$")


# Words that make what follows a region's name ("el País Vasco", "Land Brandenburg").
_REGION_BEFORE = re.compile(
    r"(?<![\w])(?:País|Comunidad|Provincia|Región|Regione|Land|Kanton|Canton)[ ]+$"
)
# Words before a place, not a person: a lone first name after one is a town or a region.
# A first name and a conjunction before: a pair of names ("Kevin und Jamal", "Pilar y
# Eduardo"), not of places ("entre Galicia y Valencia").
_NAME_AND_BEFORE = re.compile(r"(?<![\w\-])(?P<first>\p{Lu}\p{Ll}+)[ ]+(?:y|e|und|and|et)[ ]+$")


def _after_a_first_name_and(text: str, start: int, language: str) -> bool:
    before = _NAME_AND_BEFORE.search(text, max(0, start - 40), start)
    if before is None:
        return False
    first = before.group("first")
    return is_first_name(first, language) and not is_place(first)


_PLACE_BEFORE = re.compile(
    r"(?<![\w])(?:País|Comunidad|Provincia|Región|Regione|Land|Kanton|entre|desde|hasta|en|in|"
    r"nach|aus|zwischen|verso|tra|fra|y|e|und)[ ]+$"
)


# --- Names that are a business's, not a person's ------------------------------------------
# Business prose is full of surnames and first names that name no one: a company ("Stauffer
# Jost AG", "Silva PLC", "Mahe Bazin S.A.S."), a contract's or supplier's counterparty
# ("contract 629 with Spencer-Alexander", "the supplier Santos, Rose and Peck"), a product
# or an event named after a word that is also a name ("the Vega espresso machine", "Sierra
# tent", "the Chelsea Flower Show"), a price label ("EUR HT"). The corpus convention and the
# default policy leave companies and products alone; masking them degrades the answer.
_COMPANY_FORM = (
    r"(?:GmbH|AG|KG|OHG|Inc|Ltd|LLC|LLP|PLC|SA|SAS|SARL|S\.A\.S\.|S\.A\.|S\.L\.|SpA|S\.p\.A\.|"
    r"Srl|S\.r\.l\.|SL|BV|NV|Oy|AB|ApS|A/S|Sp\.[ ]z[ ]o\.o\.|Group|Groupe|Gruppe|Holding|"
    r"(?:&|and|und|et|y|e)[ ]+(?:Sons|Söhne|Fils|Hijos|Figli|Co\.?|Cie|Partners?|Associates))"
)
_COMPANY_NEXT = re.compile(
    rf"[ ]*(?:[,&]|and|und|et|y|e)?(?:[ ]*\p{{Lu}}[\p{{L}}'\u2019\-]*){{0,2}},?[ ]+{_COMPANY_FORM}"
    r"(?![\w])"
)
_COUNTERPARTY = re.compile(
    r"(?i:(?:contract|contrat|vertrag|contrato|contratto|agreement|accord|vereinbarung|acuerdo|"
    r"accordo)\b[^\n.;:]{0,30}?(?<![\w])(?:with|avec|mit|con)[ ]+"
    r"|(?:supplier|vendor|manufacturer|distributor|fournisseur|fabricant|distributeur|"
    r"lieferant|hersteller|händler|proveedor|fabricante|distribuidor|fornitore|produttore|"
    r"distributore)[ ]+(?:\p{Lu}[\p{L}'\-]*(?:,[ ]*|[ ]+(?:and|et|und|y|e|&)[ ]+)){0,3})$"
)
PRODUCT_NOUNS = (
    "tent", "machine", "espresso", "stove", "jacket", "stroller", "hose", "panel", "lamp",
    "chair", "desk", "sofa", "table", "bike", "bicycle", "kettle", "speaker", "headphones",
    "backpack", "boots", "shoes", "sneakers", "mattress", "pillow", "blanket", "drill", "mower",
    "heater", "fan", "vacuum", "blender", "toaster", "router", "printer", "monitor", "laptop",
    "tablet", "camera", "watch", "fridge", "grill", "kit", "set", "series", "edition",
    "collection", "range", "model", "bottle", "bag", "helmet", "cooker", "purifier", "charger",
    "cable", "show", "festival", "fair", "expo", "summit", "congress", "conference", "awards",
    "cup", "marathon", "tour", "trophy", "bookshelf", "shelf", "wardrobe", "cabinet", "rug",
    "mirror", "tente", "poêle", "veste", "poussette", "lampe",
    "chaise", "vélo", "bouilloire", "cafetière", "salon", "zelt", "kaffeemaschine", "ofen",
    "jacke", "kinderwagen", "stuhl", "fahrrad", "messe", "tienda", "cafetera", "estufa",
    "chaqueta", "cochecito", "lámpara", "silla", "bicicleta", "feria", "tenda", "macchina",
    "stufa", "giacca", "passeggino", "lampada", "sedia", "bicicletta", "fiera",
    # dishes, software, tools and places named after a first name ("pizza Margherita",
    # "the Isabella theme", "l'outil Hermès", "métro Foch", "the Clio and Megane lines")
    "pizza", "sauce", "salad", "salade", "ensalada", "insalata", "tarta", "torta", "tarte", "cake",
    "theme", "thème", "tema", "widget", "module", "modul", "modulo", "módulo", "tool",
    "outil", "herramienta", "strumento", "werkzeug", "server", "serveur", "servidor",
    "robot", "system", "système", "sistema", "app", "software", "plugin", "dashboard",
    "project", "projet", "proyecto", "progetto", "projekt", "product", "produit", "producto",
    "prodotto", "produkt", "brand", "marque", "marca", "marke", "line", "lines", "ligne",
    "línea", "linea", "métro", "metro", "station", "estación", "stazione", "bahnhof",
    "hachoir", "picadora", "tritacarne", "grinder", "impastatrice", "storm", "hurricane",
    "tempête", "ouragan", "sturm", "orkan", "tormenta", "huracán", "tempesta", "uragano",
    "trattoria", "pizzeria", "osteria", "taverna", "menu", "menù", "cocktail", "wine", "vin",
    "vino", "wein",
    # sites and devices named after a place or a person ("the Clifton branch", "the Onyx
    # gaming keyboard", "Victoria sponge")
    "branch", "store", "shop", "depot", "warehouse", "campus", "agence", "filiale",
    "succursale", "magasin", "boutique", "entrepôt", "sucursal", "tienda", "almacén",
    "negozio", "magazzino", "geschäft", "lager", "laden", "keyboard", "clavier", "tastatur",
    "teclado", "tastiera", "headset", "laptop", "monitor", "printer", "sponge", "planter",
    # goods named by their maker in delivery notes and shopping lists ("savon Marius Fabre",
    # "48 palettes Lacoste", "ascenseurs Schindler", "cartons Dell Latitude")
    "savon", "chocolat", "confiture", "biscuits", "parfum", "vin", "champagne", "bière",
    "jabón", "chocolate", "mermelada", "perfume", "vino", "cerveza", "sapone", "cioccolato",
    "marmellata", "profumo", "birra", "seife", "schokolade", "marmelade", "soap", "jam",
    "palettes", "palette", "palés", "pallets", "pallet", "bancali", "paletten", "cartons",
    "carton", "cartoni", "cajas", "kartons", "ascenseurs", "ascensores", "ascensori", "aufzüge",
    "elevators", "lifts", "motorisation", "moteur", "motor", "motore", "engine", "engines",
    "pneus", "neumáticos", "pneumatici", "reifen", "tyres", "tires",
    # furniture and gear named like people ("Fauteuil Voltaire", "the "Darwin" hiking boot")
    "fauteuil", "canapé", "commode", "armchair", "couch", "sillón", "sofá", "poltrona",
    "divano", "sessel", "boot", "stiefel", "bota", "scarpone",
)  # fmt: skip
# A product noun after a name, with up to two words between ("the Onyx gaming keyboard");
# `_a_product_next` refuses a gap holding a function word ("bumped into Hannah at the
# station" names her, not a station).
_PRODUCT_NEXT = re.compile(
    rf"[\"\u201d\u00bb]?(?P<gap>(?:[ ][\p{{L}}\-]+){{0,2}}?)[ ](?i:{'|'.join(PRODUCT_NOUNS)})"
    r"(?![\w])"
)


def _a_product_next(text: str, end: int, language: str) -> bool:
    """A product noun right after the name at `end`, or after a word or two that are no
    function words of the text's language: "Hannah at the station", "Leo in the shop" stay
    people; "the Olivia pendant lamp" is a lamp ("pendant" is a function word in French)."""
    after = _PRODUCT_NEXT.match(text, end)
    if after is None:
        return False
    function_words = stop_words(language)
    return not any(word.casefold() in function_words for word in after.group("gap").split())


_PRODUCT_NOUN_SET = frozenset(PRODUCT_NOUNS) | frozenset(
    {"regal", "lampe", "silla", "mesa", "tavolo", "lampada", "sedia", "stuhl", "tisch", "sofa",
     "leuchte", "estantería", "scaffale", "étagère", "cafetière", "bookshelf", "shelf",
     # a colour's name after its label ("colour Moss", "coloris Rose")
     "colour", "color", "coloris", "couleur", "farbe", "colore"}
)  # fmt: skip
# Car makes (and a few other makes whose models are given first names): the word before a
# model's name, or its first word.
MAKES = frozenset(
    {
        "fiat", "ford", "skoda", "škoda", "dacia", "kia", "seat", "romeo", "alfa", "renault",
        "peugeot", "citroën", "citroen", "opel", "volkswagen", "vw", "toyota", "honda", "nissan",
        "hyundai", "mazda", "suzuki", "lancia", "volvo", "audi", "bmw", "mercedes", "tesla",
        "cupra", "mini", "jeep", "porsche", "lexus", "mitsubishi", "subaru", "chevrolet",
        "chrysler", "dodge", "jaguar", "smart", "ds", "mg", "byd", "polestar", "ikea", "samsung",
    }
)  # fmt: skip
# Makes that are also common first names: the make only with a model, a "-Benz", or an
# article or a number before ("a Mercedes", "3 Mercedes Sprinter").
_MAKES_ALSO_NAMES = frozenset({"mercedes"})
_MAKE_AFTER = re.compile(
    r"[ \-](?:Benz|AMG|[A-Z]{1,3}(?:-Class|-Klasse)?\b|[A-Z]?\d|Sprinter|Vito|Citan|EQ\w*|"
    r"(?i:class|klasse|classe|clase|van|car|coche|auto|voiture|wagen|dealer|concessionnaire))"
)
_MAKE_BEFORE = re.compile(
    r"(?:(?<![\w])(?i:a|an|the|la|le|el|il|un|una|une|ein|eine|einen|der|die|das|my|mi|ma|mon|"
    r"mein|meinen|sa|son|his|her)|\d)[ ]$"
)


def _a_make_here(text: str, start: int, end: int) -> bool:
    """A model after the make's word (inside the span or after it), or an article before."""
    first_end = start + len(text[start:end].split(maxsplit=1)[0])
    return (
        _MAKE_AFTER.match(text, first_end) is not None
        or _MAKE_AFTER.match(text, end) is not None
        or _MAKE_BEFORE.search(text, max(0, start - 12), start) is not None
    )


# The word before a name, over a particle ("tarta de Santiago", "pizza di Gino").
_WORD_BEFORE = re.compile(r"(?P<word>[\p{L}]+)[ ](?:(?:de|di|du|da|del|della|des|von|of)[ ])?$")
_PRICE_WORDS = frozenset({"eur", "usd", "gbp", "chf", "ht", "ttc", "tva", "vat", "iva", "mwst"})
# A month's abbreviation after a day ("15 Jun", "3 Mar": "Jun" is a first name too), and
# Christmas after a preposition ("à Noël", "quiz de Noël du CSE").
_MONTH_ABBREVIATIONS = frozenset({"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "oct",
                                  "nov", "dec"})  # fmt: skip
_DAY_BEFORE = re.compile(r"(?<![\w.])\d{1,2}[ ]$")
_HOLIDAY_BEFORE = re.compile(r"(?<![\w])(?i:à|de|pour|avant|après|depuis|d['\u2019]ici)[ ]$")


def _a_date_word(text: str, start: int, words: list[str]) -> bool:
    """A month's abbreviation after a day, or "Noël" after a preposition: a date."""
    first = words[0].strip(".,").casefold() if words else ""
    return (
        len(words) == 1
        and first in _MONTH_ABBREVIATIONS
        and _DAY_BEFORE.search(text, max(0, start - 4), start) is not None
    ) or (first == "noël" and _HOLIDAY_BEFORE.search(text, max(0, start - 8), start) is not None)


# First names that are words of quantity too, before a number: "Máximo una página",
# "Massimo 200 parole" are limits.
_QUANTITY_NAMES = frozenset({"máximo", "máxima", "massimo", "massima", "maximo"})
_NUMBER_AFTER = re.compile(
    r"[ ](?:\d|(?i:un|una|uno|dos|tres|cuatro|cinco|due|tre|quattro|cinque|dieci|diez)\b)"
)


# A list of surnames joined as firms name themselves ("Cruz, Barnett and Johnson", "Powell,
# Fisher & Kelly", "Silk, Kenna and Wolfe"), or a name before "team" (three friends are
# "Anna, Ben and Carl": first names, all of them).
_LIST_WORD = r"\p{Lu}[\p{L}'\u2019]+(?:-\p{Lu}[\p{L}'\u2019]+)?"
_FIRM_LIST = re.compile(
    rf"(?<![\w\-])(?P<list>{_LIST_WORD}(?:,[ ]{_LIST_WORD})*,?[ ](?:and|&|und|et|y|e)[ ]"
    rf"{_LIST_WORD})"
    r"(?![\w\-])"
)
_TEAM_AFTER = re.compile(r"[ ](?i:team|équipe|equipo|squadra)(?![\w])")


def _firm(text: str, start: int, end: int, language: str) -> bool:
    if _TEAM_AFTER.match(text, end) is not None:
        return True
    for match in _FIRM_LIST.finditer(text, max(0, start - 80), min(len(text), end + 80)):
        if match.start() <= start and end <= match.end():
            if _TEAM_AFTER.match(text, match.end()) is not None:
                return True
            words = re.findall(_LIST_WORD, match.group("list"))
            if _people_list(text, match.start()):
                return False  # "nietos, Álvaro, Inés y Jaime"
            if len(words) > 2:
                # A firm unless every one is a common first name ("Anna, Ben and Carla");
                # the index's first names are no help alone: "Cruz", "Kelly", "Powell" are
                # all given names somewhere. At least half of them common ones, and the
                # others first names somewhere, make a rota too ("Sophie, Tom, Priya and
                # Marco"): a firm's partners are seldom called Sophie and Tom.
                common = sum(word.casefold() in FIRST_NAMES for word in words)
                return not (
                    common == len(words)
                    or (
                        common * 2 >= len(words) and all(flags(word) & Flag.FIRST for word in words)
                    )
                )
            # Two: a firm unless one is a first name ("Tessier and Fontaine").
            return not any(_known_first(word, language) for word in words)
    return False


# One person of a list: a name of one to three words, perhaps an age or a year in
# parentheses after it ("Bianca (10)", "Chidi (2012)"), then a comma or "and".
_LISTED_PERSON = re.compile(
    rf"(?P<name>{NAME_WORD}(?:[ ]{NAME_WORD}){{0,2}})(?:[ ]\([^()\n]{{1,24}}\))?"
)
_LIST_SEPARATOR = re.compile(r"[ ]*[,;][ ]*(?:(?:and|und|et|y|e)[ ]+)?|[ ]+(?:and|und|et|y|e)[ ]+")


def _listed_people(text: str, position: int) -> list[tuple[int, int]]:
    """The spans of the names listed from `position` on, up to the first thing that is not
    one (at most twelve)."""
    spans: list[tuple[int, int]] = []
    while len(spans) < 12:
        item = _LISTED_PERSON.match(text, position)
        if item is None:
            break
        spans.append(item.span("name"))
        separator = _LIST_SEPARATOR.match(text, item.end())
        if separator is None:
            break
        position = separator.end()
    return spans


def _attendees(text: str, language: str) -> list[RecognizerResult]:
    """The people of a meeting's list ("Attendees:", "Presenti:", "Entschuldigt:"), score
    0.7: when half of its names or more begin with a first name (`_a_listed_person`), the
    others are people too, whatever their words ("Fortunato Sole", "Ji-hoon Park",
    "Fuchs (minutes)"). Every item must still be written as a name (capitalised words, no
    digit, no title or label first); a list of teams or rooms has no first names."""
    if ":" not in text:
        return []
    results: list[RecognizerResult] = []
    for head in _ATTENDEES_HEAD.finditer(text, timeout=regex_limits.seconds()):
        items = _listed_people(text, head.end())
        if len(items) < 2:
            continue
        names = [text[start:end] for start, end in items]
        listed = sum(_a_listed_person(name, language) for name in names)
        if listed * 2 < len(items) or not all(_written_as_a_name(name) for name in names):
            continue
        results.extend(
            _result("PERSON", start, end, 0.7)
            for start, end in items
            if not place_not_person(text[start:end])
            and not _street_word(text, start, end)
            and _THING_LAST.fullmatch(text[start:end].rsplit(" ", 1)[-1]) is None
        )
    return results


def _written_as_a_name(name: str) -> bool:
    """Capitalised words without digits, the first no title or label ("Fuchs", "Ji-hoon
    Park"; not "Dr", "Name", "Room 4")."""
    words = name.split()
    return (
        all(word[0].isupper() and not any(char.isdigit() for char in word) for word in words)
        and words[0].casefold() not in TITLE_WORDS | LABEL_WORDS
    )


def _a_listed_person(name: str, language: str) -> bool:
    """A name in a list of people: its first word a first name, even an everyday word's
    ("Hope", "Paloma"), none of its words a title, a label or (after the first) a common
    word."""
    first, *rest = name.split()
    folded = first.casefold()
    if folded in TITLE_WORDS or folded in LABEL_WORDS:
        return False
    return (_known_first(first, language) or folded in WORD_NAMES) and _plain_name_words(
        rest, language
    )


def _people_list(text: str, start: int) -> bool:
    """Whether a list starting at `start` follows a plural role or relation: its names are
    people's ("nietos, Álvaro, Inés, Jaime y Paloma"), not a firm's."""
    return _PEOPLE_LIST_HEAD.search(text, max(0, start - 40), start) is not None


_PEOPLE_LIST_HEAD = re.compile(rf"{_ROLE_LIST_HEAD}$")


def business_name(text: str, start: int, end: int, language: str = "en") -> bool:
    """Whether the name at `text[start:end]` names a company, a counterparty, a product,
    an event or a place rather than a person (see above)."""
    words = text[start:end].split()
    if (
        any(word.casefold().strip(".,") in _PRICE_WORDS for word in words)
        or (
            len(words) == 1
            and words[0].casefold() in _QUANTITY_NAMES
            and _NUMBER_AFTER.match(text, end) is not None
        )
        or _a_date_word(text, start, words)
    ):
        return True
    if (
        _named_thing(text, start, end, words)
        or _firm(text, start, end, language)
        or a_brand(text, start, end)
    ):
        return True
    if _COMPANY_NEXT.match(text, end) is not None or _a_product_next(text, end, language):
        return True
    first = words[0].strip(".,").casefold() if words else ""
    if first in _MAKES_ALSO_NAMES and not _a_make_here(text, start, end):
        pass  # "Dear Mercedes,", "la señora Mercedes Ortiz": a woman's name
    elif first in MAKES or first in _PRODUCT_NOUN_SET or first in STREET_TYPES:
        return True  # "Dacia Sandero", "Lampe Atlas", "Rua Augusta": a model, a street
    before = _WORD_BEFORE.search(text, max(0, start - 24), start)
    if before is not None and before.group("word").casefold() in MAKES | _PRODUCT_NOUN_SET:
        return True  # "Alfa Romeo Giulia", "Lampe Atlas", "Silla Sierra"
    return _COUNTERPARTY.search(text, max(0, start - 64), start) is not None


# Words after a compass initial that make it a street's or a park's ("S. Park", "N. Main").
_COMPASS_STREETS = frozenset({"Park", "Main", "Broadway", "Hill", "Street", "Road", "Avenue"})
# Titles before a booking's "SURNAME/GIVEN".
_DOCUMENT_TITLES = frozenset(
    {"MR", "MRS", "MS", "MISS", "MSTR", "DR", "SR", "SRA", "SRTA", "SIG", "SIGRA", "M", "MME",
     "MLLE", "HR", "FR", "HERR", "FRAU"}
)  # fmt: skip
# A single-letter title ("D." for Don, "M." for Monsieur) right before a name.
_ONE_LETTER_TITLE = re.compile(r"(?<![\w.])\p{Lu}\.[ \u00a0]+$")
# Words before a name that make it a room's, a building's, a district's, a venue's, a
# street's, a ship's, a storm's or a saint's ("salle Montesquieu", "bâtiment Jules Verne",
# "barrio de Triana", "Trattoria da Gino", "St David's", "Direction Chambord", "Restaurant
# Kong Hans Kælder": a capitalised word or two may come between), or that start the name
# itself. Not "casa", "maison" nor "chez": "a casa di Marco", "chez Mehdi" are a person's.
_VENUE_WORDS = (
    r"salle|sala|saal|room|raum|bâtiment|building|gebäude|edificio|edificio|palazzo|résidence|"
    r"residence|residencia|residenza|halle|corso|barrio|quartier|quartiere|distrito|"
    r"viertel|stade|stadium|stadion|estadio|stadio|palasport|velodromo|ippodromo|autodromo|"
    r"parc|parque|parco|direction|dirección|richtung|"
    r"direzione|gare|aéroport|airport|aeropuerto|aeroporto|hotels?|hôtels?|hostel|restaurants?|"
    r"ristorante|restaurante|trattoria|pizzeria|osteria|café|st|st\.|saint|sainte|san|santa|"
    r"sankt|são|collège|lycée|école|school|schule|colegio|scuola|université|university|"
    r"universität|universidad|università|hôpital|hospital|krankenhaus|ospedale|clinique|clinic|"
    r"liceo|gymnasium|grundschule|realschule|gesamtschule|klinikum|universitätsklinikum|"
    r"uniklinik|"
    # a street, a square, a quay named after someone ("rue Victor Hugo", "piazza Garibaldi")
    r"rue|avenue|av|bd|boulevard|place|quai|allée|impasse|chemin|cours|via|viale|piazza|"
    r"piazzale|largo|vicolo|calle|plaza|paseo|avenida|ronda|glorieta|rua|praça|"
    # a museum, a theatre, a hall, a bridge, a station, a prize… ("musée Rodin", "Teatro
    # Lope de Vega", "auditorio Severo Ochoa", "hangar Clément Ader")
    r"musée|museum|museo|galerie|gallery|galleria|théâtre|theatre|theater|teatro|auditorio|"
    r"auditorium|opéra|opera|cinéma|cinema|cine|bibliothèque|médiathèque|library|biblioteca|"
    r"hangar|pont|bridge|puente|ponte|tunnel|terminal|stazione|estación|bahnhof|station|"
    r"fondation|foundation|fundación|fondazione|stiftung|institut|institute|instituto|"
    r"istituto|campus|arena|palais|palacio|tour|torre|villa|brasserie|bistro|bistrot|"
    r"taverna|bodega|prix|premio|preis|prize|trophée|coupe|copa|coppa|"
    # a shop ("bottega Zia Pina", "pasticceria Da Carmelo", "boulangerie Maison Roux")
    r"bottega|negozio|pasticceria|panetteria|macelleria|salumeria|enoteca|gelateria|"
    r"boulangerie|pâtisserie|épicerie|fromagerie|boucherie|panadería|pastelería|carnicería|"
    r"bäckerei|metzgerei|konditorei|gasthaus|gasthof|wirtshaus|"
    # a ship and a storm ("buque escuela Juan Sebastián de Elcano", "borrasca Efraín")
    r"ship|vessel|ferry|navire|paquebot|buque|escuela|barco|nave|schiff|fähre|storm|tempête|"
    r"porte-conteneurs|containership|container[ ]ship|portacontenedores|portacontainer|"
    r"containerschiff|tanker|pétrolier|petrolero|petroliera|"
    r"sturm|orkan|borrasca|tormenta|tempesta|ciclone|uragano|hurricane|typhoon|ouragan|"
    r"huracán|cyclone|dépression|sturmtief|"
    # a classroom, a pool, a school library, a sports hall, a centre, a dock, a medal
    # ("Aula Enrico Fermi", "piscine Joséphine-Baker", "CDI Simone-Veil", "Fundació Joan
    # Miró", "the Royal Victoria Dock")
    r"aula|piscine|piscina|schwimmbad|hallenbad|cdi|mediateca|polideportivo|pabellón|"
    r"palazzetto|sporthalle|gymnase|complexe|centre|center|centro|zentrum|fundació|dock|"
    r"docks|medal|médaille|medaille|medalla|medaglia|award|cottage|espace|spazio|"
    r"amphithéâtre|amphi|hörsaal|anfiteatro|lecture hall|wing|ala|pavillon|pavilion|padiglione|"
    # a conference centre ("centre de conférences Pierre Mendès France", "Palacio de
    # Congresos Príncipe Felipe")
    r"conférences|congrès|congresos|congressi|kongresszentrum|"
    # a wine's estate or appellation before its maker ("Château Margaux", "Domaine Gonon",
    # "Barolo Bartolo Mascarello", "Weingut Fritz Haag", "Tenuta San Guido")
    r"château|domaine|weingut|tenuta|cantina|cantine|bodegas|clos|barolo|barbaresco|"
    r"brunello|chianti|rioja|chablis|champagne|bourgogne|"
    # a stop, a submarine, a checkpoint ("l'arrêt Jean-Macé", "il sottomarino Nazario Sauro",
    # "Checkpoint Charlie")
    r"arrêt|haltestelle|parada|fermata|stop|sottomarino|submarine|sous-marin|submarino|"
    r"u-boot|checkpoint|"
    # a law named after its minister ("la loi Évin", "la ley Moyano", "la legge Fornero"),
    # an effect after its finder ("l'effet Dunning-Kruger", "el efecto Mozart")
    r"loi|ley|legge|lex|effet|efecto|effetto|effekt"
)
# Adjectives between a venue word and its name ("Biblioteca Municipal «Rosalía de Castro»",
# "biblioteca comunale "Italo Calvino"", "médiathèque municipale Louise-Michel").
_VENUE_ADJECTIVES = (
    r"municipal|municipale|municipales|comunale|comunal|communale|communal|civica|civico|"
    r"städtische|städtisches|public|publique|pública|pubblica|central|centrale|nacional|"
    r"national|nationale|nazionale|regional|régional|regionale|royal|royale|real|reale|"
    r"new|nouveau|nouvelle|nuevo|nueva|nuovo|nuova|neue|neuer|neues|old|grand|grande|great"
)
# A dish named after someone ("tournedos Rossini", "pêche Melba", "Beef Wellington",
# "Chicken à la King"): the food before the name.
_DISH_WORDS = (
    r"tournedos|poulet|pêche|crêpes?|œufs|oeufs|salade|tarte|gâteau|sole|filet|pizza|pollo|"
    r"huevos|tarta|torta|insalata|ensalada|oysters|eggs|beef|chicken|peach|apple|pudding|cake|"
    r"pie|salad|à la|alla|pêches|birne|pfirsich|melocotón|pesche|pesca|fettuccine|spaghetti|"
    r"penne|risotto|bistecca|filetto"
)
_VENUE_BEFORE = re.compile(
    rf"(?:(?<![\w])(?i:{_VENUE_WORDS}|{_DISH_WORDS})(?:[ ](?i:{_VENUE_ADJECTIVES}))?"
    r"(?:[ ](?i:da|di|de|del|de la|du|des|della|dello|degli|dei|delle|chez|bei|zum|zur|"
    r"intitolata a|intitolato a|"
    r"dedicata a|dedicato a|dedicada a|dedicado a|named after|nommée d'après|nommé d'après|"
    r"benannt nach))?"
    # an eponym's noun needs its particle: "certificato malattia Teodoro" is a sick note's
    rf"|(?<![\w])(?i:{_EPONYM_BEFORE})[ ](?i:de|di|des|del|du|von|of|d['\u2019])"
    r"|(?<![\w])(?i:concours|morbus))"
    r"(?:[ ]|(?<=['\u2019]))[\"\u201c\u00ab\u201e]?[ ]?(?P<chain>(?:\p{Lu}\p{L}+[ ]){0,2})$"
)
# A naming, anywhere before: "Benennung des neuen Platzes am Hafen nach Hannah Arendt", "the
# hall will be named after Ada Lovelace", "intitolata a Rita Levi-Montalcini".
_NAMED_AFTER = re.compile(
    r"(?<![\w])(?i:named after|named for|nommée? d'après|nommée? en l'honneur de|"
    r"en l'honneur de|in honour of|in honor of|benannt nach|benennung\b[^.\n]{0,60}\bnach|"
    r"intitolat[oaie] a|dedicat[oaie] a|en honor a|dedicad[oa] a|bautizad[oa] como)[ ]$"
)
# A house's name as a venue's first word ("Casa Lucía", "Maison Margaux", "Haus Ingrid"); not
# before a name with "de" ("en casa de Maru": where she lives).
_VENUE_FIRST = re.compile(rf"(?i:{_VENUE_WORDS}|casa|maison|haus)$")
_DISH_FIRST = re.compile(rf"(?i:{_DISH_WORDS})")
# "the" or "le" before a full name makes it a ship's, a train's or a venue's ("the Queen
# Victoria remains in port", "le Jacques Cartier reste à quai"): no one writes a person so.
# Not "la", "el", "der": Italian, Spanish, Catalan and German say "la Maria", "el Joan".
# An article before a full name makes it a thing named after a person: "the Santiago
# Bernabéu", "el Gregorio Marañón", "il Giuseppe Verdi" (a first name alone after "el" or
# "la" is a person, as chats say "el Rulo", "la Maru").
_THE_BEFORE = re.compile(r"(?<![\w])(?:the|The|le|Le|el|El|il|Il)[ ]$")
# The last word of a park's, a hall's, a ward's or a station's name, after "the" or a
# possessive and at most one more capitalised word ("the Royal Albert Hall", "Our Victoria
# Park five-a-side", "past the King Edward VII School"): "Hall", "Park", "Ward" are surnames
# too, so only there ("Stuart Hall", "Ji-hoon Park" stay people).
_FACILITY_LAST = frozenset(
    {"park", "hall", "road", "street", "lane", "close", "avenue", "square", "gardens",
     "bridge", "station", "ward", "school", "college", "university", "hospital", "centre",
     "center", "stadium", "arena", "museum", "library", "theatre", "theater", "cathedral",
     "church", "chapel", "abbey", "castle", "tower", "house", "court", "dock", "dockyard",
     "wharf", "quay", "pier", "market", "cross", "gate", "hotel", "airport", "terminal",
     "meads", "green", "crescent", "terrace", "building", "wing", "campus", "pavilion"}
)  # fmt: skip
_THE_OR_OURS_BEFORE = re.compile(
    r"(?<![\w])(?i:the|our|your|their|its)[ ]+(?:\p{Lu}[\p{L}'\u2019]*[ ]+)?$"
)
# "Park" after a name makes it a park's only where a place is expected ("near Victoria
# Park", ", Hillington Park"): it is also a surname ("Ji-hoon Park").
_PARK_PLACE = re.compile(r"(?:(?<![\w])(?i:the|at|near|in|to|from|around|by)[ ]+|,[ ]*)$")
# The last word of a landscape's or a site's name that no one bears as a surname: "Malham
# Cove", "Stock Ghyll Force", "Kielder Forest", "Ladybower Reservoir".
_FEATURE_LAST = re.compile(
    r"Cove|Force|Ghyll|Tarn|Falls|Loch|Lough|Quay|Quays|Common|Promenade|Parade|Estate|"
    r"Reservoir|Valley|Gorge|Downs|Forest|Meadows|Canal|Tunnel|Viaduct|Moor|Moors|Crags"
)
# … and those that are surnames too ("Damon Hill", "Lois Lane", "Ji-hoon Park", "Michael
# Bay"): a feature's only where the way to it is said ("onto Darwin Way", "up Primrose
# Hill", "in Nelson Wing"), and not as someone's ("past Jane Hill's desk").
_SURNAME_FEATURE_LAST = re.compile(
    r"Hill|Way|Close|Lane|Green|Wood|Gate|Row|Grove|Hall|Field|Fields|Cross|Bridge|Brook|"
    r"Bay|Lake|Pike|Beck|Fell|Wing|Ward|Heath|Marsh|Dale|Rise|Walk"
)
_WAY_THERE = re.compile(
    r"(?<![\w])(?i:onto|into|up|down|along|past|via|across|through|near|opposite|behind|"
    r"around|at|in)[ ]+[\"\u201c\u201e\u00ab]?$"
)
# After a name: a version or a model number ("Amélie 3.1", "Kestrel KX-450"), or the words
# of a trade term ("Franco de port").
_PRODUCT_CODE_AFTER = re.compile(r"(?:[ ]v?\d+\.\d+|-\d{2,}|[ ]de[ ]port\b)")
# Opening and closing typographic quotes around a whole name: a product's, a rose's, a
# dish's or an exhibition's title (« Poulet Marengo », „Bella Crema“).
_OPENING_QUOTE = re.compile(r"[«„“\u2018\u2039][ \u00a0]?$")
# … unless a verb of calling comes first: a nickname ("On l'appelle « Tonio »", "a appelé
# « Bernard »").
_CALLED_BEFORE = re.compile(
    rf"(?<![\w])(?i:{CALLED}|appelle|appellent|appeler|call|calls|llaman|llamaban|llamamos|"
    r"chiamano|chiamavano|chiamiamo|nennen|nennt|nannten)"
    r"[ \u00a0]*[«„“\u2018\u2039][ \u00a0]?$"
)
_CLOSING_QUOTE = re.compile(r"[ \u00a0]?[»“”\u2019\u203a]")
# … the same with a relation, a rank or a saint's title inside the quotes: a wine's, a
# beer's, a horse's or a toy's name (« Zia Teresa », „Lady Anna“, «Don Rodrigo», «Abuela
# Lola»). Not a form of address ("Herr", "M.", "Sra."): a person is quoted so, by their
# signature (« M. Bertin »).
_QUOTED_TITLE_BEFORE = re.compile(
    r"[«„“\u2018\u2039][ \u00a0]?"
    rf"(?i:{RELATIONS}|don|doña|sor|fray|dama|dame|lady|sir|lord|re|rey|king|queen|könig|"
    r"königin)[ \u00a0]+$"
)
# Points of the compass, which head regions in tables ("North West", "Süd").
_COMPASS = frozenset(
    {"north", "south", "east", "west", "nord", "süd", "sud", "ost", "ouest", "est", "norte",
     "sur", "este", "oeste", "ovest", "northeast", "northwest", "southeast", "southwest",
     "nordest", "nordovest", "sudest", "sudovest", "centre", "center", "central", "midlands"}
)  # fmt: skip


def _a_facility_after_the(text: str, start: int, words: list[str]) -> bool:
    return (
        len(words) > 1
        and words[-1].casefold().strip(".,") in _FACILITY_LAST
        and _THE_OR_OURS_BEFORE.search(text, max(0, start - 30), start) is not None
    )


def _named_thing(text: str, start: int, end: int, words: list[str]) -> bool:
    """A name that its surroundings make a place's, a building's or a product's: a venue
    word before it or as its first word, a street word as its last or next word
    (`_STREET_AFTER`, shared with the full-name rule), a version
    or model number after it, typographic quotes around it, compass points, a short
    acronym ("owner: SRE"), a facility's word as its last after "the" or a possessive ("the
    Royal Albert Hall", `_FACILITY_LAST`)."""
    if not words:
        return False
    park = words[-1] == "Park" or text.startswith(" Park", end)
    return (
        all(word.casefold().strip(".,") in _COMPASS for word in words)
        or (len(words) == 1 and words[0].isupper() and len(words[0]) <= 4)
        or (
            _after_a_venue_word(text, start)
            and not _a_first_name_then_a_surname(text, start, words)
        )
        or _NAMED_AFTER.search(text, max(0, start - 90), start) is not None
        or _THING_NEXT.match(text, end) is not None
        or (len(words) > 1 and _THING_LAST.fullmatch(words[-1].strip(".,")) is not None)
        or any(_HYPHENATED_THING.search(word.strip(".,")) is not None for word in words)
        or (words == ["Reyes"] and _REYES.search(text, max(0, start - 5), start) is not None)
        or _an_author_after_a_title(text, start, end)
        or (len(words) > 1 and _VENUE_FIRST.match(words[0]) is not None)
        or (
            len(words) > 1
            and _DISH_FIRST.fullmatch(words[0]) is not None
            and not _a_first_name_then_a_surname(text, start, words)
        )
        or (len(words) > 1 and _THE_BEFORE.search(text, max(0, start - 4), start) is not None)
        or (
            len(words) > 1
            and is_big_place(words[0])
            and not flags(words[0]) & Flag.FIRST
            and not any(flags(word) & (Flag.FIRST | Flag.SURNAME) for word in words[1:])
            and not is_place(text[start:end])
        )  # "Stockholm Arlanda": a town and a word of no list of names
        or _STREET_AFTER.match(text, end) is not None
        or _street_word(text, start, end)
        or (
            park
            and _PARK_PLACE.search(text, max(0, start - 12), start) is not None
            # "to Jennifer Park", ", Min-jun Park": a first name no place bears, then the
            # surname ("near Victoria Park" stays a park)
            and not (
                len(words) == 2
                and words[-1] == "Park"
                and is_unambiguous_first_name(words[0])
                and not is_place(words[0])
            )
        )
        or _a_facility_after_the(text, start, words)
        or _a_feature(text, start, end, words)
        or _PRODUCT_CODE_AFTER.match(text, end) is not None
        or _on_a_route(text, start, end)
        or (
            len(words) == 1
            and _an_eponym_elsewhere(text, words[0])
            and _CONTACT_AFTER.search(text, end, end + 60) is None
        )
        or (
            text[end - 2 : end] in {"'s", "\u2019s"}
            and _POSSESSIVE_PLACE_AFTER.match(text, end) is not None
        )
        or (text[end - 1 : end] == "s" and _GENITIVE_BUSINESS_AFTER.match(text, end) is not None)
        or (
            len(words) == 1
            and _POSSESSIVE_PLACE_NOUN.fullmatch(words[0]) is not None
            and _POSSESSIVE_BEFORE.search(text, max(0, start - 4), start) is not None
        )
        or any(
            _POSSESSIVE_PLACE_NOUN.fullmatch(word.strip(".,")) is not None
            and before[-2:] in {"'s", "\u2019s"}
            for before, word in pairwise(words)
        )
        or (
            _OPENING_QUOTE.search(text, max(0, start - 2), start) is not None
            and _CLOSING_QUOTE.match(text, end) is not None
            and _CALLED_BEFORE.search(text, max(0, start - 24), start) is None
        )
        or _quoted_with_a_title(text, start, end)
    )


_WORD_BEFORE_NAME = re.compile(r"(?P<word>\p{Lu}\p{Ll}+)[ ]$")


def _a_first_name_then_a_surname(text: str, start: int, words: list[str]) -> bool:
    """A dish's word that is a first name too, then a word that is only ever a surname:
    "Sole Ferraro" is a woman ("sole.ferraro@…"), "Sole Meunière" and "Sole Colbert" are
    dishes (a word of no list, a first name too)."""
    if len(words) > 1:
        first, last = words[0], words[1]
    else:
        before = _WORD_BEFORE_NAME.search(text, max(0, start - 24), start)
        if before is None or not words:
            return False
        first, last = before.group("word"), words[0]
    last = last.strip(".,;:")
    return (
        _DISH_FIRST.fullmatch(first) is not None
        and bool(flags(first) & Flag.FIRST)
        and bool(flags(last) & Flag.SURNAME)
        and not flags(last) & (Flag.FIRST | COMMON_ANYWHERE)
    )


def _quoted_with_a_title(text: str, start: int, end: int) -> bool:
    """A name with its title or relation, and nothing else, in typographic quotes: a
    thing's name (`_QUOTED_TITLE_BEFORE`), unless a verb of calling comes first ("they call
    him « Don Pedro »")."""
    if _CLOSING_QUOTE.match(text, end) is None:
        return False
    quoted = _QUOTED_TITLE_BEFORE.search(text, max(0, start - 24), start)
    return (
        quoted is not None
        and _CALLED_BEFORE.search(text, max(0, quoted.start() - 24), quoted.start() + 1) is None
    )


def _a_feature(text: str, start: int, end: int, words: list[str]) -> bool:
    """A name whose last word makes it a landscape's or a site's (`_FEATURE_LAST`, or
    `_SURNAME_FEATURE_LAST` after a word of the way there)."""
    if len(words) < 2:
        return False
    last = words[-1].strip(".,;:")
    if _FEATURE_LAST.fullmatch(last) is not None:
        return True
    return (
        _SURNAME_FEATURE_LAST.fullmatch(last) is not None
        and text[end : end + 2] not in {"'s", "\u2019s"}
        and _WAY_THERE.search(text, max(0, start - 10), start) is not None
    )


# A short quotation with more words than the name and no punctuation inside is a title: an
# exhibition, a show, a product line ("„Gold der Kelten“", "El Rey León", « Rose des sables
# »). Quoted speech has a verb and usually a comma or a full stop; a nickname is quoted
# alone (`_named_thing` keeps "called « Tonio »").
_QUOTED_TITLE = re.compile(
    r"[«„“\"\u2039][ \u00a0]?(?P<inside>[^\n«»„“”\"\u2039\u203a,.!?:;]{1,60}?)"
    r"[ \u00a0]?[»“”\"\u203a]"
)


# The separator line under a markdown table's header row ("|---|:---:|").
_TABLE_RULE = re.compile(
    r"[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)+\|?[ \t]*(?:\n|$)"
)


def _in_a_table_header(text: str, start: int) -> bool:
    """Whether `start` is in the header row of a markdown table: its cells name columns
    ("| SKU | Product | Price |"), whatever word a column is called."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    if line_end < 0 or "|" not in text[line_start:line_end]:
        return False
    return _TABLE_RULE.match(text, line_end + 1) is not None


# Articles and prepositions that tie a name into a title ("El Rey León", "Gold der Kelten",
# "Rose des sables"); quoted speech puts a verb there ("« Karim arrive demain »").
_TITLE_LINKS = frozenset(
    {"the", "of", "and", "le", "la", "les", "l'", "du", "des", "de", "d'", "et", "der", "die",
     "das", "den", "dem", "von", "vom", "und", "el", "los", "las", "del", "y", "il",
     "lo", "gli", "di", "della", "dei", "delle", "e"}
)  # fmt: skip


def _in_a_quoted_title(text: str, start: int, end: int) -> bool:
    """Whether a name found on a weak cue lies inside a quoted title (`_QUOTED_TITLE`) of
    two to six words that holds more than the name: next to an article or a preposition
    of the title, or among capitalised words only."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    for quoted in _QUOTED_TITLE.finditer(text, line_start, line_end):
        inside_start, inside_end = quoted.span("inside")
        if inside_start <= start and end <= inside_end:
            words = quoted.group("inside").split()
            if not 2 <= len(words) <= 6 or (inside_start, inside_end) == (start, end):
                return False
            before = text[inside_start:start].split()
            after = text[end:inside_end].split()
            return (
                (bool(before) and before[-1].casefold() in _TITLE_LINKS)
                or (bool(after) and after[0].casefold() in _TITLE_LINKS)
                or all(word[:1].isupper() for word in before + after)
            )
    return False


# A quoted title, then the name in parentheses: its author ('"Middlemarch" (George Eliot)',
# « L'Étranger » (Albert Camus)).
_TITLE_THEN_PARENTHESIS = re.compile(r"[\"\u201d\u00bb\u201c][ ]?\($")


def _an_author_after_a_title(text: str, start: int, end: int) -> bool:
    return _TITLE_THEN_PARENTHESIS.search(
        text, max(0, start - 3), start
    ) is not None and text.startswith(")", end)


# A name of one to three words in a list, with what separates it from the next.
_LISTED_NAMES = rf"(?:{_LIST_WORD}(?:[ ]{_LIST_WORD}){{0,2}}(?:,[ ]+|[ ]+(?:and|y|e|et|und|&)[ ]+))"
# A venue word, often plural, before a list of names: each is a room's or a building's
# ("Rooms Ada and Lovelace to be merged", "las salas Clara Campoamor y Victoria Kent").
_VENUE_LIST_BEFORE = re.compile(
    r"(?<![\w])(?:"
    rf"(?i:{_VENUE_WORDS})[ ]+{_LISTED_NAMES}+"
    r"|(?i:rooms|salas|sale|salles|räume|säle|aule|aulas|halls)[ ]+"
    rf"{_LISTED_NAMES}*)$"
)


# An en dash (U+2013) joining two capitalised words with no space, the way a route, a line
# or a two-name eponym is written ("Santander-Portsmouth", "Livorno-Olbia", "the
# Mann-Whitney U test", each with an en dash); a person's double name takes a hyphen
# ("Levi-Montalcini").
_EN_DASH_BEFORE = re.compile(r"\p{L}\u2013$")
_EN_DASH_AFTER = re.compile(r"\u2013\p{Lu}")
# A place between two stops of a route ("closed between Brixton and Stockwell", "from
# Sarria to Portomarín").
_ROUTE_FROM = r"(?<![\w])(?i:between|entre|zwischen|tra|fra|from|de|desde|von|da|dal)[ ]"
_ROUTE_TO = r"[ ](?i:and|to|et|à|und|bis|nach|y|hasta|a|e|fino a)[ ]"
_ROUTE_BEFORE = re.compile(rf"{_ROUTE_FROM}$")
_ROUTE_AFTER = re.compile(rf"{_ROUTE_TO}(?P<other>\p{{Lu}}\p{{L}}+)")
_ROUTE_END_BEFORE = re.compile(rf"{_ROUTE_FROM}(?P<other>\p{{Lu}}\p{{L}}+){_ROUTE_TO}$")


def _on_a_route(text: str, start: int, end: int) -> bool:
    """An en dash joins the name to another capitalised word, or the name is a place the
    gazetteer lists, no common first name, at one end of a route: its start, when the other
    end is no first name anywhere ("between Brixton and Stockwell", not "da Ngozi e Emeka"),
    or its end, one word and no first name, when the start is such a place ("between
    Brixton and Clapham"): a place's name, not a person's."""
    if (
        _EN_DASH_AFTER.match(text, end) is not None
        or _EN_DASH_BEFORE.search(text, max(0, start - 2), start) is not None
    ):
        return True
    end_of_route = _ROUTE_END_BEFORE.search(text, max(0, start - 40), start)
    if (
        end_of_route is not None
        and is_place(end_of_route.group("other"))
        and end_of_route.group("other").casefold() not in FIRST_NAMES
        and " " not in text[start:end]
        and text[start:end].casefold() not in FIRST_NAMES
        and (is_place(text[start:end]) or not flags(text[start:end]) & Flag.FIRST)
    ):
        return True  # "between Brixton and Clapham": its other end first
    if _ROUTE_BEFORE.search(text, max(0, start - 9), start) is None:
        return False
    after = _ROUTE_AFTER.match(text, end)
    return (
        after is not None
        and is_place(text[start:end])
        and text[start:end].casefold() not in FIRST_NAMES
        and not flags(after.group("other")) & Flag.FIRST
    )


def _an_eponym_elsewhere(text: str, word: str) -> bool:
    """The word names a disease, a law or a theorem elsewhere in the text ("Parkinson's
    disease … people manage Parkinson's", "la maladie de Crohn … Crohn touche"): there, as
    here, the eponym, not a person. One shared pattern finds the text's eponyms, and only for
    a word the text holds twice."""
    bare = word.strip(".,;:").removesuffix("'s").removesuffix("\u2019s")
    if len(bare) < 3 or text.count(bare) < 2:
        return False  # named once: nowhere else (a plain count, before any pattern)
    return any(
        bare in (mention.group("after"), mention.group("before"))
        for mention in _EPONYM_MENTION.finditer(text, timeout=regex_limits.seconds())
    )


_EPONYM_MENTION = re.compile(
    rf"(?<![\w])(?P<after>\p{{Lu}}[\p{{L}}\-]+)(?:['\u2019]s)?[ ](?i:{_EPONYM_AFTER})(?![\w])"
    rf"|(?<![\w])(?i:{_EPONYM_BEFORE})[ ](?i:de|di|des|del|du|von|of|d['\u2019])[ ]?"
    r"(?P<before>\p{Lu}[\p{L}\-]+)(?![\w])"
)
# Contact data right after a name: someone to call ("appeler Pascal (le plombier, 06 28 …)"),
# whatever law bears the name elsewhere in the text.
_CONTACT_AFTER = re.compile(r"@[\w-]+\.|\d(?:[ .\-/]?\d){6}")


# The start of a hyphenated name whose end a name was read from ("Victor-" of "Victor-Hugo").
_HYPHENATED_START = re.compile(r"(?<![\w\-])(?:\p{Lu}\p{Ll}+-)+$")


def _after_a_venue_word(text: str, start: int) -> bool:
    """A venue word right before, or before a capitalised word or two that are no role or
    title ("Restaurant Kong Hans", but not "Station Manager Rita"), or before a list of
    names this one ends ("Rooms Ada and Lovelace"); before the whole hyphenated word when
    the name is its end ("lycée Victor-Hugo" for "Hugo")."""
    hyphenated = _HYPHENATED_START.search(text, max(0, start - 30), start)
    if hyphenated is not None:
        start = hyphenated.start()
    if _VENUE_LIST_BEFORE.search(text, max(0, start - 90), start) is not None:
        return True
    venue = _VENUE_BEFORE.search(text, max(0, start - 48), start)
    if venue is None:
        return False
    chain = {word.casefold() for word in venue.group("chain").split()}
    return not chain & (ROLE_WORDS | TITLE_WORDS | LABEL_WORDS)


def place_not_person(value: str) -> bool:
    """A name found on weak evidence that is all a notable place ("Rotterdam", "Los
    Ángeles", "Santa Mónica"), not a common first name ("Florence" is both)."""
    value = value.strip(" .,;:")
    if " " in value or "'" in value:
        # "Santa Mónica", "Cortina d'Ampezzo": a place whatever its size; but a small place
        # spelled as an unambiguous first name and a surname is a person's name too, and
        # found as a name it is one ("Tao Yuan" is also a town's name, "Taoyuan")
        return is_place(value) and (is_big_place(value) or not _a_first_and_surname(value))
    return is_big_place(value) and value.casefold() not in FIRST_NAMES


def _a_first_and_surname(value: str) -> bool:
    """Two words: a first name that is no word, then a listed surname that is none."""
    words = value.split()
    return (
        len(words) == 2
        and is_unambiguous_first_name(words[0])
        and _listed_surname(words[1])
        and words[1].casefold() not in COMMON_WORDS
        and not flags(words[1]) & COMMON_ANYWHERE
    )


def is_listed_name(value: str) -> bool:
    """Some word of `value` is a first name or surname somewhere ("Tbilisi" is none)."""
    return any(flags(word) & (Flag.FIRST | Flag.SURNAME) for word in value.split())


def _an_everyday_word(word: str, language: str) -> bool:
    """A common word of `language` or English that no list holds as a first name or a
    surname ("Buongiorno", "Support"; not "Rosa", "Will")."""
    return is_common_word(word, language) and not is_listed_name(word)


def is_common_word(word: str, language: str) -> bool:
    """A word of the index flagged as common in `language` or English, or a listed one."""
    from proxy.detection.name_index import COMMON_IN  # noqa: PLC0415

    if _ELIDED_SURNAME.match(word):
        return False
    bits = flags(word)
    return word.casefold() in COMMON_WORDS or bool(
        bits & (Flag.COMMON_EN | COMMON_IN.get(language, Flag.COMMON_EN))
    )


# An Italian surname made of an elided preposition and a noun, both capitalised ("Dell'Acqua",
# "Dall'Olio", "Degl'Innocenti"): Italian word lists count "dell'acqua" as a frequent token
# (of the water), but written with a capital after the apostrophe it is a family's name.
_ELIDED_SURNAME = re.compile(r"(?:D[aeu]ll|Degl|Sant)['\u2019]\p{Lu}\p{Ll}")


def _a_known_first_then_a_surname(words: Sequence[str], language: str) -> bool:
    """After a role word, a known first name and one or two capitalised words that are no
    title, label or listed common word: "conducente Nadia Cristiani" ("cristiani" is an
    Italian word, but not capitalised after a first name). Not in German, which
    capitalises every noun."""
    return (
        language != "de"
        and 2 <= len(words) <= 3
        and _known_first(words[0], language)
        and not is_common_word(words[0], language)
        and all(
            word[:1].isupper()
            and word.strip(".,;:-").casefold() not in COMMON_WORDS | TITLE_WORDS | LABEL_WORDS
            # nor an English word, which firms' names are made of ("Clarion Health")
            and not flags(word) & Flag.COMMON_EN
            for word in words[1:]
        )
    )


def _plain_name_words(words: Sequence[str], language: str) -> bool:
    """No word of `words` is a common word, title or label (the first one especially)."""
    for word in words:
        folded = word.strip(".,;:-").casefold()
        if folded in COMMON_WORDS or folded in TITLE_WORDS or folded in LABEL_WORDS:
            return False
        if not is_name(word, language) and is_common_word(word, language):
            return False
    return True


def _a_signature_name(words: Sequence[str], language: str, *, at_the_end: bool) -> bool:
    """A signature's name that `_plain_name_words` refuses for a word the frequency lists
    count as common: "Hannelore Sonnenschein", "Hatice Özdemir" (a German politician's
    surname is frequent in German news); or, as the text's last line, a
    first name no list holds ("besos, Iratxe"). Under a closing formula two or three name
    words are a person when one of them is a name and a word in no language; one word is
    when it is in no list at all (not even the word lists: "Thanks,\nSupport" is not)."""
    folded = [word.strip(".,;:-").casefold() for word in words]
    if any(f in COMMON_WORDS or f in TITLE_WORDS or f in LABEL_WORDS for f in folded):
        return False
    if len(words) == 1:
        return at_the_end and not flags(words[0]) and len(words[0]) > 2
    return any(
        flags(word) & (Flag.FIRST | Flag.SURNAME) and not flags(word) & COMMON_ANYWHERE
        for word in words
    )


# A capitalised word right before: the pair is the tail of a longer proper noun ("Semana
# Santa de Sevilla", "the Magna Carta" is not, but "Treaty of Rome" style names are).
_CAPITALISED_BEFORE = re.compile(r"\p{Lu}\p{L}+[ ]$")


# First names that are everyday words, which the name index keeps as words only ("will",
# "speranza"): before a surname that is no word they are the name ("Will Greaves", "Speranza
# Caruso", "Sunny Moriarty"); alone, they stay words.
WORD_NAMES = frozenset(
    (
        "will", "sunny", "hope", "faith", "grace", "joy", "rose", "mark", "bill", "frank",
        "pat", "rob", "sole", "speranza", "fortunato", "felice", "primo", "gioia", "vera",
        "serena", "stella", "aurora", "bianca", "rosa", "sol", "luz", "paloma", "pilar",
        "amparo", "rocío", "consuelo", "dolores", "ernst", "kai", "franco", "rubio", "leal",
        "clemente", "inocencia", "modesto", "benigno", "fidel", "justo", "casimiro", "domenica",
    )
)  # fmt: skip


# File formats and protocols the name lists hold as first names ("Json", "Yaml").
_FORMATS = frozenset(
    {"json", "yaml", "xml", "csv", "html", "http", "https", "sql", "pdf", "api", "crm", "erp"}
)


def _first_name_span(text: str, match: re.Match[str], language: str) -> tuple[int, int] | None:
    """Where a "First Last", "First Second Last", "First Last Last2" or "LAST First" match
    is a name, its span."""
    first, second, last = match.group("first"), match.group("second"), match.group("last")
    more = match.group("more")
    if first.casefold() in _FORMATS or last.casefold() in _FORMATS:
        return None  # "JSON del CRM", "CSV de Salesforce": a file, not a person
    loose = (
        (_listed_first(first) or first.casefold() in WORD_NAMES)
        and is_surname(last, language)
        and _CAPITALISED_BEFORE.search(text, max(0, match.start() - 30), match.start()) is None
    )
    if _known_first(first, language) or loose:
        # A surname that is also a word still is one after a first name ("Tyler Low",
        # "Sophie Comment", "Karim Wild"); a first name that is also a word is one before
        # a surname that is not ("Cristiano Ramos", "Morgan Bryant").
        if last.casefold() in COMMON_WORDS or (
            not _listed_surname(last) and is_common_word(last, language)
        ):
            if (
                second is None
                or _known_first(second, language)
                or second.casefold() in COMMON_WORDS
            ):
                return None
            return match.start("first"), match.end("second")  # "Javier Moreno Merci"
        end = match.end("last")
        if (
            more is not None
            and more.casefold() not in COMMON_WORDS
            and not _known_first(more, language)
            and not is_common_word(more, language)
        ):
            end = match.end("more")  # a second surname ("Javier Moreno García")
        return match.start("first"), end
    # "DUPONT Jean": a surname in capitals, then a first name.
    if (
        first.isupper()
        and len(first) > 1
        and second is None
        and _known_first(last, language)
        and first.casefold() not in COMMON_WORDS
    ):
        return match.start("first"), match.end("last")
    return None


def _with_capital_particle(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """`span`, from the particle before it when it starts with a surname in capitals after
    one ("DA SILVA Fábio", "VAN DER BERG Anouk")."""
    start, end = span
    if not text[start : start + 2].isupper():
        return span
    particle = _CAPITAL_PARTICLE_BEFORE.search(text, max(0, start - 12), start)
    return (start, end) if particle is None else (particle.start(), end)


# A surname's particle in capitals before a surname in capitals ("DA SILVA", "DE LA CRUZ",
# "VAN DER BERG"), a case-sensitive `PARTICLE`.
_CAPITAL_PARTICLE_BEFORE = re.compile(
    r"(?<![\w\-'\u2019])(?:DE LA|DE|DU|DES|DA|DI|DO|DOS|DAS|DEL|DELLA|VAN DER|VAN DEN|VAN|"
    r"VON DER|VON|LE|LA|EL|BEN|TER)[ ]$"
)


def _lone_name_word(word: str) -> bool:
    """A word that, where a layout puts a name, is one: a first name that is a common word
    in no language, and not a notable place."""
    return (
        word.casefold() not in COMMON_WORDS
        and is_unambiguous_first_name(word)
        and not (is_place(word) and word.casefold() not in FIRST_NAMES)
    )


# A nickname in quotes inside or right after a name: 'Bartholomew "Bart" Okeke', 'Giuseppe
# (Joe) Fontana', 'Inmaculada Concepción Reyes ("Inma")', 'Francisco Javier Montero
# ("Fran")': the word before is a listed first name or surname (`_nickname_of_a_name`).
_NICKNAME = re.compile(
    r"(?P<before>\p{Lu}\p{Ll}+)[ ]+"
    r"(?:\((?P<quote>[\"\u201c\u201e\u00ab'])?|(?P<quote>[\"\u201c\u201e\u00ab]))"
    r"(?P<name>\p{Lu}\p{Ll}{1,15})(?:[\"\u201d\u201c\u00bb'](?:\))?|\))"
    r"(?=[ ]+\p{Lu}\p{Ll}|[ ]*[,;:.\n\u2013\u2014\-]|[ ]*$)"
)


# What people are called, by a verb of calling: "den alle nur „Bolle“ nennen", "al que llaman
# Rubio", "todos le llaman Pepe", "che tutti chiamano Totò", "qu'on appelle Dédé", "everyone
# calls him Stretch".
_CALLED_BY = re.compile(
    r"(?:[„\"«“][ ]?(?P<before>\p{Lu}[\p{L}'\-]+)[ ]?[“\"»”][ ]+(?i:nennen|nennt)"
    r"|(?<![\w])(?i:llaman|apodan|chiamano|chiamavano|appellent|appelle|surnomment|"
    r"calls[ ](?:him|her)|call[ ](?:him|her)|nennen[ ](?:ihn|sie)|nennt[ ](?:ihn|sie))"
    r"[ ]+[„\"«“]?[ ]?(?P<after>\p{Lu}[\p{L}'\-]+))(?![\w])"
)


def _called_by_a_verb(text: str, language: str) -> list[RecognizerResult]:
    """A nickname after (or, in German, before) a verb of calling, score 0.7, unless it is a
    common word ("nennen es Chaos")."""
    results = []
    for match in _CALLED_BY.finditer(text, timeout=regex_limits.seconds()):
        group = "before" if match.group("before") is not None else "after"
        word = match.group(group)
        quoted = group == "before"  # "den alle nur „Bolle“ nennen": a word made a name
        if (
            _plain_name_words([word], language)
            or word.casefold() in WORD_NAMES
            or (
                quoted
                and word.casefold() not in COMMON_WORDS
                and word.casefold() not in ROLE_WORDS
                and not is_common_word(word, language)  # „Verkäufer“: a contract's party
            )
        ):
            results.append(_result("PERSON", match.start(group), match.end(group), 0.7))
    return results


# A name alone in capitals on its line, as a CV or a letter heads with it ("SOLE AGARWAL",
# "MARIA DE LOS ÁNGELES RUIZ"): two to four words, the first a listed first name, the last
# a listed surname.
_CAPITALS_LINE = re.compile(
    r"(?m:^[ \t#*]*(?P<name>\p{Lu}{2,}(?:[ ](?:DE|DA|DI|DEL|DELLA|VAN|VON|LA|LOS|Y)){0,2}"
    r"(?:[ ][\p{Lu}'\-]{2,}){1,3})[ \t*]*$)"
)


def _names_in_capitals(text: str, language: str) -> list[RecognizerResult]:
    """A line that is only a name in capitals (`_CAPITALS_LINE`), score 0.7."""
    results = []
    for match in _CAPITALS_LINE.finditer(text, timeout=regex_limits.seconds()):
        words = match.group("name").split()
        first, last = words[0].title(), words[-1].title()
        word_name = first.casefold() in WORD_NAMES  # "SOLE AGARWAL"
        if (
            (_listed_first(first) or word_name)
            and _listed_surname(last.split("-")[0])
            and (
                word_name or not (is_common_word(first, language) and not is_name(first, language))
            )
            and not (is_common_word(last, language) and not is_name(last, language))
        ):
            start, end = match.span("name")
            results.append(_result("PERSON", start, end, 0.7))
    return results


def _nicknames(text: str, language: str) -> list[RecognizerResult]:
    """Nicknames in quotes inside or right after a name (`_NICKNAME`), score 0.7, and the
    rest of the name a nickname splits; not a role in parentheses ("Nadine (Agentin)")."""
    results = []
    for match in _NICKNAME.finditer(text, timeout=regex_limits.seconds()):
        start, end = match.span("name")
        word = text[start:end]
        if not _nickname_of_a_name(text, match, language):
            continue
        if match.group("quote") is None and not _known_first(word, language):
            continue  # "Nadine (Agentin)", "Lena (Einkauf)": a role, not a nickname
        if _plain_name_words([word], language) and _not_a_lone_word([word], language):
            results.append(_result("PERSON", start, end, 0.7))
            results.extend(_surname_after_a_nickname(text, match.end(), language))
    return results


_COUNTED = re.compile(r"\d[ ]?[x\u00d7][ ]?$")
_FIRST_NAME_BEFORE = re.compile(r"(?P<word>\p{Lu}\p{Ll}+)[ ]+$")


def _nickname_of_a_name(text: str, match: re.Match[str], language: str) -> bool:
    """The word before the quoted nickname is a listed name, or a plain word after a listed
    first name ("Concepción Ledesma ("Conchi")")."""
    before = match.group("before")
    if _COUNTED.search(text, max(0, match.start() - 8), match.start()):
        return False  # "2 x Regal „Oskar“ Eiche": a product's
    if is_name(before, language):
        return True
    first = _FIRST_NAME_BEFORE.search(text, max(0, match.start() - 30), match.start())
    return (
        first is not None
        and _known_first(first.group("word"), language)
        and _plain_name_words([before], language)
    )


_NAME_AFTER_A_NICKNAME = re.compile(r"[ ]+(?P<word>\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?)(?![\w])")


def _surname_after_a_nickname(text: str, position: int, language: str) -> list[RecognizerResult]:
    """The rest of a name a nickname splits ('Bartholomew "Bart" Okeke'): a capitalised
    word right after it that is no everyday word."""
    after = _NAME_AFTER_A_NICKNAME.match(text, position)
    if after is None or not _plain_name_words([after.group("word")], language):
        return []
    return [_result("PERSON", after.start("word"), after.end("word"), 0.6)]


def _not_a_lone_word(words: Sequence[str], language: str) -> bool:
    return not (len(words) == 1 and is_common_word(words[0], language))


# Verbs of calling, asking, telling, warning or thanking someone, and their prepositions,
# in the five languages: the capitalised word after them is who is called.
_CONTACT_VERBS = (
    r"call|ring|phone|ask|tell|text|e-?mail|message|ping|remind|thank|notify|cc|"
    r"chiama|chiamare|chiamate|richiama|richiamare|avvisa|avvisare|avvisate|senti|sentire|"
    r"sentite|sentiti|contatta|contattare|contattate|ringrazia|ringraziare|"
    r"(?:chiedi|chiedo|chiedete|chiedere|scrivi|scrivete|scrivere|manda|mandare|mandate|"
    r"dì|di'|dite|dillo|inoltra|inoltrare|gira|girare)[ ]a|"
    r"(?:llama|llamad|llamar|llámale|avisa|avisad|avisar|pregunta|preguntad|preguntar|"
    r"pregúntale|escribe|escribid|escribir|escríbele|dile|decidle|manda|mandad|mándale|"
    r"contacta|saluda|agradece)[ ]a|(?:habla|hablad|hablar|contacta|contactar)[ ]con|"
    r"appelle|appelez|appeler|rappelle|rappelez|rappeler|préviens|prévenez|prévenir|"
    r"contacte|contactez|contacter|remercie|remerciez|"
    r"(?:demande|demandez|demander|écris|écrivez|écrire|dis|dites|envoie|envoyez)[ ]à|"
    r"ruf|ruft|frag|fragt|schreib|schreibt|sag|sagt|informier|informiere|kontaktier|"
    r"kontaktiere|erinnere|erinner"
)


def _a_contacted_name(word: str, language: str) -> bool:
    """A first name after a verb of contact: a listed one, a word-like one ("Fortunato",
    "Sunny") or one that is no word; not a label, a title or a notable place."""
    folded = word.casefold()
    if folded in COMMON_WORDS or folded in TITLE_WORDS or folded in LABEL_WORDS:
        return False
    if folded in FIRST_NAMES or folded in WORD_NAMES:
        return True
    return is_first_name(word, language) and not place_not_person(word)


def _first_or_two_words(words: Sequence[str], language: str) -> bool:
    return _known_first(words[0], language) or len(words) > 1


def _a_first_name(words: Sequence[str], language: str) -> bool:
    return len(words) == 1 and _known_first(words[0], language)


def _ends_with_a_surname(words: Sequence[str], language: str) -> bool:
    """A form's field ending with a listed surname that is no common word, after first names
    that may be words ("Next of kin: Vi Nguyễn", "Emergency contact: Line Edvardsen") but
    not other words ("Hotel directory: The Savoy", "Garage agréé : Carrosserie du Puy")."""
    *firsts, last = words
    return (
        bool(firsts)
        and _listed_surname(last)
        and not is_common_word(last, language)
        and all(
            _listed_first(word) or len(word) <= 2 or not is_common_word(word, language)
            for word in firsts
        )
        and not any(word.casefold().strip(".,") in LABEL_WORDS | TITLE_WORDS for word in words)
    )


def _a_known_name(words: Sequence[str], language: str) -> bool:
    return any(is_name(word, language) for word in words)


def _answers_to_a_name_question(text: str, language: str) -> list[RecognizerResult]:
    """The answer on the line after a question asking for a name ("Wie ist Ihr Name?" /
    "Kunde: dragan petrović"), when a word of it is a name, score 0.7."""
    found = []
    for match in _NAME_QUESTION.finditer(text, timeout=regex_limits.seconds()):
        answer = _ANSWER.match(text, match.end())
        if answer is not None:
            start, end = answer.span("name")
            if any(is_name(w, language) or _unambiguous(w) for w in text[start:end].split()):
                found.append(_result("PERSON", start, end, 0.7))
    return found


# A name with its role or relation in brackets after it ("Contatto: Huang Wei (marito)",
# "Lwazi Dube (witness)", "Nasrin Akter (madre)"): the bracket says it is a person.
_NAME_THEN_ROLE = re.compile(
    r"(?<![\w\-'\u2019])(?P<name>\p{Lu}[\p{L}'\u2019\-]+(?:[ ]\p{Lu}[\p{L}'\u2019\-]+){0,3})"
    rf"[ ]*\((?i:{ROLES})\)"
)


def _names_before_a_role(text: str, language: str) -> list[RecognizerResult]:
    """A name right before its role or relation in brackets (`_NAME_THEN_ROLE`), score
    0.75 as after a title (a place's namesake too: "Huang Wei"), unless its first word is a
    label, a title or a role, its words are everyday ones no list holds as names ("Kontakt
    (Kunde)"), or it is one everyday word ("Notfall (Ehemann)")."""
    if "(" not in text:
        return []
    results = []
    for match in _NAME_THEN_ROLE.finditer(text, timeout=regex_limits.seconds()):
        words = match.group("name").split()
        if (
            all(
                word.casefold() in COMMON_WORDS | LABEL_WORDS | TITLE_WORDS | ROLE_WORDS
                or _an_everyday_word(word, language)
                for word in words
            )
            or words[0].casefold() in LABEL_WORDS | TITLE_WORDS | ROLE_WORDS
            # one everyday word: a form's label, capitalised in German as nouns are
            or (len(words) == 1 and is_common_word(words[0], language))
        ):
            continue
        results.append(_result("PERSON", match.start("name"), match.end("name"), 0.75))
    return results


# A chat export's speaker line, a name and the time ("Basti 18:02", "Marguerite
# Chen-Lambert  9:22 AM"), the message on the lines after it.
_TIMED_SPEAKER_LINE = re.compile(
    r"(?m:^[ \t]*(?P<name>\p{Lu}[\p{L}'\u2019\-]+(?:[ ]\p{Lu}[\p{L}'\u2019\-]+){0,2})"
    r"[ \t]+\d{1,2}:\d{2}(?:[ ]?(?i:am|pm))?[ \t]*$)"
)


def _timed_speakers(text: str, language: str) -> list[RecognizerResult]:
    """The speakers of a chat export written "Name 18:02" above each message, two such lines
    or more, score 0.6: a name that is no everyday word of any of the five languages, or a
    first name some list holds that is none of the text's language ("Basti", "Vangelis";
    not "Lunch 12:30", "Abfahrt 18:02" of a schedule)."""
    if text.count(":") < 2:
        return []
    lines = list(_TIMED_SPEAKER_LINE.finditer(text, timeout=regex_limits.seconds()))
    if len(lines) < 2:
        return []
    results = []
    for line in lines:
        words = line.group("name").split()
        if (
            all(
                not flags(word) & COMMON_ANYWHERE
                or (flags(word) & Flag.FIRST and not is_common_word(word, language))
                for word in words
            )
            and words[0].casefold() not in COMMON_WORDS | LABEL_WORDS | TITLE_WORDS
        ):
            results.append(_result("PERSON", line.start("name"), line.end("name"), 0.6))
    return results


def _speakers(text: str, language: str) -> list[RecognizerResult]:
    """Names of the speakers of a chat or a transcript: the word before the colon at the start
    of two lines or more, when the text has three such lines, and every mention of it, in
    any case ("jonas: kommst du … lea: … jonas: komm schon"), score 0.6. Only names of the
    index count: roles ("Kunde", "Leitstelle", "Llamante", "mamá") and labels are not; once
    one speaker is a known name, the chat's other speakers need only not be everyday words."""
    if text.count(":") < 3:
        return []
    speakers: dict[str, int] = {}
    timed: set[str] = set()
    for match in _SPEAKER_LINE.finditer(text, timeout=regex_limits.seconds()):
        speakers[match.group("name")] = speakers.get(match.group("name"), 0) + 1
        if match.group("time") or match.group("stamp"):
            timed.add(match.group("name"))
    composite = _composite_speakers(text, language)
    if sum(speakers.values()) + len(composite) < 3:
        return []
    names = set()
    unlisted: dict[str, list[str]] = {}  # plain words, not (yet) known as a name
    for speaker, lines in speakers.items():
        words = _speaker_words(speaker)
        if not words:
            continue
        if _named_speaker(speaker, words, lines, len(timed) > 1 and speaker in timed, language):
            names.add(speaker)
        else:
            unlisted[speaker] = words
    # A chat export's time-stamped speakers that are logins ("[09:12] giuli.r:", "[09:13]
    # ste_m:"), two of them or more: the members of a team chat.
    timed_logins = {speaker for speaker in timed if _LOGIN_SHAPE.fullmatch(speaker)}
    if len(timed_logins) >= 2:
        names |= timed_logins
    first_person = any(speaker.casefold() in _FIRST_PERSON for speaker in speakers)
    if not names and not first_person and not composite:
        return []
    names |= _other_speakers(text, speakers, unlisted, language)
    names |= composite
    if not names:
        return []
    pattern = re.compile(
        r"(?<![\w@/.\-])(?i:"
        + "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
        + r")(?![\w@/\-]|\.\w)"
    )
    found = [
        _result("PERSON", match.start(), match.end(), 0.6)
        for match in pattern.finditer(text, timeout=regex_limits.seconds())
    ]
    taken = {(r.start, r.end) for r in found}
    return found + [r for r in _lower_case_names_in_a_chat(text) if (r.start, r.end) not in taken]


def _composite_speakers(text: str, language: str) -> set[str]:
    """The names in a family's or a class's speakers (`_COMPOSITE_SPEAKER`): relatives,
    children, parents and initialled first names, unless the word is an everyday word of
    the language that no name list has ("mamá de todos:")."""
    names = set()
    for match in _COMPOSITE_SPEAKER.finditer(text, timeout=regex_limits.seconds()):
        for group in ("relative", "child", "owner", "named", "child_of_named", "initialled"):
            word = match.group(group)
            if word is None or word.casefold() in SPEAKER_ROLES or word.casefold() in LABEL_WORDS:
                continue
            if is_name(word, language) or _listed_first(word) or not is_common_word(word, language):
                names.add(word)
    return names


def _other_speakers(
    text: str, speakers: dict[str, int], unlisted: dict[str, list[str]], language: str
) -> set[str]:
    """In a chat between people (a speaker is a known name, or the writer as "moi", "ich",
    "yo"), its other speakers are people too, nicknames included ("olu", "jojo", "juju"),
    unless a word of theirs is an everyday word of the language. A one-word speaker who
    takes two turns is a person even so, in lower case ("vale") or as a name the index has
    ("Fede", "Vale": words too, in Italian). Once only, a listed first name is needed
    ("Pia:"), or a name of the index that is no word ("beto:", "Schorsch:"), or a
    capitalised word that no list knows at all and that the chat names again ("Wojtek: on
    it" after "me and Wojtek"); a form's label no list has ("Wohnadresse:") is not named
    again."""
    names = set()
    for speaker, words in unlisted.items():
        folded = speaker.casefold()
        if folded in SPEAKER_ROLES or folded in LABEL_WORDS or folded in _FIRST_PERSON:
            continue
        # (an indented YAML key, "    correo: …", is no speaker: `_SPEAKER_LINE`)
        turns = speakers[speaker]
        if turns >= 2 and len(words) == 1 and (speaker.islower() or _a_listed_name(speaker)):
            names.add(speaker)
            continue
        if any(is_common_word(w, language) and not is_name(w, language) for w in words):
            continue
        if turns >= 2 or _known_first(words[0], language) or _a_name_word(text, words):
            names.add(speaker)
    return names


def _a_listed_name(word: str) -> bool:
    return bool(flags(word) & (Flag.FIRST | Flag.SURNAME))


def _a_name_word(text: str, words: Sequence[str]) -> bool:
    """One word that is a name of the index and no everyday word of any language, or a
    capitalised word of letters that no list has (a name from elsewhere, "Wojtek") and
    that the text has twice or more."""
    if len(words) != 1:
        return False
    (word,) = words
    bits = flags(word)
    if bits & COMMON_ANYWHERE or word.casefold() in COMMON_WORDS:
        return False
    if bits & (Flag.FIRST | Flag.SURNAME):
        return True
    return (
        bits == 0
        and _UNKNOWN_NAME_SHAPE.fullmatch(word) is not None
        and len(re.findall(rf"(?<![\w]){re.escape(word)}(?![\w])", text)) >= 2
    )


_UNKNOWN_NAME_SHAPE = re.compile(r"\p{Lu}\p{Ll}{2,}")


# A login as chat tools show it: lower case, a dot or an underscore inside ("giuli.r").
_LOGIN_SHAPE = re.compile(r"\p{Ll}[\p{Ll}\d]*[._]\p{Ll}[\p{Ll}\d]*")
# The writer of a chat, as exports name them: the other side of the chat is a person.
_FIRST_PERSON = frozenset({"moi", "me", "ich", "yo", "io", "je"})
# A word in lower case, as chats write names ("alguien sabe si lucía viene hoy?").
_LOWER_WORD = re.compile(r"(?<![\w@/.\-])\p{Ll}{3,}(?![\w@/\-]|\.\w)")


# A shift plan's entry: a capitalised word, then its hours in brackets ("Aimé (4h-11h)",
# "chiusura Fortunato (15-22)", "Noor (06:00-14:00)").
_HOURS = r"\d{1,2}(?:[:h.]\d{2}|h)?[ ]?[\-\u2013\u2014][ ]?\d{1,2}(?:[:h.]\d{2}|h)?"
_SHIFT_ENTRY = re.compile(rf"(?<![\w])(?P<name>\p{{Lu}}[\p{{Ll}}'\u2019\-]+)[ ]?\((?:{_HOURS})\)")


def _shift_plan_names(text: str) -> list[RecognizerResult]:
    """Names of a shift plan, two entries or more: a first name of the index with its hours
    in brackets, score 0.6, once one entry is a first name that is no word (the plan is
    of people). A plan names its staff by first name, and such names are often words
    ("apertura Sole (6-13)", "Fortunato" beside "Bianca"), which no other rule takes
    alone. A plan of no one stays so: parts of the day ("Mattina (6-14), Sera
    (14-22)", "Early (6-14), Late (14-22)"), weekdays, rooms ("Piscina (6-13)")."""
    if "(" not in text:
        return []
    entries = list(_SHIFT_ENTRY.finditer(text, timeout=regex_limits.seconds()))
    if len(entries) < 2 or not any(
        is_unambiguous_first_name(entry.group("name")) for entry in entries
    ):
        return []
    return [
        _result("PERSON", entry.start("name"), entry.end("name"), 0.6)
        for entry in entries
        if flags(entry.group("name")) & Flag.FIRST
        and entry.group("name").casefold() not in _CHAT_WORDS
    ]


# Words of chats that the name index counts as first names only: months and days ("june",
# "domingo"), a possessive ("mía"), chat and family words ("ping", "sim", "guy", "baba").
_CHAT_WORDS = frozenset(
    re.sub(r"\\\.\??", "", month) for month in _DATE_MONTHS.split("|")
) | frozenset(
    {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "lundi",
     "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "montag", "dienstag",
     "mittwoch", "donnerstag", "freitag", "samstag", "sonntag", "lunes", "martes", "miércoles",
     "jueves", "viernes", "sábado", "domingo", "lunedì", "martedì", "mercoledì", "giovedì",
     "venerdì", "sabato", "domenica", "mía", "mia", "mio", "ping", "sim", "guy", "baba", "mama",
     "papa", "nana", "bro", "sis", "babe", "honey", "cara", "caro", "chico", "chica",
     # an everyday word the name index has as a first name only ("la luz del despacho"),
     # relations and welcomes of family chats ("tito paco:", "bienvenida martinita")
     "luz", "yaya", "tito", "tita", "bienvenida", "bienvenido", "benvenuta", "benvenuto"}
)  # fmt: skip


# A name a cue found, written as chats write them: one or two plain lower-case words, not a
# login's or an address's part ("hey gianni", "slt c chloé"; not "marta.rossi@", "@gianni").
_LOWER_CASE_NAME = re.compile(r"(?<![\w@/.\-])\p{Ll}{2,}(?:[ ]\p{Ll}{2,})?(?![\w@/\-]|\.\w)")


def _lower_case_names_in_a_lower_case_text(
    text: str, found: list[RecognizerResult]
) -> list[RecognizerResult]:
    """A text whose writer types a name in lower case, as a cue found one ("ciao gianni!
    ho sentito marta ieri", "coucou ! t'as des nouvelles de clément ?" after "slt c chloé"),
    types the others so too: its other first names in lower case that are words of none of
    the five languages are people, as in a chat between speakers (`_speakers`), score 0.6.
    A single message has no speakers to show it is a chat; its own lower-case name does."""
    if not any(
        r.entity_type == "PERSON"
        and r.score >= 0.5
        and _LOWER_CASE_NAME.fullmatch(text, r.start, r.end) is not None
        and is_unambiguous_first_name(text[r.start : r.end].split(maxsplit=1)[0])
        for r in found
    ):
        return []
    taken = {(r.start, r.end) for r in found}
    return [
        r
        for r in _lower_case_names_in_a_chat(text)
        if (r.start, r.end) not in taken and _A_KEY_AFTER.match(text, r.end) is None
    ]


# A record's key, not a name: "geo=ES", "iban: \"DE67…\"".
_A_KEY_AFTER = re.compile(r"[ \t]*[=:]")


def _lower_case_names_in_a_chat(text: str) -> list[RecognizerResult]:
    """In a chat between people, a first name written in lower case that is a word of none
    of the five languages ("is nadia in today?", "le pregunto a dani"), score 0.6."""
    return [
        _result("PERSON", match.start(), match.end(), 0.6)
        for match in _LOWER_WORD.finditer(text, timeout=regex_limits.seconds())
        if match.group() not in _CHAT_WORDS
        and is_unambiguous_first_name(match.group())
        and not _PRONOUN_BEFORE.search(text, max(0, match.start() - 6), match.start())
    ]


# What only a person does, right after a lower-case first name that starts a clause, as
# chats and quoted messages write it: "sol is moving to lisbon", "franck m'a dit", "blanca ya
# está en lisboa", "sole è arrivata", "paloma hat ne neue nummer". The verb makes a person of
# a name that is also a word ("sol", "sole", "blanca", "franco", "rose").
_PERSON_VERB_AFTER = re.compile(
    r"[ ]+(?:ya|già|schon|just|already|déjà|also|auch|también|anche|aussi)?[ ]*(?:"
    r"is moving|has moved|moved (?:to|from|in|out|back)|told|said|says|texted|rang me|"
    r"messaged|has a new number|got a new number|changed (?:her|his|their) number|"
    r"will drive|is driving|is coming|can't make it|called in sick|"
    r"m'a dit|t'a dit|nous a dit|a dit|a laissé|m'a appelée?|a appelé|déménage|a déménagé|"
    r"est arrivée?|est partie?|a changé de numéro|a un nouveau numéro|l'attend|t'attend|"
    r"hat (?:ne|eine|'ne|'n|n) neue|hat angerufen|hat gesagt|hat geschrieben|hat mir|"
    r"ist nach|ist umgezogen|zieht nach|zieht um|wartet|bringt|ist krank|"
    r"tiene (?:un )?número nuevo|tiene nuevo número|ha cambiado de número|cambió de número|"
    r"está en|le lleva|la espera|lo espera|te espera|me dijo|me ha dicho|dice que|dijo que|"
    r"ha llamado|se muda|se ha mudado|se mudó|"
    r"ha cambiato numero|ha un nuovo numero|è arrivat[ao]|è partit[ao]|le porta|gli porta|"
    r"l'aspetta|ti aspetta|mi ha detto|ha detto|dice che|ha chiamato|si trasferisce|"
    r"si è trasferit[ao])(?![\w'])"
)
# Where a clause starts in a chat: a line, a quote, a punctuation mark or an emoji, or a word
# that runs a sentence on ("ragazzi", "so", "that", "que", "dass").
_CLAUSE_START = re.compile(
    r"(?:^|[\n«„“\"(:;.!?,]|[^\w\s'\u2019\-])[ \t]*$"
    r"|(?<![\w])(?:ragazzi|chicos|leute|guys|ok|so|basically|and|but|that|y|pero|que|porque|"
    r"e|ma|che|perché|et|mais|parce que|und|aber|dass|weil|update)[ ]+$"
)

# Subject pronouns and family words that the name index lists as first names somewhere
# ("elle", "sie", "mamie"); "maman", "mum" and the like are in `SPEAKER_ROLES` already.
_PRONOUNS_AND_KIN = frozenset(
    {"she", "he", "they", "elle", "elles", "il", "ils", "lui", "sie", "er", "es", "ella",
     "ellas", "él", "ellos", "lei", "loro", "mamma", "papà", "mutti", "vati", "mamie", "papi"}
)  # fmt: skip


def _subjects_of_a_person_verb(text: str) -> list[RecognizerResult]:
    """A lower-case first name, even one that is a word, starting a clause before what only
    a person does (`_PERSON_VERB_AFTER`), score 0.6: "sole è arrivata", "fidel le lleva las
    cajas"; never after an article ("il sole è arrivato")."""
    results = []
    for match in _LOWER_WORD.finditer(text, timeout=regex_limits.seconds()):
        word = match.group()
        folded = word.casefold()
        if (
            folded in _CHAT_WORDS
            or folded in _PRONOUNS_AND_KIN
            or folded in SPEAKER_ROLES
            or folded in TITLE_WORDS
            or folded in LABEL_WORDS
            or not (flags(word) & Flag.FIRST or folded in FIRST_NAMES)
        ):
            continue
        if _PERSON_VERB_AFTER.match(text, match.end()) and _CLAUSE_START.search(
            text, max(0, match.start() - 16), match.start()
        ):
            results.append(_result("PERSON", match.start(), match.end(), 0.6))
    return results


# An object pronoun of French, Spanish or Italian before a lower-case word makes it a verb
# ("sí, lo miro ahora", "te aviso", "ci penso", "je passe"); not a subject pronoun, which
# may follow a verb ("frag ich timo").
_PRONOUN_BEFORE = re.compile(r"(?<![\w])(?:lo|los|les|me|te|se|nos|os|ti|ci|vi|ne|gli|je)[ ]$")


def _speaker_words(speaker: str) -> list[str]:
    """The words of a speaker's label, or none for a role, a label or an everyday word."""
    folded = speaker.casefold()
    if folded in SPEAKER_ROLES or folded in LABEL_WORDS or folded in ROLE_WORDS:
        return []
    if folded in COMMON_WORDS or folded in TITLE_WORDS or not any(c.isalpha() for c in speaker):
        return []
    return [w for w in re.split(r"[._\- ]", speaker) if w]


def _named_speaker(
    speaker: str, words: list[str], lines: int, timed_among_timed: bool, language: str
) -> bool:
    """A speaker known as a person on their own: on two lines or more, a listed name or a
    login; once, with a time among a chat's timed speakers, a first name; once, a first name
    that is a word of no language ("Eleni:", "Arianna:")."""
    if lines < 2:
        # "Vangelis 18:04" in a group chat: a first name of the text's language or the lists.
        if timed_among_timed and _known_first(words[0], language):
            return True
        return (
            len(words) <= 2
            and not speaker.endswith(".")  # "Pat.:" abbreviates a form's label
            and is_unambiguous_first_name(words[0])
        )
    if any(is_name(w, language) or _unambiguous(w) or _listed_first(w) for w in words):
        return True  # a listed first name is enough ("Davide")
    return login_of_a_person(speaker)  # "tmeier: wer hat heute nacht?" in a Slack export


def _log_logins(text: str) -> list[RecognizerResult]:
    """Logins in log lines (`_LOG_LOGIN`) that are no service account's, score 0.7."""
    results = []
    for match in _LOG_LOGIN.finditer(text, timeout=regex_limits.seconds()):
        group = next(name for name in ("login", "web", "quoted") if match.group(name))
        if not _a_service_account(match.group(group)):
            results.append(_result("PERSON", match.start(group), match.end(group), 0.7))
    return results


# The names on a doorbell, as directions give them: 'klingel „Brandt/Okoye“', 'citofono
# «Colombo»', 'sonner chez Okafor', 'timbre: García-Ruiz', 'buzzer "Novak"'.
_DOORBELL_WORD = (
    r"(?<![\w])(?i:klingel|klingelschild|türschild|klingeln[ \t]+bei|citofono|citofonare|"
    r"campanello|timbre|portero|telefonillo|sonnette|sonner[ \t]+chez|interphone|doorbell|"
    r"buzzer|bell)[ \t]*[:,]?[ \t]*[\"'\u00ab\u201e\u201c\u201a\u2039]?[ \u00a0]?"
)
# … and a name after it is no product's even in quotes (`business_name`'s titles).
_AFTER_A_DOORBELL = re.compile(rf"{_DOORBELL_WORD}(?:[^\n]{{0,40}}[/&+][ \t]*)?$")
_DOORBELL = re.compile(
    rf"{_DOORBELL_WORD}"
    r"(?P<names>\p{Lu}[\p{L}'\u2019\-]+(?:[ ]\p{Lu}[\p{L}'\u2019\-]+)?"
    r"(?:[ \t]*[/&+][ \t]*\p{Lu}[\p{L}'\u2019\-]+(?:[ ]\p{Lu}[\p{L}'\u2019\-]+)?){0,3})"
    r"(?![\w])"
)
_DOORBELL_SPLIT = re.compile(r"[ \t]*[/&+][ \t]*")


# The person a letter or a parcel goes through ("c/o Okonkwo", "c/o Familie Öztürk", "c/o Mme
# Adjoua Kouassi"), a title or a family word between; a firm's or a practice's c/o line is an
# address's (`addresses.py`).
_CARE_OF = re.compile(
    rf"(?<![\w])(?i:c/o)[ ]+(?:(?i:familie|family|famille|famiglia|familia|fam\.)[ ]+)?"
    rf"(?:(?P<title>\p{{L}}+\.?)[ ]+)?(?P<name>{NAME_WORD}(?:[ ]{NAME_WORD}){{0,2}})"
    r"(?=[ \t]*(?:,|\n|$))"
)


def _care_of_names(text: str, language: str) -> list[RecognizerResult]:
    """A name after "c/o", score 0.7: every word a name's, none a common word or a firm's."""
    results = []
    for match in _CARE_OF.finditer(text, timeout=regex_limits.seconds()):
        title = match.group("title")
        start, end = match.span("name")
        if title is not None and title.casefold().rstrip(".") not in TITLE_WORDS:
            start = match.start("title")  # no title: the first word is the name's
        words = text[start:end].split()
        if _plain_name_words(words, language) and not business_name(text, start, end, language):
            results.append(_result("PERSON", start, end, 0.7))
    return results


def _doorbell_names(text: str, language: str) -> list[RecognizerResult]:
    """The names on a doorbell (`_DOORBELL`), score 0.75 (a bell names people, even one
    that is a town: "Colombo"): listed names even if they are words too, other words only
    if no language uses them ("Hausmeister" is the caretaker's bell)."""
    results = []
    for match in _DOORBELL.finditer(text, timeout=regex_limits.seconds()):
        cursor = match.start("names")
        for name in _DOORBELL_SPLIT.split(match.group("names")):
            start = text.index(name, cursor)
            cursor = start + len(name)
            if all(_a_doorbell_word(word, language) for word in name.split("-")):
                results.append(_result("PERSON", start, cursor, 0.75))
    return results


def _a_doorbell_word(word: str, language: str) -> bool:
    folded = word.casefold()
    if folded in COMMON_WORDS or folded in ROLE_WORDS or folded in TITLE_WORDS:
        return False
    return any(
        _listed_surname(part) or _listed_first(part) or not flags(part) & COMMON_ANYWHERE
        for part in word.split()
    )


def login_of_a_person(login: str) -> bool:
    """A lower-case login made of a person's name: an initial or two and a listed surname
    ("tmeier", "jkowalczyk", "ssharma"), or two parts, one a listed name ("dimitrios.k",
    "amelia.watts", "n.benyahia")."""
    if login != login.lower():
        return False
    parts = re.split(r"[._\-]", login)
    if len(parts) == 2 and all(parts):
        return any(_listed_first(part) or _listed_surname(part) for part in parts)
    return len(parts) == 1 and any(
        len(login) - initials >= 3 and _listed_surname(login[initials:]) for initials in (1, 2)
    )


# A line's start or a list's bullet before an initialled name, and a field's end after it.
_SIGNED_FIELD_START = re.compile(r"(?:^|\n)[ \t>]*(?:[-*\u2022][ \t]*)?$")
_SIGNED_FIELD_END = re.compile(r"[ \t]*(?:$|\n|[:|;,(]|[\u2013\u2014\-][ \t])")


def _a_signed_field(text: str, match: re.Match[str]) -> bool:
    return (
        _SIGNED_FIELD_START.search(text, max(0, match.start() - 8), match.start()) is not None
        and _SIGNED_FIELD_END.match(text, match.end()) is not None
    )


def _listed_first(word: str) -> bool:
    return word.casefold() not in COMMON_WORDS and bool(flags(word) & Flag.FIRST)


def _listed_surname(word: str) -> bool:
    return word.casefold() not in COMMON_WORDS and bool(flags(word) & Flag.SURNAME)


# The letters that begin a code or an IBAN after a name ("Matías Rojas, PT23 3031 …"): not
# the name's last word.
_CODE_PREFIX = re.compile(r",?[ ]+\p{Lu}{2,4}$")
_DIGIT_NEXT = re.compile(r"[ ]?\d")


def _without_a_code_prefix(text: str, start: int, end: int) -> tuple[int, int]:
    """`start, end` without a last word in capitals that a number follows."""
    if _DIGIT_NEXT.match(text, end):
        prefix = _CODE_PREFIX.search(text, start, end)
        if prefix is not None and prefix.start() > start:
            return start, prefix.start()
    return start, end


# German's genitive of a name, an "s" without an apostrophe, before what is the person's:
# "Katjas Auto", "Lans Familie", "hast du katjas neue nummer?".
_GERMAN_GENITIVE = re.compile(r"(?<![\w\-'])(?P<stem>\p{L}\p{Ll}+)s(?=[ ]\p{L}\p{Ll}+)(?![\w\-'])")


def _german_genitives(text: str) -> list[RecognizerResult]:
    """A first name's genitive, the whole word (score 0.6): a capitalised first name that is
    no German or English word, or in lower case one that is a word of no language; the
    word itself must be no word ("Hans", "Klaus" and "Gottes" are no genitives here)."""
    results = []
    for match in _GERMAN_GENITIVE.finditer(text, timeout=regex_limits.seconds()):
        stem, word = match.group("stem"), match.group()
        if flags(word) or word.casefold() in COMMON_WORDS:
            continue  # a name or a word of its own
        known = (
            is_unambiguous_first_name(stem)
            if stem[0].islower()
            else is_first_name(stem, "de") and stem.casefold() not in COMMON_WORDS
        )
        if known:
            results.append(_result("PERSON", match.start(), match.end(), 0.6))
    return results


def _sought_or_feted(word: str, language: str) -> bool:
    """The word a chat asks after or invites to the party of is a name: a first name of any
    language, or a word of none ("rosh", "montse", "chrissi") that is no title or label;
    never an everyday word ("anyone seen it?", "hat jemand heute Zeit?")."""
    folded = word.casefold()
    if folded in TITLE_WORDS or folded in LABEL_WORDS or folded in _CHAT_WORDS:
        return False
    if any(is_first_name(word, other) for other in _FIVE_LANGUAGES):
        return not is_common_word(word, language)
    return len(word) >= 3 and not any(is_common_word(word, other) for other in _FIVE_LANGUAGES)


_FIVE_LANGUAGES = ("en", "fr", "de", "es", "it")


def _known_first(word: str, language: str) -> bool:
    return word.casefold() in FIRST_NAMES or is_first_name(word, language)


def _a_firm_field(match: re.Match[str], language: str) -> bool:
    """ "Firma" labels a signature in Spanish and Italian, but a firm in German and as a key
    of JSON ('"firma":"Strauß Weinhandel"')."""
    label = match.groupdict().get("label")
    return (
        label is not None
        and label.casefold() == "firma"
        and (language == "de" or match.group("quote") is not None)
    )


# Particles a surname may start with after a label or a title ("Cognome: De Luca", "nom":
# "Le Goff", "Apellidos: De la Fuente Herrero", "Cognome: El Amrani").
_LEADING_PARTICLES = frozenset(
    {"de", "del", "della", "dalla", "di", "da", "du", "des", "le", "la", "lo", "el", "al",
     "van", "von", "dos", "das", "ben", "ter", "ten"}
)  # fmt: skip


# A transcript's answer after a speaker's label ("Cliente: Sí, X-9191509-L.", "Cliente : Oui
# bonjour, Josiane …"): a word of assent, not a name.
_ANSWER_WORDS = frozenset(
    {"sí", "si", "sì", "oui", "yes", "ja", "jo", "no", "non", "nein", "ok", "okay", "vale",
     "claro", "certo", "genau", "bueno", "allora", "alors", "also", "well"}
)  # fmt: skip


def _trim_common_words(text: str, start: int, end: int, language: str | None) -> tuple[int, int]:
    """Drop trailing words that are ordinary capitalised words or labels ("Dupont Merci" ->
    "Dupont", "El Amrani Nome: Khadija" -> "El Amrani");
    nothing is left when the first word is a common word, unless it is a surname's particle
    before a name word that is not one ("De Luca"), or, given the `language` of a form's
    label, when it is an everyday word of it that no list holds as a name: what a
    transcript's speaker says first
    ("Cliente: Buongiorno, sono …", "Client : Tenez, …") or a title the label's lists lack
    ("Cliente: Sra. Guadalupe …"). German "Das" is an article, not the Portuguese particle
    ("Kundin: Das Gerät zeigt …")."""
    words = list(re.finditer(r"\S+", text[start:end]))
    while len(words) > 1 and words[-1].group().casefold().strip(".,") in COMMON_WORDS | LABEL_WORDS:
        words.pop()
    first = words[0].group().casefold().strip(".,") if words else ""
    particle_first = (
        first in _LEADING_PARTICLES
        and not (language == "de" and first == "das")
        and any(
            word.group()[:1].isupper() and word.group().casefold().strip(".,") not in COMMON_WORDS
            for word in words[1:]
        )
    )
    if not particle_first and (
        first in COMMON_WORDS
        or first in TITLE_WORDS
        or first in LABEL_WORDS
        or first in _ANSWER_WORDS
        or (language is not None and _an_everyday_word(first, language))
    ):
        return start, start
    return start, start + words[-1].end() if words else start


# A day and a month without a year: a birthday, as a chat answers "when is your birthday?"
# ("19th of may", "22. januar", "el 12 de octubre", "le 9 avril").
_DAY_MONTH = (
    rf"(?:1er|\d{{1,2}})(?:\.|er|st|nd|rd|th)?(?:\s+of)?\s+(?:de\s+)?(?:{_DATE_MONTHS})(?![\w])"
    rf"|(?:{_DATE_MONTHS})\s+\d{{1,2}}(?:st|nd|rd|th)?(?![\w])"
)
# … with a year of two digits, as people say theirs ("le 2 juin 65", "3 May '79"); not an
# hour ("le 3 mai 12h30", "3 May 10:30").
_DAY_MONTH_SHORT_YEAR = rf"(?:{_DAY_MONTH})(?:,?[ \t]+'?\d{{2}}(?![\w:]|[.,]\d))?"
# A year alone after a birth phrase ("geb. 1986", "Born: 1958", "née en 1937", "nació en
# el 2001"), or before "geboren" ("bin 95 geboren").
_YEAR = r"(?:19|20)\d{2}(?![\w/\-]|[.,]\d)"
# A birth date in parentheses or after a comma, marked "n." (nato) or "*" as registers and
# medical letters do: "Anna Cattaneo (n. 07/03/1958)", "Zeynep Aydin, * 21.12.1974".
# An obituary's or a family tree's line starting with "*", a "†" and a date after it ("Ernst
# Wehrle⏎* 12. Mai 1934 in Säckingen⏎† 21. Februar 2025"): without the cross, a line starting
# with "*" is a list's item ("* 12. Mai: Planung").
_MARKED_BIRTH = re.compile(
    rf"(?:\(|,[ \t])(?:n\.|\*)[ \t]?(?P<date>{DATE})(?![\w/\-]|\.\d)"
    rf"|(?m:^)[ \t]*\*[ \t]?(?P<date>{DATE})(?![\w/\-]|\.\d)(?=[^\u2020]{{0,80}}\u2020[ \t]?\d)",
    re.IGNORECASE,
)
# A question about a birthday, whose answer may give the day and month only ("when's
# Hamid's birthday?", "c'est quand l'anniv de Noé ?", "cuándo es el cumple de Kevin?").
_BIRTHDAY_WORDS = (
    r"birthday|b-day|bday|geburtstag|anniv|anniversaire|cumple|cumpleaños|"
    r"compleanno|naciste|nacido|nacida|nato|nata|né|née|born|geboren"
)
_BIRTHDAY_QUESTION = re.compile(rf"(?<![\w])(?i:{_BIRTHDAY_WORDS})(?![\w])[^\n]*\?")
# A year or a whole date before "geboren", in German's verb-final clauses (`_YEAR` above).
_DATE_BEFORE_BORN = re.compile(
    r"(?<![\w.,/\-])(?P<date>(?:19|20)?\d{2})[ \t]+(?i:geboren)(?![\w])"
    # German puts the participle last: "Er wurde am 12. März 1985 in Köln geboren".
    rf"|(?<![\w./\-])(?P<date>{DATE})(?![\w/\-]|\.\d)"
    r"[^\n.;!?\d:\[\]]{0,40}?(?<![\w])(?i:geboren)(?![\w])",
    re.IGNORECASE,
)
# Where a sentence ends (a birth phrase in an earlier sentence says nothing of this date).
_SENTENCE_BREAK = re.compile(r"[.!?;](?:\s|$)")
# What may stand before an answer on its line: a speaker's label ("Customer:", "Kunde :").
_SPEAKER = re.compile(
    r"[ \t>]*(?:[\p{L}][\p{L} .'\-]{0,24}[ \t]*:)?[ \t]*"
    r"(?:(?i:le|el|il|the|on|am|der|den|al)[ \t]+)?"
)


_BIRTH_KEYS = (
    "birth_date", "birthdate", "date_of_birth", "dateofbirth", "dob", "d_o_b", "date_naissance",
    "datenaissance", "data_nascita", "datanascita", "data_di_nascita", "fecha_nacimiento",
    "fecha_nac", "fechanacimiento", "geb_datum", "geburts_datum", "nac.",
)  # fmt: skip


class BirthDateRecognizer(EntityRecognizer):
    """DATE_OF_BIRTH: a date right after a birth phrase of the text's language (or English)."""

    def __init__(self, language: str, phrases: Sequence[str]) -> None:
        super().__init__(
            supported_entities=["DATE_OF_BIRTH"],
            name="BirthDateRecognizer",
            supported_language=language,
        )
        # A record's keys write the phrases with underscores, or drop their articles
        # (`"birth_date": "1998-12-03"`, `date_naissance`, `fecha_nacimiento: …`).
        phrases = [*phrases, *(p.replace(" ", "_") for p in phrases if " " in p), *_BIRTH_KEYS]
        cue = phrase_pattern(phrases).pattern
        # A printed form's leader dots or rule may stand between label and value ("Date of
        # Birth ........ 12/03/1985", "Geburtsdatum ____ 12.03.1985").
        self._pattern = re.compile(
            rf"{cue}[\"']?[ \t]*(?:\([^)\n]{{0,12}}\))?(?:[ \t]*[.\u2026_]{{2,}})?"
            rf"[ \t]*[:,=]?[ \t]*[\"']?[ \t]*"
            rf"(?:(?i:le|on|am|el|il|the)[ \t]+)?"
            rf"(?P<date>{DATE}|(?<![\w./\-]){_DAY_MONTH_SHORT_YEAR})",
            re.IGNORECASE,
        )
        # … or a year alone, or a month and a year ("born in March 1985", "né en mars 1985",
        # "nata nel maggio 1990", "geboren im Mai 1979").
        self._year = re.compile(
            rf"{cue}[ \t]*[:,]?[ \t]*(?:(?i:in|en el|en|im|nel|del|el)[ \t]+)?"
            rf"(?P<date>(?:(?:{_DATE_MONTHS})[ \t]+(?:(?i:de|del|of)[ \t]+)?)?{_YEAR})",
            re.IGNORECASE,
        )
        # A birthday's day and month right after the word, in figures or with the month's
        # name ("birthday: 12/03", "Geburtstag am 12.03.", "compleanno: 12 marzo").
        self._birthday = re.compile(
            rf"(?<![\w])(?i:{_BIRTHDAY_WORDS})(?![\w])[ \t]*[:=]?[ \t]*"
            r"(?:(?i:am|el|il|le|on|the|is|ist|è|es|est)[ \t]+)?"
            rf"(?P<date>(?<![\w./\-])(?:{_DAY_MONTH_SHORT_YEAR}"
            r"|\d{1,2}[./]\d{1,2}(?![\d/]|\.\d)\.?))",
            re.IGNORECASE,
        )
        self._spelled = re.compile(
            rf"{cue}[ \t]*[:,]?[ \t]*(?:(?i:le|on|am|el|il|the)[ \t]+)?"
            rf"(?P<date>(?<![\w]){SPELLED_DATE})",
            re.IGNORECASE,
        )
        self._spelled_anywhere = re.compile(rf"(?<![\w])(?:{SPELLED_DATE})", re.IGNORECASE)
        self._cue = re.compile(cue, re.IGNORECASE)
        # Every pattern here but `_unphrased`'s needs a birth phrase in the text, or one or
        # a birthday word in a slice of it (`_cued`): a text without any, even inside a
        # longer word, is spared them (issue 13: ~3/4 of texts, ~4% of a worker's CPU).
        self._any_cue = re.compile(f"{any_phrase(phrases)}|{_BIRTHDAY_WORDS}", re.IGNORECASE)
        self._date = re.compile(rf"(?<![\w./\-])(?:{DATE})(?![\w/\-]|\.\d)", re.IGNORECASE)
        self._day_month = re.compile(rf"(?<![\w./\-])(?:{_DAY_MONTH_SHORT_YEAR})", re.IGNORECASE)

    def load(self) -> None:
        """Nothing to load."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Each date right after a birth phrase, in figures or written out in words, score
        0.85; a date later in the sentence of a
        birth phrase, or the answer on the line after a question holding one ("Your date of
        birth?" / "Customer: 12/03/1985"), 0.8."""
        timeout = regex_limits.seconds()
        if self._any_cue.search(text, timeout=timeout) is None:
            return _unphrased(text, timeout)
        found = [
            _result("DATE_OF_BIRTH", match.start("date"), match.end("date"), 0.85)
            for match in self._pattern.finditer(text, timeout=timeout)
        ]
        for match in self._spelled.finditer(text, timeout=timeout):
            if _SPELLED_MONTH.search(match.group("date")) is not None:
                found.append(_result("DATE_OF_BIRTH", match.start("date"), match.end("date"), 0.85))
        for pattern in (self._year, _DATE_BEFORE_BORN, _MARKED_BIRTH, self._birthday):
            for match in pattern.finditer(text, timeout=timeout):
                if not _inside(found, match.start("date"), match.end("date")):
                    found.append(
                        _result("DATE_OF_BIRTH", match.start("date"), match.end("date"), 0.8)
                    )
        spelled = [
            match
            for match in self._spelled_anywhere.finditer(text, timeout=timeout)
            if _SPELLED_MONTH.search(match.group()) is not None
        ]
        for match in [*self._date.finditer(text, timeout=timeout), *spelled]:
            if not _inside(found, match.start(), match.end()) and self._cued(text, match.start()):
                found.append(_result("DATE_OF_BIRTH", match.start(), match.end(), 0.8))
        for match in self._day_month.finditer(text, timeout=timeout):
            # A day and month alone only as the answer to a question about a birthday.
            if not _inside(found, match.start(), match.end()) and self._answers_a_question(
                text, match.start()
            ):
                found.append(_result("DATE_OF_BIRTH", match.start(), match.end(), 0.8))
        return found + [
            r for r in _dates_after_names(text, timeout) if not _inside(found, r.start, r.end)
        ]

    def _cued(self, text: str, start: int) -> bool:
        """A birth phrase earlier in the date's sentence, or in a question on the line before
        when the date's line holds only a speaker's label before it."""
        line_start = text.rfind("\n", 0, start) + 1
        sentence = _SENTENCE_BREAK.split(text[max(line_start, start - 120) : start])[-1]
        cues = list(self._cue.finditer(sentence))
        if cues:
            # The birth phrase's own date is the first after it ("né le 28-09-1971, en arrêt
            # jusqu'au 01-10-2023": the second date is not a birth date); a query's bound is
            # no one's ("WHERE date_naissance BETWEEN '2010-01-01' AND …").
            return (
                self._date.search(sentence, cues[-1].end()) is None
                and _A_QUERYS_BOUND.search(sentence, cues[-1].end()) is None
            )
        return self._answers_a_question(text, start)

    def _answers_a_question(self, text: str, start: int) -> bool:
        """The date's line holds only a speaker's label before it, and the line before asks
        for a birth date: a question or a request ("Please confirm your date of birth.")
        with a birth phrase and no date of its own."""
        line_start = text.rfind("\n", 0, start) + 1
        if line_start == 0 or not _SPEAKER.fullmatch(text, line_start, start):
            return False
        before = text[max(0, line_start - 200) : line_start].rstrip()
        question = before[before.rfind("\n") + 1 :]
        asks = self._cue.search(question) is not None or _BIRTHDAY_QUESTION.search(question)
        return bool(asks) and self._date.search(question) is None


def _inside(found: Sequence[RecognizerResult], start: int, end: int) -> bool:
    """Whether a result already covers [start, end). Compared by span, not by start: a
    shorter reading of a date at the same place ("12 de mayo" of "12 de mayo del 1985")
    must not keep out a longer one found by a later pattern."""
    return any(result.start <= start and end <= result.end for result in found)


# A comparison of a query between a birth column and a date: a filter's bound.
_A_QUERYS_BOUND = re.compile(r"(?i:(?<![\w])between(?![\w])|[<>]=?|(?<![\w])in[ \t]*\()")


def _unphrased(text: str, timeout: float) -> list[RecognizerResult]:
    """What `BirthDateRecognizer.analyze` finds in a text without a birth phrase or a
    birthday word: the births marked "n." or "*", and a person's record's bare date
    (`_dates_after_names`). Not `_DATE_BEFORE_BORN`: "geboren" is a birthday word, so it
    cannot match here, and its date alternative would scan every such text for dates
    (issue 13)."""
    found = [
        _result("DATE_OF_BIRTH", match.start("date"), match.end("date"), 0.8)
        for match in _MARKED_BIRTH.finditer(text, timeout=timeout)
    ]
    return found + [
        r for r in _dates_after_names(text, timeout) if not _inside(found, r.start, r.end)
    ]


# A person's record in a line: a full name (a bracketed note after it or not), a comma, a
# full date, then the next field or the line's end ("Co-applicant: Tanisha Price (wife),
# 04/15/1992, SSN …", "Kinder: Lena Vogt, 03.02.2011; Jonas Vogt, 14.09.2013").
_NAME_THEN_DATE = re.compile(
    r"(?<![\w\-])(?P<name>(?P<first>\p{Lu}\p{Ll}+)(?:[ \-]\p{Lu}[\p{L}'\u2019]+){1,3})"
    r"(?:[ ]\([^()\n]{1,20}\))?,[ ]+"
    r"(?P<date>\d{1,2}[./\-]\d{1,2}[./\-](?P<year>(?:19|20)\d{2}))(?=[ ]*(?:[,;|\n]|$))"
)
_A_COMPANY_FORM = re.compile(_COMPANY_FORM)
# The youngest a person whose birth date a record gives without saying so is: a later date
# beside a name is more often a signature's or an event's ("Anna Weber, 03.02.2026").
_RECORD_MIN_AGE = 2


def _dates_after_names(text: str, timeout: float) -> list[RecognizerResult]:
    """A record's bare date after a person's full name (`_NAME_THEN_DATE`) whose first word
    some list holds as a first name, no firm's name ("Smith Ltd"), of a year at least
    `_RECORD_MIN_AGE` years back: the person's birth date, score 0.6."""
    if "," not in text:
        return []
    latest = date.today().year - _RECORD_MIN_AGE
    return [
        _result("DATE_OF_BIRTH", match.start("date"), match.end("date"), 0.6)
        for match in _NAME_THEN_DATE.finditer(text, timeout=timeout)
        if int(match.group("year")) <= latest
        and flags(match.group("first")) & Flag.FIRST
        and not business_name(text, match.start("name"), match.end("name"))
        and not any(_A_COMPANY_FORM.fullmatch(word) for word in match.group("name").split()[1:])
    ]


def propagate_names(
    text: str, results: list[RecognizerResult], min_score: float
) -> list[RecognizerResult]:
    """Add a PERSON result for every other occurrence, in `text`, of a word of a name already
    found (score at least `min_score`): "Jean Dupont … M. Dupont … Dupont a signé"; in any
    case when the word is no common word anywhere ("Kowalski" … "ask kowalski"); and for
    the user names built from a full name ("Melanie Kraus" … "mkraus", "melanie.kraus",
    "kraus_m"), as logins and handles are."""
    words: dict[str, float] = {}
    handles: dict[str, float] = {}
    for result in results:
        if result.entity_type != "PERSON" or result.score < min_score:
            continue
        found = _PROPAGATED_WORD.findall(text[result.start : result.end])
        for word in found:
            if len(word) >= 3 and word.casefold() not in COMMON_WORDS:
                key = word.casefold() if _unambiguous(word) else word
                words[key] = max(words.get(key, 0.0), result.score)
        for handle in _handles(found):
            handles[handle] = max(handles.get(handle, 0.0), result.score)
    if not words and not handles:
        return results
    covered = [(r.start, r.end) for r in results if r.entity_type == "PERSON"]
    extra = []
    for match in _PROPAGATED_WORD.finditer(text, timeout=regex_limits.seconds()):
        word = match.group()
        score = words.get(word) or words.get(word.casefold())
        if score is None and _HANDLE_CONTEXT.fullmatch(text, match.start(), match.end()):
            score = handles.get(without_accents(word.casefold()))
        if score is None or any(s <= match.start() and match.end() <= e for s, e in covered):
            continue
        extra.append(_propagated(match.start(), match.end(), min(score, 0.85)))
    return results + extra + _first_names_before(text, results + extra, min_score)


# Portuguese "Dom", a title the name lists hold as a first name and `TITLES` lacks.
_TITLES_AS_NAMES = TITLE_WORDS | {"dom"}
# A capitalised word right before a found surname.
_CAPITALISED_WORD_BEFORE = re.compile(r"(?<![\w\-'\u2019])(?P<first>\p{Lu}\p{Ll}+)[ ]$")


def _first_names_before(
    text: str, results: list[RecognizerResult], min_score: float
) -> list[RecognizerResult]:
    """A found surname alone, with a first name right before it, is a full name: a family's
    members on a form ("Will Adeyemi-Kraus", "Sunny Adeyemi-Kraus" after "Frau
    Adeyemi-Kraus"), first names that are also words included ("Will", "Hope")."""
    extended = []
    for result in results:
        if result.entity_type != "PERSON" or result.score < min_score:
            continue
        if " " in text[result.start : result.end]:
            continue
        before = _CAPITALISED_WORD_BEFORE.search(text, max(0, result.start - 20), result.start)
        if before is None:
            continue
        first = before.group("first")
        if first.casefold() in _TITLES_AS_NAMES:
            continue  # "Lady Grace", "Don Quijote", "Doctor Esquerdo": a title, no first name
        if first.casefold() in WORD_NAMES or _listed_first(first):
            extended.append(_propagated(before.start("first"), result.end, result.score))
    return extended


def _propagated(start: int, end: int, score: float) -> RecognizerResult:
    return RecognizerResult(
        "PERSON",
        start,
        end,
        score,
        recognition_metadata={RecognizerResult.RECOGNIZER_NAME_KEY: "propagate_names"},
    )


# Words of names as they are propagated: any case, with inner dots, underscores and hyphens
# for handles ("bao.tran", "kraus_m"), never glued to an e-mail address or a path.
_PROPAGATED_WORD = re.compile(
    r"(?<![\w@/.\-])\p{L}[\p{L}'\u2019]*(?:[._\-]\p{L}+)*(?![\w@/\-]|\.\w)"
)
_HANDLE_CONTEXT = re.compile(r"[\p{Ll}._\-]+")  # a login is written in lower case


def _unambiguous(word: str) -> bool:
    from proxy.detection.name_index import COMMON_ANYWHERE  # noqa: PLC0415

    bits = flags(word)
    return bool(bits & (Flag.FIRST | Flag.SURNAME)) and not bits & COMMON_ANYWHERE


def _handles(words: Sequence[str]) -> set[str]:
    """The user names people make of a first name and a surname: "mkraus", "melaniek",
    "melanie.kraus", "melanie_kraus", "m.kraus", "krausm", "kraus.melanie". Each surname of
    a double one counts: Spanish and Portuguese logins take the first ("mtorres" for Marta
    Torres Aguilar), others the last. Not one that is a common word of a language: "Disraeli
    Close" makes "closed", which is no one's login in "the school is closed"."""
    from proxy.detection.name_index import COMMON_ANYWHERE  # noqa: PLC0415

    plain = [
        without_accents(word.casefold()).replace("'", "")
        for word in words
        if len(word) > 1 and word.casefold() not in _SURNAME_PARTICLES
    ]
    if len(plain) < 2:
        return set()
    first = plain[0]
    made: set[str] = set()
    for last in plain[1:]:
        made |= {
            first[0] + last, first + last[0], last + first[0], first + last,
            *(f"{first}{sep}{last}" for sep in "._-"),
            *(f"{first[0]}{sep}{last}" for sep in "._-"),
            *(f"{last}{sep}{first}" for sep in "._-"), f"{last}_{first[0]}",
            f"{last}.{first[0]}", f"{first}.{last[0]}", f"{first}_{last[0]}",
        }  # fmt: skip
    return {handle for handle in made if len(handle) >= 5 and not flags(handle) & COMMON_ANYWHERE}


# The small words inside surnames, which no login is made of ("Juan de la Cruz").
_SURNAME_PARTICLES = frozenset(
    {"de", "del", "della", "di", "da", "dos", "das", "la", "le", "van", "von", "der", "den", "y",
     "e"}
)  # fmt: skip
