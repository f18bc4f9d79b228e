"""Shared test configuration: opt-in slow tests and small, fast scenarios."""

from __future__ import annotations

import os
import sys

import pytest

if os.environ.get("PYTEST_XDIST_WORKER"):
    # Each of pytest-xdist's workers is one of the machine's cores: a worker's numba threads
    # would share that core with the other workers' (set before numba is imported; a test
    # that needs more threads runs a child process with its own NUMBA_NUM_THREADS).
    os.environ.setdefault("NUMBA_NUM_THREADS", "1")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--runslow", action="store_true", help="also run tests marked slow")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--runslow"):
        return
    skip = pytest.mark.skip(reason="slow: run with --runslow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _fresh_ema_outcome_names():
    """Each test starts without EMA Workbench's outcome names of earlier tests.

    EMA keeps one process-wide class per outcome name (``ema_workbench.em_framework.
    outcomes.register``, used to save results). ``tests/test_ema.py`` declares
    ``final_trust`` as an ``ArrayOutcome`` (the replications) and the factory of
    :mod:`sim.ema` as a ``ScalarOutcome`` (their mean); when pytest-xdist runs both in one
    worker, the second refused the name. Each test builds its own EMA model, so the names
    are cleared after it.
    """
    yield
    outcomes = sys.modules.get("ema_workbench.em_framework.outcomes")
    if outcomes is not None:
        outcomes.register.outcomes.clear()
