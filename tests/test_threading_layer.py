"""numba runs its parallel loops on TBB on several threads and on OpenMP on one
(:func:`sim.core.jit.choose_threading_layer`), and a user's choice of layer stands."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from sim.core import jit

# Import the model, run one parallel kernel (numba fixes its layer then), print the layer.
_PROBE = """
import numba, numpy as np
from sim.core import jit
from sim.phases import snapshot
from sim.model import CoCreationModel
from sim.core.scenario import load_scenario
model = CoCreationModel(load_scenario("wigan_deal").with_overrides({"citizens": 300}), rng=0)
snapshot(model.world)
print(jit.THREADING_LAYER, numba.threading_layer())
"""


def _layers(threads: int, asked: str | None = None) -> list[str]:
    env = {**os.environ, "NUMBA_NUM_THREADS": str(threads)}
    env.pop("NUMBA_THREADING_LAYER", None)
    if asked:
        env["NUMBA_THREADING_LAYER"] = asked
    done = subprocess.run(
        [sys.executable, "-c", _PROBE], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


@pytest.mark.skipif(not jit.TBB_LIBRARY.is_file(), reason="the tbb package is not installed")
def test_several_threads_run_on_tbb_and_one_on_openmp() -> None:
    assert _layers(2) == ["tbb", "tbb"]
    assert _layers(1) == ["omp", "omp"]


def test_the_users_layer_stands() -> None:
    assert _layers(2, "workqueue") == ["workqueue", "workqueue"]


def test_a_worker_on_one_thread_chooses_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """A sweep's worker imported numba on the parent's threads, then runs on one."""
    monkeypatch.delenv("NUMBA_THREADING_LAYER", raising=False)
    monkeypatch.setattr(jit.nb.config, "THREADING_LAYER", "default")
    assert jit.choose_threading_layer(1) == "omp"
    assert jit.nb.config.THREADING_LAYER == "omp"
    monkeypatch.setenv("NUMBA_THREADING_LAYER", "workqueue")
    assert jit.choose_threading_layer(1) == "workqueue"
    assert jit.nb.config.THREADING_LAYER == "omp"  # not touched: numba reads the user's
