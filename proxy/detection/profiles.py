"""URLs that identify a person: profile pages on the sites people link to ("github.com/jdoe",
"linkedin.com/in/jane-doe-2f3a90", "x.com/jdoe"), with or without a scheme, @handles, and
personal sites whose domain is a first name and a surname ("www.aurelienfaure.fr").

The default policy lets URLs through (a documentation link is no personal data) unless they
score at least 0.8: Presidio's URL recognizer scores 0.5-0.6, a profile URL `PROFILE_SCORE`.
A site's own pages ("github.com/features", "linkedin.com/company/…") are not profiles.
"""

from __future__ import annotations

import regex as re
from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from proxy.detection import regex_limits

PROFILE_SCORE = 0.9
# Site -> the path prefix before the user's name ("" when the name comes first).
_SITES = (
    r"github\.com/|gitlab\.com/|bitbucket\.org/|codeberg\.org/|(?:[a-z]{2,3}\.)?linkedin\.com/in/|"
    r"twitter\.com/|x\.com/|(?:m\.)?facebook\.com/|instagram\.com/|tiktok\.com/@|youtube\.com/@|"
    r"medium\.com/@|t\.me/|xing\.com/profile/|about\.me/|keybase\.io/|mastodon\.social/@|"
    r"stackoverflow\.com/users/\d+/|huggingface\.co/|dev\.to/|behance\.net/|dribbble\.com/"
)
# First path segments that are the site's own pages, not a user.
_RESERVED = frozenset(
    {
        "about", "features", "pricing", "login", "signup", "join", "explore", "topics",
        "marketplace", "orgs", "organizations", "settings", "search", "home", "help", "blog",
        "docs", "company", "jobs", "pages", "school", "groups", "events", "legal", "privacy",
        "terms", "share", "sharer", "intent", "hashtag", "watch", "channel", "results", "feed",
        "notifications", "messages",
    }
)  # fmt: skip
PROFILE = re.compile(
    rf"(?<![\w@./])(?:https?://)?(?:www\.)?(?:{_SITES})(?P<user>[A-Za-z0-9][A-Za-z0-9_.\-]{{0,62}})"
    r"(?:/[^\s<>\"')\]]*)?(?<![.,;:!?])",
    re.IGNORECASE,
)


# A project's page under its owner ("github.com/pallets/flask/issues"): about the code, not
# about a person; Presidio's URL recognizer still scores it as an ordinary URL.
_PROJECT_PAGE = re.compile(
    r"/[^/\s]+/[^/\s]+/(?:issues|pulls?|blob|tree|wiki|releases|actions|commits?|discussions|"
    r"merge_requests|-/)(?:[/?#]|$)",
    re.IGNORECASE,
)
# An @handle: with a digit or an underscore in it ("@coreyc91", "@peter_patton"), or after a
# word naming a network, or made of names ("@katrin-wolff", "@laura.ocampo"); never a
# decorator (`@property(`) or an e-mail's domain.
HANDLE = re.compile(
    r"(?<![\w@.])@(?P<handle>[A-Za-z][A-Za-z0-9_.\-]{1,29}[A-Za-z0-9_])(?![\w@(\-])"
)
_HANDLE_CUE = re.compile(
    r"(?<![\w(])(?i:twitter|x|instagram|insta|ig|tiktok|telegram|mastodon|threads|bluesky|handle|"
    r"pseudo|username|user name|benutzername|usuario|utente|dm|follow)\W{0,12}$"
)


class ProfileUrlRecognizer(EntityRecognizer):
    """URL: a person's profile page on a known site (module docstring)."""

    def __init__(self, language: str) -> None:
        super().__init__(
            supported_entities=["URL"], name="ProfileUrlRecognizer", supported_language=language
        )

    def load(self) -> None:
        """Nothing to load."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Each profile URL and @handle, `PROFILE_SCORE`."""
        found = [
            RecognizerResult("URL", match.start(), match.end(), PROFILE_SCORE)
            for match in PROFILE.finditer(text, timeout=regex_limits.seconds())
            if match.group("user").casefold() not in _RESERVED
            and _PROJECT_PAGE.search(match.group()) is None
        ]
        for match in HANDLE.finditer(text, timeout=regex_limits.seconds()):
            handle = match.group("handle")
            cued = _HANDLE_CUE.search(text, max(0, match.start() - 24), match.start())
            if (
                cued
                or any(char.isdigit() or char == "_" for char in handle)
                or _names_in(re.split(r"[.\-]", handle))
                or _a_persons_login(handle)
            ):
                found.append(RecognizerResult("URL", match.start(), match.end(), PROFILE_SCORE))
        for match in PERSONAL_SITE.finditer(text, timeout=regex_limits.seconds()):
            if is_personal_label(match.group("label")):
                found.append(RecognizerResult("URL", match.start(), match.end(), PROFILE_SCORE))
        return found


# A site whose domain is a person's name ("https://fiete-jansen.de", "www.aurelienfaure.fr",
# "hugo-ferrand.net/blog"): a personal site; not an e-mail's domain.
PERSONAL_SITE = re.compile(
    r"(?<![\w@./\-])(?:https?://)?(?:www\.)?(?P<label>[a-z][a-z\-]{4,40})\.[a-z]{2,12}"
    r"(?:/[^\s<>\"')\]]*)?(?<![.,;:!?])(?![\w@\-])",
    re.IGNORECASE,
)


def is_personal_label(label: str) -> bool:
    """A domain label made of a first name and a surname, neither a common word of English
    or of any of the five languages: "fiete-jansen", "aurelienfaure", "adrianmolina"."""
    label = label.casefold()
    if "-" in label:
        # The hyphen says where the name splits: the surname may be a word ("edoardo-villa");
        # a trade may follow the name ("consuelo-mamani-tejidos", "annakrueger-foto").
        first, second, *_ = [*label.split("-"), ""]
        return _first_then_surname(first, second, strict=False) or _joined_name(first)
    return _joined_name(label)


def _joined_name(label: str) -> bool:
    return any(_first_then_surname(label[:cut], label[cut:]) for cut in range(3, len(label) - 2))


def sites_of_people(
    text: str, results: list[RecognizerResult], min_score: float
) -> list[RecognizerResult]:
    """A URL whose domain holds the name of a person the text names (a PERSON of at least
    `min_score`: "Costruisco chitarre: www.abebe-liuteria.it … Abebe", "Fiete …
    https://fiete-jansen.de") is that person's site: it scores `PROFILE_SCORE`, over the
    default policy's threshold for URLs."""
    from proxy.detection.name_index import COMMON_ANYWHERE, flags, without_accents  # noqa: PLC0415

    names = {
        without_accents(word).casefold()
        for r in results
        if r.entity_type == "PERSON" and r.score >= min_score
        for word in re.findall(r"\p{L}{4,}", text[r.start : r.end])
        if not flags(word) & COMMON_ANYWHERE
    }
    if not names:
        return results
    for result in results:
        if result.entity_type != "URL" or result.score >= PROFILE_SCORE:
            continue
        host = _HOST.match(text, result.start)
        if host is not None and any(
            name in part
            for part in re.split(r"[.\-]", host.group("host").casefold())
            for name in names
        ):
            result.score = PROFILE_SCORE
    return results


# A URL's host, its scheme and "www." aside.
_HOST = re.compile(r"(?:https?://)?(?:www\.)?(?P<host>[\w.\-]+)", re.IGNORECASE)


def _first_then_surname(first: str, last: str, *, strict: bool = True) -> bool:
    from proxy.detection.name_index import COMMON_ANYWHERE, Flag, flags  # noqa: PLC0415

    first_bits, last_bits = flags(first), flags(last)
    common = (first_bits | last_bits) if strict else first_bits
    return (
        len(first) >= 3
        and len(last) >= 3
        and bool(first_bits & Flag.FIRST)
        and bool(last_bits & Flag.SURNAME)
        and not common & COMMON_ANYWHERE
    )


# Words after "@" in code, style sheets, doc comments and chat tools that name no one.
_CODE_AT_WORDS = frozenset(
    (
        "param", "params", "return", "returns", "throws", "see", "since", "deprecated",
        "author", "version", "override", "dataclass", "staticmethod", "classmethod",
        "property", "pytest", "keyframes", "import", "media", "charset", "namespace",
        "supports", "font-face", "page", "layer", "container", "tailwind", "apply", "mixin",
        "include", "extend", "use", "forward", "each", "if", "else", "for", "while",
        "function", "here", "channel", "everyone", "all", "team", "component", "injectable",
        "input", "output", "test", "before", "after", "mock", "patch", "fixture", "todo",
    )
)  # fmt: skip


def _a_persons_login(handle: str) -> bool:
    """A handle a chat's members write for a person: a login made of a name ("tkowalczyk",
    "hcastellanos"), a first name and an initial ("sunny.k", "kwame.a"), or a first name no
    language uses as a word ("piotr"): "@sunny.k hast du das NDA?"."""
    from proxy.detection.name_index import COMMON_ANYWHERE, Flag, flags  # noqa: PLC0415
    from proxy.detection.people import login_of_a_person  # noqa: PLC0415 - no cycle at import

    folded = handle.casefold()
    if folded in _CODE_AT_WORDS or flags(folded) & COMMON_ANYWHERE:
        return False  # "@media", "@param", "@Override", "@here": code and chat keywords
    if login_of_a_person(folded):
        return True
    first, *rest = re.split(r"[.\-]", folded)
    bits = flags(first)
    if len(first) < 3 or not bits & Flag.FIRST:
        return False
    if rest:
        return len(rest) == 1 and 1 <= len(rest[0]) <= 2 and rest[0].isalpha()
    return not bits & COMMON_ANYWHERE


def _names_in(parts: list[str]) -> bool:
    """A dotted handle made of a first name and a surname ("@ola.kowalski")."""
    return len(parts) >= 2 and _first_then_surname(parts[0], parts[1])
