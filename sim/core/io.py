"""Atomic file output, bounded input, and the provenance every manifest records.

Atomic: a reader sees the old file or the new one, never half of one.

Each helper writes to a temporary file in the target's directory, flushes and fsyncs
it, then moves it over the target with :func:`os.replace` (atomic on POSIX and
Windows when both are on the same file system). If anything fails, including a
``KeyboardInterrupt``, the temporary file is removed and the old target is untouched.

:func:`read_input_text` reads a scenario or experiment file with limits: only a regular
file (a device such as ``/dev/zero`` or a FIFO is refused before it is opened), of at
most :data:`MAX_INPUT_BYTES`, as UTF-8. :func:`excerpt` cuts a piece of input to the few
characters a message may echo.

:func:`provenance` gives the package version, git commit and library versions that the
manifests of ``cocreate run``, ``compare`` and ``sweep`` record.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import json
import os
import platform
import stat
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "EXCERPT_CHARS",
    "MAX_INPUT_BYTES",
    "InputError",
    "atomic_write_bytes",
    "atomic_write_csv",
    "atomic_write_json",
    "atomic_write_text",
    "excerpt",
    "package_version",
    "printable",
    "provenance",
    "read_input_text",
]

_TMP_SUFFIX = ".tmp"


def _fsync_dir(folder: Path) -> None:
    """Persist the directory entry of a rename (best effort; not possible everywhere)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - e.g. Windows
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - some file systems refuse
        pass
    finally:
        os.close(fd)


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` atomically, creating parent directories.

    Args:
        path: the target file.
        data: the complete new content.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = target.stat().st_mode & 0o777
    except FileNotFoundError:
        mode = 0o644
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=_TMP_SUFFIX, dir=target.parent
    )
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    _fsync_dir(target.parent)


def atomic_write_text(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> None:
    """Write ``text`` to ``path`` atomically, creating parent directories.

    Args:
        path: the target file.
        text: the complete new content; newlines are written as given.
        encoding: text encoding.
    """
    atomic_write_bytes(path, text.encode(encoding))


def atomic_write_csv(
    path: str | os.PathLike[str], dataframe: pd.DataFrame, *, index: bool = False
) -> None:
    """Write a DataFrame as CSV atomically (Unix line endings, UTF-8).

    Args:
        path: the target file.
        dataframe: the table to write.
        index: whether to write the index as the first column(s).
    """
    atomic_write_text(path, dataframe.to_csv(index=index, lineterminator="\n"))


VERSIONED: tuple[str, ...] = ("numpy", "numba", "mesa", "pandas", "SALib")
"""Distributions whose installed versions :func:`provenance` records (besides Python)."""


BUNDLED_KINDS: tuple[str, ...] = ("scenarios", "experiments")
"""The kinds of bundled files: scenario files and experiment files."""


def bundled_dir(kind: str) -> Path:
    """The folder of the bundled files of one kind (``scenarios`` or ``experiments``).

    In a source checkout or an editable install, the checkout's own folder next to the
    ``sim`` package; in an installed wheel, the copies it carries under
    ``sim/_bundled/`` (``setup.py``). Never the working directory: a name means the same
    file wherever the command is run from.
    """
    if kind not in BUNDLED_KINDS:
        raise ValueError(f"kind must be one of {BUNDLED_KINDS}, not {kind!r}")
    package = Path(__file__).resolve().parents[1]
    checkout = package.parent / kind
    if checkout.is_dir() and (package.parent / "pyproject.toml").is_file():
        return checkout
    return package / "_bundled" / kind


def package_version() -> str:
    """The installed version of ``cocreate``; ``"unknown"`` when it is not installed."""
    try:
        return importlib.metadata.version("cocreate")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - not installed
        return "unknown"


def _dist_version(name: str) -> str | None:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def _git(*args: str) -> str | None:
    """Output of a git command in the checkout the code runs from; None if it fails."""
    repo = Path(__file__).resolve().parents[2]
    try:
        out = subprocess.run(
            ["git", *args],
            cwd=repo,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() if out.returncode == 0 else None


def provenance() -> dict[str, Any]:
    """Where a result came from, for the manifest of every output folder.

    Returns:
        ``package_version`` (:func:`package_version`); ``git_commit``, the commit of the
        checkout the code runs from (None outside a git checkout); ``git_dirty``, whether
        tracked files have uncommitted changes (None when unknown); and ``versions``, the
        versions of Python and of :data:`VERSIONED` (None for one not installed).
    """
    commit = _git("rev-parse", "HEAD") or None
    status = _git("status", "--porcelain", "--untracked-files=no") if commit else None
    return {
        "package_version": package_version(),
        "git_commit": commit,
        "git_dirty": bool(status) if status is not None else None,
        "versions": {
            "python": platform.python_version(),
            **{name: _dist_version(name) for name in VERSIONED},
        },
    }


def atomic_write_json(path: str | os.PathLike[str], obj: Any) -> None:
    """Write ``obj`` as indented JSON atomically, with a trailing newline.

    Args:
        path: the target file.
        obj: JSON-serialisable data.
    """
    atomic_write_text(path, json.dumps(obj, indent=2, ensure_ascii=False) + "\n")


# --------------------------------------------------------------------------- input

MAX_INPUT_BYTES = 1_000_000
"""Largest scenario or experiment file read, in bytes (about 1 MB). The bundled files
are a few kilobytes; a larger file is refused before it is parsed."""

EXCERPT_CHARS = 40
"""Most characters of a value from the input that a message echoes (:func:`excerpt`)."""


class InputError(ValueError):
    """A file that cannot be read as an input; ``str()`` says why, without the file name."""


def read_input_text(path: str | os.PathLike[str], limit: int = MAX_INPUT_BYTES) -> str:
    """Read a small UTF-8 text file given as input (a scenario or experiment file).

    The file is checked with :func:`os.stat` before it is opened: only a regular file
    of at most ``limit`` bytes is read, so ``/dev/zero``, a FIFO or a socket is refused
    at once rather than read without end or waited on.

    Args:
        path: the file.
        limit: most bytes allowed.

    Returns:
        The text.

    Raises:
        InputError: missing, not a regular file, too large, unreadable or not UTF-8.
    """
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise InputError("no such file") from None
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}") from None
    _check_input(info, limit)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}") from None
    try:
        _check_input(os.fstat(fd), limit)  # the same file as the one checked
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, limit + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > limit:
        raise InputError(f"is larger than {limit:,} bytes; allowed up to {limit:,} bytes")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"not a UTF-8 text file ({exc.reason})") from None


def _check_input(info: os.stat_result, limit: int) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise InputError("is a directory, not a YAML file")
    if not stat.S_ISREG(info.st_mode):
        raise InputError("not a regular file (a device, FIFO or socket); allowed: a YAML file")
    if info.st_size > limit:
        raise InputError(f"is {info.st_size:,} bytes; allowed up to {limit:,} bytes")


def printable(text: str) -> str:
    """``text`` on one line: control characters (newlines included) as escapes."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """At most ``limit`` characters of ``text``, on one line, with "..." if cut."""
    text = printable(text)
    return text if len(text) <= limit else text[: limit - 3] + "..."
