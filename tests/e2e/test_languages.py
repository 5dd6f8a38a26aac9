"""The pair from another Pulumi language, through the plugin package, on the real engine.

A fresh Pulumi YAML program outside the repository runs the provider README's
`pulumi package add <checkout>/provider`, then `pulumi up`; the same pair written in
Python runs against the same cluster. What the API server stored for each (ignoring what
the server itself sets) and the stack outputs must be the same, and a preview after the
YAML `up` must show no changes.

TypeScript and Go are not covered: their language hosts (modules
``github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3`` and
``github.com/pulumi/pulumi/sdk/go/pulumi-language-go/v3``) are not served by the Go module
proxy this suite builds from; see tests/e2e/README.md.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest

from .cluster import ControlPlane
from .conftest import REPO
from .pulumi_cli import PulumiEnvironment

pytestmark = pytest.mark.e2e

NAME = "lang"
SELECTOR = f"stateful-service-pair/statefulset={NAME}"
OUTPUTS = (
    "podDnsNames",
    "headlessServiceDns",
    "clientServiceDns",
    "srvRecords",
    "namespace",
    "persistentVolumeClaims",
)

# `null` does not cross languages: the probe is switched off with `enabled: false`.
YAML_PROGRAM = textwrap.dedent(
    f"""\
    name: ssp-from-yaml
    runtime: yaml
    resources:
      {NAME}:
        type: stateful-service-pair:index:StatefulServicePair
        properties:
          image: redis:7.4.1-alpine
          ports:
            - name: redis
              port: 6379
          replicas: 2
          namespace: default
          livenessProbe:
            enabled: false
          env:
            GREETING: from-another-language
          storage:
            size: 1Gi
            mountPath: /data
    outputs:
    """
) + "".join(f"  {name}: ${{{NAME}.{name}}}\n" for name in OUTPUTS)

PYTHON_PROGRAM = textwrap.dedent(
    f"""\
    import pulumi
    from stateful_service_pair import StatefulServicePair

    pair = StatefulServicePair(
        "{NAME}",
        {{
            "image": "redis:7.4.1-alpine",
            "ports": [{{"name": "redis", "port": 6379}}],
            "replicas": 2,
            "namespace": "default",
            "liveness_probe": None,
            "env": {{"GREETING": "from-another-language"}},
            "storage": {{"size": "1Gi", "mount_path": "/data"}},
        }},
    )
    pulumi.export("podDnsNames", pair.pod_dns_names)
    pulumi.export("headlessServiceDns", pair.headless_service_dns)
    pulumi.export("clientServiceDns", pair.client_service_dns)
    pulumi.export("srvRecords", pair.srv_records)
    pulumi.export("namespace", pair.namespace)
    pulumi.export("persistentVolumeClaims", pair.persistent_volume_claims)
    """
)

# Set by the API server or the provider per object, not by the program.
SERVER_FIELDS = ("uid", "resourceVersion", "creationTimestamp", "generation", "managedFields")


def stored_objects(cluster: ControlPlane) -> dict[tuple[str, str], Any]:
    """The pair's StatefulSet and Services as stored, without what the server sets."""
    objects = {}
    for kind in ("statefulset", "service"):
        for name in (NAME, f"{NAME}-headless"):
            text = cluster.kubectl(
                "get", kind, name, "-n", "default", "--ignore-not-found", "-o", "json"
            )
            if not text.strip():
                continue
            obj = json.loads(text)
            obj.pop("status", None)
            for field in SERVER_FIELDS:
                obj["metadata"].pop(field, None)
            if kind == "service" and obj["spec"].get("clusterIP") != "None":
                obj["spec"].pop("clusterIP")
                obj["spec"].pop("clusterIPs")
            objects[(kind, name)] = obj
    return objects


def package_add_command(checkout: Path) -> list[str]:
    """The provider README's command for a local clone, pointed at our checkout."""
    for line in (REPO / "provider" / "README.md").read_text().splitlines():
        if line.startswith("pulumi package add ../"):
            words = line.split("#")[0].split()
            return [*words[1:3], words[3].replace("../<this-repo>", str(checkout))]
    raise AssertionError("provider/README.md lost its `pulumi package add ../…` line")


def test_yaml_program_creates_what_the_python_program_creates(
    checkout: Path,
    pulumi_env: PulumiEnvironment,
    cluster: ControlPlane,
    tmp_path: Path,
) -> None:
    provider = checkout / "provider"

    python_dir = tmp_path / "python"
    python_dir.mkdir()
    (python_dir / "__main__.py").write_text(PYTHON_PROGRAM)

    yaml_dir = tmp_path / "yaml"
    yaml_dir.mkdir()
    (yaml_dir / "Pulumi.yaml").write_text(YAML_PROGRAM)
    try:
        # `pulumi package add` makes provider/venv (the package and its pins): the Python
        # program runs in it too, so both sides run the same component code.
        pulumi_env.run(package_add_command(checkout), cwd=yaml_dir, timeout=900)
        packages = (yaml_dir / "Pulumi.yaml").read_text()
        assert "stateful-service-pair" in packages.split("packages:", 1)[1]

        (python_dir / "Pulumi.yaml").write_text(
            "name: ssp-from-python\n"
            f"runtime:\n  name: python\n  options:\n    virtualenv: {provider / 'venv'}\n"
        )
        pulumi_env.run(["stack", "init", "python"], cwd=python_dir)
        pulumi_env.run(["up", "--yes"], cwd=python_dir)
        from_python = stored_objects(cluster)
        python_outputs = json.loads(
            pulumi_env.run(["stack", "output", "--json"], cwd=python_dir).stdout
        )
        pulumi_env.run(["destroy", "--yes"], cwd=python_dir)

        pulumi_env.run(["stack", "init", "yaml"], cwd=yaml_dir)
        pulumi_env.run(["up", "--yes"], cwd=yaml_dir)
        from_yaml = stored_objects(cluster)
        yaml_outputs = json.loads(
            pulumi_env.run(["stack", "output", "--json"], cwd=yaml_dir).stdout
        )

        assert len(from_python) == 3
        assert from_yaml == from_python
        assert yaml_outputs == python_outputs
        assert python_outputs["podDnsNames"] == [
            f"{NAME}-{n}.{NAME}-headless.default.svc.cluster.local" for n in range(2)
        ]
        pulumi_env.run(["preview", "--expect-no-changes"], cwd=yaml_dir)
    finally:
        # Whichever stack is selected in each project (none yet is a harmless failure).
        for directory in (yaml_dir, python_dir):
            pulumi_env.run(["destroy", "--yes"], cwd=directory, check=False)
        cluster.kubectl("delete", "pvc", "-n", "default", "-l", SELECTOR, check=False)
