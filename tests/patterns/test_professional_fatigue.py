"""Pattern 8, professional fatigue: co-creation piled on unchanged targets overloads
staff (seed 002, Stange "Hjelpa": staff overload; Rudolph & Repenning 2002).

New Public Management with co-creation added and its targets kept is compared with the
same co-creation where targets were cut, and with NPM alone. NPM's impatient political
leaders pull back the co-creation they ask for (within their yearly horizon it costs more
than it saves), but staff with a mandate keep a share of it going on top of their targets
(``mandate_persistence``; Lipsky 1980; Tummers et al. 2015), so the overload lasts.
"""

from __future__ import annotations

import numpy as np
import pytest

from .conftest import SEEDS

YEARS = 3
COCREATION = {"logic_cocreation": 0.8, "frontline_mandate": 0.8}


@pytest.mark.parametrize("seed", SEEDS)
def test_cocreation_on_unchanged_targets_overloads_staff(sim, seed: int) -> None:
    npm = sim("npm", seed, YEARS)
    piled = sim("npm", seed, YEARS, **COCREATION)
    traded = sim("npm", seed, YEARS, logic_npm=0.1, logic_bureaucracy=0.1, **COCREATION)
    strain = {
        name: run.professional_strain.iloc[-52:].mean()
        for name, run in (("npm", npm), ("piled", piled), ("traded", traded))
    }
    # Piled on: strain is substantial (at least 0.2 on a 0-1 scale) and at least twice
    # that of NPM alone and of co-creation that replaced targets.
    assert strain["piled"] >= 0.2, strain
    assert strain["piled"] >= 2.0 * strain["npm"], strain
    assert strain["piled"] >= 2.0 * strain["traded"], strain
    assert np.isfinite(list(strain.values())).all()
