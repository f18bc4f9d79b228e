"""Invariants that must hold after every single week of a long run.

Each case runs a 1,500-citizen municipality for five years (260 weekly steps) with the
numba engine, one week at a time, and after every step checks bounds, bookkeeping
identities (money, hours, state counts) and consistency between the state arrays and
the reporters. The cases are chosen to exercise budget cuts, volunteer overload and
burnout, staff overload, leaders' pull-back and service withdrawal.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim import CoCreationModel
from sim.core import survey
from sim.core.params import HOURS_PER_WEEK
from sim.core.scenario import load_scenario
from sim.core.state import Role

CITIZENS = 1500
NEIGHBOURHOODS = 6
WEEKS = 260
SEED = 20

CASES: dict[str, dict] = {
    # the Wigan Deal under budget pressure, so cuts happen
    "wigan_cuts": {"budget_pressure": 0.1},
    # the Wigan pitfall: unrealistic expectations, no support
    "wigan_overloaded": {"volunteer_expectation": 3.0, "volunteer_support": 0.0},
    # staff overload, an impatient council, services withdrawn, deep cuts
    "wigan_dark_side": {
        "logic_npm": 1.0,
        "logic_bureaucracy": 1.0,
        "logic_cocreation": 1.0,
        "service_withdrawal": 0.5,
        "political_patience": 13.0,
        "prevention_effect": 0.0,
        "budget_pressure": 0.2,
        "community_fund": 30.0,  # a fund that opens groups, so a pull-back has some to fold
    },
}

UNIT_CITIZEN_FIELDS = (
    "trust",
    "disposition",
    "exhaustion",
    "cynicism",
    "mattering",
    "wellbeing",
    "need",
    "commitment",
)

SURVEY_SHARES = (
    "civic_participation_12m",
    "formal_volunteering_monthly",
    "formal_volunteering_yearly",
    "high_trust_share",
)

COST_LINES = ("cost_staff", "cost_fund", "cost_coordination", "cost_support", "cost_acute")

UNIT_REPORTERS = (
    "participation_rate",
    "top10_hours_share",
    "participant_representativeness",
    "service_quality",
    "cocreation_hours_share",
    "responsibility_withdrawn",
    "mean_trust",
    "mean_wellbeing",
    "mean_mattering",
    "professional_strain",
    "participation_q1",
    "participation_q5",
    "budget_factor",
)


def _close(a: float, b: float, scale: float, rel: float = 1e-9) -> bool:
    return abs(a - b) <= rel * max(1.0, abs(scale))


class Checker:
    """Checks one model after every step; collects what was exercised."""

    def __init__(self, model: CoCreationModel) -> None:
        self.m = model
        self.n = model.n_citizens
        c = model.world.citizens
        self.prev_hours_total = c.hours_total.copy()
        self.prev_burnouts = c.burnouts.copy()
        self.prev_reserves = model.ledger["reserves"]
        self.prev_embedded = 0.0
        self.gone = c.state == Role.GONE
        self.start_disposition = c.disposition.copy()
        self.cum_burnouts = 0
        self.error: str | None = None
        self.seen = {
            "burnouts": 0,
            "arenas_closed": 0,
            "volunteers_in_closed_arena": 0,
            "max_strain": 0.0,
            "min_budget_factor": 1.0,
            "pullbacks": 0,
            "withdrawn": 0.0,
            "recruits": 0,
        }

    def step(self) -> None:
        m = self.m
        open_before = m.world.arenas.open.copy()
        m.step()
        week = m.steps
        try:
            self._check(open_before)
        except AssertionError as exc:
            raise AssertionError(f"week {week}: {exc}") from exc

    def _check(self, open_before: np.ndarray) -> None:
        m, n = self.m, self.n
        c, ar, hd, pr = m.world.citizens, m.world.arenas, m.world.hoods, m.world.professionals
        r = m.metrics
        df_row = {k: m.datacollector.model_vars[k][-1] for k in m.datacollector.model_vars}
        assert df_row.pop("seed") == m.seed, "the DataCollector row does not carry the seed"
        assert df_row == r, "the DataCollector row is not the step's metrics"

        # --- no NaN or inf anywhere
        for name, value in r.items():
            assert math.isfinite(float(value)), f"reporter {name} is {value}"
        for group in (c, ar, hd, pr):
            for field in group._fields:
                arr = getattr(group, field)
                assert np.all(np.isfinite(arr)), f"{type(group).__name__}.{field} not finite"

        # --- bounds
        for field in UNIT_CITIZEN_FIELDS:
            arr = getattr(c, field)
            assert arr.min() >= 0.0 and arr.max() <= 1.0, f"citizens.{field} outside [0, 1]"
        assert pr.strain.min() >= 0.0 and pr.strain.max() <= 1.0, "strain outside [0, 1]"
        for name in UNIT_REPORTERS:
            assert 0.0 <= r[name] <= 1.0, f"{name} = {r[name]} outside [0, 1]"
        assert r["budget_factor"] > 0.0
        assert c.hours.min() >= 0.0 and c.load.min() >= 0.0
        assert np.all(c.hours <= m.params.work_limit * c.free_time + 1e-9), "work limit broken"

        # --- trust is the beta reputation of its evidence, with the disposition as prior
        assert c.trust_a.min() >= 0.0 and c.trust_b.min() >= 0.0
        w = m.params.trust_disposition_weight
        np.testing.assert_allclose(
            c.trust,
            (c.trust_a + w * c.disposition) / (c.trust_a + c.trust_b + w),
            rtol=0,
            atol=1e-12,
        )
        # the disposition lasts: it is where the citizen started
        np.testing.assert_array_equal(c.disposition, self.start_disposition)

        # --- states
        assert set(np.unique(c.state).tolist()) <= {0, 1, 2, 3}
        counts = np.bincount(c.state, minlength=4)
        assert counts.sum() == n
        assert r["volunteers"] == counts[Role.VOLUNTEER]
        assert r["recovering"] == counts[Role.RECOVERING]
        assert r["gone"] == counts[Role.GONE]
        assert r["volunteers"] + r["recovering"] + r["gone"] <= n
        assert np.all(c.state[self.gone] == Role.GONE), "someone came back after leaving for good"
        self.gone = c.state == Role.GONE
        vol = c.state == Role.VOLUNTEER
        # a volunteer takes part in a week they give hours, and only then
        assert np.all(c.part[vol & (c.hours > 0.0)] == 1), "a volunteer gave hours, no part"
        assert np.all(c.part[vol & (c.hours <= 0.0)] == 0), "a volunteer with no hours took part"
        np.testing.assert_array_equal(
            hd.participants,
            np.bincount(c.hood, c.part, len(hd.population)),
            err_msg="Hoods.participants is not the count of those who took part",
        )
        assert np.all(c.part[c.state == Role.RECOVERING] == 0), "a recovering citizen took part"
        assert set(np.unique(c.part).tolist()) <= {0, 1}
        assert _close(r["participation_rate"], c.part.sum() / n, 1.0)

        # --- the survey state and figures (sim.core.survey)
        week = m.week
        for field in ("last_part", "last_occasion", "heard", "ignored"):
            last = getattr(c, field)
            assert last.min() >= -1 and last.max() <= week, f"citizens.{field} outside [-1, week]"
        assert np.all(c.last_part[c.part == 1] == week), "took part without last_part = week"
        occasion = c.last_occasion == week
        assert np.all(c.hours[occasion] > 0.0), "an occasion in a week without hours"
        assert np.all(c.last_part[occasion] == week), "an occasion without taking part"
        assert np.all(c.last_part[c.last_occasion >= 0] >= c.last_occasion[c.last_occasion >= 0])
        # only those taking part speak up (the trust phase runs after the workload phase)
        spoke = survey.spoke_up(c.heard, c.ignored)
        assert np.all(c.last_part[spoke >= 0] >= spoke[spoke >= 0]), "spoke up without taking part"
        for name in SURVEY_SHARES:
            assert 0.0 <= r[name] <= 1.0, f"{name} = {r[name]} outside [0, 1]"
        assert -1.0 <= r["high_trust_gap_heard"] <= 1.0
        assert r["formal_volunteering_monthly"] <= r["formal_volunteering_yearly"]
        took_part_12m = survey.share(survey.within(c.last_part, week, survey.YEAR_WEEKS))
        assert r["civic_participation_12m"] <= took_part_12m + 1e-12

        # --- money is conserved
        led = m.ledger
        scale = led["total_income"]
        assert _close(led["reserves"], led["total_income"] - led["total_costs"], scale, 1e-6)
        assert _close(r["reserves"], led["reserves"], scale)
        assert _close(r["costs"], sum(r[k] for k in COST_LINES), r["costs"])
        assert all(r[k] >= 0.0 for k in COST_LINES), "negative cost line"
        assert _close(r["reserves"] - self.prev_reserves, r["income"] - r["costs"], scale, 1e-6)
        assert _close(r["net_cost"], r["costs"] - r["income"], r["costs"])
        self.prev_reserves = r["reserves"]
        # staff time: coordination and volunteer support are paid hours, not money on top
        assert pr.coordination.min() >= 0.0 and pr.support.min() >= 0.0
        cost_h = m.params.service_cost_per_hour
        paid = np.maximum(0.0, hd.fte * HOURS_PER_WEEK * r["staff_factor"] - hd.withdrawn).sum()
        staff_lines = r["cost_staff"] + r["cost_coordination"] + r["cost_support"]
        assert _close(staff_lines, paid * cost_h, paid * cost_h), "staff lines != paid hours"
        # different conversations embed from none towards the lever, never past it
        embedded = float(m.world.council.embedded[0])
        assert 0.0 <= embedded <= m.params.asset_based_assessment + 1e-12
        assert embedded >= self.prev_embedded, "different conversations un-embedded"
        self.prev_embedded = embedded

        # --- volunteer hours given == hours received
        given = float(c.hours.sum())
        assert _close(given, float(ar.received.sum()), given), "hours given != received"
        assert _close(given, r["volunteer_hours"], given)
        assert _close(given, float(hd.volunteer_hours.sum()), given)
        np.testing.assert_allclose(
            c.hours_total, self.prev_hours_total + c.hours, rtol=1e-12, atol=1e-9
        )
        self.prev_hours_total = c.hours_total.copy()

        # --- only volunteers give hours; the one exception is this week's burnouts,
        # who gave their hours and then burnt out
        gave_but_not_volunteer = (c.hours > 0.0) & ~vol
        assert np.all(c.state[gave_but_not_volunteer] == Role.RECOVERING)
        assert gave_but_not_volunteer.sum() == r["burnouts"]
        assert np.all(c.exhaustion[gave_but_not_volunteer] >= m.params.burnout_threshold)
        new_burnouts = c.burnouts - self.prev_burnouts
        assert new_burnouts.min() >= 0
        assert new_burnouts.sum() == r["burnouts"]
        self.prev_burnouts = c.burnouts.copy()
        self.cum_burnouts += r["burnouts"]
        assert c.burnouts.sum() == self.cum_burnouts

        # --- every volunteer sits in an arena of their own neighbourhood that is open,
        # or that closed this very week (they move at next week's participation phase)
        assert np.all(c.arena[vol] >= 0), "a volunteer without an arena"
        assert np.all(ar.hood[c.arena[vol]] == c.hood[vol]), "volunteer in another ward"
        # ... and each ward's citizens and arenas are one run of rows: the kernels add a
        # ward's and an arena's sums ward by ward in parallel (sim.phases, "Threads")
        ends = hd.first_citizen + hd.population
        assert np.array_equal(c.hood, np.repeat(np.arange(len(ends)), hd.population))
        assert hd.first_citizen[0] == 0 and np.array_equal(ends[:-1], hd.first_citizen[1:])
        assert np.array_equal(ar.hood, np.repeat(np.arange(len(ends)), hd.n_arenas))
        assert np.all(c.arena[~vol] == -1), "a non-volunteer holds an arena"
        closed_arena = vol & (ar.open[np.maximum(c.arena, 0)] == 0)
        stale = np.unique(c.arena[closed_arena])
        assert np.all(open_before[stale] == 1), "a volunteer in an arena closed before"
        assert len(stale) <= r["arenas_closed"]
        assert r["open_arenas"] == ar.open.sum()

        # --- what the run exercised
        s = self.seen
        s["burnouts"] += r["burnouts"]
        s["arenas_closed"] += r["arenas_closed"]
        s["volunteers_in_closed_arena"] += int(closed_arena.sum())
        s["max_strain"] = max(s["max_strain"], float(pr.strain.max()))
        s["min_budget_factor"] = min(s["min_budget_factor"], r["budget_factor"])
        s["pullbacks"] = r["pullbacks"]
        s["withdrawn"] = max(s["withdrawn"], r["responsibility_withdrawn"])
        s["recruits"] += (
            r["recruits_tie"] + r["recruits_anchor"] + r["recruits_outreach"] + r["recruits_call"]
        )


@pytest.fixture(scope="module", params=list(CASES))
def checked_run(request: pytest.FixtureRequest) -> tuple[str, Checker]:
    scenario = load_scenario("wigan_deal").with_overrides(
        {"citizens": CITIZENS, "neighbourhoods": NEIGHBOURHOODS, **CASES[request.param]}
    )
    checker = Checker(CoCreationModel(scenario, rng=SEED, engine="numba"))
    try:
        for _ in range(WEEKS):
            checker.step()
    except AssertionError as exc:  # reported by the tests, as a failure, not an error
        checker.error = str(exc)
    return request.param, checker


def test_invariants_hold_every_week(checked_run: tuple[str, Checker]) -> None:
    _, checker = checked_run
    assert checker.error is None, checker.error
    assert checker.m.steps == WEEKS
    assert len(checker.m.datacollector.get_model_vars_dataframe()) == WEEKS + 1  # and week 0
    assert checker.seen["recruits"] > 0


def test_runs_exercise_what_they_should(checked_run: tuple[str, Checker]) -> None:
    """A case that never cuts, burns out or strains would check nothing there."""
    case, checker = checked_run
    assert checker.error is None, checker.error
    seen = checker.seen
    if case == "wigan_cuts":
        # four annual cuts of 10%, half of each on the lines the model keeps
        assert seen["min_budget_factor"] < 0.85
    if case == "wigan_overloaded":
        assert seen["burnouts"] > 10
    if case == "wigan_dark_side":
        assert seen["max_strain"] > 0.5
        assert seen["pullbacks"] > 0
        assert seen["arenas_closed"] > 0  # a cut fund folds groups it cannot keep
        assert seen["withdrawn"] > 0.0
        assert seen["min_budget_factor"] < 0.75


@pytest.mark.slow
@pytest.mark.parametrize("case", list(CASES))
def test_invariants_ten_years_larger_town(case: str) -> None:
    scenario = load_scenario("wigan_deal").with_overrides(
        {"citizens": 6000, "neighbourhoods": 10, **CASES[case]}
    )
    checker = Checker(CoCreationModel(scenario, rng=SEED + 1, engine="numba"))
    for _ in range(520):
        checker.step()
    assert checker.seen["recruits"] > 0
