"""One digest per corpus part of every finding Voile's engine makes: proof that a change
meant only to make detection faster changes no finding (issue 13).

    .venv/bin/python bench/findings_digest.py [--parts dev,holdout] [--no-prompts]

Runs the worker's engine (`proxy.detection.engine.analyze_batch`, the policy's candidate
languages) in this process on every text of each part of the evaluation corpus
(`bench/eval.py`'s loader and `PARTS`), plus the long generated business texts of the
benchmarks (`prompts`: `bench/prompts.py`, 1, 10 and 30 KB, English and French), and prints
per part the number of texts, of findings and a sha256 of the findings: per text, its id and
its findings sorted by (start, end, type, score rounded to 4 decimals). Run it before and
after a change: every line must stay the same.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import prompts  # noqa: E402 - after the path fix
from bench.eval import CANDIDATES, PARTS, load_corpus  # noqa: E402 - after the path fix

PROMPT_SIZES = (1024, 10240, 30720)
PROMPTS_PART = "prompts"


def digest(texts: Iterable[tuple[str, str]], candidates: Sequence[str]) -> tuple[int, int, str]:
    """Texts, findings and the sha256 of the findings of (id, text) pairs."""
    from proxy.detection import engine  # noqa: PLC0415 - heavy

    hasher = hashlib.sha256()
    count = found = 0
    for text_id, text in sorted(texts):
        (analysis,) = engine.analyze_batch([text], list(candidates))
        rows = sorted((f.start, f.end, f.entity_type, round(f.score, 4)) for f in analysis.findings)
        hasher.update(json.dumps([text_id, rows]).encode())
        hasher.update(b"\n")
        count += 1
        found += len(rows)
    return count, found, hasher.hexdigest()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--parts", default=",".join(PARTS), help="comma-separated corpus parts")
    parser.add_argument("--no-prompts", action="store_true", help="skip the generated prompts")
    args = parser.parse_args(argv)
    from proxy.detection import engine  # noqa: PLC0415 - heavy
    from proxy.detection.settings import DetectionSettings  # noqa: PLC0415

    engine.init_worker(DetectionSettings(workers=1).model_dump(mode="json"))
    for part in args.parts.split(","):
        samples = load_corpus(parts=[part])
        count, found, sha = digest(((s.id, s.text) for s in samples), CANDIDATES)
        print(f"{part:<12} {count:>5} texts {found:>6} findings {sha}", flush=True)
    if not args.no_prompts:
        texts = [
            (f"{language}-{size}", prompts.build_prompt(language, size))
            for language in ("en", "fr")
            for size in PROMPT_SIZES
        ]
        count, found, sha = digest(texts, CANDIDATES)
        print(f"{PROMPTS_PART:<12} {count:>5} texts {found:>6} findings {sha}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
