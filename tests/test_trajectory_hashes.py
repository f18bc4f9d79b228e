"""Every bundled strategy's trajectory is bit-identical to the one recorded before a refactor.

A structural change (moving code between modules, renaming, typed records in place of
dicts) must not change what the model does by a single bit. This test reruns every bundled
strategy scenario on a small population, with both engines for one year and with the numba
engine for ten, and compares a SHA-256 hash of each output table with the hashes recorded in
``tests/data/trajectory_hashes.json``:

* ``timeseries``: the DataCollector's reporters, one row per week, as ``timeseries.csv``;
* ``neighbourhoods`` and ``quintiles``: the per-group breakdowns;
* ``promises``: the deal's promises at each review.

Each table is hashed as CSV text with pandas' round-trip float formatting, so a changed
column name, column order, dtype or any value's last bit changes the hash.

What is hashed is the trajectory, the weeks run: the tables' week-0 row (the start, which
issue 14 added to every output) and the DataCollector's ``seed`` column are left out, and
the group tables' counts (written as integers since issue 14) are hashed as the floats
they were recorded as, so that those output changes leave the recorded hashes valid.

The hashes are a property of the code *and* of the floating-point environment (the CPU's
vector instructions that numpy's and numba's maths use, and the numpy and numba versions),
so the file records that environment too. On a machine whose environment differs, the test
is skipped with the reason, rather than failing for a difference the code did not make.

A model change that is meant to change behaviour records new hashes, in its own commit::

    python tests/test_trajectory_hashes.py --record
"""

from __future__ import annotations

import hashlib
import json
import sys
from functools import cache
from pathlib import Path

import numba
import numpy as np
import pandas as pd
import pytest

HERE = Path(__file__).resolve().parent
HASHES = HERE / "data" / "trajectory_hashes.json"

CITIZENS = 400
NEIGHBOURHOODS = 4
SEEDS = (0, 1)
RUNS: tuple[tuple[str, int], ...] = (("numba", 1), ("reference", 1), ("numba", 10))
"""(engine, years) of each recorded run; the reference engine is too slow for ten years."""

TABLES = ("timeseries", "neighbourhoods", "quintiles", "promises")


def environment() -> dict[str, object]:
    """What, besides the code, decides the last bits of a trajectory."""
    try:
        from numpy._core._multiarray_umath import __cpu_features__ as features
    except ImportError:  # pragma: no cover - older numpy layout
        from numpy.core._multiarray_umath import __cpu_features__ as features
    wanted = ("FMA3", "AVX2", "AVX512F", "AVX512_SKX", "NEON", "ASIMD")
    return {
        "numpy": np.__version__,
        "numba": numba.__version__,
        "cpu_features": sorted(f for f in wanted if features.get(f)),
    }


def strategies() -> list[str]:
    from sim.core.catalogue import bundled_strategies

    return bundled_strategies()


def _csv_hash(frame: pd.DataFrame) -> str:
    text = frame.to_csv(index=False, lineterminator="\n")
    return hashlib.sha256(text.encode()).hexdigest()


@cache
def run_hashes(name: str, seed: int, engine: str, years: int) -> dict[str, str]:
    """Hashes of the output tables of one run."""
    from sim import CoCreationModel
    from sim.core.scenario import load_scenario

    scenario = load_scenario(name).with_overrides(
        {"citizens": CITIZENS, "neighbourhoods": NEIGHBOURHOODS, "years": years}
    )
    model = CoCreationModel(scenario, rng=seed, engine=engine)
    model.run_for(scenario.weeks)
    ts = model.datacollector.get_model_vars_dataframe().iloc[1:].drop(columns="seed")
    ts.insert(0, "step", np.arange(1, len(ts) + 1))
    return {
        "timeseries": _csv_hash(ts),
        "neighbourhoods": _csv_hash(_weeks_run(model.neighbourhood_table())),
        "quintiles": _csv_hash(_weeks_run(model.quintile_table())),
        "promises": _csv_hash(model.promise_table()),
    }


def _weeks_run(table: pd.DataFrame) -> pd.DataFrame:
    """A group table as recorded: from week 1, its counts as floats."""
    from sim.model.reporters import GROUP_COUNTS

    table = table[table["step"] >= 1].reset_index(drop=True)
    counts = [c for c in table.columns if c in GROUP_COUNTS]
    return table.astype(dict.fromkeys(counts, float))


def key(name: str, seed: int, engine: str, years: int) -> str:
    return f"{name}|seed{seed}|{engine}|{years}y"


def _recorded() -> dict:
    return json.loads(HASHES.read_text(encoding="utf-8"))


def _recorded_names() -> list[str]:
    return sorted({k.split("|")[0] for k in _recorded()["runs"]}) if HASHES.exists() else []


CASES = [
    (name, seed, engine, years)
    for engine, years in RUNS
    for name in _recorded_names()
    for seed in SEEDS
]


def test_the_recorded_strategies_are_the_bundled_ones() -> None:
    assert set(_recorded_names()) == set(strategies())


@pytest.mark.parametrize(("name", "seed", "engine", "years"), CASES)
def test_trajectory_is_bit_identical(name: str, seed: int, engine: str, years: int) -> None:
    recorded = _recorded()
    if recorded["environment"] != environment():
        pytest.skip(
            f"recorded in {recorded['environment']}, this machine is {environment()}: "
            "floating-point results may differ in the last bit"
        )
    expected = recorded["runs"][key(name, seed, engine, years)]
    got = run_hashes(name, seed, engine, years)
    changed = [t for t in TABLES if got[t] != expected[t]]
    assert not changed, (
        f"{name} seed {seed}, {engine} engine, {years} year(s): {', '.join(changed)} changed "
        f"since the hashes were recorded at {recorded['commit']}"
    )


def record() -> None:
    """Rerun every case and write the hashes file."""
    import subprocess

    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=HERE
    ).stdout.strip()
    runs = {
        key(name, seed, engine, years): run_hashes(name, seed, engine, years)
        for engine, years in RUNS
        for name in strategies()
        for seed in SEEDS
    }
    HASHES.parent.mkdir(exist_ok=True)
    payload = {"commit": commit, "environment": environment(), "runs": runs}
    HASHES.write_text(json.dumps(payload, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"recorded {len(runs)} runs at {commit} in {HASHES}")


if __name__ == "__main__":
    if sys.argv[1:] != ["--record"]:
        sys.exit("usage: python tests/test_trajectory_hashes.py --record")
    record()
