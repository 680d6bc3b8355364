"""The entity table is the one list of entity types (issue 11, item 5): the context words of
every language name only types of it, every language has context for the same types, and
the table loads without Presidio (the main process validates policies with it)."""

from __future__ import annotations

import subprocess
import sys

from proxy.detection.context_words import CONTEXT
from proxy.detection.entities import MODEL_TYPES, SUPPORTED_ENTITIES


def test_context_words_name_only_known_types_and_the_same_in_every_language() -> None:
    for language, table in CONTEXT.items():
        assert set(table) <= SUPPORTED_ENTITIES, language
        assert set(table) == set(CONTEXT["en"]), language


def test_model_types_are_supported_types() -> None:
    assert MODEL_TYPES <= SUPPORTED_ENTITIES


def test_the_table_loads_without_presidio_or_spacy() -> None:
    code = (
        "import sys; import proxy.detection.entities; "
        "sys.exit(any(m.split('.')[0] in {'presidio_analyzer', 'spacy'} for m in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
