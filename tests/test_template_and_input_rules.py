"""Rules the API server does not enforce (the Pod template) and input users get wrong.

Each case is refused by validate(), so nothing registers: the error names the argument, the
value and the rule.
"""

from typing import Any

import pulumi_kubernetes as k8s
import pytest
from stateful_service_pair._validation import PairArgumentError, validate

VALID: dict[str, Any] = {"image": "mysql:8.0", "ports": [{"name": "mysql", "port": 3306}]}


def with_(**overrides: Any) -> dict[str, Any]:
    return {**VALID, **overrides}


def sidecar(**fields: Any) -> dict[str, Any]:
    return {"name": "agent", "image": "agent:1", **fields}


TEMPLATE_CLASHES = [
    (
        with_(extra_container_spec={"ports": [{"name": "mysql", "containerPort": 33060}]}),
        "extra_container_spec['ports'][0].name",
        "mysql",
        "is also the name of ports[0].name; port names must be unique within the main container",
    ),
    (
        with_(
            extra_container_spec={
                "volume_mounts": [k8s.core.v1.VolumeMountArgs(name="data", mount_path="/tmp")]
            }
        ),
        "extra_container_spec['volume_mounts'][0].mount_path",
        "/tmp",
        "is also the mount path of writable_paths[0]",
    ),
    (
        with_(extra_container_spec={"volumeMounts": [{"name": "config", "mountPath": "/etc/x"}]}),
        "extra_container_spec['volume_mounts'][0].name",
        "config",
        "names no volume of the Pod (data, scratch-0) and no claim template",
    ),
    (
        with_(extra_pod_spec={"init_containers": [sidecar(name="db")]}),
        "extra_pod_spec['init_containers'][0].name",
        "db",
        "is the name of the pair's main container (the StatefulSet's name); container names "
        "must be unique in a Pod",
    ),
    (
        with_(extra_pod_spec={"initContainers": [sidecar()], "containers": [sidecar()]}),
        "extra_pod_spec['containers'][0].name",
        "agent",
        "is also the name of extra_pod_spec['init_containers'][0].name",
    ),
    (
        with_(extra_pod_spec={"volumes": [{"name": "data", "emptyDir": {}}]}),
        "extra_pod_spec['volumes'][0].name",
        "data",
        "is also the name of the claim template (storage.claim_name)",
    ),
    (
        with_(storage={"claim_name": "scratch-0"}),
        "storage.claim_name",
        "scratch-0",
        "is also the name of the volume of writable_paths[0]",
    ),
    (
        with_(extra_pod_spec={"volumes": [{"name": "x", "emptyDir": {}}, {"name": "x"}]}),
        "extra_pod_spec['volumes'][1].name",
        "x",
        "volume names must be unique",
    ),
    (
        with_(
            extra_pod_spec={
                "containers": [
                    sidecar(
                        ports=[
                            {"name": "metrics", "containerPort": 1},
                            {"name": "metrics", "containerPort": 2},
                        ]
                    )
                ]
            }
        ),
        "extra_pod_spec['containers'][0].ports[1].name",
        "metrics",
        "port names must be unique within extra_pod_spec['containers'][0]",
    ),
    (
        with_(
            extra_pod_spec={
                "containers": [
                    k8s.core.v1.ContainerArgs(
                        name="agent",
                        image="agent:1",
                        volume_mounts=[k8s.core.v1.VolumeMountArgs(name="cache", mount_path="/c")],
                    )
                ]
            }
        ),
        "extra_pod_spec['containers'][0].volume_mounts[0].name",
        "cache",
        "names no volume of the Pod",
    ),
]


@pytest.mark.parametrize(("args", "argument", "value", "rule"), TEMPLATE_CLASHES)
def test_pod_template_clashes_are_refused(
    args: dict[str, Any], argument: str, value: Any, rule: str
) -> None:
    """The API server stores such a template; the pair refuses it before anything registers."""
    with pytest.raises(PairArgumentError) as caught:
        validate("db", args)
    assert (caught.value.argument, caught.value.value) == (argument, value)
    assert rule in caught.value.rule


def test_sidecars_with_their_own_names_volumes_and_mounts_pass() -> None:
    """Distinct names, a mount of an extra volume and of the claim are a valid template."""
    validate(
        "db",
        with_(
            extra_pod_spec={
                "volumes": [{"name": "config", "configMap": {"name": "db-config"}}],
                "init_containers": [sidecar(name="init")],
                "containers": [
                    sidecar(
                        ports=[{"name": "mysql", "containerPort": 9104}],
                        volume_mounts=[{"name": "data", "mount_path": "/data"}],
                    )
                ],
            },
            extra_container_spec={"volume_mounts": [{"name": "config", "mount_path": "/etc/my"}]},
        ),
    )


INPUT_MISTAKES = [
    (
        with_(cluster_domain="svc.cluster.local"),
        "cluster_domain",
        "svc.cluster.local",
        "must not start with 'svc'",
    ),
    (with_(image="Redis:7.4"), "image", "Redis:7.4", "is not a valid image reference"),
    (with_(image="redis:"), "image", "redis:", "is not a valid image reference"),
    (
        with_(resources={"requests": {"memory": "1Gi"}}),
        "resources.requests['memory']",
        "1Gi",
        "is above resources.limits['memory']='512Mi' (the default limit)",
    ),
    (
        with_(resources={"requests": {"cpu": "2"}, "limits": {"cpu": "1500m"}}),
        "resources.requests['cpu']",
        "2",
        "is above resources.limits['cpu']='1500m'; a request may not exceed its limit",
    ),
    (with_(service_account_name="Team"), "service_account_name", "Team", "RFC 1123 subdomain"),
    (with_(replicas=2.5), "replicas", 2.5, "must be an integer"),
]


@pytest.mark.parametrize(("args", "argument", "value", "rule"), INPUT_MISTAKES)
def test_input_mistakes_are_refused(
    args: dict[str, Any], argument: str, value: Any, rule: str
) -> None:
    """Common mistakes get an error that names the argument, the value and the rule."""
    with pytest.raises(PairArgumentError) as caught:
        validate("db", args)
    assert (caught.value.argument, caught.value.value) == (argument, value)
    assert rule in caught.value.rule


def test_object_names_that_are_dns_subdomains_are_accepted() -> None:
    """Secrets, ConfigMaps and ServiceAccounts may have dots in their names."""
    spec = validate(
        "db",
        with_(
            service_account_name="db.reader",
            image_pull_secrets=["registry.example.com"],
            secret_env={"PW": {"secret_name": "db.credentials", "key": "password"}},
            env_from=[{"config_map_name": "db.settings"}],
        ),
    )
    assert spec.service_account_name == "db.reader"
    assert spec.image_pull_secrets == ("registry.example.com",)


def test_a_partial_resources_override_keeps_the_other_defaults() -> None:
    """Giving one request keeps the other default request and the default limits."""
    spec = validate("db", with_(resources={"requests": {"cpu": "500m"}}))
    assert spec.requests == {"cpu": "500m", "memory": "256Mi"}
    assert spec.limits == {"cpu": "1", "memory": "512Mi"}
    removed = validate("db", with_(resources={"limits": {}}))
    assert removed.limits == {}


def test_integral_floats_count_as_integers() -> None:
    """Numbers from the engine arrive as floats; 3.0 is accepted wherever an int is."""
    spec = validate(
        "db",
        with_(
            replicas=3.0,
            ordinals_start=1.0,
            ports=[{"name": "mysql", "port": 3306.0, "target_port": 3306.0}],
            min_ready_seconds=5.0,
            readiness_probe={"period_seconds": 5.0},
        ),
    )
    assert (spec.replicas, spec.ordinals_start, spec.min_ready_seconds) == (3, 1, 5)
    assert type(spec.replicas) is int and type(spec.ports[0].port) is int
    assert spec.readiness_probe is not None and spec.readiness_probe.period_seconds == 5


def test_none_means_not_given() -> None:
    """None (what Config.get_int returns for an unset key) takes the default."""
    spec = validate(
        "db",
        with_(
            replicas=None,
            ordinals_start=None,
            cluster_domain=None,
            namespace=None,
            labels=None,
            resources={"requests": None},
            ports=[{"name": "mysql", "port": 3306, "protocol": None, "target_port": None}],
        ),
    )
    assert (spec.replicas, spec.ordinals_start, spec.cluster_domain) == (1, 0, "cluster.local")
    assert spec.requests == {"cpu": "100m", "memory": "256Mi"}
    assert (spec.ports[0].protocol, spec.ports[0].target_port) == ("TCP", 3306)
    # Where None is documented as a value of its own, it keeps that meaning.
    off = validate("db", with_(storage=None, run_as_user=None))
    assert (off.storage, off.run_as_user) == (None, None)
