"""The root stack program, run with runpy under the mocks, exports the DNS names."""

import runpy
from pathlib import Path
from typing import Any

import pulumi
from pulumi.runtime.settings import get_root_resource
from stateful_service_pair.testing import use_kubernetes_mocks

ROOT = Path(__file__).resolve().parent.parent
PROJECT = "stateful-service-pair"
DEFAULTS = {
    "name": "redis",
    "image": "redis:7.4-alpine",
    "port": "6379",
    "portName": "redis",
    "replicas": "3",
    "namespace": "",
    "clusterDomain": "cluster.local",
    "storageSize": "1Gi",
    "storageClass": "",
}


def run_program(**overrides: str) -> dict[str, Any]:
    """Run __main__.py with the given config and return its resolved stack outputs."""
    config = {f"{PROJECT}:{key}": value for key, value in {**DEFAULTS, **overrides}.items()}
    mocks, _ = use_kubernetes_mocks(project=PROJECT, stack="dev", config=config)
    exports: dict[str, Any] = {}

    @pulumi.runtime.test
    async def run() -> None:
        runpy.run_path(str(ROOT / "__main__.py"), run_name="__main__")
        outputs = get_root_resource().outputs  # type: ignore[union-attr]
        for key, value in outputs.items():
            exports[key] = await pulumi.Output.from_input(value).future()

    run()
    exports["_objects"] = sorted((o.kind, o.namespace, o.name) for o in mocks.objects)
    return exports


def test_stack_exports_with_defaults() -> None:
    """The default stack exports the names of a 3-replica redis pair in the default namespace."""
    exports = run_program()
    assert exports["podDnsNames"] == [
        f"redis-{i}.redis-headless.default.svc.cluster.local" for i in range(3)
    ]
    assert exports["headlessServiceDns"] == "redis-headless.default.svc.cluster.local"
    assert exports["clientServiceDns"] == "redis.default.svc.cluster.local"
    assert exports["srvRecords"] == {
        "redis": "_redis._tcp.redis-headless.default.svc.cluster.local"
    }
    assert exports["namespace"] == "default"
    assert exports["_objects"] == [
        ("PodDisruptionBudget", "default", "redis"),
        ("Service", "default", "redis"),
        ("Service", "default", "redis-headless"),
        ("StatefulSet", "default", "redis"),
    ]


def test_stack_config_reaches_the_component() -> None:
    """Name, port, replicas, namespace and cluster domain come from stack config."""
    exports = run_program(
        name="sessions",
        port="7000",
        portName="cache",
        replicas="2",
        namespace="web",
        clusterDomain="corp.internal",
    )
    assert exports["podDnsNames"] == [
        "sessions-0.sessions-headless.web.svc.corp.internal",
        "sessions-1.sessions-headless.web.svc.corp.internal",
    ]
    assert exports["srvRecords"] == {"cache": "_cache._tcp.sessions-headless.web.svc.corp.internal"}


def test_render_picture_follows_the_stack_cluster_domain() -> None:
    """`make render` draws the DNS picture in the stack's clusterDomain, like its outputs."""
    from stateful_service_pair.render import render

    rendering = render(ROOT, config_flags=["clusterDomain=corp.internal"], out_dir=None)
    assert "redis-0.redis-headless.default.svc.corp.internal" in rendering.summary
    assert "svc.cluster.local" not in rendering.summary


def test_empty_storage_size_turns_storage_off() -> None:
    """storageSize "" renders a StatefulSet without claim templates; a class is passed on."""
    from stateful_service_pair.render import render

    without = render(ROOT, config_flags=["storageSize="], out_dir=None)
    with_class = render(ROOT, config_flags=["storageClass=fast-ssd"], out_dir=None)

    def sts(manifests: tuple[dict[str, Any], ...]) -> dict[str, Any]:
        return next(m for m in manifests if m["kind"] == "StatefulSet")

    assert "volumeClaimTemplates" not in sts(without.manifests)["spec"]
    template = sts(with_class.manifests)["spec"]["volumeClaimTemplates"][0]
    assert template["spec"]["storageClassName"] == "fast-ssd"
    assert template["spec"]["resources"] == {"requests": {"storage": "1Gi"}}
