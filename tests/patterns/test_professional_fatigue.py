"""Pattern 8, professional fatigue: co-creation piled on unchanged targets overloads
staff (seed 002, Stange "Hjelpa": staff overload; Rudolph & Repenning 2002).

New Public Management with co-creation added and its targets kept is compared with the
same co-creation where targets were cut, and with NPM alone.
"""

from __future__ import annotations

import numpy as np
import pytest

from .conftest import SEEDS

YEARS = 3
COCREATION = {"logic_cocreation": 0.8, "frontline_mandate": 0.8}


@pytest.mark.xfail(
    reason="issue 12: strain is now a smooth stock that recovers with slack; NPM's yearly "
    "political review halves the piled-on co-creation each year, so strain peaks at about "
    "0.33 in the first year and is 0.17-0.19 in the third, under the 0.2 asserted (still "
    "3-50 times NPM alone and the traded logics); before, the switch held it at 1",
    strict=True,
)
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
