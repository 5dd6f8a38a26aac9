"""Every rendered manifest validates against the official Kubernetes schemas, strictly."""

from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
from stateful_service_pair.render import render

ROOT = Path(__file__).resolve().parent.parent
# The oldest version the component supports (spec.ordinals is GA there) and the
# newest one the installed kubernetes-validate ships.
VERSIONS = ("1.31.0", kubernetes_validate.latest_version())
PROGRAMS = {
    "root stack": ROOT,
    "every feature": ROOT / "tests" / "programs" / "full_pair",
}


def rendered(program: Path) -> list[dict[str, Any]]:
    return [dict(manifest) for manifest in render(program, out_dir=None).manifests]


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("program", sorted(PROGRAMS))
def test_manifests_validate_strictly(program: str, version: str) -> None:
    """No unknown field, wrong type or missing required field for this Kubernetes version."""
    manifests = rendered(PROGRAMS[program])
    assert len(manifests) >= 4
    problems = []
    for manifest in manifests:
        try:
            kubernetes_validate.validate(manifest, version, strict=True)
        except kubernetes_validate.ValidationError as error:
            label = f"{manifest['kind']} {manifest['metadata']['name']}"
            problems.append(f"{label}: {error.message.splitlines()[0]}")
    assert problems == []


def test_strict_validation_rejects_an_unknown_field() -> None:
    """The validator really is strict, so the test above can fail."""
    manifest = rendered(ROOT)[0]
    manifest["spec"]["clusterIp"] = "None"  # wrong case: not a Kubernetes field
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(manifest, VERSIONS[0], strict=True)
