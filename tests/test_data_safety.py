"""NetworkPolicy, storage changes, protect and secrets: the pair keeps data and traffic safe."""

from decimal import Decimal
from typing import Any

import pulumi
import pulumi_kubernetes as k8s
import pytest
from stateful_service_pair import PairArgumentError, StatefulServicePair
from stateful_service_pair._storage import quantity_value
from stateful_service_pair.testing import InvalidObjectError, KubernetesMocks, use_kubernetes_mocks

from .helpers import DeployedEarlier, by_kind_and_name, manifest

MYSQL: dict[str, Any] = {"image": "mysql:8.0", "ports": [{"name": "mysql", "port": 3306}]}


def test_network_policy_admits_exactly_peers_and_named_clients(mocks: KubernetesMocks) -> None:
    """The policy selects the pair's Pods and admits its own Pods plus the configured clients."""

    @pulumi.runtime.test
    async def run() -> None:
        StatefulServicePair(
            "mysql",
            {
                **MYSQL,
                "ports": [*MYSQL["ports"], {"name": "xproto", "port": 33060}],
                "network_policy": {
                    "allowed_clients": [
                        {"pod_labels": {"app": "api"}},
                        {"namespace_labels": {"team": "analytics"}},
                        {"pod_labels": {"app": "backup"}, "namespace_labels": {"team": "ops"}},
                    ]
                },
            },
        )

    run()
    policy = manifest(mocks, "NetworkPolicy", "mysql")
    assert by_kind_and_name(mocks)[("NetworkPolicy", "mysql")].namespace == "default"
    assert policy["spec"] == {
        "podSelector": {"matchLabels": {"stateful-service-pair/statefulset": "mysql"}},
        "policyTypes": ["Ingress"],
        "ingress": [
            {
                "from": [
                    {
                        "podSelector": {
                            "matchLabels": {"stateful-service-pair/statefulset": "mysql"}
                        }
                    },
                    {"podSelector": {"matchLabels": {"app": "api"}}},
                    {"namespaceSelector": {"matchLabels": {"team": "analytics"}}},
                    {
                        "podSelector": {"matchLabels": {"app": "backup"}},
                        "namespaceSelector": {"matchLabels": {"team": "ops"}},
                    },
                ],
                "ports": [
                    {"port": "mysql", "protocol": "TCP"},
                    {"port": "xproto", "protocol": "TCP"},
                ],
            }
        ],
    }
    # The policy's pod selector is exactly the StatefulSet's selector.
    sts = manifest(mocks, "StatefulSet", "mysql")
    assert policy["spec"]["podSelector"] == sts["spec"]["selector"]


def test_network_policy_can_restrict_egress(mocks: KubernetesMocks) -> None:
    """restrict_egress allows only peers on the pair's ports and DNS."""

    @pulumi.runtime.test
    async def run() -> None:
        StatefulServicePair("mysql", {**MYSQL, "network_policy": {"restrict_egress": True}})

    run()
    spec = manifest(mocks, "NetworkPolicy", "mysql")["spec"]
    assert spec["policyTypes"] == ["Ingress", "Egress"]
    assert spec["ingress"][0]["from"] == [
        {"podSelector": {"matchLabels": {"stateful-service-pair/statefulset": "mysql"}}}
    ]
    assert spec["egress"] == [
        {
            "to": [
                {"podSelector": {"matchLabels": {"stateful-service-pair/statefulset": "mysql"}}}
            ],
            "ports": [{"port": "mysql", "protocol": "TCP"}],
        },
        {"ports": [{"port": 53, "protocol": "UDP"}, {"port": 53, "protocol": "TCP"}]},
    ]


def test_no_network_policy_by_default(mocks: KubernetesMocks) -> None:
    """Without network_policy the pair leaves traffic rules to the namespace."""

    @pulumi.runtime.test
    async def run() -> None:
        StatefulServicePair("mysql", MYSQL)

    run()
    assert "NetworkPolicy" not in {kind for kind, _ in by_kind_and_name(mocks)}


def claim_template(size: str, storage_class: str | None = None) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "accessModes": ["ReadWriteOnce"],
        "resources": {"requests": {"storage": size}},
    }
    if storage_class:
        spec["storageClassName"] = storage_class
    return {"metadata": {"name": "data"}, "spec": spec}


def run_against_deployed(deployed: list[dict[str, Any]], storage: Any) -> list[str]:
    _, monitor = use_kubernetes_mocks()
    monitor.mocks = DeployedEarlier(deployed)
    claims: list[str] = []

    @pulumi.runtime.test
    async def run() -> None:
        pair = StatefulServicePair("mysql", {**MYSQL, "replicas": 2, "storage": storage})
        claims.extend(await pair.persistent_volume_claims.future())

    run()
    return claims


@pytest.mark.parametrize(
    ("deployed", "storage", "argument"),
    [
        # The mount follows the new claim name, the kept template has the old one.
        ([claim_template("10Gi")], {"size": "10Gi", "claim_name": "db"}, "storage.claim_name='db'"),
        # The mount needs a claim template the deployed StatefulSet does not have.
        ([], {"size": "10Gi"}, "storage='10Gi'"),
    ],
)
def test_claim_changes_are_refused_by_the_api_server(
    deployed: list[dict[str, Any]], storage: Any, argument: str
) -> None:
    """A new claim name or added storage: the kept (deployed) claim templates lack the claim
    the container now mounts, and the API server refuses the StatefulSet (its Pod template
    validation, seen in `make e2e`) before the pair's drift check could run. Nothing changes.
    """
    with pytest.raises(InvalidObjectError) as caught:
        run_against_deployed(deployed, storage)
    assert 'StatefulSet.apps "mysql" is invalid' in str(caught.value)
    assert "volumeMounts[0].name: Not found" in str(caught.value)


def test_unchanged_storage_lists_the_claims() -> None:
    """When the deployed template matches, the claims are listed in ordinal order."""
    claims = run_against_deployed([claim_template("10Gi")], {"size": "10Gi"})
    assert claims == ["data-mysql-0", "data-mysql-1"]


@pytest.mark.parametrize(
    ("deployed", "storage", "argument"),
    [
        ([claim_template("10Gi")], {"size": "20Gi"}, "storage.size='20Gi'"),
        (
            [claim_template("10Gi", "standard")],
            {"size": "10Gi", "storage_class_name": "fast"},
            "storage.storage_class_name='fast'",
        ),
        (
            [claim_template("10Gi")],
            {"size": "10Gi", "access_modes": ["ReadWriteOncePod"]},
            "storage.access_modes=['ReadWriteOncePod']",
        ),
        ([claim_template("10Gi")], None, "storage=None"),
    ],
)
def test_storage_changes_are_refused_with_the_safe_procedure(
    deployed: list[dict[str, Any]], storage: Any, argument: str
) -> None:
    """A change to the deployed claim template fails and explains how to do it safely."""
    with pytest.raises(PairArgumentError) as caught:
        run_against_deployed(deployed, storage)
    message = str(caught.value)
    assert f"StatefulServicePair 'mysql': {argument}" in message
    assert "--cascade=orphan" in message and "pulumi refresh" in message


def test_a_secret_argument_keeps_outputs_secret(mocks: KubernetesMocks) -> None:
    """A namespace passed as a Pulumi secret makes every DNS output secret too."""

    @pulumi.runtime.test
    async def run() -> None:
        pair = StatefulServicePair("db", {**MYSQL, "namespace": pulumi.Output.secret("payments")})
        assert await pair.pod_dns_names.is_secret()
        assert await pair.client_service_dns.is_secret()
        assert await pair.pod_dns_names.future() == ["db-0.db-headless.payments.svc.cluster.local"]

    run()


def test_outputs_of_plain_arguments_are_not_secret(mocks: KubernetesMocks) -> None:
    """Outputs are secret only when an argument was, so the check above can fail."""

    @pulumi.runtime.test
    async def run() -> None:
        pair = StatefulServicePair("db", {**MYSQL, "namespace": "payments"})
        assert not await pair.pod_dns_names.is_secret()

    run()


def test_a_respelled_size_is_not_a_change() -> None:
    """The API server stores 0.5Gi as 512Mi; that is the same size, so nothing is refused."""
    claims = run_against_deployed([claim_template("512Mi")], {"size": "0.5Gi"})
    assert claims == ["data-mysql-0", "data-mysql-1"]


@pytest.mark.parametrize(
    ("quantity", "value"),
    [
        ("1Gi", 1024**3),
        ("512Mi", 512 * 1024**2),
        ("0.5Gi", 512 * 1024**2),
        ("1G", 10**9),
        ("100m", Decimal("0.1")),
        ("1e3", 1000),
        ("2", 2),
    ],
)
def test_quantity_values(quantity: str, value: Decimal | int) -> None:
    """Quantities are compared by the number they stand for."""
    assert quantity_value(quantity) == value


@pytest.mark.parametrize(
    "route",
    ["image", "extra_container_spec", "extra_pod_spec"],
)
def test_a_secret_cannot_reach_the_pod_spec_by_any_route(
    mocks: KubernetesMocks, route: str
) -> None:
    """A Pulumi secret in the image, an extra env entry or a sidecar is refused, unprinted."""
    secret = pulumi.Output.secret("hunter2")
    routes: dict[str, dict[str, Any]] = {
        "image": {"image": secret},
        "extra_container_spec": {
            "extra_container_spec": {"env": [k8s.core.v1.EnvVarArgs(name="PW", value=secret)]}
        },
        "extra_pod_spec": {
            "extra_pod_spec": {
                "containers": [
                    k8s.core.v1.ContainerArgs(
                        name="agent",
                        image="agent:1",
                        env=[k8s.core.v1.EnvVarArgs(name="TOKEN", value=secret)],
                    )
                ]
            }
        },
    }

    @pulumi.runtime.test
    async def run() -> None:
        pair = StatefulServicePair("db", {**MYSQL, **routes[route]})
        await pair.pod_names.future()

    with pytest.raises(PairArgumentError) as caught:
        run()
    message = str(caught.value)
    assert (
        "image, extra_container_spec, extra_pod_spec or pod_annotations='[secret]' "
        "holds a Pulumi secret" in message
    )
    assert "hunter2" not in message
    # Refused before anything registered: no Service or PDB is left half-created.
    assert mocks.objects == []


def test_a_secret_namespace_is_allowed_in_metadata(mocks: KubernetesMocks) -> None:
    """The guard covers the Pod spec only: a secret namespace still deploys."""

    @pulumi.runtime.test
    async def run() -> None:
        StatefulServicePair("db", {**MYSQL, "namespace": pulumi.Output.secret("payments")})

    run()
    assert sorted((obj.kind, obj.namespace, obj.name) for obj in mocks.objects) == [
        ("PodDisruptionBudget", "payments", "db"),
        ("Service", "payments", "db"),
        ("Service", "payments", "db-headless"),
        ("StatefulSet", "payments", "db"),
    ]


def test_an_extra_security_context_overlays_the_hardened_one(mocks: KubernetesMocks) -> None:
    """Extra security_context fields replace only themselves; the other defaults stay."""

    @pulumi.runtime.test
    async def run() -> None:
        StatefulServicePair(
            "db",
            {
                **MYSQL,
                "extra_container_spec": {
                    "security_context": k8s.core.v1.SecurityContextArgs(
                        capabilities=k8s.core.v1.CapabilitiesArgs(
                            drop=["ALL"], add=["NET_BIND_SERVICE"]
                        )
                    )
                },
                "extra_pod_spec": {"securityContext": {"supplementalGroups": [2000]}},
            },
        )

    run()
    pod = by_kind_and_name(mocks)[("StatefulSet", "db")].manifest["spec"]["template"]["spec"]
    assert pod["containers"][0]["securityContext"] == {
        "allowPrivilegeEscalation": False,
        "privileged": False,
        "readOnlyRootFilesystem": True,
        "runAsNonRoot": True,
        "runAsUser": 10001,
        "runAsGroup": 10001,
        "capabilities": {"drop": ["ALL"], "add": ["NET_BIND_SERVICE"]},
        "seccompProfile": {"type": "RuntimeDefault"},
    }
    assert pod["securityContext"] == {
        "runAsNonRoot": True,
        "runAsUser": 10001,
        "runAsGroup": 10001,
        "fsGroup": 10001,
        "fsGroupChangePolicy": "OnRootMismatch",
        "seccompProfile": {"type": "RuntimeDefault"},
        "supplementalGroups": [2000],
    }


def test_one_secret_among_plain_outputs_is_still_refused(mocks: KubernetesMocks) -> None:
    """A plain Output image does not hide a secret in a sidecar: every Output is checked."""

    @pulumi.runtime.test
    async def run() -> None:
        sidecar = k8s.core.v1.ContainerArgs(
            name="agent",
            image="agent:1",
            env=[k8s.core.v1.EnvVarArgs(name="TOKEN", value=pulumi.Output.secret("hunter2"))],
        )
        pair = StatefulServicePair(
            "db",
            {
                **MYSQL,
                "image": pulumi.Output.from_input("mysql:8.4"),
                "extra_pod_spec": {"containers": [sidecar]},
            },
        )
        await pair.pod_names.future()

    with pytest.raises(PairArgumentError, match=r"holds a Pulumi secret"):
        run()
    assert mocks.objects == []


def test_plain_outputs_in_the_pod_spec_pass_the_gate(mocks: KubernetesMocks) -> None:
    """Non-secret Outputs (image, sidecar env) deploy, with their values in the Pod spec."""

    @pulumi.runtime.test
    async def run() -> None:
        sidecar = k8s.core.v1.ContainerArgs(
            name="agent",
            image="agent:1",
            env=[k8s.core.v1.EnvVarArgs(name="MODE", value=pulumi.Output.from_input("fast"))],
        )
        StatefulServicePair(
            "db",
            {
                **MYSQL,
                "image": pulumi.Output.from_input("mysql:8.4"),
                "extra_pod_spec": {"containers": [sidecar]},
            },
        )

    run()
    pod = by_kind_and_name(mocks)[("StatefulSet", "db")].manifest["spec"]["template"]["spec"]
    assert [c["image"] for c in pod["containers"]] == ["mysql:8.4", "agent:1"]
    assert pod["containers"][1]["env"] == [{"name": "MODE", "value": "fast"}]
