"""A corpus of malformed scenario and experiment files, generated from the schema (issue 13).

Every file has exactly one thing wrong with it, drawn from the parameter registry and the
two pydantic schemas: for each field a value of the wrong type, one below and one above
its range, a value that is not finite; unknown keys in every section; missing required
keys; duplicate keys; the constraints between parameters; and whole-file faults (bad
YAML, non-UTF-8 bytes, control characters, a file over the size limit, a top level that
is not a mapping). Scenario files go to ``cocreate validate`` (and a sample to ``cocreate
run``), experiment files to ``cocreate sweep``, in-process through the CLI's ``main``;
one sample goes through a real subprocess. Each must give exit 2, exactly one line on
stderr naming the file (and the key, where the fault is in one), and no traceback.

``python tests/test_malformed_corpus.py`` prints the counts of the corpus by kind.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from sim.cli import main
from sim.core.io import MAX_INPUT_BYTES
from sim.core.params import MECHANISM_NAMES, PARAMS, PROMISE_KINDS, SECTIONS, Param
from sim.runs.outcomes import OUTCOMES

REPO = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Case:
    """One malformed file.

    Attributes:
        kind: what is wrong (``wrong_type``, ``below_range``, ``bad_yaml``...).
        name: the file name.
        content: its bytes.
        key: the key path the message must name; None for a fault of the whole file.
        line: the line the message must give; None where no line applies.
    """

    kind: str
    name: str
    content: bytes
    key: str | None
    line: int | None


# --------------------------------------------------------------------- scenario files


def _number(p: Param, value: float) -> str:
    return str(int(value)) if p.kind == "int" else repr(float(value))


def _outside(p: Param) -> tuple[float, float]:
    span = max(1.0, p.high - p.low)
    below, above = p.low - span, p.high + span
    if p.kind == "int":
        below, above = int(below), int(above)
    return below, above


def scenario_cases() -> list[Case]:
    """Malformed scenario files, one fault each."""
    cases: list[Case] = []

    def add(kind: str, tag: str, text: str | bytes, key: str | None, line: int | None) -> None:
        content = text.encode() if isinstance(text, str) else text
        cases.append(Case(kind, f"scenario_{kind}_{tag}.yaml", content, key, line))

    wrong_types = {
        "text": "'many'",
        "list": "[1, 2]",
        "mapping": "{a: 1}",
        "boolean": "true",
        "empty": "null",
    }
    for k, p in enumerate(PARAMS):
        key = f"{p.section}.{p.name}"
        head = f"name: corpus\n{p.section}:\n  {p.name}: "
        for tag, value in wrong_types.items():
            if tag in ("text", "list") or k % 5 == 0:  # every parameter, or every fifth
                add("wrong_type", f"{p.name}_{tag}", f"{head}{value}\n", key, 3)
        below, above = _outside(p)
        add("below_range", p.name, f"{head}{_number(p, below)}\n", key, 3)
        add("above_range", p.name, f"{head}{_number(p, above)}\n", key, 3)
        if p.kind == "float":
            add("not_finite", p.name, f"{head}.nan\n", key, 3)
        if p.kind == "int":
            add("not_whole", p.name, f"{head}{p.low + 0.5}\n", key, 3)
        other = next(s for s in SECTIONS if s != p.section)
        add("wrong_section", p.name, f"{other}:\n  {p.name}: {p.default}\n", f"{other}.{p.name}", 2)
    for m in MECHANISM_NAMES:
        add("wrong_type", f"mechanism_{m}", f"mechanisms:\n  {m}: 1\n", f"mechanisms.{m}", 2)
    for section in (*SECTIONS, "mechanisms", "deal"):
        add(
            "unknown_key",
            section,
            f"{section}:\n  no_such_setting: 1\n",
            f"{section}.no_such_setting",
            2,
        )
        add("wrong_type", f"section_{section}", f"{section}: [1, 2]\n", section, 1)
    add("unknown_key", "top", "name: corpus\nhappiness: 1\n", "happiness", 2)
    add("unknown_key", "promise_field", _deal("colour: red"), "deal.council[0].colour", 5)
    add("missing_key", "promise", "deal:\n  council:\n    - {level: 0.5}\n", "deal.council[0]", 3)
    add(
        "missing_key",
        "level",
        "deal:\n  council:\n    - {promise: listen_and_respond}\n",
        "deal.council[0]",
        3,
    )
    for promise in PROMISE_KINDS:
        add("above_range", f"level_{promise}", _deal("", promise, 1e6), "deal.council[0].level", 4)
    add("bad_value", "promise", _deal("", "free_lunch"), "deal.council[0].promise", 3)
    add("above_range", "weight", _deal("weight: 11"), "deal.council[0].weight", 5)
    add(
        "duplicate_key",
        "promise",
        "deal:\n  council:\n    - {promise: listen_and_respond, level: 0.5}\n"
        "    - {promise: listen_and_respond, level: 0.6}\n",
        "deal.council",
        2,
    )
    add(
        "above_range",
        "expected_hours",
        "deal:\n  citizens:\n    expected_hours: 11\n",
        "deal.citizens.expected_hours",
        3,
    )
    for tag, value in (("zero", "0"), ("many", "101"), ("text", "ten"), ("half", "2.5")):
        kind = "wrong_type" if tag in ("text", "half") else "out_of_range"
        add(kind, f"years_{tag}", f"name: corpus\nyears: {value}\n", "years", 2)
    add("bad_value", "name_slash", "name: a/b\n", "name", 1)
    add("bad_value", "name_long", f"name: {'n' * 200}\n", "name", 1)
    add("bad_value", "description", 'description: "two\\nlines"\n', "description", 1)
    add("bad_value", "extends_missing", "extends: no_such_base\n", "extends", 1)
    add("bad_value", "extends_not_yaml", "extends: /etc/passwd\n", "extends", 1)
    add("bad_value", "extends_self", "extends: scenario_bad_value_extends_self\n", "extends", 1)
    add("duplicate_key", "years", "years: 1\nyears: 2\n", "years", 2)
    add(
        "constraint",
        "neighbourhoods",
        "municipality:\n  citizens: 50\n  neighbourhoods: 60\n",
        "municipality.neighbourhoods",
        3,
    )
    add(
        "constraint",
        "network_degree",
        "municipality:\n  citizens: 50\nuncertainties:\n  network_degree: 50\n",
        "uncertainties.network_degree",
        4,
    )
    for tag, text, line in (
        ("unclosed", "years: [1\n", 2),
        ("tab", "levers:\n\toutreach: 0.5\n", 2),
        ("quote", 'name: "corpus\n', 2),
        ("indent", "levers:\n  outreach: 0.5\n recognition: 0.4\n", 3),
        ("colon", "name: a: b\n", 1),
        ("alias", "levers: *nothing\n", 1),
        ("documents", "name: a\n---\nname: b\n", 2),
        ("tag", "years: !!python/object:os.system x\n", 1),
        ("date", "years: 2020-13-45\n", 1),
        ("digits", "years: " + "9" * 5000 + "\n", 1),
    ):
        add("bad_yaml", tag, text, None, line)
    add("non_utf8", "latin1", "name: caf\xe9\n".encode("latin-1"), None, None)
    add("non_utf8", "bytes", b"levers:\n  outreach: \xff\xfe\n", None, None)
    for tag, char in (("soh", "\x01"), ("escape", "\x1b"), ("delete", "\x7f"), ("nul", "\x00")):
        add("control_char", tag, f"name: corpus\nlevers:\n  outreach: 0.5{char}\n", None, 3)
    add("too_big", "scenario", "description: " + "x" * MAX_INPUT_BYTES + "\n", None, None)
    add("not_mapping", "list", "- 1\n- 2\n", None, 1)
    add("not_mapping", "scalar", "just text\n", None, 1)
    return cases


def _deal(extra: str, promise: str = "listen_and_respond", level: float = 0.5) -> str:
    lines = f"deal:\n  council:\n    - promise: {promise}\n      level: {level}\n"
    return lines + (f"      {extra}\n" if extra else "")


# ------------------------------------------------------------------- experiment files

GOOD = {
    "method": "morris",
    "base": "baseline",
    "parameters": "\n  outreach: null\n  recognition: [0.1, 0.9]",
    "N": "2",
    "years": "1",
    "citizens": "200",
    "outcomes": "[final_trust, burnouts_per_1000_per_year]",
}
"""A valid experiment, key by key (``parameters`` is a block)."""


def _experiment(**change: str | None) -> str:
    values = {**GOOD, **change}
    return "".join(f"{key}: {value}\n" for key, value in values.items() if value is not None)


def _line(text: str, key: str) -> int:
    """The line of ``key:`` in ``text`` (``parameters.x`` is the item ``x`` of its block)."""
    head, _, item = key.partition(".")
    lines = text.splitlines()
    start = next(k for k, line in enumerate(lines) if line.startswith(f"{head}:"))
    if not item:
        return start + 1
    return next(k for k in range(start, len(lines)) if lines[k].startswith(f"  {item}:")) + 1


def experiment_cases() -> list[Case]:
    """Malformed experiment files, one fault each."""
    cases: list[Case] = []

    def add(kind: str, tag: str, text: str | bytes, key: str | None, line: int | None = 0) -> None:
        """``line`` 0: the line of ``key`` in the file."""
        content = text.encode() if isinstance(text, str) else text
        if line == 0 and isinstance(text, str) and key is not None:
            line = _line(text, key)
        cases.append(Case(kind, f"experiment_{kind}_{tag}.yaml", content, key, line))

    integers = {
        "N": ("1", "2000000"),
        "replicates": ("0", "2000000"),
        "seed": ("-1", str(2**64)),
        "years": ("0", "101"),
        "citizens": ("10", "3000000"),
        "num_levels": ("0", "1002"),
    }
    for key, (below, above) in integers.items():
        for tag, value in (("text", "'many'"), ("list", "[1]"), ("half", "2.5")):
            add("wrong_type", f"{key}_{tag}", _experiment(**{key: value}), key)
        add("below_range", key, _experiment(**{key: below}), key)
        add("above_range", key, _experiment(**{key: above}), key)
    for key in ("method", "base", "second_order", "name"):
        add("wrong_type", f"{key}_list", _experiment(**{key: "[1, 2]"}), key)
    add("bad_value", "method", _experiment(method="fast"), "method")
    add("bad_value", "num_levels_odd", _experiment(num_levels="3"), "num_levels")
    add("bad_value", "sobol_N", _experiment(method="sobol", N="6"), "N")
    add("bad_value", "runs", _experiment(N="400000"), "N")
    add("bad_value", "seed_overflow", _experiment(seed=str(2**64 - 1), replicates="2"), "seed")
    add("bad_value", "name", _experiment(name="a/b"), "name")
    add("bad_value", "base_missing", _experiment(base="no_such_base"), "base")
    add("bad_value", "base_not_yaml", _experiment(base="/etc/passwd"), "base")
    add("bad_value", "outcome", _experiment(outcomes="[happiness]"), "outcomes")
    add(
        "duplicate_key",
        "outcome",
        _experiment(outcomes="[final_trust, final_trust]"),
        "outcomes",
    )
    add("wrong_type", "outcomes", _experiment(outcomes="final_trust"), "outcomes")
    add("below_range", "outcomes", _experiment(outcomes="[]"), "outcomes")
    for tag, block, key in (
        ("unknown", "\n  happiness: null\n  outreach: null", "parameters.happiness"),
        ("reversed", "\n  outreach: [0.9, 0.1]\n  recognition: null", "parameters.outreach"),
        ("outside", "\n  outreach: [0, 2]\n  recognition: null", "parameters.outreach"),
        ("short", "\n  outreach: [0.5]\n  recognition: null", "parameters.outreach"),
        ("text", "\n  outreach: [a, b]\n  recognition: null", "parameters.outreach"),
        ("scalar", "\n  outreach: 0.5\n  recognition: null", "parameters.outreach"),
        ("not_finite", "\n  outreach: [.nan, 1]\n  recognition: null", "parameters.outreach"),
        ("one", "\n  outreach: null", "parameters"),
        ("list", " [outreach, recognition]", "parameters"),
    ):
        add("bad_value", f"parameters_{tag}", _experiment(parameters=block), key)
    add(
        "constraint",
        "neighbourhoods",
        _experiment(parameters="\n  neighbourhoods: [1, 200]\n  outreach: null", citizens="100"),
        "parameters.neighbourhoods",
    )
    for key in ("method", "parameters", "outcomes"):
        add("missing_key", key, _experiment(**{key: None}), key, None)
    add("unknown_key", "top", _experiment() + "colour: red\n", "colour")
    add("duplicate_key", "N", _experiment() + "N: 4\n", "N", 10)
    add("bad_yaml", "unclosed", _experiment(outcomes="[final_trust"), None, None)
    add("bad_yaml", "tab", _experiment() + "\tseed: 1\n", None, 10)
    add(
        "non_utf8",
        "latin1",
        _experiment().encode() + "name: caf\xe9\n".encode("latin-1"),
        None,
        None,
    )
    add("control_char", "soh", _experiment() + "name: a\x01\n", None, 10)
    add("too_big", "experiment", _experiment() + "#" + "x" * MAX_INPUT_BYTES + "\n", None, None)
    add("not_mapping", "list", "- method\n- morris\n", None, 1)
    return cases


# ----------------------------------------------------------------------------- checks


def _write(folder: Path, cases: list[Case]) -> None:
    for case in cases:
        (folder / case.name).write_bytes(case.content)


def _problems(case: Case, code: int, err: str) -> list[str]:
    """What is wrong with how ``case`` was refused; empty if it was refused well."""
    lines = err.splitlines()
    found = []
    if code != 2:
        found.append(f"exit {code}")
    if "Traceback" in err:
        found.append("a traceback")
    if len(lines) != 1:
        found.append(f"{len(lines)} lines: {err[:300]!r}")
        return found
    (line,) = lines
    where = case.name if case.line is None else f"{case.name}:{case.line}:"
    if not line.startswith(where):
        found.append(f"does not start with {where!r}: {line[:200]!r}")
    if case.key is not None and f": {case.key}:" not in line and f": {case.key} " not in line:
        found.append(f"does not name {case.key!r}: {line[:200]!r}")
    return found


def _refusals(cases: list[Case], command: list[str], capsys, tmp: Path) -> dict[str, list[str]]:
    bad = {}
    for case in cases:
        out = tmp / f"out_{case.name}"
        args = [*command[:1], case.name, *command[1:]]
        args = [a.replace("{out}", str(out)) for a in args]
        code = main(args)
        captured = capsys.readouterr()
        problems = _problems(case, code, captured.err)
        if out.exists():
            problems.append("an output folder was made")
        if problems:
            bad[case.name] = problems
    return bad


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_corpus_is_large_and_covers_every_kind() -> None:
    scenarios, experiments = scenario_cases(), experiment_cases()
    assert len(scenarios) + len(experiments) >= 100
    names = [c.name for c in (*scenarios, *experiments)]
    assert len(set(names)) == len(names)
    kinds = {"wrong_type", "below_range", "above_range", "unknown_key", "missing_key"}
    kinds |= {"bad_yaml", "non_utf8", "too_big", "control_char", "not_mapping"}
    for cases in (scenarios, experiments):
        assert kinds <= {c.kind for c in cases}
    assert {p.name for p in PARAMS} <= {
        c.name.split("below_range_")[1][:-5] for c in scenarios if c.kind == "below_range"
    }
    assert set(OUTCOMES) >= {"final_trust", "burnouts_per_1000_per_year"}


def test_validate_refuses_every_malformed_scenario_in_one_line(in_tmp: Path, capsys) -> None:
    """One ``cocreate validate`` over every file: one line for each, in order."""
    cases = scenario_cases()
    _write(in_tmp, cases)
    assert main(["validate", *(case.name for case in cases)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == len(cases), f"{len(lines)} lines for {len(cases)} files"
    bad = {}
    for case, line in zip(cases, lines, strict=True):
        problems = _problems(case, 2, line)
        if problems:
            bad[case.name] = problems
    assert not bad, f"{len(bad)} of {len(cases)} refused badly: {bad}"


def test_run_refuses_malformed_scenarios_before_running(in_tmp: Path, capsys) -> None:
    cases = scenario_cases()[::7]  # a sample: run loads scenarios as validate does
    _write(in_tmp, cases)
    bad = _refusals(cases, ["run", "--out", "{out}", "-q"], capsys, in_tmp)
    assert not bad, f"{len(bad)} of {len(cases)} refused badly: {bad}"


def test_sweep_refuses_every_malformed_experiment_in_one_line(in_tmp: Path, capsys) -> None:
    cases = experiment_cases()
    _write(in_tmp, cases)
    bad = _refusals(cases, ["sweep", "--out", "{out}", "--workers", "1"], capsys, in_tmp)
    assert not bad, f"{len(bad)} of {len(cases)} refused badly: {bad}"


def test_a_sample_in_a_real_process_gives_one_line_each(in_tmp: Path) -> None:
    """One ``cocreate validate`` process over a sample of files: one line per file."""
    cases = scenario_cases()[::11]
    _write(in_tmp, cases)
    proc = subprocess.run(
        [sys.executable, "-m", "sim.cli", "validate", *(c.name for c in cases)],
        capture_output=True,
        text=True,
        cwd=in_tmp,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=120,
        check=False,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == len(cases), proc.stderr
    for case, line in zip(cases, lines, strict=True):
        assert line.startswith(case.name), (case.name, line)


if __name__ == "__main__":  # the counts, for the record
    for label, made in (("scenario", scenario_cases()), ("experiment", experiment_cases())):
        counts = Counter(c.kind for c in made)
        print(f"{label} files: {len(made)}")
        for kind, count in sorted(counts.items()):
            print(f"  {kind:14} {count}")
