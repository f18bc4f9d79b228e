"""Inputs with limits (issue 13): bad bytes, files that are not scenarios, sizes, and the
constraints between parameters that the model assumes.

Each test here failed before its fix: a control character or an unreadable value raised a
traceback, a FIFO blocked and ``/dev/zero`` was read without end, ``extends:`` printed
any file it was pointed at, a huge scalar was echoed whole, and a scenario with more
neighbourhoods than citizens passed ``validate`` and then crashed ``run``.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.cli import main
from sim.core.io import MAX_INPUT_BYTES, InputError, read_input_text
from sim.core.params import CONSTRAINTS, PARAM_BY_NAME, PARAMS
from sim.core.scenario import Scenario, ScenarioError, load_scenario
from sim.core.world import build_world


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _one_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    return lines[0]


def _validate_within(args: list[str], seconds: float = 20.0) -> int | None:
    """``main(args)`` in a thread; None if it has not returned within ``seconds``."""
    result: list[int] = []
    thread = threading.Thread(target=lambda: result.append(main(args)), daemon=True)
    thread.start()
    thread.join(seconds)
    return result[0] if result else None


# ------------------------------------------------------------------------- bad bytes


def test_a_control_character_is_one_line_with_its_place(in_tmp: Path, capsys) -> None:
    (in_tmp / "ctrl.yaml").write_bytes(b"name: a\nlevers:\n  outreach: 0.3\x01\n")
    assert main(["validate", "ctrl.yaml"]) == 2
    line = _one_line(capsys)
    assert line.startswith("ctrl.yaml:3: contains a character YAML does not allow (U+0001")


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("years: 2020-13-45\n", 1),  # a date with month 13
        ("levers:\n  outreach: !!float abc\n", 2),
        ("levers:\n  outreach: " + "1" * 5000 + "\n", 2),  # more digits than int() takes
    ],
)
def test_a_value_yaml_cannot_construct_is_one_line(in_tmp: Path, capsys, text, line) -> None:
    (in_tmp / "value.yaml").write_text(text)
    assert main(["validate", "value.yaml"]) == 2
    assert _one_line(capsys).startswith(f"value.yaml:{line}: YAML error: cannot read this value")


# ------------------------------------------------------------- what is read, and how much


def test_a_fifo_is_refused_at_once(in_tmp: Path, capsys) -> None:
    os.mkfifo(in_tmp / "pipe.yaml")
    assert _validate_within(["validate", "pipe.yaml"]) == 2, "validate waited on a FIFO"
    assert "pipe.yaml: not a regular file" in _one_line(capsys)


def test_a_device_is_refused_before_it_is_read(in_tmp: Path, capsys) -> None:
    (in_tmp / "zero.yaml").symlink_to("/dev/zero")
    with pytest.raises(InputError, match="not a regular file"):
        read_input_text(in_tmp / "zero.yaml")
    assert _validate_within(["validate", "zero.yaml"]) == 2, "validate read /dev/zero"
    assert "zero.yaml: not a regular file" in _one_line(capsys)


def test_a_file_over_the_limit_is_refused_without_parsing(in_tmp: Path, capsys) -> None:
    (in_tmp / "big.yaml").write_text("description: " + "x" * MAX_INPUT_BYTES + "\n")
    assert main(["validate", "big.yaml"]) == 2
    line = _one_line(capsys)
    assert line.startswith("big.yaml: is ") and f"allowed up to {MAX_INPUT_BYTES:,} bytes" in line
    assert "xxxx" not in line


def test_a_file_that_grows_after_stat_is_still_cut_at_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("x" * 100)
    with pytest.raises(InputError, match="allowed up to 50 bytes"):
        read_input_text(path, limit=50)
    assert read_input_text(path, limit=100) == "x" * 100


def test_extends_never_prints_a_file_that_is_not_a_scenario(in_tmp: Path, capsys) -> None:
    secret = in_tmp / "credentials"
    secret.write_text("TOPSECRET password=hunter2\n")
    (in_tmp / "rel.yaml").write_text("extends: credentials\n")
    (in_tmp / "abs.yaml").write_text(f"extends: {secret}\n")
    for name in ("rel.yaml", "abs.yaml"):
        assert main(["validate", name]) == 2
        line = _one_line(capsys)
        assert line.startswith(f"{name}:1: extends: ") and "is not a scenario file" in line
        assert "TOPSECRET" not in line and "hunter2" not in line
    assert main(["validate", str(secret)]) == 2
    line = _one_line(capsys)
    assert "not a scenario file" in line and "TOPSECRET" not in line


@pytest.mark.parametrize("ref", ["", ".", "/"])
def test_a_folder_given_as_a_scenario_is_one_line(in_tmp: Path, capsys, ref) -> None:
    assert main(["validate", ref]) == 2
    assert _one_line(capsys).endswith(
        "not a scenario file; allowed: a .yaml or .yml file, or a bundled scenario name"
    )


def test_a_huge_scalar_is_echoed_only_as_an_excerpt(in_tmp: Path, capsys) -> None:
    (in_tmp / "huge.yaml").write_text("levers:\n  outreach: '" + "9" * 200_000 + "'\n")
    (in_tmp / "key.yaml").write_text("levers:\n  " + "k" * 1000 + ": 1\n")
    for name in ("huge.yaml", "key.yaml"):
        assert main(["validate", name]) == 2
        line = _one_line(capsys)
        assert line.startswith(f"{name}:2: levers.")
        assert len(line) < 400, len(line)


def test_a_name_too_long_for_a_folder_is_refused(in_tmp: Path, capsys) -> None:
    (in_tmp / "long.yaml").write_text("name: " + "n" * 300 + "\n")
    assert main(["validate", "long.yaml"]) == 2
    assert _one_line(capsys).startswith("long.yaml:1: name: is longer than 100 characters")


# ------------------------------------------------------------- constraints between values


def test_more_neighbourhoods_than_citizens_is_refused_by_validate(in_tmp: Path, capsys) -> None:
    (in_tmp / "hoods.yaml").write_text(
        "extends: baseline\nmunicipality:\n  citizens: 50\n  neighbourhoods: 100\n"
    )
    assert main(["validate", "hoods.yaml"]) == 2
    line = _one_line(capsys)
    assert line.startswith("hoods.yaml:4: municipality.neighbourhoods: neighbourhoods 100 with")
    assert "allowed: neighbourhoods up to citizens" in line


def test_a_constraint_broken_through_extends_is_reported_on_the_file_given(
    in_tmp: Path, capsys
) -> None:
    (in_tmp / "town.yaml").write_text("municipality:\n  neighbourhoods: 80\n")
    (in_tmp / "tiny.yaml").write_text("extends: town\nmunicipality:\n  citizens: 60\n")
    assert main(["validate", "tiny.yaml"]) == 2
    assert _one_line(capsys).startswith("tiny.yaml:3: municipality.citizens: neighbourhoods 80")


def test_an_override_that_breaks_a_constraint_is_refused(in_tmp: Path, capsys) -> None:
    (in_tmp / "wards.yaml").write_text("municipality:\n  citizens: 5000\n  neighbourhoods: 120\n")
    out = in_tmp / "out"
    assert main(["compare", "wards.yaml", "--citizens", "100", "--out", str(out), "-q"]) == 2
    assert _one_line(capsys).startswith("--citizens: neighbourhoods 120 with citizens 100")
    assert not out.exists()
    with pytest.raises(ScenarioError, match="network_degree 50 with citizens 50"):
        load_scenario("baseline").with_overrides(
            {"citizens": 50, "neighbourhoods": 2, "network_degree": 50}
        )


SIZES = {"citizens": (50, 300), "neighbourhoods": (1, 200), "network_degree": (0.0, 50.0)}
"""Drawn wide where the constraints bite, so that both sides of each are tried."""


def _value(name: str) -> st.SearchStrategy:
    p = PARAM_BY_NAME[name]
    low, high = SIZES.get(name, (p.low, p.high))
    if p.kind == "int":
        return st.integers(int(low), int(high))
    return st.one_of(st.sampled_from([low, high]), st.floats(low, high))


@settings(
    max_examples=60,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(values=st.fixed_dictionaries({p.name: _value(p.name) for p in PARAMS}))
def test_what_validate_accepts_builds_a_world(tmp_path: Path, values: dict) -> None:
    """A scenario file drawn from the registry's ranges at a tiny size: either validate
    refuses it, naming a constrained key, or the world builds."""
    document = {
        section: {p.name: values[p.name] for p in PARAMS if p.section == section}
        for section in ("municipality", "uncertainties", "levers")
    }
    path = tmp_path / "drawn.yaml"
    path.write_text(yaml.safe_dump(document))
    try:
        scenario = load_scenario(path)
    except ScenarioError as exc:
        keys = {k for c in CONSTRAINTS for k in c.keys}
        for problem in exc.problems:
            assert "\n" not in str(problem)
            assert problem.key_path.split(".")[-1] in keys, str(problem)
        assert any(not c.holds(values) for c in CONSTRAINTS)
        return
    assert all(c.holds(values) for c in CONSTRAINTS)
    world = build_world(scenario.flat_params(), seed=1)
    assert len(world.citizens.ses) == values["citizens"]
    assert len(world.hoods.population) == values["neighbourhoods"]
    assert (world.hoods.population >= 1).all()


def test_every_constraint_names_registry_parameters() -> None:
    for constraint in CONSTRAINTS:
        assert set(constraint.keys) <= set(PARAM_BY_NAME), constraint
        assert constraint.reason and constraint.rule
    defaults = Scenario.from_dict({}).flat_params()
    assert all(c.holds(defaults) for c in CONSTRAINTS)
