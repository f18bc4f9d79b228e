"""The generated parts of the ODD description, written from the model's single sources.

``docs/odd.md`` is written by hand except for a few blocks between marker comments,
which this module writes from the code that the schema and the model read too:

* ``PARAMETER TABLES`` – one table per section of :data:`sim.core.params.PARAMS`, the
  mechanism switches (:data:`sim.core.params.MECHANISMS`) and the council's promise kinds
  (:data:`sim.core.params.PROMISE_KINDS`);
* ``ENTITY SETS`` – the categorical sets (sectors, arena kinds, leader levels,
  volunteering roles, recruitment channels);
* ``CONSTANTS`` – the named fixed constants of the step;
* ``REPORTER TABLE`` – the reporters of :data:`sim.model.reporters.REPORTERS` and the columns
  of the per-neighbourhood and per-quintile breakdowns.

So the documentation cannot drift from the schema: ``tests/test_docs.py`` fails when a
block differs from what this module generates now. Regenerate with::

    python -m sim.docs           # rewrite the generated blocks of docs/odd.md
    python -m sim.docs --check   # exit 1, saying which blocks are stale, if any are
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from sim.core.params import (
    ARENA_KINDS,
    MECHANISMS,
    PROMISE_KINDS,
    SECTIONS,
    SECTORS,
    Param,
    params_in,
)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
"""The repository root (the parent of the ``sim`` package)."""

DEFAULT_ODD = "docs/odd.md"
"""Where the ODD description lives, relative to the repository root."""

REGENERATE = "python -m sim.docs"
"""The command that rewrites the generated blocks."""

_SECTION_TITLES: dict[str, str] = {
    "municipality": "Municipality (context: size and layout of the place)",
    "uncertainties": "Uncertainties (behaviour and context a council does not control)",
    "levers": "Levers (what a strategy sets)",
}

CONSTANT_MODULES: tuple[str, ...] = (
    "sim.core.params",
    "sim.core.world",
    "sim.phases.common",
    "sim.phases.leadership",
    "sim.phases.cross_pressure",
    "sim.phases.recruitment",
    "sim.phases.participation",
    "sim.phases.workload",
    "sim.phases.burnout",
    "sim.phases.public_value",
    "sim.phases.trust",
    "sim.phases.accounting",
    "sim.model.reporters",
)
"""The modules whose named constants shape the model: the units, the world's build, every
phase in schedule order, and the reporters. Their constants table is generated from the
code."""


# ------------------------------------------------------------------------ formatting


def _cell(text: object) -> str:
    """Return ``text`` as a markdown table cell (pipes escaped, one line)."""
    return " ".join(str(text).split()).replace("|", "\\|")


def format_value(value: float | int | bool, kind: str = "float") -> str:
    """Format a parameter value for a table.

    Args:
        value: the value.
        kind: the parameter's kind (``"float"``, ``"int"`` or ``"bool"``).

    Returns:
        ``true``/``false`` for booleans, otherwise the shortest plain decimal with
        thousands separators (``20,000``, ``0.995``, ``-3``).
    """
    if kind == "bool" or isinstance(value, bool):
        return "true" if value else "false"
    if kind == "int":
        return f"{int(value):,}"
    return f"{float(value):,.10g}"


def _table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join(" --- " for _ in header) + "|",
    ]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _param_row(p: Param) -> list[str]:
    if p.kind == "bool":
        span = "true or false"
    else:
        span = f"{format_value(p.low, p.kind)} – {format_value(p.high, p.kind)}"
    lo, hi = p.plausible_range
    plausible = f"{format_value(lo, p.kind)} – {format_value(hi, p.kind)}"
    return [
        f"`{p.name}`",
        format_value(p.default, p.kind),
        p.unit,
        span,
        plausible,
        p.doc,
        p.full_source,
    ]


# ---------------------------------------------------------------------------- blocks


def parameter_tables() -> str:
    """Markdown tables of every parameter, the mechanism switches and the promise kinds.

    One table per section of :data:`sim.core.params.PARAMS` (municipality, uncertainties,
    levers) with the columns name, default, unit, allowed range, plausible range, meaning
    and source; then the
    mechanisms and the council's promise kinds.

    Returns:
        The tables, separated by headings, without a trailing newline.
    """
    parts: list[str] = [
        "Defaults, units, ranges (inclusive), meanings and sources, as in "
        "`sim/core/params.py`. A scenario file sets any of them under its section's key. "
        "The allowed range is what the model can run; the plausible range is where the "
        "source, or the judgement the source column states, puts the value, and what "
        "sweeps, EMA experiments and SALib problems span by default (`cocreate params` "
        "lists them too)."
    ]
    header = ("name", "default", "unit", "allowed", "plausible", "meaning", "source")
    for section in SECTIONS:
        parts.append(f"#### `{section}`: {_SECTION_TITLES[section]}")
        parts.append(_table(header, [_param_row(p) for p in params_in(section)]))
    parts.append("#### `mechanisms`: switches (all on by default)")
    parts.append(
        _table(
            ("mechanism", "what it does", "source"),
            [(f"`{m.name}`", m.doc, m.source) for m in MECHANISMS],
        )
    )
    parts.append("#### `deal.council`: the council's promise kinds")
    parts.append(
        _table(
            ("promise", "meaning"),
            [(f"`{kind}`", doc) for kind, doc in PROMISE_KINDS.items()],
        )
    )
    return "\n\n".join(parts)


def entity_sets() -> str:
    """Markdown table of the model's categorical sets.

    Returns:
        The table, without a trailing newline.
    """
    from sim.core.state import CHANNEL_NAMES, LEADER_LEVELS, STATE_NAMES

    def listed(names: Sequence[str]) -> str:
        return ", ".join(f"`{n}`" for n in names)

    rows = [
        ("professionals' sectors", listed(SECTORS), "`sim/core/params.py::SECTORS`"),
        ("arena kinds", listed(ARENA_KINDS), "`sim/core/params.py::ARENA_KINDS`"),
        ("leader levels", listed(LEADER_LEVELS), "`sim/core/state.py::Level`"),
        ("volunteering roles", listed(STATE_NAMES), "`sim/core/state.py::Role`"),
        ("recruitment channels", listed(CHANNEL_NAMES), "`sim/core/state.py::Channel`"),
    ]
    return _table(("set", "values (in index order)", "defined in"), rows)


def named_constants(module: str) -> list[tuple[str, object, str]]:
    """The named numeric constants of a module, with the docstring written below each.

    A named constant is a module-level ``UPPER_CASE = value`` whose value is a number or a
    tuple of numbers (not a flag or a name), in the order the module defines them.

    Returns:
        (name, value, docstring) of each; the docstring is ``""`` where there is none.
    """
    import ast
    import importlib

    mod = importlib.import_module(module)
    tree = ast.parse(Path(mod.__file__).read_text(encoding="utf-8"))
    found = []
    for k, node in enumerate(tree.body):
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1):
            continue
        target = node.targets[0]
        if not (
            isinstance(target, ast.Name) and target.id.isupper() and not target.id.startswith("_")
        ):
            continue
        value = getattr(mod, target.id)
        if not _is_number(value) and not (
            isinstance(value, tuple) and value and all(_is_number(v) for v in value)
        ):
            continue
        after = tree.body[k + 1] if k + 1 < len(tree.body) else None
        doc = (
            after.value.value
            if isinstance(after, ast.Expr)
            and isinstance(after.value, ast.Constant)
            and isinstance(after.value.value, str)
            else ""
        )
        found.append((target.id, value, _markdown(doc)))
    return found


def _markdown(doc: str) -> str:
    """A docstring as one line of markdown: ``code`` and :role:`name` become `name`."""
    text = re.sub(r":\w+:`~?([^`]+)`", r"`\1`", " ".join(doc.split()))
    return text.replace("``", "`")


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _constant_value(value: object) -> str:
    if isinstance(value, tuple):
        return "(" + ", ".join(format_value(v) for v in value) + ")"
    return format_value(value)  # type: ignore[arg-type]


def constants_table() -> str:
    """Markdown table of every named constant that shapes the model, from the code.

    One row per constant of :data:`CONSTANT_MODULES`: where it is defined, its value, and
    the reason or source its docstring gives.

    Returns:
        The table, without a trailing newline.
    """
    rows = []
    for module in CONSTANT_MODULES:
        path = module.replace(".", "/") + ".py"
        for name, value, doc in named_constants(module):
            rows.append((f"`{path}::{name}`", _constant_value(value), doc))
    return _table(("constant", "value", "meaning, and its reason or source"), rows)


def _measure_span(low: float | None, high: float | None) -> str:
    """A measure's range: ``0 – 1``, ``0 – …`` or ``any``."""
    if low is None and high is None:
        return "any"
    ends = ("…" if v is None else format_value(v) for v in (low, high))
    return " – ".join(ends)


def reporter_table() -> str:
    """Markdown tables of the reporters, the breakdown columns and the run's outcomes.

    Returns:
        The tables, without a trailing newline.
    """
    from sim.model.reporters import HOOD_COLUMNS, QUINTILE_COLUMNS, REPORTERS

    reporters = _table(
        ("reporter", "unit", "range", "meaning"),
        [(f"`{m.name}`", m.unit, _measure_span(m.low, m.high), m.doc) for m in REPORTERS.values()],
    )
    breakdowns = _table(
        ("table", "columns"),
        [
            (
                "`model.neighbourhood_table()` (one row per step, from week 0, and neighbourhood)",
                ", ".join(f"`{c}`" for c in HOOD_COLUMNS),
            ),
            (
                "`model.quintile_table()` (one row per step, from week 0, and resource quintile)",
                ", ".join(f"`{c}`" for c in QUINTILE_COLUMNS),
            ),
        ],
    )
    from sim.runs.outcomes import OUTCOMES

    outcomes = _table(
        ("outcome", "unit", "range", "meaning"),
        [(f"`{m.name}`", m.unit, _measure_span(m.low, m.high), m.doc) for m in OUTCOMES.values()],
    )
    return (
        "The DataCollector records every reporter at week 0 (the start, before any week has "
        "run, so the weekly flows are zero) and after each week, with the run's `seed`; "
        "every table a command writes carries its data dictionary (`NAME.columns.json`: "
        "unit, meaning and range of each column, from these tables).\n\n"
        + reporters
        + "\n\nBreakdowns by group:\n\n"
        + breakdowns
        + "\n\nScalar outcomes of a run (`sim.runs.outcomes.run_scenario`), from its reporters "
        "over the weeks run (week 0 left out):" + "\n\n" + outcomes
    )


BLOCKS: dict[str, Callable[[], str]] = {
    "PARAMETER TABLES": parameter_tables,
    "ENTITY SETS": entity_sets,
    "CONSTANTS": constants_table,
    "REPORTER TABLE": reporter_table,
}
"""Each generated block of ``docs/odd.md`` by marker name, and the function writing it."""


def markers(block: str) -> tuple[str, str]:
    """Return the begin and end marker comments of a generated block."""
    return f"<!-- BEGIN GENERATED {block} -->", f"<!-- END GENERATED {block} -->"


def _body(block: str) -> str:
    note = f"<!-- Generated by `{REGENERATE}`; do not edit by hand. -->"
    return f"\n{note}\n\n{BLOCKS[block]()}\n\n"


# --------------------------------------------------------------------------- the file


def resolve(path: str | os.PathLike[str] = DEFAULT_ODD) -> Path:
    """Resolve a path to the ODD file.

    A relative path is taken from the current directory if it exists there, else from
    the repository root, so ``python -m sim.docs`` works from anywhere in the checkout.
    """
    p = Path(path)
    if p.is_absolute() or p.exists():
        return p
    return PROJECT_ROOT / p


def _span(text: str, block: str, where: str) -> tuple[int, int]:
    """Return the start and end of the text between a block's markers."""
    begin, end = markers(block)
    if text.count(begin) != 1 or text.count(end) != 1:
        raise ValueError(
            f"{where}: expected exactly one {begin!r} and one {end!r} "
            f"(found {text.count(begin)} and {text.count(end)})"
        )
    start = text.index(begin) + len(begin)
    stop = text.index(end)
    if stop < start:
        raise ValueError(f"{where}: {end!r} comes before {begin!r}")
    return start, stop


def regenerate(text: str, where: str = DEFAULT_ODD) -> str:
    """Return ``text`` with every generated block replaced by what the code says now.

    Args:
        text: the content of the ODD file.
        where: the file's name, for error messages.

    Raises:
        ValueError: if a block's markers are missing, repeated or out of order.
    """
    for block in BLOCKS:
        start, stop = _span(text, block, where)
        text = text[:start] + _body(block) + text[stop:]
    return text


def stale_blocks(path: str | os.PathLike[str] = DEFAULT_ODD) -> list[str]:
    """Return the names of the generated blocks of the ODD file that are out of date."""
    target = resolve(path)
    text = target.read_text(encoding="utf-8")
    stale = []
    for block in BLOCKS:
        start, stop = _span(text, block, str(target))
        if text[start:stop] != _body(block):
            stale.append(block)
    return stale


def update_odd(path: str | os.PathLike[str] = DEFAULT_ODD) -> bool:
    """Rewrite the generated blocks of the ODD file from the code.

    Only the text between each block's ``<!-- BEGIN GENERATED ... -->`` and
    ``<!-- END GENERATED ... -->`` markers changes; the file is written only if it
    changes.

    Args:
        path: the ODD file (see :func:`resolve` for relative paths).

    Returns:
        Whether the file changed.

    Raises:
        ValueError: if a block's markers are missing, repeated or out of order.
    """
    target = resolve(path)
    old = target.read_text(encoding="utf-8")
    new = regenerate(old, str(target))
    if new == old:
        return False
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(new, encoding="utf-8")
    tmp.replace(target)
    return True


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: rewrite the generated blocks, or check them with ``--check``.

    Returns:
        The exit status: 0, or 1 when ``--check`` finds stale blocks.
    """
    parser = argparse.ArgumentParser(
        prog="python -m sim.docs",
        description="Regenerate the parameter, constant and reporter tables of docs/odd.md.",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="do not write; exit 1 if the generated blocks are out of date",
    )
    parser.add_argument("--path", default=DEFAULT_ODD, help="the ODD file (default: %(default)s)")
    args = parser.parse_args(argv)
    target = resolve(args.path)
    if args.check:
        stale = stale_blocks(target)
        if stale:
            print(
                f"{target} is stale: the generated block(s) {', '.join(stale)} differ from "
                "the code they are generated from; run "
                f"`{REGENERATE}` and commit the result.",
                file=sys.stderr,
            )
            return 1
        print(f"{target} is up to date.")
        return 0
    changed = update_odd(target)
    print(f"{target} {'updated' if changed else 'was already up to date'}.")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
