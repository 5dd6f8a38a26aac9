"""The root stack, deployed with the real Pulumi CLI and provider to the e2e cluster.

The scenarios of one module share one ``dev`` stack and run in file order: each
starts from the state the previous one left (as a platform engineer's stack would).
Stacks that need other config (custom domain, protect) are their own.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import pytest

from .cluster import STORAGE_CLASS, ControlPlane
from .dns import Resolver
from .pulumi_cli import PulumiProject

pytestmark = pytest.mark.e2e

POD_DNS = [
    "redis-0.redis-headless.default.svc.cluster.local",
    "redis-1.redis-headless.default.svc.cluster.local",
    "redis-2.redis-headless.default.svc.cluster.local",
]
DEV_OUTPUTS = {
    "podDnsNames": POD_DNS,
    "headlessServiceDns": "redis-headless.default.svc.cluster.local",
    "clientServiceDns": "redis.default.svc.cluster.local",
    "srvRecords": {"redis": "_redis._tcp.redis-headless.default.svc.cluster.local"},
    "namespace": "default",
}
SELECTOR = "stateful-service-pair/statefulset=redis"
# kwok's pod-ready stage reads this annotation as the Pod's delay before Ready.
READY_DELAY_ANNOTATION = "pod-ready.stage.kwok.x-k8s.io/delay"


def wait_until(what: str, check: Callable[[], Any], timeout: float = 90) -> Any:
    """Polls ``check`` until it returns something truthy; fails naming ``what``."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        last = check()
        if last:
            return last
        time.sleep(0.5)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what} (last: {last!r})")


def pods(cluster: ControlPlane, selector: str = SELECTOR, namespace: str = "default") -> list[Any]:
    items = cluster.get_json("pods", "-n", namespace, "-l", selector)["items"]
    return sorted(items, key=lambda pod: pod["metadata"]["name"])


def pod_ips(
    cluster: ControlPlane, selector: str = SELECTOR, namespace: str = "default"
) -> dict[str, str]:
    return {
        pod["metadata"]["name"]: pod["status"].get("podIP", "")
        for pod in pods(cluster, selector, namespace)
    }


def is_ready(pod: dict[str, Any]) -> bool:
    return any(
        c["type"] == "Ready" and c["status"] == "True"
        for c in pod.get("status", {}).get("conditions", [])
    )


def claims(cluster: ControlPlane, namespace: str = "default") -> dict[str, str]:
    """Name -> phase of every PersistentVolumeClaim in ``namespace``."""
    return {
        item["metadata"]["name"]: item["status"].get("phase", "")
        for item in cluster.get_json("pvc", "-n", namespace)["items"]
    }


def assert_pod_names_resolve(
    resolver: Resolver,
    cluster: ControlPlane,
    names: list[str],
    namespace: str = "default",
    selector: str = SELECTOR,
) -> None:
    """Each per-Pod DNS name answers with the IP of the very Pod it names."""
    ips = pod_ips(cluster, selector, namespace)
    assert len(ips) == len(names)
    for name in names:
        pod = name.split(".", 1)[0]
        assert resolver.a(name) == [ips[pod]], f"{name} should resolve to {pod}'s IP {ips[pod]}"


@pytest.fixture(scope="module")
def dev(new_root_project: Callable[..., PulumiProject]) -> PulumiProject:
    return new_root_project("dev")


def test_up_creates_the_pair_whose_names_resolve(
    dev: PulumiProject, cluster: ControlPlane, resolver: Resolver
) -> None:
    """`pulumi up` with the default config: exact outputs, and every name resolves in CoreDNS."""
    dev.up()
    assert dev.outputs() == DEV_OUTPUTS

    ips = pod_ips(cluster)
    assert sorted(ips) == ["redis-0", "redis-1", "redis-2"]
    assert all(ips.values())
    assert_pod_names_resolve(resolver, cluster, POD_DNS)
    # The SRV record of the named port: one target per Pod, on the Service port.
    assert resolver.srv(DEV_OUTPUTS["srvRecords"]["redis"]) == [(6379, name) for name in POD_DNS]
    client_ip = cluster.get_json("svc", "redis", "-n", "default")["spec"]["clusterIP"]
    assert resolver.a(DEV_OUTPUTS["clientServiceDns"]) == [client_ip]
    assert resolver.a(DEV_OUTPUTS["headlessServiceDns"]) == sorted(ips.values())
    # The EndpointSlices of the headless Service carry each Pod's hostname (what CoreDNS serves).
    slices = cluster.get_json(
        "endpointslices", "-n", "default", "-l", "kubernetes.io/service-name=redis-headless"
    )["items"]
    hostnames = sorted(
        endpoint["hostname"] for item in slices for endpoint in item.get("endpoints", [])
    )
    assert hostnames == ["redis-0", "redis-1", "redis-2"]
    # Every claim bound to a PersistentVolume of the default StorageClass.
    assert claims(cluster) == {f"data-redis-{i}": "Bound" for i in range(3)}
    classes = {
        item["spec"]["storageClassName"]
        for item in cluster.get_json("pvc", "-n", "default")["items"]
    }
    assert classes == {STORAGE_CLASS}


def test_second_preview_and_refresh_change_nothing(dev: PulumiProject) -> None:
    """No perpetual diff: preview expects no changes, refresh finds none."""
    dev.preview("--expect-no-changes")
    refresh = dev.run("refresh", "--yes", "--expect-no-changes", check=False)
    assert refresh.returncode == 0, refresh.output[-4000:]
    dev.preview("--expect-no-changes")


def test_scaling_follows_config_and_keeps_removed_claims(
    dev: PulumiProject, cluster: ControlPlane, resolver: Resolver
) -> None:
    """Scale 3 -> 5 -> 2: outputs follow, new names resolve, removed Pods' claims remain."""
    dev.config_set("replicas", 5)
    dev.up()
    five = [f"redis-{i}.redis-headless.default.svc.cluster.local" for i in range(5)]
    assert dev.outputs()["podDnsNames"] == five
    assert_pod_names_resolve(resolver, cluster, five)

    dev.config_set("replicas", 2)
    dev.up()
    assert dev.outputs()["podDnsNames"] == five[:2]
    wait_until("the scaled-down Pods to go", lambda: len(pods(cluster)) == 2)
    assert_pod_names_resolve(resolver, cluster, five[:2])
    wait_until("the removed Pods' names to stop resolving", lambda: resolver.a(five[4]) == [])
    assert claims(cluster) == {f"data-redis-{i}": "Bound" for i in range(5)}

    dev.config_set("replicas", 3)
    dev.up()
    assert dev.outputs() == DEV_OUTPUTS


def test_image_change_rolls_pods_and_up_waits_for_ready(
    dev: PulumiProject, cluster: ControlPlane
) -> None:
    """A new image updates the StatefulSet in place and `up` returns only once Pods are Ready."""
    sts_uid = cluster.get_json("statefulset", "redis", "-n", "default")["metadata"]["uid"]
    old_pods = {pod["metadata"]["name"]: pod["metadata"]["uid"] for pod in pods(cluster)}
    delay_seconds = 8
    dev.run(
        "config",
        "set",
        "--path",
        f'podAnnotations["{READY_DELAY_ANNOTATION}"]',
        f"{delay_seconds}s",
    )
    dev.config_set("image", "redis:7.4.1-alpine")

    plan = json.loads(dev.run("preview", "--json").stdout)
    operations = {step["urn"].rsplit("::", 1)[1]: step["op"] for step in plan["steps"]}
    assert operations["redis-statefulset"] == "update"
    assert "replace" not in operations.values()

    up = dev.up()
    sts = cluster.get_json("statefulset", "redis", "-n", "default")
    assert sts["metadata"]["uid"] == sts_uid
    status = sts["status"]
    assert status["updateRevision"] == status["currentRevision"]
    assert status["readyReplicas"] == 3
    now_pods = pods(cluster)
    assert all(is_ready(pod) for pod in now_pods)
    assert {pod["spec"]["containers"][0]["image"] for pod in now_pods} == {"redis:7.4.1-alpine"}
    assert all(old_pods[pod["metadata"]["name"]] != pod["metadata"]["uid"] for pod in now_pods)
    # Three Pods, one after another, each held unready by kwok for the delay.
    assert up.seconds >= 3 * delay_seconds, f"up returned after {up.seconds:.1f} s"
    assert dev.outputs() == DEV_OUTPUTS
