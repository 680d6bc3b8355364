"""Issue 9: a URL is masked to its end, whatever its top-level domain.

Presidio's URL pattern tries its top-level domains in list order with no boundary after
them, so "https://itziararanburu.eus" matched as "https://itziararanburu.eu" and
"https://vins-roca.cat/botiga" as "https://vins-roca.ca": a masked personal site left its
last letters beside the placeholder, and the path was lost from the match. Each match now
runs to the URL's end. Values are fictitious and our own.
"""

from __future__ import annotations

import asyncio

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


def test_a_personal_site_with_a_long_tld_is_masked_whole(presidio: PresidioDetector) -> None:
    text = "Contacto: Itziar Aranburu, web https://itziararanburu.eus"
    assert masked(presidio, text, "es", "URL") == ["https://itziararanburu.eus"]


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ("Vins: https://vins-roca.cat/botiga?id=3. Gràcies", "https://vins-roca.cat/botiga?id=3"),
        (
            "Blog: https://backen-mit-bodo.bzh/rezepte and more",
            "https://backen-mit-bodo.bzh/rezepte",
        ),
    ],
)
def test_a_url_found_ends_where_it_ends(presidio: PresidioDetector, text: str, url: str) -> None:
    (analysis,) = asyncio.run(presidio.analyze([text], ["en"]))
    urls = [text[f.start : f.end] for f in analysis.findings if f.entity_type == "URL"]
    assert url in urls
