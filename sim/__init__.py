"""cocreate: agent-based simulation of co-creation ecosystems in municipalities."""

from typing import Any

__version__ = "0.1.0"
__all__ = ["CoCreationModel", "__version__", "run_scenario"]


def __getattr__(name: str) -> Any:
    # Import the model lazily, so that `cocreate validate` does not load Mesa and numba.
    if name == "CoCreationModel":
        from sim.model import CoCreationModel

        return CoCreationModel
    if name == "run_scenario":
        from sim.runs.outcomes import run_scenario

        return run_scenario
    raise AttributeError(f"module 'sim' has no attribute {name!r}")
