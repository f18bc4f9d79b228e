"""Every scalar rule gives the same number compiled as in plain Python, to the last bit.

The numba engine runs a rule compiled into its kernels and the reference engine runs it as
Python (:func:`sim.core.jit.rule`), so the engines agree bit for bit only if each rule does.
A one-ulp difference rarely flips a decision, so a run can agree for years while a rule
disagrees: ``x ** k`` with an integer ``k`` compiled to repeated multiplication and
differed from Python's ``pow`` for most ``x`` in two rules until this test found them.

Each rule whose arguments are all ``float``, ``int`` or ``bool`` (by its annotations) is
compiled on its own and called on inputs in the model's range: floats in [0, 3] with 0, ½
and 1 often, whole numbers 0-60 (counts, weeks) and both truths. Both forms must give the
same bits, or raise the same exception; inputs for which Python gives a complex number
(a share above one in a power) are outside the rule's range and skipped. Rules that take a
record (a person, the parameters) are compared by the engines' agreement test
(``tests/test_engines.py``) instead.
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

CALLS = 300
SCALARS = ("float", "int", "bool")


def _scalar(fn: Callable[..., Any]) -> bool:
    return all(p.annotation in SCALARS for p in inspect.signature(fn).parameters.values())


SCALAR_RULES = [fn for fn in RULES if _scalar(fn)]


def _draw(kind: str, rng: np.random.Generator) -> Any:
    if kind == "int":
        return int(rng.integers(0, 61))
    if kind == "bool":
        return bool(rng.integers(0, 2))
    special = rng.integers(0, 5)
    return (0.0, 0.5, 1.0)[special] if special < 3 else float(rng.uniform(0.0, 3.0))


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


def test_every_module_with_rules_registered_them() -> None:
    names = {fn.__module__ for fn in RULES}
    assert {"sim.phases.recruitment", "sim.phases.participation", "sim.core.survey"} <= names
    assert len(SCALAR_RULES) >= 0.8 * len(RULES)


@pytest.mark.parametrize("fn", SCALAR_RULES, ids=lambda fn: f"{fn.__module__}.{fn.__name__}")
def test_a_rule_compiled_gives_the_bits_of_the_rule_in_python(fn: Callable[..., Any]) -> None:
    kinds = [p.annotation for p in inspect.signature(fn).parameters.values()]
    compiled = numba.njit(fn)
    rng = np.random.default_rng(sum(map(ord, fn.__name__)))
    compared = 0
    for _ in range(CALLS):
        args = [_draw(kind, rng) for kind in kinds]
        try:
            python = _outcome(fn, args)
        except OutsideRange:  # a share above 1 in a power, say
            continue
        numba_ = _outcome(compiled, args)
        assert python == numba_, f"{fn.__name__}{tuple(args)}: Python {python}, compiled {numba_}"
        compared += 1
    assert compared >= CALLS // 2
