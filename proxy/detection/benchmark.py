"""Measure detection latency through the real pool: `python -m proxy.detection.benchmark`.

One worker, texts of about 200 B, 1 KB and 10 KB in English and French built from ordinary
sentences with some personal data in them; median and fastest of several runs each (the
fastest is the better guide on a machine busy with other work). It is a script, not
a test, because timings depend on the machine; DESIGN.md quotes its numbers.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

from proxy.detection.pool import PresidioDetector
from proxy.detection.settings import DetectionSettings

SAMPLES = {
    "en": (
        "Hello, my name is John Smith and I work in the London office of our company. "
        "Please send the revised contract to john.smith@example.com before Friday, or call "
        "me on +44 20 7946 0958. The client asked whether the delivery could be moved to "
        "next month; I told them we would confirm by email. Payment goes to IBAN "
        "GB82 WEST 1234 5698 7654 32 as usual. "
    ),
    "fr": (
        "Bonjour, je m'appelle Jean Dupont et je travaille au bureau de Lyon. Merci "
        "d'envoyer le contrat révisé à jean.dupont@exemple.fr avant vendredi, ou de "
        "m'appeler au 06 12 34 56 78. Le client demande si la livraison peut être décalée "
        "au mois prochain ; nous confirmerons par courriel. Le virement se fait sur l'IBAN "
        "FR76 3000 6000 0112 3456 7890 189 (société SIREN 732 829 320). "
    ),
}
SIZES = (200, 1_000, 10_000)


def sample(language: str, size: int) -> str:
    """About `size` characters of `language` text, cut at a word boundary."""
    base = SAMPLES[language]
    text = base * (size // len(base) + 1)
    return text[:size].rsplit(" ", 1)[0]


async def measure(runs: int) -> dict[tuple[str, int], list[float]]:
    """Milliseconds per text, every run, per (language, size)."""
    detector = PresidioDetector(DetectionSettings(workers=1, timeout_seconds=60))
    await detector.start()
    timings: dict[tuple[str, int], list[float]] = {}
    try:
        for language in SAMPLES:
            for size in SIZES:
                text = sample(language, size)
                await detector.analyze([text], [language])  # first call warms caches
                durations = []
                for _ in range(runs):
                    started = time.perf_counter()
                    await detector.analyze([text], [language])
                    durations.append((time.perf_counter() - started) * 1000)
                timings[language, size] = durations
    finally:
        await detector.close()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    timings = asyncio.run(measure(args.runs))
    print("language    size  median ms  min ms")
    for (language, size), runs in timings.items():
        print(f"{language:8s}  {size:6d}  {statistics.median(runs):9.1f}  {min(runs):6.1f}")


if __name__ == "__main__":
    main()
