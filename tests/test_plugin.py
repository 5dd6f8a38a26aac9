"""The component as other Pulumi languages get it: plugin files, schema and construct.

A TypeScript, Go or YAML program reaches StatefulServicePair through the plugin in provider/:
the engine asks it for its schema (GetSchema) and later calls Construct with the program's
inputs in wire form (camelCase names, numbers as doubles, values of other resources as output
values). These tests make the same calls in-process, against the Kubernetes mocks.
"""

import importlib.metadata
import inspect
import json
import subprocess
import sys
import threading
import typing
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import grpc
import pulumi
import pytest
import yaml
from google.protobuf import empty_pb2, struct_pb2
from pulumi.provider.experimental.util import camel_case
from pulumi.provider.server import ProviderServicer
from pulumi.runtime import rpc, settings
from pulumi.runtime.proto import errors_pb2, provider_pb2, provider_pb2_grpc, status_pb2
from stateful_service_pair import TYPE_TOKEN, StatefulServicePair
from stateful_service_pair._args import StatefulServicePairArgs
from stateful_service_pair._component import PACKAGE_NAME
from stateful_service_pair._plugin import (
    DISTRIBUTION,
    StatefulServicePairProvider,
    schema,
    schema_text,
)
from stateful_service_pair.testing import KubernetesMocks

from .helpers import (
    ETCD_ARGS,
    ETCD_CLIENT_SERVICE_DNS,
    ETCD_POD_DNS_NAMES,
    ETCD_POD_SHORT_DNS_NAMES,
    ETCD_SRV_RECORDS,
    ETCD_TLS_DNS_NAMES,
    KAFKA_ARGS,
    assert_kafka_pair_wiring,
    manifest,
)

PROVIDER_DIR = Path(__file__).resolve().parent.parent / "provider"
# The URN of a resource of the calling program that an input depends on.
OTHER_RESOURCE = "urn:pulumi:stack::project::random:index:RandomInteger::replicas"

Construct = Callable[[str, dict[str, Any]], tuple[str, dict[str, Any]]]


def output_value(value: Any, *, secret: bool = False, dependencies: tuple[str, ...] = ()) -> Any:
    """How the engine sends an input that is an Output in the calling program."""
    wire: dict[str, Any] = {rpc._special_sig_key: rpc._special_output_value_sig, "value": value}
    if secret:
        wire["secret"] = True
    if dependencies:
        wire["dependencies"] = list(dependencies)
    return wire


class AbortedError(Exception):
    """The provider aborted the Construct call with a gRPC status, as it does for bad inputs."""

    def __init__(self, status: grpc.Status) -> None:
        super().__init__(status.details)
        self.status = status

    def property_errors(self) -> list[tuple[str, str]]:
        """(property path, reason) of each InputPropertiesError detail."""
        details = dict(self.status.trailing_metadata)["grpc-status-details-bin"]
        errors = errors_pb2.InputPropertiesError()
        status_pb2.Status.FromString(details).details[0].Unpack(errors)
        return [(error.property_path, error.reason) for error in errors.errors]


class ServicerContext:
    """The part of a grpc.aio.ServicerContext that Construct uses."""

    async def abort_with_status(self, status: grpc.Status) -> None:
        raise AbortedError(status)


@pytest.fixture
def construct(mocks: KubernetesMocks, monkeypatch: pytest.MonkeyPatch) -> Construct:
    """Call the plugin's Construct like the engine does; returns the URN and the outputs."""
    servicer = ProviderServicer(StatefulServicePairProvider(), [], engine_address="")
    # Construct first points the runtime at the engine's monitor (reset_options); here the
    # monitor is the mocks', which the fixture has already installed.
    monkeypatch.setattr(settings, "reset_options", lambda **_: None)

    def run(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        wire = struct_pb2.Struct()
        wire.update(inputs)
        request = provider_pb2.ConstructRequest(name=name, type=TYPE_TOKEN, inputs=wire)
        response: list[provider_pb2.ConstructResponse] = []

        @pulumi.runtime.test
        async def call() -> None:
            response.append(await servicer.Construct(request, ServicerContext()))

        call()
        return response[0].urn, rpc.deserialize_properties(response[0].state)

    return run


def test_committed_schema_is_what_the_analyzer_infers() -> None:
    """provider/schema.json equals the schema the plugin serves; `make schema` rewrites it."""
    committed = (PROVIDER_DIR / "schema.json").read_text(encoding="utf-8")
    assert committed == schema_text(), "provider/schema.json is stale: run `make schema`"


def test_schema_offers_the_python_arguments_and_outputs_camel_cased() -> None:
    """Same arguments (image and ports required), outputs and argument types as in Python."""
    package = schema()
    assert (package["name"], list(package["resources"])) == (PACKAGE_NAME, [TYPE_TOKEN])
    resource = package["resources"][TYPE_TOKEN]
    assert list(resource["inputProperties"]) == [
        camel_case(name) for name in StatefulServicePairArgs.__annotations__
    ]
    assert resource["requiredInputs"] == ["image", "ports"]
    outputs = [
        name
        for name, hint in inspect.get_annotations(StatefulServicePair).items()
        if typing.get_origin(hint) is pulumi.Output
    ]
    assert list(resource["properties"]) == [camel_case(name) for name in outputs]
    # An Output[X | None] may be null, so it is the one output not marked required.
    optional = {
        name
        for name in outputs
        if type(None)
        in typing.get_args(typing.get_args(StatefulServicePair.__annotations__[name])[0])
    }
    assert optional == {"primary_dns_name"}
    assert resource["required"] == sorted(
        camel_case(name) for name in outputs if name not in optional
    )
    assert sorted(package["types"]) == [
        f"{PACKAGE_NAME}:index:{name}"
        for name in (
            "AccessMode",
            "ClientServiceArgs",
            "EnvFromArgs",
            "ImagePullPolicy",
            "InternalTrafficPolicy",
            "MetricsArgs",
            "NetworkClientArgs",
            "NetworkPolicyArgs",
            "PerPodServicesArgs",
            "PodManagementPolicy",
            "PortArgs",
            "ProbeArgs",
            "Protocol",
            "ResourcesArgs",
            "RetentionPolicy",
            "SecretKeyRefArgs",
            "ServiceAccountArgs",
            "ServiceMonitorArgs",
            "ServiceType",
            "SessionAffinity",
            "SpreadArgs",
            "SpreadMode",
            "StorageArgs",
            "StorageChange",
            "TrafficDistribution",
            "UnhealthyPodEvictionPolicy",
            "UpdateStrategy",
        )
    ]


def test_every_argument_output_and_type_has_a_description() -> None:
    """Every input, output, argument type and field carries its docstring into the schema."""
    package = schema()
    resource = package["resources"][TYPE_TOKEN]
    undocumented = [
        f"{TYPE_TOKEN}.{group}.{name}"
        for group in ("inputProperties", "properties")
        for name, prop in resource[group].items()
        if not prop.get("description", "").strip()
    ]
    for token, complex_type in package["types"].items():
        if not complex_type.get("description", "").strip():
            undocumented.append(token)
        # An object type documents its fields, an enum type its values.
        members = complex_type.get("properties", {}) or {
            value["name"]: value for value in complex_type["enum"]
        }
        undocumented += [
            f"{token}.{name}"
            for name, prop in members.items()
            if not prop.get("description", "").strip()
        ]
    assert undocumented == []


def test_descriptions_are_dedented() -> None:
    """Multi-line docstrings lose their source indentation in the generated SDKs' docs."""
    namespace = schema()["resources"][TYPE_TOKEN]["inputProperties"]["namespace"]
    assert namespace["description"] == (
        "Namespace of every object. Default: the default provider's namespace, i.e. the stack's\n"
        "``kubernetes:namespace`` config, else the kubeconfig context's namespace, else\n"
        "``default``. Required when the pair (or its parent)\n"
        "gets an explicit Kubernetes provider, whose namespace the pair cannot read; the DNS\n"
        "outputs contain it."
    )


def test_plugin_manifest_and_requirements() -> None:
    """PulumiPlugin.yaml declares a pip-managed Python plugin; its venv installs this repo."""
    manifest_file = yaml.safe_load((PROVIDER_DIR / "PulumiPlugin.yaml").read_text())
    assert manifest_file == {
        "runtime": {"name": "python", "options": {"toolchain": "pip", "virtualenv": "venv"}}
    }
    requirements = [
        line
        for line in (PROVIDER_DIR / "requirements.txt").read_text().splitlines()
        if line and not line.startswith("#")
    ]
    assert requirements == ["-r ../requirements.txt", ".."]


@pytest.fixture
def running_plugin() -> Iterator[str]:
    """The plugin started the way the Python language host starts it: `python provider/ <engine>`.

    Yields the address it listens on. Nothing connects to the engine address before a Construct.
    """
    plugin = subprocess.Popen(
        [sys.executable, str(PROVIDER_DIR), "127.0.0.1:1"],
        stdout=subprocess.PIPE,
        text=True,
    )
    stdout = plugin.stdout
    assert stdout is not None
    try:
        # The first line is the port; read it on a thread so a plugin that hangs fails the test.
        first_line: list[str] = []
        reader = threading.Thread(target=lambda: first_line.append(stdout.readline()))
        reader.start()
        reader.join(timeout=60)
        port = first_line[0].strip() if first_line else ""
        assert port.isdigit(), f"the plugin printed no port; exit code {plugin.poll()}"
        yield f"127.0.0.1:{port}"
    finally:
        plugin.terminate()
        try:
            plugin.wait(timeout=10)
        except subprocess.TimeoutExpired:
            plugin.kill()
            plugin.wait()
        stdout.close()


def test_plugin_entry_point_serves_the_committed_schema(running_plugin: str) -> None:
    """provider/__main__.py answers GetPluginInfo and GetSchema as `pulumi package add` asks."""
    with grpc.insecure_channel(running_plugin) as channel:
        stub = provider_pb2_grpc.ResourceProviderStub(channel)
        info = stub.GetPluginInfo(empty_pb2.Empty(), timeout=30)
        served = stub.GetSchema(provider_pb2.GetSchemaRequest(), timeout=30).schema
    assert info.version == importlib.metadata.version(DISTRIBUTION)
    assert json.loads(served) == json.loads((PROVIDER_DIR / "schema.json").read_text())


def test_construct_wires_the_pair_from_camel_cased_wire_inputs(
    construct: Construct, mocks: KubernetesMocks
) -> None:
    """The same pair as the Python wiring test, sent as the engine sends it, wires the same."""
    urn, outputs = construct(
        "kafka",
        {
            "image": KAFKA_ARGS["image"],
            "ports": [
                {"name": "broker", "port": 9092},
                {"name": "controller", "port": 19093, "targetPort": 9093},
            ],
            "namespace": KAFKA_ARGS["namespace"],
            "labels": KAFKA_ARGS["labels"],
        },
    )
    assert urn == f"urn:pulumi:stack::project::{TYPE_TOKEN}::kafka"
    assert_kafka_pair_wiring(mocks)
    assert outputs["namespace"] == "streaming"


def test_construct_takes_metrics_and_a_service_monitor_camel_cased(
    construct: Construct, mocks: KubernetesMocks
) -> None:
    """Other languages send ``metrics.serviceMonitor`` and numbers as floats; same objects."""
    _urn, outputs = construct(
        "kafka",
        {
            "image": KAFKA_ARGS["image"],
            "ports": [{"name": "broker", "port": 9092}],
            "namespace": "streaming",
            "metrics": {
                "port": 9404,
                "serviceMonitor": {"interval": "15s", "labels": {"release": "prom"}},
            },
        },
    )
    monitor = manifest(mocks, "ServiceMonitor", "kafka")
    assert monitor["spec"]["endpoints"] == [
        {"port": "metrics", "path": "/metrics", "interval": "15s"}
    ]
    assert monitor["metadata"]["labels"]["release"] == "prom"
    assert outputs["metricsEndpoints"] == [
        "kafka-0.kafka-headless.streaming.svc.cluster.local:9404"
    ]


def test_construct_returns_the_dns_outputs_camel_cased(construct: Construct) -> None:
    """Domain, ordinals, object names and namespace reach every DNS output, as from Python."""
    # The same pair as the Python DNS test, as the engine sends it: camelCase, numbers as doubles.
    wire_names = {
        "ordinals_start": "ordinalsStart",
        "cluster_domain": "clusterDomain",
        "stateful_set_name": "statefulSetName",
        "headless_service_name": "headlessServiceName",
        "client_service_name": "clientServiceName",
    }
    inputs = {wire_names.get(key, key): value for key, value in ETCD_ARGS.items()}
    _urn, outputs = construct("etcd", {**inputs, "storage": {"size": "5Gi", "claimName": "wal"}})
    assert outputs == {
        "podNames": ["member-1", "member-2"],
        "podDnsNames": ETCD_POD_DNS_NAMES,
        "headlessServiceDns": "peers.infra.svc.k8s.example.org",
        "clientServiceDns": ETCD_CLIENT_SERVICE_DNS,
        "srvRecords": ETCD_SRV_RECORDS,
        "namespace": "infra",
        "persistentVolumeClaims": ["wal-member-1", "wal-member-2"],
        "claimsByTemplate": {"wal": ["wal-member-1", "wal-member-2"]},
        "peerEndpoints": {
            "client": [
                "member-1.peers.infra.svc.k8s.example.org:2379",
                "member-2.peers.infra.svc.k8s.example.org:2379",
            ],
            "peer": [
                "member-1.peers.infra.svc.k8s.example.org:2380",
                "member-2.peers.infra.svc.k8s.example.org:2380",
            ],
            "metrics": [
                "member-1.peers.infra.svc.k8s.example.org:9100",
                "member-2.peers.infra.svc.k8s.example.org:9100",
            ],
        },
        "primaryDnsName": "member-1.peers.infra.svc.k8s.example.org",
        "podShortDnsNames": ETCD_POD_SHORT_DNS_NAMES,
        "tlsDnsNames": ETCD_TLS_DNS_NAMES,
        "perPodServiceDns": [],
        "perPodExternalAddresses": [],
        "serviceAccountName": "default",
        "metricsEndpoints": [],
    }


def test_construct_takes_values_of_other_resources(
    construct: Construct, mocks: KubernetesMocks
) -> None:
    """replicas and an env value that are Outputs in the calling program work as in Python."""
    _urn, outputs = construct(
        "db",
        {
            "image": "mysql:8.0",
            "ports": [{"name": "mysql", "port": 3306}],
            "replicas": output_value(3, dependencies=(OTHER_RESOURCE,)),
            "env": {"PRIMARY": output_value("db-0", dependencies=(OTHER_RESOURCE,))},
        },
    )
    assert outputs["podNames"] == ["db-0", "db-1", "db-2"]
    sts = manifest(mocks, "StatefulSet", "db")
    assert sts["spec"]["replicas"] == 3
    assert sts["spec"]["template"]["spec"]["containers"][0]["env"] == [
        {"name": "PRIMARY", "value": "db-0"}
    ]


def test_construct_refuses_a_secret_in_plain_env(construct: Construct) -> None:
    """A secret env value from another language is refused without showing its value."""
    with pytest.raises(Exception) as caught:
        construct(
            "db",
            {
                "image": "mysql:8.0",
                "ports": [{"name": "mysql", "port": 3306}],
                "env": {"MYSQL_ROOT_PASSWORD": output_value("hunter2", secret=True)},
            },
        )
    assert "env['MYSQL_ROOT_PASSWORD']='[secret]' is a Pulumi secret" in str(caught.value)
    assert "hunter2" not in str(caught.value)


def test_construct_reports_a_missing_required_input_by_its_schema_name(
    construct: Construct, mocks: KubernetesMocks
) -> None:
    """Without image, Construct aborts with INVALID_ARGUMENT naming `image`; nothing is created."""
    with pytest.raises(AbortedError) as caught:
        construct("db", {"ports": [{"name": "mysql", "port": 3306}]})
    assert caught.value.status.code == grpc.StatusCode.INVALID_ARGUMENT
    assert caught.value.property_errors() == [
        ("image", "Missing required input 'image' on 'StatefulServicePair'")
    ]
    assert mocks.objects == []


def test_construct_keeps_the_component_validation(construct: Construct) -> None:
    """A fractional number where an integer belongs fails with the component's own message."""
    with pytest.raises(Exception, match=r"ports\[0\]\.port=3306\.5 must be an integer"):
        construct("db", {"image": "mysql:8.0", "ports": [{"name": "mysql", "port": 3306.5}]})


def test_construct_switches_storage_and_probes_off_with_enabled_false(
    construct: Construct, mocks: KubernetesMocks
) -> None:
    """`enabled: false` is how YAML or TypeScript turn storage and probes off (no null)."""
    construct(
        "cache",
        {
            "image": "redis:7.4",
            "ports": [{"name": "redis", "port": 6379}],
            "storage": {"enabled": False},
            "livenessProbe": {"enabled": False},
        },
    )
    sts = manifest(mocks, "StatefulSet", "cache")
    assert "volumeClaimTemplates" not in sts["spec"]
    main = sts["spec"]["template"]["spec"]["containers"][0]
    assert "livenessProbe" not in main
    assert main["readinessProbe"]["tcpSocket"] == {"port": "redis"}


def test_construct_takes_enum_values_as_strings(
    construct: Construct, mocks: KubernetesMocks
) -> None:
    """Other languages send an enum's value; it reaches the objects as the plain string."""
    construct(
        "cache",
        {
            "image": "redis:7.4",
            "ports": [{"name": "redis", "port": 6379, "protocol": "TCP"}],
            "imagePullPolicy": "IfNotPresent",
            "podManagementPolicy": "Parallel",
            "storage": {"whenDeleted": "Delete", "accessModes": ["ReadWriteOncePod"]},
        },
    )
    sts = manifest(mocks, "StatefulSet", "cache")
    assert sts["spec"]["podManagementPolicy"] == "Parallel"
    assert sts["spec"]["template"]["spec"]["containers"][0]["imagePullPolicy"] == "IfNotPresent"
    assert sts["spec"]["persistentVolumeClaimRetentionPolicy"]["whenDeleted"] == "Delete"
    assert sts["spec"]["volumeClaimTemplates"][0]["spec"]["accessModes"] == ["ReadWriteOncePod"]


def test_construct_takes_several_claims_camel_cased(
    construct: Construct, mocks: KubernetesMocks
) -> None:
    """storageClaims from another language: each claim's camelCased fields and enum lists reach
    its own template and mount, and claimsByTemplate lists both."""
    _urn, outputs = construct(
        "pg",
        {
            "image": "postgres:17",
            "ports": [{"name": "postgres", "port": 5432.0}],
            "replicas": 2.0,
            "storageClaims": [
                {"claimName": "data", "size": "20Gi", "mountPath": "/pg/data"},
                {
                    "claimName": "wal",
                    "size": "5Gi",
                    "storageClassName": "fast-ssd",
                    "mountPath": "/pg/wal",
                    "accessModes": ["ReadWriteOncePod"],
                },
            ],
        },
    )
    sts = manifest(mocks, "StatefulSet", "pg")["spec"]
    templates = sts["volumeClaimTemplates"]
    assert [(t["metadata"]["name"], t["spec"]["accessModes"]) for t in templates] == [
        ("data", ["ReadWriteOnce"]),
        ("wal", ["ReadWriteOncePod"]),
    ]
    assert templates[1]["spec"]["storageClassName"] == "fast-ssd"
    assert sts["template"]["spec"]["containers"][0]["volumeMounts"][:2] == [
        {"name": "data", "mountPath": "/pg/data"},
        {"name": "wal", "mountPath": "/pg/wal"},
    ]
    assert outputs["claimsByTemplate"] == {
        "data": ["data-pg-0", "data-pg-1"],
        "wal": ["wal-pg-0", "wal-pg-1"],
    }


def test_construct_refuses_a_value_outside_an_enum_by_its_schema_name(
    construct: Construct, mocks: KubernetesMocks
) -> None:
    """A value the schema enum lacks is refused by the SDK, naming the property; nothing made."""
    with pytest.raises(AbortedError) as caught:
        construct(
            "db",
            {
                "image": "mysql:8.0",
                "ports": [{"name": "mysql", "port": 3306}],
                "imagePullPolicy": "Sometimes",
            },
        )
    assert caught.value.status.code == grpc.StatusCode.INVALID_ARGUMENT
    [(path, message)] = caught.value.property_errors()
    assert path == "imagePullPolicy"
    assert "Sometimes" in message and "ImagePullPolicy" in message
    assert mocks.objects == []


def test_construct_takes_spread_and_budget_from_other_languages(
    construct: Construct, mocks: KubernetesMocks
) -> None:
    """Spread modes, a quorum budget and numbers sent as doubles work from other languages."""
    construct(
        "etcd",
        {
            "image": "quay.io/coreos/etcd:v3.5.17",
            "ports": [{"name": "client", "port": 2379}],
            "replicas": 5,
            "spread": {"node": "hard", "zone": "off"},
            "pdbMinAvailable": "quorum",
            "pdbUnhealthyPodEvictionPolicy": "IfHealthyBudget",
            "terminationGracePeriodSeconds": 120,
            # An int-or-string argument: the wire's double 2.0 must become the integer 2.
            "rollingUpdateMaxUnavailable": 2,
        },
    )
    sts = manifest(mocks, "StatefulSet", "etcd")["spec"]
    pod = sts["template"]["spec"]
    assert [
        (c["topologyKey"], c["whenUnsatisfiable"]) for c in pod["topologySpreadConstraints"]
    ] == [("kubernetes.io/hostname", "DoNotSchedule")]
    assert pod["terminationGracePeriodSeconds"] == 120
    assert sts["updateStrategy"]["rollingUpdate"] == {"maxUnavailable": 2}
    budget = manifest(mocks, "PodDisruptionBudget", "etcd")["spec"]
    assert (budget["minAvailable"], budget["unhealthyPodEvictionPolicy"]) == (3, "IfHealthyBudget")
