"""Values that must be unknown at a preview: the one place the pair makes an unknown itself.

See :mod:`._expansion` for why the claim-size annotation of an expand-mode StatefulSet is
unknown while its claim size record is being created or replaced.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pulumi

__all__ = ["recorded_size", "unknown"]


def recorded_size(record_metadata: Any, size: str) -> pulumi.Input[str]:
    """``size``, or an unknown value at a preview where the claim size record is being created.

    ``record_metadata`` is the record's ``metadata`` output: at a preview, a created (or
    replaced) record comes back without a ``uid`` (the provider hands back a Patch resource's
    inputs), and with the size unchanged its state carries one.
    """
    if getattr(record_metadata, "uid", None) or not pulumi.runtime.is_dry_run():
        return size
    return unknown()


def unknown() -> pulumi.Output[str]:
    """An Output whose value is unknown, as another resource's output is at a preview."""
    loop = asyncio.get_event_loop()
    value: asyncio.Future[str] = loop.create_future()
    value.set_result("")
    known: asyncio.Future[bool] = loop.create_future()
    known.set_result(False)
    return pulumi.Output(set(), value, known)
