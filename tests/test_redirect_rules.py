"""Different conversations (asset-based assessment): properties of the rules, and the lever.

Issue 12. Where social-care assessments are held as "different conversations" (Wigan's Deal
for Adult Social Care and Health; Naylor & Wellings 2019), the assessor connects a citizen to
the community support their ward offers for the co-producible part of their care need, in
place of paid service. The hours so connected are bounded by that co-producible care need and
by the service hours the ward's arenas give; they are met while the community gives them, and
unmet when it stops. Without different conversations nothing changes. The rules are called
as plain Python, as the reference engine calls them; the kernels compile the same functions.
"""

from __future__ import annotations

import itertools

import pytest
from helpers import DEFAULT
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.core.scenario import load_scenario
from sim.phases.public_value import (
    VOLUNTEER_COVER,
    care_coproducible,
    coproducible_share,
    embedded_share,
    redirected_hours,
    redirected_met,
    service_met,
)
from sim.runs.outcomes import run_scenario

RHO = DEFAULT["service_substitution"]

hours = st.floats(0.0, 500.0)
shares = st.floats(0.0, 1.0)


class _Params:
    """The registry's defaults, as the rules read them (attribute access)."""

    def __init__(self, **changes: float) -> None:
        self.__dict__.update({**DEFAULT, **changes})


@settings(max_examples=200, deadline=None)
@given(demand=hours, service=hours, share=shares)
def test_no_conversations_connect_nothing(demand: float, service: float, share: float) -> None:
    assert redirected_hours(demand, service, share, 0.0) == 0.0


@settings(max_examples=200, deadline=None)
@given(demand=hours, service=hours, share=shares, assessment=shares)
def test_connected_hours_are_bounded_by_care_need_and_by_what_the_community_gives(
    demand: float, service: float, share: float, assessment: float
) -> None:
    r = redirected_hours(demand, service, share, assessment)
    assert 0.0 <= r <= share * demand + 1e-9
    assert r <= VOLUNTEER_COVER * service + 1e-9
    # More conversations never connect fewer hours.
    assert redirected_hours(demand, service, share, 1.0) >= r


def test_only_the_co_producible_part_of_care_is_connected() -> None:
    p = _Params()
    care = care_coproducible(p)
    assert 0.0 < care < coproducible_share(p)
    assert care_coproducible(_Params(coproducible_care=0.0)) == 0.0


@settings(max_examples=200, deadline=None)
@given(capacity=hours, service=hours, demand=st.floats(1.0, 500.0))
def test_with_nothing_redirected_services_are_met_as_before(
    capacity: float, service: float, demand: float
) -> None:
    cop = coproducible_share(_Params())
    assert redirected_met(capacity, service, demand, cop, RHO, 0.0) == service_met(
        capacity, service, demand, cop, RHO
    )


@settings(max_examples=200, deadline=None)
@given(demand=st.floats(10.0, 500.0), service=st.floats(0.0, 500.0), assessment=shares)
def test_connected_need_is_met_while_the_community_gives_it(
    demand: float, service: float, assessment: float
) -> None:
    p = _Params()
    cop = coproducible_share(p)
    r = redirected_hours(demand, service, care_coproducible(p), assessment)
    # Professionals staffed for the rest of the need: all of it is met.
    assert redirected_met(demand - r, service, demand, cop, RHO, r) == pytest.approx(1.0)


def test_connected_need_goes_unmet_when_the_groups_fold() -> None:
    p = _Params()
    cop = coproducible_share(p)
    demand, service = 100.0, 100.0
    r = redirected_hours(demand, service, care_coproducible(p), 1.0)
    assert r > 0.0
    kept = redirected_met(demand - r, service, demand, cop, RHO, r)
    folded = redirected_met(demand - r, 0.0, demand, cop, RHO, r)
    assert kept == pytest.approx(1.0)
    assert folded == pytest.approx(1.0 - r / demand)


def test_status_quo_holds_no_different_conversations() -> None:
    assert load_scenario("baseline").levers["asset_based_assessment"] == 0.0
    assert load_scenario("austerity").levers["asset_based_assessment"] == 0.0
    assert load_scenario("wigan_deal").levers["asset_based_assessment"] > 0.0


def test_conversations_lower_what_staff_are_sized_to_not_the_need_met() -> None:
    """On the Wigan Deal, conversations mean fewer staff and no more unmet need.

    Without the cuts, which cap staffing below what demand asks for once the conversations
    have embedded (``assessment_embedding``), so that both runs then pay the same staff.
    """
    years = 3
    context = {"citizens": 1500, "budget_pressure": 0.0}
    on = run_scenario("wigan_deal", params=context, rng=1, years=years)
    off = run_scenario(
        "wigan_deal",
        params={**context, "asset_based_assessment": 0.0},
        rng=1,
        years=years,
    )
    late = slice(-52, None)
    ts_on, ts_off = on["timeseries"].iloc[late], off["timeseries"].iloc[late]
    assert ts_on.cost_staff.mean() < ts_off.cost_staff.mean()
    assert ts_on.unmet_demand.mean() <= ts_off.unmet_demand.mean() + 1e-9


def embed(weeks: float, lever: float, steps: int, start: float = 0.0) -> list[float]:
    """The embedded share week by week, from ``start``, under a steady lever."""
    shares, embedded = [], start
    for _ in range(steps):
        embedded = embedded_share(embedded, lever, weeks)
        shares.append(embedded)
    return shares


@settings(max_examples=40, deadline=None)
@given(weeks=st.floats(20.0, 300.0), lever=st.floats(0.05, 1.0))
def test_conversations_embed_with_a_lag_and_never_overshoot(weeks: float, lever: float) -> None:
    """A first-order lag: 63% of the lever after its time constant, 95% after three."""
    steps = int(3 * weeks) + 1
    shares = embed(weeks, lever, steps)
    assert all(b >= a for a, b in itertools.pairwise(shares))
    assert all(0.0 <= x <= lever for x in shares)
    assert 0.6 * lever <= shares[int(weeks) - 1] <= 0.65 * lever
    assert shares[-1] >= 0.94 * lever
    # a pull-back of the lever un-embeds at the same pace, down to it
    back = embed(weeks, 0.0, steps, start=lever)
    assert all(b <= a for a, b in itertools.pairwise(back))
    assert back[-1] <= 0.06 * lever


def test_without_a_lag_conversations_follow_the_lever_at_once() -> None:
    assert embed(0.0, 0.8, 3) == [0.8, 0.8, 0.8]
    assert embed(1.0, 0.8, 1) == [0.8]
