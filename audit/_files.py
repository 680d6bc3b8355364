"""Private files and directories for secrets and the embedded database.

Keys and audit data are created readable by their owner only, whatever the umask, and a
key file is never left half-written: a crash or a second process starting at the same time
must not leave a key file that loses the key for records already written.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


def make_private_dirs(directory: Path) -> None:
    """Create `directory` and its missing parents as 0700; existing ones are left alone.

    Only directories we create get their mode set: tightening a directory the operator
    made (say `/var/lib`) is not ours to do.
    """
    missing: list[Path] = []
    current = directory
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for path in reversed(missing):
        with contextlib.suppress(FileExistsError):  # another process made it meanwhile
            path.mkdir(mode=PRIVATE_DIR_MODE)
            os.chmod(path, PRIVATE_DIR_MODE)  # mkdir's mode is filtered by the umask


def touch_private(path: Path) -> None:
    """Create `path` empty as 0600 if it does not exist (SQLite then keeps its mode)."""
    make_private_dirs(path.parent)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE))


def write_private(path: Path, data: bytes, *, replace: bool) -> bool:
    """Write `data` to `path` as 0600, atomically; return False if it existed and not `replace`.

    The bytes go to a temporary file that is flushed to disk first, then either renamed over
    `path` (`replace`) or hard-linked to it, which fails if `path` exists: of two processes
    creating a key file at once, exactly one wins and the other reads the winner's keys.
    """
    make_private_dirs(path.parent)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        if replace:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)
            except FileExistsError:
                return False
        _fsync_dir(path.parent)
        return True
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _fsync_dir(directory: Path) -> None:
    """Make the new directory entry itself durable, not only the file's bytes."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
