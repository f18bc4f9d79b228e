"""Scenario files: loading, extends, defaults, validation messages."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import numpy as np
import pytest

from sim.core.params import MECHANISM_NAMES, PARAM_BY_NAME, PARAMS, SECTIONS, defaults
from sim.core.scenario import (
    Problem,
    Scenario,
    ScenarioError,
    bundled_scenarios,
    default_scenario,
    load_scenario,
)

EXPECTED_BUNDLED = {
    "municipality_small_town",
    "municipality_borough",
    "baseline",
    "npm",
    "wigan_deal",
}


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    """Work inside tmp_path so that files are shown by their bare names."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def problems_of(ref) -> list[Problem]:
    with pytest.raises(ScenarioError) as info:
        load_scenario(ref)
    return info.value.problems


def only_problem(ref) -> str:
    problems = problems_of(ref)
    assert len(problems) == 1, problems
    return str(problems[0])


# --------------------------------------------------------------------------- bundled


def test_bundled_scenarios_are_all_present():
    assert EXPECTED_BUNDLED <= set(bundled_scenarios())


@pytest.mark.parametrize("name", sorted(EXPECTED_BUNDLED))
def test_every_bundled_scenario_validates(name):
    scenario = load_scenario(name)
    assert scenario.name == name
    assert scenario.description and "\n" not in scenario.description
    assert scenario.path == bundled_scenarios()[name]
    # also by path
    assert load_scenario(bundled_scenarios()[name]) == scenario


def test_bundled_presets_and_wigan_deal():
    town = load_scenario("municipality_small_town")
    borough = load_scenario("municipality_borough")
    assert (town.municipality["citizens"], town.municipality["neighbourhoods"]) == (20_000, 8)
    assert (borough.param("citizens"), borough.param("neighbourhoods")) == (330_000, 25)

    wigan = load_scenario("wigan_deal")
    baseline = load_scenario("baseline")
    assert wigan.municipality == town.municipality == baseline.municipality
    assert wigan.levers["logic_cocreation"] > 0.5 > baseline.levers["logic_cocreation"]
    # the Community Investment Fund at its published scale: ~GBP 10m over five years for
    # ~260k adults (Naylor & Wellings 2019), GBP 7.7 per adult a year
    assert wigan.levers["community_fund"] == pytest.approx(10e6 / 5 / 260e3, abs=0.1)
    # under the cuts it answered: 40% of revenue over eight years
    assert (1.0 - wigan.uncertainties["budget_pressure"]) ** 8 == pytest.approx(0.6, abs=0.01)
    promises = {p["promise"]: p for p in wigan.deal["council"]}
    assert set(promises) == {
        "keep_council_tax_low",
        "help_communities",
        "listen_and_respond",
        "services_around_people",
    }
    # promises are judged on what citizens experience, as shares
    assert all(0.0 < p["level"] <= 1.0 for p in promises.values())
    assert wigan.deal["citizens"]["expected_hours"] == pytest.approx(0.5)
    npm = load_scenario("npm")
    assert npm.levers["logic_npm"] > baseline.levers["logic_npm"]


# --------------------------------------------------------------------------- resolution


def test_defaults_fill_everything():
    scenario = default_scenario()
    assert scenario.years == 10
    assert scenario.weeks == 520
    for section, values in defaults().items():
        assert getattr(scenario, section) == pytest.approx(values)
    assert scenario.mechanisms == dict.fromkeys(MECHANISM_NAMES, True)
    assert scenario.deal == {"council": [], "citizens": {"expected_hours": 0.0}}
    assert len(scenario.flat_params()) == len(PARAMS)


def test_extends_overrides_only_what_the_child_sets(in_tmp):
    write(
        in_tmp,
        "parent.yaml",
        """
        name: parent
        description: the parent
        municipality:
          citizens: 5000
        levers:
          outreach: 0.4
          recognition: 0.6
        mechanisms:
          burnout: false
        deal:
          council:
            - {promise: help_communities, level: 0.5}
            - {promise: listen_and_respond, level: 0.5, weight: 2}
          citizens:
            expected_hours: 1.5
        years: 20
        """,
    )
    write(
        in_tmp,
        "child.yaml",
        """
        extends: parent
        levers:
          outreach: 0.9
        deal:
          council:
            - {promise: keep_council_tax_low, level: 1}
        """,
    )
    child = load_scenario("child.yaml")
    assert child.levers["outreach"] == 0.9  # overridden
    assert child.levers["recognition"] == 0.6  # inherited
    assert child.municipality["citizens"] == 5000  # inherited from another section
    assert child.mechanisms["burnout"] is False
    assert child.mechanisms["trust"] is True
    assert child.years == 20
    # the council list is replaced whole, citizens' part is inherited
    assert child.deal["council"] == [
        {"promise": "keep_council_tax_low", "level": 1.0, "weight": 1.0}
    ]
    assert child.deal["citizens"] == {"expected_hours": 1.5}
    # not set anywhere: documented defaults
    assert child.levers["frontline_mandate"] == PARAM_BY_NAME["frontline_mandate"].default
    assert child.uncertainties == defaults()["uncertainties"]
    # name and description describe the file itself
    assert child.name == "child"
    assert child.description == ""


def test_extends_chain_of_three_and_bundled_names(in_tmp):
    (in_tmp / "sub").mkdir()
    write(in_tmp, "sub/mid.yaml", "extends: baseline\nlevers: {outreach: 0.7}\n")
    write(in_tmp, "leaf.yaml", "extends: sub/mid\nlevers: {recognition: 0.9}\n")
    leaf = load_scenario(in_tmp / "leaf.yaml")
    baseline = load_scenario("baseline")
    assert leaf.levers["outreach"] == 0.7
    assert leaf.levers["recognition"] == 0.9
    assert leaf.levers["logic_bureaucracy"] == baseline.levers["logic_bureaucracy"]
    assert leaf.municipality == baseline.municipality


def test_values_are_normalised(in_tmp):
    write(in_tmp, "s.yaml", "municipality: {citizens: 20000.0}\nlevers: {outreach: 1}\n")
    s = load_scenario("s")
    assert s.municipality["citizens"] == 20000 and type(s.municipality["citizens"]) is int
    assert type(s.levers["outreach"]) is float


def test_empty_file_is_the_default_scenario(in_tmp):
    write(in_tmp, "empty.yaml", "# nothing\n")
    s = load_scenario("empty.yaml")
    expected = {**default_scenario().to_dict(), "name": "empty", "description": ""}
    assert s == Scenario.from_dict(expected)
    assert s.name == "empty"


@pytest.mark.parametrize("name", sorted(EXPECTED_BUNDLED))
def test_to_dict_from_dict_round_trip(name):
    scenario = load_scenario(name)
    data = scenario.to_dict()
    again = Scenario.from_dict(json.loads(json.dumps(data)))
    assert again == scenario
    assert again.to_dict() == data
    assert "extends" not in data


def test_param_lookup_and_with_overrides():
    base = load_scenario("baseline")
    assert base.param("outreach") == base.levers["outreach"]
    assert base.param("citizens") == 20_000
    with pytest.raises(KeyError, match="did you mean 'outreach'"):
        base.param("outreech")

    changed = base.with_overrides(
        {
            "outreach": 0.5,
            "uncertainties.initial_trust": np.float64(0.3),
            "citizens": np.int64(1000),
            "mechanisms.burnout": False,
            "years": 3,
        }
    )
    assert changed.levers["outreach"] == 0.5
    assert changed.uncertainties["initial_trust"] == 0.3
    assert changed.municipality["citizens"] == 1000
    assert changed.mechanisms["burnout"] is False
    assert changed.weeks == 3 * 52
    assert changed.path == base.path
    assert changed.name == base.name
    # the original is untouched
    assert base.levers["outreach"] == 0.05
    assert base.mechanisms["burnout"] is True


def test_with_overrides_validates():
    base = default_scenario()
    with pytest.raises(ScenarioError) as info:
        base.with_overrides({"outreach": 1.7, "outreech": 0.1, "citizens": 12.5})
    text = str(info.value)
    assert "levers.outreach: 1.7 is out of range; allowed 0 to 1 (-)" in text
    assert "outreech: unknown parameter 'outreech'; did you mean 'outreach'?" in text
    with pytest.raises(
        ScenarioError, match=re.escape("municipality.citizens: expected an integer")
    ):
        base.with_overrides({"citizens": 12.5})
    with pytest.raises(ScenarioError, match=re.escape("municipality.outreach: unknown parameter")):
        base.with_overrides({"levers.outreach": 0.2, "municipality.outreach": 0.1})
    with pytest.raises(
        ScenarioError, match=re.escape("years: 0 is out of range; allowed 1 to 100")
    ):
        base.with_overrides({"years": 0})


def test_from_dict_reports_source():
    with pytest.raises(ScenarioError) as info:
        Scenario.from_dict({"levers": {"outreach": "high"}}, source="my-sweep")
    assert str(info.value) == "my-sweep: levers.outreach: expected a number, got string 'high'"


# --------------------------------------------------------------------------- error classes


def test_out_of_range_message_has_file_line_range_and_unit(in_tmp):
    write(
        in_tmp,
        "broken.yaml",
        """
        name: broken
        levers:
          recognition: 0.5
          outreach: 1.7
          political_patience: 2000
        """,
    )
    problems = problems_of("broken.yaml")
    assert [str(p) for p in problems] == [
        "broken.yaml:4: levers.outreach: 1.7 is out of range; allowed 0 to 1 (-)",
        "broken.yaml:5: levers.political_patience: 2000 is out of range; allowed 4 to 1040 (weeks)",
    ]
    assert problems[0] == Problem("broken.yaml", 4, "levers.outreach", problems[0].message)


def test_unknown_key_suggests_close_match(in_tmp):
    write(in_tmp, "typo.yaml", "levers:\n  outreach: 0.2\n  outreech: 0.3\n")
    assert only_problem("typo.yaml") == (
        "typo.yaml:3: levers.outreech: unknown lever 'outreech'; did you mean 'outreach'?"
    )


def test_unknown_top_level_key_suggests(in_tmp):
    write(in_tmp, "top.yaml", "name: x\nlever:\n  outreach: 0.2\n")
    assert only_problem("top.yaml") == (
        "top.yaml:2: lever: unknown key 'lever'; did you mean 'levers'?"
    )


def test_key_in_the_wrong_section_says_where_it_belongs(in_tmp):
    write(
        in_tmp,
        "wrong.yaml",
        """
        outreach: 0.3
        municipality:
          recognition: 0.5
        """,
    )
    assert [str(p) for p in problems_of("wrong.yaml")] == [
        "wrong.yaml:1: outreach: 'outreach' is a lever; put it under levers:",
        "wrong.yaml:3: municipality.recognition: 'recognition' is a lever, "
        "not a municipality parameter; put it under levers:",
    ]


def test_wrong_types(in_tmp):
    write(
        in_tmp,
        "types.yaml",
        """
        municipality:
          citizens: true
          neighbourhoods: 8.5
        levers:
          outreach: high
          recognition: [1, 2]
        mechanisms:
          trust: 1
        years: "10"
        """,
    )
    assert [str(p) for p in problems_of("types.yaml")] == [
        "types.yaml:2: municipality.citizens: expected an integer, got boolean true",
        "types.yaml:3: municipality.neighbourhoods: expected an integer, got number 8.5",
        "types.yaml:5: levers.outreach: expected a number, got string 'high'",
        "types.yaml:6: levers.recognition: expected a number, got a list",
        "types.yaml:8: mechanisms.trust: expected true or false, got integer 1",
        "types.yaml:9: years: expected an integer, got string '10' "
        "(YAML read it as text; write numbers like 1000 or 1.0e+3, unquoted)",
    ]


def test_section_that_is_not_a_mapping(in_tmp):
    write(in_tmp, "sec.yaml", "levers:\n  - outreach\n")
    assert only_problem("sec.yaml") == (
        "sec.yaml:1: levers: expected a mapping (indented 'key: value' lines), got a list"
    )


def test_missing_extends_target_names_it_and_lists_bundled(in_tmp):
    write(in_tmp, "orphan.yaml", "name: orphan\nextends: basline\n")
    message = only_problem("orphan.yaml")
    assert message.startswith("orphan.yaml:2: extends: extends target 'basline' not found")
    assert "basline.yaml" in message
    assert "(bundled scenarios: " in message
    for name in EXPECTED_BUNDLED:
        assert name in message


def test_cyclic_extends_shows_the_cycle(in_tmp):
    write(in_tmp, "a.yaml", "extends: b.yaml\n")
    write(in_tmp, "b.yaml", "levers: {outreach: 0.1}\nextends: a\n")
    assert only_problem("a.yaml") == "b.yaml:2: extends: cyclic extends: a.yaml -> b.yaml -> a.yaml"


def test_self_extends_is_a_cycle(in_tmp):
    write(in_tmp, "self.yaml", "extends: self\n")
    assert only_problem("self.yaml") == (
        "self.yaml:1: extends: cyclic extends: self.yaml -> self.yaml"
    )


def test_yaml_syntax_error_gives_file_and_line(in_tmp):
    write(
        in_tmp,
        "syntax.yaml",
        """
        name: syntax
        levers:
          outreach: 0.3
         recognition: 0.4
        """,
    )
    message = only_problem("syntax.yaml")
    assert message.startswith("syntax.yaml:4: YAML syntax error:")
    assert "Traceback" not in message
    assert "\n" not in message


def test_unclosed_bracket_syntax_error(in_tmp):
    write(in_tmp, "bracket.yaml", "levers: {outreach: 0.3\n\nyears: 3\n")
    assert only_problem("bracket.yaml").startswith("bracket.yaml:")


def test_unsafe_tags_recursion_and_deep_nesting_are_clean_errors(in_tmp):
    write(in_tmp, "tag.yaml", "levers: !!python/object:os.system {}\n")
    assert only_problem("tag.yaml").startswith(
        "tag.yaml:1: YAML error: could not determine a constructor"
    )
    write(in_tmp, "rec.yaml", "levers: &x {outreach: *x}\n")
    assert only_problem("rec.yaml") == (
        "rec.yaml:1: levers.outreach: expected a number, got a mapping"
    )
    write(in_tmp, "deep.yaml", "years: " + "[" * 5000 + "]" * 5000 + "\n")
    assert only_problem("deep.yaml") == "deep.yaml: YAML nested too deeply"


@pytest.mark.parametrize(
    ("text", "got"),
    [("- a\n- b\n", "a list"), ("just text\n", "string 'just text'"), ("42\n", "integer 42")],
)
def test_top_level_must_be_a_mapping(in_tmp, text, got):
    write(in_tmp, "top.yaml", text)
    assert only_problem("top.yaml") == (
        f"top.yaml:1: the top level must be a mapping of keys (name:, levers:, ...), got {got}"
    )


def test_unknown_mechanism(in_tmp):
    write(in_tmp, "mech.yaml", "mechanisms:\n  burnout: false\n  burn_out: true\n")
    message = only_problem("mech.yaml")
    assert message.startswith(
        "mech.yaml:3: mechanisms.burn_out: unknown mechanism 'burn_out'; did you mean 'burnout'?"
    )
    assert "participation, recruitment" in message


def test_unknown_promise_and_deal_ranges(in_tmp):
    write(
        in_tmp,
        "deal.yaml",
        """
        deal:
          council:
            - promise: help_comunities
              level: 30
            - promise: listen_and_respond
              level: 1.5
            - promise: help_communities
              level: 2.5
              weight: 11
            - level: 0.5
          citizens:
            expected_hours: 12
            hours: 1
        """,
    )
    assert [str(p) for p in problems_of("deal.yaml")] == [
        "deal.yaml:3: deal.council[0].promise: unknown promise 'help_comunities'; "
        "did you mean 'help_communities'? promises are: keep_council_tax_low, "
        "help_communities, listen_and_respond, services_around_people",
        "deal.yaml:6: deal.council[1].level: 1.5 is out of range; allowed 0 to 1 (share) "
        "for promise listen_and_respond",
        "deal.yaml:8: deal.council[2].level: 2.5 is out of range; allowed 0 to 1 "
        "(share) for promise help_communities",
        "deal.yaml:9: deal.council[2].weight: 11 is out of range; allowed 0 to 10 (-)",
        "deal.yaml:10: deal.council[3]: 'promise' is missing; every promise needs one",
        "deal.yaml:12: deal.citizens.expected_hours: 12 is out of range; allowed 0 to 10 (h/week)",
        "deal.yaml:13: deal.citizens.hours: unknown key 'hours'; allowed: expected_hours",
    ]


def test_duplicate_promise(in_tmp):
    write(
        in_tmp,
        "dup.yaml",
        """
        deal:
          council:
            - {promise: help_communities, level: 0.4}
            - {promise: help_communities, level: 0.6}
        """,
    )
    assert only_problem("dup.yaml") == (
        "dup.yaml:2: deal.council: promise 'help_communities' is listed twice (items 0 and 1)"
    )


def test_duplicate_yaml_key(in_tmp):
    write(in_tmp, "twice.yaml", "levers:\n  outreach: 0.1\n  outreach: 0.2\n")
    assert only_problem("twice.yaml") == (
        "twice.yaml:3: levers.outreach: duplicate key 'outreach' (first given on line 2)"
    )


def test_name_and_description_checks(in_tmp):
    write(in_tmp, "n.yaml", 'name: "my scenario/1"\ndescription: |\n  one\n  two\n')
    assert [str(p) for p in problems_of("n.yaml")] == [
        "n.yaml:1: name: 'my scenario/1' is not a valid name; use letters, digits, '_', '-' "
        "or '.' (it names the results folder)",
        "n.yaml:2: description: must be a single line",
    ]


def test_errors_in_parent_are_reported_against_the_parent(in_tmp):
    (in_tmp / "base").mkdir()
    write(
        in_tmp,
        "base/parent.yaml",
        """
        name: parent
        levers:
          outreach: 3
        """,
    )
    write(
        in_tmp,
        "child.yaml",
        """
        extends: base/parent.yaml
        levers:
          recognition: -1
        """,
    )
    assert [str(p) for p in problems_of("child.yaml")] == [
        "child.yaml:3: levers.recognition: -1 is out of range; allowed 0 to 1 (-)",
        "base/parent.yaml:3: levers.outreach: 3 is out of range; allowed 0 to 1 (-)",
    ]


def test_all_problems_are_collected(in_tmp):
    write(
        in_tmp,
        "many.yaml",
        """
        levers:
          outreach: 2
          recognition: 3
        uncertainties:
          initial_trust: 0
        years: 500
        """,
    )
    problems = problems_of("many.yaml")
    assert [(p.line, p.key_path) for p in problems] == [
        (2, "levers.outreach"),
        (3, "levers.recognition"),
        (5, "uncertainties.initial_trust"),
        (6, "years"),
    ]
    assert str(problems[2]).endswith("0 is out of range; allowed 0.05 to 0.95 (-)")
    assert "years: 500 is out of range; allowed 1 to 100 (years)" in str(problems[3])


def test_missing_file_lists_bundled(in_tmp):
    message = only_problem("nothere.yaml")
    assert message.startswith("nothere.yaml: no such file or bundled scenario")
    assert "baseline" in message


def test_directory_is_refused(in_tmp):
    (in_tmp / "folder.yaml").mkdir()
    assert only_problem("folder.yaml") == "folder.yaml: is a directory, not a YAML file"


def test_files_outside_the_working_directory_show_their_path(tmp_path):
    path = write(tmp_path, "far.yaml", "levers: {outreach: 9}\n")
    assert only_problem(path).startswith(f"{path}:1: levers.outreach: 9 is out of range")


def test_scenario_error_str_is_one_line_per_problem(in_tmp):
    write(in_tmp, "two.yaml", "levers: {outreach: 9, recognition: 9}\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario("two.yaml")
    assert str(info.value).count("\n") == 1
    assert all(p.file == "two.yaml" for p in info.value.problems)


def test_sections_tuple_is_what_the_schema_uses():
    assert SECTIONS == ("municipality", "uncertainties", "levers")


def test_with_overrides_renames_and_replaces_the_deal():
    wigan = load_scenario("wigan_deal")
    deal = wigan.to_dict()["deal"]
    deal["citizens"]["expected_hours"] = 4 * deal["citizens"]["expected_hours"]
    variant = wigan.with_overrides(
        {"outreach": 0.9},
        name="wigan_asks_more",
        description="asks four times the hours",
        deal=deal,
    )
    assert variant.name == "wigan_asks_more" and variant.description == "asks four times the hours"
    assert variant.levers["outreach"] == 0.9
    assert variant.deal["citizens"]["expected_hours"] == deal["citizens"]["expected_hours"]
    assert (
        wigan.deal["citizens"]["expected_hours"] * 4 == variant.deal["citizens"]["expected_hours"]
    )
    assert wigan.with_overrides(name="x").levers == wigan.levers  # no overrides needed
    # a deal is validated like a file's
    with pytest.raises(ScenarioError, match="deal"):
        wigan.with_overrides(deal={"council": [{"promise": "free_lunch", "level": 1.0}]})
