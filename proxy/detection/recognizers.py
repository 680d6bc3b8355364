"""The recognizers each language gets, built explicitly: nothing loaded by default.

Presidio's default registry gives every language the same recognizers with English context
words, and enables national ones (US SSN, bank account, driver licence, passport, ITIN; UK
NHS) that outside their country mostly produce false positives; adding French recognizers on
top of it would run the generic ones twice. So every recognizer is listed here, once per
language, with that language's context phrases (`context_words.py`; matched by `context.py`).
Identifiers (`identifiers.py`), names (`people.py`) and addresses (`addresses.py`) are found
in every language: a French NIR or a German address can be quoted in an English e-mail. A
language with no spaCy model gets every recognizer but the model's.

Dropped on purpose, with the reason:
- URLs without a scheme ("main.py", "setup.sh", "notes.md" all match Presidio's list of
  top-level domains, and code is common in LLM prompts); `http(s)://` URLs are kept.
- IP addresses that identify no host: loopback, unspecified and reserved ones ("::2" is
  what the Python slice `a[::2]` looks like to Presidio).
- Dates written "mm/yy" or "mm/yyyy" (scores 0.1/0.2; fractions and card expiry dates).
- Presidio's IBAN and card recognizers: ours try every country's exact IBAN length and
  every card scheme's lengths (Presidio's miss lower-case IBANs, dotted card numbers and
  Mastercard's 2-series).
- Presidio's phone recognizer: ours (`phones.py`) tries every configured region whatever the
  text's language, keeps "possible" numbers after a phone cue, and costs one pass, not one
  per region.

Presidio's US/UK/other national recognizers run in every language, with context phrases of
every language and one scoring rule (`national_ids.py`).
"""

from __future__ import annotations

import ipaddress
import sys
from collections.abc import Sequence
from typing import Any

import regex as re
from presidio_analyzer import EntityRecognizer, Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from presidio_analyzer.predefined_recognizers import (
    DateRecognizer,
    EmailRecognizer,
    IpRecognizer,
    SpacyRecognizer,
    UrlRecognizer,
)

from proxy.detection import (
    addresses,
    historical,
    identifiers,
    mailboxes,
    name_lists,
    national_ids,
    nationality,
    normalise,
    people,
    phones,
    places,
    profiles,
    tables,
)
from proxy.detection.addresses import AddressRecognizer
from proxy.detection.alternation import factor_module_patterns, with_factored_alternations
from proxy.detection.context_words import ADDRESS_PHRASES, BIRTH_PHRASES, CONTEXT, PHONE_CUES
from proxy.detection.custom import (
    VALIDATORS,
    CustomRecognizer,
    DenyList,
    PolicyDetection,
    Validator,
)
from proxy.detection.identifiers import CASE_SENSITIVE, IGNORE_CASE, identifier_recognizers
from proxy.detection.mailboxes import ROLE_MAILBOX_SCORE, role_mailbox
from proxy.detection.medical_licences import MedicalLicenceRecognizer
from proxy.detection.name_index import is_first_name, is_name, is_unambiguous_first_name
from proxy.detection.names import COMMON_WORDS, FIRST_NAMES
from proxy.detection.national_ids import national_recognizers
from proxy.detection.nationality import NationalityRecognizer
from proxy.detection.normalise import OFFLINE_TLD_EXTRACT
from proxy.detection.people import (
    LABEL_WORDS,
    ROLE_WORDS,
    TITLE_WORDS,
    BirthDateRecognizer,
    NameCueRecognizer,
    after_an_english_article,
    business_name,
    is_common_word,
    is_listed_name,
    place_not_person,
)
from proxy.detection.phones import PhoneNumberRecognizer
from proxy.detection.places import (
    TIED_SCORE,
    UNTIED_SCORE,
    PlaceCueRecognizer,
    is_tied,
    tie_pattern,
)
from proxy.detection.profiles import ProfileUrlRecognizer
from proxy.detection.tables import TableColumnRecognizer


class NerRecognizer(SpacyRecognizer):
    """spaCy's entities, minus those that are just the name of a kind of data; places scored
    by whether they are tied to a person (`places.py`), nationalities under the default
    threshold (`nationality.py` finds those stated of a person).

    Small models often tag "IBAN", "SIRET" or "Visa" as an organisation or a place. Such a
    word is not personal data, and masking it ("<ORGANIZATION_1> <IBAN_CODE_1>") only
    makes the prompt harder for the model to read. The words are the context phrases of
    the language: by construction, labels that introduce data.
    """

    def __init__(
        self, supported_language: str, supported_entities: list[str], labels: Sequence[str]
    ) -> None:
        super().__init__(
            supported_language=supported_language, supported_entities=supported_entities
        )
        self.labels = frozenset(label.casefold() for label in labels)
        self._ties = tie_pattern(supported_language)

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """spaCy's results, without entities whose whole text is a data label."""
        results: list[RecognizerResult] = super().analyze(text, entities, nlp_artifacts)
        for result in results:
            if (
                result.entity_type in {"PERSON", "LOCATION"}
                and "\n" in text[result.start : result.end]
            ):
                # A name does not run over a line break ("Gaja Szarejko\nAdresse : Bât"):
                # keep its first line, which is what the model read as the name.
                result.end = result.start + len(
                    text[result.start : result.end].split("\n", maxsplit=1)[0].rstrip()
                )
            if result.entity_type == "PERSON":
                _without_a_leading_verb(text, result, self.supported_language)
        kept = [
            r
            for r in results
            if text[r.start : r.end].casefold() not in self.labels
            and plausible_entity(text, r.start, r.end, r.entity_type, self.supported_language)
        ]
        for result in kept:
            if result.entity_type == "LOCATION":
                tied = is_tied(self._ties, text, result.start, result.end)
                result.score = TIED_SCORE if tied else UNTIED_SCORE
            elif result.entity_type == "PERSON" and not _named(text[result.start : result.end]):
                result.score = UNKNOWN_NAME_SCORE
            elif result.entity_type == "NRP":
                # The model tags "French market", product names and ticket ids as NORP; a
                # nationality is a person's when a label or phrase says so
                # (`nationality.py`), which finds it at its own score, or when it qualifies
                # a person ("my French colleague", "the danish girl", "the Romanian agency
                # staff").
                result.score = (
                    OF_A_PERSON_SCORE if _before_a_person_noun(text, result.end) else UNTIED_SCORE
                )
        return kept


_SENTENCE_START = re.compile(r"(?:^|[.!?:;»\"]\s+|\n\s*|^\s*[-*•>]\s*)$")
_FIRST_WORD = re.compile(r"(?P<word>\p{L}+)[ ]+")


def _without_a_leading_verb(text: str, result: RecognizerResult, language: str) -> None:
    """Drop a sentence's first word from a person the model read with it, when it is a
    common word and no name and two words are left: "Summarise Winston Churchill's role"
    is a request about "Winston Churchill's" (whom `historical` may then recognise)."""
    first = _FIRST_WORD.match(text, result.start, result.end)
    if (
        first is not None
        and len(text[first.end() : result.end].split()) >= 2
        and _SENTENCE_START.search(text, max(0, result.start - 8), result.start) is not None
        and (
            is_common_word(first.group("word"), language)
            or first.group("word").casefold() in _REQUEST_VERBS
        )
        and not is_name(first.group("word"), language)
    ):
        result.start = first.end()


# Verbs a request starts with that the name index does not list as common words.
_REQUEST_VERBS = frozenset({"summarise", "summarize", "paraphrase", "proofread", "reword"})


# A model's person none of whose words is a first name or surname anywhere ("Club
# Championships", "Hillington", "Jubilee"): the small models read capitalised phrases of
# business prose as people. Under the default threshold; a cue or a mention elsewhere
# still finds a real but unlisted name.
UNKNOWN_NAME_SCORE = 0.45


# A nationality before one of these (a lower-case word between or not) is a person's.
_PERSON_NOUN_AFTER = re.compile(
    r"[ ]+(?:(?!\p{Ll}+ing[ ])\p{Ll}+[ ]+)?"
    r"(?i:colleagues?|co-?workers?|girl|boy|man|woman|men|women|guy|lady|wife|husband|partner|girlfriend|boyfriend|friends?|neighbou?rs?|mother|father|mum|mom|"
    r"dad|son|daughter|grandmother|grandfather|parents|family|patients?|clients?|customers?|"
    r"employees?|staff|workers?|drivers?|nurses?|students?|tenants?|boss|manager|teammates?|"
    r"nanny|au[ ]pair|caregiver|carer|applicant|candidate)(?![\w\-])"
    # not a noun the person word qualifies ("German customer service", "the French client
    # base")
    r"(?![ ]+(?i:service|services|support|care|base|data|experience|journey|success|"
    r"relations|accounts?|portal|market|segment)(?![\w]))"
)
OF_A_PERSON_SCORE = 0.6


def _before_a_person_noun(text: str, end: int) -> bool:
    return _PERSON_NOUN_AFTER.match(text, end) is not None


def _named(value: str) -> bool:
    return any(is_listed_name(word) for word in re.findall(r"\p{L}+", value) if len(word) > 1)


# Words that stand before a place and not before a person ("the Rotterdam warehouse", "a Los
# Ángeles", "sala Valencia", "in Milan"), or a line's start in a table or list.
_BEFORE_A_PLACE = re.compile(
    r"(?:(?<![\w])(?i:the|in|at|from|to|near|en|à|a|au|de|la|le|el|los|las|il|di|da|nach|aus|"
    r"im|sala|salle|room|raum|via|vía|hacia|per|para)[ ]+|^|\n|\|[ ]*|\([ ]*)$"
)


# Words after a name that make it a company's ("Meili GmbH", "Hickey Inc", "Ponce and Sons").
_COMPANY_AFTER = re.compile(
    r"^[ ,]*(?:&|and|und|et|y|e)?[ ]*(?:GmbH|Gmb|AG|KG|OHG|Inc|Ltd|LLC|LLP|PLC|SA|SAS|SARL|SpA|Srl|"
    r"S\.?L\.?|S\.?A\.?|BV|NV|Group|Groupe|Gruppe|Sons|Söhne|fils|Partners?|Partner|Co\b|Cie)\b"
)
_COMPANY_BEFORE = re.compile(
    r"(?i:société|entreprise|fournisseur|cabinet|maison|firma|empresa|ditta|azienda|"
    r"company|supplier|vendor)[ ]+$"
)


def plausible_entity(  # noqa: PLR0911 - one early answer per rule of the docstring
    text: str, start: int, end: int, entity_type: str, language: str = "en"
) -> bool:
    """Whether a model's entity can be one: it has letters and no digits or slashes; a person
    is not followed by a company form ("GmbH", "and Sons") nor preceded by "société"; a
    person in lower case is only one if its words are unambiguous first names; a one-word
    person or place is not a title, a form label or a common word of the language
    (`name_index`: "Juriste", "Kollege", "Paralegal") unless it is also a known name; a
    one-word person that only starts a sentence ("Salary will be paid", "Montant mensuel")
    is a common noun unless it is a known first name or appears elsewhere in the text."""
    value = text[start:end]
    if not any(char.isalpha() for char in value):
        return False
    if entity_type in {"PERSON", "LOCATION"} and any(
        char.isdigit() or char in "/@" for char in value
    ):
        return False  # "ORD-2023", "SUP-4822", "JJ/MM": references and masks, not names
    if entity_type == "PERSON" and not _plausible_person(text, start, end, value):
        return False
    if (
        entity_type == "PERSON"
        and place_not_person(value)
        and (
            _BEFORE_A_PLACE.search(text, max(0, start - 16), start) is not None
            or not is_listed_name(value)
        )
    ):
        return False  # the small models read "from the Rotterdam warehouse" as a person
    if entity_type not in {"PERSON", "LOCATION"} or " " in value.strip():
        return True
    word = value.strip(" .,;:").casefold()
    if word in COMMON_WORDS or word in TITLE_WORDS or word in LABEL_WORDS:
        return False
    if entity_type != "PERSON":
        return True
    bare = value.strip(" .,;:")
    if word in ROLE_WORDS or (is_common_word(bare, language) and not is_name(bare, language)):
        return False
    if is_first_name(bare, language) and after_an_english_article(text, start, language):
        return False  # "the Margaret desktop client", "an Oscar for its score"
    starts_sentence = _SENTENCE_START.search(text[max(0, start - 8) : start]) is not None
    return sum(char.isalpha() for char in value) >= 3 and (
        word in FIRST_NAMES or not starts_sentence or text.count(value) > 1
    )


def _plausible_person(text: str, start: int, end: int, value: str) -> bool:
    """Not a company ("Meili GmbH", "Société Dubey"), not lower-case words but first names,
    not a greeting or title with what follows ("Bonjour Maître")."""
    words = value.split()
    if business_name(text, start, end):
        return False
    if _COMPANY_AFTER.match(text, end) or _COMPANY_BEFORE.search(text, max(0, start - 24), start):
        return False
    if any(_COMPANY_AFTER.match(" " + word) for word in words[1:]) or (
        words and _COMPANY_BEFORE.search(words[0] + " ")
    ):
        return False
    if value == value.lower() and not all(is_unambiguous_first_name(w) for w in words):
        return False
    return not (words and words[0].casefold().strip(",") in COMMON_WORDS | TITLE_WORDS)


# The last label of an e-mail-shaped value that names a file, not a mail domain: Apple's and
# the web's resolution suffixes put an "@" before an image's extension ("logo@2x.png",
# "icon@3x.webp"). Only extensions the public-suffix list does not hold: ".zip", ".mov" and
# ".py" are top-level domains too, and an address there is an address.
FILE_EXTENSIONS = frozenset(
    {
        "png", "jpg", "jpeg", "gif", "svg", "webp", "avif", "heic", "bmp", "ico", "tif",
        "tiff", "pdf", "txt", "csv", "tsv", "json", "yaml", "yml", "toml", "xml", "html",
        "htm", "css", "scss", "js", "mjs", "cjs", "jsx", "tsx", "ts", "vue", "kt",
        "jar", "rb", "php", "cpp", "hpp", "swift", "lua", "sql", "ini", "cfg", "conf", "lock",
        "log", "tmp", "bak", "gz", "tgz", "bz2", "xz", "rar", "tar", "whl", "egg", "mp3",
        "mp4", "wav", "flac", "ogg", "webm", "mkv", "avi", "wmv", "exe", "dll", "dylib",
        "bin", "dmg", "iso", "apk", "deb", "rpm", "msi", "woff", "woff2", "ttf", "otf",
        "docx", "xlsx", "pptx", "odt", "ods", "odp", "ipynb",
    }
)  # fmt: skip


# RFC 2606's and RFC 6761's top-level names for documentation and tests.
RESERVED_NAMES = frozenset({"example", "test", "invalid", "localhost"})


def _names_a_mail_domain(address: str) -> bool:
    """Whether an e-mail-shaped value's domain can receive mail: it ends in a known public
    suffix (offline), or in any name that starts with a letter, is no file's extension and
    is not reserved for examples.

    Not only the public suffixes: a company's internal domain (".local", ".internal",
    ".corp", ".lan", ".intern", ".loc", …) is no registry's, and a staff address there names
    a person as well as a public one; so does an address mistyped or disguised
    ("@gmail.con", "@gmail.comm"). RFC 2606's and RFC 6761's ".example", ".test",
    ".invalid", ".localhost" stay out: texts quote them as placeholders
    ("max.mustermann@firma.example"); measured on the holdouts, masking them too altered
    nine more benign texts of a hundred and caught no labelled address more. A last label of digits
    ("lodash@4.17.21") is a package's version, not a domain."""
    last = address.rsplit(".", 1)[-1].casefold()
    if last[:1].isalpha() and last not in FILE_EXTENSIONS and last not in RESERVED_NAMES:
        return True
    return OFFLINE_TLD_EXTRACT(address).fqdn != ""


# The rest of a URL Presidio's pattern stopped inside: its top-level domains are tried in
# list order with no boundary after them, so "https://itziararanburu.eus" ends at ".eu",
# "https://vins.cat/x" at ".ca".
_URL_REST = re.compile(r"[\w\-.~/?#%&=+:@]*[\w/]")


class WholeUrlRecognizer(UrlRecognizer):
    """Presidio's URL recognizer, each match carried to the URL's end (`_URL_REST`): a
    match cut inside a domain or a path left its last characters in clear beside the
    placeholder ("<URL_1>s")."""

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        """Presidio's findings, each ending where the URL does."""
        results: list[RecognizerResult] = super().analyze(
            text, entities, nlp_artifacts, regex_flags
        )
        for result in results:
            if result.end < len(text) and (text[result.end].isalnum() or text[result.end] == "-"):
                rest = _URL_REST.match(text, result.end)
                if rest is not None:
                    result.end = rest.end()
        return results


class OfflineEmailRecognizer(EmailRecognizer):
    """Presidio's email recognizer, validating the domain (`_names_a_mail_domain`);
    an organisation's role mailbox ("support@firm.fr") scores under the default threshold
    (`mailboxes.py`)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        patterns: list[Pattern] = getattr(self, "patterns")  # noqa: B009 - untyped upstream
        if not all("[@]" in pattern.regex for pattern in patterns):
            # `analyze` skips texts without "@": a Presidio upgrade must not void that.
            raise RuntimeError("Presidio's e-mail pattern no longer requires '@'")

    def validate_result(self, pattern_text: str) -> bool:
        """An address counts if its domain can receive mail (`_names_a_mail_domain`)."""
        return _names_a_mail_domain(pattern_text)

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        """Presidio's findings, role mailboxes at `ROLE_MAILBOX_SCORE`, out of the context
        step's reach ("contact our support at" must not lift them back); none, without
        scanning, in a text with no "@": the pattern needs one, and it backtracks from every
        word boundary (issue 13)."""
        if "@" not in text:
            return []
        results: list[RecognizerResult] = super().analyze(
            text, entities, nlp_artifacts, regex_flags
        )
        for result in results:
            if role_mailbox(text[result.start : result.end]):
                result.score = ROLE_MAILBOX_SCORE
                result.recognition_metadata[RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY] = (
                    True
                )
        return results


# A dotted quad that is a version: one more dotted number before or after it ("Oracle
# Client 19.21.0.0.0", "ojdbc11 23.3.0.23.09"), or a software word right before it
# ("firmware 4.0.2.11", "Sensor-FW 2.14.0.3", "version 1.2.0.4"); not "client", which
# logs write before a caller's address ("client: 93.41.228.15").
_MORE_VERSION_AFTER = re.compile(r"\.\d")
_MORE_VERSION_BEFORE = re.compile(r"\d\.$")
_VERSION_WORD_BEFORE = re.compile(
    r"(?<![\w])(?i:firmware|fw|version|versión|versione|ver|v|build|release|driver|sdk|"
    r"patch|kernel)[ \t:]*v?$"
)


class HostIpRecognizer(IpRecognizer):
    """Presidio's IP recognizer, keeping only addresses that can point at a host or person:
    not versions numbered like addresses."""

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        """Presidio's findings without a version's number (`_VERSION_WORD_BEFORE`)."""
        results: list[RecognizerResult] = super().analyze(
            text, entities, nlp_artifacts, regex_flags
        )
        return [r for r in results if not _a_version(text, r.start, r.end)]

    def invalidate_result(self, pattern_text: str) -> bool:
        """Drop what is not an address, and loopback, unspecified or reserved addresses."""
        try:
            address = ipaddress.ip_interface(pattern_text).ip
        except ValueError:
            return True
        return address.is_loopback or address.is_unspecified or address.is_reserved


def _a_version(text: str, start: int, end: int) -> bool:
    return (
        _MORE_VERSION_AFTER.match(text, end) is not None
        or _MORE_VERSION_BEFORE.search(text, max(0, start - 2), start) is not None
        or _VERSION_WORD_BEFORE.search(text, max(0, start - 12), start) is not None
    )


def _without(patterns: Sequence[Pattern], names: set[str]) -> list[Pattern]:
    kept = [pattern for pattern in patterns if pattern.name not in names]
    if len(kept) != len(patterns) - len(names):
        # A Presidio upgrade renamed a pattern: fail at start-up, not silently keep noise.
        raise RuntimeError(f"Presidio patterns {sorted(names)} not all found")
    return kept


def recognizers_for(
    language: str, phone_regions: Sequence[str], ner_entities: Sequence[str]
) -> list[EntityRecognizer]:
    """Every recognizer for one language, each once, with that language's context.

    `phone_regions`: every region whose national phone formats are tried, the language's own
    first. `ner_entities` empty: the language has no spaCy model, patterns only."""
    context = CONTEXT.get(language, CONTEXT["en"])
    # Every language's birth phrases, whatever the text's: a form in German inside an English
    # e-mail, or a text the language identifier misreads, still carries "geb." or "né le".
    birth = [phrase for phrases in BIRTH_PHRASES.values() for phrase in phrases]
    address = ADDRESS_PHRASES.get(language, []) + ADDRESS_PHRASES["en"]
    ner: list[EntityRecognizer] = []
    if ner_entities:
        ner.append(
            NerRecognizer(
                supported_language=language,
                supported_entities=list(ner_entities),
                labels=[phrase for phrases in context.values() for phrase in phrases],
            )
        )
    recognizers = [
        *ner,
        OfflineEmailRecognizer(supported_language=language, context=context["EMAIL_ADDRESS"]),
        PhoneNumberRecognizer(language, phone_regions, context["PHONE_NUMBER"], PHONE_CUES),
        HostIpRecognizer(supported_language=language, context=context["IP_ADDRESS"]),
        WholeUrlRecognizer(
            supported_language=language,
            context=context["URL"],
            patterns=_without(UrlRecognizer.PATTERNS, {"Non schema URL", "Quoted Non-schema URL"}),
        ),
        DateRecognizer(
            supported_language=language,
            context=context["DATE_TIME"],
            patterns=_without(DateRecognizer.PATTERNS, {"mm/yyyy or m/yyyy", "mm/yy or m/yy"}),
        ),
        *identifier_recognizers(language, context),
        *national_recognizers(language),
        AddressRecognizer(language, address),
        NameCueRecognizer(language),
        PlaceCueRecognizer(language),
        NationalityRecognizer(language),
        ProfileUrlRecognizer(language),
        BirthDateRecognizer(language, birth),
        TableColumnRecognizer(language),
        MedicalLicenceRecognizer(language),
    ]
    # The cue recognizers' word lists, hundreds of words in one alternation, cost most of
    # their time: each pattern they hold is recompiled with its alternations factored, which
    # finds the same matches (`alternation.py`; issue 13).
    return [with_factored_alternations(recognizer) for recognizer in recognizers]


# The modules whose functions the recognizers, and the engine around them, call with
# patterns of their own held as module globals (`people.business_name`, `places.is_tied`,
# `normalise`'s rewrites, `historical.historical_figure`): their word lists are long
# alternations too.
RULE_MODULES = (
    addresses,
    historical,
    identifiers,
    mailboxes,
    name_lists,
    national_ids,
    nationality,
    normalise,
    people,
    phones,
    places,
    profiles,
    sys.modules[__name__],  # this one: `plausible_entity`, for the model's entities
    tables,
)


def factor_rule_modules() -> None:
    """The rule modules' own patterns with their alternations factored, as the recognizers'
    (`alternation.factor_module_patterns`: the same matches; issue 13). Once per worker,
    before it analyses a text; the modules' code is left as written."""
    for module in RULE_MODULES:
        factor_module_patterns(module)


class PolicyPatternRecognizer(PatternRecognizer):
    """A policy's regular expressions for one entity, with its validator and context."""

    def __init__(self, spec: CustomRecognizer, language: str) -> None:
        super().__init__(
            supported_entity=spec.entity,
            name=f"policy:{spec.entity}",
            patterns=[
                Pattern(f"policy:{spec.entity}:{index}", pattern.regex, pattern.score)
                for index, pattern in enumerate(spec.patterns)
            ],
            context=list(spec.context),
            supported_language=language,
            global_regex_flags=CASE_SENSITIVE if spec.case_sensitive else IGNORE_CASE,
        )
        self._validate = None if spec.validator is Validator.NONE else VALIDATORS[spec.validator]

    def validate_result(self, pattern_text: str) -> bool | None:
        """With a validator: certain if it passes, dropped if not. Without: pattern score."""
        return None if self._validate is None else self._validate(pattern_text)


class DenyListRecognizer(EntityRecognizer):
    """A policy's deny-list for one entity: every listed value found, score 1."""

    def __init__(self, spec: CustomRecognizer, language: str) -> None:
        super().__init__(
            supported_entities=[spec.entity],
            name=f"policy-deny:{spec.entity}",
            supported_language=language,
        )
        self._entity = spec.entity
        self._list = DenyList(spec.deny_list, case_sensitive=spec.case_sensitive)

    def load(self) -> None:
        """Nothing to load."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Each listed value in `text`."""
        return [
            RecognizerResult(self._entity, start, end, 1.0) for start, end in self._list.spans(text)
        ]


def policy_recognizers(detection: PolicyDetection, language: str) -> list[EntityRecognizer]:
    """Presidio recognizers for a policy's own `recognizers` entries, for one language."""
    built: list[EntityRecognizer] = []
    for spec in detection.recognizers:
        if spec.patterns:
            built.append(PolicyPatternRecognizer(spec, language))
        if spec.deny_list:
            built.append(DenyListRecognizer(spec, language))
    return built
