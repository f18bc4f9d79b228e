"""Trust rules added late in issue 12: a voice's outcome is news once, and a promise's
evidence is given per year whatever the review cycle.

* :func:`sim.phases.trust.voice_news`: the same outcome within ``voice_recency`` weeks adds
  nothing, one older than that (or the first ever) counts, and recency 0 makes every
  outcome news (the rule before it).
* :func:`sim.phases.leadership.check_promises`: the evidence a kept promise adds at each
  check scales with ``leader_period``, so a year of checks adds ``promise_evidence`` at
  any review cycle; a kept promise's at ``promise_kept_credit`` of a broken one's.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim.core.scenario import load_scenario
from sim.model import CoCreationModel
from sim.phases.leadership import check_promises
from sim.phases.trust import voice_news

weeks = st.integers(min_value=0, max_value=5_000)


@given(weeks, st.integers(min_value=0, max_value=200), st.floats(min_value=0.0, max_value=104.0))
def test_voice_news_counts_only_outside_the_window(last: int, gap: int, recency: float) -> None:
    step = last + gap
    news = voice_news(last, step, recency)
    assert news == (1.0 if gap > recency else 0.0)


@given(weeks, st.floats(min_value=0.0, max_value=104.0))
def test_a_first_outcome_is_always_news(step: int, recency: float) -> None:
    assert voice_news(-1, step, recency) == 1.0


@given(weeks, st.integers(min_value=1, max_value=200))
def test_recency_zero_makes_every_later_outcome_news(last: int, gap: int) -> None:
    assert voice_news(last, last + gap, 0.0) == 1.0


def promises_after_a_year(rng: int, **overrides: float) -> tuple[CoCreationModel, tuple]:
    """A small Wigan Deal run for a year, and its promises checked as they then stand."""
    scenario = load_scenario("wigan_deal").with_overrides(
        {"citizens": 200, "neighbourhoods": 2, **overrides}
    )
    model = CoCreationModel(scenario, rng=rng)
    model.run_for(1)
    return model, check_promises(model.world, model.params, model.policy, model.deal)


@pytest.mark.parametrize("period", [4, 13, 26, 52])
def test_promise_evidence_is_per_year_whatever_the_review_cycle(period: int) -> None:
    model, (checked, good, bad) = promises_after_a_year(2, leader_period=period)
    kept = sum(1.0 for _, was_kept in checked if was_kept)  # every promise has weight 1
    broken = len(checked) - kept
    p = model.params
    assert good * 52.0 / period == pytest.approx(kept * p.promise_evidence * p.promise_kept_credit)
    assert bad * 52.0 / period == pytest.approx(broken * p.promise_evidence)


@pytest.mark.parametrize("credit", [0.0, 0.25, 1.0])
def test_a_kept_promise_is_credited_at_its_share_and_a_broken_one_in_full(credit: float) -> None:
    """James & Moseley 2014: good news counts for less than bad (promise_kept_credit)."""
    _, (full, good_full, bad_full) = promises_after_a_year(3, promise_kept_credit=1.0)
    _, (shared, good, bad) = promises_after_a_year(3, promise_kept_credit=credit)
    assert shared == full  # the same promises kept: the credit changes only what they add
    assert any(kept for _, kept in full)
    assert good == pytest.approx(credit * good_full)
    assert bad == bad_full
