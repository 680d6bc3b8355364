"""Normalise a text before detection, keeping an exact map back to the original offsets.

People (and tools) write personal data in forms the recognizers were not written for, some by
accident (full-width digits from a Japanese keyboard, no-break spaces from a word processor,
decomposed accents from macOS), some on purpose, to slip past a filter:

- Unicode compatibility forms: NFKC turns full-width and other compatibility characters
  (`０６`, `ｊｅａｎ`, `𝐣𝐞𝐚𝐧`, ligatures, no-break spaces) into their plain forms;
- invisible characters are removed: control characters (C0 but tab, line feed and carriage
  return; DEL; C1, NEL included), format characters (zero-width spaces and joiners, soft
  hyphens, word joiners, bidirectional controls, tags) and the other default-ignorable code
  points (variation selectors, fillers, and those Unicode keeps unassigned for the purpose).
  `Jo\\x01hn`, `FR76\\x00 3000 …` and `jean.du\\x1bpont@…` are read as the value they hide.
  The price: a control character used as a field separator (ASCII's unit separator between
  two columns) glues the two fields for detection, so a number glued that way to a word may
  go unseen. Such text is rare in prompts; control characters hiding a value are the attack;
- tab, line feed and carriage return separate words and lines, as a space does: they are
  kept, so two lines' words are never glued together (a word split by one is two words, as
  it would be by a space). Between two digits one (with spaces or tabs around it) is read as
  a space, so that a card number or an IBAN wrapped over two lines, or split by a tab, is
  still one number; not the tabs of a tab-separated sheet's row (a line with two or more,
  next to a line with as many), which separate cells;
- HTML character references (`&#64;`, `&#x40;`, `&commat;`, `&nbsp;`, `&eacute;`) and
  percent-encoded bytes (`%40`, `%20`, `%C3%A9`, and `+` between two words of a run that
  holds percent-escapes, as in a query string; not before a digit: `+33`) are decoded:
  `jean.dupont&#64;orange.fr`, `jean%2Edupont%40orange.fr` and `Jean&nbsp;Dupont` are
  read as what a browser shows. A percent-escape is decoded only where it forms valid
  UTF-8, a `+` only inside such a run;
- a line break between two digits, with spaces or tabs around it, is read as one space
  (a card number wrapped by a mail client: `4970 1234 ⏎ 5678 9013`), or after a dash, a dot
  or a slash as that separator alone (`0221-⏎4478 193`, `06.47.⏎82.19.30`);
- a `+` between two words, the second capitalised, is read as a space, as a form or query
  string means it (`Estelle+Kuhn`);
- look-alike letters from other scripts (Cyrillic `а`, Greek `ο`) inside a word that also has
  Latin letters or digits are read as the Latin letter they imitate;
- characters spaced out one by one (`0 6 1 2 3 4 5 6 7 8`, `F R 7 6 3 0 …`, and a codice
  fiscale or a DNI that begins or ends with a letter: `D S N P T R 9 8 R …`) are joined, and
  so are capitals written one by one, words two spaces apart (`P A U L I N E   R O T H`);
- a long number written out in words, in any of the five languages ("null eins sieben
  sechs - drei drei acht …", "zéro six, quarante-deux, dix-huit …"), is read as its digits
  (`spelled_numbers`); counts and prose ("one or two", "three-hour sessions") are not;
- an IPv4 address with spaces around its dots (`81 . 107 . 44 . 213`) is joined;
- an e-mail address's local part spelled one character at a time before its "at"
  (`j e a n . d u p o n t at orange dot fr`) is joined;
- e-mail addresses written out (`jean dot dupont at orange dot fr`, `jean[at]orange.fr`,
  `jean arobase orange point fr`) are rewritten as addresses, when the result has a known
  public suffix.

Detection runs on the normalised text; every finding is mapped back with `Normalised.span`
to the exact characters of the original that produced it, so masking replaces what the user
wrote (zero-width characters and all), never a reconstruction. A rewritten region maps as a
whole: a finding anywhere inside it covers all of it.

The common case costs almost nothing: an ASCII text with no control character (but tab and
line breaks), no line break between digits, no written-out e-mail and no spaced characters is
its own normalisation (no map is built).
"""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import regex as re
import tldextract

from proxy.detection.spelled_numbers import spelled_digit_edits

# tldextract fetches the public-suffix list over the network on first use unless told not
# to; with no URLs and no cache directory it uses the snapshot shipped in the package.
OFFLINE_TLD_EXTRACT = tldextract.TLDExtract(cache_dir=None, suffix_list_urls=())

# Removed outright (see the module docstring): control characters but tab, line feed and
# carriage return; format characters (Cf: zero-width, bidi, soft hyphen, BOM, tags, ...);
# every default-ignorable code point (variation selectors, fillers, unassigned ones).
_INVISIBLE_CLASS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\p{Cf}\p{Default_Ignorable_Code_Point}"
INVISIBLE = re.compile(f"[{_INVISIBLE_CLASS}]+")
# ASCII texts skip the per-character pass unless they hold one of these.
_ASCII_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# A tab or a line break (not a blank line) between two digits: read as a space, or as the
# separator the first line ends with ("0221-⏎4478 193", "06.47.⏎82.19.30", "958 -⏎27 44
# 13": a number wrapped after its own dash, dot or slash); not before a line that starts
# with a time, a date or a list number ("…, 03 80 41 27 66⏎8h15 : M. Zerrouki", "port
# 61544⏎2024-12-03 06:13:40", "…⏎10:00 Fatima"): a schedule's or a log's next entry, which
# glued to a phone number made it no number.
_DIGIT_BREAK = re.compile(
    r"(?<=\d)[ \t]*(?:(?P<separator>[\-./])[ \t]*)?(?:\r\n|[\t\n\r])[ \t]*(?=\d)"
    r"(?!\d{1,2}[:h]\d{2}(?!\d)|\d{4}-\d{2}-\d{2}|\d{1,2}[.)][ \t])"
)
# HTML character references: numeric, or named (the names of `html.entities`, `;` optional
# for the few HTML allows without it, as browsers do).
_ENTITY = re.compile(r"&(?:#[0-9]{1,7};?|#[xX][0-9a-fA-F]{1,6};?|[A-Za-z][A-Za-z0-9]{1,31};?)")
# Runs of percent-escapes with the characters between them (a URL's path or query).
_PERCENT = re.compile(r"(?:[A-Za-z0-9._~+\-]*%[0-9A-Fa-f]{2})+[A-Za-z0-9._~+\-]*")
_ESCAPES_OR_PLUS = re.compile(r"(?:%[0-9A-Fa-f]{2})+|(?<=[^\W\d_])\+(?=[^\W\d_]|%)")

# Cyrillic and Greek letters that look like Latin ones (Unicode's confusables, restricted to
# letters rendered identically in common fonts). Applied only inside a word that also holds
# Latin letters or digits, so Russian or Greek text is left alone.
CONFUSABLES = str.maketrans(
    {
        # Cyrillic lower case
        "а": "a", "в": "b", "с": "c", "ԁ": "d", "е": "e", "һ": "h", "і": "i", "ј": "j",
        "к": "k", "ӏ": "l", "м": "m", "н": "h", "о": "o", "р": "p", "ԛ": "q", "ѕ": "s",
        "т": "t", "ս": "u", "ѵ": "v", "ԝ": "w", "х": "x", "у": "y", "ү": "y", "ɡ": "g",
        # Cyrillic upper case
        "А": "A", "В": "B", "С": "C", "Е": "E", "Н": "H", "І": "I", "Ј": "J", "К": "K",
        "М": "M", "О": "O", "Р": "P", "Ѕ": "S", "Т": "T", "Х": "X", "У": "Y", "Ү": "Y",
        "Ԛ": "Q", "Ԝ": "W",
        # Greek
        "α": "a", "ο": "o", "ρ": "p", "ν": "v", "τ": "t", "ι": "i", "κ": "k", "χ": "x",
        "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M",
        "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
    }
)  # fmt: skip
_CONFUSABLE_CHARS = "".join(chr(code) for code in CONFUSABLES)

# Runs of characters that need the per-character pass: all but printable ASCII and tab, LF, CR.
_NOT_PLAIN = re.compile(r"[^\t\n\r\x20-\x7e]+")
_SPECIAL = re.compile(f"[{_INVISIBLE_CLASS}{re.escape(_CONFUSABLE_CHARS)}]")
_MIXED_WORD = re.compile(r"(?=\S*[A-Za-z0-9@])(?=\S*[" + re.escape(_CONFUSABLE_CHARS) + r"])\S+")

# Written-out e-mail addresses. The local part and labels are word characters; the "at" and
# "dot" forms people use in English and French, bracketed or spelled out between spaces.
# "at" and "dot" as people write them out in the five languages (`arroba`, `chiocciola`,
# `Klammeraffe`, `punkt`, `punto`).
_AT_WORDS = r"at|arobase|arroba|chiocciola|chiocciolina|klammeraffe|ät"
_DOT_WORDS = r"dot|point|punkt|punto"
_AT = (
    rf"(?:\s*[\[\(\{{<]\s*(?:{_AT_WORDS}|@)\s*[\]\)\}}>]\s*"
    r"|\s+(?:at|arobase|arroba|chiocciola|klammeraffe|ät)\s+|\s*@\s*)"
)
_DOT = (
    rf"(?:\s*[\[\(\{{<]\s*(?:{_DOT_WORDS}|\.)\s*[\]\)\}}>]\s*|\s+(?:dot|point|punto|punkt)\s+|\.)"
)
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?"
_WRITTEN_EMAIL = re.compile(
    rf"(?<![\w.@])(?P<local>[A-Za-z0-9_%+\-]+(?:{_DOT}[A-Za-z0-9_%+\-]+)*)"
    rf"(?P<at>{_AT})(?P<domain>{_LABEL}(?:{_DOT}{_LABEL})+)(?![\w@])(?!{_AT}{_LABEL})",
    re.IGNORECASE,
)
_DOT_ONLY = re.compile(_DOT, re.IGNORECASE)
_EMAIL_HINT = re.compile(rf"@|\b(?:{_AT_WORDS})\b", re.IGNORECASE)

# Characters written one by one with a separator between each: a digit first (or two capitals
# then a digit: an IBAN's country), at least 8 in all, ending with a digit. A word before or
# after the run is not part of it ("n 0 6 1 2 …", "… 8 9 x"). Groups may be set apart by two or
# three spaces or a spaced dot or dash, en dash included ("4 1 5  5 5 5", "0 7 8 1 2   4 4 7",
# "0 6 . 1 2 . 8 8").
_ONE_SEP = r"(?:[ .\-_/\u00a0\u202f]|[ ]{2,3}|[ ][\-.\u2013\u2014][ ])"
_SPACED = re.compile(
    rf"(?<![\w])(?:[A-Z]{_ONE_SEP}[A-Z]{_ONE_SEP})?[0-9](?:{_ONE_SEP}[A-Za-z0-9]){{5,}}"
    rf"{_ONE_SEP}[0-9](?![\w])"
)
_SPACED_SEPARATORS = re.compile(r"[^A-Za-z0-9]")


@dataclass(frozen=True, slots=True)
class Normalised:
    """A normalised text and, per character, the original characters it comes from.

    `starts[i]`..`ends[i]` (end exclusive) is the original range of normalised character `i`;
    both are `None` when the text was already normal (the map is the identity).
    """

    original: str
    text: str
    starts: tuple[int, ...] | None = None
    ends: tuple[int, ...] | None = None

    @property
    def changed(self) -> bool:
        return self.starts is not None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span covering normalised characters `start`..`end` (exclusive)."""
        if self.starts is None or self.ends is None:
            return start, end
        if end <= start:
            position = self.starts[start] if start < len(self.starts) else len(self.original)
            return position, position
        return self.starts[start], self.ends[end - 1]


def normalise(text: str) -> Normalised:
    """`text` normalised for detection (see the module docstring), with its offset map."""
    current = Normalised(text, text)
    if not text.isascii() or _ASCII_CONTROL.search(text) is not None:
        current = _characters(text)
    if "&" in text or "%" in text:
        current = _escapes(current)
        if current.changed and not current.text.isascii():
            # Decoded characters (`&nbsp;`, `&#xFF10;`) get the same treatment as typed ones.
            current = _compose(current, _characters(current.text))
    for rewrite in (
        _digit_breaks,
        _spelled_numbers,
        _plus_joins,
        _spaced_local_parts,
        _written_emails,
        _spaced_codes,
        _spaced_ipv4,
        _spaced_characters,
        _spaced_letters,
    ):
        current = rewrite(current)
    return current


def _characters(text: str) -> Normalised:
    """NFKC per grapheme cluster, invisible characters removed, look-alikes in mixed words.

    A removed character maps to nothing, so a finding around it covers it (the span of
    `Jo\\x01hn` runs from `J` to `n`, control character included), and one at the edge of
    a value is left outside it, where it hides nothing."""
    if unicodedata.is_normalized("NFKC", text) and _SPECIAL.search(text) is None:
        return Normalised(text, text)
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    cursor = 0
    for run in _NOT_PLAIN.finditer(text):
        run_start = run.start()
        if unicodedata.combining(text[run_start]) and run_start > cursor:
            run_start -= 1  # a decomposed accent belongs with the ASCII letter before it
        out.append(text[cursor:run_start])
        starts.extend(range(cursor, run_start))
        ends.extend(range(cursor + 1, run_start + 1))
        for start, end in _clusters(text, run_start, run.end()):
            cluster = INVISIBLE.sub("", text[start:end])
            if not cluster:
                continue
            plain = unicodedata.normalize("NFKC", cluster)
            out.append(plain)
            starts.extend([start] * len(plain))
            ends.extend([end] * len(plain))
        cursor = run.end()
    out.append(text[cursor:])
    starts.extend(range(cursor, len(text)))
    ends.extend(range(cursor + 1, len(text) + 1))
    normal = "".join(out)
    if _SPECIAL.search(normal) is not None:
        # Translation is one character to one, so the map stays valid.
        normal = _MIXED_WORD.sub(lambda m: m.group().translate(CONFUSABLES), normal)
    if normal == text:
        return Normalised(text, text)
    return Normalised(text, normal, tuple(starts), tuple(ends))


def _clusters(text: str, start: int, stop: int) -> Iterator[tuple[int, int]]:
    """(start, end) of each base character in `text[start:stop]` with the combining marks
    that follow it."""
    index = start
    while index < stop:
        end = index + 1
        while end < stop and unicodedata.combining(text[end]):
            end += 1
        yield index, end
        index = end


def _rewrite(current: Normalised, edits: list[tuple[int, int, str]]) -> Normalised:
    """Apply non-overlapping, sorted `edits` (start, end, replacement) to `current.text`;
    each replacement character maps to the whole original range of what it replaces."""
    if not edits:
        return current
    text = current.text
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    cursor = 0
    for start, end, replacement in edits:
        out.append(text[cursor:start])
        for index in range(cursor, start):
            first, last = current.span(index, index + 1)
            starts.append(first)
            ends.append(last)
        first, last = current.span(start, end)
        out.append(replacement)
        starts.extend([first] * len(replacement))
        ends.extend([last] * len(replacement))
        cursor = end
    out.append(text[cursor:])
    for index in range(cursor, len(text)):
        first, last = current.span(index, index + 1)
        starts.append(first)
        ends.append(last)
    return Normalised(current.original, "".join(out), tuple(starts), tuple(ends))


def _edits(
    pattern: re.Pattern[str], text: str, replace: Callable[[re.Match[str]], str | None]
) -> list[tuple[int, int, str]]:
    edits = []
    for match in pattern.finditer(text):
        replacement = replace(match)
        if replacement is not None and replacement != match.group():
            edits.append((match.start(), match.end(), replacement))
    return edits


def _compose(first: Normalised, second: Normalised) -> Normalised:
    """`second` normalises `first.text`: the map from `second.text` to `first.original`."""
    if not second.changed:
        return first
    starts = []
    ends = []
    for index in range(len(second.text)):
        low, high = second.span(index, index + 1)
        starts.append(first.span(low, high)[0] if high > low else first.span(low, low)[0])
        ends.append(first.span(low, high)[1] if high > low else first.span(low, low)[1])
    return Normalised(first.original, second.text, tuple(starts), tuple(ends))


def _escapes(current: Normalised) -> Normalised:
    """HTML character references and percent-escapes decoded (module docstring)."""
    text = current.text
    edits: list[tuple[int, int, str]] = []
    if "&" in text:
        edits.extend(_edits(_ENTITY, text, _entity_or_none))
    if "%" in text:
        taken = [(start, end) for start, end, _ in edits]
        for run in _PERCENT.finditer(text):
            if any(run.start() < b and a < run.end() for a, b in taken):
                continue
            edits.extend(_percent_edits(run))
        edits.sort()
    return _rewrite(current, edits)


def _percent_edits(run: re.Match[str]) -> list[tuple[int, int, str]]:
    """One edit per sequence of escapes that decodes as UTF-8, one per `+` between them;
    none if any sequence does not decode (then the run is not percent-encoded text)."""
    edits = []
    for piece in _ESCAPES_OR_PLUS.finditer(run.group()):
        start, end = run.start() + piece.start(), run.start() + piece.end()
        if piece.group() == "+":
            edits.append((start, end, " "))
            continue
        try:
            decoded = bytes.fromhex(piece.group().replace("%", "")).decode("utf-8")
        except UnicodeDecodeError:
            return []
        edits.append((start, end, decoded))
    return edits


def _entity_or_none(match: re.Match[str]) -> str | None:
    reference = match.group()
    decoded = html.unescape(reference)
    if decoded == reference or len(decoded) > 2:
        return None  # not a reference ("&co"), or a prefix of a longer word ("&notit")
    return decoded


def _written_emails(current: Normalised) -> Normalised:
    text = current.text
    if _EMAIL_HINT.search(text) is None:
        return current
    edits: list[tuple[int, int, str]] = []
    # Overlapped: "write at jean dot dupont at orange dot fr" first matches from "write".
    for match in _WRITTEN_EMAIL.finditer(text, overlapped=True):
        if edits and match.start() < edits[-1][1]:
            continue
        address = _email_or_none(match)
        if address is not None and address != match.group():
            edits.append((match.start(), match.end(), address))
    return _rewrite(current, edits)


def _email_or_none(match: re.Match[str]) -> str | None:
    """The address a written-out e-mail stands for, if its domain has a known public suffix
    and, for a bare "at", the local part looks like one (a dot, a digit, or spelled dots)."""
    at, local, domain = match.group("at"), match.group("local"), match.group("domain")
    if at.lstrip() == "@" and at != "@":
        return None  # an @handle after a word ("Insta @yusuf.kaplan.berlin", "via @ana.dev")
    local = _DOT_ONLY.sub(".", local)
    domain = _DOT_ONLY.sub(".", domain)
    if " " in local or " " in domain or "." not in domain:
        return None
    address = f"{local}@{domain}"
    if OFFLINE_TLD_EXTRACT(address).suffix == "":
        return None
    if at.strip().lower() == "at" and not (
        "." in local or any(char.isdigit() for char in local) or _spelled_dots(match.group())
    ):
        return None
    return address


def _spelled_dots(written: str) -> bool:
    return any(f" {word} " in written.lower() for word in ("dot", "point"))


def _spelled_numbers(current: Normalised) -> Normalised:
    return _rewrite(current, spelled_digit_edits(current.text))


def _digit_breaks(current: Normalised) -> Normalised:
    text = current.text
    if "\n" not in text and "\t" not in text and "\r" not in text:
        return current

    def joined(match: re.Match[str]) -> str | None:
        tab_only = "\t" in match.group() and not _a_line_break(match.group())
        if tab_only and _a_sheets_row(text, match.start()):
            return None  # a tab-separated row's cells ("01/06", tab, "644 218 390")
        if _a_phone_then_a_count(text, match.start(), match.end()):
            return None
        return match.group("separator") or " "

    return _rewrite(current, _edits(_DIGIT_BREAK, text, joined))


# A line that starts with a count and a word ("2 boxes", "3 cartons", "12 Stück", "2x Kaffee").
_COUNT_LINE = re.compile(r"\d{1,3}(?:[ ]?[xX×])?[ ]\p{L}{2,}")
# A phone number as a line's last words: `+`, `00`, `0` or a bracket first (not a group
# inside a longer run of digits, such as an IBAN's), ten digits or more: complete in every
# plan of the default regions.
_PHONE_AT_LINE_END = re.compile(r"(?:^|(?<=[\s:;,])(?<![\d)+][.\-/]?[ ]))[+(0][\d ().\-/]*$")


def _a_phone_then_a_count(text: str, break_start: int, break_end: int) -> bool:
    """A complete phone number ends the line and the next starts with a count: a delivery
    note's or a list's next entry ("Contact: +44 20 7946 0584⏎2 boxes"), which glued to
    the number made it no number (or a longer one). A number wrapped mid-way keeps fewer
    than ten digits on its first line ("+33 6 12 34 56⏎78 merci") and is still joined; so
    is one whose first line is no valid number by itself: "+33 6 41 27 93 5⏎8 merci" would
    otherwise hide a phone by moving its last digit to a line that starts with a word."""
    if _COUNT_LINE.match(text, break_end) is None:
        return False
    line_start = text.rfind("\n", 0, break_start) + 1
    number = _PHONE_AT_LINE_END.search(text, line_start, break_start)
    return (
        number is not None
        and sum(char.isdigit() for char in number.group()) >= 10
        and _a_valid_phone(number.group())
    )


# Where a phone number at a line's end is tried in national form (`_a_valid_phone`): the
# regions of the default policy's languages and their neighbours.
_HOME_REGIONS = ("FR", "BE", "CH", "LU", "DE", "AT", "GB", "IE", "US", "ES", "IT", "NL", "PT")


def _a_valid_phone(number: str) -> bool:
    """python-phonenumbers calls `number` valid: in international form on its own, else in
    one of `_HOME_REGIONS`, as the phone recognizer parses it (`phone_parsing`). Imported
    here, on this rare path, to keep `normalise` light in the proxy's own process."""
    from proxy.detection.phone_parsing import Verdict, parse_candidate  # noqa: PLC0415

    parsed = parse_candidate(number, _HOME_REGIONS)
    return parsed is not None and parsed.verdict is Verdict.VALID


def _a_sheets_row(text: str, position: int) -> bool:
    """The line at `position` has two tabs or more, and the line before or after it as
    many: a tab-separated sheet's row, whose tabs separate cells. A lone line's tabs may
    split one number ("4111<tab>1111<tab>1111<tab>1111")."""
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    end = len(text) if end < 0 else end
    tabs = text.count("\t", start, end)
    if tabs < 2:
        return False
    before_start = text.rfind("\n", 0, max(0, start - 1)) + 1
    after_end = text.find("\n", end + 1)
    after_end = len(text) if after_end < 0 else after_end
    return (start > 0 and text.count("\t", before_start, start - 1) == tabs) or (
        end < len(text) and text.count("\t", end + 1, after_end) == tabs
    )


def _a_line_break(characters: str) -> bool:
    return "\n" in characters or "\r" in characters


# A `+` joining two words, the second capitalised, as a form or a query string writes a
# space (`Estelle+Kuhn`, `Maricruz+Bermejo+Acedo`); not `C++`, `+33` or `a+b`.
_PLUS_JOIN = re.compile(r"(?<=\p{L}\p{Ll})\+(?=\p{Lu}\p{Ll})")


def _plus_joins(current: Normalised) -> Normalised:
    text = current.text
    if "+" not in text:
        return current
    return _rewrite(current, _edits(_PLUS_JOIN, text, lambda _: " "))


# An e-mail address's local part spelled out one character at a time before its "at"
# ("j o r d a n . b l a c k w o o d at gmail dot com"): joined, then read as an address.
_SPACED_LOCAL = re.compile(
    rf"(?<![\w.])[A-Za-z0-9](?:[ ][A-Za-z0-9._\-]){{3,}}"
    rf"(?=[ ]*(?:[\[\(\{{<][ ]*)?(?:(?i:{_AT_WORDS})(?![\w])|@))"
)


def _spaced_local_parts(current: Normalised) -> Normalised:
    text = current.text
    if " " not in text or _EMAIL_HINT.search(text) is None:
        return current
    edits: list[tuple[int, int, str]] = []
    for match in _SPACED_LOCAL.finditer(text):
        joined = match.group().replace(" ", "")
        written = _WRITTEN_EMAIL.match(joined + text[match.end() : match.end() + 120])
        if written is None or written.start("at") != len(joined) or not _email_or_none(written):
            continue  # "at a b c d e at home": no address after it
        edits.extend(
            (gap.start(), gap.end(), "") for gap in _GAPS.finditer(text, match.start(), match.end())
        )
    return _rewrite(current, edits) if edits else current


def _spaced_characters(current: Normalised) -> Normalised:
    text = current.text
    return _rewrite(current, _edits(_SPACED, text, _joined_or_none))


# Capitals and digits written one by one that join into a national identifier which starts
# or ends with a letter, so `_SPACED` (a digit at both ends) cannot take it whole: an Italian
# codice fiscale ("D S N P T R 9 8 R 0 8 L 7 3 6 L"), a Spanish DNI or NIE ("0 1 7 8 4 2 2 4
# - E"). Any other run of single characters is left as it is.
_SPACED_CODE = re.compile(rf"(?<![\w])[A-Z0-9](?:{_ONE_SEP}[A-Z0-9]){{8,15}}(?![\w])")
_CODE_SHAPE = re.compile(
    r"[A-Z]{6}\d{2}[A-Z]\d{2}[A-Z]\d{3}[A-Z]"  # codice fiscale
    r"|\d{8}[A-Z]|[XYZ]\d{7}[A-Z]"  # DNI, NIE
)


# An IPv4 address with spaces around its dots ("81 . 107 . 44 . 213", "10 .0. 3 .7"), as
# people write one to slip it past a filter: four numbers of at most three digits.
_SPACED_IPV4 = re.compile(
    r"(?<![\w.])(?:[0-9]{1,3}(?:[ ]+\.[ ]*|[ ]*\.[ ]+)){3}[0-9]{1,3}(?![\w]|\.[0-9])"
)


def _spaced_ipv4(current: Normalised) -> Normalised:
    text = current.text
    if " ." not in text and ". " not in text:
        return current

    def joined(match: re.Match[str]) -> str | None:
        # seven digits or more: no list's numbering ("1. 2. 3. 4.") nor a version
        parts = match.group().replace(" ", "").split(".")
        plausible = all(int(part) <= 255 for part in parts) and len("".join(parts)) >= 7
        return ".".join(parts) if plausible else None

    return _rewrite(current, _edits(_SPACED_IPV4, text, joined))


def _spaced_codes(current: Normalised) -> Normalised:
    text = current.text
    if " " not in text:
        return current

    def joined(match: re.Match[str]) -> str | None:
        code = str(_SPACED_SEPARATORS.sub("", match.group()))
        return code if _CODE_SHAPE.fullmatch(code) else None

    return _rewrite(current, _edits(_SPACED_CODE, text, joined))


# Capitals written one by one, words apart by two spaces or more ("P A U L I N E   R O T H",
# as a scanned or typed-out form has it): read as the words ("PAULINE ROTH").
_SPACED_LETTERS = re.compile(
    r"(?<![\w])\p{Lu}(?:[ ]\p{Lu}){3,}(?:[ ]{2,}\p{Lu}(?:[ ]\p{Lu})+)*(?![\w])"
)
_GAPS = re.compile(r"[ ]+")


def _spaced_letters(current: Normalised) -> Normalised:
    text = current.text
    edits = []
    for match in _SPACED_LETTERS.finditer(text):
        for gap in _GAPS.finditer(text, match.start(), match.end()):
            edits.append((gap.start(), gap.end(), " " if gap.end() - gap.start() >= 2 else ""))
    return _rewrite(current, edits) if edits else current


def _joined_or_none(match: re.Match[str]) -> str | None:
    joined = str(_SPACED_SEPARATORS.sub("", match.group()))
    if sum(char.isdigit() for char in joined) < 4:
        return None
    return joined
