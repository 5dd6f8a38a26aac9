"""The benchmark compares like with like: its hand-written objects are exactly a default pair's.

`make bench` times `benchmarks/program` with `side=pair` against `side=hand`. These tests keep
that comparison honest without timing anything: the two sides must create identical objects,
and the pair may add only its own registration and a bounded number of Outputs.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from typing import Any

import pytest
from pulumi.output import Output
from stateful_service_pair.testing import StrictMockMonitor

from benchmarks.run import check_same_objects, load_bench_project, run_side

PAIRS = 3
# A performance budget, not a behaviour: the Outputs a pair creates beyond the hand-written
# objects' (9 today, none of them for a name output nobody reads; 29 when each name output was
# an Output made at construction, 51 when each combined its own inputs, 77 with Output.all).
MAX_EXTRA_OUTPUTS_PER_PAIR = 12


def test_hand_written_objects_are_exactly_what_default_pairs_create() -> None:
    """Both sides create the same objects, with the same logical names, kinds and specs."""
    project = load_bench_project()
    hand = run_side(project, "hand", PAIRS)
    pair = run_side(project, "pair", PAIRS)

    check_same_objects(hand, pair, PAIRS)
    assert Counter(obj.kind for obj in pair.objects) == {
        "Service": 2 * PAIRS,
        "StatefulSet": PAIRS,
        "PodDisruptionBudget": PAIRS,
    }


def test_a_differing_spec_is_reported() -> None:
    """The check names the first object whose spec differs, so the baseline cannot drift."""
    project = load_bench_project()
    pair = run_side(project, "pair", 1)
    statefulset = next(obj for obj in pair.objects if obj.kind == "StatefulSet")
    changed = dataclasses.replace(
        statefulset, manifest={**statefulset.manifest, "spec": {"replicas": 2.0}}
    )
    drifted = dataclasses.replace(
        pair, objects=tuple(changed if obj is statefulset else obj for obj in pair.objects)
    )

    with pytest.raises(AssertionError, match=r"1 objects differ, e.g. \('kubernetes:apps/v1"):
        check_same_objects(drifted, pair, 1)


@dataclasses.dataclass
class Work:
    """What one run asked of the engine."""

    registrations: int = 0
    outputs: int = 0
    options: dict[tuple[str, str], tuple[object, ...]] = dataclasses.field(default_factory=dict)


def _record_work(monkeypatch: pytest.MonkeyPatch, side: str) -> Work:
    """Count registrations and Outputs of one run of `side` and note each object's options."""
    work = Work()
    register = StrictMockMonitor.RegisterResource
    track = Output._track

    def recording_register(self: StrictMockMonitor, request: Any) -> Any:
        work.registrations += 1
        if request.type.startswith("kubernetes:") and request.custom:
            work.options[(request.type, request.name)] = (
                list(request.ignoreChanges),
                request.protect,
                request.deleteBeforeReplace,
                list(request.replaceOnChanges),
            )
        return register(self, request)

    def counting_track(self: Output[Any]) -> None:
        work.outputs += 1
        track(self)

    with monkeypatch.context() as patch:
        patch.setattr(StrictMockMonitor, "RegisterResource", recording_register)
        patch.setattr(Output, "_track", counting_track)
        run_side(load_bench_project(), side, PAIRS)
    return work


def test_hand_written_objects_get_the_pairs_resource_options(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Same ignore_changes, protect and replacement options on every object, both sides."""
    hand = _record_work(monkeypatch, "hand")
    pair = _record_work(monkeypatch, "pair")

    assert len(pair.options) == 4 * PAIRS
    assert hand.options == pair.options
    assert pair.options[("kubernetes:apps/v1:StatefulSet", "p0-statefulset")][0] == [
        "spec.volumeClaimTemplates"
    ]


def test_a_pair_adds_only_its_registration_and_a_bounded_number_of_outputs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Per pair: one registration more than by hand (the component) and at most 12 Outputs."""
    hand = _record_work(monkeypatch, "hand")
    pair = _record_work(monkeypatch, "pair")

    assert pair.registrations - hand.registrations == PAIRS
    assert (pair.outputs - hand.outputs) / PAIRS <= MAX_EXTRA_OUTPUTS_PER_PAIR


def test_the_benchmark_stack_renders_as_the_cli_asks_for_it() -> None:
    """`make bench` runs `render --stack bench`, which refuses a stack without its file."""
    from stateful_service_pair.render._project import resolve_config

    from benchmarks.run import STACK

    config = resolve_config(load_bench_project(), STACK, ["side=pair", "pairs=1"], required=True)
    assert config.values["bench:pairs"] == "1"
