"""Write rendered manifests to a directory, one file per object.

Files from an earlier render (`*.yaml`, and `*.yaml.redacted` for manifests with redacted
values) are recognised by their header line and removed first, so an object the program no
longer creates does not linger for `kubectl apply -f DIR` to recreate, and a manifest that
holds a redaction now does not leave its applicable `.yaml` from before. Files without the
header (written by someone else) are left alone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from stateful_service_pair.render._errors import RenderError
from stateful_service_pair.render._manifests import (
    HEADER,
    REDACTED_SUFFIX,
    file_names,
    redacted_paths,
    to_yaml,
)

# What earlier renders wrote: plain manifests, and manifests with redacted values.
_RENDERED_PATTERNS = ("*.yaml", f"*.yaml{REDACTED_SUFFIX}")


def _written_by_render(path: Path) -> bool:
    try:
        with path.open(encoding="utf-8") as handle:
            return handle.readline().rstrip("\n") == HEADER
    except (OSError, UnicodeDecodeError):
        return False


def write_manifests(
    out_dir: Path,
    manifests: Sequence[Mapping[str, Any]],
    redacted: Sequence[Sequence[str]] | None = None,
) -> list[Path]:
    """Replace the previous render in `out_dir` with `manifests` (already in apply order).

    `redacted` is `redacted_paths` of each manifest, when the caller has them already;
    computed if None. Returns the written paths. Raises RenderError if the directory cannot
    be written.
    """
    if redacted is None:
        redacted = [redacted_paths(manifest) for manifest in manifests]
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for pattern in _RENDERED_PATTERNS:
            for stale in sorted(out_dir.glob(pattern)):
                if _written_by_render(stale):
                    stale.unlink()
        paths = []
        names = file_names(manifests, redacted)
        for name, manifest, redactions in zip(names, manifests, redacted, strict=True):
            path = out_dir / name
            path.write_text(to_yaml(manifest, redacted=redactions), encoding="utf-8")
            paths.append(path)
    except OSError as exc:
        raise RenderError(f"cannot write manifests to {out_dir}: {exc.strerror or exc}") from exc
    return paths
