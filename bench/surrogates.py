"""How often does the `fake` action's restoration give the app its values back? (issue 12)

    .venv/bin/python bench/surrogates.py [--prompts N] [--cuts K] [--json FILE]

The business texts of `bench/prompts.py` (N per language, about 1 KB each, English and
French: names, e-mail addresses, phones, IBANs, postal addresses) are analysed by Voile's own
detection engine (in this process, as a worker would) and masked under a policy whose every
type is `fake`, with the functions the relay uses (`proxy.masking.mask_texts`,
`proxy.restore`). Then:

- **echo**: the answer is the provider's text itself (what the echo tests do): restored
  whole, and streamed in K random cuttings (1 to 8 characters per piece); a prompt counts if
  the app gets it back exactly, a surrogate if its value came back in its place;
- **rephrasing**: for each surrogate of the texts, a one-sentence answer writes it as models
  do (capitals, a possessive, the surname alone, a number regrouped, the international form
  of a national number, ...), restored whole and streamed; it counts if the app reads
  exactly the value written the same way;
- **validity**: surrogates of phones and IBANs checked with phonenumbers and python-stdnum;
  and no surrogate occurs in its own prompt.

The report (markdown) goes to stdout; the figures are in bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import phonenumbers
from stdnum import iban

from bench import prompts
from proxy.detection.entities import SUPPORTED_ENTITIES
from proxy.masking import mask_texts
from proxy.placeholders import Vault
from proxy.policy import load_policy
from proxy.restore import Known, Restorer, restore_text
from proxy.surrogates import SurrogateIndex

POLICY = "languages: [en, fr]\nmin_score: 0.3\ndefault_action: fake\n"
SECRET = b"voile-bench-surrogates-app-secret"

# A rephrasing: (surrogate, value) -> (what the model writes, what the app must read), or
# None where it does not apply.
Rephrasing = Callable[[str, str], tuple[str, str] | None]


def _names(surrogate: str, value: str) -> tuple[list[str], list[str]] | None:
    s, v = surrogate.split(), value.split()
    return (s, v) if len(s) == len(v) >= 2 else None


def _person(make: Callable[[list[str]], str]) -> Rephrasing:
    def rephrase(surrogate: str, value: str) -> tuple[str, str] | None:
        names = _names(surrogate, value)
        return None if names is None else (make(names[0]), make(names[1]))

    return rephrase


def _plain(text: str) -> str:
    """Without accents, as a model writing ASCII does."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _compact(text: str) -> str:
    return re.sub(r"[\s.\-/]", "", text)


def _other_form(surrogate: str, value: str) -> tuple[str, str] | None:
    """A number written in its other form: international if it was national, and back."""
    for region in ("FR", "GB"):
        try:
            fake, real = phonenumbers.parse(surrogate, region), phonenumbers.parse(value, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(fake) and phonenumbers.is_valid_number(real):
            kind = phonenumbers.PhoneNumberFormat
            to = kind.NATIONAL if surrogate.startswith("+") else kind.INTERNATIONAL
            return phonenumbers.format_number(fake, to), phonenumbers.format_number(real, to)
    return None


REPHRASINGS: dict[str, dict[str, Rephrasing]] = {
    "PERSON": {
        "as written": lambda s, v: (s, v),
        "capitals": lambda s, v: (s.upper(), v.upper()),
        "possessive": lambda s, v: (s + "'s", v + "'s"),
        "title + surname": _person(lambda w: "M. " + w[-1]),
        "initial + surname": _person(lambda w: f"{w[0][0]}. {w[-1]}"),
        "surname in capitals": _person(lambda w: w[-1].upper()),
        "first name alone": _person(lambda w: w[0]),
        "SURNAME First": _person(lambda w: f"{w[-1].upper()} {w[0]}"),
        "lower case": lambda s, v: (s.lower(), v.lower()),
        # Forms restoration does not know (measured to show the limits):
        "accents dropped": lambda s, v: (_plain(s), _plain(v)) if _plain(s) != s else None,
        "first name + initial": _person(lambda w: f"{w[0]} {w[-1][0]}."),
    },
    "ADDRESS": {
        "as written": lambda s, v: (s, v),
        "capitals": lambda s, v: (s.upper(), v.upper()),
        "street alone": lambda s, v: (s.split(",")[0], v.split(",")[0]) if "," in s else None,
    },
    "EMAIL_ADDRESS": {
        "as written": lambda s, v: (s, v),
        "capitals": lambda s, v: (s.upper(), v.upper()),
        "mailto link": lambda s, v: (f"[{s}](mailto:{s})", f"[{v}](mailto:{v})"),
    },
    "PHONE_NUMBER": {
        "as written": lambda s, v: (s, v),
        "no separators": lambda s, v: (_compact(s), _compact(v)),
        "dots": lambda s, v: (s.replace(" ", "."), v.replace(" ", ".")),
        "the other form (+33 / 0)": _other_form,
    },
    "IBAN_CODE": {
        "as written": lambda s, v: (s, v),
        "no spaces": lambda s, v: (_compact(s), _compact(v)),
        "lower case": lambda s, v: (s.lower(), v.lower()),
    },
    "*": {
        "as written": lambda s, v: (s, v),
        "capitals": lambda s, v: (s.upper(), v.upper()),
    },
}


def streamed(text: str, known: Known, rng: random.Random) -> str:
    restorer = Restorer(known)
    out, position = [], 0
    while position < len(text):
        size = rng.randint(1, 8)
        out.append(restorer.feed(text[position : position + size]))
        position += size
    return "".join(out) + restorer.flush()


def run(count: int, cuts: int) -> dict[str, object]:
    from proxy.detection import engine  # noqa: PLC0415 - heavy: loads the models
    from proxy.detection.settings import DetectionSettings  # noqa: PLC0415

    engine.init_worker(DetectionSettings(workers=1).model_dump(mode="json"))
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "faking.yaml"
        path.write_text(POLICY)
        policy = load_policy(path, known_entities=SUPPORTED_ENTITIES, languages={"en", "fr"})
    rng = random.Random(12)
    echo = Counter[str]()
    rephrased: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    validity = Counter[str]()
    types = Counter[str]()
    placeholders = Counter[str]()
    mint_seconds = 0.0
    for language in prompts.LANGUAGES:
        for index in range(count):
            prompt = prompts.build_prompt(language, 1024, seed=prompts.SEED + index)
            [analysis] = engine.analyze_batch([prompt], ["en", "fr"])
            vault = Vault(SECRET)
            started = time.perf_counter()
            result = mask_texts([prompt], [analysis], policy, vault)
            [masked] = result.texts
            mint_seconds += time.perf_counter() - started
            known = Known(vault.value_of, SurrogateIndex.of(vault.surrogates()))
            faked = {s: v for s, v in vault.surrogates().items() if vault.type_of(s)}
            echo["prompts"] += 1
            echo["surrogates"] += sum(masked.count(s) for s in faked)
            # Values no generator can reproduce plausibly ("next Tuesday") get a placeholder.
            echo["values"] += sum(result.actions.values())
            for token in set(re.findall(r"<[A-Z_]+_[a-z2-9]{6}>", masked)):
                placeholders[vault.type_of(token) or "?"] += masked.count(token)
            whole, restored, _ = restore_text(masked, known)
            echo["whole exact"] += whole == prompt
            echo["whole restored"] += restored
            for _ in range(cuts):
                echo["streamed exact"] += streamed(masked, known, rng) == prompt
            echo["streamed runs"] += cuts
            for surrogate, value in faked.items():
                kind = vault.type_of(surrogate) or "?"
                types[kind] += 1
                validity["in its prompt"] += surrogate.casefold() in prompt.casefold()
                if kind == "IBAN_CODE":
                    validity["iban"] += 1
                    validity["iban valid"] += iban.is_valid(surrogate)
                if kind == "PHONE_NUMBER":
                    region = "FR" if language == "fr" else "GB"
                    if phonenumbers.is_valid_number(phonenumbers.parse(value, region)):
                        validity["phone"] += 1
                        number = phonenumbers.parse(surrogate, region)
                        validity["phone valid"] += phonenumbers.is_valid_number(number)
                    else:  # a fictitious original (555-01xx): a surrogate of its shape
                        validity["phone fictitious"] += 1
                table = REPHRASINGS.get(kind, REPHRASINGS["*"])
                for name, rephrase in table.items():
                    made = rephrase(surrogate, value)
                    if made is None:
                        continue
                    written, expected = made
                    answer, wanted = f"Note : {written}.", f"Note : {expected}."
                    counter = rephrased[(kind, name)]
                    counter["n"] += 1
                    counter["whole"] += restore_text(answer, known)[0] == wanted
                    counter["streamed"] += streamed(answer, known, rng) == wanted
    return {
        "echo": dict(echo),
        "rephrased": {f"{k}|{n}": dict(c) for (k, n), c in sorted(rephrased.items())},
        "validity": dict(validity),
        "types": dict(types),
        "placeholders": dict(placeholders),
        "mint_ms_per_prompt": 1000 * mint_seconds / max(1, echo["prompts"]),
    }


def _rate(part: int, whole: int) -> str:
    return f"{part}/{whole} ({100 * part / whole:.0f} %)" if whole else "-"


def report(results: dict[str, object]) -> str:
    echo: Counter[str] = Counter(results["echo"])  # type: ignore[arg-type]
    validity: Counter[str] = Counter(results["validity"])  # type: ignore[arg-type]
    lines = [
        "## Echo (the answer is the provider's own text)",
        "",
        "| | restored exactly |",
        "|---|---|",
        f"| prompts, whole | {_rate(echo['whole exact'], echo['prompts'])} |",
        "| prompts, streamed (random cuts) | "
        f"{_rate(echo['streamed exact'], echo['streamed runs'])} |",
        f"| values, whole | {_rate(echo['whole restored'], echo['values'])} |",
        "",
        f"{echo['surrogates']} surrogates and {echo['values'] - echo['surrogates']} "
        "placeholders (values no generator reproduces plausibly) in the provider's texts; "
        f"placeholders by type: {results['placeholders']}.",
        f"Distinct surrogates by type: {results['types']}; minting: "
        f"{results['mint_ms_per_prompt']:.1f} ms per 1 KB prompt (masking included).",
        "",
        "## Rephrasing (one surrogate written as models write it)",
        "",
        "| type | form | whole | streamed |",
        "|---|---|---|---|",
    ]
    for key, counts in results["rephrased"].items():  # type: ignore[attr-defined]
        kind, name = key.split("|")
        lines.append(
            f"| {kind} | {name} | {_rate(counts['whole'], counts['n'])} | "
            f"{_rate(counts['streamed'], counts['n'])} |"
        )
    lines += [
        "",
        "## Validity",
        "",
        f"- IBANs with valid check digits: {_rate(validity['iban valid'], validity['iban'])}",
        f"- phones valid for their country: {_rate(validity['phone valid'], validity['phone'])}"
        f" (and {validity['phone fictitious']} surrogates of fictitious numbers, of their shape)",
        f"- surrogates found in their own prompt: {validity['in its prompt']}",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--prompts", type=int, default=20, help="prompts per language")
    parser.add_argument("--cuts", type=int, default=5, help="random cuttings per echo")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = parser.parse_args()
    results = run(args.prompts, args.cuts)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    print(report(results))


if __name__ == "__main__":
    main()
