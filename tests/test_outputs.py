"""Self-describing outputs: every table has a data dictionary beside it, run writes its
outcomes, series start at week 0 with integer counts and say which run they are, and the
summary's columns do not depend on the scenarios compared."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from sim.cli import main
from sim.runs.dictionary import describe
from sim.runs.outcomes import OUTCOMES

CITIZENS = ["--citizens", "300", "--years", "1", "-q"]


def _described(folder: Path) -> list[str]:
    """Every CSV of a folder, checked against its data dictionary; their names."""
    tables = sorted(folder.glob("*.csv"))
    assert tables
    for table in tables:
        document = json.loads(table.with_name(table.stem + ".columns.json").read_text())
        columns = list(pd.read_csv(table, nrows=1).columns)
        assert [c["name"] for c in document["columns"]] == columns, table.name
        for column in document["columns"]:
            assert column["unit"] and column["description"], (table.name, column)
            assert len(column["range"]) == 2
    return [t.name for t in tables]


def test_run_folder_describes_itself(tmp_path: Path) -> None:
    out = tmp_path / "run"
    assert main(["run", "wigan_deal", "--seed", "2", "--out", str(out), *CITIZENS]) == 0
    assert _described(out) == ["neighbourhoods.csv", "quintiles.csv", "timeseries.csv"]
    ts = pd.read_csv(out / "timeseries.csv")
    assert ts["step"].iloc[0] == 0 and len(ts) == 53
    assert ts.loc[0, "burnouts"] == 0  # no week has run at week 0
    quint = pd.read_csv(out / "quintiles.csv")
    for count in ("population", "volunteers", "burnouts_total"):
        assert quint[count].dtype.kind == "i", count
    document = json.loads((out / "outcomes.json").read_text())
    assert document["scenario"] == "wigan_deal" and document["seed"] == 2
    assert set(document["outcomes"]) == set(OUTCOMES)
    trust = document["outcomes"]["final_trust"]
    assert trust["unit"] == OUTCOMES["final_trust"].unit and 0 <= trust["value"] <= 1
    assert trust["value"] == pytest.approx(ts["mean_trust"].iloc[-1])


def test_compare_folder_describes_itself_with_a_fixed_summary(tmp_path: Path) -> None:
    out = tmp_path / "cmp"
    args = ["compare", "baseline", "npm", "--replicates", "2", "--workers", "1"]
    assert main([*args, "--out", str(out), *CITIZENS]) == 0
    assert set(_described(out)) == {"comparison.csv", "runs.csv", "summary.csv",
                                    "timeseries.csv"}  # fmt: skip
    summary = pd.read_csv(out / "summary.csv")
    assert not [c for c in summary.columns if c.startswith("diff_vs")]
    assert (summary["reference"] == "baseline").all() and "diff" in summary.columns
    ts = pd.read_csv(out / "timeseries.csv")
    assert list(ts.columns[:3]) == ["scenario", "seed", "step"]
    assert set(ts["step"]) == set(range(53))
    # the stored series say which run they are, not only in their file names
    stored = sorted((out / "store" / "series").glob("*.parquet")) or sorted(
        out.rglob("series/*.parquet")
    )
    assert len(stored) == 4
    one = pd.read_parquet(stored[0])
    assert {"scenario", "seed"} <= set(one.columns)
    assert one["scenario"].nunique() == 1 and one["seed"].nunique() == 1


def test_an_undescribed_column_is_an_error() -> None:
    with pytest.raises(KeyError, match="column 'no_such_column' is in no registry"):
        describe("no_such_column", "timeseries")
