"""One command-line grammar: -q/-v everywhere, --citizens/--years/--set wherever a scenario
runs, --json for printed summaries, `cocreate params`, and the exit codes in --help."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from sim.cli import EXIT_CODES, build_parser, main
from sim.core.params import PARAMS, params_in

RUNS_A_SCENARIO = ("run", "compare", "dashboard")
PRINTS_A_SUMMARY = ("validate", "run", "compare", "list", "params", "sweep", "discover")


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def _options(p: argparse.ArgumentParser) -> set[str]:
    return {option for a in p._actions for option in a.option_strings}


@pytest.mark.parametrize("name", sorted(_subcommands()))
def test_every_command_takes_quiet_and_verbose_and_lists_exit_codes(name: str) -> None:
    p = _subcommands()[name]
    assert {"-q", "--quiet", "-v", "--verbose"} <= _options(p)
    assert EXIT_CODES in p.format_help()
    assert ("--json" in _options(p)) == (name in PRINTS_A_SUMMARY)
    assert ({"--citizens", "--years", "--set"} <= _options(p)) == (name in RUNS_A_SCENARIO)


def test_the_top_level_help_lists_the_exit_codes() -> None:
    text = build_parser().format_help()
    assert "exit codes:" in text and "130" in text


@pytest.mark.parametrize(
    ("setting", "line"),
    [
        ("outreach=2", "--set outreach=2: levers.outreach: 2 is out of range; allowed 0 to 1"),
        ("outreech=0.5", "--set outreech=0.5: unknown parameter 'outreech'; did you mean"),
        ("outreach", "--set outreach: expected KEY=VALUE"),
        ("mechanisms.trust=maybe", "--set mechanisms.trust=maybe: mechanisms.trust:"),
    ],
)
@pytest.mark.parametrize("command", ["run", "compare"])
def test_a_bad_set_is_one_line_and_exit_2(
    command: str, setting: str, line: str, tmp_path: Path, capsys
) -> None:
    out = tmp_path / "out"
    code = main([command, "baseline", "--set", setting, "--out", str(out), "-q"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith(line) and err.count("\n") == 1, err
    assert not out.exists()


def test_run_with_set_and_json(tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    args = ["run", "wigan_deal", "--citizens", "300", "--years", "1", "--set",
            "volunteer_expectation=2", "--set", "mechanisms.trust=false", "--json",
            "--out", str(out)]  # fmt: skip
    assert main(args) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["scenario"] == "wigan_deal" and printed["years"] == 1
    assert set(printed["outcomes"]) >= {"final_trust", "burnouts_per_1000_per_year"}
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["scenario"]["levers"]["volunteer_expectation"] == 2
    assert manifest["scenario"]["mechanisms"]["trust"] is False
    assert manifest["scenario"]["municipality"]["citizens"] == 300


def test_params_lists_every_parameter_with_its_ranges_and_source(capsys) -> None:
    assert main(["params"]) == 0
    text = capsys.readouterr().out
    for p in PARAMS:
        assert f"  {p.name} " in text, p.name
    assert "source: Josang & Ismail 2002" in text
    assert main(["params", "--section", "levers", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [p["name"] for p in listed] == [p.name for p in params_in("levers")]
    assert listed[0].keys() >= {"unit", "default", "allowed", "plausible", "source"}
    with pytest.raises(SystemExit) as refused:  # argparse's own usage error
        main(["params", "--section", "nowhere"])
    assert refused.value.code == 2


def test_the_dashboard_takes_the_same_options(monkeypatch, capsys) -> None:
    assert main(["dashboard", "baseline", "--set", "outreach=2", "-q"]) == 2
    assert capsys.readouterr().err.startswith("--set outreach=2: levers.outreach: 2 is out")
    from sim.present import dashboard

    monkeypatch.setenv(dashboard.ENV_OVERRIDES, json.dumps({"years": 2, "outreach": 0.5}))
    scenario = dashboard.base_scenario("baseline", citizens=300)
    assert scenario.years == 2 and scenario.levers["outreach"] == 0.5
    assert scenario.municipality["citizens"] == 300
