"""Output folders that say which command made them, so that no command writes over another's.

Every folder ``cocreate run``, ``compare``, ``sweep`` and ``report`` writes holds
:data:`MARKER` (``cocreate.json``), naming the command that made it. A command pointed
at a folder another command made (``compare --out`` at a ``run`` folder, say) is
refused before anything is written, and nothing in the folder is touched; so is a folder
that holds files cocreate did not write. The same command pointed at its own folder is
allowed: that is how an interrupted ``compare`` or ``sweep`` resumes, and how ``run``
replaces an earlier run. Folders made before markers existed are recognised by what they
hold (:func:`made_by`).

:func:`check_folder` also makes sure the folder can be written, before the first run
rather than after the last.
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from sim.core.io import atomic_write_json, excerpt, package_version, printable

__all__ = [
    "COMMANDS",
    "MARKER",
    "FolderError",
    "check_folder",
    "check_writable",
    "claim_folder",
    "made_by",
    "mark_folder",
    "require_folder",
]

MARKER = "cocreate.json"
"""The file in every output folder that names the command that made it."""

COMMANDS: tuple[str, ...] = ("run", "compare", "sweep", "report")
"""The commands that make output folders."""

FOREIGN = "foreign"
"""What :func:`made_by` returns for a folder holding files cocreate did not write."""


class FolderError(ValueError):
    """An output folder that cannot be used; ``str()`` is one line naming it and why."""


def _legacy(folder: Path, names: set[str]) -> str | None:
    """The command that made a folder from before markers, from the files it holds."""
    if "store.json" in names:
        try:
            held = json.loads((folder / "store.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return "compare" if "runs.csv" in names else "sweep" if "samples.csv" in names else None
        return "compare" if isinstance(held, dict) and held.get("name") == "compare" else "sweep"
    if "manifest.json" in names:
        try:
            manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if isinstance(manifest, dict):
            for key, command in (
                ("engine", "run"),
                ("scenarios", "compare"),
                ("experiment", "sweep"),
            ):
                if key in manifest:
                    return command
        return None
    if "report.html" in names:
        return "report"
    if {"timeseries.csv", "neighbourhoods.csv", "quintiles.csv"} & names and not (
        {"runs", "series"} & names
    ):
        return "run"
    return None


def made_by(folder: Path) -> str | None:
    """Which command made ``folder``.

    Returns:
        The command (one of :data:`COMMANDS`); None for a folder that does not exist or
        holds nothing (hidden files aside); :data:`FOREIGN` for one that holds files
        cocreate did not write.

    Raises:
        FolderError: ``folder`` is a file, or cannot be listed.
    """
    folder = Path(folder)
    try:
        names = set(os.listdir(folder))
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        raise FolderError(f"{printable(str(folder))}: is a file, not a folder") from None
    except OSError as exc:
        raise FolderError(f"{printable(str(folder))}: cannot read: {exc.strerror or exc}") from None
    if MARKER in names:
        try:
            marker = json.loads((folder / MARKER).read_text(encoding="utf-8"))
            command = marker["command"]
        except (OSError, ValueError, KeyError, TypeError):
            return FOREIGN
        return command if command in COMMANDS else FOREIGN
    visible = {name for name in names if not name.startswith(".")}
    if not visible:
        return None
    return _legacy(folder, names) or FOREIGN


def check_folder(folder: Path, command: str) -> None:
    """Make sure ``command`` may write into ``folder``, and can; write nothing in it.

    The folder (and its parents) is created if missing. A folder another command made,
    or one holding files cocreate did not write, is refused; so is a file, or a folder
    that cannot be written.

    Raises:
        FolderError: with one line naming the folder and what to do.
    """
    folder = Path(folder)
    shown = printable(str(folder))
    owner = made_by(folder)
    if owner == FOREIGN:
        names = sorted(n for n in os.listdir(folder) if not n.startswith("."))
        listed = ", ".join(excerpt(n) for n in names[:3]) + (", ..." if len(names) > 3 else "")
        raise FolderError(
            f"{shown}: holds files cocreate did not write ({listed}); "
            f"give cocreate {command} a new or empty --out folder"
        )
    if owner is not None and owner != command:
        raise FolderError(
            f"{shown}: made by cocreate {owner}; cocreate {command} does not write into "
            "another command's folder, so nothing in it was touched. Use a new --out folder"
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise FolderError(f"{shown}: is a file, not a folder; use a new --out folder") from None
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise FolderError(
            f"{shown}: cannot be made ({reason}); use a folder you can write to"
        ) from None
    check_writable(folder)


def check_writable(folder: Path) -> None:
    """Make sure a file can be created in ``folder`` (by creating and removing one).

    Raises:
        FolderError: it cannot (read-only, full, not a folder...).
    """
    try:
        with tempfile.TemporaryFile(dir=folder, prefix=".cocreate-write-test-"):
            pass
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise FolderError(
            f"{printable(str(folder))}: cannot be written ({reason}); use a folder you can write to"
        ) from None


def mark_folder(folder: Path, command: str) -> None:
    """Record in ``folder`` that ``command`` made it (kept if already there)."""
    marker = Path(folder) / MARKER
    if not marker.exists():
        atomic_write_json(
            marker,
            {
                "command": command,
                "created_utc": datetime.now(UTC).isoformat(timespec="seconds"),
                "package_version": package_version(),
            },
        )


def claim_folder(folder: Path, command: str) -> None:
    """:func:`check_folder`, then :func:`mark_folder`.

    Raises:
        FolderError: the folder is another command's, foreign, a file or not writable.
    """
    check_folder(folder, command)
    try:
        mark_folder(folder, command)
    except OSError as exc:
        shown = printable(str(folder))
        raise FolderError(f"{shown}: cannot be written ({exc.strerror or exc})") from None


def require_folder(folder: Path, command: str) -> None:
    """Make sure ``folder`` is one ``command`` made (for a command that reads it).

    Raises:
        FolderError: it is missing, or another command's.
    """
    owner = made_by(folder)
    shown = printable(str(folder))
    if owner is None:
        raise FolderError(
            f"{shown}: no such folder, or empty; expected a cocreate {command} folder"
        )
    if owner != command:
        what = "files cocreate did not write" if owner == FOREIGN else f"cocreate {owner}"
        raise FolderError(f"{shown}: made by {what}; expected a cocreate {command} folder")
