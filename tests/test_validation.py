"""Every bad-input rule: the error names the argument, the value and the rule."""

from typing import Any

import pytest
from stateful_service_pair._validation import PairArgumentError, validate

VALID: dict[str, Any] = {"image": "mysql:8.0", "ports": [{"name": "mysql", "port": 3306}]}


def with_(**overrides: Any) -> dict[str, Any]:
    return {**VALID, **overrides}


BAD_INPUT = [
    (
        "db",
        with_(extra_pod_spec={"volumes": [{"name": "scratch-0", "emptyDir": {}}]}),
        "extra_pod_spec['volumes'][0].name",
        "scratch-0",
        "is also the name of the volume of writable_paths[0]; volume names must be unique",
    ),
    (
        "db",
        with_(extra_pod_spec={"containers": [{"name": "db", "image": "agent:1"}]}),
        "extra_pod_spec['containers'][0].name",
        "db",
        "is the name of the pair's main container",
    ),
    ("db", with_(replicas=10_001), "replicas", 10_001, "between 0 and 10000"),
    ("db", with_(ordinals_start=2**31), "ordinals_start", 2**31, "between 0 and"),
    (
        "db",
        with_(writable_paths=["/tmp", "/data"]),
        "writable_paths",
        ["/tmp", "/data"],
        "must not contain storage.mount_path '/data'",
    ),
    (
        "db",
        with_(update_strategy="OnDelete", rolling_update_partition=2),
        "rolling_update_partition",
        2,
        "only applies with update_strategy='RollingUpdate'",
    ),
    (
        "db",
        with_(traffic_distribution="Whatever"),
        "traffic_distribution",
        "Whatever",
        "'PreferClose'",
    ),
    (
        "db",
        with_(extra_pod_spec={"host_network": True}),
        "extra_pod_spec['host_network']",
        True,
        "per-Pod DNS",
    ),
    ("db", with_(extra_pod_spec={"hostPID": True}), "extra_pod_spec['hostPID']", True, "isolation"),
    # (component name, args, argument named in the error, bad value, rule fragment)
    ("db", with_(replica=3), "replica", 3, "did you mean 'replicas'?"),
    ("db", {"ports": VALID["ports"]}, "image", None, "is required"),
    ("db", with_(image=""), "image", "", "non-empty string"),
    ("db", with_(image="mysql 8"), "image", "mysql 8", "whitespace"),
    ("db", with_(replicas=-1), "replicas", -1, "between 0 and 10000"),
    ("db", with_(replicas=True), "replicas", True, "not a bool"),
    ("db", with_(replicas="3"), "replicas", "3", "must be an integer"),
    ("db", with_(replicas=2.5), "replicas", 2.5, "must be an integer"),
    ("a" * 53, VALID, "name", "a" * 53, "at most 52 characters"),
    ("db", with_(stateful_set_name="a" * 53), "stateful_set_name", "a" * 53, "at most 52"),
    ("db", with_(stateful_set_name="My_DB"), "stateful_set_name", "My_DB", "RFC 1123"),
    ("Db", VALID, "name", "Db", "RFC 1123"),
    ("db", with_(headless_service_name="1db"), "headless_service_name", "1db", "RFC 1035"),
    ("db", with_(client_service_name="a" * 64), "client_service_name", "a" * 64, "at most 63"),
    (
        "db",
        with_(client_service_name="x", headless_service_name="x"),
        "headless_service_name",
        "x",
        "must differ from client_service_name",
    ),
    ("db", with_(namespace="Prod"), "namespace", "Prod", "RFC 1123"),
    ("db", with_(namespace="a" * 64), "namespace", "a" * 64, "at most 63"),
    ("db", with_(cluster_domain="cluster.local."), "cluster_domain", "cluster.local.", "'.'"),
    ("db", with_(cluster_domain="Cluster.Local"), "cluster_domain", "Cluster.Local", "RFC 1123"),
    ("db", with_(ordinals_start=-1), "ordinals_start", -1, "between 0 and"),
    ("db", with_(ports=[]), "ports", [], "non-empty list"),
    ("db", with_(ports={"name": "x", "port": 1}), "ports", {"name": "x", "port": 1}, "list"),
    (
        "db",
        with_(ports=[{"name": "mysql-admin-port", "port": 1}]),
        "ports[0].name",
        "mysql-admin-port",
        "at most 15 characters",
    ),
    ("db", with_(ports=[{"name": "my_sql", "port": 1}]), "ports[0].name", "my_sql", "lowercase"),
    ("db", with_(ports=[{"name": "3306", "port": 1}]), "ports[0].name", "3306", "one letter"),
    ("db", with_(ports=[{"name": "db", "port": 0}]), "ports[0].port", 0, "between 1 and 65535"),
    ("db", with_(ports=[{"name": "db", "port": 65536}]), "ports[0].port", 65536, "65535"),
    (
        "db",
        with_(ports=[{"name": "db", "port": 1, "target_port": 70000}]),
        "ports[0].target_port",
        70000,
        "65535",
    ),
    (
        "db",
        with_(ports=[{"name": "db", "port": 1, "protocol": "tcp"}]),
        "ports[0].protocol",
        "tcp",
        "'TCP', 'UDP', 'SCTP'",
    ),
    ("db", with_(ports=[{"name": "db"}]), "ports[0].port", None, "is required"),
    (
        "db",
        with_(ports=[{"name": "db", "port": 1, "protcol": "UDP"}]),
        "ports[0].protcol",
        "UDP",
        "did you mean 'protocol'?",
    ),
    (
        "db",
        with_(ports=[{"name": "db", "port": 1}, {"name": "db", "port": 2}]),
        "ports[1].name",
        "db",
        "names must be unique",
    ),
    (
        "db",
        with_(ports=[{"name": "a", "port": 53}, {"name": "b", "port": 53}]),
        "ports[1].port",
        53,
        "already published over TCP",
    ),
    (
        "db",
        with_(
            ports=[
                {"name": "a", "port": 1, "target_port": 9},
                {"name": "b", "port": 2, "target_port": 9},
            ]
        ),
        "ports[1].target_port",
        9,
        "already the container port",
    ),
    (
        "db",
        with_(labels={"stateful-service-pair/statefulset": "x"}),
        "labels['stateful-service-pair/statefulset']",
        "x",
        "reserved",
    ),
    (
        "db",
        with_(labels={"app.kubernetes.io/managed-by": "helm"}),
        "labels['app.kubernetes.io/managed-by']",
        "helm",
        "reserved",
    ),
    (
        "db",
        with_(labels={"app.kubernetes.io/instance": "x"}),
        "labels['app.kubernetes.io/instance']",
        "x",
        "reserved",
    ),
    ("db", with_(labels={"team": "a b"}), "labels['team']", "a b", "at most 63 letters"),
    ("db", with_(labels={"Bad Key": "x"}), "labels key", "Bad Key", "at most 63 letters"),
    ("db", with_(env={"1X": "a"}), "env key", "1X", "not starting with a digit"),
    ("db", with_(env={"PORT": 3306}), "env['PORT']", 3306, "quote numbers"),
    (
        "db",
        with_(secret_env={"PW": {"secret_name": "db"}}),
        "secret_env['PW'].key",
        None,
        "is required",
    ),
    (
        "db",
        with_(env_from=[{"prefix": "X_"}]),
        "env_from[0]",
        {"prefix": "X_"},
        "exactly one of config_map_name and secret_name",
    ),
    (
        "db",
        with_(resources={"requests": {"cpu": "lots"}}),
        "resources.requests['cpu']",
        "lots",
        "Kubernetes quantity",
    ),
    ("db", with_(resources={"limit": {}}), "resources.limit", {}, "did you mean 'limits'?"),
    (
        "db",
        with_(readiness_probe={"port": "http"}),
        "readiness_probe.port",
        "http",
        "one of the pair's ports",
    ),
    (
        "db",
        with_(readiness_probe={"http_path": "healthz"}),
        "readiness_probe.http_path",
        "healthz",
        "start with '/'",
    ),
    (
        "db",
        with_(liveness_probe={"success_threshold": 2}),
        "liveness_probe.success_threshold",
        2,
        "must be 1",
    ),
    (
        "db",
        with_(ports=[{"name": "dns", "port": 53, "protocol": "UDP"}], readiness_probe={}),
        "readiness_probe.port",
        "dns",
        "is a UDP port; a TCP or HTTP probe on it never succeeds",
    ),
    (
        "db",
        with_(readiness_probe={"period_seconds": 0}),
        "readiness_probe.period_seconds",
        0,
        ">= 1",
    ),
    ("db", with_(image_pull_policy="always"), "image_pull_policy", "always", "'Always'"),
    ("db", with_(run_as_user=-5), "run_as_user", -5, ">= 0"),
    (
        "db",
        with_(read_only_root_filesystem="yes"),
        "read_only_root_filesystem",
        "yes",
        "True or False",
    ),
    ("db", with_(writable_paths=["tmp"]), "writable_paths[0]", "tmp", "absolute path"),
    ("db", with_(storage={"size": "10 GB"}), "storage.size", "10 GB", "Kubernetes quantity"),
    (
        "db",
        with_(storage={"when_deleted": "Keep"}),
        "storage.when_deleted",
        "Keep",
        "'Retain', 'Delete'",
    ),
    ("db", with_(storage={"mount_path": "data"}), "storage.mount_path", "data", "absolute path"),
    ("db", with_(storage={"claim_name": "Data"}), "storage.claim_name", "Data", "RFC 1123"),
    (
        "db",
        with_(storage={"access_modes": ["RWO"]}),
        "storage.access_modes[0]",
        "RWO",
        "'ReadWriteOnce'",
    ),
    (
        "db",
        with_(pod_management_policy="parallel"),
        "pod_management_policy",
        "parallel",
        "'OrderedReady', 'Parallel'",
    ),
    ("db", with_(update_strategy="Recreate"), "update_strategy", "Recreate", "'OnDelete'"),
    ("db", with_(min_ready_seconds=-1), "min_ready_seconds", -1, ">= 0"),
    ("db", with_(publish_not_ready_addresses=1), "publish_not_ready_addresses", 1, "True or False"),
    ("db", with_(session_affinity="Cookie"), "session_affinity", "Cookie", "'ClientIP'"),
    (
        "db",
        with_(session_affinity_timeout_seconds=60),
        "session_affinity_timeout_seconds",
        60,
        "only applies with session_affinity='ClientIP'",
    ),
    ("db", with_(internal_traffic_policy="Node"), "internal_traffic_policy", "Node", "'Local'"),
    ("db", with_(pdb_max_unavailable=0), "pdb_max_unavailable", 0, ">= 1"),
    ("db", with_(await_timeout_seconds=0), "await_timeout_seconds", 0, ">= 1"),
    ("db", with_(skip_await="yes"), "skip_await", "yes", "True or False"),
    (
        "db",
        with_(extra_pod_spec={"hostname": "x"}),
        "extra_pod_spec['hostname']",
        "x",
        "Pod's hostname",
    ),
    (
        "db",
        with_(extra_pod_spec={"subdomain": "x"}),
        "extra_pod_spec['subdomain']",
        "x",
        "headless Service's name",
    ),
    (
        "db",
        with_(extra_pod_spec={"tolerance": []}),
        "extra_pod_spec['tolerance']",
        [],
        "did you mean 'tolerations'?",
    ),
    ("db", with_(extra_pod_spec={"volumes": "x"}), "extra_pod_spec['volumes']", "x", "plain list"),
    (
        "db",
        with_(extra_container_spec={"image": "x"}),
        "extra_container_spec['image']",
        "x",
        "'image' argument",
    ),
]


@pytest.mark.parametrize(("name", "args", "argument", "value", "rule"), BAD_INPUT)
def test_bad_input_is_named(
    name: str, args: dict[str, Any], argument: str, value: Any, rule: str
) -> None:
    """The error names the argument, shows the value and states the rule."""
    with pytest.raises(PairArgumentError) as caught:
        validate(name, args)
    error = caught.value
    assert (error.argument, error.value) == (argument, value)
    assert rule in error.rule
    assert str(error) == f"StatefulServicePair {name!r}: {argument}={value!r} {error.rule}"


def test_valid_minimal_args_fill_documented_defaults() -> None:
    """The defaults the README documents are the ones validation fills in."""
    spec = validate("db", VALID)
    assert spec.replicas == 1
    assert spec.namespace is None
    assert spec.cluster_domain == "cluster.local"
    assert spec.ordinals_start == 0
    assert (spec.stateful_set_name, spec.headless_service_name, spec.client_service_name) == (
        "db",
        "db-headless",
        "db",
    )
    assert spec.ports[0].protocol == "TCP" and spec.ports[0].target_port == 3306
    assert spec.requests == {"cpu": "100m", "memory": "256Mi"}
    assert spec.limits == {"cpu": "1", "memory": "512Mi"}
    assert spec.storage is not None
    assert (spec.storage.size, spec.storage.mount_path, spec.storage.claim_name) == (
        "1Gi",
        "/data",
        "data",
    )
    assert (spec.storage.when_deleted, spec.storage.when_scaled) == ("Retain", "Retain")
    assert spec.publish_not_ready_addresses is True
    assert spec.pod_disruption_budget is True and spec.pdb_max_unavailable == 1
    assert (spec.run_as_user, spec.run_as_group, spec.fs_group) == (10001, 10001, 10001)
    assert spec.automount_service_account_token is False
    assert spec.image_pull_policy == "Always"
    assert spec.writable_paths == ("/tmp",)


def test_same_port_number_over_two_protocols_is_allowed() -> None:
    """DNS on 53/TCP and 53/UDP is legal in Kubernetes and stays legal here."""
    spec = validate(
        "dns",
        with_(
            ports=[{"name": "dns", "port": 53, "protocol": "UDP"}, {"name": "dns-tcp", "port": 53}]
        ),
    )
    assert [(port.name, port.port, port.protocol) for port in spec.ports] == [
        ("dns", 53, "UDP"),
        ("dns-tcp", 53, "TCP"),
    ]


def test_camel_case_extra_fields_are_translated() -> None:
    """extra_pod_spec accepts the Kubernetes (camelCase) spelling as well."""
    spec = validate("db", with_(extra_pod_spec={"nodeSelector": {"disk": "ssd"}}))
    assert spec.extra_pod_spec == {"node_selector": {"disk": "ssd"}}


def test_none_disables_storage_and_probes() -> None:
    """None for storage or a probe switches it off instead of taking the default."""
    spec = validate("db", with_(storage=None, readiness_probe=None, liveness_probe=None))
    assert (spec.storage, spec.readiness_probe, spec.liveness_probe) == (None, None, None)


def test_enabled_false_switches_off_like_none() -> None:
    """{"enabled": False} disables storage and probes, for languages without a null."""
    spec = validate(
        "db",
        with_(
            storage={"enabled": False},
            readiness_probe={"enabled": False},
            liveness_probe={"enabled": False},
        ),
    )
    assert (spec.storage, spec.readiness_probe, spec.liveness_probe) == (None, None, None)
    kept = validate("db", with_(storage={"enabled": True, "size": "2Gi"}))
    assert kept.storage is not None and kept.storage.size == "2Gi"


def test_enabled_must_be_a_bool() -> None:
    """A non-bool enabled is named in the error."""
    with pytest.raises(PairArgumentError, match=r"storage.enabled='no' must be True or False"):
        validate("db", with_(storage={"enabled": "no"}))


def test_a_command_probe_needs_no_tcp_port() -> None:
    """An exec probe works whatever the ports' protocol."""
    spec = validate(
        "dns",
        with_(
            ports=[{"name": "dns", "port": 53, "protocol": "UDP"}],
            readiness_probe={"command": ["dig", "@127.0.0.1", "health.check"]},
        ),
    )
    assert spec.readiness_probe is not None
    assert spec.readiness_probe.command == ("dig", "@127.0.0.1", "health.check")
    assert spec.liveness_probe is None
