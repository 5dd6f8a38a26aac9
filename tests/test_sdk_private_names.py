"""The private Pulumi SDK names the package relies on, named once, so an upgrade fails here.

Everything else goes through public API (``pulumi.runtime.rpc``'s secret helpers, the
analyzer, ``pulumi.runtime.Mocks``/``MockMonitor``). These have no public equivalent:

- ``pulumi.runtime.mocks._resolve_callbacks``: the mock monitor's RegisterResource (ours is a
  copy of 3.272's with secrets kept in place) must resolve transforms as the stock one does.
  It first exists in pulumi 3.260.0, which is why that is the declared floor.
- ``pulumi.runtime.sync_await._sync_await``: a mock monitor answers synchronously but
  serializing properties is a coroutine.
- ``pulumi.runtime.rpc._special_sig_key``: tells a special object (secret, asset, resource
  reference) from a map while reading a gRPC Struct.
- ``pulumi.runtime.resource._get_stack_trace``: the offline render replaces it while a program
  runs, because the stack trace it takes for every resource is only for the engine's
  diagnostics, which the mocks discard, and cost a tenth of the run.
- ``pulumi._types`` (``unwrap_type``, ``unwrap_optional_type``, ``resource_types``): the
  offline render remembers their answers per type while a program runs (render/_type_lookups.py).
"""

import importlib
import re
from pathlib import Path

import pytest

PRIVATE_NAMES = [
    ("pulumi.runtime.mocks", "_resolve_callbacks"),
    ("pulumi.runtime.sync_await", "_sync_await"),
    ("pulumi.runtime.rpc", "_special_sig_key"),
    ("pulumi.runtime.resource", "_get_stack_trace"),
    ("pulumi", "_types"),
]
PACKAGE = Path(__file__).resolve().parent.parent / "components" / "stateful_service_pair"


@pytest.mark.parametrize(("module", "name"), PRIVATE_NAMES)
def test_private_sdk_name_still_exists(module: str, name: str) -> None:
    """The installed SDK still has it (a rename in an upgrade fails here, not in a user's test)."""
    assert hasattr(importlib.import_module(module), name)


def test_no_other_private_sdk_name_is_used() -> None:
    """The package's source uses exactly the private SDK names listed above."""
    used: set[tuple[str, str]] = set()
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text()
        for module, names in re.findall(r"from (pulumi[\w.]*) import ([^\n(]+)", text):
            used.update((module, n.strip()) for n in names.split(",") if n.strip().startswith("_"))
        for alias, name in re.findall(r"\b(rpc|settings|mocks|sync_await|resource)\.(_\w+)", text):
            used.add((f"pulumi.runtime.{alias}", name))
    assert used == set(PRIVATE_NAMES)
