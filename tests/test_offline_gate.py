"""Registrations run a few at a time offline, in order, and a gate never hangs a program."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any

import pytest
from stateful_service_pair.render import _engine, _gate
from stateful_service_pair.render._engine import ProgramRun, run_program
from stateful_service_pair.render._gate import RegistrationGate, gated_event_loop
from stateful_service_pair.render._project import load_project, resolve_config

# Each Service takes a name that only a ConfigMap created inside an `apply` resolves, and
# those ConfigMaps are declared (inside the applies) after every Service: with all slots
# taken by Services waiting for them, only the loop's idle signal lets the ConfigMaps start.
WAITS_FOR_LATER_RESOURCES = """
import pulumi
import pulumi_kubernetes as k8s

for index in range(int(pulumi.Config().require("count"))):
    later = pulumi.Output.from_input(index).apply(
        lambda i: k8s.core.v1.ConfigMap(f"made-in-apply-{i}").metadata.name
    )
    k8s.core.v1.Service(f"waits-{index}", metadata={"name": later.apply(lambda n: "s-" + n)})
"""

MANY = """
import pulumi
import pulumi_kubernetes as k8s

for index in range(int(pulumi.Config().require("count"))):
    k8s.core.v1.ConfigMap(f"cm-{index}", data={"index": str(index)})
"""


def _run(tmp_path: Path, program: str, count: int) -> ProgramRun:
    (tmp_path / "Pulumi.yaml").write_text("name: gated\nruntime: python\n")
    (tmp_path / "__main__.py").write_text(program)
    project = load_project(tmp_path)
    config = resolve_config(project, "dev", [f"count={count}"])
    return run_program(project, stack="dev", config=config)


@pytest.fixture
def gates(monkeypatch: pytest.MonkeyPatch) -> list[RegistrationGate]:
    """The gates the engine makes, with a limit of 4."""
    made: list[RegistrationGate] = []

    class Recorded(RegistrationGate):
        def __init__(self) -> None:
            super().__init__(limit=4)
            made.append(self)

    monkeypatch.setattr(_engine, "RegistrationGate", Recorded)
    return made


def test_a_render_runs_at_most_the_limit_of_registrations_at_once(
    tmp_path: Path, gates: list[RegistrationGate]
) -> None:
    """40 objects, 4 registrations at a time (and every one of them still created)."""
    run = _run(tmp_path, MANY, 40)

    assert len(run.objects) == 40
    assert [gate.most_running for gate in gates] == [4]


def test_registrations_waiting_for_resources_declared_later_do_not_hang(
    tmp_path: Path, gates: list[RegistrationGate]
) -> None:
    """Every slot held by a registration waiting for a later one: the idle loop starts more."""
    runs: list[ProgramRun] = []
    thread = threading.Thread(
        target=lambda: runs.append(_run(tmp_path, WAITS_FOR_LATER_RESOURCES, 10)), daemon=True
    )
    thread.start()
    thread.join(timeout=30)

    assert runs, "the program hung"
    services = [o.name for o in runs[0].objects if o.kind == "Service"]
    assert len(services) == 10
    assert all(name.startswith("s-made-in-apply-") for name in services)
    assert gates[0].limit > 4  # it had to start more than 4


def _gated(gate: RegistrationGate, log: list[str], name: str, fail: bool = False) -> Any:
    async def register() -> str:
        log.append(f"start {name}")
        await asyncio.sleep(0)
        if fail:
            raise ValueError(name)
        log.append(f"end {name}")
        return name

    return gate.wrap(register)()


def test_the_gate_keeps_declaration_order_results_and_exceptions() -> None:
    """First declared first started; each caller gets its own registration's result or error."""
    gate = RegistrationGate(limit=2)
    log: list[str] = []
    loop = gated_event_loop(gate)

    async def main() -> list[Any]:
        futures = [_gated(gate, log, name, fail=name == "c") for name in "abcde"]
        return await asyncio.gather(*futures, return_exceptions=True)

    try:
        results = loop.run_until_complete(main())
    finally:
        loop.close()

    assert [r if isinstance(r, str) else repr(r) for r in results] == [
        "a",
        "b",
        "ValueError('c')",
        "d",
        "e",
    ]
    assert [entry for entry in log if entry.startswith("start")] == [
        f"start {name}" for name in "abcde"
    ]
    assert gate.most_running == 2


def test_the_sdks_rpc_manager_is_gated_only_meanwhile() -> None:
    """`installed` wraps the SDK's registrations and puts RPCManager.do_rpc back."""
    from pulumi.runtime.rpc_manager import RPCManager

    original = RPCManager.do_rpc
    with RegistrationGate().installed():
        assert RPCManager.do_rpc is not original
    assert RPCManager.do_rpc is original
    assert _gate.REGISTER_RPC == "register resource"
