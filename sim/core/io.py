"""Atomic file output: a reader sees the old file or the new one, never half of one.

Each helper writes to a temporary file in the target's directory, flushes and fsyncs
it, then moves it over the target with :func:`os.replace` (atomic on POSIX and
Windows when both are on the same file system). If anything fails, including a
``KeyboardInterrupt``, the temporary file is removed and the old target is untouched.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["atomic_write_bytes", "atomic_write_csv", "atomic_write_json", "atomic_write_text"]

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


def provenance() -> dict[str, Any]:
    """Package version and, where available, the git commit of the code that ran."""
    import importlib.metadata
    import subprocess

    try:
        version = importlib.metadata.version("cocreate")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - run from a checkout
        version = "unknown"
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=Path(__file__).resolve().parent,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = ""
    return {"package_version": version, "git_commit": commit or None}


def atomic_write_json(path: str | os.PathLike[str], obj: Any) -> None:
    """Write ``obj`` as indented JSON atomically, with a trailing newline.

    Args:
        path: the target file.
        obj: JSON-serialisable data.
    """
    atomic_write_text(path, json.dumps(obj, indent=2, ensure_ascii=False) + "\n")
