"""Detection tests share the session's detector (tests/proxy/conftest.py): its workers load
the real models once, which takes seconds. Tests that break a pool on purpose use their own
small one (see test_pool.py)."""

from __future__ import annotations

import pytest

from proxy.detection.pool import PresidioDetector
from proxy.detection.types import Detector


@pytest.fixture(scope="session")
def presidio(detector: Detector) -> PresidioDetector:
    """The shared detector, typed as what it is so tests can use its extra API."""
    assert isinstance(detector, PresidioDetector)
    return detector
