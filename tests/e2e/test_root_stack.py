"""The root stack, deployed with the real Pulumi CLI and provider to the e2e cluster.

The scenarios of one module share one ``dev`` stack and run in file order: each
starts from the state the previous one left (as a platform engineer's stack would).
Stacks that need other config (custom domain, protect) are their own.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from .cluster import STORAGE_CLASS, ClusterError, ControlPlane
from .conftest import FAILED, REPO
from .dns import Resolver
from .polling import wait_until
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


def claims(
    cluster: ControlPlane, namespace: str = "default", pair: str = "redis"
) -> dict[str, str]:
    """Name -> phase of every claim of ``pair``: the StatefulSet controller copies the
    selector's labels onto the claims it creates."""
    return {
        item["metadata"]["name"]: item["status"].get("phase", "")
        for item in cluster.get_json(
            "pvc", "-n", namespace, "-l", f"stateful-service-pair/statefulset={pair}"
        )["items"]
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


@pytest.fixture(autouse=True)
def dev_back_to_its_config_after_a_failure(
    request: pytest.FixtureRequest, dev: PulumiProject
) -> Iterator[None]:
    """A scenario that fails halfway leaves its own config behind; the next one should not
    fail for that reason, so the stack file is restored and applied again."""
    stack_file = dev.directory / "Pulumi.dev.yaml"
    before = stack_file.read_text()
    yield
    if request.node.stash.get(FAILED, False) and stack_file.read_text() != before:
        stack_file.write_text(before)
        dev.run("cancel", "--yes", check=False)
        dev.up(check=False)


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
    # The default spread: three replicas on three nodes in three zones. (The scheduler's own
    # defaults tend to spread them too; test_emulation shows the constraints are stored.)
    nodes = [pod["spec"]["nodeName"] for pod in pods(cluster)]
    zones = {
        cluster.get_json("node", node)["metadata"]["labels"]["topology.kubernetes.io/zone"]
        for node in nodes
    }
    assert len(set(nodes)) == 3 and len(zones) == 3, nodes


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


def test_image_change_rolls_pods_in_place(dev: PulumiProject, cluster: ControlPlane) -> None:
    """A new image updates the StatefulSet in place: same object, every Pod recreated Ready.

    `up` is not asserted to wait here: the pinned provider reads the StatefulSet's status
    before the controller has seen the new generation and often returns at once
    (pulumi/pulumi-kubernetes#3329, fixed upstream after the pinned source by #4094). The
    README says so; the creation case, which does wait, is the next scenario.
    """
    sts_uid = cluster.get_json("statefulset", "redis", "-n", "default")["metadata"]["uid"]
    old_pods = {pod["metadata"]["name"]: pod["metadata"]["uid"] for pod in pods(cluster)}
    dev.config_set("image", "redis:7.4.1-alpine")

    plan = json.loads(dev.run("preview", "--json").stdout)
    operations = {step["urn"].rsplit("::", 1)[1]: step["op"] for step in plan["steps"]}
    assert operations["redis-statefulset"] == "update"
    assert "replace" not in operations.values()

    dev.up()
    cluster.kubectl("-n", "default", "rollout", "status", "statefulset/redis", "--timeout=120s")
    sts = cluster.get_json("statefulset", "redis", "-n", "default")
    assert sts["metadata"]["uid"] == sts_uid
    assert sts["status"]["updateRevision"] == sts["status"]["currentRevision"]
    now_pods = pods(cluster)
    assert all(is_ready(pod) for pod in now_pods)
    assert {pod["spec"]["containers"][0]["image"] for pod in now_pods} == {"redis:7.4.1-alpine"}
    assert all(old_pods[pod["metadata"]["name"]] != pod["metadata"]["uid"] for pod in now_pods)
    assert dev.outputs() == DEV_OUTPUTS


def test_up_returns_only_once_new_pods_are_ready(
    new_root_project: Callable[..., PulumiProject], cluster: ControlPlane
) -> None:
    """kwok holds each new Pod unready for a while: `up` does not return before all are Ready."""
    delay_seconds = 4
    slow = new_root_project("slow", {"name": "slow", "replicas": 2, "storageSize": ""})
    slow.run(
        "config", "set", "--path",
        f'podAnnotations["{READY_DELAY_ANNOTATION}"]', f"{delay_seconds}s",
    )  # fmt: skip
    try:
        up = slow.up()
        # OrderedReady: slow-1 starts only once slow-0 is Ready, so two delays pass.
        assert up.seconds >= 2 * delay_seconds, f"up returned after {up.seconds:.1f} s"
        now = pods(cluster, "stateful-service-pair/statefulset=slow")
        assert [pod["metadata"]["name"] for pod in now] == ["slow-0", "slow-1"]
        assert all(is_ready(pod) for pod in now)
    finally:
        slow.destroy()


def test_storage_change_is_refused_at_preview_then_the_documented_procedure_works(
    dev: PulumiProject, cluster: ControlPlane
) -> None:
    """A new storageSize stops at preview with the procedure; following it step by step works."""
    sts_before = cluster.get_json("statefulset", "redis", "-n", "default")
    pod_uids = {pod["metadata"]["name"]: pod["metadata"]["uid"] for pod in pods(cluster)}
    dev.config_set("storageSize", "2Gi")

    refused = dev.preview(check=False)
    assert refused.returncode != 0
    assert "storage.size" in refused.output
    for step in ("kubectl patch pvc", "--cascade=orphan", "pulumi refresh, then pulumi up"):
        assert step in refused.output, f"the refusal should give the step {step!r}"
    sts_after = cluster.get_json("statefulset", "redis", "-n", "default")
    assert sts_after["metadata"]["resourceVersion"] == sts_before["metadata"]["resourceVersion"]

    # 1. Resize each claim in place (the StorageClass allows expansion).
    for ordinal in range(3):
        cluster.kubectl(
            "-n", "default", "patch", "pvc", f"data-redis-{ordinal}",
            "-p", '{"spec":{"resources":{"requests":{"storage":"2Gi"}}}}',
        )  # fmt: skip
    # 2. Delete the StatefulSet but not its Pods.
    cluster.kubectl("-n", "default", "delete", "statefulset", "redis", "--cascade=orphan")
    # 3. Refresh, then up: the new StatefulSet adopts the running Pods and their claims.
    dev.run("refresh", "--yes")
    dev.up()

    sts = cluster.get_json("statefulset", "redis", "-n", "default")
    assert sts["metadata"]["uid"] != sts_before["metadata"]["uid"]
    template = sts["spec"]["volumeClaimTemplates"][0]["spec"]["resources"]["requests"]
    assert template == {"storage": "2Gi"}
    assert {pod["metadata"]["name"]: pod["metadata"]["uid"] for pod in pods(cluster)} == pod_uids
    owners = {pod["metadata"]["ownerReferences"][0]["uid"] for pod in pods(cluster)}
    assert owners == {sts["metadata"]["uid"]}
    requests = {
        item["metadata"]["name"]: item["spec"]["resources"]["requests"]["storage"]
        for item in cluster.get_json("pvc", "-n", "default")["items"]
        if item["metadata"]["name"] in {f"data-redis-{i}" for i in range(3)}
    }
    assert requests == {f"data-redis-{i}": "2Gi" for i in range(3)}
    dev.preview("--expect-no-changes")
    assert dev.outputs() == DEV_OUTPUTS


def test_zero_replicas_and_back_finish_promptly(
    dev: PulumiProject, cluster: ControlPlane, resolver: Resolver
) -> None:
    """replicas 0, then 3: both `up`s return within a minute (no wait for endpoints)."""
    dev.config_set("replicas", 0)
    down = dev.up(timeout=300)
    assert down.seconds < 60, f"up to 0 replicas took {down.seconds:.0f} s"
    assert dev.outputs()["podDnsNames"] == []
    wait_until("every Pod to go", lambda: pods(cluster) == [])

    dev.config_set("replicas", 3)
    up = dev.up(timeout=300)
    assert up.seconds < 120, f"up back to 3 replicas took {up.seconds:.0f} s"
    assert dev.outputs() == DEV_OUTPUTS
    assert_pod_names_resolve(resolver, cluster, POD_DNS)


def test_a_fresh_stack_with_zero_replicas_deploys_promptly(
    new_root_project: Callable[..., PulumiProject], cluster: ControlPlane
) -> None:
    """Created with replicas 0, the client Service does not wait ten minutes for endpoints."""
    empty = new_root_project("empty", {"name": "empty", "replicas": 0, "storageSize": ""})
    up = empty.up(timeout=300)
    assert up.seconds < 60, f"up took {up.seconds:.0f} s"
    assert empty.outputs()["podDnsNames"] == []
    empty.destroy()


def test_a_recreated_pod_keeps_its_name_which_follows_the_new_ip(
    dev: PulumiProject, cluster: ControlPlane, resolver: Resolver
) -> None:
    """redis-1 rescheduled to another node gets a new IP; its DNS name answers with it."""
    before = pods(cluster)[1]
    node = before["spec"]["nodeName"]
    # kwok hands a node's freed IP to its next Pod, so the new Pod goes to another node,
    # as after a node drain.
    cluster.kubectl("cordon", node)
    try:
        cluster.kubectl("-n", "default", "delete", "pod", "redis-1", "--wait=true")

        def recreated() -> dict[str, Any] | None:
            pod = next((p for p in pods(cluster) if p["metadata"]["name"] == "redis-1"), None)
            if pod and pod["metadata"]["uid"] != before["metadata"]["uid"] and is_ready(pod):
                return pod
            return None

        after = wait_until("redis-1 to be recreated and Ready", recreated)
    finally:
        cluster.kubectl("uncordon", node)
    assert after["spec"]["nodeName"] != node
    assert after["status"]["podIP"] != before["status"]["podIP"]
    wait_until(
        "redis-1's name to follow the new IP",
        lambda: resolver.a(POD_DNS[1]) == [after["status"]["podIP"]],
    )
    assert dev.outputs() == DEV_OUTPUTS


def test_an_unready_pod_is_found_by_peers_but_not_by_clients(
    dev: PulumiProject, cluster: ControlPlane, resolver: Resolver
) -> None:
    """A Pod that is not Ready keeps its headless DNS record but leaves the client endpoints."""
    ips = pod_ips(cluster)
    condition = {"type": "Ready", "status": "False", "reason": "E2EHeldUnready"}
    cluster.kubectl(
        "-n", "default", "patch", "pod", "redis-2", "--subresource=status", "--type=strategic",
        "-p", json.dumps({"status": {"conditions": [condition]}}),
    )  # fmt: skip

    def client_addresses() -> list[str]:
        slices = cluster.get_json(
            "endpointslices", "-n", "default", "-l", "kubernetes.io/service-name=redis"
        )["items"]
        return sorted(
            address
            for item in slices
            for endpoint in item.get("endpoints", [])
            if endpoint.get("conditions", {}).get("ready")
            for address in endpoint["addresses"]
        )

    wait_until(
        "redis-2 to leave the client Service's ready endpoints",
        lambda: client_addresses() == sorted([ips["redis-0"], ips["redis-1"]]),
    )
    assert resolver.a(POD_DNS[2]) == [ips["redis-2"]]
    assert resolver.a(DEV_OUTPUTS["headlessServiceDns"]) == sorted(ips.values())

    # The default budget (one Pod down at most) is spent on redis-2: the Eviction API, what
    # `kubectl drain` calls, refuses a healthy Pod, and (AlwaysAllow, the default unhealthy
    # Pod eviction policy) lets the unready one go, which also brings it back Ready.
    wait_until(
        "the budget to see redis-2 as down",
        lambda: (
            cluster.get_json("pdb", "redis", "-n", "default")["status"].get("disruptionsAllowed")
            == 0
        ),
    )
    refused = evict(cluster, "redis-0")
    assert "violate the pod's disruption budget" in refused, refused
    assert (
        "deletionTimestamp" not in cluster.get_json("pod", "redis-0", "-n", "default")["metadata"]
    )
    assert evict(cluster, "redis-2") == ""
    wait_until(
        "redis-2 to be Ready again",
        lambda: all(is_ready(p) for p in pods(cluster)) and len(pods(cluster)) == 3,
    )


def evict(cluster: ControlPlane, pod: str) -> str:
    """Asks the Eviction API to evict ``pod``; returns kubectl's error text, "" if allowed."""
    eviction = {
        "apiVersion": "policy/v1",
        "kind": "Eviction",
        "metadata": {"name": pod, "namespace": "default"},
    }
    path = f"/api/v1/namespaces/default/pods/{pod}/eviction"
    try:
        cluster.kubectl("create", "--raw", path, "-f", "-", input_text=json.dumps(eviction))
    except ClusterError as refused:
        return str(refused)
    return ""


# The README's "Debugging" commands, as written there (namespace db, pair mysql), and what
# each must show on this cluster once db/mysql are read as default/redis.
README_DEBUG_COMMANDS = {
    "kubectl -n db get pods -l stateful-service-pair/statefulset=mysql -o wide": lambda out: (
        [line.split()[0] for line in out.splitlines()[1:]] == ["redis-0", "redis-1", "redis-2"]
        and all(" Running " in line for line in out.splitlines()[1:])
    ),
    "kubectl -n db get svc mysql-headless -o jsonpath='{.spec.selector}'": lambda out: (
        json.loads(out) == {"stateful-service-pair/statefulset": "redis"}
    ),
    "kubectl -n db get sts mysql -o jsonpath='{.spec.serviceName}'": lambda out: (
        out == "redis-headless"
    ),
    "kubectl -n db get endpointslices -l kubernetes.io/service-name=mysql-headless -o wide": (
        lambda out: len(out.splitlines()) == 2 and out.splitlines()[1].split()[2] == "6379"
    ),
}


def test_readme_debugging_commands_show_what_the_readme_says(
    dev: PulumiProject, cluster: ControlPlane
) -> None:
    """Each troubleshooting command of the README runs here and shows what the README says."""
    import re
    import shlex

    readme = " ".join((REPO / "README.md").read_text().split())
    for command, shows in README_DEBUG_COMMANDS.items():
        assert command in readme, f"README no longer gives {command!r}: update this test"
        args = shlex.split(re.sub(r"\bdb\b", "default", command.replace("mysql", "redis")))
        out = cluster.kubectl(*args[1:])
        assert shows(out), f"{command} showed:\n{out}"


def test_destroy_keeps_claims_and_a_new_up_readopts_them(
    dev: PulumiProject, cluster: ControlPlane
) -> None:
    """`pulumi destroy` removes every object but the claims; the next `up` uses them again."""
    volumes = {
        item["metadata"]["name"]: item["spec"]["volumeName"]
        for item in cluster.get_json("pvc", "-n", "default")["items"]
    }
    dev.destroy()
    for kind in ("statefulset", "service", "poddisruptionbudget"):
        left = cluster.get_json(kind, "-n", "default", "-l", SELECTOR)["items"]
        assert left == [], f"{kind} left after destroy: {[i['metadata']['name'] for i in left]}"
    wait_until("the Pods to go", lambda: pods(cluster) == [])
    assert set(claims(cluster)) == set(volumes)

    dev.up()
    assert dev.outputs() == DEV_OUTPUTS
    readopted = {
        item["metadata"]["name"]: item["spec"]["volumeName"]
        for item in cluster.get_json("pvc", "-n", "default")["items"]
    }
    assert readopted == volumes
    mounted = {
        pod["metadata"]["name"]: next(
            v["persistentVolumeClaim"]["claimName"]
            for v in pod["spec"]["volumes"]
            if "persistentVolumeClaim" in v
        )
        for pod in pods(cluster)
    }
    assert mounted == {f"redis-{i}": f"data-redis-{i}" for i in range(3)}
