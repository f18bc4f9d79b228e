"""Scenario files: load, resolve ``extends:``, validate, fill defaults.

A scenario is a YAML file that sets some parameters of :mod:`sim.core.params` and leaves the
rest at their documented defaults::

    name: wigan_deal
    description: The Wigan Deal on a small town
    extends: baseline            # a path relative to this file, or a bundled name
    municipality: {citizens: 20000}
    uncertainties: {initial_trust: 0.5}
    levers: {logic_cocreation: 0.7, community_fund: 30}
    mechanisms: {burnout: true}
    deal:
      council:
        - {promise: help_communities, level: 30, weight: 1.0}
      citizens: {expected_hours: 0.5}
    years: 10

``extends`` chains are merged deep: a child overrides only the keys it sets, except that a
``deal.council`` list is replaced whole. ``name`` and ``description`` describe the file
itself and are not inherited (``name`` defaults to the file's stem).

Type and range checking is done by pydantic models built from the parameter registry.
Every pydantic error is mapped back to the file and line it came from, and all problems
are collected into one :class:`ScenarioError`, whose ``str()`` has one line per problem::

    scenarios/broken.yaml:12: levers.outreach: 1.7 is out of range; allowed 0 to 1 (-)
"""

from __future__ import annotations

import copy
import difflib
import hashlib
import json
import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    ValidationError,
    ValidationInfo,
    create_model,
    field_validator,
)
from pydantic_core import PydanticCustomError

from sim.core.io import InputError, bundled_dir, excerpt, printable, read_input_text
from sim.core.params import (
    CONSTRAINTS,
    MECHANISM_NAMES,
    MECHANISMS,
    PARAM_BY_NAME,
    PROMISE_KINDS,
    SECTIONS,
    WEEKS_PER_YEAR,
    Param,
    params_in,
)

__all__ = [
    "DEFAULT_YEARS",
    "NAME_MAX_CHARS",
    "NAME_PATTERN",
    "WEEKS_PER_YEAR",
    "Problem",
    "Scenario",
    "ScenarioError",
    "bundled_scenarios",
    "context_values",
    "default_scenario",
    "load_scenario",
    "read_yaml_document",
    "scenarios_dir",
    "validation_problems",
]

Value = int | float | bool
"""The value of one parameter."""


DEFAULT_YEARS = 10
"""Simulated years when a scenario does not set ``years``."""

YEARS_RANGE = (1, 100)
PROMISE_LEVEL_MAX = 1.0
"""Every promise level is a share of what citizens experience (see ``PROMISE_KINDS``)."""

KEY_PATH_CHARS = 80
"""Most characters of a key path a message shows (a key is input, and may be long)."""

YAML_MESSAGE_CHARS = 120
"""Most characters of a YAML parser's own message that a problem shows."""

TOP_LEVEL_KEYS: tuple[str, ...] = (
    "name",
    "description",
    "extends",
    *SECTIONS,
    "mechanisms",
    "deal",
    "years",
)

_SECTION_NOUN: dict[str, tuple[str, str]] = {
    "municipality": ("municipality parameter", "a municipality parameter"),
    "uncertainties": ("uncertainty", "an uncertainty"),
    "levers": ("lever", "a lever"),
}


# --------------------------------------------------------------------------- problems


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario.

    Attributes:
        file: the file the problem is in, as shown to the user (or ``"<dict>"``).
        line: 1-based line number, or ``None`` when unknown.
        key_path: dotted path of the offending key, e.g. ``levers.outreach`` or
            ``deal.council[1].level``; empty for whole-file problems.
        message: what is wrong, in words.
    """

    file: str
    line: int | None
    key_path: str
    message: str

    def __str__(self) -> str:
        file = printable(self.file)
        where = f"{file}:{self.line}" if self.line is not None else file
        message = printable(self.message)
        if self.key_path:
            return f"{where}: {excerpt(self.key_path, KEY_PATH_CHARS)}: {message}"
        return f"{where}: {message}"


class ScenarioError(Exception):
    """A scenario could not be loaded; holds every problem found.

    Attributes:
        problems: the problems, in file order.
    """

    def __init__(self, problems: list[Problem]) -> None:
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


# --------------------------------------------------------------------------- pydantic schema


def _integral_float_to_int(value: Any) -> Any:
    """Accept ``20000.0`` for an integer parameter; leave everything else to pydantic."""
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    return value


def _one_line(value: str) -> str:
    value = value.strip()
    if "\n" in value:
        raise PydanticCustomError("one_line", "must be a single line")
    return value


_CONFIG = ConfigDict(extra="forbid", allow_inf_nan=False)
_Int = Annotated[int, Strict(), BeforeValidator(_integral_float_to_int)]
_Float = Annotated[float, Strict()]
_Bool = Annotated[bool, Strict()]
_Str = Annotated[str, Strict()]
_KIND_TYPE: dict[str, Any] = {"int": _Int, "float": _Float, "bool": _Bool}
NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
"""What a name may hold: letters, digits, ``_``, ``-`` and ``.`` (it names folders)."""
_NAME_PATTERN = NAME_PATTERN
NAME_MAX_CHARS = 100
"""Longest scenario name: it names result folders, and a file name has a limit."""


def _section_model(section: str) -> type[BaseModel]:
    fields: dict[str, Any] = {}
    for p in params_in(section):  # type: ignore[arg-type]
        bounds = {} if p.kind == "bool" else {"ge": p.low, "le": p.high}
        fields[p.name] = (
            _KIND_TYPE[p.kind],
            Field(default=None, description=f"{p.doc} [{p.unit}]", **bounds),
        )
    return create_model(f"{section.title()}Section", __config__=_CONFIG, **fields)


_SECTION_MODELS: dict[str, type[BaseModel]] = {s: _section_model(s) for s in SECTIONS}

_MechanismsModel: type[BaseModel] = create_model(
    "MechanismsSection",
    __config__=_CONFIG,
    **{m.name: (_Bool, Field(default=None, description=m.doc)) for m in MECHANISMS},
)


class _PromiseModel(BaseModel):
    """One council promise of a deal."""

    model_config = _CONFIG

    promise: Literal[tuple(PROMISE_KINDS)]  # type: ignore[valid-type]
    level: _Float = Field(
        ge=0.0, description="promised share (of groups thriving, voices answered, need met...)"
    )
    weight: _Float = Field(default=1.0, ge=0.0, le=10.0, description="trust weight")

    @field_validator("level")
    @classmethod
    def _level_in_range(cls, value: float, info: ValidationInfo) -> float:
        # every promise is judged on a share of what citizens experience (PROMISE_KINDS);
        # an unknown promise is reported on its own
        high = PROMISE_LEVEL_MAX
        if "promise" in info.data and value > high:
            raise PydanticCustomError("level_range", "level out of range", {"le": high})
        return value


class _CitizensModel(BaseModel):
    """The citizens' part of a deal."""

    model_config = _CONFIG

    expected_hours: _Float = Field(
        default=0.0, ge=0.0, le=10.0, description="hours/week expected of every citizen"
    )


class _DealModel(BaseModel):
    """A two-sided deal."""

    model_config = _CONFIG

    council: list[_PromiseModel] | None = None
    citizens: _CitizensModel | None = None

    @field_validator("council")
    @classmethod
    def _no_duplicate_promises(cls, value: list[_PromiseModel] | None) -> Any:
        if value:
            seen: dict[str, int] = {}
            for i, item in enumerate(value):
                if item.promise in seen:
                    raise PydanticCustomError(
                        "duplicate_promise",
                        "promise '{promise}' is listed twice (items {first} and {second})",
                        {"promise": item.promise, "first": seen[item.promise], "second": i},
                    )
                seen[item.promise] = i
        return value


_ScenarioModel: type[BaseModel] = create_model(
    "ScenarioFile",
    __config__=_CONFIG,
    name=(_Str, Field(default=None, pattern=_NAME_PATTERN, max_length=NAME_MAX_CHARS)),
    description=(Annotated[str, Strict(), AfterValidator(_one_line)], Field(default=None)),
    extends=(_Str, Field(default=None, min_length=1)),
    **{s: (_SECTION_MODELS[s] | None, None) for s in SECTIONS},
    mechanisms=(_MechanismsModel | None, None),
    deal=(_DealModel | None, None),
    years=(_Int, Field(default=None, ge=YEARS_RANGE[0], le=YEARS_RANGE[1])),
)


# --------------------------------------------------------------------------- YAML with lines

_Loc = tuple[str | int, ...]


class _Loader(yaml.SafeLoader):
    """The safe loader; a value its constructors cannot read is a YAML error at its line.

    PyYAML's constructors raise plain ``ValueError`` for some values (a date with month
    13, a number of more digits than Python converts); they become
    :class:`yaml.constructor.ConstructorError` with the value's position.
    """

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except (ValueError, TypeError, OverflowError) as exc:
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read this value ({exc})", node.start_mark
            ) from None


def _reader_problem(exc: yaml.reader.ReaderError, text: str, display: str) -> Problem:
    """A character YAML does not allow (a control character, say), with its line."""
    position = max(0, min(int(exc.position), len(text)))
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    char = exc.character
    number = ord(char) if isinstance(char, str) else int(char)
    code = f"U+{number:04X}" if exc.encoding == "unicode" else f"byte 0x{number:02X}"
    return Problem(
        display,
        line,
        "",
        f"contains a character YAML does not allow ({code}, column {column}); "
        "allowed: printable text, tabs and newlines",
    )


def _yaml_problem(exc: yaml.YAMLError, display: str) -> Problem:
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        what = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem:
            what = f"{exc.problem} ({exc.context})"
        line = mark.line + 1 if mark is not None else None
        col = f", column {mark.column + 1}" if mark is not None else ""
        kind = (
            "YAML error"
            if isinstance(exc, yaml.constructor.ConstructorError)
            else "YAML syntax error"
        )
        return Problem(display, line, "", f"{kind}: {excerpt(what, YAML_MESSAGE_CHARS)}{col}")
    return Problem(display, None, "", f"YAML syntax error: {excerpt(str(exc), YAML_MESSAGE_CHARS)}")


def _walk_marks(
    node: yaml.Node,
    loc: _Loc,
    marks: dict[_Loc, int],
    problems: list[Problem],
    display: str,
    seen_nodes: set[int] | None = None,
) -> None:
    """Record the line of every key and list item; report duplicate keys.

    A node reached again through a YAML alias is not walked twice (aliases may be
    recursive or nest exponentially); its keys fall back to the alias's line.
    """
    if seen_nodes is None:
        seen_nodes = set()
    if isinstance(node, yaml.CollectionNode):
        if id(node) in seen_nodes:
            return
        seen_nodes.add(id(node))
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.tag)
            line = key_node.start_mark.line + 1
            if key in seen and key != "<<":
                problems.append(
                    Problem(
                        display,
                        line,
                        _dotted((*loc, key)),
                        f"duplicate key '{key}' (first given on line {seen[key]})",
                    )
                )
            else:
                seen[key] = line
                marks.setdefault((*loc, key), line)
            _walk_marks(value_node, (*loc, key), marks, problems, display, seen_nodes)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            marks.setdefault((*loc, i), item.start_mark.line + 1)
            _walk_marks(item, (*loc, i), marks, problems, display, seen_nodes)


def _parse_yaml(text: str, display: str) -> tuple[Any, dict[_Loc, int], list[Problem]]:
    """Parse YAML text; return the data, the line of each key path, and problems."""
    marks: dict[_Loc, int] = {}
    problems: list[Problem] = []
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as exc:
        return None, marks, [_reader_problem(exc, text, display)]
    try:
        node = loader.get_single_node()
        if node is None:
            return {}, {(): 1}, []
        marks[()] = node.start_mark.line + 1
        _walk_marks(node, (), marks, problems, display)
        data = loader.construct_document(node)
    except yaml.reader.ReaderError as exc:
        return None, marks, [_reader_problem(exc, text, display)]
    except yaml.YAMLError as exc:
        return None, marks, [_yaml_problem(exc, display)]
    except RecursionError:
        return None, marks, [Problem(display, None, "", "YAML nested too deeply")]
    finally:
        loader.dispose()
    return data, marks, problems


def _dotted(loc: _Loc) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _line_of(loc: _Loc, marks: Mapping[_Loc, int]) -> int | None:
    """The line of the longest prefix of ``loc`` that the file has."""
    for n in range(len(loc), -1, -1):
        prefix = loc[:n]
        line = marks.get(prefix)
        if line is None and n and not isinstance(loc[n - 1], str):
            # a YAML key such as ``1:`` is an int to pydantic but text in the marks
            line = marks.get((*loc[: n - 1], str(loc[n - 1])))
        if line is not None:
            return line
    return None


# --------------------------------------------------------------------------- messages


def _fmt(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    return str(value)


def _describe(value: Any) -> str:
    """Describe a wrong value for a message: ``string 'high'``, ``a list``..."""
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return f"boolean {_fmt(value)}"
    if isinstance(value, int):
        return f"integer {value}"
    if isinstance(value, float):
        return f"number {_fmt(value)}"
    if isinstance(value, str):
        text = f"string '{excerpt(value)}'"
        try:
            float(value.replace("_", ""))
        except ValueError:
            return text
        return f"{text} (YAML read it as text; write numbers like 1000 or 1.0e+3, unquoted)"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _suggest(word: str, candidates: list[str] | tuple[str, ...]) -> str | None:
    found = difflib.get_close_matches(str(word), list(candidates), n=1, cutoff=0.6)
    return found[0] if found else None


def _param_home(name: str) -> str:
    p = PARAM_BY_NAME[name]
    return f"{_SECTION_NOUN[p.section][1]} (under {p.section}:)"


def _unknown_key_message(parent: _Loc, key: str) -> str:
    """Message for a key that is not allowed where it stands."""
    if len(key) > KEY_PATH_CHARS:
        return "unknown key (too long to be a key of the schema)"
    if parent == ():
        if key in PARAM_BY_NAME:
            section = PARAM_BY_NAME[key].section
            return f"'{key}' is {_SECTION_NOUN[section][1]}; put it under {section}:"
        if key in MECHANISM_NAMES:
            return f"'{key}' is a mechanism switch; put it under mechanisms:"
        guess = _suggest(key, TOP_LEVEL_KEYS)
        if guess:
            return f"unknown key '{key}'; did you mean '{guess}'?"
        guess = _suggest(key, tuple(PARAM_BY_NAME))
        if guess:
            return f"unknown key '{key}'; did you mean '{guess}', {_param_home(guess)}?"
        return f"unknown key '{key}'; allowed keys are {', '.join(TOP_LEVEL_KEYS)}"
    head = parent[0]
    if len(parent) == 1 and head in SECTIONS:
        noun = _SECTION_NOUN[str(head)][0]
        allowed = [p.name for p in params_in(head)]  # type: ignore[arg-type]
        if key in PARAM_BY_NAME:
            other = PARAM_BY_NAME[key].section
            return (
                f"'{key}' is {_SECTION_NOUN[other][1]}, not {_SECTION_NOUN[str(head)][1]}; "
                f"put it under {other}:"
            )
        guess = _suggest(key, allowed)
        if guess:
            return f"unknown {noun} '{key}'; did you mean '{guess}'?"
        guess = _suggest(key, tuple(PARAM_BY_NAME))
        if guess:
            return f"unknown {noun} '{key}'; did you mean '{guess}', {_param_home(guess)}?"
        if len(allowed) <= 20:
            return f"unknown {noun} '{key}'; allowed: {', '.join(allowed)}"
        return f"unknown {noun} '{key}'; the allowed names are listed in sim/core/params.py"
    if parent == ("mechanisms",):
        guess = _suggest(key, MECHANISM_NAMES)
        hint = f"did you mean '{guess}'? " if guess else ""
        return f"unknown mechanism '{key}'; {hint}mechanisms are: {', '.join(MECHANISM_NAMES)}"
    if parent == ("deal",):
        allowed = ("council", "citizens")
    elif parent == ("deal", "citizens"):
        allowed = ("expected_hours",)
    elif len(parent) == 3 and parent[:2] == ("deal", "council"):
        allowed = ("promise", "level", "weight")
    else:  # pragma: no cover - every mapping of the schema is listed above
        allowed = ()
    guess = _suggest(key, allowed)
    hint = f"did you mean '{guess}'? " if guess else ""
    return f"unknown key '{key}'; {hint}allowed: {', '.join(allowed)}"


def _get(data: Any, loc: _Loc) -> Any:
    for part in loc:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _bounds(loc: _Loc, data: Any) -> tuple[float | None, float | None, str]:
    """Allowed range and unit of the value at ``loc``."""
    if len(loc) == 2 and loc[0] in SECTIONS and loc[1] in PARAM_BY_NAME:
        p: Param = PARAM_BY_NAME[str(loc[1])]
        return p.low, p.high, p.unit
    if loc == ("years",):
        return YEARS_RANGE[0], YEARS_RANGE[1], "years"
    if loc == ("deal", "citizens", "expected_hours"):
        return 0.0, 10.0, "h/week"
    if len(loc) == 4 and loc[:2] == ("deal", "council"):
        if loc[3] == "weight":
            return 0.0, 10.0, "-"
        if loc[3] == "level":
            return 0.0, PROMISE_LEVEL_MAX, "share"
    return None, None, ""


def _range_message(value: Any, loc: _Loc, data: Any, ctx: Mapping[str, Any]) -> str:
    low, high, unit = _bounds(loc, data)
    low = ctx.get("ge", low) if low is None else low
    high = ctx.get("le", high) if high is None else high
    unit_txt = f" ({unit})" if unit else ""
    if low is not None and high is not None:
        allowed = f"allowed {_fmt(low)} to {_fmt(high)}"
    elif low is not None:
        allowed = f"allowed {_fmt(low)} or more"
    else:
        allowed = f"allowed up to {_fmt(high)}"
    extra = ""
    if loc[-1:] == ("level",) and loc[:2] == ("deal", "council"):
        promise = _get(data, (*loc[:3], "promise"))
        extra = f" for promise {promise}"
    return f"{_fmt(value)} is out of range; {allowed}{unit_txt}{extra}"


_EXPECTED = {
    "int_type": "an integer",
    "int_parsing": "an integer",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "finite_number": "a finite number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "string_type": "text",
    "model_type": "a mapping (indented 'key: value' lines)",
    "model_attributes_type": "a mapping (indented 'key: value' lines)",
    "dict_type": "a mapping (indented 'key: value' lines)",
    "list_type": "a list (lines starting with '- ')",
}


def _error_to_problem(
    err: Mapping[str, Any], data: Any, marks: Mapping[_Loc, int], display: str
) -> Problem:
    """Translate one pydantic error into a :class:`Problem` with file and line."""
    loc: _Loc = tuple(err["loc"])
    kind = err["type"]
    value = err.get("input")
    ctx = err.get("ctx") or {}
    key_path = _dotted(loc)
    if kind == "extra_forbidden":
        message = _unknown_key_message(loc[:-1], str(loc[-1]))
    elif kind == "missing":
        key_path = _dotted(loc[:-1])
        what = "promise" if loc[:2] == ("deal", "council") else "entry"
        message = f"'{loc[-1]}' is missing; every {what} needs one"
    elif kind in ("greater_than_equal", "less_than_equal", "level_range"):
        if kind == "level_range":
            value = _get(data, loc)
        message = _range_message(value, loc, data, ctx)
    elif kind == "literal_error":
        allowed = tuple(PROMISE_KINDS)
        guess = _suggest(str(value), allowed)
        hint = f"did you mean '{guess}'? " if guess else ""
        message = f"unknown promise {_fmt(value)!r}; {hint}promises are: {', '.join(allowed)}"
    elif kind in _EXPECTED:
        message = f"expected {_EXPECTED[kind]}, got {_describe(value)}"
    elif kind == "string_pattern_mismatch" and loc == ("name",):
        message = (
            f"'{excerpt(str(value))}' is not a valid name; use letters, digits, '_', '-' or '.' "
            "(it names the results folder)"
        )
    elif kind == "string_too_short":
        message = "must not be empty"
    elif kind == "string_too_long":
        message = f"is longer than {ctx.get('max_length')} characters; allowed up to that"
    elif kind in ("one_line", "duplicate_promise"):
        message = err["msg"]
    else:
        message = str(err.get("msg", kind))
    return Problem(display, _line_of(loc, marks), key_path, message)


Explain = Callable[[Mapping[str, Any]], tuple[str, str] | None]
"""Gives (key path, message) for a pydantic error a schema words itself, or None."""


def validation_problems(
    exc: ValidationError,
    data: Any,
    marks: Mapping[_Loc, int],
    display: str,
    explain: Explain | None = None,
) -> list[Problem]:
    """Translate pydantic's errors into :class:`Problem` lines, each with file and line.

    This is the scenario schema's translation, shared with the other YAML inputs
    (experiment files, :mod:`sim.runs.sweep`): ``explain`` words the errors special to
    another schema, and every other error gets the scenario schema's wording.

    Args:
        exc: the validation error.
        data: the document validated.
        marks: line of each key path (:func:`read_yaml_document`).
        display: the file as shown to the user.
        explain: optional wording for errors of another schema.

    Returns:
        The problems, in file order.
    """
    problems = []
    for err in exc.errors():
        worded = explain(err) if explain is not None else None
        if worded is None:
            problems.append(_error_to_problem(err, data, marks, display))
        else:
            key_path, message = worded
            problems.append(Problem(display, _line_of(tuple(err["loc"]), marks), key_path, message))
    problems.sort(key=lambda p: (p.line is None, p.line or 0))
    return problems


def _strip_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_strip_none(v) for v in value]
    return value


def _validate_layer(
    data: Any, marks: Mapping[_Loc, int], display: str
) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Validate one file's content; return what it sets, or the problems."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        got = _describe(data)
        return None, [
            Problem(
                display,
                marks.get((), 1),
                "",
                f"the top level must be a mapping of keys (name:, levers:, ...), got {got}",
            )
        ]
    try:
        model = _ScenarioModel.model_validate(data)
    except ValidationError as exc:
        problems = [_error_to_problem(e, data, marks, display) for e in exc.errors()]
        problems.sort(key=lambda p: (p.line is None, p.line or 0))
        return None, problems
    return _strip_none(model.model_dump(exclude_unset=True)), []


# --------------------------------------------------------------------------- files


def scenarios_dir() -> Path:
    """Return the directory of the bundled scenario files.

    It is ``scenarios/`` next to the ``sim`` package in a source checkout or an editable
    install, and the copies shipped in the package in any other install
    (:func:`sim.core.io.bundled_dir`).
    """
    return bundled_dir("scenarios")


def bundled_scenarios() -> dict[str, Path]:
    """Return ``{name: path}`` of every bundled scenario file, sorted by name."""
    folder = scenarios_dir()
    if not folder.is_dir():
        return {}
    files = [*folder.glob("*.yaml"), *folder.glob("*.yml")]
    return {p.stem: p for p in sorted(files, key=lambda p: p.name)}


def _display(path: Path) -> str:
    """Show a path relative to the working directory when it is inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # pragma: no cover - other drive on Windows
        return str(path)
    return str(path) if rel.startswith("..") else rel


def _bundled_names() -> str:
    names = list(bundled_scenarios())
    return ", ".join(names) if names else "(none found)"


YAML_SUFFIXES: tuple[str, ...] = (".yaml", ".yml")
"""A scenario file's name ends in one of these; no other file is read as a scenario."""


def _has_yaml_suffix(path: Path) -> bool:
    return path.suffix.lower() in YAML_SUFFIXES


def _with_yaml_suffix(path: Path) -> list[Path]:
    if _has_yaml_suffix(path):
        return [path]
    if not path.name:  # "", "." or "/": a folder, never a scenario file
        return []
    return [path.with_name(path.name + suffix) for suffix in YAML_SUFFIXES]


def _exists(path: Path) -> bool:
    """Whether ``path`` exists; False for a name no file can have (too long, a NUL)."""
    try:
        return path.exists()
    except (OSError, ValueError):
        return False


def _not_a_scenario_file(path: Path) -> bool:
    """A file exists at ``path`` but its name does not say it is a scenario (YAML) file."""
    return not _has_yaml_suffix(path) and _exists(path)


NOT_A_SCENARIO = "not a scenario file; allowed: a .yaml or .yml file, or a bundled scenario name"


def _is_bare_name(ref: str) -> bool:
    return "/" not in ref and "\\" not in ref


def _bare_stem(ref: str) -> str:
    for suffix in (".yaml", ".yml"):
        if ref.endswith(suffix):
            return ref[: -len(suffix)]
    return ref


def _resolve_extends(ref: str, base_dir: Path) -> Path | None:
    """Find the file an ``extends:`` names: relative to ``base_dir``, then bundled."""
    for candidate in _with_yaml_suffix(base_dir / ref):
        if _exists(candidate):
            return candidate.resolve()
    if _is_bare_name(ref):
        found = bundled_scenarios().get(_bare_stem(ref))
        if found is not None:
            return found.resolve()
    return None


@dataclass
class _Layer:
    path: Path | None
    content: dict[str, Any]
    display: str = "<dict>"
    marks: Mapping[_Loc, int] = field(default_factory=dict)


def _read_text(path: Path, display: str) -> str:
    """The file's text, read within the limits of :func:`sim.core.io.read_input_text`."""
    try:
        return read_input_text(path)
    except InputError as exc:
        raise ScenarioError([Problem(display, None, "", str(exc))]) from None


def _load_chain(
    data: Any,
    marks: Mapping[_Loc, int],
    display: str,
    path: Path | None,
    base_dir: Path,
    stack: list[Path],
) -> list[_Layer]:
    """Validate one layer and its ``extends`` ancestors; return layers root first."""
    content, problems = _validate_layer(data, marks, display)
    parents: list[_Layer] = []
    ref = data.get("extends") if isinstance(data, dict) else None
    if isinstance(ref, str) and ref:
        line = _line_of(("extends",), marks)
        target = _resolve_extends(ref, base_dir)
        chain = [*stack, path] if path is not None else list(stack)
        if target is None and _not_a_scenario_file(base_dir / ref):
            message = f"'{excerpt(ref)}' is {NOT_A_SCENARIO}"
            problems.append(Problem(display, line, "extends", message))
        elif target is None:
            tried = " or ".join(
                excerpt(_display(c), KEY_PATH_CHARS) for c in _with_yaml_suffix(base_dir / ref)
            )
            where = f"no file {tried}"
            if _is_bare_name(ref):
                where += f" and no bundled scenario '{_bare_stem(ref)}'"
            problems.append(
                Problem(
                    display,
                    line,
                    "extends",
                    f"extends target '{excerpt(ref)}' not found: {where} "
                    f"(bundled scenarios: {_bundled_names()})",
                )
            )
        elif target in chain:
            cycle = [*chain[chain.index(target) :], target]
            problems.append(
                Problem(
                    display,
                    line,
                    "extends",
                    "cyclic extends: " + " -> ".join(p.name for p in cycle),
                )
            )
        else:
            try:
                parents = _load_file(target, chain)
            except ScenarioError as exc:
                problems.extend(exc.problems)
    if problems:
        raise ScenarioError(problems)
    assert content is not None
    return [*parents, _Layer(path, content, display, marks)]


def read_yaml_document(path: Path) -> tuple[Any, dict[_Loc, int], str]:
    """Read one YAML input with the scenario loader's limits, and the line of every key.

    The file is read by :func:`sim.core.io.read_input_text` (a regular file of at most
    :data:`sim.core.io.MAX_INPUT_BYTES`, UTF-8) and parsed safely; duplicate keys,
    characters YAML does not allow and values it cannot construct are problems.

    Args:
        path: the file.

    Returns:
        (the parsed document, ``{key path: line}``, the file as shown in messages).

    Raises:
        ScenarioError: the file cannot be read or parsed, or repeats a key.
    """
    display = _display(path)
    data, marks, problems = _parse_yaml(_read_text(path, display), display)
    if problems:
        raise ScenarioError(problems)
    return data, marks, display


def _load_file(path: Path, stack: list[Path]) -> list[_Layer]:
    display = _display(path)
    text = _read_text(path, display)
    data, marks, problems = _parse_yaml(text, display)
    if problems and data is None:
        raise ScenarioError(problems)
    try:
        layers = _load_chain(data, marks, display, path.resolve(), path.resolve().parent, stack)
    except ScenarioError as exc:
        raise ScenarioError([*problems, *exc.problems]) from None
    if problems:  # duplicate keys
        raise ScenarioError(problems)
    return layers


def _merge(base: dict[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    """Deep-merge ``over`` into a copy of ``base``; lists are replaced whole."""
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = _merge(dict(out[key]), value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _normalise(p: Param, value: Value) -> Value:
    if p.kind == "float":
        return float(value)
    if p.kind == "int":
        return int(value)
    return bool(value)


def _build(layers: list[_Layer], name: str, path: Path | None) -> Scenario:
    merged: dict[str, Any] = {}
    for layer in layers:
        merged = _merge(merged, {k: v for k, v in layer.content.items() if k != "extends"})
    leaf = layers[-1].content if layers else {}
    sections = {
        s: {p.name: _normalise(p, merged.get(s, {}).get(p.name, p.default)) for p in params_in(s)}
        for s in SECTIONS
    }
    mechanisms = {m: bool(merged.get("mechanisms", {}).get(m, True)) for m in MECHANISM_NAMES}
    deal_in = merged.get("deal", {})
    council = [
        {
            "promise": str(c["promise"]),
            "level": float(c["level"]),
            "weight": float(c.get("weight", 1.0)),
        }
        for c in deal_in.get("council", [])
    ]
    citizens = {"expected_hours": float(deal_in.get("citizens", {}).get("expected_hours", 0.0))}
    _check_constraints(layers, {k: v for values in sections.values() for k, v in values.items()})
    return Scenario(
        name=leaf.get("name", name),
        description=leaf.get("description", ""),
        path=path,
        municipality=sections["municipality"],
        uncertainties=sections["uncertainties"],
        levers=sections["levers"],
        mechanisms=mechanisms,
        deal={"council": council, "citizens": citizens},
        years=int(merged.get("years", DEFAULT_YEARS)),
    )


def _check_constraints(layers: list[_Layer], values: Mapping[str, Value]) -> None:
    """Check :data:`sim.core.params.CONSTRAINTS` on the resolved values.

    A problem is reported on the file being loaded (the last layer), at the first key of
    the constraint that the nearest layer sets, on its line if that file sets it, or on
    its ``extends`` line if an ancestor does.
    """
    problems = []
    leaf = layers[-1] if layers else _Layer(None, {})
    for constraint in CONSTRAINTS:
        if constraint.holds(values):
            continue
        key = next(
            (
                k
                for layer in reversed(layers)
                for k in constraint.keys
                if k in layer.content.get(PARAM_BY_NAME[k].section, {})
            ),
            constraint.keys[0],
        )
        loc = (PARAM_BY_NAME[key].section, key)
        line = leaf.marks.get(loc, leaf.marks.get(("extends",)))
        problems.append(Problem(leaf.display, line, _dotted(loc), constraint.message(values)))
    if problems:
        raise ScenarioError(problems)


# --------------------------------------------------------------------------- Scenario


@dataclass(frozen=True, kw_only=True)
class Scenario:
    """A fully resolved scenario: every parameter present, defaults filled.

    Treat it as immutable; derive variants with :meth:`with_overrides`.

    Attributes:
        name: short name, used for result folders.
        description: one line saying what the scenario is.
        path: the file it was loaded from, or ``None``. Not part of equality.
        municipality: ``{name: value}`` of every municipality parameter.
        uncertainties: ``{name: value}`` of every uncertainty.
        levers: ``{name: value}`` of every lever.
        mechanisms: ``{mechanism: on}`` for every mechanism of :mod:`sim.core.params`.
        deal: ``{"council": [{"promise", "level", "weight"}, ...],
            "citizens": {"expected_hours": float}}``.
        years: simulated years.
    """

    name: str
    description: str = ""
    path: Path | None = field(default=None, compare=False)
    municipality: dict[str, Value]
    uncertainties: dict[str, Value]
    levers: dict[str, Value]
    mechanisms: dict[str, bool]
    deal: dict[str, Any]
    years: int = DEFAULT_YEARS

    @property
    def weeks(self) -> int:
        """Number of weekly steps: ``years * 52``."""
        return self.years * WEEKS_PER_YEAR

    def section(self, section: str) -> dict[str, Value]:
        """Return the ``{name: value}`` dict of one section (``levers`` etc.)."""
        if section not in SECTIONS:
            raise KeyError(f"unknown section {section!r}; sections are {', '.join(SECTIONS)}")
        return getattr(self, section)

    def param(self, name: str) -> Value:
        """Return the value of one parameter, whatever its section.

        Args:
            name: a parameter name from :mod:`sim.core.params`.

        Raises:
            KeyError: if there is no such parameter (the message suggests a close name).
        """
        for section in SECTIONS:
            values = getattr(self, section)
            if name in values:
                return values[name]
        guess = _suggest(name, tuple(PARAM_BY_NAME))
        hint = f"; did you mean {guess!r}?" if guess else ""
        raise KeyError(f"unknown parameter {name!r}{hint}")

    def flat_params(self) -> dict[str, Value]:
        """Return ``{name: value}`` of every parameter of every section."""
        return {**self.municipality, **self.uncertainties, **self.levers}

    def to_dict(self) -> dict[str, Any]:
        """Return the fully resolved scenario as plain JSON-serialisable data.

        The result is itself a valid scenario document (no ``extends``) and
        ``Scenario.from_dict(s.to_dict()) == s``.
        """
        return {
            "name": self.name,
            "description": self.description,
            "municipality": dict(self.municipality),
            "uncertainties": dict(self.uncertainties),
            "levers": dict(self.levers),
            "mechanisms": dict(self.mechanisms),
            "deal": copy.deepcopy(self.deal),
            "years": self.years,
        }

    def content_hash(self, years: int | None = None) -> str:
        """A digest of what the scenario simulates, for keying stored runs.

        It covers every parameter, the mechanisms, the deal and the years (``years``
        instead, when given), and not the name, description or file: two files that
        simulate the same thing have the same hash, and a copy edited under its old name
        has another.

        Returns:
            The SHA-256 of the canonical JSON of that content, in hex.
        """
        content = self.to_dict()
        del content["name"], content["description"]
        if years is not None:
            content["years"] = int(years)
        text = json.dumps(content, sort_keys=True, separators=(",", ":"), allow_nan=False)
        return hashlib.sha256(text.encode()).hexdigest()

    @classmethod
    def from_dict(
        cls, data: Mapping[str, Any], source: str = "<dict>", base_dir: Path | None = None
    ) -> Scenario:
        """Validate a scenario given as data (the same schema as a file).

        Args:
            data: the scenario document; missing keys take defaults.
            source: how to name the origin in error messages.
            base_dir: where a relative ``extends`` is looked up (default: the working
                directory); bare names are also looked up among bundled scenarios.

        Raises:
            ScenarioError: listing every problem found.
        """
        data = _plain(data)
        layers = _load_chain(data, {}, source, None, base_dir or Path.cwd(), [])
        return _build(layers, "scenario", None)

    def with_overrides(
        self,
        overrides: Mapping[str, Any] | None = None,
        *,
        name: str | None = None,
        description: str | None = None,
        deal: Mapping[str, Any] | None = None,
    ) -> Scenario:
        """Return a copy with some values changed, validated like a file.

        Args:
            overrides: ``{key: value}`` where a key is a flat parameter name
                (``outreach``), a qualified one (``levers.outreach``), ``years``, or
                ``mechanisms.<name>``. numpy scalars are accepted.
            name: a new name for the copy (for example to tell variants apart in a
                comparison).
            description: a new one-line description.
            deal: a new two-sided deal, written as the ``deal:`` block of a file.

        Raises:
            ScenarioError: on unknown keys or invalid values.
        """
        data = self.to_dict()
        source = f"overrides of {self.name}"
        if name is not None:
            data["name"] = name
        if description is not None:
            data["description"] = description
        if deal is not None:
            data["deal"] = _plain(deal)
        problems: list[Problem] = []
        for key, value in (overrides or {}).items():
            if isinstance(value, np.generic):
                value = value.item()
            section, _, name = key.rpartition(".")
            if key == "years":
                data["years"] = value
            elif section == "mechanisms" and name in MECHANISM_NAMES:
                data["mechanisms"][name] = value
            elif name in PARAM_BY_NAME and section in ("", PARAM_BY_NAME[name].section):
                data[PARAM_BY_NAME[name].section][name] = value
            else:
                guess = _suggest(name, [*PARAM_BY_NAME, "years"])
                hint = f"; did you mean '{guess}'?" if guess else ""
                problems.append(Problem(source, None, key, f"unknown parameter '{key}'{hint}"))
        try:
            result = Scenario.from_dict(data, source=source)
        except ScenarioError as exc:
            problems.extend(exc.problems)
        if problems:
            raise ScenarioError(problems)
        return replace(result, path=self.path)


def _plain(data: Any) -> Any:
    """Copy mappings and sequences into plain dicts and lists."""
    if isinstance(data, Mapping):
        return {k: _plain(v) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return [_plain(v) for v in data]
    if isinstance(data, np.generic):
        return data.item()
    return data


def _locate(ref: str | os.PathLike[str]) -> Path:
    """Find a scenario file from a path or a bundled name."""
    path = Path(ref)
    for candidate in _with_yaml_suffix(path):
        if _exists(candidate):
            return candidate
    text = str(ref)
    if _is_bare_name(text):
        found = bundled_scenarios().get(_bare_stem(text))
        if found is not None:
            return found
    if _not_a_scenario_file(path):
        raise ScenarioError([Problem(text, None, "", NOT_A_SCENARIO)])
    raise ScenarioError(
        [
            Problem(
                text,
                None,
                "",
                f"no such file or bundled scenario (bundled scenarios: {_bundled_names()})",
            )
        ]
    )


def load_scenario(path_or_name: str | os.PathLike[str]) -> Scenario:
    """Load, resolve and validate a scenario file.

    Args:
        path_or_name: a path to a YAML file (the ``.yaml`` suffix may be left out) or
            the name of a bundled scenario such as ``baseline``.

    Returns:
        The resolved scenario, every parameter present.

    Raises:
        ScenarioError: listing every problem in the file and its ``extends`` chain.
    """
    path = _locate(path_or_name)
    layers = _load_file(path, [])
    return _build(layers, path.stem, path)


def context_values(path_or_name: str | os.PathLike[str]) -> dict[str, Value]:
    """The place a context preset describes: the values its file and ancestors set.

    Only the ``municipality`` and ``uncertainties`` keys the preset's chain sets are
    returned, not the defaults it leaves alone, so that laying them over a strategy
    changes the place and nothing else (:func:`sim.core.catalogue.in_context`).

    Args:
        path_or_name: a preset file or the name of a bundled one.

    Returns:
        ``{parameter name: value}``.

    Raises:
        ScenarioError: the file cannot be loaded.
    """
    path = _locate(path_or_name)
    merged: dict[str, Any] = {}
    for layer in _load_file(path, []):
        merged = _merge(merged, layer.content)
    return {
        name: _normalise(PARAM_BY_NAME[name], value)
        for section in ("municipality", "uncertainties")
        for name, value in (merged.get(section) or {}).items()
    }


def default_scenario() -> Scenario:
    """Return the scenario with every parameter at its documented default."""
    return _build(
        [_Layer(None, {"description": "every parameter at its documented default"})],
        "default",
        None,
    )
