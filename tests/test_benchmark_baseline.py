"""The benchmark compares like with like: its hand-written objects are exactly a default pair's.

`make bench` times `benchmarks/program` with `side=pair` against `side=hand`. These tests keep
that comparison honest without timing anything: the two sides must create identical objects.
"""

from __future__ import annotations

import dataclasses
from collections import Counter

import pytest

from benchmarks.run import check_same_objects, load_bench_project, run_side
from components.offline.engine import ProgramRun

PAIRS = 3


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
    drifted = ProgramRun(
        objects=tuple(changed if obj is statefulset else obj for obj in pair.objects),
        outputs=pair.outputs,
    )

    with pytest.raises(AssertionError, match=r"1 objects differ, e.g. \('kubernetes:apps/v1"):
        check_same_objects(drifted, pair, 1)
