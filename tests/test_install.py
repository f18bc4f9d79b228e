"""A real install: the wheel, installed into a fresh venv outside the checkout, runs.

The wheel is built with ``pip wheel --no-build-isolation`` (the setuptools of the test
environment, so no network), installed with ``--no-deps`` into a new venv, and given the
test environment's installed dependencies through a ``.pth`` file (its site-packages is
added as a plain path, so the editable install's own hook there does not run: ``sim``
comes from the wheel). The commands then run from an empty directory, where no
``scenarios/`` folder is near: the bundled names resolve from the package data.

The run uses the reference engine: numba keys its on-disk cache by the source files' paths,
so the numba engine would compile every kernel afresh for the new install (about 50 s),
which tests the compiler, not the install; the engines' agreement is tested elsewhere
(tests/test_engines.py).
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    base = tmp_path_factory.mktemp("install")
    wheels = base / "wheels"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    built = _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "--no-index", "-q", "-w", str(wheels), str(ROOT)],
        base, env,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    (wheel,) = wheels.glob("cocreate-*.whl")
    fresh = base / "venv"
    venv.create(fresh, with_pip=False)
    site = next((fresh / "lib").glob("python3*/site-packages"))
    installed = _run(
        [sys.executable, "-m", "pip", "--python", str(fresh / "bin" / "python"), "install",
         "--no-deps", "--no-index", "-q", str(wheel)],
        base, env,
    )  # fmt: skip
    assert installed.returncode == 0, installed.stderr
    (site / "test_environment.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    elsewhere = base / "elsewhere"
    elsewhere.mkdir()
    return wheel, {**env, "PATH": f"{fresh / 'bin'}{os.pathsep}{env.get('PATH', '')}"}


def test_the_wheel_carries_the_bundled_files(installed: tuple[Path, dict[str, str]]) -> None:
    wheel, _ = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in ("scenarios/baseline.yaml", "scenarios/wigan_deal.yaml",
                 "experiments/sobol_wigan.yaml"):  # fmt: skip
        assert f"sim/_bundled/{name}" in names, name
    assert not any(n.startswith(("tests/", "scenarios/")) for n in names)


def test_the_installed_commands_run_from_another_directory(
    installed: tuple[Path, dict[str, str]],
) -> None:
    wheel, env = installed
    elsewhere = wheel.parent.parent / "elsewhere"
    where = _run(["python", "-c", "import sim; print(sim.__file__)"], elsewhere, env)
    assert where.returncode == 0, where.stderr
    assert "site-packages" in where.stdout and str(ROOT) not in where.stdout, where.stdout

    listed = _run(["cocreate", "list"], elsewhere, env)
    assert listed.returncode == 0, listed.stderr
    assert "baseline" in listed.stdout and "wigan_deal" in listed.stdout

    ran = _run(
        ["cocreate", "run", "baseline", "--years", "1", "--citizens", "300", "-q",
         "--engine", "reference", "--out", "out"],
        elsewhere, env,
    )  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    assert (elsewhere / "out" / "timeseries.csv").is_file()
    assert (elsewhere / "out" / "outcomes.json").is_file()

    checked = _run(["cocreate", "validate", "baseline", "wigan_deal"], elsewhere, env)
    assert checked.returncode == 0, checked.stderr
    assert "baseline: ok" in checked.stdout

    bad = _run(["cocreate", "validate", "no_such_scenario"], elsewhere, env)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
