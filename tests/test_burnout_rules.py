"""Burnout's rules as job demands against resources: properties of the scalar rules.

Issue 12. Exhaustion settles at an interior level under a steady moderate load below free
time, its weekly change is continuous in the demand ratio (overload raises it steeply but
nothing switches on at a ratio of one), and cynicism has its own drivers: at equal
exhaustion, unanswered voice and broken promises raise it. The rules are called as plain
Python, as the reference engine calls them; the kernels compile the same functions.
"""

from __future__ import annotations

from helpers import DEFAULT
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.phases.burnout import (
    HIGH_CYNICISM,
    HIGH_EXHAUSTION,
    broken_promise_cynicism,
    cynicism_target,
    demand_strain,
    imposed_share,
    job_resources,
    unanswered_voice,
    update_cynicism,
    update_exhaustion,
)

SENSITIVITY = DEFAULT["burnout_sensitivity"]
RECOVERY = DEFAULT["role_recovery_rate"]
BUFFER = DEFAULT["resource_buffer"]
CONVEXITY = DEFAULT["demand_convexity"]


def _week(e: float, ratio: float, resources: float = 0.3, **kw: float) -> float:
    args = {
        "sensitivity": SENSITIVITY,
        "recovery": RECOVERY,
        "resources": resources,
        "buffer": BUFFER,
        "convexity": CONVEXITY,
        **kw,
    }
    return update_exhaustion(e, ratio, **args)


def _settle(ratio: float, start: float, weeks: int = 3000, **kw: float) -> float:
    e = start
    for _ in range(weeks):
        e = _week(e, ratio, **kw)
    return e


@settings(max_examples=60, deadline=None)
@given(
    ratio=st.floats(0.2, 0.9),
    resources=st.floats(0.0, 1.0),
    start_low=st.floats(0.0, 0.2),
    start_high=st.floats(0.8, 1.0),
    sensitivity=st.floats(0.01, 0.1),
    recovery=st.floats(0.02, 0.2),
)
def test_exhaustion_settles_inside_under_a_steady_moderate_load(
    ratio: float,
    resources: float,
    start_low: float,
    start_high: float,
    sensitivity: float,
    recovery: float,
) -> None:
    """A steady load below free time: exhaustion settles strictly between 0 and 1, at the
    same level from below and from above (a stable interior equilibrium, not 0 or 1)."""
    kw = {"resources": resources, "sensitivity": sensitivity, "recovery": recovery}
    low = _settle(ratio, start_low, **kw)
    high = _settle(ratio, start_high, **kw)
    assert 0.0 < low < 1.0
    assert abs(low - high) < 1e-6
    # and it is the fixed point of the weekly change
    assert abs(_week(low, ratio, **kw) - low) < 1e-9


def test_exhaustion_rises_with_the_load_below_free_time() -> None:
    """More of one's free time given, more chronic exhaustion; 60% already strains."""
    levels = [_settle(r, 0.0) for r in (0.2, 0.4, 0.6, 0.8)]
    assert levels == sorted(levels)
    assert levels[2] > 0.1  # 60% of free time is under some strain
    assert levels[0] < HIGH_EXHAUSTION  # a light load is not high exhaustion


@settings(max_examples=60, deadline=None)
@given(e=st.floats(0.0, 1.0), resources=st.floats(0.0, 1.0))
def test_weekly_change_is_continuous_in_the_demand_ratio_at_one(e: float, resources: float) -> None:
    """No switch at a load equal to free time: the change just below and just above a ratio
    of one differ by no more than the step in the ratio allows."""
    eps = 1e-7
    below = _week(e, 1.0 - eps, resources) - e
    above = _week(e, 1.0 + eps, resources) - e
    at = _week(e, 1.0, resources) - e
    assert abs(above - below) < 1e-5
    assert abs(at - below) < 1e-5


def test_overload_raises_exhaustion_steeply() -> None:
    """Convex in the ratio: the rise from 1 to 1.5 exceeds the rise from 0.5 to 1."""
    e = 0.3

    def change(r: float) -> float:
        return _week(e, r) - e

    assert change(1.5) - change(1.0) > change(1.0) - change(0.5) > 0.0
    assert demand_strain(2.0, CONVEXITY) > 2.0 * demand_strain(1.0, CONVEXITY)


def test_resources_buffer_exhaustion() -> None:
    """Support, recognition and control lower the exhaustion a load settles at."""
    poor = job_resources(0.0, 0.0, 1.0)
    rich = job_resources(1.0, 1.0, 0.0)
    assert poor == 0.0 and rich == 1.0
    assert _settle(0.7, 0.0, resources=rich) < _settle(0.7, 0.0, resources=poor)


def test_imposed_share() -> None:
    """Implicit demands and expectations above one are load not chosen."""
    assert imposed_share(0.0, 10.0, 1.0) == 0.0
    assert imposed_share(0.0, 10.0, 0.5) == 0.0  # asked less than their share: all chosen
    assert imposed_share(5.0, 10.0, 1.0) == 0.5
    assert abs(imposed_share(0.0, 10.0, 2.0) - 0.5) < 1e-12
    assert abs(imposed_share(5.0, 10.0, 2.0) - 0.75) < 1e-12
    assert imposed_share(5.0, 0.0, 1.0) == 0.0  # an arena with no load


def _target(e: float, voice: float, unrecognised: float = 0.0, conflict: float = 0.0) -> float:
    return cynicism_target(
        e,
        voice,
        unrecognised,
        conflict,
        DEFAULT["voice_cynicism"],
        DEFAULT["recognition_cynicism"],
        DEFAULT["conflict_cynicism"],
    )


@settings(max_examples=60, deadline=None)
@given(e=st.floats(0.0, 0.95), c=st.floats(0.0, 0.95))
def test_cynicism_rises_with_unanswered_voice_at_equal_exhaustion(e: float, c: float) -> None:
    rate = DEFAULT["cynicism_rate"]
    heard = update_cynicism(c, _target(e, 0.0), rate)
    ignored = update_cynicism(c, _target(e, 1.0), rate)
    assert ignored > heard


@settings(max_examples=60, deadline=None)
@given(c=st.floats(0.0, 0.95), broken=st.floats(0.05, 1.0))
def test_cynicism_rises_with_broken_promises_at_equal_exhaustion(c: float, broken: float) -> None:
    w = DEFAULT["promise_cynicism"]
    assert broken_promise_cynicism(c, broken, w) > broken_promise_cynicism(c, 0.0, w) == c


def test_cynicism_without_its_drivers_follows_exhaustion_and_eases() -> None:
    """Drivers absent: the target is exhaustion itself, and cynicism above it eases."""
    assert abs(_target(0.3, 0.0) - 0.3) < 1e-12
    assert update_cynicism(0.6, _target(0.3, 0.0), DEFAULT["cynicism_rate"]) < 0.6


def test_cynicism_can_be_high_without_high_exhaustion() -> None:
    """Its own drivers can make a volunteer highly cynical below high exhaustion, so
    cynicism can be more common than exhaustion."""
    e = 0.3
    target = _target(e, 1.0, unrecognised=0.8, conflict=0.5)
    assert e < HIGH_EXHAUSTION and target >= HIGH_CYNICISM
    c = 0.0
    for _ in range(200):
        c = update_cynicism(c, target, DEFAULT["cynicism_rate"])
    assert c >= HIGH_CYNICISM


def test_unanswered_voice_window() -> None:
    memory = DEFAULT["voice_memory"]
    assert unanswered_voice(-1, -1, 50, memory) == 0.0  # never spoke up
    assert unanswered_voice(-1, 45, 50, memory) == 1.0  # ignored five weeks ago
    assert unanswered_voice(48, 45, 50, memory) == 0.0  # answered since
    assert unanswered_voice(-1, 20, 50, memory) == 0.0  # too long ago: it has eased
