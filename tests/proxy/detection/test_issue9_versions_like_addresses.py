"""Issue 9: a version numbered like an IP address is no address ("firmware 4.0.2.11",
"Oracle Client 19.21.0.0.0").

Presidio's IP pattern takes any dotted quad, so a support question quoting a firmware or a
driver's version went out with `<IP_ADDRESS_1>` in it (each positive row was masked before
this change). One more dotted number before or after the quad, or a software word right
before it, makes it a version. An address after "client:" in a log, or anywhere else,
stays masked (those rows passed before and still do).
"""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from tests.proxy.detection.masking import masked


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("it", "Stazione Capo Rizzuto, rilevazione delle 06:30, firmware 4.1.3.17"),
        ("de", "Messung 2024, Sensor-FW 3.12.0.8, Kalibrierung ok"),
        ("en", "ORA-12541: TNS no listener. Oracle Client 21.19.0.0.0, host db-erp-prod"),
        ("en", "at oracle.jdbc.driver.T4C (T4C.java:509) driver ojdbc11 23.4.0.24.05"),
    ],
)
def test_a_version_is_no_ip_address(presidio: PresidioDetector, language: str, text: str) -> None:
    assert masked(presidio, text, language, "IP_ADDRESS") == []


@pytest.mark.parametrize(
    "text",
    [
        "nginx: connect() failed, client: 93.41.228.15, server: shop",
        "Failed login from 81.2.69.160 at 10:02, user mrossi.",
    ],
)
def test_an_address_stays_masked(presidio: PresidioDetector, text: str) -> None:
    assert len(masked(presidio, text, "en", "IP_ADDRESS")) == 1
