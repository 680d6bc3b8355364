"""The template syntax (no Faker here: the corpus test reads the templates too).

A template set is one string: blocks that each start with a header line
`## <domain>/<style> [genders]` (genders: one letter per person, `f` or `m`, `x` for any),
followed by the template text. Slots are `{kind}`, `{kind2}` (second person, second
phone…), `{kind:ARG}` (a country, region, issuer or format) and `{kind!mod}` (an evasion
form).
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass

PREFIX = {"tuning": "tu", "holdout_v2": "h2"}
MODULE = {"tuning": "tuning", "holdout_v2": "holdout"}

SLOT = re.compile(r"\{([a-zA-Z_]+?)(\d?)(?::([A-Za-z_0-9]+))?(?:!([a-z_]+))?\}")
HEADER = re.compile(r"^## ([a-z]+)/([a-z]+)(?: ([fmx]+))?\s*$")


@dataclass(frozen=True)
class Template:
    id: str
    domain: str
    style: str
    genders: str
    text: str

    @property
    def evasive(self) -> bool:
        return any(m.group(4) for m in SLOT.finditer(self.text))


def parse_templates(source: str, prefix: str) -> list[Template]:
    """`prefix` names the set (`tu-en`): template ids are `tu-en-t01`, `tu-en-t02`, …"""
    out: list[Template] = []
    header: re.Match[str] | None = None
    body: list[str] = []

    def flush() -> None:
        if header is None:
            return
        text = "\n".join(body).strip("\n")
        assert text, header.group(0)
        out.append(
            Template(
                f"{prefix}-t{len(out) + 1:02d}",
                header.group(1),
                header.group(2),
                header.group(3) or "",
                text,
            )
        )

    for line in source.splitlines():
        match = HEADER.match(line)
        if match:
            flush()
            header, body = match, []
        elif line.startswith("## "):
            raise ValueError(f"bad header: {line!r}")
        elif header is not None:
            body.append(line)
    flush()
    return out


def load(lang: str, part: str) -> list[Template]:
    """The template set of one language and part (`templates/<lang>_<tuning|holdout>.py`)."""
    module = importlib.import_module(f"{__package__}.templates.{lang}_{MODULE[part]}")
    return parse_templates(module.TEMPLATES, f"{PREFIX[part]}-{lang}")
