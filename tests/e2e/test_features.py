"""Features whose promises only a real cluster can check: exposure, service accounts, and
growing storage in one `pulumi up`.

Each scenario deploys tests/e2e/programs/pair, a program whose pair takes every argument
from the `pair` config object, in its own stack, and destroys it at the end.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from .cluster import STORAGE_CLASS, ControlPlane
from .polling import wait_until
from .pulumi_cli import PulumiProject
from .test_root_stack import is_ready, pods

pytestmark = pytest.mark.e2e

REDIS = {"image": "redis:7.4.1-alpine", "ports": [{"name": "redis", "port": 6379}]}


def selector(pair: str) -> str:
    return f"stateful-service-pair/statefulset={pair}"


def uids(cluster: ControlPlane, pair: str) -> dict[str, str]:
    return {p["metadata"]["name"]: p["metadata"]["uid"] for p in pods(cluster, selector(pair))}


def claim_requests(cluster: ControlPlane, pair: str) -> dict[str, str]:
    items = cluster.get_json("pvc", "-n", "default", "-l", selector(pair))["items"]
    return {
        item["metadata"]["name"]: item["spec"]["resources"]["requests"]["storage"] for item in items
    }


def test_node_port_service_account_and_per_pod_services(
    new_pair_project: Callable[..., PulumiProject], cluster: ControlPlane
) -> None:
    """The client Service gets the asked NodePort, the Pods run as the created account, and
    each per-Pod Service's endpoints are exactly its Pod."""
    stack = new_pair_project(
        "exposed",
        "edge",
        {
            **REDIS,
            "replicas": 2,
            "storage": None,
            "client_service": {"type": "NodePort", "node_ports": {"redis": 30679}},
            "service_account": {
                "create": True,
                "annotations": {"iam.example.com/role": "edge-reader"},
            },
            "per_pod_services": {"type": "ClusterIP"},
        },
    )
    try:
        stack.up()
        client = cluster.get_json("svc", "edge", "-n", "default")
        assert client["spec"]["type"] == "NodePort"
        assert [p["nodePort"] for p in client["spec"]["ports"]] == [30679]

        outputs = stack.outputs()
        account = cluster.get_json("serviceaccount", outputs["serviceAccountName"], "-n", "default")
        assert account["metadata"]["annotations"]["iam.example.com/role"] == "edge-reader"
        assert account["automountServiceAccountToken"] is False
        running = pods(cluster, selector("edge"))
        assert [p["spec"]["serviceAccountName"] for p in running] == ["edge", "edge"]
        assert outputs["serviceAccountName"] == "edge"

        assert outputs["perPodServiceDns"] == [
            f"edge-{n}.default.svc.cluster.local" for n in range(2)
        ]
        for pod in running:
            name = pod["metadata"]["name"]

            def addresses(name: str = name) -> list[str]:
                slices = cluster.get_json(
                    "endpointslices", "-n", "default", "-l", f"kubernetes.io/service-name={name}"
                )["items"]
                return [a for s in slices for e in s.get("endpoints") or [] for a in e["addresses"]]

            ip = pod["status"]["podIP"]
            wait_until(f"{name}'s Service to select only it", lambda ip=ip: addresses() == [ip])
        stack.preview("--expect-no-changes")
    finally:
        stack.destroy()


def test_with_the_image_unknown_at_the_preview_a_storage_change_is_refused_during_up(
    new_pair_project: Callable[..., PulumiProject], cluster: ControlPlane
) -> None:
    """What the README says about issue #10's preview limit, as Pulumi and the provider do it:
    with a new image unknown at the preview (as one built in the same stack is), the preview
    hands the StatefulSet back with the claim templates the program asks for, not the deployed
    ones, so the size change passes the preview; `up` updates the StatefulSet (the new image)
    and then refuses, the claims and their template untouched."""
    args: dict[str, Any] = {
        **REDIS,
        "replicas": 1,
        "storage": {"size": "1Gi", "storage_class_name": STORAGE_CLASS},
    }
    stack = new_pair_project("held", "held", args)
    try:
        stack.up()
        generation = cluster.get_json("sts", "held", "-n", "default")["metadata"]["generation"]

        stack.config_set("unknownAtPreview", ["image"])
        grown = {**args["storage"], "size": "2Gi"}
        stack.config_set("pair", {**args, "image": "redis:7.4.2-alpine", "storage": grown})
        refused = stack.up(check=False)
        assert refused.returncode != 0
        assert "storage.size='2Gi'" in refused.output, refused.output
        assert "--cascade=orphan" in refused.output
        after = cluster.get_json("sts", "held", "-n", "default")
        assert after["metadata"]["generation"] == generation + 1
        assert after["spec"]["template"]["spec"]["containers"][0]["image"] == "redis:7.4.2-alpine"
        templates = after["spec"]["volumeClaimTemplates"]
        assert [t["spec"]["resources"]["requests"]["storage"] for t in templates] == ["1Gi"]
        assert claim_requests(cluster, "held") == {"data-held-0": "1Gi"}
        stack.config_set("pair", args)
    finally:
        stack.destroy()
    cluster.kubectl("delete", "pvc", "-n", "default", "-l", selector("held"))


def test_expand_grows_every_claim_in_one_up_and_keeps_the_pods(
    new_pair_project: Callable[..., PulumiProject], cluster: ControlPlane
) -> None:
    """storage.on_change='expand': the preview shows the plan, the up keeps every Pod, each
    claim asks for the new size, the new StatefulSet carries it; a shrink is refused with
    nothing changed; destroy still removes the Pods and keeps the claims."""
    storage = {"size": "1Gi", "storage_class_name": STORAGE_CLASS, "on_change": "expand"}
    args: dict[str, Any] = {**REDIS, "replicas": 2, "storage": storage}
    stack = new_pair_project("grow", "grow", args)
    try:
        stack.up()
        stack.preview("--expect-no-changes")
        before_outputs = stack.outputs()
        before_pods = uids(cluster, "grow")
        before_sts = cluster.get_json("sts", "grow", "-n", "default")["metadata"]["uid"]
        assert claim_requests(cluster, "grow") == {"data-grow-0": "1Gi", "data-grow-1": "1Gi"}

        stack.config_set("pair", {**args, "storage": {**storage, "size": "2Gi"}})
        # The plan: the claim size record replaced, then the StatefulSet (its claim-size
        # annotation unknown, so the provider does not dry-run it against the old one,
        # pulumi-kubernetes#3984), then each claim's patch.
        plan = stack.preview().output
        steps = re.findall(r"^ *((?:\+-|~ )kubernetes:\S+ \(\w+\))", plan, re.MULTILINE)
        assert steps == [
            "+-kubernetes:core/v1:ConfigMapPatch: (replace)",
            "+-kubernetes:apps/v1:StatefulSet: (replace)",
            "~ kubernetes:core/v1:PersistentVolumeClaimPatch: (update)",
            "~ kubernetes:core/v1:PersistentVolumeClaimPatch: (update)",
        ], plan
        assert 'stateful-service-pair/claim-size    : "1Gi" => [unknown]' in plan
        assert uids(cluster, "grow") == before_pods

        stack.up()
        assert uids(cluster, "grow") == before_pods
        after = cluster.get_json("sts", "grow", "-n", "default")
        assert after["metadata"]["uid"] != before_sts
        templates = after["spec"]["volumeClaimTemplates"]
        assert [t["spec"]["resources"]["requests"]["storage"] for t in templates] == ["2Gi"]
        # kwok has no volumes to grow: the claims ask for the new size (what the resize
        # controller acts on); their status.capacity stays what the host-path PV has.
        assert claim_requests(cluster, "grow") == {"data-grow-0": "2Gi", "data-grow-1": "2Gi"}
        assert stack.outputs() == before_outputs
        stack.preview("--expect-no-changes")
        wait_until(
            "the adopted Pods to be Ready",
            lambda: all(is_ready(p) for p in pods(cluster, selector("grow"))),
        )

        stack.config_set("pair", {**args, "storage": {**storage, "size": "512Mi"}})
        refused = stack.preview(check=False)
        assert refused.returncode != 0
        assert "storage.size" in refused.output, refused.output
        assert uids(cluster, "grow") == before_pods
        assert claim_requests(cluster, "grow") == {"data-grow-0": "2Gi", "data-grow-1": "2Gi"}

        # Above the first size, below the current request: the anchor's record cannot tell,
        # and the API server judges each claim. kwok's volumes never grow (status.capacity
        # stays 1Gi), and Kubernetes 1.35 lets a request come down to what the volume has
        # (recovering from an expansion that did not happen): the claims take 1536Mi.
        stack.config_set("pair", {**args, "storage": {**storage, "size": "1536Mi"}})
        stack.up()
        assert uids(cluster, "grow") == before_pods
        assert claim_requests(cluster, "grow") == {
            "data-grow-0": "1536Mi",
            "data-grow-1": "1536Mi",
        }
        claims = cluster.get_json("pvc", "-n", "default", "-l", selector("grow"))["items"]
        assert {c["status"]["capacity"]["storage"] for c in claims} == {"1Gi"}
        stack.preview("--expect-no-changes")

        # Once a volume has grown (here the resizer's status update, by hand), a request
        # below its capacity is refused by the API server at the claim patch's dry run: the
        # preview fails and nothing changes.
        for claim in ("data-grow-0", "data-grow-1"):
            cluster.kubectl(
                "patch",
                "pvc",
                claim,
                "-n",
                "default",
                "--subresource=status",
                "--type=merge",
                "-p",
                '{"status":{"capacity":{"storage":"2Gi"}}}',
            )
        stack.config_set("pair", {**args, "storage": {**storage, "size": "1280Mi"}})
        below = stack.preview(check=False)
        assert below.returncode != 0
        assert "field can not be less than status.capacity" in below.output, below.output
        assert uids(cluster, "grow") == before_pods
        assert claim_requests(cluster, "grow") == {
            "data-grow-0": "1536Mi",
            "data-grow-1": "1536Mi",
        }

        # With a new image unknown at the preview (built in the same stack), the whole gate
        # is unknown there; the Patch resources' names must not be (the provider refuses a
        # Patch without a name), and the expansion previews and runs as before.
        stack.config_set("unknownAtPreview", ["image"])
        newer = {**args, "image": "redis:7.4.2-alpine", "storage": {**storage, "size": "3Gi"}}
        stack.config_set("pair", newer)
        stack.up()  # the new image then rolls the Pods, as any image change does
        assert claim_requests(cluster, "grow") == {"data-grow-0": "3Gi", "data-grow-1": "3Gi"}
    finally:
        stack.destroy()
    wait_until("the Pods to go with the StatefulSet", lambda: pods(cluster, selector("grow")) == [])
    assert cluster.kubectl("get", "sts", "grow", "-n", "default", "--ignore-not-found") == ""
    assert sorted(claim_requests(cluster, "grow")) == ["data-grow-0", "data-grow-1"]
    cluster.kubectl("delete", "pvc", "-n", "default", "-l", selector("grow"))


def test_expand_refuses_a_storage_class_that_cannot_expand_at_the_preview(
    new_pair_project: Callable[..., PulumiProject], cluster: ControlPlane
) -> None:
    """The pair reads the named StorageClass at the preview: one without allowVolumeExpansion
    is refused there, naming the argument, and `up` creates nothing. A class that does not
    exist fails the read."""
    fixed = {
        "apiVersion": "storage.k8s.io/v1",
        "kind": "StorageClass",
        "metadata": {"name": "e2e-fixed-size"},
        "provisioner": "kubernetes.io/host-path",
        "volumeBindingMode": "Immediate",
    }
    cluster.apply([fixed])
    storage = {"size": "1Gi", "storage_class_name": "e2e-fixed-size", "on_change": "expand"}
    stack = new_pair_project("fixed", "fixed", {**REDIS, "replicas": 1, "storage": storage})
    try:
        refused = stack.up(check=False)
        assert refused.returncode != 0
        assert "storage.storage_class_name='e2e-fixed-size'" in refused.output, refused.output
        assert "allowVolumeExpansion is not set" in refused.output
        assert "Previewing update" in refused.output and "Updating (" not in refused.output
        for kind in ("svc", "sts", "configmap"):
            listed = cluster.kubectl(
                "get", kind, "-n", "default", "-l", selector("fixed"), "-o", "name"
            )
            assert listed == "", (kind, listed)

        missing = {**storage, "storage_class_name": "e2e-no-such-class"}
        stack.config_set("pair", {**REDIS, "replicas": 1, "storage": missing})
        not_found = stack.preview(check=False)
        assert not_found.returncode != 0
        assert "resource 'e2e-no-such-class' does not exist" in not_found.output
    finally:
        stack.destroy()
        cluster.kubectl("delete", "storageclass", "e2e-fixed-size")


# The fields of Prometheus Operator's ServiceMonitor that the pair writes, with the same
# group, version, kind and `interval` pattern; anything else would be pruned on storing.
SERVICE_MONITOR_CRD = {
    "apiVersion": "apiextensions.k8s.io/v1",
    "kind": "CustomResourceDefinition",
    "metadata": {"name": "servicemonitors.monitoring.coreos.com"},
    "spec": {
        "group": "monitoring.coreos.com",
        "names": {
            "kind": "ServiceMonitor",
            "listKind": "ServiceMonitorList",
            "plural": "servicemonitors",
            "singular": "servicemonitor",
        },
        "scope": "Namespaced",
        "versions": [
            {
                "name": "v1",
                "served": True,
                "storage": True,
                "schema": {
                    "openAPIV3Schema": {
                        "type": "object",
                        "properties": {
                            "spec": {
                                "type": "object",
                                "required": ["selector"],
                                "properties": {
                                    "selector": {
                                        "type": "object",
                                        "properties": {
                                            "matchLabels": {
                                                "type": "object",
                                                "additionalProperties": {"type": "string"},
                                            }
                                        },
                                    },
                                    "namespaceSelector": {
                                        "type": "object",
                                        "properties": {
                                            "matchNames": {
                                                "type": "array",
                                                "items": {"type": "string"},
                                            }
                                        },
                                    },
                                    "endpoints": {
                                        "type": "array",
                                        "items": {
                                            "type": "object",
                                            "properties": {
                                                "port": {"type": "string"},
                                                "path": {"type": "string"},
                                                "interval": {
                                                    "type": "string",
                                                    "pattern": "^(0|(([0-9]+)y)?(([0-9]+)w)?"
                                                    "(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?"
                                                    "(([0-9]+)s)?(([0-9]+)ms)?)$",
                                                },
                                            },
                                        },
                                    },
                                },
                            }
                        },
                    }
                },
            }
        ],
    },
}


def test_metrics_port_and_a_service_monitor_the_crd_accepts(
    new_pair_project: Callable[..., PulumiProject], cluster: ControlPlane
) -> None:
    """With the ServiceMonitor CRD installed: the object is stored as the pair wrote it
    (nothing pruned), selects only the pair's headless Service, whose endpoints carry the
    `metrics` port of every Pod; the client Service has no metrics port."""
    cluster.apply([SERVICE_MONITOR_CRD])
    cluster.kubectl(
        "wait", "--for=condition=Established", "--timeout=60s",
        "crd/servicemonitors.monitoring.coreos.com",
    )  # fmt: skip
    stack = new_pair_project(
        "metered",
        "metered",
        {
            **REDIS,
            "replicas": 2,
            "storage": None,
            "metrics": {
                "port": 9121,
                "service_monitor": {"interval": "30s", "labels": {"release": "prom"}},
            },
        },
    )
    try:
        stack.up()
        monitor = cluster.get_json("servicemonitor", "metered", "-n", "default")
        assert monitor["metadata"]["labels"]["release"] == "prom"
        assert monitor["spec"]["endpoints"] == [
            {"port": "metrics", "path": "/metrics", "interval": "30s"}
        ]
        assert monitor["spec"]["namespaceSelector"] == {"matchNames": ["default"]}
        labels = monitor["spec"]["selector"]["matchLabels"]
        label_selector = ",".join(f"{key}={value}" for key, value in labels.items())
        matched = cluster.kubectl("get", "svc", "-n", "default", "-o", "name", "-l", label_selector)
        assert matched.split() == ["service/metered-headless"]

        client = cluster.get_json("svc", "metered", "-n", "default")
        assert [p["name"] for p in client["spec"]["ports"]] == ["redis"]

        def metrics_endpoints() -> list[str]:
            slices = cluster.get_json(
                "endpointslices", "-n", "default",
                "-l", "kubernetes.io/service-name=metered-headless",
            )["items"]  # fmt: skip
            return sorted(
                address
                for item in slices
                if any(p.get("name") == "metrics" and p.get("port") == 9121 for p in item["ports"])
                for endpoint in item.get("endpoints") or []
                for address in endpoint["addresses"]
            )

        ips = sorted(p["status"]["podIP"] for p in pods(cluster, selector("metered")))
        wait_until("the metrics port of every Pod", lambda: metrics_endpoints() == ips)
        stack.preview("--expect-no-changes")
    finally:
        stack.destroy()


def test_several_claims_per_pod_bind_and_mount_where_asked(
    new_pair_project: Callable[..., PulumiProject], cluster: ControlPlane
) -> None:
    """storage_claims: every claim of every Pod is Bound on the asked class, each Pod mounts
    its own claims at their paths, the outputs list them; a size change is refused at preview."""
    claims = [
        {"claim_name": "data", "size": "64Mi", "mount_path": "/var/lib/data"},
        {"claim_name": "wal", "size": "32Mi", "mount_path": "/var/lib/wal"},
    ]
    claims = [{**claim, "storage_class_name": STORAGE_CLASS} for claim in claims]
    args = {**REDIS, "replicas": 2, "storage_claims": claims}
    stack = new_pair_project("claims", "pg", args)
    try:
        stack.up()
        items = cluster.get_json("pvc", "-n", "default", "-l", selector("pg"))["items"]
        assert {
            item["metadata"]["name"]: (item["status"]["phase"], item["spec"]["storageClassName"])
            for item in items
        } == {
            name: ("Bound", STORAGE_CLASS)
            for name in ("data-pg-0", "data-pg-1", "wal-pg-0", "wal-pg-1")
        }
        for pod in pods(cluster, selector("pg")):
            name = pod["metadata"]["name"]
            container = pod["spec"]["containers"][0]
            mounts = {m["name"]: m["mountPath"] for m in container["volumeMounts"]}
            assert (mounts["data"], mounts["wal"]) == ("/var/lib/data", "/var/lib/wal")
            volumes = {
                v["name"]: v["persistentVolumeClaim"]["claimName"]
                for v in pod["spec"]["volumes"]
                if "persistentVolumeClaim" in v
            }
            assert volumes == {"data": f"data-{name}", "wal": f"wal-{name}"}
        outputs = stack.outputs()
        assert outputs["claimsByTemplate"] == {
            "data": ["data-pg-0", "data-pg-1"],
            "wal": ["wal-pg-0", "wal-pg-1"],
        }
        assert outputs["persistentVolumeClaims"] == [
            "data-pg-0",
            "data-pg-1",
            "wal-pg-0",
            "wal-pg-1",
        ]
        stack.preview("--expect-no-changes")

        resized = [claims[0], {**claims[1], "size": "64Mi"}]
        stack.config_set("pair", {**args, "storage_claims": resized})
        refused = stack.preview(check=False)
        assert refused.returncode != 0
        assert "storage_claims[1].size='64Mi'" in refused.output, refused.output
        templates = cluster.get_json("sts", "pg", "-n", "default")["spec"]["volumeClaimTemplates"]
        assert [t["spec"]["resources"]["requests"]["storage"] for t in templates] == [
            "64Mi",
            "32Mi",
        ]
        stack.config_set("pair", args)
    finally:
        stack.destroy()
        cluster.kubectl("delete", "pvc", "-n", "default", "-l", selector("pg"))
