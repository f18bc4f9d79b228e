"""The social network's construction (:func:`sim.core.world.build_network`)."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from sim.core.world import sorted_unique


@given(st.lists(st.integers(min_value=-(2**62), max_value=2**62), max_size=300))
def test_sorted_unique_is_numpys_unique(values: list[int]) -> None:
    """The one-sort distinct values equal ``np.unique``'s, value for value and dtype."""
    array = np.array(values, dtype=np.int64)
    got = sorted_unique(array)
    want = np.unique(array)
    assert got.dtype == want.dtype
    np.testing.assert_array_equal(got, want)


def test_sorted_unique_of_repeated_tie_keys() -> None:
    """Tie keys drawn with many repeats, as both ends of each tie give: each kept once."""
    keys = np.random.default_rng(3).integers(0, 50, 2_000).astype(np.int64)
    got = sorted_unique(keys)
    assert np.all(np.diff(got) > 0)
    assert set(got.tolist()) == set(keys.tolist())
