"""A checkout of the files the examples and the plugin need, kept in the e2e cache.

`pip install -e ../..` (the examples) and `pulumi package add …/provider` (the plugin)
install this package from the checkout they run in and make virtualenvs there. Kept
under the cache and refreshed from the repository on every run, those virtualenvs
survive between runs, so a cached `make e2e` does not reinstall the SDKs.
"""

from __future__ import annotations

import shutil
from pathlib import Path

CHECKOUT_FILES = (
    "pyproject.toml",
    "README.md",
    "LICENSE",
    "requirements.txt",
    "components",
    "examples",
    "provider",
)
# Kept across runs: the virtualenvs `pulumi install` and `pulumi package add` made.
KEPT = ("venv",)


def refresh_checkout(repo: Path, root: Path) -> Path:
    """Makes ``root`` hold exactly ``repo``'s CHECKOUT_FILES, plus the kept virtualenvs."""
    root.mkdir(parents=True, exist_ok=True)
    for entry in root.iterdir():
        if entry.name not in CHECKOUT_FILES:
            _remove(entry)
    for name in CHECKOUT_FILES:
        source, target = repo / name, root / name
        if source.is_dir():
            _remove_all_but_kept(target)
            shutil.copytree(
                source,
                target,
                dirs_exist_ok=True,
                ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", "venv", "build"),
            )
        else:
            shutil.copy(source, target)
    return root


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()


def _remove_all_but_kept(directory: Path) -> None:
    """Empties ``directory`` except the KEPT folders (at any depth)."""
    if not directory.is_dir():
        return
    for entry in directory.iterdir():
        if entry.name in KEPT and entry.is_dir() and not entry.is_symlink():
            continue
        if entry.is_dir() and not entry.is_symlink():
            _remove_all_but_kept(entry)
            if not any(entry.iterdir()):
                entry.rmdir()
        else:
            entry.unlink()
