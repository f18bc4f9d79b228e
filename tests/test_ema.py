"""EMA Workbench can run the model through ``ReplicatorModel``."""

from __future__ import annotations

import warnings

import numpy as np

from sim.runs.outcomes import ema_function, run_scenario


def test_replicator_model_runs_the_model_with_common_random_numbers() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from ema_workbench import (
            ArrayOutcome,
            Constant,
            RealParameter,
            ReplicatorModel,
            SequentialEvaluator,
        )

    model = ReplicatorModel("cocreate", function=ema_function)
    model.uncertainties = [RealParameter("trust_gain", 0.4, 0.7)]
    model.levers = [RealParameter("outreach", 0.0, 1.0)]
    model.constants = [Constant("scenario", "wigan_deal"), Constant("years", 1),
                       Constant("citizens", 300)]  # fmt: skip
    model.outcomes = [ArrayOutcome("final_trust"), ArrayOutcome("burnouts_per_1000_per_year")]
    model.replications = [{"rng": k} for k in range(2)]
    with SequentialEvaluator(model) as evaluator:
        experiments, outcomes = evaluator.perform_experiments(scenarios=3, policies=1)
    trust = np.asarray(outcomes["final_trust"])
    assert trust.shape == (3, 2)
    # the workbench's first run equals a direct call with the same settings and seed
    first = experiments.iloc[0]
    direct = run_scenario(
        "wigan_deal",
        params={"trust_gain": first.trust_gain, "outreach": first.outreach, "citizens": 300},
        rng=0,
        years=1,
    )
    assert trust[0, 0] == direct["outcomes"]["final_trust"]
