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
    r"pseudo|username|user name|benutzername|usuario|utente|dm|follow)"
    # "su Instagram come @…", "on Insta as @…", "auf Insta als @…"
    r"(?:\W{1,3}(?i:as|come|como|comme|als|unter|sous)\W{1,3}|\W{0,12})$"
)
# The network named after the handle ("@annekejansen on X", "@lea.m sur Instagram", "@tobi
# auf Mastodon").
_NETWORK_AFTER = re.compile(
    r"[ ]+(?i:on|sur|auf|bei|en|su)[ ]+(?:X|Twitter|Instagram|Insta|TikTok|Mastodon|Threads|"
    r"Bluesky|Telegram|Signal|Discord|Slack|Teams|GitHub|GitLab)(?![\w])"
)
# A fediverse address: the handle, then its server ("@ute_kocht@chaos.social",
# "@m.reinholz@mastodon.social"); an e-mail address has no "@" before its user.
FEDIVERSE = re.compile(
    r"(?<![\w@.])@[A-Za-z0-9_][A-Za-z0-9_.\-]{0,29}@[a-z0-9][a-z0-9\-]{0,62}"
    r"(?:\.[a-z0-9][a-z0-9\-]{0,62})+(?![\w@\-])",
    re.IGNORECASE,
)
# A member's page on any site: the path names a user ("https://chatterbox.social/u/will",
# "…/utenti/stellafontana", "…/members/4411-ana", "…/perfil/lucia_r"); a site's list of
# members ("/users/", "/members?page=2") names no one.
_MEMBER_PAGE = re.compile(
    r"(?<![\w@./\-])(?:https?://)?(?:[a-z0-9\-]{1,63}\.)+[a-z]{2,12}"
    r"/(?:[a-z]{2}/)?(?i:u|user|users|profile|profiles|member|members|people|utenti|utente|"
    r"usuario|usuarios|perfil|profil|benutzer|mitglieder|membres|membre|author|autor|autore)"
    r"/(?P<user>[A-Za-z0-9][A-Za-z0-9_.\-]{1,62})(?:/[^\s<>\"')\]]*)?(?<![.,;:!?])",
    re.IGNORECASE,
)
# A git remote over SSH names its owner like a profile URL does ("git@github.com:ana-c/
# dotfiles.git"), unless it is an organisation's project page (`_PROJECT_PAGE`).
_GIT_REMOTE = re.compile(
    r"(?<![\w@./])git@(?:github\.com|gitlab\.com|bitbucket\.org|codeberg\.org):"
    r"(?P<user>[A-Za-z0-9][A-Za-z0-9_.\-]{0,62})/[A-Za-z0-9_.\-]{1,100}(?<![.,;:!?])",
    re.IGNORECASE,
)
# A site given as one's own ("Personal site: https://…", "my blog: …", "mon site : …",
# "meine Website: …", "mi web: …", "il mio sito: …"), or a form's "Portfolio:" line (not
# "our portfolio companies: …").
_OWN_SITE_LABEL = re.compile(
    r"(?<![\w])(?i:personal[ ](?:site|website|page|homepage|blog)|"
    r"my[ ](?:site|website|web[ ]site|blog|homepage|portfolio)|mon[ ](?:site|blog|portfolio)|"
    r"site[ ]perso(?:nnel)?|meine?[ ](?:website|webseite|homepage|blog|seite)|"
    r"mi[ ](?:web|sitio(?:[ ]web)?|página(?:[ ]web)?|blog|portafolio)|"
    r"il[ ]mio[ ](?:sito|blog|portfolio)|(?<=^|\n)[ \t]*portfolio)[ \t]*[:=]?[ \t]*"
)
# A site written with "www." and no scheme ("www.abebe-liuteria.it"): Presidio's recognizer
# is kept only for URLs with a scheme (file names look like bare domains: "setup.sh"), but
# "www." says it is a site. Scored under every default threshold (0.5, and URLs' 0.8): it
# counts only as a person's site (`sites_of_people`).
_WWW_SITE = re.compile(
    r"(?<![\w@./\-])www\.(?:[a-z0-9][a-z0-9\-]{0,62}\.)+[a-z]{2,12}"
    r"(?:/[^\s<>\"')\]]*)?(?<![.,;:!?])(?![\w@\-])",
    re.IGNORECASE,
)
WWW_SCORE = 0.4
_SITE = re.compile(
    r"(?:https?://)?(?:www\.)?(?:[a-z0-9][a-z0-9\-]{0,62}\.)+[a-z]{2,12}"
    r"(?:/[^\s<>\"')\]]*)?(?<![.,;:!?])(?![\w@\-])",
    re.IGNORECASE,
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
        for pattern in (_MEMBER_PAGE, _GIT_REMOTE):
            found.extend(
                RecognizerResult("URL", match.start(), match.end(), PROFILE_SCORE)
                for match in pattern.finditer(text, timeout=regex_limits.seconds())
                if _PROJECT_PAGE.search(match.group().replace(":", "/", 1)) is None
            )
        found.extend(
            RecognizerResult("URL", match.start(), match.end(), PROFILE_SCORE)
            for match in FEDIVERSE.finditer(text, timeout=regex_limits.seconds())
        )
        found.extend(
            RecognizerResult("URL", match.start(), match.end(), WWW_SCORE)
            for match in _WWW_SITE.finditer(text, timeout=regex_limits.seconds())
        )
        for label in _OWN_SITE_LABEL.finditer(text, timeout=regex_limits.seconds()):
            site = _SITE.match(text, label.end(), timeout=regex_limits.seconds())
            if site is not None:
                found.append(RecognizerResult("URL", site.start(), site.end(), PROFILE_SCORE))
        for match in HANDLE.finditer(text, timeout=regex_limits.seconds()):
            handle = match.group("handle")
            cued = _HANDLE_CUE.search(
                text, max(0, match.start() - 24), match.start()
            ) or _NETWORK_AFTER.match(text, match.end())
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
        best: dict[tuple[int, int], RecognizerResult] = {}
        for result in found:  # one finding per span: a site may be found by two rules
            kept = best.get((result.start, result.end))
            if kept is None or result.score > kept.score:
                best[(result.start, result.end)] = result
        return list(best.values())


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
