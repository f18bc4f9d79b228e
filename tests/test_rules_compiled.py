"""Every scalar rule gives the same number compiled as in plain Python, to the last bit.

The numba engine runs a rule compiled into its kernels and the reference engine runs it as
Python (:func:`sim.core.jit.rule`), so the engines agree bit for bit only if each rule does.
A one-ulp difference rarely flips a decision, so a run can agree for years while a rule
disagrees: ``x ** k`` with an integer ``k`` compiled to repeated multiplication and
differed from Python's ``pow`` for most ``x`` in two rules until this test found them.

Each rule is compiled on its own and called on inputs in the model's range, drawn by
the annotation of each argument: floats in [0, 3] with 0, ½ and 1 often, whole numbers
0-60 (counts, weeks), both truths, a :class:`~sim.phases.common.Person` of such floats, and
the parameters each drawn in its plausible range (:data:`sim.core.params.PARAMS`). Both
forms must give the same bits, or raise the same exception; inputs for which Python gives
a complex number (a share above one in a power) are outside the rule's range and skipped.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable
from typing import Any

import numba
import numpy as np
import pytest

# imported for the rules they define
import sim.model.census
import sim.phases  # noqa: F401
from sim.core.jit import RULES
from sim.core.params import PARAMS
from sim.core.state import ParamTuple
from sim.phases.common import Person

CALLS = 300


def _float(rng: np.random.Generator) -> float:
    special = rng.integers(0, 5)
    return (0.0, 0.5, 1.0)[special] if special < 3 else float(rng.uniform(0.0, 3.0))


def _params(rng: np.random.Generator) -> ParamTuple:
    """Every parameter drawn in its plausible range (whole numbers for an int)."""
    values = []
    for param in PARAMS:
        low, high = param.plausible_range
        value = float(rng.uniform(low, high)) if np.isfinite(high - low) else param.default
        values.append(float(round(value) if param.kind != "float" else value))
    return ParamTuple(*values)


DRAWS: dict[str, Callable[[np.random.Generator], Any]] = {
    "float": _float,
    "float | np.ndarray": _float,
    "int": lambda rng: int(rng.integers(0, 61)),
    "bool": lambda rng: bool(rng.integers(0, 2)),
    "Person": lambda rng: Person(*(_float(rng) for _ in Person._fields)),
    "ParamTuple": _params,
    "Any": _params,  # the parameters, or a record of some of them
}
"""How to draw an argument, by its annotation."""


class OutsideRange(Exception):
    """Python gave a complex number: the inputs are outside the rule's range."""


def _bits(value: Any) -> Any:
    """A value with each float as its exact hex form, so equal means equal bits."""
    if isinstance(value, complex):
        raise OutsideRange
    if isinstance(value, tuple):
        return tuple(_bits(v) for v in value)
    if isinstance(value, float | np.floating) and not isinstance(value, bool):
        return "nan" if math.isnan(value) else float(value).hex()
    return value


def _outcome(fn: Callable[..., Any], args: list[Any]) -> Any:
    try:
        return _bits(fn(*args))
    except (ArithmeticError, ValueError) as error:
        return type(error).__name__


def _kinds(fn: Callable[..., Any]) -> list[str]:
    return [p.annotation for p in inspect.signature(fn).parameters.values()]


def test_every_rule_is_registered_and_can_be_drawn_for() -> None:
    names = {fn.__module__ for fn in RULES}
    assert {"sim.phases.recruitment", "sim.phases.participation", "sim.core.survey"} <= names
    undrawable = {fn.__name__: _kinds(fn) for fn in RULES if not set(_kinds(fn)) <= set(DRAWS)}
    assert not undrawable, f"add a way to draw these arguments to DRAWS: {undrawable}"


@pytest.mark.parametrize("fn", RULES, ids=lambda fn: f"{fn.__module__}.{fn.__name__}")
def test_a_rule_compiled_gives_the_bits_of_the_rule_in_python(fn: Callable[..., Any]) -> None:
    kinds = _kinds(fn)
    if not set(kinds) <= set(DRAWS):
        pytest.fail(f"no way to draw {kinds}")
    compiled = numba.njit(fn)
    rng = np.random.default_rng(sum(map(ord, fn.__name__)))
    compared = 0
    for _ in range(CALLS):
        args = [DRAWS[kind](rng) for kind in kinds]
        try:
            python = _outcome(fn, args)
        except OutsideRange:  # a share above 1 in a power, say
            continue
        numba_ = _outcome(compiled, args)
        assert python == numba_, f"{fn.__name__}{tuple(args)}: Python {python}, compiled {numba_}"
        compared += 1
    assert compared >= CALLS // 2
