"""Our emulation held against the real thing, on the same program and config.

`make render` (the SDK's mocks plus our offline engine) must write the manifests the
real provider renders (its ``renderYamlToDirectory`` option) and that the API server
stores (every field we render kept as rendered), and print the stack outputs that the
real `pulumi up` exports.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from stateful_service_pair.testing._kube_api import pod_template_problems

from .cluster import ClusterError, ControlPlane
from .conftest import REPO
from .pulumi_cli import PulumiProject

pytestmark = pytest.mark.e2e

# The same non-default config on both sides; `name` keeps it apart from other scenarios.
CONFIG = {"name": "kv", "replicas": 2, "image": "redis:7.4.1-alpine"}


def offline_render(
    out: Path, config: dict[str, Any]
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Runs `make render` for the root stack; returns its manifests and its stack outputs."""
    overrides = " ".join(f"--config {key}={value}" for key, value in config.items())
    result = subprocess.run(
        ["make", "-s", "render", f"OUT={out}", f"CONFIG={overrides}"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "MAKEFLAGS": ""},
    )
    manifests = [yaml.safe_load(path.read_text()) for path in sorted(out.glob("*.yaml"))]
    outputs: dict[str, Any] = {}
    lines = result.stdout.splitlines()
    start = lines.index("Stack outputs:")
    for line in lines[start + 1 :]:
        if not line.startswith("  "):
            break
        key, _, value = line.strip().partition(": ")
        try:
            outputs[key] = json.loads(value)
        except json.JSONDecodeError:
            outputs[key] = value
    return manifests, outputs


def by_identity(objects: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(obj["kind"], obj["metadata"]["name"]): obj for obj in objects}


def missing_or_different(rendered: Any, stored: Any, path: str = "") -> list[str]:
    """Paths where ``stored`` lacks or changes a value of ``rendered``."""
    if isinstance(rendered, dict):
        if not isinstance(stored, dict):
            return [f"{path}: {stored!r} is not an object"]
        problems = []
        for key, value in rendered.items():
            if key not in stored:
                problems.append(f"{path}.{key}: missing")
            else:
                problems += missing_or_different(value, stored[key], f"{path}.{key}")
        return problems
    if isinstance(rendered, list):
        if not isinstance(stored, list) or len(stored) != len(rendered):
            return [f"{path}: {stored!r} != {rendered!r}"]
        problems = []
        for index, (left, right) in enumerate(zip(rendered, stored, strict=True)):
            problems += missing_or_different(left, right, f"{path}[{index}]")
        return problems
    return [] if rendered == stored else [f"{path}: stored {stored!r}, rendered {rendered!r}"]


@pytest.fixture(scope="module")
def offline(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    return offline_render(tmp_path_factory.mktemp("offline"), CONFIG)


def test_render_equals_what_the_real_provider_renders(
    new_root_project: Callable[..., PulumiProject],
    tmp_path: Path,
    offline: tuple[list[dict[str, Any]], dict[str, Any]],
) -> None:
    """The provider's renderYamlToDirectory writes exactly the objects `make render` writes."""
    rendered_dir = tmp_path / "provider-render"
    stack = new_root_project(
        "render",
        {**CONFIG, "kubernetes:renderYamlToDirectory": str(rendered_dir)},
    )
    stack.up()
    provider_objects = [
        document
        for path in sorted(rendered_dir.rglob("*.yaml"))
        for document in yaml.safe_load_all(path.read_text())
        if document
    ]
    provider, ours = by_identity(provider_objects), by_identity(offline[0])
    assert sorted(provider) == sorted(ours)
    differences = []
    for identity, obj in ours.items():
        # Both ways: nothing missing or changed, nothing extra.
        differences += [f"{identity}: {p}" for p in missing_or_different(obj, provider[identity])]
        differences += [
            f"{identity}: extra in the provider's: {path}"
            for path in missing_or_different(provider[identity], obj)
            if path.endswith(": missing")
        ]
    assert differences == []


def test_render_equals_what_the_api_server_stores_and_outputs_match(
    new_root_project: Callable[..., PulumiProject],
    cluster: ControlPlane,
    offline: tuple[list[dict[str, Any]], dict[str, Any]],
) -> None:
    """Every rendered field is stored as rendered, and the real outputs equal the offline ones."""
    stack = new_root_project("stored", CONFIG)
    try:
        stack.up()
        for obj in offline[0]:
            # No namespace in the manifest means the provider's, here "default".
            namespace = obj["metadata"].get("namespace", "default")
            stored = cluster.get_json(obj["kind"].lower(), obj["metadata"]["name"], "-n", namespace)
            differences = missing_or_different(obj, stored)
            assert differences == [], f"{obj['kind']} {obj['metadata']['name']}"
        assert stack.outputs() == offline[1]
    finally:
        stack.destroy()
        # Claims outlive the stack by design; these would confuse later scenarios.
        cluster.kubectl(
            "delete",
            "pvc",
            "-n",
            "default",
            "-l",
            f"stateful-service-pair/statefulset={CONFIG['name']}",
        )


def test_the_api_server_refuses_a_broken_pod_template_as_the_mocks_do(
    cluster: ControlPlane,
) -> None:
    """Two containers of one name, two ports of one name and a mount of a missing volume in a
    StatefulSet's Pod template: the API server refuses it (server-side dry run), naming the
    same fields the mocks name (testing._kube_api.pod_template_problems)."""
    container = {
        "name": "db",
        "image": "db:1",
        "ports": [{"name": "db", "containerPort": 1}, {"name": "db", "containerPort": 2}],
        "volumeMounts": [{"name": "missing", "mountPath": "/data"}],
    }
    labels = {"app": "broken-template"}
    stateful_set = {
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": {"name": "broken-template", "namespace": "default"},
        "spec": {
            "serviceName": "broken-template",
            "selector": {"matchLabels": labels},
            "template": {
                "metadata": {"labels": labels},
                "spec": {"containers": [container, {**container, "ports": []}]},
            },
        },
    }
    with pytest.raises(ClusterError) as refused:
        cluster.kubectl(
            "create", "--dry-run=server", "-f", "-", input_text=json.dumps(stateful_set)
        )
    problems = pod_template_problems("StatefulSet", stateful_set)
    assert len(problems) == 4
    for problem in problems:
        assert problem in str(refused.value), problem
