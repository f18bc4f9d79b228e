"""The Mesa layer: agents are readable (and writable) faces of the state arrays.

Checks the agent types and counts, the volunteers AgentSet, that agent attributes read
and write the array rows, the per-group tables, and the model's constructors.
"""

from __future__ import annotations

from pathlib import Path

import mesa
import numpy as np
import pandas as pd
import pytest

from sim import CoCreationModel
from sim.core.scenario import load_scenario
from sim.core.state import LEADER_LEVELS, Role
from sim.model.agents import Citizen, Leader, Professional
from sim.model.reporters import HOOD_COLUMNS, QUINTILE_COLUMNS

REPO = Path(__file__).resolve().parent.parent
CITIZENS = 800
NEIGHBOURHOODS = 5
WEEKS = 40
OVERLOADED = {"volunteer_expectation": 3.0, "volunteer_support": 0.0}


def _scenario(**overrides):
    return load_scenario("wigan_deal").with_overrides(
        {"citizens": CITIZENS, "neighbourhoods": NEIGHBOURHOODS, **overrides}
    )


@pytest.fixture(scope="module")
def model() -> CoCreationModel:
    m = CoCreationModel(_scenario(), rng=3)
    m.run_for(WEEKS)
    return m


@pytest.fixture(scope="module")
def overloaded() -> CoCreationModel:
    m = CoCreationModel(_scenario(**OVERLOADED), rng=3)
    m.run_for(WEEKS)
    return m


# --------------------------------------------------------------------------- agents


def test_agent_types_and_counts(model: CoCreationModel) -> None:
    by_type = model.agents_by_type
    assert set(by_type.keys()) >= {Citizen, Professional, Leader}
    assert len(by_type[Citizen]) == CITIZENS
    expected_staff = max(
        NEIGHBOURHOODS, round(CITIZENS * model.spec.municipality["professionals_per_1000"] / 1000)
    )
    assert len(by_type[Professional]) == expected_staff
    assert len(by_type[Professional]) == len(model.world.professionals.hood)
    leaders = by_type[Leader]
    assert len(leaders) == 4
    assert sorted(leader.level for leader in leaders) == sorted(LEADER_LEVELS)
    assert set(model.leaders) == set(LEADER_LEVELS)
    # every citizen agent is the face of its own row, once
    rows = sorted(agent.row for agent in by_type[Citizen])
    assert rows == list(range(CITIZENS))
    assert model.citizens is not None and len(model.citizens) == CITIZENS
    assert len(model.professionals) == expected_staff


def test_counts_do_not_change_while_running() -> None:
    m = CoCreationModel(_scenario(citizens=300), rng=1)
    before = {t: len(s) for t, s in m.agents_by_type.items()}
    m.run_for(10)
    assert {t: len(s) for t, s in m.agents_by_type.items()} == before


def test_leader_rejects_unknown_level(model: CoCreationModel) -> None:
    with pytest.raises(ValueError, match="level"):
        Leader(model, "mayor")


@pytest.mark.parametrize("which", ["model", "overloaded"])
def test_volunteers_agentset(which: str, request: pytest.FixtureRequest) -> None:
    m: CoCreationModel = request.getfixturevalue(which)
    vols = m.volunteers
    assert isinstance(vols, mesa.agent.AgentSet)
    df = m.datacollector.get_model_vars_dataframe()
    assert len(vols) == df["volunteers"].iloc[-1]
    assert len(vols) == np.count_nonzero(m.world.citizens.state == Role.VOLUNTEER)
    assert len(vols) > 0
    c = m.world.citizens
    for agent in vols:
        assert isinstance(agent, Citizen)
        assert agent.state == Role.VOLUNTEER and agent.is_volunteer and agent.role == "volunteer"
        assert agent.load == c.load[agent.row]
        assert agent.exhaustion == c.exhaustion[agent.row]
        assert agent.hours_given == c.hours_total[agent.row]
    rows = {agent.row for agent in vols}
    assert rows == set(np.flatnonzero(c.state == Role.VOLUNTEER).tolist())
    # Mesa's tools work on it
    hours = vols.get("hours_given")
    assert len(hours) == len(vols) and min(hours) >= 0.0
    assert sum(vols.get("hours_given")) > 0.0
    assert len(vols.select(lambda a: a.exhaustion >= 0.0)) == len(vols)


def test_overloaded_volunteers_carry_exhaustion(overloaded: CoCreationModel) -> None:
    exhaustion = overloaded.volunteers.get("exhaustion")
    assert max(exhaustion) > 0.0
    loads = np.array(overloaded.volunteers.get("load"))
    assert loads.max() > 0.0


def test_champions_are_volunteers_with_champion_hours(model: CoCreationModel) -> None:
    champions = model.champions
    threshold = model.params.champion_hours
    df = model.datacollector.get_model_vars_dataframe()
    assert len(champions) == df["champions"].iloc[-1]
    assert all(a.is_volunteer and a.hours >= threshold and a.is_champion for a in champions)


def test_writing_an_agent_attribute_writes_the_row() -> None:
    m = CoCreationModel(_scenario(citizens=300), rng=2)
    c = m.world.citizens
    agent = m.citizen_list[17]
    other = c.trust.copy()
    agent.trust = 0.123
    assert c.trust[17] == 0.123
    other[17] = 0.123
    np.testing.assert_array_equal(c.trust, other)  # no other row touched
    agent.exhaustion = 0.5
    assert c.exhaustion[17] == 0.5
    agent.hours_given = 42.0
    assert c.hours_total[17] == 42.0
    agent.state = 2
    assert c.state[17] == 2 and agent.role == "recovering"
    # and reading follows the array
    c.mattering[17] = 0.77
    assert agent.mattering == 0.77
    pro = m.professional_list[0]
    pro.strain = 0.4
    assert m.world.professionals.strain[0] == 0.4
    assert pro.strain == 0.4


def test_agent_views_stay_live_after_steps(model: CoCreationModel) -> None:
    c = model.world.citizens
    for agent in model.citizen_list[:50]:
        assert agent.trust == c.trust[agent.row]
        assert agent.hours_given == c.hours_total[agent.row]
        assert agent.state == c.state[agent.row]
    for tie in model.citizen_list[0].ties:
        assert isinstance(tie, Citizen) and tie.row != 0


def _one_by_one(model: CoCreationModel, count: int) -> list[Citizen]:
    return [Citizen(model, row) for row in range(count)]


def _agents_in_order(model: CoCreationModel) -> list[tuple[str, int]]:
    return [(type(a).__name__, a.unique_id) for a in model.agents]


@pytest.mark.parametrize("count", [0, 1, 2, 37])
def test_citizens_made_in_bulk_are_the_ones_made_one_by_one(count: int) -> None:
    """Citizen.for_rows registers the same agents, ids and order as Citizen() one by one."""
    bulk = CoCreationModel(_scenario(), rng=3)
    single = CoCreationModel(_scenario(), rng=3)
    made = Citizen.for_rows(bulk, count)
    expected = _one_by_one(single, count)
    assert [c.row for c in made] == list(range(count))
    assert [c.unique_id for c in made] == [c.unique_id for c in expected]
    assert [vars(c).keys() for c in made] == [vars(c).keys() for c in expected]
    assert _agents_in_order(bulk) == _agents_in_order(single)
    citizens = list(bulk.agents_by_type[Citizen])
    assert citizens[len(citizens) - count :] == made
    assert bulk.agent_id_counter == single.agent_id_counter
    # Each is a live view of its own row, and the next agent made follows on.
    if count:
        bulk.world.citizens.trust[count - 1] = 0.123
        assert made[-1].trust == 0.123 and made[0].model is bulk
        assert Citizen(bulk, 0).unique_id == Citizen(single, 0).unique_id


def test_a_citizen_made_in_bulk_can_be_removed() -> None:
    model = CoCreationModel(_scenario(), rng=3)
    citizen = model.citizen_list[5]
    before = len(model.agents_by_type[Citizen])
    citizen.remove()
    assert citizen not in model.agents and citizen not in model.agents_by_type[Citizen]
    assert len(model.agents_by_type[Citizen]) == before - 1


def test_citizens_tracked_by_a_data_registry_are_made_one_by_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Where a dataset tracks citizens, each is added to it, as Mesa's own constructor does."""

    class Tracker:
        def __init__(self) -> None:
            self.added: list[Citizen] = []

        def add_agent(self, agent: Citizen) -> None:
            self.added.append(agent)

    model = CoCreationModel(_scenario(), rng=3)
    tracker = Tracker()
    monkeypatch.setattr(Citizen, "_datasets", {"tracked"})
    monkeypatch.setattr(model, "data_registry", {"tracked": tracker})
    made = Citizen.for_rows(model, 12)
    assert tracker.added == made and [c.row for c in made] == list(range(12))


# --------------------------------------------------------------------------- tables


def _check_table(table: pd.DataFrame, key: str, groups: int, columns: tuple[str, ...]) -> None:
    assert list(table.columns) == ["step", key, *columns]
    assert len(table) == (WEEKS + 1) * groups  # week 0, the start, and every week run
    assert not table.duplicated(["step", key]).any()
    assert sorted(table["step"].unique().tolist()) == list(range(WEEKS + 1))
    assert sorted(table[key].unique().tolist()) == list(range(groups))
    assert (table.groupby("step").size() == groups).all()
    assert np.isfinite(table[list(columns)].to_numpy(dtype=float)).all()


def _weighted_participation(table: pd.DataFrame) -> np.ndarray:
    w = table.assign(p=table["population"] * table["participation_rate"])
    return (w.groupby("step")["p"].sum() / w.groupby("step")["population"].sum()).to_numpy()


def test_neighbourhood_table_shape(model: CoCreationModel) -> None:
    table = model.neighbourhood_table()
    _check_table(table, "neighbourhood", NEIGHBOURHOODS, HOOD_COLUMNS)
    assert (table.groupby("step")["population"].sum() == CITIZENS).all()
    df = model.datacollector.get_model_vars_dataframe()
    by_step = table.groupby("step")
    np.testing.assert_array_equal(by_step["volunteers"].sum().to_numpy(), df["volunteers"])
    np.testing.assert_allclose(
        by_step["volunteer_hours"].sum().to_numpy(), df["volunteer_hours"], rtol=1e-9
    )
    np.testing.assert_array_equal(by_step["open_arenas"].sum().to_numpy(), df["open_arenas"])


def test_quintile_table_shape_and_consistency(model: CoCreationModel) -> None:
    table = model.quintile_table()
    _check_table(table, "quintile", 5, QUINTILE_COLUMNS)
    assert (table.groupby("step")["population"].sum() == CITIZENS).all()
    df = model.datacollector.get_model_vars_dataframe()
    np.testing.assert_allclose(
        _weighted_participation(table), df["participation_rate"], rtol=0, atol=1e-12
    )
    q = table.set_index(["step", "quintile"])["participation_rate"]
    np.testing.assert_allclose(q.xs(0, level="quintile"), df["participation_q1"], atol=1e-12)
    np.testing.assert_allclose(q.xs(4, level="quintile"), df["participation_q5"], atol=1e-12)
    by_step = table.groupby("step")
    np.testing.assert_array_equal(by_step["volunteers"].sum().to_numpy(), df["volunteers"])
    shares = by_step["hours_share"].sum().to_numpy()
    has_hours = df["volunteer_hours"].to_numpy() > 0
    np.testing.assert_allclose(shares[has_hours], 1.0, atol=1e-9)
    burnouts = by_step["burnouts_total"].sum().to_numpy()
    np.testing.assert_array_equal(burnouts, df["burnouts"].cumsum())


def test_quintile_participation_consistent_with_burnouts(overloaded: CoCreationModel) -> None:
    df = overloaded.datacollector.get_model_vars_dataframe()
    assert df["burnouts"].sum() > 0
    np.testing.assert_allclose(
        _weighted_participation(overloaded.quintile_table()),
        df["participation_rate"],
        rtol=0,
        atol=1e-12,
    )


def test_neighbourhood_participation_consistent_with_burnouts(
    overloaded: CoCreationModel,
) -> None:
    df = overloaded.datacollector.get_model_vars_dataframe()
    if df["burnouts"].sum() == 0:
        pytest.fail("precondition: the overloaded scenario must burn volunteers out")
    np.testing.assert_allclose(
        _weighted_participation(overloaded.neighbourhood_table()),
        df["participation_rate"],
        rtol=0,
        atol=1e-12,
    )


def test_tables_hold_week_zero_before_the_first_step() -> None:
    m = CoCreationModel(_scenario(citizens=300), rng=1)
    assert set(m.neighbourhood_table()["step"]) == {0}
    assert list(m.quintile_table()["quintile"]) == [0, 1, 2, 3, 4]
    assert list(m.quintile_table().columns) == ["step", "quintile", *QUINTILE_COLUMNS]
    assert m.quintile_table()["population"].sum() == 300  # counts are integers
    assert m.quintile_table()["population"].dtype.kind == "i"
    frame = m.datacollector.get_model_vars_dataframe()
    assert len(frame) == 1 and frame["burnouts"].iloc[0] == 0 and frame["seed"].iloc[0] == 1


# --------------------------------------------------------------------- constructors


def test_from_scenario_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    m = CoCreationModel.from_scenario("scenarios/wigan_deal.yaml", rng=1)
    assert m.spec.name == "wigan_deal"
    assert m.spec == load_scenario("wigan_deal")
    assert m.seed == 1 and m.engine == "numba"
    assert m.n_citizens == m.spec.municipality["citizens"]
    m.run_for(2)
    assert len(m.datacollector.get_model_vars_dataframe()) == 3  # weeks 0, 1 and 2


def test_from_scenario_matches_direct_construction() -> None:
    a = CoCreationModel.from_scenario("wigan_deal", rng=4)
    b = CoCreationModel(load_scenario("wigan_deal"), rng=4)
    np.testing.assert_array_equal(a.world.citizens.ses, b.world.citizens.ses)
    assert a.spec == b.spec


def test_bogus_engine_raises() -> None:
    with pytest.raises(ValueError, match="engine"):
        CoCreationModel(_scenario(citizens=300), rng=1, engine="bogus")


def test_negative_seed_raises() -> None:
    with pytest.raises(ValueError):
        CoCreationModel(_scenario(citizens=300), rng=-1)


def test_default_scenario_model_builds() -> None:
    m = CoCreationModel(rng=0)
    assert m.spec.name == "default"
    assert m.n_citizens == m.spec.municipality["citizens"]
