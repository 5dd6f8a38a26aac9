"""StatefulServicePair under Kubernetes-emulating mocks: objects, wiring and DNS outputs."""

from typing import Any

import pulumi
import pulumi_kubernetes as k8s
import pytest
from stateful_service_pair import TYPE_TOKEN, StatefulServicePair
from stateful_service_pair._preview import unknown
from stateful_service_pair._validation import PairArgumentError
from stateful_service_pair.testing import KubernetesMocks, use_kubernetes_mocks

from .helpers import (
    ETCD_ARGS,
    ETCD_CLIENT_SERVICE_DNS,
    ETCD_POD_DNS_NAMES,
    ETCD_SRV_RECORDS,
    KAFKA_ARGS,
    assert_kafka_pair_wiring,
    by_kind_and_name,
    manifest,
)

MYSQL: dict[str, Any] = {"image": "mysql:8.0", "ports": [{"name": "mysql", "port": 3306}]}
CACHE: dict[str, Any] = {"image": "redis:7.4", "ports": [{"name": "redis", "port": 6379}]}


def container(mocks: KubernetesMocks, name: str = "mysql") -> dict[str, Any]:
    template = manifest(mocks, "StatefulSet", name)["spec"]["template"]
    containers: list[dict[str, Any]] = template["spec"]["containers"]
    return containers[0]


def test_default_pair_creates_exactly_its_four_objects(mocks: KubernetesMocks) -> None:
    """A default pair is a StatefulSet, two Services and a PDB, all in one namespace."""

    @pulumi.runtime.test
    async def run() -> None:
        StatefulServicePair("mysql", MYSQL)

    run()
    assert sorted((o.kind, o.namespace, o.name, o.logical_name) for o in mocks.objects) == [
        ("PodDisruptionBudget", "default", "mysql", "mysql-pdb"),
        ("Service", "default", "mysql", "mysql-client"),
        ("Service", "default", "mysql-headless", "mysql-headless"),
        ("StatefulSet", "default", "mysql", "mysql-statefulset"),
    ]


def test_children_are_parented_to_the_component(mocks: KubernetesMocks) -> None:
    """Every child's URN sits under the component's type token."""

    @pulumi.runtime.test
    async def run() -> None:
        StatefulServicePair("mysql", MYSQL)

    run()
    from pulumi.runtime.settings import SETTINGS

    urns = sorted(SETTINGS.monitor.get_registered_resources())
    # Like the engine, the monitor qualifies a child's type with its parent's type.
    assert urns == sorted(
        [
            f"urn:pulumi:stack::project::{TYPE_TOKEN}::mysql",
            f"urn:pulumi:stack::project::{TYPE_TOKEN}$kubernetes:apps/v1:StatefulSet::mysql-statefulset",
            f"urn:pulumi:stack::project::{TYPE_TOKEN}$kubernetes:core/v1:Service::mysql-client",
            f"urn:pulumi:stack::project::{TYPE_TOKEN}$kubernetes:core/v1:Service::mysql-headless",
            f"urn:pulumi:stack::project::{TYPE_TOKEN}$kubernetes:policy/v1:PodDisruptionBudget::mysql-pdb",
        ]
    )


def test_wiring_cannot_disagree(mocks: KubernetesMocks) -> None:
    """serviceName, selectors, target ports and namespace all line up."""

    @pulumi.runtime.test
    async def run() -> None:
        StatefulServicePair("kafka", KAFKA_ARGS)

    run()
    assert_kafka_pair_wiring(mocks)


def test_dns_outputs_default(mocks: KubernetesMocks) -> None:
    """Per-Pod, Service and SRV names with the default domain and namespace."""

    @pulumi.runtime.test
    async def run() -> None:
        pair = StatefulServicePair("mysql", {**MYSQL, "replicas": 3})
        assert await pair.pod_names.future() == ["mysql-0", "mysql-1", "mysql-2"]
        assert await pair.pod_dns_names.future() == [
            "mysql-0.mysql-headless.default.svc.cluster.local",
            "mysql-1.mysql-headless.default.svc.cluster.local",
            "mysql-2.mysql-headless.default.svc.cluster.local",
        ]
        assert (
            await pair.headless_service_dns.future() == "mysql-headless.default.svc.cluster.local"
        )
        assert await pair.client_service_dns.future() == "mysql.default.svc.cluster.local"
        assert await pair.srv_records.future() == {
            "mysql": "_mysql._tcp.mysql-headless.default.svc.cluster.local"
        }
        assert await pair.namespace.future() == "default"

    run()


def test_dns_outputs_honour_domain_ordinals_names_and_namespace(mocks: KubernetesMocks) -> None:
    """Custom cluster domain, ordinals start, object names and namespace reach every DNS name."""

    @pulumi.runtime.test
    async def run() -> None:
        pair = StatefulServicePair("etcd", ETCD_ARGS)
        assert await pair.pod_dns_names.future() == ETCD_POD_DNS_NAMES
        assert await pair.client_service_dns.future() == ETCD_CLIENT_SERVICE_DNS
        assert await pair.srv_records.future() == ETCD_SRV_RECORDS

    run()
    assert manifest(mocks, "StatefulSet", "member")["spec"]["ordinals"] == {"start": 1}


def test_without_a_namespace_the_objects_and_outputs_say_default(
    mocks: KubernetesMocks,
) -> None:
    """No namespace anywhere: the provider puts the objects in `default` and every DNS name
    says `default`, never `None`."""

    @pulumi.runtime.test
    async def run() -> None:
        pair = StatefulServicePair("cache", CACHE)
        assert await pair.namespace.future() == "default"
        assert await pair.pod_dns_names.future() == [
            "cache-0.cache-headless.default.svc.cluster.local"
        ]
        assert await pair.client_service_dns.future() == "cache.default.svc.cluster.local"

    run()
    assert [o.manifest["metadata"].get("namespace") for o in mocks.objects] == ["default"] * 4
    assert {o.namespace for o in mocks.objects} == {"default"}


def test_the_default_providers_configured_namespace_reaches_outputs() -> None:
    """`kubernetes:namespace` in the stack config is the default provider's namespace."""
    mocks, _ = use_kubernetes_mocks(
        default_namespace="team-a", config={"kubernetes:namespace": "team-a"}
    )

    @pulumi.runtime.test
    async def run() -> None:
        pair = StatefulServicePair("cache", CACHE)
        assert await pair.pod_dns_names.future() == [
            "cache-0.cache-headless.team-a.svc.cluster.local"
        ]
        assert await pair.headless_service_dns.future() == "cache-headless.team-a.svc.cluster.local"

    run()
    assert {o.namespace for o in mocks.objects} == {"team-a"}


@pytest.mark.parametrize("route", ["provider", "providers", "parent"])
def test_an_explicit_provider_needs_the_namespace_argument(
    mocks: KubernetesMocks, route: str
) -> None:
    """The pair cannot read an explicit provider's namespace, so it asks for `namespace`."""

    @pulumi.runtime.test
    async def run() -> None:
        provider = k8s.Provider("team-a", namespace="team-a")
        options = {
            "provider": pulumi.ResourceOptions(provider=provider),
            "providers": pulumi.ResourceOptions(providers=[provider]),
            "parent": pulumi.ResourceOptions(
                parent=pulumi.ComponentResource(
                    "platform:index:Team", "team", None, pulumi.ResourceOptions(provider=provider)
                )
            ),
        }
        StatefulServicePair("cache", CACHE, opts=options[route])

    with pytest.raises(PairArgumentError) as caught:
        run()
    assert (caught.value.argument, caught.value.value) == ("namespace", None)
    assert "explicit Kubernetes provider" in caught.value.rule
    assert mocks.objects == []


def test_an_explicit_provider_with_the_namespace_argument_deploys(mocks: KubernetesMocks) -> None:
    """With `namespace` given, an explicit provider is fine and the names use it."""

    @pulumi.runtime.test
    async def run() -> None:
        provider = k8s.Provider("team-a", namespace="team-a")
        pair = StatefulServicePair(
            "cache",
            {**CACHE, "namespace": "team-a"},
            opts=pulumi.ResourceOptions(provider=provider),
        )
        assert await pair.client_service_dns.future() == "cache.team-a.svc.cluster.local"

    run()
    assert {obj.namespace for obj in mocks.objects} == {"team-a"}


def test_replicas_as_an_output(mocks: KubernetesMocks) -> None:
    """replicas may be an Output; pod names follow its resolved value."""

    @pulumi.runtime.test
    async def run() -> None:
        pair = StatefulServicePair("db", {**MYSQL, "replicas": pulumi.Output.from_input(2)})
        assert await pair.pod_names.future() == ["db-0", "db-1"]

    run()
    assert manifest(mocks, "StatefulSet", "db")["spec"]["replicas"] == 2


def test_replicas_output_is_checked_when_it_resolves(mocks: KubernetesMocks) -> None:
    """A bad replicas Output fails the program with the same rule as a plain value."""

    @pulumi.runtime.test
    async def run() -> None:
        pair = StatefulServicePair("db", {**MYSQL, "replicas": pulumi.Output.from_input(-2)})
        await pair.pod_names.future()

    # The SDK wraps errors raised while serializing inputs; the message survives.
    with pytest.raises(PairArgumentError, match=r"replicas=-2 must be between 0 and 10000"):
        run()


def test_namespace_output_is_checked_when_it_resolves(mocks: KubernetesMocks) -> None:
    """A namespace Output that is not a DNS label fails when it resolves."""

    @pulumi.runtime.test
    async def run() -> None:
        pair = StatefulServicePair("db", {**MYSQL, "namespace": pulumi.Output.from_input("Prod")})
        await pair.namespace.future()

    with pytest.raises(PairArgumentError, match=r"namespace='Prod' must be an RFC 1123 label"):
        run()


def test_two_pairs_in_one_stack_share_an_explicit_provider(mocks: KubernetesMocks) -> None:
    """Two pairs with a provider in opts: eight distinct objects, each through that provider."""

    @pulumi.runtime.test
    async def run() -> None:
        provider = k8s.Provider("cluster", namespace="apps")
        opts = pulumi.ResourceOptions(provider=provider)
        first = StatefulServicePair("users", {**MYSQL, "namespace": "apps"}, opts=opts)
        second = StatefulServicePair("orders", {**MYSQL, "namespace": "apps"}, opts=opts)
        assert await first.client_service_dns.future() == "users.apps.svc.cluster.local"
        assert await second.client_service_dns.future() == "orders.apps.svc.cluster.local"

    run()
    assert sorted((o.kind, o.name) for o in mocks.objects) == [
        ("PodDisruptionBudget", "orders"),
        ("PodDisruptionBudget", "users"),
        ("Service", "orders"),
        ("Service", "orders-headless"),
        ("Service", "users"),
        ("Service", "users-headless"),
        ("StatefulSet", "orders"),
        ("StatefulSet", "users"),
    ]
    assert {o.namespace for o in mocks.objects} == {"apps"}


def test_two_pairs_with_clashing_object_names_fail_like_the_api_server(
    mocks: KubernetesMocks,
) -> None:
    """Two pairs that would create the same Service fail instead of silently overwriting."""

    @pulumi.runtime.test
    async def run() -> None:
        StatefulServicePair("a", {**MYSQL, "client_service_name": "db"})
        StatefulServicePair("b", {**MYSQL, "client_service_name": "db"})

    with pytest.raises(Exception, match=r'services "db" already exists in namespace "default"'):
        run()


def test_bad_input_registers_nothing(mocks: KubernetesMocks) -> None:
    """Validation fails before the component or any child is registered."""

    @pulumi.runtime.test
    async def run() -> None:
        StatefulServicePair("db", {**MYSQL, "replica": 2})

    with pytest.raises(PairArgumentError, match=r"did you mean 'replicas'"):
        run()
    from pulumi.runtime.settings import SETTINGS

    assert SETTINGS.monitor.get_registered_resources() == {}


def test_pod_security_defaults(mocks: KubernetesMocks) -> None:
    """Pods run non-root, unprivileged, with RuntimeDefault seccomp and no API token."""

    @pulumi.runtime.test
    async def run() -> None:
        StatefulServicePair("mysql", MYSQL)

    run()
    pod = manifest(mocks, "StatefulSet", "mysql")["spec"]["template"]["spec"]
    assert pod["automountServiceAccountToken"] is False
    assert pod["securityContext"] == {
        "runAsNonRoot": True,
        "runAsUser": 10001,
        "runAsGroup": 10001,
        "fsGroup": 10001,
        "fsGroupChangePolicy": "OnRootMismatch",
        "seccompProfile": {"type": "RuntimeDefault"},
    }
    main = container(mocks)
    assert main["securityContext"] == {
        "allowPrivilegeEscalation": False,
        "privileged": False,
        "readOnlyRootFilesystem": True,
        "runAsNonRoot": True,
        "runAsUser": 10001,
        "runAsGroup": 10001,
        "capabilities": {"drop": ["ALL"]},
        "seccompProfile": {"type": "RuntimeDefault"},
    }
    assert main["imagePullPolicy"] == "Always"
    assert main["resources"] == {
        "requests": {"cpu": "100m", "memory": "256Mi"},
        "limits": {"cpu": "1", "memory": "512Mi"},
    }


def test_probe_defaults_target_the_first_port(mocks: KubernetesMocks) -> None:
    """Readiness and liveness probe the first port over TCP; no startup probe."""

    @pulumi.runtime.test
    async def run() -> None:
        StatefulServicePair(
            "mysql", {**MYSQL, "ports": [*MYSQL["ports"], {"name": "admin", "port": 33062}]}
        )

    run()
    main = container(mocks)
    assert main["readinessProbe"] == {
        "tcpSocket": {"port": "mysql"},
        "periodSeconds": 10,
        "timeoutSeconds": 1,
        "failureThreshold": 3,
        "successThreshold": 1,
    }
    assert main["livenessProbe"] == {
        "tcpSocket": {"port": "mysql"},
        "initialDelaySeconds": 30,
        "periodSeconds": 10,
        "timeoutSeconds": 1,
        "failureThreshold": 6,
        "successThreshold": 1,
    }
    assert "startupProbe" not in main


def test_probe_overrides(mocks: KubernetesMocks) -> None:
    """Probes switch to HTTP or exec, another port, or off."""

    @pulumi.runtime.test
    async def run() -> None:
        StatefulServicePair(
            "web",
            {
                "image": "nginx:1.27",
                "ports": [
                    {"name": "http", "port": 80, "target_port": 8080},
                    {"name": "ops", "port": 9000},
                ],
                "readiness_probe": {"port": "ops", "http_path": "/ready", "period_seconds": 5},
                "liveness_probe": None,
                "startup_probe": {"command": ["/bin/check"], "failure_threshold": 30},
            },
        )

    run()
    main = container(mocks, "web")
    assert main["readinessProbe"]["httpGet"] == {"path": "/ready", "port": "ops"}
    assert main["readinessProbe"]["periodSeconds"] == 5
    assert "livenessProbe" not in main
    assert main["startupProbe"]["exec"] == {"command": ["/bin/check"]}
    assert main["startupProbe"]["failureThreshold"] == 30


def test_storage_defaults_keep_data(mocks: KubernetesMocks) -> None:
    """One claim template named 'data', 1Gi, mounted at /data, retained on delete and scale."""

    @pulumi.runtime.test
    async def run() -> None:
        StatefulServicePair("mysql", {**MYSQL, "labels": {"team": "db"}})

    run()
    spec = manifest(mocks, "StatefulSet", "mysql")["spec"]
    assert spec["volumeClaimTemplates"] == [
        {
            "metadata": {"name": "data"},
            "spec": {
                "accessModes": ["ReadWriteOnce"],
                "resources": {"requests": {"storage": "1Gi"}},
            },
        }
    ]
    assert spec["persistentVolumeClaimRetentionPolicy"] == {
        "whenDeleted": "Retain",
        "whenScaled": "Retain",
    }
    assert container(mocks)["volumeMounts"] == [
        {"name": "data", "mountPath": "/data"},
        {"name": "scratch-0", "mountPath": "/tmp"},
    ]
    assert spec["template"]["spec"]["volumes"] == [{"name": "scratch-0", "emptyDir": {}}]


def test_storage_overrides_and_opt_out(mocks: KubernetesMocks) -> None:
    """Size, class, mount path and retention are configurable; None removes storage."""

    @pulumi.runtime.test
    async def run() -> None:
        StatefulServicePair(
            "pg",
            {
                "image": "postgres:17",
                "ports": [{"name": "pg", "port": 5432}],
                "storage": {
                    "size": "20Gi",
                    "storage_class_name": "fast-ssd",
                    "mount_path": "/var/lib/postgresql/data",
                    "when_scaled": "Delete",
                },
            },
        )
        StatefulServicePair("tmp", {**MYSQL, "storage": None, "writable_paths": []})

    run()
    pg = manifest(mocks, "StatefulSet", "pg")["spec"]
    assert pg["volumeClaimTemplates"][0]["spec"] == {
        "accessModes": ["ReadWriteOnce"],
        "storageClassName": "fast-ssd",
        "resources": {"requests": {"storage": "20Gi"}},
    }
    assert pg["persistentVolumeClaimRetentionPolicy"] == {
        "whenDeleted": "Retain",
        "whenScaled": "Delete",
    }
    assert container(mocks, "pg")["volumeMounts"][0] == {
        "name": "data",
        "mountPath": "/var/lib/postgresql/data",
    }
    tmp = manifest(mocks, "StatefulSet", "tmp")["spec"]
    assert "volumeClaimTemplates" not in tmp
    assert "persistentVolumeClaimRetentionPolicy" not in tmp
    assert "volumeMounts" not in container(mocks, "tmp")
    assert "volumes" not in tmp["template"]["spec"]


def test_statefulset_and_service_overrides(mocks: KubernetesMocks) -> None:
    """Pod management, update strategy, headless publishing and client traffic settings."""

    @pulumi.runtime.test
    async def run() -> None:
        StatefulServicePair(
            "etcd",
            {
                "image": "quay.io/coreos/etcd:v3.5.17",
                "ports": [{"name": "client", "port": 2379}],
                "pod_management_policy": "Parallel",
                "rolling_update_partition": 2,
                "min_ready_seconds": 10,
                "publish_not_ready_addresses": False,
                "session_affinity": "ClientIP",
                "session_affinity_timeout_seconds": 600,
                "internal_traffic_policy": "Local",
                "traffic_distribution": "PreferClose",
                "pod_disruption_budget": False,
                "skip_await": True,
            },
        )

    run()
    sts = manifest(mocks, "StatefulSet", "etcd")
    assert sts["metadata"]["annotations"] == {"pulumi.com/skipAwait": "true"}
    # The client Service waits for endpoints, i.e. Ready Pods: it must not wait either.
    client_meta = manifest(mocks, "Service", "etcd")["metadata"]
    assert client_meta["annotations"] == {"pulumi.com/skipAwait": "true"}
    assert "annotations" not in manifest(mocks, "Service", "etcd-headless")["metadata"]
    assert sts["spec"]["podManagementPolicy"] == "Parallel"
    assert sts["spec"]["updateStrategy"] == {
        "type": "RollingUpdate",
        "rollingUpdate": {"partition": 2},
    }
    assert sts["spec"]["minReadySeconds"] == 10
    assert manifest(mocks, "Service", "etcd-headless")["spec"]["publishNotReadyAddresses"] is False
    client = manifest(mocks, "Service", "etcd")["spec"]
    assert client["sessionAffinity"] == "ClientIP"
    assert client["sessionAffinityConfig"] == {"clientIP": {"timeoutSeconds": 600}}
    assert client["internalTrafficPolicy"] == "Local"
    assert client["trafficDistribution"] == "PreferClose"
    assert ("PodDisruptionBudget", "etcd") not in by_kind_and_name(mocks)


def test_service_defaults_publish_not_ready_peers_only(mocks: KubernetesMocks) -> None:
    """The headless Service publishes unready peers; the client Service has no such setting."""

    @pulumi.runtime.test
    async def run() -> None:
        StatefulServicePair("mysql", MYSQL)

    run()
    assert manifest(mocks, "Service", "mysql-headless")["spec"]["publishNotReadyAddresses"] is True
    client = manifest(mocks, "Service", "mysql")["spec"]
    assert "publishNotReadyAddresses" not in client
    assert client["sessionAffinity"] == "None"
    pdb = manifest(mocks, "PodDisruptionBudget", "mysql")["spec"]
    assert pdb["maxUnavailable"] == 1


def test_container_overrides(mocks: KubernetesMocks) -> None:
    """Command, args, env, secret env, envFrom, resources and security settings."""

    @pulumi.runtime.test
    async def run() -> None:
        StatefulServicePair(
            "app",
            {
                "image": "ghcr.io/example/app@sha256:" + "a" * 64,
                "ports": [{"name": "http", "port": 8080}],
                "command": ["/app"],
                "args": ["--port", "8080"],
                "env": {"MODE": "primary", "URL": "http://$(MODE)"},
                "secret_env": {"DB_PASSWORD": {"secret_name": "db-credentials", "key": "password"}},
                "env_from": [
                    {"config_map_name": "app-config", "prefix": "CFG_"},
                    {"secret_name": "tokens"},
                ],
                "resources": {"requests": {"cpu": "2", "memory": "4Gi"}, "limits": {}},
                "image_pull_policy": "IfNotPresent",
                "image_pull_secrets": ["registry"],
                "run_as_user": None,
                "run_as_group": None,
                "fs_group": None,
                "read_only_root_filesystem": False,
                "automount_service_account_token": True,
                "service_account_name": "app",
                "annotations": {"owner": "platform"},
                "pod_annotations": {"prometheus.io/scrape": "true"},
            },
        )

    run()
    main = container(mocks, "app")
    assert (main["command"], main["args"]) == (["/app"], ["--port", "8080"])
    assert main["env"] == [
        {"name": "MODE", "value": "primary"},
        {"name": "URL", "value": "http://$(MODE)"},
        {
            "name": "DB_PASSWORD",
            "valueFrom": {"secretKeyRef": {"name": "db-credentials", "key": "password"}},
        },
    ]
    assert main["envFrom"] == [
        {"configMapRef": {"name": "app-config"}, "prefix": "CFG_"},
        {"secretRef": {"name": "tokens"}},
    ]
    assert main["resources"] == {"requests": {"cpu": "2", "memory": "4Gi"}}
    assert main["imagePullPolicy"] == "IfNotPresent"
    assert main["securityContext"]["readOnlyRootFilesystem"] is False
    assert "runAsUser" not in main["securityContext"]
    sts = manifest(mocks, "StatefulSet", "app")
    pod = sts["spec"]["template"]["spec"]
    assert pod["securityContext"] == {
        "runAsNonRoot": True,
        "seccompProfile": {"type": "RuntimeDefault"},
    }
    assert pod["automountServiceAccountToken"] is True
    assert pod["serviceAccountName"] == "app"
    assert pod["imagePullSecrets"] == [{"name": "registry"}]
    assert sts["spec"]["template"]["metadata"]["annotations"] == {"prometheus.io/scrape": "true"}
    for obj in mocks.objects:
        assert obj.manifest["metadata"]["annotations"] == {"owner": "platform"}


def test_extra_pod_and_container_fields(mocks: KubernetesMocks) -> None:
    """Extra fields in pulumi_kubernetes types: lists add to the pair's own, others replace."""

    @pulumi.runtime.test
    async def run() -> None:
        StatefulServicePair(
            "mysql",
            {
                **MYSQL,
                "extra_pod_spec": {
                    "tolerations": [k8s.core.v1.TolerationArgs(key="db", operator="Exists")],
                    "nodeSelector": {"disk": "ssd"},
                    "volumes": [k8s.core.v1.VolumeArgs(name="run", empty_dir={})],
                    "containers": [k8s.core.v1.ContainerArgs(name="exporter", image="exporter:1")],
                    "termination_grace_period_seconds": 120,
                },
                "extra_container_spec": {
                    "volume_mounts": [k8s.core.v1.VolumeMountArgs(name="run", mount_path="/run")],
                    "working_dir": "/data",
                },
            },
        )

    run()
    pod = manifest(mocks, "StatefulSet", "mysql")["spec"]["template"]["spec"]
    assert pod["tolerations"] == [{"key": "db", "operator": "Exists"}]
    assert pod["nodeSelector"] == {"disk": "ssd"}
    assert pod["terminationGracePeriodSeconds"] == 120
    assert [v["name"] for v in pod["volumes"]] == ["scratch-0", "run"]
    assert [c["name"] for c in pod["containers"]] == ["mysql", "exporter"]
    main = pod["containers"][0]
    assert [m["mountPath"] for m in main["volumeMounts"]] == ["/data", "/tmp", "/run"]
    assert main["workingDir"] == "/data"


def test_a_pulumi_secret_in_plain_env_is_refused(mocks: KubernetesMocks) -> None:
    """A secret Output in env would be plain text in the StatefulSet, so it fails."""

    @pulumi.runtime.test
    async def run() -> None:
        pair = StatefulServicePair(
            "db", {**MYSQL, "env": {"MYSQL_ROOT_PASSWORD": pulumi.Output.secret("hunter2")}}
        )
        await pair.pod_names.future()

    with pytest.raises(PairArgumentError) as caught:
        run()
    assert "env['MYSQL_ROOT_PASSWORD']='[secret]' is a Pulumi secret" in str(caught.value)
    assert "hunter2" not in str(caught.value)
    assert mocks.objects == []


def test_a_plain_output_in_env_is_accepted(mocks: KubernetesMocks) -> None:
    """A non-secret Output in env is passed through as a value."""

    @pulumi.runtime.test
    async def run() -> None:
        StatefulServicePair("db", {**MYSQL, "env": {"PRIMARY": pulumi.Output.from_input("db-0")}})

    run()
    assert container(mocks, "db")["env"] == [{"name": "PRIMARY", "value": "db-0"}]


def test_await_timeout_reaches_the_awaited_objects(mocks: KubernetesMocks) -> None:
    """await_timeout_seconds sets pulumi.com/timeoutSeconds where pulumi up waits; default none."""

    @pulumi.runtime.test
    async def run() -> None:
        StatefulServicePair("slow", {**MYSQL, "await_timeout_seconds": 1800})
        StatefulServicePair("fast", MYSQL)

    run()
    for kind, name in (("StatefulSet", "slow"), ("Service", "slow")):
        annotations = manifest(mocks, kind, name)["metadata"]["annotations"]
        assert annotations == {"pulumi.com/timeoutSeconds": "1800"}
    for kind, name in (("StatefulSet", "fast"), ("Service", "fast")):
        assert "annotations" not in manifest(mocks, kind, name)["metadata"]


def test_default_probes_skip_udp_ports(mocks: KubernetesMocks) -> None:
    """Default probes use the first TCP port; with only UDP ports there is no default probe."""

    @pulumi.runtime.test
    async def run() -> None:
        StatefulServicePair(
            "dns",
            {
                "image": "coredns/coredns:1.12.0",
                "ports": [
                    {"name": "dns", "port": 53, "protocol": "UDP"},
                    {"name": "dns-tcp", "port": 53},
                ],
            },
        )
        StatefulServicePair(
            "gossip",
            {"image": "gossip:1", "ports": [{"name": "gossip", "port": 7946, "protocol": "UDP"}]},
        )

    run()
    dns = container(mocks, "dns")
    assert dns["readinessProbe"]["tcpSocket"] == {"port": "dns-tcp"}
    assert dns["livenessProbe"]["tcpSocket"] == {"port": "dns-tcp"}
    gossip = container(mocks, "gossip")
    assert "readinessProbe" not in gossip and "livenessProbe" not in gossip


def test_outputs_stay_known_when_unrelated_inputs_are_unknown(mocks: KubernetesMocks) -> None:
    """An unknown image, env value or extra field leaves every name output known and plain."""

    @pulumi.runtime.test
    async def run() -> None:
        pair = StatefulServicePair(
            "db",
            {
                **MYSQL,
                "replicas": 2,
                "image": unknown(),
                "env": {"PEER": unknown()},
                "extra_pod_spec": {"priority_class_name": unknown()},
            },
        )
        outputs = {
            "pod_names": pair.pod_names,
            "pod_dns_names": pair.pod_dns_names,
            "peer_endpoints": pair.peer_endpoints,
            "primary_dns_name": pair.primary_dns_name,
            "members": pair.members("mysql"),
            "headless_service_dns": pair.headless_service_dns,
            "client_service_dns": pair.client_service_dns,
            "srv_records": pair.srv_records,
            "namespace": pair.namespace,
        }
        for name, output in outputs.items():
            assert await output.is_known(), name
            assert not await output.is_secret(), name
        assert await pair.pod_dns_names.future() == [
            "db-0.db-headless.default.svc.cluster.local",
            "db-1.db-headless.default.svc.cluster.local",
        ]
        assert await pair.members("mysql").future() == (
            "db-0.db-headless.default.svc.cluster.local:3306,"
            "db-1.db-headless.default.svc.cluster.local:3306"
        )

    run()


def test_each_output_depends_only_on_the_arguments_it_needs(mocks: KubernetesMocks) -> None:
    """A secret replica count makes the Pod outputs secret, not the Services' DNS names."""

    @pulumi.runtime.test
    async def run() -> None:
        pair = StatefulServicePair("db", {**MYSQL, "replicas": pulumi.Output.secret(2)})
        for output in (pair.headless_service_dns, pair.client_service_dns, pair.srv_records):
            assert not await output.is_secret()
        assert await pair.pod_names.is_secret()
        assert await pair.pod_names.future() == ["db-0", "db-1"]

    run()


def test_at_a_preview_name_and_claim_outputs_stay_known_while_the_statefulset_is_unknown(
    mocks: KubernetesMocks, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As in a real preview, an unknown image makes the StatefulSet's whole spec unknown;
    every name output and the claim lists are still known (they read only the pair's own
    fields)."""
    from pulumi.runtime import settings

    monkeypatch.setattr(settings.SETTINGS, "dry_run", True)

    @pulumi.runtime.test
    async def run() -> None:
        pair = StatefulServicePair("db", {**MYSQL, "replicas": 2, "image": unknown()})
        assert not await pair.stateful_set.spec.is_known()
        for name in (
            "pod_names",
            "pod_dns_names",
            "peer_endpoints",
            "primary_dns_name",
            "persistent_volume_claims",
            "claims_by_template",
            "pod_short_dns_names",
            "tls_dns_names",
            "srv_records",
        ):
            assert await getattr(pair, name).is_known(), name
        assert await pair.persistent_volume_claims.future() == ["data-db-0", "data-db-1"]

    run()
