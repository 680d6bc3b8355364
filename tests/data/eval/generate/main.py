"""Write the tuning and holdout_v2 parts of the evaluation corpus.

    .venv/bin/python -m tests.data.eval.generate           # (re)write the jsonl files
    .venv/bin/python -m tests.data.eval.generate --check   # exit 1 if they differ from the code

Each part has its own template sets (`templates/<lang>_tuning.py`, `templates/<lang>_holdout.py`,
written separately), its own halves of the name, town, street, country and product pools
(`split.part_of`) and its own seed; the tuning part is generated first and any holdout text
holding a value already used in the tuning part is drawn again.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

from .render import Rendered, Template, render
from .split import value_keys
from .templating import load
from .values import Pools

EVAL_DIR = Path(__file__).resolve().parents[1]
LANGS = ("en", "fr", "de", "es", "it")
SEEDS = {"tuning": 1_0001, "holdout_v2": 2_0002}
# texts per language and part: labelled (evasive ones count twice: the evasion and its plain
# twin), and benign
LABELLED = 170
BENIGN = 40
EVASIVE = 10  # evasive templates rendered per language and part (each gives two texts)


def _keys(rendered: Rendered) -> set[str]:
    keys = set(rendered.keys)
    for value, entity_type in rendered.values:
        keys |= value_keys(value, entity_type)
    return keys


def _draw(
    template: Template,
    pools: Pools,
    lang: str,
    rng: random.Random,
    forbidden: set[str],
    seen_texts: set[str],
) -> tuple[Rendered, Rendered | None]:
    for _ in range(200):
        rendered, filler = render(template, pools, lang, rng)
        twin: Rendered | None = None
        if template.evasive:
            twin, _ = render(template, pools, lang, rng, plain=True, filler=filler)
        keys = _keys(rendered) | (_keys(twin) if twin else set())
        if keys & forbidden or rendered.text in seen_texts:
            continue
        return rendered, twin
    raise RuntimeError(f"{template.id}: every draw reuses a value of the other part")


def _cycle(items: list[Template], count: int, rng: random.Random) -> list[Template]:
    out: list[Template] = []
    while len(out) < count:
        batch = list(items)
        rng.shuffle(batch)
        out.extend(batch)
    return out[:count]


def build_part(part: str, forbidden: set[str]) -> tuple[dict[str, list[dict[str, str]]], set[str]]:
    """Rows per language, and the keys of every labelled value the part holds."""
    pools = Pools(part)
    rng = random.Random(SEEDS[part])
    rows: dict[str, list[dict[str, str]]] = {}
    used: set[str] = set()
    for lang in LANGS:
        sets = load(lang, part)
        benign = [t for t in sets if t.domain == "benign"]
        evasive = [t for t in sets if t.evasive]
        labelled = [t for t in sets if t.domain != "benign" and not t.evasive]
        plan = (
            _cycle(labelled, LABELLED - 2 * EVASIVE, rng)
            + _cycle(evasive, EVASIVE, rng)
            + _cycle(benign, BENIGN, rng)
        )
        seen: set[str] = set()
        out: list[dict[str, str]] = []
        counter: dict[str, int] = {}
        for template in plan:
            rendered, twin = _draw(template, pools, lang, rng, forbidden, seen)
            if template.domain == "benign" and rendered.values:
                raise ValueError(f"{template.id}: a benign template holds labelled values")
            if template.domain != "benign" and not rendered.values:
                raise ValueError(f"{template.id}: no labelled value")
            seen.add(rendered.text)
            used |= _keys(rendered) | (_keys(twin) if twin else set())
            counter[template.id] = counter.get(template.id, 0) + 1
            sample_id = f"{template.id}-{counter[template.id]}"
            domain = "evasion" if twin else template.domain
            out.append(_row(sample_id, lang, domain, template, rendered.text))
            if twin:
                out.append(_row(sample_id + "p", lang, "plain", template, twin.text))
        rows[lang] = out
    return rows, used


def _row(sample_id: str, lang: str, domain: str, template: Template, text: str) -> dict[str, str]:
    return {
        "id": sample_id,
        "lang": lang,
        "domain": domain,
        "style": template.style,
        "template": template.id,
        "text": text,
    }


def build() -> dict[str, dict[str, list[dict[str, str]]]]:
    tuning, used = build_part("tuning", set())
    holdout, _ = build_part("holdout_v2", used)
    return {"tuning": tuning, "holdout_v2": holdout}


def serialise(rows: list[dict[str, str]]) -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--check", action="store_true", help="compare with the files, write nothing"
    )
    args = parser.parse_args(argv)
    corpus = build()
    differ = []
    for part, by_lang in corpus.items():
        directory = EVAL_DIR / part
        for lang, rows in by_lang.items():
            path = directory / f"{lang}.jsonl"
            text = serialise(rows)
            if args.check:
                if not path.exists() or path.read_text(encoding="utf-8") != text:
                    differ.append(str(path))
                continue
            directory.mkdir(exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"{path.relative_to(EVAL_DIR)}: {len(rows)} texts", file=sys.stderr)
    if differ:
        print("out of date: " + ", ".join(differ), file=sys.stderr)
        return 1
    return 0
