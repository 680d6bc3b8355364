"""`restore_json` restores keys as well as values: a masked property name (tool schemas and
tool inputs are scanned, keys included) comes back as a key of the model's tool input."""

from __future__ import annotations

from proxy.formats.base import RestoreCount, restore_json

TOKENS = {"<PERSON_abc234>": "Jean Dupont", "<EMAIL_ADDRESS_def456>": "jean@example.fr"}


def test_keys_and_values_are_restored_and_counted() -> None:
    count = RestoreCount()
    answer = {
        "type": "tool_use",
        "input": {"<PERSON_abc234>": {"mail": "<EMAIL_ADDRESS_def456>"}, "<PERSON_zzz999>": 1},
    }
    restored = restore_json(answer, TOKENS.get, count)
    assert restored == {
        "type": "tool_use",
        "input": {"Jean Dupont": {"mail": "jean@example.fr"}, "<PERSON_zzz999>": 1},
    }
    assert (count.restored, count.unresolved) == (2, 1)


def test_json_text_under_a_json_key_is_escaped_but_the_key_itself_is_not() -> None:
    tokens = {"<PERSON_abc234>": 'Jean "Jeannot" Dupont'}
    restored = restore_json(
        {"arguments": '{"who": "<PERSON_abc234>"}'},
        tokens.get,
        RestoreCount(),
        frozenset({"arguments"}),
    )
    assert restored == {"arguments": '{"who": "Jean \\"Jeannot\\" Dupont"}'}
