"""What the offline engine changes in the SDK while a program runs, and that it is put back."""

from __future__ import annotations

from pathlib import Path

from pulumi.runtime import resource
from stateful_service_pair.render._engine import run_program
from stateful_service_pair.render._project import load_project, resolve_config

PROGRAM = """
import pulumi
from pulumi.runtime import resource

pulumi.export("stackFrames", len(resource._get_stack_trace().frames))
"""


def test_a_program_runs_without_per_resource_stack_traces_and_the_sdk_gets_its_own_back(
    tmp_path: Path,
) -> None:
    """Registrations carry an empty stack trace offline; afterwards the SDK's function is back."""
    original = resource._get_stack_trace
    (tmp_path / "Pulumi.yaml").write_text("name: frames\nruntime: python\n")
    (tmp_path / "__main__.py").write_text(PROGRAM)
    project = load_project(tmp_path)

    run = run_program(project, stack="dev", config=resolve_config(project, "dev", []))

    assert run.outputs["stackFrames"].value == 0
    assert resource._get_stack_trace is original
