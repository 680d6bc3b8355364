"""`voile-keys DIR`: the keys that every replica of one deployment must share, made once.

A single `voile serve` creates its keys in `DATA_DIR/keys` on first run. Replicas must not:
each would make its own, and then

1. the placeholder key differs, so the same value gets another token on each replica (the
   provider sees an inconsistent conversation) and a replica cannot open what another put
   in the conversation vault (its key is derived from this one);
2. the audit key-encryption key differs, so a replica cannot unwrap the chain's MAC key and
   data keys another one wrapped (it refuses to start: `check_keys`);
3. the checkpoint signing key differs, so `voile audit verify`, given one replica's key,
   calls the others' checkpoints invalid.

So the keys are made once, by this command, and handed to every replica as the same
read-only `DATA_DIR/keys` directory (a Kubernetes Secret, a Docker volume). The file names
and formats are the ones `voile serve` reads there; it creates nothing when they exist.
Files are 0600; nothing is overwritten; the public half of the signing key is printed for
`voile audit verify --public-key` on a verifier's machine. Key material is never printed.
"""

from __future__ import annotations

import argparse
import secrets
import sys
from pathlib import Path

from audit._files import write_private
from audit.checkpoints import SigningKeys
from audit.keys import Keyring

PLACEHOLDER_KEY = "placeholder.key"  # hex of 32 bytes (proxy.app.load_secret)
AUDIT_KEYS = "audit-keys.json"  # the KEK ring (Config.audit_key_file's default name)
AUDIT_SIGNING = "audit-signing.json"  # Ed25519 (Config.audit_signing_key_file's default name)
KEY_FILES = (PLACEHOLDER_KEY, AUDIT_KEYS, AUDIT_SIGNING)


class KeysIncomplete(Exception):
    """Some key files exist and some do not: completing the set would split a deployment."""


def create_keys(directory: Path) -> bool:
    """Create the three key files in `directory`; False if all of them were already there
    (nothing is touched). A partial set is an error: a missing file is restored from a
    backup, never made anew beside keys that records already depend on."""
    present = [name for name in KEY_FILES if (directory / name).exists()]
    if len(present) == len(KEY_FILES):
        return False
    if present:
        missing = [name for name in KEY_FILES if name not in present]
        raise KeysIncomplete(
            f"{directory} holds {', '.join(present)} but not {', '.join(missing)}: restore "
            "the missing files from a backup (new ones would not match the trail)"
        )
    placeholder = secrets.token_bytes(32).hex().encode()
    written = [
        write_private(directory / PLACEHOLDER_KEY, placeholder, replace=False),
        Keyring.load_or_create(directory / AUDIT_KEYS)[1],
        SigningKeys.load_or_create(directory / AUDIT_SIGNING)[1],
    ]
    if not all(written):  # another process created one meanwhile
        raise KeysIncomplete(f"{directory}: key files appeared while they were being created")
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="voile-keys",
        description="Create the keys every replica of one deployment shares (the contents "
        "of DATA_DIR/keys): placeholder key, audit key-encryption keys, checkpoint signing "
        "key. Does nothing if they all exist; never overwrites.",
    )
    parser.add_argument("directory", type=Path, help="where to write them (created 0700)")
    args = parser.parse_args(argv)
    directory: Path = args.directory
    try:
        created = create_keys(directory)
    except (KeysIncomplete, OSError) as exc:
        print(f"voile-keys: {exc}", file=sys.stderr)
        return 1
    print(
        f"voile-keys: {'created' if created else 'kept the existing'} "
        f"{', '.join(KEY_FILES)} in {directory}; back them up: without them audit payloads "
        "cannot be read. Checkpoint verification keys (voile audit verify --public-key):",
        file=sys.stderr,
    )
    for line in SigningKeys.load(directory / AUDIT_SIGNING).public_text():
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
