"""Rotating the audit key-encryption key while several replicas run, as docs/deploy.md says:
in two rollouts. A replica still on the old key file cannot unwrap a data key that a replica
on the new one created and wrapped under the new KEK, so it could not record that end user's
requests (503) until it is replaced. Publishing the new key first, *not active*, then making
it active in a second rollout, leaves no such window."""

from __future__ import annotations

import base64
import json
import os

import pytest

from audit.errors import AuditError
from audit.keys import Keyring
from audit.store import AuditStore
from tests.audit.support import make_event, postgres_url

pytestmark = pytest.mark.postgres


def ring(document: dict[str, object]) -> Keyring:
    return Keyring.from_secret(json.dumps(document))


def new_key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


def test_a_kek_activated_in_one_step_locks_old_replicas_out_two_steps_do_not(
    pg_schema: str,
) -> None:
    url = postgres_url(pg_schema)
    old_key, added = new_key(), new_key()
    before = {"active": "k1", "keys": {"k1": old_key}}
    published = {"active": "k1", "keys": {"k1": old_key, "k2": added}}  # rollout 1
    activated = {"active": "k2", "keys": {"k1": old_key, "k2": added}}  # rollout 2
    with AuditStore(url, ring(before)) as first:
        first.create_schema()
        first.write(make_event(request_id="req-before", end_user="alice"))

    # One step: a replica on the new file records a new end user (a new data key, under k2);
    # a replica still on the old file then cannot record that end user's next request.
    with AuditStore(url, ring(activated)) as new, AuditStore(url, ring(before)) as old:
        new.write(make_event(request_id="req-new-1", end_user="bob"))
        with pytest.raises(AuditError, match="k2"):
            old.write(make_event(request_id="req-old-1", end_user="bob"))

    # Two steps: while the new key is published but not active, data keys are still wrapped
    # under k1, which every replica has; once every replica holds k2, it becomes active.
    with AuditStore(url, ring(published)) as rolled, AuditStore(url, ring(before)) as old:
        rolled.write(make_event(request_id="req-rolled-1", end_user="carol"))
        old.write(make_event(request_id="req-old-2", end_user="carol"))
    with AuditStore(url, ring(activated)) as new, AuditStore(url, ring(published)) as rolled:
        new.write(make_event(request_id="req-new-2", end_user="dave"))
        rolled.write(make_event(request_id="req-rolled-2", end_user="dave"))
        assert new.verify().ok
