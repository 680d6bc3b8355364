"""A detection worker's CPU per KB of text (issue 13, item 4), alone or paired with the code
of another commit.

    .venv/bin/python bench/worker_cpu.py                           # this checkout, one line
    .venv/bin/python bench/worker_cpu.py --base 3c29c20 --pairs 4  # the base and this, in turn
    .venv/bin/python bench/worker_cpu.py --profile /tmp/worker     # cProfile, 2 files

In-process, the engine a worker runs (`engine.analyze_batch`, the default policy's five
candidate languages) on two workloads: every text of a few corpus parts (`--parts`; short
texts, the fixed cost of each recognizer weighs), and the pieces the pool cuts the bench's 1
KB and 10 KB English and French prompts into (`bench/prompts.py`, `chunk_chars`). For the
prompts, the bare spaCy NER pass (the workers' NER-only pipeline, `nlp.load_ner_pipeline`)
on the same pieces too: the floor issue 13 measures against. Figures are CPU milliseconds
(`time.process_time`) per KB, the minimum and the median of the rounds after one warm-up:
CPU time, not wall time, since other sessions share the two cores.

`--base COMMIT`: the code of COMMIT (`git archive`, `servers.source_copy`) and this checkout
run as separate processes in turn, base first, `--pairs` times; each workload's ratio
(this / base, minima) is taken pair by pair and its median printed: the machine's drift hits
both sides of a pair alike. For the prompts, the same ratio with each side first divided by
its own bare NER pass, which takes out what drift remains between the two processes.

`--pythonpath DIRS` / `--base-pythonpath DIRS`: put DIRS first on `PYTHONPATH` for this
checkout's side / the base's side only, so that the pairing can compare installed packages
instead of commits (e.g. another spaCy release unpacked from its wheel, `--base HEAD`). Each
side's spaCy version is printed.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PARTS = "dev,holdout,tuning_v10,holdout_v7"
PROMPT_SIZES = (1024, 10240)
PROMPT_ROUNDS = 7


def _rounds(analyse: Callable[[str], object], texts: Sequence[str], rounds: int) -> list[float]:
    """CPU ms per KB of `texts` for each of `rounds` rounds, after a warm-up, sorted."""
    kilobytes = sum(len(text.encode()) for text in texts) / 1024
    for text in texts:
        analyse(text)
    times = []
    for _ in range(rounds):
        started = time.process_time()
        for text in texts:
            analyse(text)
        times.append((time.process_time() - started) * 1000 / kilobytes)
    return sorted(times)


def measure(source: Path, parts: str, corpus_rounds: int, profile: str | None) -> dict[str, float]:
    """Each workload's minimum and median CPU ms per KB, for the code in `source`."""
    sys.path.insert(0, str(source))
    from bench import prompts  # noqa: PLC0415 - from `source`
    from bench.eval import CANDIDATES, load_corpus  # noqa: PLC0415
    from proxy.detection import chunking, engine  # noqa: PLC0415
    from proxy.detection.nlp import load_ner_pipeline  # noqa: PLC0415
    from proxy.detection.settings import DetectionSettings  # noqa: PLC0415

    settings = DetectionSettings(workers=1)
    engine.init_worker(settings.model_dump(mode="json"))
    pipelines = {lang: load_ner_pipeline(model) for lang, model in settings.spacy_models.items()}
    candidates = list(CANDIDATES)

    def analyse(text: str) -> object:
        return engine.analyze_batch([text], candidates)

    workloads: dict[str, tuple[str | None, list[str]]] = {
        "corpus": (None, [sample.text for sample in load_corpus(parts=parts.split(","))])
    }
    for language in ("en", "fr"):
        for size in PROMPT_SIZES:
            text = prompts.build_prompt(language, size)
            spans = chunking.spans(text, settings.chunk_chars, settings.overlap_chars)
            workloads[f"{language}-{size // 1024}KB"] = (language, [text[a:b] for a, b in spans])
    if profile is not None:
        import cProfile  # noqa: PLC0415

        for _, texts in workloads.values():  # warm-up: lazy imports, caches
            for text in texts:
                analyse(text)
        for family in ("corpus", "prompts"):
            profiler = cProfile.Profile()
            profiler.enable()
            for name, (_, texts) in workloads.items():
                if (name == "corpus") == (family == "corpus"):
                    for text in texts:
                        analyse(text)
            profiler.disable()
            profiler.dump_stats(f"{profile}.{family}.prof")
        return {}
    import spacy  # noqa: PLC0415 - from the side's own path

    figures: dict[str, float] = {"load_before": os.getloadavg()[0]}
    # The micro version of spaCy 3.8.x (the figures are numbers), printed by `paired`.
    figures["spacy_micro"] = float(spacy.__version__.split(".")[-1])
    for name, (language, texts) in workloads.items():
        rounds = corpus_rounds if language is None else PROMPT_ROUNDS
        times = _rounds(analyse, texts, rounds)
        figures[name], figures[f"{name} median"] = times[0], statistics.median(times)
        if language is not None:
            ner = _rounds(pipelines[language], texts, rounds)
            figures[f"{name} ner"], figures[f"{name} ner median"] = ner[0], statistics.median(ner)
    figures["load_after"] = os.getloadavg()[0]
    return figures


def _run(source: Path, args: argparse.Namespace, pythonpath: str | None) -> dict[str, float]:
    """`measure` in a new process (so that each side imports its own code), with
    `pythonpath` first on its `PYTHONPATH`."""
    command = [sys.executable, "-P", __file__, "--source", str(source), "--json"]
    command += ["--parts", args.parts, "--corpus-rounds", str(args.corpus_rounds)]
    env = dict(os.environ)
    if pythonpath:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [pythonpath, env.get("PYTHONPATH")]))
    output = subprocess.run(
        command, check=True, capture_output=True, text=True, timeout=3600, env=env
    )
    figures: dict[str, float] = json.loads(output.stdout.strip().splitlines()[-1])
    return figures


def paired(args: argparse.Namespace) -> None:
    """The base and this checkout in turn; per workload the pairs' ratios and their median."""
    sys.path.insert(0, str(ROOT))
    from bench.servers import source_copy  # noqa: PLC0415 - after the path fix

    with tempfile.TemporaryDirectory(prefix="voile-base-") as directory:
        base = source_copy(args.base, Path(directory))
        pairs = [
            (_run(base, args, args.base_pythonpath), _run(ROOT, args, args.pythonpath))
            for _ in range(args.pairs)
        ]
    skipped = ("load", "spacy_micro")
    names = [
        name
        for name in pairs[0][0]
        if not name.endswith("median") and not any(word in name for word in skipped)
    ]
    loads = " ".join(f"{base_figures['load_before']:.1f}" for base_figures, _ in pairs)
    print(
        f"spaCy 3.8.{pairs[0][0]['spacy_micro']:.0f} (base) /"
        f" 3.8.{pairs[0][1]['spacy_micro']:.0f} (this); load average"
        f" {pairs[0][0]['load_before']:.2f} -> {pairs[-1][1]['load_after']:.2f}"
        f" (at each pair's start: {loads})"
    )
    print(
        "| workload | base ms/KB (min per pair) | this ms/KB | this / base, median"
        " | the same, each side per its NER pass |"
    )
    print("|---|---|---|---:|---:|")
    for name in names:
        before = [base_figures[name] for base_figures, _ in pairs]
        after = [new_figures[name] for _, new_figures in pairs]
        ratio = statistics.median(a / b for a, b in zip(after, before, strict=True))
        print(
            f"| {name} | {' '.join(f'{b:.2f}' for b in before)} | "
            f"{' '.join(f'{a:.2f}' for a in after)} | {ratio:.3f} | {_per_ner(pairs, name)} |"
        )


def _per_ner(pairs: list[tuple[dict[str, float], dict[str, float]]], name: str) -> str:
    """For a prompt workload, the median over pairs of (this / its NER) / (base / its NER):
    the drift of the machine between the two processes of a pair (the bare NER pass, which
    neither side changes, moves too) taken out. Empty for the others."""
    ner = f"{name} ner"
    if ner not in pairs[0][0]:
        return ""
    ratios = [(new[name] / new[ner]) / (base[name] / base[ner]) for base, new in pairs]
    return f"{statistics.median(ratios):.3f}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", help="a commit to pair this checkout with")
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--pythonpath", help="DIRS first on PYTHONPATH for this side only")
    parser.add_argument("--base-pythonpath", help="DIRS first on PYTHONPATH for the base only")
    parser.add_argument("--parts", default=PARTS, help="comma-separated corpus parts")
    parser.add_argument("--corpus-rounds", type=int, default=2)
    parser.add_argument(
        "--profile",
        help="PREFIX: cProfile one round of the corpus and of the prompts, after a"
        " warm-up, into PREFIX.corpus.prof and PREFIX.prompts.prof",
    )
    parser.add_argument("--source", type=Path, default=ROOT, help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.base:
        paired(args)
        return 0
    figures = measure(args.source, args.parts, args.corpus_rounds, args.profile)
    if args.json:
        print(json.dumps(figures))
    elif figures:
        print(" | ".join(f"{name} {value:.2f}" for name, value in figures.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
