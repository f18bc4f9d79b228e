"""The scenario library: presets, strategies, shared bases and ``cocreate list``.

Values are compared between scenarios, never against literal defaults: parameter
defaults in ``sim/core/params.py`` may change.
"""

from __future__ import annotations

import textwrap

import numpy as np
import pytest
import yaml

from sim import CoCreationModel
from sim.cli import main
from sim.core.catalogue import STRATEGY_ORDER, bundled_strategies, scenario_kind
from sim.core.scenario import (
    Scenario,
    bundled_scenarios,
    default_scenario,
    load_scenario,
    scenarios_dir,
)

PRESETS = {
    "municipality_rural",
    "municipality_small_town",
    "municipality_city",
    "municipality_borough",
}
STRATEGIES = {
    "baseline",
    "npm",
    "wigan_deal",
    "wigan_overload",
    "aarhus",
    "preston",
    "stange_hjelpa",
    "dark_elite_capture",
    "dark_responsibility_shift",
}
BASES = {"_cocreation_base"}
DARK_SIDE = {"dark_elite_capture", "dark_responsibility_shift"}

BUNDLED = sorted(bundled_scenarios())
STRATEGY_KEYS = {"name", "description", "extends", "levers", "mechanisms", "deal", "years"}
CASE_CONTEXT = {"budget_pressure"}
"""The one context a strategy may set: the budget cuts its case answered (the Wigan Deal and
its counterfactual, austerity.yaml; issue 11), named in the file's header."""
PRESET_KEYS = {"name", "description", "extends", "municipality", "uncertainties"}


def load(name: str) -> Scenario:
    return load_scenario(name)


def lever_diff(a: Scenario, b: Scenario) -> set[str]:
    """Names of the levers on which two scenarios differ."""
    return {k for k in a.levers if a.levers[k] != b.levers[k]}


def raw(name: str) -> dict:
    """The top-level keys a bundled file itself sets (without its ``extends`` chain)."""
    return yaml.safe_load(bundled_scenarios()[name].read_text(encoding="utf-8")) or {}


# --------------------------------------------------------------------------- the files


def test_the_named_files_are_bundled():
    assert PRESETS | STRATEGIES | BASES <= set(bundled_scenarios())


@pytest.mark.parametrize("name", BUNDLED)
def test_every_bundled_file_validates_with_a_one_line_description(name):
    scenario = load(name)
    assert scenario.name == name
    assert scenario.description.strip()
    assert "\n" not in scenario.description
    assert scenario.path == bundled_scenarios()[name]
    assert raw(name).get("description"), "the file itself must set description:"


@pytest.mark.parametrize("name", BUNDLED)
def test_every_bundled_file_names_its_context_and_strategy(name):
    text = bundled_scenarios()[name].read_text(encoding="utf-8")
    header = text.split("\n\n", 1)[0]
    assert "# Context (uncertainties):" in header
    assert "# Strategy (levers):" in header


@pytest.mark.parametrize("name", BUNDLED)
def test_context_and_strategy_are_kept_apart(name):
    keys = set(raw(name))
    if scenario_kind(name) == "preset":
        assert keys <= PRESET_KEYS, f"a preset sets only context: {keys - PRESET_KEYS}"
        # a preset leaves every lever at its default
        assert load(name).levers == default_scenario().levers
    else:
        extra = keys - STRATEGY_KEYS
        assert extra <= {"uncertainties"}, f"a strategy sets no context: {extra}"
        case = set(raw(name).get("uncertainties") or {})
        assert case <= CASE_CONTEXT, f"a strategy sets no context but its cuts: {case}"


def test_kinds_follow_the_file_names():
    assert {n for n in BUNDLED if scenario_kind(n) == "preset"} >= PRESETS
    assert {n for n in BUNDLED if scenario_kind(n) == "base"} >= BASES
    assert all(scenario_kind(n) == "strategy" for n in STRATEGIES)
    assert all(n.startswith("municipality_") for n in BUNDLED if scenario_kind(n) == "preset")
    assert all(n.startswith("_") for n in BUNDLED if scenario_kind(n) == "base")


def test_presets_span_the_range_of_sizes():
    size = {n: load(n).municipality for n in PRESETS}
    order = ["municipality_rural", "municipality_small_town", "municipality_city"]
    order.append("municipality_borough")
    citizens = [size[n]["citizens"] for n in order]
    assert citizens == sorted(citizens) and len(set(citizens)) == len(citizens)
    assert 2_000 <= size["municipality_rural"]["citizens"] <= 10_000
    assert 100_000 <= size["municipality_city"]["citizens"] <= 300_000
    rural, town = size["municipality_rural"], size["municipality_small_town"]
    assert rural["neighbourhoods"] <= town["neighbourhoods"]
    assert size["municipality_city"]["neighbourhoods"] >= 15


# --------------------------------------------------------------------------- strategies


def test_bundled_strategies_order_and_count():
    names = bundled_strategies()
    assert STRATEGIES <= set(names)
    assert names[: len(STRATEGY_ORDER)] == list(STRATEGY_ORDER)
    rest = names[len(STRATEGY_ORDER) :]
    assert rest == sorted(rest)
    assert len(names) <= 12, "cocreate compare runs every strategy: keep the count modest"
    assert not set(names) & (PRESETS | BASES)


@pytest.mark.parametrize("name", sorted(STRATEGIES))
def test_each_strategy_runs_on_the_small_town(name):
    town = load("municipality_small_town")
    scenario = load(name)
    assert scenario.municipality == town.municipality
    context = {k: v for k, v in scenario.uncertainties.items() if k not in CASE_CONTEXT}
    assert context == {k: v for k, v in town.uncertainties.items() if k not in CASE_CONTEXT}


def test_the_cocreation_base_keeps_wigan_deal_as_it_was():
    base, wigan = load("_cocreation_base"), load("wigan_deal")
    # the fund, and the different conversations of Wigan's Deal for Adult Social Care
    # (issue 12), which are Wigan's own, not co-creation's in general
    assert lever_diff(wigan, base) == {"community_fund", "fund_targeting", "asset_based_assessment"}
    assert base.levers["logic_cocreation"] > load("baseline").levers["logic_cocreation"]
    promises = {p["promise"]: p["level"] for p in wigan.deal["council"]}
    # judged on what citizens experience: a promise to answer asks no more than the council
    # aims at (its responsiveness)
    assert promises["listen_and_respond"] <= wigan.levers["responsiveness"]
    assert all(0.0 < level <= 1.0 for level in promises.values())
    assert base.deal["council"] == []


@pytest.mark.parametrize("name", ["aarhus", "preston", "stange_hjelpa", "dark_elite_capture"])
def test_cocreation_cases_extend_the_base(name):
    assert raw(name)["extends"] == "_cocreation_base"
    assert load(name).levers["logic_cocreation"] > load("baseline").levers["logic_cocreation"]


def test_wigan_overload_changes_only_the_overload():
    wigan, over = load("wigan_deal"), load("wigan_overload")
    assert lever_diff(over, wigan) == {
        "volunteer_expectation",
        "volunteer_support",
        "evaluation_culture",
    }
    assert over.levers["volunteer_expectation"] >= 2 * wigan.levers["volunteer_expectation"]
    assert over.levers["volunteer_support"] < wigan.levers["volunteer_support"]
    assert over.levers["evaluation_culture"] < wigan.levers["evaluation_culture"]
    assert over.deal["citizens"]["expected_hours"] > wigan.deal["citizens"]["expected_hours"]
    assert over.deal["council"] == wigan.deal["council"]


def test_aarhus_evaluates_pilots_patiently():
    base, wigan, aarhus = load("_cocreation_base"), load("wigan_deal"), load("aarhus")
    lv = aarhus.levers
    assert lv["evaluation_culture"] > base.levers["evaluation_culture"]
    assert 0 < lv["community_fund"] < wigan.levers["community_fund"]
    assert lv["silo_bridging"] > base.levers["silo_bridging"]
    assert lv["political_patience"] >= base.levers["political_patience"]
    assert aarhus.deal["council"] == []


def test_preston_uses_anchor_institutions_and_targets_deprivation():
    wigan, preston = load("wigan_deal"), load("preston")
    others = [load(n) for n in STRATEGIES - {"preston"}]
    assert all(
        preston.levers["anchor_institutions"] > o.levers["anchor_institutions"] for o in others
    )
    assert preston.levers["fund_targeting"] > wigan.levers["fund_targeting"]
    assert preston.levers["community_fund"] > 0


def test_stange_hjelpa_piles_cocreation_on_unchanged_targets():
    baseline, wigan, stange = load("baseline"), load("wigan_deal"), load("stange_hjelpa")
    lv = stange.levers
    assert lv["frontline_mandate"] > wigan.levers["frontline_mandate"]
    assert lv["silo_bridging"] > wigan.levers["silo_bridging"]
    rules_targets = lv["logic_bureaucracy"] + lv["logic_npm"]
    base_rules_targets = baseline.levers["logic_bureaucracy"] + baseline.levers["logic_npm"]
    assert rules_targets == pytest.approx(base_rules_targets)
    assert lv["logic_npm"] > baseline.levers["logic_npm"]
    assert lv["logic_cocreation"] == wigan.levers["logic_cocreation"]


# --------------------------------------------------------------------------- dark side


def test_dark_side_scenarios_are_strategies():
    assert DARK_SIDE <= set(bundled_strategies())
    assert all(n.startswith("dark_") for n in DARK_SIDE)


def test_elite_capture_is_opt_in_without_reach():
    wigan, baseline, dark = load("wigan_deal"), load("baseline"), load("dark_elite_capture")
    lv = dark.levers
    assert lv["outreach"] == 0 and lv["anchor_institutions"] == 0 and lv["fund_targeting"] == 0
    for other in (wigan, baseline):
        assert other.levers["outreach"] > 0
        assert other.levers["anchor_institutions"] > 0
    # the same money and co-creation levers as the Wigan Deal: only reach, targeting and
    # the opt-in arenas' few volunteer roles, and no deal (so none of the Deal's different
    # conversations in adult social care)
    assert lv["community_fund"] == wigan.levers["community_fund"]
    assert lv["arena_places"] < wigan.levers["arena_places"]
    assert lv["asset_based_assessment"] == 0 < wigan.levers["asset_based_assessment"]
    assert lever_diff(dark, wigan) == {
        "outreach",
        "outreach_targeting",
        "anchor_institutions",
        "fund_targeting",
        "arena_places",
        "asset_based_assessment",
    }


def test_responsibility_shift_withdraws_services_without_support():
    wigan, baseline, dark = load("wigan_deal"), load("baseline"), load("dark_responsibility_shift")
    lv = dark.levers
    assert lv["service_withdrawal"] > 0 == wigan.levers["service_withdrawal"]
    assert lv["service_withdrawal"] > baseline.levers["service_withdrawal"]
    assert lv["volunteer_support"] < wigan.levers["volunteer_support"]
    assert lv["volunteer_support"] <= baseline.levers["volunteer_support"]
    assert lv["volunteer_expectation"] > wigan.levers["volunteer_expectation"]
    assert dark.deal["citizens"]["expected_hours"] > wigan.deal["citizens"]["expected_hours"]
    over = load("wigan_overload")
    assert dark.deal["citizens"]["expected_hours"] >= over.deal["citizens"]["expected_hours"]
    assert dark.deal["council"] == wigan.deal["council"]
    assert lever_diff(dark, wigan) == {
        "service_withdrawal",
        "volunteer_support",
        "volunteer_expectation",
        "silo_bridging",
        "responsiveness",
    }
    # the case has none of the Deal's trust-raising levers: the status quo's instead
    for lever in ("silo_bridging", "responsiveness"):
        assert lv[lever] == baseline.levers[lever]


# --------------------------------------------------------------------------- cocreate list


def entry_lines(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith("  ")]


def test_list_shows_every_bundled_file_with_its_description(capsys):
    assert main(["list"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    lines = entry_lines(out)
    assert len(lines) == len(BUNDLED)
    for name in BUNDLED:
        description = load(name).description
        assert any(line.split()[0] == name and line.endswith(description) for line in lines)
    # aligned: every description starts in the same column
    starts = {line.index(load(line.split()[0]).description) for line in lines}
    assert len(starts) == 1


def test_list_groups_presets_strategies_and_bases(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out.splitlines()
    headings = [i for i, line in enumerate(out) if line and not line.startswith(" ")]
    assert [out[i].split()[0] for i in headings] == ["Presets", "Strategies", "Bases"]
    groups = {}
    for start, end in zip(headings, [*headings[1:], len(out)], strict=True):
        groups[out[start].split()[0]] = [
            line.split()[0] for line in out[start + 1 : end] if line.startswith("  ")
        ]
    assert set(groups["Presets"]) == {n for n in BUNDLED if scenario_kind(n) == "preset"}
    assert groups["Strategies"] == bundled_strategies()
    assert set(groups["Bases"]) == {n for n in BUNDLED if scenario_kind(n) == "base"}


def test_list_reports_an_invalid_bundled_file(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "good.yaml").write_text("description: a good one\n", encoding="utf-8")
    (folder / "municipality_x.yaml").write_text(
        "description: a place\nmunicipality: {citizens: 900}\n", encoding="utf-8"
    )
    (folder / "broken.yaml").write_text(
        textwrap.dedent(
            """\
            description: a broken one
            levers:
              outreach: 1.7
            """
        ),
        encoding="utf-8",
    )
    monkeypatch.setattr("sim.core.scenario.scenarios_dir", lambda: folder)
    monkeypatch.chdir(tmp_path)
    assert main(["list"]) == 2
    out, err = capsys.readouterr()
    assert "levers.outreach: 1.7 is out of range" in err
    assert "good" in out and "a good one" in out and "a place" in out
    assert "broken" in out and "invalid" in out
    assert "Bases" not in out  # empty groups are left out


def test_scenarios_readme_lists_every_file():
    readme = (scenarios_dir() / "README.md").read_text(encoding="utf-8")
    for name in BUNDLED:
        assert f"`{name}.yaml`" in readme


# --------------------------------------------------------------------------- smoke


@pytest.mark.parametrize("name", bundled_strategies())
def test_each_strategy_runs_eight_weeks_without_nan(name):
    model = CoCreationModel(load_scenario(name).with_overrides({"citizens": 500}), rng=0)
    model.run_for(8)
    frame = model.datacollector.get_model_vars_dataframe()
    assert len(frame) >= 8
    numbers = frame.select_dtypes("number").to_numpy(dtype=float)
    assert numbers.size and np.isfinite(numbers).all(), f"{name}: NaN or inf in reporters"


# ------------------------------------------------------------------- --context


def test_a_place_laid_over_a_strategy_changes_the_place_and_nothing_else():
    from sim.core.catalogue import in_context

    deal = load_scenario("wigan_deal")
    placed = in_context(deal, "municipality_stange")
    stange = load_scenario("municipality_stange")
    assert placed.name == "wigan_deal.stange"
    # the place: the preset's own settings and those it inherits from municipality_norway
    for name in ("citizens", "neighbourhoods", "initial_volunteer_share", "citizens_per_arena"):
        assert placed.municipality[name] == stange.municipality[name]
    for name in ("segregation", "ses_spread", "initial_trust", "trust_disposition"):
        assert placed.uncertainties[name] == stange.uncertainties[name]
    # the strategy: its levers, its deal, and the cuts its case answered
    assert placed.levers == deal.levers
    assert placed.deal == deal.deal
    assert placed.uncertainties["budget_pressure"] == deal.uncertainties["budget_pressure"] > 0
    # what neither sets stays at the default
    assert placed.uncertainties["trust_gain"] == deal.uncertainties["trust_gain"]


def test_context_must_be_a_preset(capsys):
    assert main(["run", "baseline", "--context", "wigan_deal", "--years", "1", "-q"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith("--context: 'wigan_deal' is a strategy; allowed a context preset")
    assert "municipality_stange" in err[0]
