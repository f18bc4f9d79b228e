"""Every parameter has a plausible range: inside its allowed range, around its default, sourced."""

from __future__ import annotations

import pytest

from sim.core.params import PARAMS, Param


@pytest.mark.parametrize("p", PARAMS, ids=lambda p: p.name)
def test_the_plausible_range_is_inside_the_allowed_one_and_holds_the_default(p: Param) -> None:
    assert p.plausible is not None, f"{p.name}: no plausible range"
    lo, hi = p.plausible
    assert p.low <= lo < hi <= p.high, f"{p.name}: {p.plausible} outside {p.low}-{p.high}"
    assert lo <= p.default <= hi, f"{p.name}: default {p.default} outside {p.plausible}"
    if p.kind == "int":
        assert float(lo).is_integer() and float(hi).is_integer(), p.name


@pytest.mark.parametrize("p", PARAMS, ids=lambda p: p.name)
def test_the_plausible_range_has_a_source_or_a_stated_judgement(p: Param) -> None:
    stated = "plausible" in p.source
    judged = p.plausible_basis.startswith("judgement: ")
    assert stated != judged, f"{p.name}: say where {p.plausible} comes from, once"
    assert p.full_source.startswith(p.source)
