"""Keyring: AES-256-GCM by key id, rotation, the key file, and no key material in text."""

from __future__ import annotations

import base64
import json
import os
import stat
import threading
import traceback
from pathlib import Path

import pytest

from audit.errors import AuditKeyError
from audit.keys import KEY_BYTES, NONCE_BYTES, TAG_BYTES, KeyProvider, Keyring

AAD = b"voile-audit/v1:req-1"


def key_material(path: Path) -> list[str]:
    """Every key in a key file, as base64 and as hex: what must never be printed."""
    keys = json.loads(path.read_text())["keys"].values()
    return [text for key in keys for text in (key, base64.b64decode(key).hex())]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_round_trip_under_the_active_key(keyring: Keyring) -> None:
    kid, blob = keyring.encrypt(b"masked request", AAD)
    assert kid == keyring.active_kid
    assert keyring.decrypt(kid, blob, AAD) == b"masked request"


def test_blob_is_a_96_bit_nonce_then_ciphertext_and_tag(keyring: Keyring) -> None:
    _, blob = keyring.encrypt(b"x" * 10, AAD)
    assert len(blob) == NONCE_BYTES + 10 + TAG_BYTES
    assert NONCE_BYTES == 12


def test_same_plaintext_never_gives_the_same_blob(keyring: Keyring) -> None:
    blobs = {keyring.encrypt(b"same", AAD)[1] for _ in range(50)}
    assert len(blobs) == 50
    assert len({blob[:NONCE_BYTES] for blob in blobs}) == 50


def test_wrong_aad_fails_authentication(keyring: Keyring) -> None:
    kid, blob = keyring.encrypt(b"payload", AAD)
    with pytest.raises(AuditKeyError, match="authentication failed"):
        keyring.decrypt(kid, blob, b"voile-audit/v1:req-2")


@pytest.mark.parametrize("where", ["nonce", "ciphertext", "tag"])
def test_any_flipped_bit_fails_authentication(keyring: Keyring, where: str) -> None:
    kid, blob = keyring.encrypt(b"payload", AAD)
    index = {"nonce": 0, "ciphertext": NONCE_BYTES + 1, "tag": len(blob) - 1}[where]
    tampered = bytearray(blob)
    tampered[index] ^= 0x01
    with pytest.raises(AuditKeyError, match="authentication failed"):
        keyring.decrypt(kid, bytes(tampered), AAD)


def test_truncated_blob_is_refused(keyring: Keyring) -> None:
    kid, blob = keyring.encrypt(b"", AAD)
    with pytest.raises(AuditKeyError, match="truncated"):
        keyring.decrypt(kid, blob[:-1], AAD)


def test_unknown_key_id_is_named_in_the_error(keyring: Keyring) -> None:
    _, blob = keyring.encrypt(b"payload", AAD)
    with pytest.raises(AuditKeyError, match="unknown key id 'deadbeef'"):
        keyring.decrypt("deadbeef", blob, AAD)


def test_another_keyring_cannot_decrypt_even_with_the_same_kid(keyring: Keyring) -> None:
    kid, blob = keyring.encrypt(b"payload", AAD)
    impostor = Keyring({kid: os.urandom(KEY_BYTES)}, active=kid)
    with pytest.raises(AuditKeyError, match="authentication failed"):
        impostor.decrypt(kid, blob, AAD)


def test_rotation_adds_an_active_key_and_keeps_the_old_ones(keyring: Keyring) -> None:
    old_kid, old_blob = keyring.encrypt(b"before", AAD)
    new_kid = keyring.rotate()
    assert new_kid != old_kid
    assert keyring.active_kid == new_kid
    assert keyring.kids == (old_kid, new_kid)
    kid, new_blob = keyring.encrypt(b"after", AAD)
    assert kid == new_kid
    assert keyring.decrypt(old_kid, old_blob, AAD) == b"before"
    assert keyring.decrypt(new_kid, new_blob, AAD) == b"after"


def test_kids_are_short_random_hex(keyring: Keyring) -> None:
    kids = {Keyring.generate().active_kid for _ in range(20)}
    assert len(kids) == 20
    assert all(len(kid) == 8 and int(kid, 16) >= 0 for kid in kids)


def test_load_or_create_creates_once_then_loads_the_same_keys(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "audit-keys.json"
    first, created = Keyring.load_or_create(path)
    assert created
    kid, blob = first.encrypt(b"payload", AAD)
    second, created_again = Keyring.load_or_create(path)
    assert not created_again
    assert second.active_kid == first.active_kid
    assert second.decrypt(kid, blob, AAD) == b"payload"


def test_key_file_format(tmp_path: Path) -> None:
    path = tmp_path / "audit-keys.json"
    ring, _ = Keyring.load_or_create(path)
    document = json.loads(path.read_text())
    assert set(document) == {"active", "keys"}
    assert document["active"] == ring.active_kid
    assert list(document["keys"]) == [ring.active_kid]
    assert len(base64.b64decode(document["keys"][ring.active_kid], validate=True)) == 32


@pytest.mark.usefixtures("umask_zero")
def test_key_file_is_0600_and_created_parents_0700(tmp_path: Path) -> None:
    tmp_path.chmod(0o755)
    path = tmp_path / "var" / "voile" / "audit-keys.json"
    Keyring.load_or_create(path)
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700
    assert mode(path.parent.parent) == 0o700
    assert mode(tmp_path) == 0o755, "a directory we did not create keeps its mode"
    assert [p.name for p in path.parent.iterdir()] == [path.name], "no temporary file left"


@pytest.mark.usefixtures("umask_zero")
def test_save_after_rotation_keeps_every_key_and_0600(tmp_path: Path) -> None:
    path = tmp_path / "audit-keys.json"
    ring, _ = Keyring.load_or_create(path)
    old_kid, blob = ring.encrypt(b"old record", AAD)
    path.chmod(0o644)
    new_kid = ring.rotate()
    ring.save(path)
    assert mode(path) == 0o600
    reloaded, created = Keyring.load_or_create(path)
    assert not created
    assert reloaded.active_kid == new_kid
    assert reloaded.kids == (old_kid, new_kid)
    assert reloaded.decrypt(old_kid, blob, AAD) == b"old record"


def test_concurrent_first_starts_agree_on_one_key(tmp_path: Path) -> None:
    """Two proxies starting at once must not each write a key and lose the other's."""
    path = tmp_path / "audit-keys.json"
    results: list[tuple[Keyring, bool]] = []
    barrier = threading.Barrier(8)

    def start() -> None:
        barrier.wait()
        results.append(Keyring.load_or_create(path))

    threads = [threading.Thread(target=start) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({ring.active_kid for ring, _ in results}) == 1
    assert sum(created for _, created in results) == 1
    assert {ring.active_kid for ring, _ in results} == {json.loads(path.read_text())["active"]}


def test_from_base64_uses_the_env_kid_by_default() -> None:
    key = os.urandom(KEY_BYTES)
    ring = Keyring.from_base64(base64.b64encode(key).decode() + "\n")
    assert ring.active_kid == "env"
    kid, blob = ring.encrypt(b"payload", AAD)
    assert Keyring({"env": key}, active="env").decrypt(kid, blob, AAD) == b"payload"
    assert Keyring.from_base64(base64.b64encode(key).decode(), kid="k2025").active_kid == "k2025"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (base64.b64encode(b"k" * 16).decode(), "must be 32 bytes, got 16"),
        ("not base64 at all!", "not valid base64"),
        ("", "must be 32 bytes, got 0"),
    ],
)
def test_from_base64_rejects_bad_keys_without_echoing_them(value: str, message: str) -> None:
    with pytest.raises(AuditKeyError, match=message) as caught:
        Keyring.from_base64(value)
    if value:
        assert value not in "".join(traceback.format_exception(caught.value))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ("[]", "expected an object"),
        ('{"active": "a1", "keys": {}}', "expected an object"),
        ('{"active": "zz", "keys": {"a1": "KEY"}}', "active key id 'zz' is not in the keyring"),
        ('{"active": "a1", "keys": {"a1": "c2hvcnQ="}}', "must be 32 bytes, got 5"),
        ('{"active": "a 1", "keys": {"a 1": "KEY"}}', "invalid key id 'a 1'"),
        ('{"active": "a1", "keys": {"a1": 42}}', "not a base64 string"),
    ],
)
def test_malformed_key_files_are_refused_clearly(
    tmp_path: Path, content: str, message: str
) -> None:
    key = base64.b64encode(os.urandom(KEY_BYTES)).decode()
    path = tmp_path / "audit-keys.json"
    path.write_text(content.replace("KEY", key))
    with pytest.raises(AuditKeyError, match=message) as caught:
        Keyring.load_or_create(path)
    assert key not in str(caught.value)


def test_key_material_never_appears_in_repr_str_or_errors(tmp_path: Path) -> None:
    path = tmp_path / "audit-keys.json"
    ring, _ = Keyring.load_or_create(path)
    ring.rotate()
    ring.save(path)
    texts = [repr(ring), str(ring), f"{ring}", f"{ring!r}"]
    _, blob = ring.encrypt(b"payload", AAD)
    for kid, ciphertext, aad in [
        ("nope", blob, AAD),
        (ring.active_kid, blob, b"other"),
        (ring.active_kid, blob[:5], AAD),
    ]:
        with pytest.raises(AuditKeyError) as caught:
            ring.decrypt(kid, ciphertext, aad)
        texts.append("".join(traceback.format_exception(caught.value)))
    assert ring.active_kid in repr(ring)
    for secret in key_material(path):
        assert not any(secret in text for text in texts)


def test_a_keyring_is_a_key_provider_that_wraps_data_keys(keyring: Keyring) -> None:
    assert isinstance(keyring, KeyProvider)
    kid, wrapped = keyring.wrap(b"k" * 32, b"context-a")
    assert kid == keyring.active_kid
    assert keyring.unwrap(kid, wrapped, b"context-a") == b"k" * 32
    with pytest.raises(AuditKeyError, match="authentication failed"):
        keyring.unwrap(kid, wrapped, b"context-b")


def test_a_key_variable_may_hold_a_whole_keyring_for_rotation() -> None:
    ring = Keyring.generate()
    old = ring.active_kid
    new = ring.rotate()
    from_json = Keyring.from_secret(ring._to_json().decode())
    assert (from_json.active_kid, set(from_json.kids)) == (new, {old, new})
    single = Keyring.from_secret(base64.b64encode(b"\x01" * 32).decode())
    assert single.kids == ("env",)
    with pytest.raises(AuditKeyError, match="the key variable is not valid JSON"):
        Keyring.from_secret("{broken")


def test_retiring_keeps_the_active_key(keyring: Keyring) -> None:
    old = keyring.active_kid
    new = keyring.rotate()
    with pytest.raises(AuditKeyError, match="is active"):
        keyring.retire(new)
    keyring.retire(old)
    assert keyring.kids == (new,)
    with pytest.raises(AuditKeyError, match="unknown key id"):
        keyring.retire(old)
