"""Load a YAML file into a pydantic model with errors that name file, line and field.

Security teams edit policies by hand; an error must point at the line to fix and say what
would be valid, e.g. ``policies/hr.yaml:14 rules[2].action: 'mask2' is not one of mask,
redact, hash, block, allow``. PyYAML's composed node tree keeps line numbers, so we record the
line of every path while building plain data, then translate pydantic's error locations.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)

Path_ = tuple[str | int, ...]


class ConfigError(Exception):
    """A configuration or policy file is invalid. The message is meant for a human."""


def _record_lines(
    loader: yaml.SafeLoader, node: yaml.Node, path: Path_, lines: dict[Path_, int]
) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: set[Any] = set()
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node)
            if key in seen:
                line = key_node.start_mark.line + 1
                raise ConfigError(f"{line} duplicate key {key!r}")
            seen.add(key)
            _record_lines(loader, value_node, (*path, key), lines)
            lines[(*path, key)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_lines(loader, item, (*path, index), lines)


def _format_path(path: Path_) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


def _describe(error: dict[str, Any]) -> str:
    kind = error["type"]
    given = error.get("input")
    ctx = error.get("ctx") or {}
    if kind in {"literal_error", "enum"}:
        expected = str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")
        return f"{given!r} is not one of {expected}"
    if kind == "extra_forbidden":
        return "unknown key (check the spelling; see the reference in README.md)"
    if kind == "missing":
        return "required key is missing"
    return str(error["msg"]).removeprefix("Value error, ")


def _line_for(loc: Path_, lines: dict[Path_, int]) -> int:
    # Pydantic's location may go deeper than the YAML (a missing key): use the closest parent.
    for depth in range(len(loc), -1, -1):
        if loc[:depth] in lines:
            return lines[loc[:depth]]
    return 1


def _iter_messages(origin: str, error: ValidationError, lines: dict[Path_, int]) -> Iterator[str]:
    for item in error.errors():
        loc: Path_ = tuple(part for part in item["loc"] if not _is_union_tag(part))
        yield f"{origin}:{_line_for(loc, lines)} {_format_path(loc)}: {_describe(dict(item))}"


def _is_union_tag(part: str | int) -> bool:
    # Pydantic inserts the name of a tagged-union member or a function validator in loc.
    return isinstance(part, str) and (part.startswith("function-") or "[" in part)


def parse_yaml(text: str, origin: str) -> tuple[Any, dict[Path_, int]]:
    """Plain data plus a map from every path in it to its 1-based line."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return {}, {}
        lines: dict[Path_, int] = {}
        _record_lines(loader, node, (), lines)
        data = loader.construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(f"{origin}:{line} invalid YAML: {problem}") from None
    except ConfigError as exc:
        raise ConfigError(f"{origin}:{exc}") from None
    finally:
        loader.dispose()
    return data, lines


def validate_data(
    model: type[M],
    data: Any,
    lines: dict[Path_, int],
    origin: str,
    context: dict[str, Any] | None = None,
) -> M:
    """Validate data parsed by `parse_yaml` as `model`; ConfigError lists every problem by
    line."""
    try:
        return model.model_validate(data, context=context)
    except ValidationError as exc:
        raise ConfigError("\n".join(_iter_messages(origin, exc, lines))) from None


def line_of(lines: dict[Path_, int], path: Path_) -> int:
    """The line of `path` in a file parsed by `parse_yaml`, or of its closest parent."""
    return _line_for(path, lines)


def load_model(model: type[M], text: str, origin: str, context: dict[str, Any] | None = None) -> M:
    """Validate YAML `text` as `model`; raise ConfigError listing every problem by line."""
    data, lines = parse_yaml(text, origin)
    return validate_data(model, data, lines, origin, context)


def load_model_file(model: type[M], path: Path, context: dict[str, Any] | None = None) -> M:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
    return load_model(model, text, str(path), context)
