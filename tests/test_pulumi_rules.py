"""The pair under Pulumi's own rules: inherited options, engine values, Output checks, secrets."""

from typing import Any

import pulumi
import pytest
from stateful_service_pair import PairArgumentError, StatefulServicePair
from stateful_service_pair.testing import KubernetesMocks, use_kubernetes_mocks

from .helpers import manifest

MYSQL: dict[str, Any] = {"image": "mysql:8.0", "ports": [{"name": "mysql", "port": 3306}]}
SKIP_AWAIT = "pulumi.com/skipAwait"


def test_protect_on_the_component_protects_every_child() -> None:
    """Children inherit `protect` from the component; the pair never sets it to False."""
    _, monitor = use_kubernetes_mocks()

    @pulumi.runtime.test
    async def run() -> None:
        StatefulServicePair("db", MYSQL, opts=pulumi.ResourceOptions(protect=True))

    run()
    unprotected = [urn for urn, options in monitor.options.items() if not options.protect]
    assert [urn.rsplit("::", 1)[1] for urn in unprotected] == ["project-stack"]
    assert len(monitor.options) == 6  # the stack, the component and its four children


def test_replicas_zero_skips_the_client_services_endpoint_wait(mocks: KubernetesMocks) -> None:
    """With no Pods no endpoints can come: only then the client Service skips the await."""

    @pulumi.runtime.test
    async def run() -> None:
        StatefulServicePair("idle", {**MYSQL, "replicas": 0})
        StatefulServicePair("busy", {**MYSQL, "replicas": 1})
        StatefulServicePair("later", {**MYSQL, "replicas": pulumi.Output.from_input(0)})

    run()
    assert manifest(mocks, "Service", "idle")["metadata"]["annotations"] == {SKIP_AWAIT: "true"}
    assert manifest(mocks, "Service", "later")["metadata"]["annotations"] == {SKIP_AWAIT: "true"}
    assert "annotations" not in manifest(mocks, "Service", "busy")["metadata"]
    for name in ("idle", "busy"):
        assert "annotations" not in manifest(mocks, "StatefulSet", name)["metadata"]
        assert "annotations" not in manifest(mocks, "Service", f"{name}-headless")["metadata"]


def test_engine_floats_are_integers(mocks: KubernetesMocks) -> None:
    """replicas from a stack reference arrives as 3.0 and counts as 3 Pods."""

    @pulumi.runtime.test
    async def run() -> None:
        pair = StatefulServicePair("db", {**MYSQL, "replicas": pulumi.Output.from_input(3.0)})
        assert await pair.pod_names.future() == ["db-0", "db-1", "db-2"]

    run()
    assert manifest(mocks, "StatefulSet", "db")["spec"]["replicas"] == 3


@pytest.mark.parametrize(
    ("override", "argument", "rule"),
    [
        ({"replicas": pulumi.Output.from_input(2.5)}, "replicas", "must be an integer"),
        ({"image": pulumi.Output.from_input("Mysql:8")}, "image", "not a valid image reference"),
        (
            {
                "namespace": pulumi.Output.from_input("a" * 63),
                "cluster_domain": "x" * 63 + ".y" * 64,
            },
            "stateful_set_name, headless_service_name, namespace and cluster_domain",
            "a DNS name holds at most 253",
        ),
        (
            {"pod_annotations": {"checksum/config": pulumi.Output.from_input(3)}},
            "pod_annotations['checksum/config']",
            "must be a string",
        ),
    ],
)
def test_a_bad_output_argument_registers_nothing_and_surfaces_as_itself(
    mocks: KubernetesMocks, override: dict[str, Any], argument: str, rule: str
) -> None:
    """Every child's registration waits for the check, and the error is PairArgumentError
    itself, not a `While processing input` ValueError."""
    outcomes: dict[str, str] = {}

    @pulumi.runtime.test
    async def run() -> None:
        pair = StatefulServicePair("db", {**MYSQL, **override})
        children = [pair.headless_service, pair.client_service, pair.stateful_set]
        for child in [*children, pair.pod_disruption_budget]:
            assert child is not None
            try:
                await child.urn.future()
                outcomes[child._name] = "registered"
            except PairArgumentError as error:
                outcomes[child._name] = error.argument
        await pair.pod_names.future()

    with pytest.raises(PairArgumentError) as caught:
        run()
    assert type(caught.value) is PairArgumentError
    assert caught.value.argument == argument and rule in caught.value.rule
    assert "While processing" not in str(caught.value)
    assert outcomes == dict.fromkeys(
        ["db-headless", "db-client", "db-statefulset", "db-pdb"], argument
    )
    assert mocks.objects == []


def test_a_secret_that_breaks_a_rule_is_never_shown(mocks: KubernetesMocks) -> None:
    """The error names the argument and the rule; the secret value is `[secret]`."""

    @pulumi.runtime.test
    async def run() -> None:
        pair = StatefulServicePair("db", {**MYSQL, "namespace": pulumi.Output.secret("Top_Secret")})
        await pair.namespace.future()

    with pytest.raises(PairArgumentError) as caught:
        run()
    assert str(caught.value).startswith("StatefulServicePair 'db': namespace='[secret]' must be")
    assert "Top_Secret" not in repr(caught.value.__dict__)
    assert mocks.objects == []


def test_a_secret_nested_inside_an_outputs_value_is_refused(mocks: KubernetesMocks) -> None:
    """An Output whose value holds a secret Output is caught like a direct secret."""
    import pulumi_kubernetes as k8s

    @pulumi.runtime.test
    async def run() -> None:
        env = pulumi.Output.from_input("x").apply(
            lambda _: [k8s.core.v1.EnvVarArgs(name="PW", value=pulumi.Output.secret("hunter2"))]
        )
        agent = k8s.core.v1.ContainerArgs(name="agent", image="agent:1", env=env)
        pair = StatefulServicePair("db", {**MYSQL, "extra_pod_spec": {"containers": [agent]}})
        await pair.pod_names.future()

    with pytest.raises(PairArgumentError, match=r"holds a Pulumi secret") as caught:
        run()
    assert "hunter2" not in str(caught.value)
    assert mocks.objects == []


def test_annotations_accept_outputs(mocks: KubernetesMocks) -> None:
    """A checksum annotation computed from another resource reaches the Pod template."""

    @pulumi.runtime.test
    async def run() -> None:
        checksum = pulumi.Output.from_input("data").apply(lambda data: f"sha256-{len(data)}")
        StatefulServicePair(
            "db",
            {
                **MYSQL,
                "pod_annotations": {"checksum/config": checksum},
                "annotations": {"owner": pulumi.Output.from_input("team-a")},
            },
        )

    run()
    sts = manifest(mocks, "StatefulSet", "db")
    assert sts["spec"]["template"]["metadata"]["annotations"] == {"checksum/config": "sha256-4"}
    assert sts["metadata"]["annotations"] == {"owner": "team-a"}


def test_zero_valued_fields_are_left_out_like_the_provider_does(mocks: KubernetesMocks) -> None:
    """minReadySeconds 0 and a probe's initialDelaySeconds 0 are not sent."""

    @pulumi.runtime.test
    async def run() -> None:
        StatefulServicePair("db", {**MYSQL, "min_ready_seconds": 0, "rolling_update_partition": 0})

    run()
    spec = manifest(mocks, "StatefulSet", "db")["spec"]
    assert "minReadySeconds" not in spec
    assert spec["updateStrategy"] == {"type": "RollingUpdate"}
    readiness = spec["template"]["spec"]["containers"][0]["readinessProbe"]
    assert "initialDelaySeconds" not in readiness
