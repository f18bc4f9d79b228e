"""The tools researchers already use drive the model with no glue: Mesa's batch_run, the EMA
Workbench (with PRIM on the result) and SALib, each through its own documented API."""

from __future__ import annotations

import multiprocessing
import warnings

import numpy as np
import pandas as pd
import pytest

import sim.ema
import sim.salib
from sim import CoCreationModel
from sim.core.params import params_in
from sim.core.scenario import ScenarioError
from sim.runs.outcomes import OUTCOMES, run_scenario

CITIZENS = 300


@pytest.fixture
def start_method():
    """batch_run sets the spawn start method for the whole process; put it back after."""
    before = multiprocessing.get_start_method(allow_none=True)
    yield
    multiprocessing.set_start_method(before, force=True)


def test_batch_run_as_mesa_documents_it(start_method) -> None:
    import mesa

    results = mesa.batch_run(
        CoCreationModel,
        parameters={
            "scenario": ["baseline", "wigan_deal"],
            "volunteer_expectation": [1.0, 2.0],
            "citizens": CITIZENS,
            "years": 1,
        },
        rng=[0, 1],
        number_processes=2,
        data_collection_period=-1,
        display_progress=False,
    )
    frame = pd.DataFrame(results)
    assert len(frame) == 2 * 2 * 2  # scenarios x expectations x seeds, the last week each
    assert (frame["Step"] == 52).all()  # stopped by itself after a year, not at max_steps
    assert sorted(frame["seed"].unique()) == [0, 1]
    # each row is the run run_scenario makes with the same settings and seed
    row = frame[(frame.scenario == "wigan_deal") & (frame.volunteer_expectation == 2.0)]
    row = row[row.rng == 1].iloc[0]
    direct = run_scenario(
        "wigan_deal", params={"volunteer_expectation": 2.0, "citizens": CITIZENS}, rng=1, years=1
    )
    assert row["mean_trust"] == direct["timeseries"]["mean_trust"].iloc[-1]


def test_run_model_stops_by_itself_and_a_drawn_seed_is_recorded() -> None:
    model = CoCreationModel("baseline", years=1, citizens=CITIZENS)
    model.run_model()
    assert model.week == 52 and not model.running
    frame = model.datacollector.get_model_vars_dataframe()
    assert (frame["seed"] == model.seed).all()
    again = CoCreationModel("baseline", rng=model.seed, years=1, citizens=CITIZENS)
    again.run_model()
    pd.testing.assert_frame_equal(frame, again.datacollector.get_model_vars_dataframe())


def test_group_tables_come_back_through_the_datacollector() -> None:
    model = CoCreationModel("baseline", rng=0, years=1, citizens=CITIZENS, group_tables=True)
    model.run_for(3)
    frame = model.datacollector.get_model_vars_dataframe()
    last = frame["quintiles"].iloc[-1]
    expected = model.quintile_table()
    pd.testing.assert_frame_equal(
        last.reset_index(drop=True), expected[expected.step == 3].reset_index(drop=True)
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"scenario": "no_such_scenario"}, "no such file or bundled scenario"),
        ({"volunteer_expectatoin": 2.0}, "did you mean 'volunteer_expectation'"),
        ({"citizens": 10}, "citizens"),
    ],
)
def test_bad_model_arguments_are_one_line_errors(kwargs: dict, message: str) -> None:
    with pytest.raises(ScenarioError, match=message) as caught:
        CoCreationModel(**{"scenario": "baseline", **kwargs})
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("rng", [[0, 1], 0.5, "seed"])
def test_a_seed_that_is_not_one_integer_is_refused_by_the_model(rng: object) -> None:
    with pytest.raises(ValueError, match=r"^rng: .* allowed one non-negative integer"):
        CoCreationModel("baseline", rng=rng, citizens=CITIZENS)


def test_ema_factory_with_prim() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from ema_workbench import SequentialEvaluator
        from ema_workbench.analysis import prim

    model = sim.ema.model(
        "wigan_deal",
        uncertainties=["burnout_sensitivity", "trust_gain"],
        levers={"leader_period": None},
        outcomes=["burnouts_per_1000_per_year", "final_trust"],
        series=["volunteers"],
        years=1,
        replications=2,
        constants={"citizens": CITIZENS},
    )
    names = {p.name: p for p in [*model.uncertainties, *model.levers]}
    assert (names["burnout_sensitivity"].lower_bound, names["burnout_sensitivity"].upper_bound) == (
        0.01,
        0.1,
    )  # the plausible range
    assert type(names["leader_period"]).__name__ == "IntegerParameter"
    with SequentialEvaluator(model) as evaluator:
        experiments, outcomes = evaluator.perform_experiments(scenarios=8, policies=1)
    burnouts = np.asarray(outcomes["burnouts_per_1000_per_year"])
    assert burnouts.shape == (8,)
    assert np.asarray(outcomes["volunteers"]).shape == (8, 53)  # week 0 to week 52
    # the first experiment is the mean of the two seeds run directly
    first = experiments.iloc[0]
    params = {
        "burnout_sensitivity": first.burnout_sensitivity,
        "trust_gain": first.trust_gain,
        "leader_period": int(first.leader_period),
        "citizens": CITIZENS,
    }
    direct = [
        run_scenario("wigan_deal", params=params, rng=s, years=1)["outcomes"]["final_trust"]
        for s in (0, 1)
    ]
    assert outcomes["final_trust"][0] == pytest.approx(np.mean(direct), abs=1e-15)
    # PRIM on the result, as the workbench documents it
    x = experiments[["burnout_sensitivity", "trust_gain", "leader_period"]]
    y = burnouts > np.median(burnouts)
    box = prim.Prim(x, y, mass_min=0.05).find_box()
    assert box.peeling_trajectory is not None and len(box.peeling_trajectory) >= 1


def test_ema_factory_defaults_to_the_uncertainties_and_refuses_bad_bounds() -> None:
    model = sim.ema.model("baseline", years=1)
    assert len(model.uncertainties) == len(params_in("uncertainties"))
    assert not model.levers
    assert {o.name for o in model.outcomes} == set(OUTCOMES)
    with pytest.raises(ValueError, match=r"^uncertainties.trust_gain: \(0, 99\) is not allowed"):
        sim.ema.model("baseline", uncertainties={"trust_gain": (0.0, 99.0)})
    with pytest.raises(ValueError, match=r"^replications: "):
        sim.ema.model("baseline", replications=[0.5])


def test_salib_problem_spec_from_the_registry() -> None:
    sp = sim.salib.problem(["trust_gain", "leader_period"], outputs=["final_trust"])
    assert sp["bounds"] == [[0.25, 0.7], [4.0, 52.0]]  # plausible ranges
    f = sim.salib.evaluator(sp, "wigan_deal", years=1, constants={"citizens": CITIZENS})
    sp.sample_sobol(8, calc_second_order=False, seed=1)
    # leader_period arrives as a float from the sampler; the evaluator rounds it
    assert not np.all(np.mod(sp.samples[:, 1], 1) == 0)
    sp.evaluate(f).analyze_sobol(calc_second_order=False, seed=1)
    assert sp.results.shape == (8 * 4,)  # N (D + 2) rows, one output
    indices = sp.analysis.to_df()[0]
    assert set(indices.index) == {"trust_gain", "leader_period"}
    row = sp.samples[0]
    direct = run_scenario(
        "wigan_deal",
        params={"trust_gain": row[0], "leader_period": round(row[1]), "citizens": CITIZENS},
        rng=0,
        years=1,
    )
    assert sp.results[0] == direct["outcomes"]["final_trust"]
