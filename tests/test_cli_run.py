"""`cocreate run` and `cocreate compare` end to end with the real model."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from sim.cli import main
from sim.model.reporters import REPORTERS

REQUIRED = [
    "participation_rate",
    "volunteers",
    "champions",
    "volunteer_hours",
    "top10_hours_share",
    "burnouts",
    "mean_trust",
    "trust_gap_q5_q1",
    "mean_wellbeing",
    "wellbeing_gap_q5_q1",
    "public_value",
    "service_demand",
    "net_cost",
    "participant_representativeness",
    "professional_strain",
]


def _small(tmp_path, name, extends):
    path = tmp_path / f"{name}.yaml"
    path.write_text(
        f"name: {name}\nextends: {extends}\nmunicipality:\n  citizens: 600\n  neighbourhoods: 3\n"
    )
    return str(path)


def test_required_reporters_are_declared():
    assert set(REQUIRED) <= set(REPORTERS)


def test_run_writes_timeseries_tables_and_manifest(tmp_path, capsys):
    scenario = _small(tmp_path, "small_wigan", "wigan_deal")
    out = tmp_path / "out"
    code = main(["run", scenario, "--seed", "3", "--years", "1", "--out", str(out), "-q"])
    assert code == 0
    ts = pd.read_csv(out / "timeseries.csv")
    assert len(ts) == 53  # week 0, the start, and 52 weeks
    assert list(ts["step"]) == list(range(53))
    assert set(REQUIRED) <= set(ts.columns)
    assert not ts[REQUIRED].isna().any().any()
    hoods = pd.read_csv(out / "neighbourhoods.csv")
    assert len(hoods) == 53 * 3
    quint = pd.read_csv(out / "quintiles.csv")
    assert len(quint) == 53 * 5
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seed"] == 3
    assert manifest["engine"] == "numba"
    assert manifest["scenario"]["municipality"]["citizens"] == 600
    assert manifest["package_version"]
    assert manifest["run_seconds"] > 0
    assert not list(out.glob("*.tmp*"))
    printed = capsys.readouterr().out
    assert "small_wigan" in printed and str(out) in printed


def test_run_is_reproducible(tmp_path):
    scenario = _small(tmp_path, "small_base", "baseline")
    for k in (1, 2):
        assert main(["run", scenario, "--years", "1", "--out", str(tmp_path / f"r{k}"), "-q"]) == 0
    a = (tmp_path / "r1" / "timeseries.csv").read_bytes()
    b = (tmp_path / "r2" / "timeseries.csv").read_bytes()
    assert a == b


def test_compare_writes_paired_table_and_figure(tmp_path, capsys):
    a = _small(tmp_path, "a_base", "baseline")
    b = _small(tmp_path, "b_wigan", "wigan_deal")
    out = tmp_path / "cmp"
    code = main(["compare", a, b, "--replicates", "2", "--years", "1", "--out", str(out), "-q"])
    assert code == 0
    runs = pd.read_csv(out / "runs.csv")
    assert len(runs) == 4
    assert sorted(runs["seed"].unique()) == [0, 1]
    table = pd.read_csv(out / "comparison.csv")
    assert list(table["scenario"]) == ["a_base", "b_wigan"]
    assert (out / "comparison.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (out / "outcomes.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "a_base" in capsys.readouterr().out
    summary = pd.read_csv(out / "summary.csv")
    assert set(summary.scenario) == {"a_base", "b_wigan"}
    assert (summary.n == 2).all()
    assert (summary.ci_low <= summary["mean"]).all() and (summary["mean"] <= summary.ci_high).all()
    first = summary[summary.scenario == "a_base"]
    assert (first["diff"] == 0).all() and (summary.reference == "a_base").all()
    second = summary[summary.scenario == "b_wigan"].set_index("outcome")
    means = runs.groupby("scenario").mean(numeric_only=True)
    expected = means.loc["b_wigan", "final_trust"] - means.loc["a_base", "final_trust"]
    assert second.loc["final_trust", "diff"] == pytest.approx(expected)


def test_compare_refuses_a_broken_scenario(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("levers:\n  outreach: 7\n")
    assert main(["compare", str(bad), "--out", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert "bad.yaml:2: levers.outreach" in err
    assert not (tmp_path / "x").exists()


def test_negative_seed_is_refused_without_traceback(tmp_path, capsys):
    for command in (["run", "baseline"], ["compare", "baseline"]):
        assert main([*command, "--seed", "-1", "--out", str(tmp_path / "x")]) == 2
        err = capsys.readouterr().err
        assert "--seed: -1 is out of range" in err
        assert "Traceback" not in err


def test_mean_ci_matches_student_t():
    from scipy import stats

    from sim.runs.compare import mean_ci

    values = [1.0, 2.0, 4.0, 7.0]
    mean, low, high = mean_ci(values)
    expected = stats.t.interval(0.95, 3, loc=3.5, scale=stats.sem(values))
    assert mean == 3.5
    assert (low, high) == pytest.approx(expected)
    single = mean_ci([2.0])
    assert single[0] == 2.0 and all(x != x for x in single[1:])  # NaN bounds


def test_run_scenario_is_exported_and_picklable():
    import pickle

    import sim

    assert pickle.loads(pickle.dumps(sim.run_scenario)) is sim.run_scenario
    result = sim.run_scenario("baseline", params={"citizens": 200}, rng=1, years=1)
    assert len(result["timeseries"]) == 53  # week 0 and 52 weeks
    assert result["timeseries"].index[0] == 0
    assert set(result["outcomes"]) >= {"final_participation", "burnouts_per_1000_per_year"}


@pytest.mark.parametrize("seed", [[0, 1], 0.5, "1", -1, True])
def test_a_seed_that_is_not_one_integer_is_refused(seed: object) -> None:
    import sim

    with pytest.raises(ValueError, match=r"^rng: .*allowed one non-negative integer"):
        sim.run_scenario("baseline", params={"citizens": 200}, rng=seed, years=1)


def test_compare_manifest_records_provenance(tmp_path):
    a = _small(tmp_path, "a_base", "baseline")
    out = tmp_path / "cmp"
    assert main(["compare", a, "--years", "1", "--out", str(out), "-q", "--workers", "1"]) == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["package_version"] and manifest["seeds"] == [0]
    assert "a_base" in manifest["scenarios"]
