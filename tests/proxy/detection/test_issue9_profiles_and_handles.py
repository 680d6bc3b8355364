"""Issue 9: URLs and handles that point at a person, as people write them: an @handle after
a word ("auf Insta @lena.hartmann.koeln", "via @minh.tran.dev"; not an e-mail written with
a space), with its network after it ("@jolienvos on X") or named before with "come"/"as";
a fediverse address ("@kai_backt@social.example"); a member's page on any site ("…/u/…",
"…/utenti/…"); a git remote ("git@github.com:owner/dotfiles.git"); a site given as one's
own ("Personal site:", a form's "Portfolio:" line); a "www." site named after a person the
text names. A site's list of members, an investment portfolio, a documentation link stay
as they are. Fictitious people and sites of our own; the whole detector, as the proxy runs
it.
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


def _urls(presidio: PresidioDetector, text: str, language: str) -> list[str]:
    return masked(presidio, text, language, "URL")


@pytest.mark.parametrize(
    ("language", "text", "url"),
    [
        (
            "de",
            "Schreib mir per WhatsApp oder auf Insta @lena.hartmann.koeln",
            "@lena.hartmann.koeln",
        ),
        ("fr", "Contact via @minh.tran.dev sur Instagram.", "@minh.tran.dev"),
        ("it", "Mi trovi su Instagram come @giulia.ferro.design.", "@giulia.ferro.design"),
        ("en", "2. Jolien Vos - @jolienvos on X\n3. Next", "@jolienvos"),
        (
            "de",
            "Danke an @kai_backt@social.example.org für das Rezept",
            "@kai_backt@social.example.org",
        ),
        (
            "en",
            "The profile being hit is https://talkbox.example.net/u/samreilly - a moderator.",
            "https://talkbox.example.net/u/samreilly",
        ),
        (
            "it",
            '{"profilo": "https://forum-podisti.example.it/utenti/marcobelli"}',
            "https://forum-podisti.example.it/utenti/marcobelli",
        ),
        (
            "en",
            '[remote "origin"]\n    url = git@github.com:noor-k/dotfiles.git',
            "git@github.com:noor-k/dotfiles.git",
        ),
        ("en", "Personal site: https://ifeomak.design\nTitle: designer", "https://ifeomak.design"),
        ("en", "Phone: 555\nPortfolio: lindqvistux.studio\nRate: 90/h", "lindqvistux.studio"),
        (
            "it",
            "Mi chiamo Tesfaye Girma e vivo a Udine. Costruisco violini: www.tesfaye-violini.it.",
            "www.tesfaye-violini.it",
        ),
    ],
)
def test_a_url_or_handle_pointing_at_a_person(
    presidio: PresidioDetector, language: str, text: str, url: str
) -> None:
    assert url in _urls(presidio, text, language)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "All members: https://forum.example.org/members?page=2 and /users/ list."),
        ("en", "Our portfolio: acme-robotics.com, and three more."),
        ("en", "Docs at www.python.org/doc/ - thanks, Anna Weber."),
    ],
)
def test_sites_that_name_no_one(presidio: PresidioDetector, language: str, text: str) -> None:
    assert _urls(presidio, text, language) == []


def test_an_email_written_with_spaces_around_its_at_is_still_one(
    presidio: PresidioDetector,
) -> None:
    text = "write to jana.kolar @ posta.example.si please"
    assert masked(presidio, text, "en", "EMAIL_ADDRESS") == ["jana.kolar @ posta.example.si"]
