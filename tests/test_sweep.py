"""The sensitivity pipeline, proven right on a known answer and run on the model."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from sim.cli import main
from sim.runs.sweep import ExperimentError, experiment_from_dict, load_experiment, run_sensitivity

A, B = 7.0, 0.1
PI = math.pi


def ishigami(params: dict[str, float], seed: int) -> dict[str, float]:
    """Ishigami & Homma 1990; ``seed`` is ignored (the function is deterministic)."""
    x1, x2, x3 = params["x1"], params["x2"], params["x3"]
    return {"y": math.sin(x1) + A * math.sin(x2) ** 2 + B * x3**4 * math.sin(x1)}


def analytic() -> dict[str, np.ndarray]:
    """Analytic first-order, total and second-order (1,3) indices of Ishigami."""
    v1 = 0.5 * (1 + B * PI**4 / 5) ** 2
    v2 = A**2 / 8
    v13 = B**2 * PI**8 * (1 / 18 - 1 / 50)
    var = v1 + v2 + v13
    return {
        "S1": np.array([v1, v2, 0.0]) / var,
        "ST": np.array([v1 + v13, v2, v13]) / var,
        "S13": np.array([v13 / var]),
    }


def test_analytic_values_are_the_published_ones() -> None:
    values = analytic()
    np.testing.assert_allclose(values["S1"], [0.3139, 0.4424, 0.0], atol=1e-4)
    np.testing.assert_allclose(values["ST"], [0.5576, 0.4424, 0.2437], atol=1e-4)
    np.testing.assert_allclose(values["S13"], [0.2437], atol=1e-4)


def test_sobol_pipeline_recovers_ishigami_within_its_confidence_intervals() -> None:
    bounds = {name: (-PI, PI) for name in ("x1", "x2", "x3")}
    _, table = run_sensitivity("sobol", bounds, ["y"], ishigami, N=2048, seed=1)
    truth = analytic()
    for index in ("S1", "ST"):
        rows = table[table["index"] == index].set_index("parameter").loc[["x1", "x2", "x3"]]
        error = np.abs(rows.value.to_numpy() - truth[index])
        assert np.all(error <= rows.conf.to_numpy()), (index, rows, truth[index])
    s13 = table[(table["index"] == "S2") & (table.parameter == "x1:x3")].iloc[0]
    assert abs(s13.value - truth["S13"][0]) <= s13.conf, s13


def test_morris_ranks_ishigami_inputs() -> None:
    bounds = {name: (-PI, PI) for name in ("x1", "x2", "x3")}
    _, table = run_sensitivity("morris", bounds, ["y"], ishigami, N=200, seed=1)
    mu_star = table[table["index"] == "mu_star"].set_index("parameter").value
    # x3 acts only through its interaction with x1, so every input matters; x2's
    # elementary effects are the largest in size on average.
    assert (mu_star > 0).all()
    assert mu_star["x2"] > mu_star["x3"]


def test_experiment_validation_names_every_problem() -> None:
    with pytest.raises(ExperimentError) as info:
        experiment_from_dict(
            {
                "method": "fast",
                "parameters": {"outreach": [0, 2], "no_such": [0, 1]},
                "outcomes": ["final_trust", "happiness"],
                "N": 100,
                "colour": "red",
            },
            "bad.yaml",
        )
    message = str(info.value)
    assert "bad.yaml: colour: unknown key" in message
    assert "method: 'fast' is not allowed; allowed: sobol, morris" in message
    assert (
        "parameters.outreach: [0, 2] must be increasing and within the schema's range 0.0 to 1.0"
        in message
    )
    assert "parameters.no_such: not a numeric parameter of the schema" in message
    assert "outcomes: 'happiness' is unknown" in message


def test_bundled_experiments_are_valid() -> None:
    morris = load_experiment("experiments/morris_levers.yaml")
    sobol = load_experiment("experiments/sobol_wigan.yaml")
    assert morris.method == "morris" and len(morris.bounds) >= 20
    assert {"burnouts_per_1000_per_year", "final_trust", "final_wellbeing_gap"} <= set(
        morris.outcomes
    )
    assert sobol.method == "sobol" and sobol.base == "wigan_deal"


def test_cocreate_sweep_on_the_model(tmp_path, capsys) -> None:
    exp = tmp_path / "tiny.yaml"
    exp.write_text(
        "method: morris\nbase: wigan_deal\nparameters:\n  volunteer_expectation: [0.5, 3.0]\n"
        "  recognition: null\n  trust_gain: [0.3, 0.9]\nN: 2\nreplicates: 1\nyears: 1\n"
        "citizens: 300\noutcomes: [burnouts_per_1000_per_year, final_trust]\n"
    )
    out = tmp_path / "out"
    assert main(["sweep", str(exp), "--out", str(out), "--workers", "1"]) == 0
    table = pd.read_csv(out / "indices.csv")
    assert set(table.outcome) == {"burnouts_per_1000_per_year", "final_trust"}
    assert set(table.parameter) == {"volunteer_expectation", "recognition", "trust_gain"}
    samples = pd.read_csv(out / "samples.csv")
    assert len(samples) == 2 * (3 + 1)
    assert (out / "indices.png").read_bytes()[:4] == b"\x89PNG"
    assert "volunteer_expectation" in capsys.readouterr().out
    for name in ("indices", "samples"):  # each table describes its columns beside it
        described = json.loads((out / f"{name}.columns.json").read_text())["columns"]
        columns = list(pd.read_csv(out / f"{name}.csv").columns)
        assert [c["name"] for c in described] == columns
        assert all(c["unit"] and c["description"] for c in described)


def test_cocreate_sweep_refuses_a_broken_file(tmp_path, capsys) -> None:
    exp = tmp_path / "broken.yaml"
    exp.write_text("method: sobol\nparameters: {outreach: [0, 1], recognition: null}\nN: 6\n")
    assert main(["sweep", str(exp), "--out", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert "N: Sobol sampling needs a power of two, got 6" in err
    assert "Traceback" not in err
    assert not (tmp_path / "x").exists()


def test_model_evaluator_tolerates_sampler_overshoot() -> None:
    from sim.runs.sweep import ModelEvaluator

    evaluate = ModelEvaluator("baseline", years=1, citizens=200)
    out = evaluate({"cocreation_substitution": 0.99 + 1e-15, "leader_period": 12.6}, 0)
    assert np.isfinite(out["final_trust"])


# ----------------------------------------------------------------- issue 13: bad files

GOOD = (
    "method: morris\nbase: baseline\nparameters:\n  outreach: null\n  recognition: null\n"
    "N: 2\nyears: 1\ncitizens: 300\noutcomes: [final_trust]\n"
)


@pytest.mark.parametrize(
    ("change", "line", "expected"),
    [
        ("num_levels: 0\n", 10, "num_levels: 0 is out of range; allowed 2 or more"),
        ("num_levels: 1\n", 10, "num_levels: 1 is out of range; allowed 2 or more"),
        ("num_levels: 3\n", 10, "num_levels: 3 is odd; allowed an even number from 2 to 1000"),
        ("num_levels: many\n", 10, "num_levels: expected an integer, got string 'many'"),
        ("second_order: maybe\n", 10, "second_order: expected true or false"),
        ("seed: 18446744073709551615\nreplicates: 2\n", 10, "seed: 18446744073709551615 with 2"),
        ("seed: 100000000000000000000000\n", 10, "seed: 100000000000000000000000 is out of"),
        ("name: [1]\n", 10, "name: expected text, got a list"),
    ],
)
def test_a_bad_value_is_one_line_and_nothing_runs(tmp_path, capsys, change, line, expected):
    exp = tmp_path / "exp.yaml"
    exp.write_text(GOOD + change)
    out = tmp_path / "out"
    assert main(["sweep", str(exp), "--out", str(out), "--workers", "1"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert len(err.splitlines()) == 1, err
    assert err.startswith(f"{exp}:{line}: {expected}"), err
    assert not out.exists()


def test_a_duplicated_outcome_is_refused(tmp_path, capsys) -> None:
    exp = tmp_path / "exp.yaml"
    exp.write_text(GOOD.replace("[final_trust]", "[final_trust, final_trust]"))
    assert main(["sweep", str(exp), "--out", str(tmp_path / "out")]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line == (
        f"{exp}:9: outcomes: 'final_trust' is listed twice (items 0 and 1); list each outcome once"
    )


def test_non_utf8_bytes_are_refused(tmp_path, capsys) -> None:
    exp = tmp_path / "exp.yaml"
    exp.write_bytes(GOOD.encode() + b"name: caf\xe9\n")
    assert main(["sweep", str(exp), "--out", str(tmp_path / "out")]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(f"{exp}: not a UTF-8 text file")


def test_more_runs_than_allowed_are_refused_before_sampling(tmp_path, capsys) -> None:
    exp = tmp_path / "exp.yaml"
    exp.write_text(GOOD.replace("N: 2", "N: 600000"))
    assert main(["sweep", str(exp), "--out", str(tmp_path / "out")]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(f"{exp}:6: N: 1,800,000 sample points") and "allowed up to" in line


def test_bounds_that_break_a_constraint_at_a_corner_are_refused(tmp_path, capsys) -> None:
    exp = tmp_path / "exp.yaml"
    exp.write_text(GOOD.replace("outreach: null", "neighbourhoods: [1, 200]").replace("300", "100"))
    assert main(["sweep", str(exp), "--out", str(tmp_path / "out")]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(f"{exp}:4: parameters.neighbourhoods: at the corner neighbourhoods 200")


def test_an_experiment_names_a_base_that_is_missing_at_its_line(tmp_path, capsys) -> None:
    exp = tmp_path / "exp.yaml"
    exp.write_text(GOOD.replace("base: baseline", "base: nosuch"))
    assert main(["sweep", str(exp), "--out", str(tmp_path / "out")]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(f"{exp}:2: base: 'nosuch': no such file or bundled scenario")
