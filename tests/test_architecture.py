"""The code keeps the shape docs/architecture.md describes.

* The layers import downwards only: core, phases, model, runs, present, then the command
  line and the docs generator on top.
* Every mechanism is one module of ``sim/phases`` with the same parts: a docstring with its
  sources and its switch, a typed tally, a numba ``kernel`` with its ``twin`` directly below
  it, and one entry in the schedule.
* A number that shapes behaviour in a phase is a named constant with a reason, not a bare
  literal, and every named constant reaches the ODD's constants table.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
from pathlib import Path

import pytest

from sim import docs, phases
from sim.core.params import MECHANISM_NAMES

SIM = Path(__file__).resolve().parent.parent / "sim"

LAYERS: tuple[tuple[str, ...], ...] = (
    ("sim.core",),
    ("sim.phases",),
    ("sim.model",),
    ("sim.runs",),
    ("sim.present",),
    ("sim.cli", "sim.docs", "sim.ema", "sim.salib", "sim"),
)
"""From the bottom up; a module may import from its own layer and the layers below."""

STRUCTURAL = {0, 1, 2, -1}
"""Literals allowed in a phase's code: zero, one, two (as in a Beta prior's (a+1)/(a+b+2)
or the mean of 2(1 − x) over [0, 1]) and the 'no arena' index −1."""


def _module_name(path: Path) -> str:
    parts = path.relative_to(SIM.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _layer(module: str) -> int:
    best = -1
    for k, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if module == prefix or module.startswith(prefix + "."):
                if prefix == "sim" and module != "sim":
                    continue
                best = k
    return best


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every ``sim`` import in a file, at any depth."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "sim":
                found += [(node.lineno, f"sim.{a.name}") for a in node.names]
            elif node.module.startswith("sim."):
                found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("sim.")]
    return found


def test_every_module_has_a_layer() -> None:
    lost = [_module_name(p) for p in SIM.rglob("*.py") if _layer(_module_name(p)) < 0]
    assert not lost, f"modules outside the layers of docs/architecture.md: {lost}"


def test_layers_import_downwards_only() -> None:
    upward = []
    for path in sorted(SIM.rglob("*.py")):
        module = _module_name(path)
        own = _layer(module)
        for line, imported in _imports(path):
            if _layer(imported) > own:
                upward.append(f"{path.relative_to(SIM.parent)}:{line} imports {imported}")
    assert not upward, "upward imports:\n" + "\n".join(upward)


def test_the_browser_helper_is_not_installed_with_the_package() -> None:
    assert importlib.util.find_spec("sim.browser") is None


# ------------------------------------------------------------------------ the phases


def test_the_schedule_has_one_phase_per_mechanism_in_order() -> None:
    assert [p.mechanism for p in phases.SCHEDULE] == [
        "leadership",
        "cross_pressure",
        "recruitment",
        "participation",
        "workload",
        "burnout",
        "public_value",
        "trust",
        "accounting",
    ]
    assert sorted(p.mechanism for p in phases.SCHEDULE) == sorted(MECHANISM_NAMES)
    assert list(phases.Tallies._fields) == [p.mechanism for p in phases.SCHEDULE]


@pytest.mark.parametrize("mechanism", MECHANISM_NAMES)
def test_a_phase_module_has_the_common_shape(mechanism: str) -> None:
    path = SIM / "phases" / f"{mechanism}.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    doc = ast.get_docstring(tree) or ""
    assert f"``mechanisms.{mechanism}``" in doc, f"{path}: docstring must name its switch"
    assert "Source" in doc, f"{path}: docstring must give its sources"
    top = [n.name for n in tree.body if isinstance(n, ast.FunctionDef | ast.ClassDef)]
    tallies = [n for n in top if n.endswith("Tally")]
    assert len(tallies) == 1, f"{path}: one typed tally record, found {tallies}"
    assert "kernel" in top, f"{path}: no kernel"
    twin_is_kernel = any(
        isinstance(n, ast.Assign)
        and [t.id for t in n.targets if isinstance(t, ast.Name)] == ["twin"]
        and isinstance(n.value, ast.Name)
        and n.value.id == "kernel"
        for n in tree.body
    )
    if not twin_is_kernel:
        assert top.index("twin") == top.index("kernel") + 1, (
            f"{path}: the twin must follow its kernel directly"
        )
    entry = next(p for p in phases.SCHEDULE if p.mechanism == mechanism)
    module = importlib.import_module(f"sim.phases.{mechanism}")
    assert entry.kernel is module.kernel and entry.twin is module.twin


@pytest.mark.parametrize("path", sorted((SIM / "phases").glob("*.py")), ids=lambda p: p.name)
def test_numbers_in_a_phase_are_named(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    bare = []
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef | ast.ClassDef):
            continue
        for sub in ast.walk(node):
            if (
                isinstance(sub, ast.Constant)
                and isinstance(sub.value, int | float)
                and not isinstance(sub.value, bool)
                and sub.value not in STRUCTURAL
            ):
                bare.append(f"line {sub.lineno}: {sub.value!r}")
    assert not bare, f"{path.name}: name these numbers as constants with a reason: {bare}"


@pytest.mark.parametrize("module", docs.CONSTANT_MODULES)
def test_every_named_constant_has_a_reason(module: str) -> None:
    undocumented = [name for name, _, doc in docs.named_constants(module) if not doc.strip()]
    assert not undocumented, f"{module}: give these constants a docstring: {undocumented}"


def test_every_phase_module_is_in_the_constants_table() -> None:
    modules = {f"sim.phases.{p.stem}" for p in (SIM / "phases").glob("*.py")} - {
        "sim.phases.__init__"
    }
    assert modules <= set(docs.CONSTANT_MODULES)
