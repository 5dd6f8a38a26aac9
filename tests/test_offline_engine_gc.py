"""The offline render runs with a larger GC young generation and gives it back."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from stateful_service_pair.render import RenderError
from stateful_service_pair.render._engine import YOUNG_GENERATION_THRESHOLD, run_program
from stateful_service_pair.render._project import load_project, resolve_config

PROGRAM = """
import gc
import pulumi

pulumi.export("youngThreshold", gc.get_threshold()[0])
pulumi.export("collecting", gc.isenabled())
if pulumi.Config().get_bool("fail"):
    raise RuntimeError("program failed")
"""


@pytest.fixture
def thresholds() -> Iterator[tuple[int, int, int]]:
    """CPython's default thresholds for the test, whatever the process had before."""
    saved = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield gc.get_threshold()
    gc.set_threshold(*saved)


def _project(directory: Path) -> Path:
    directory.mkdir(exist_ok=True)
    (directory / "Pulumi.yaml").write_text("name: gc\nruntime: python\n")
    (directory / "__main__.py").write_text(PROGRAM)
    return directory


def test_program_runs_with_the_larger_young_generation_and_the_caller_keeps_its_own(
    tmp_path: Path, thresholds: tuple[int, int, int]
) -> None:
    """The program sees YOUNG_GENERATION_THRESHOLD; afterwards the thresholds are as before."""
    project = load_project(_project(tmp_path))

    run = run_program(project, stack="dev", config=resolve_config(project, "dev", []))

    assert run.outputs["youngThreshold"].value == YOUNG_GENERATION_THRESHOLD
    assert gc.get_threshold() == thresholds


def test_the_collector_does_not_run_automatically_during_the_program_and_runs_after(
    tmp_path: Path, thresholds: tuple[int, int, int]
) -> None:
    """The program runs with automatic collection off; the caller's enabled collector is back."""
    project = load_project(_project(tmp_path))

    run = run_program(project, stack="dev", config=resolve_config(project, "dev", []))

    assert run.outputs["collecting"].value is False
    assert (gc.isenabled(), gc.get_freeze_count()) == (True, 0)
    with pytest.raises(RenderError, match="program failed"):
        run_program(project, stack="dev", config=resolve_config(project, "dev", ["fail=true"]))
    assert gc.isenabled()


def test_a_failing_program_also_gives_the_thresholds_back(
    tmp_path: Path, thresholds: tuple[int, int, int]
) -> None:
    """A program that raises leaves the caller's GC thresholds as they were."""
    project = load_project(_project(tmp_path))

    with pytest.raises(RenderError, match="program failed"):
        run_program(project, stack="dev", config=resolve_config(project, "dev", ["fail=true"]))

    assert gc.get_threshold() == thresholds


def test_a_higher_threshold_of_the_caller_is_kept(tmp_path: Path) -> None:
    """A caller that already collects less often is not made to collect more often."""
    project = load_project(_project(tmp_path))
    saved = gc.get_threshold()
    gc.set_threshold(YOUNG_GENERATION_THRESHOLD * 2, 10, 10)
    try:
        run = run_program(project, stack="dev", config=resolve_config(project, "dev", []))
    finally:
        gc.set_threshold(*saved)

    assert run.outputs["youngThreshold"].value == YOUNG_GENERATION_THRESHOLD * 2


def test_the_manifest_steps_run_with_the_larger_young_generation_too(
    tmp_path: Path, thresholds: tuple[int, int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Writing the files sees YOUNG_GENERATION_THRESHOLD and frozen objects; both end with it."""
    from stateful_service_pair.render import _render

    seen: list[tuple[int, int]] = []
    write_manifests = _render.write_manifests

    def recording_write(out_dir: Path, manifests: Any, *args: Any) -> Any:
        seen.append((gc.get_threshold()[0], gc.get_freeze_count()))
        return write_manifests(out_dir, manifests, *args)

    monkeypatch.setattr(_render, "write_manifests", recording_write)
    _render.render(_project(tmp_path / "program"), out_dir=tmp_path / "out")

    assert len(seen) == 1
    assert seen[0][0] == YOUNG_GENERATION_THRESHOLD
    assert seen[0][1] > 0
    assert (gc.get_threshold(), gc.get_freeze_count()) == (thresholds, 0)


def test_a_caller_that_froze_objects_itself_keeps_collecting(tmp_path: Path) -> None:
    """Within a caller's own gc.freeze(), which nothing here undoes, the collector keeps running."""
    project = load_project(_project(tmp_path))
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        run = run_program(project, stack="dev", config=resolve_config(project, "dev", []))
        assert gc.get_freeze_count() <= frozen  # nothing more frozen (some freed)
    finally:
        gc.unfreeze()

    assert run.outputs["collecting"].value is True


CYCLE_PROGRAM = """
import weakref

import cycle_probe


class Node:
    pass


node = Node()
node.self = node  # freed only by the cyclic collector
cycle_probe.refs.append(weakref.ref(node))
del node
"""


def test_the_garbage_the_program_left_is_not_kept_frozen_after_the_run(tmp_path: Path) -> None:
    """Cyclic garbage from the run is frozen only while the run's context lasts: afterwards
    the collector's next full pass frees it."""
    import sys
    import types

    probe = types.ModuleType("cycle_probe")
    probe.refs = []  # type: ignore[attr-defined]
    sys.modules["cycle_probe"] = probe
    (tmp_path / "Pulumi.yaml").write_text("name: cycle\nruntime: python\n")
    (tmp_path / "__main__.py").write_text(CYCLE_PROGRAM)
    project = load_project(tmp_path)
    try:
        run_program(project, stack="dev", config=resolve_config(project, "dev", []))
        [ref] = probe.refs  # type: ignore[attr-defined]
        gc.collect()
        assert ref() is None
    finally:
        del sys.modules["cycle_probe"]
