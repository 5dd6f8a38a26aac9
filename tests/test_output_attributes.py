"""A pair's name outputs: made into Outputs only when read, the same values either way."""

import inspect
from typing import Any

import pulumi
import pytest
from pulumi.output import Output
from stateful_service_pair import StatefulServicePair
from stateful_service_pair import _name_outputs as name_outputs
from stateful_service_pair._observed import planned_stateful_set
from stateful_service_pair._validation import validate
from stateful_service_pair.testing import KubernetesMocks

NAME_OUTPUTS = name_outputs.OUTPUT_NAMES
ARGS: dict[str, Any] = {
    "image": "redis:7.4-alpine",
    "ports": [{"name": "redis", "port": 6379}, {"name": "gossip", "port": 7000}],
    "storage": {"size": "1Gi"},
    "metrics": {"port": 9121},
    "ordinals_start": 1,
}
# One Service per Pod needs replicas as a plain int.
PER_POD_SERVICES: dict[str, Any] = {"per_pod_services": {}}


def expected_values(
    name: str, namespace: str, replicas: int, extra: dict[str, Any]
) -> dict[str, Any]:
    """Every name output computed by the pure functions, from the validated arguments."""
    spec = validate(name, {**ARGS, **extra, "namespace": namespace, "replicas": replicas})
    sts = planned_stateful_set(
        stateful_set_name=spec.stateful_set_name,
        headless_service_name=spec.headless_service_name,
        namespace=namespace,
        replicas=replicas,
        ordinals_start=spec.ordinals_start,
        container_ports={port.name: port.target_port for port in spec.ports},
    )
    return {
        **name_outputs.namespace_outputs(spec, namespace),
        **name_outputs.pod_outputs(spec, sts),
        "service_account_name": "default",
        # The mocks report no load balancer address.
        "per_pod_external_addresses": [""] * replicas if extra else [],
    }


def test_a_default_pair_makes_an_output_for_a_name_only_when_it_is_read(
    mocks: KubernetesMocks,
) -> None:
    """Nothing on the instance before the first read; afterwards the same Output each time."""

    @pulumi.runtime.test
    async def run() -> None:
        pair = StatefulServicePair("db", {**ARGS, "namespace": "team", "replicas": 3})
        assert set(NAME_OUTPUTS) & set(vars(pair)) == set()

        first = pair.pod_dns_names
        assert isinstance(first, pulumi.Output)
        assert pair.pod_dns_names is first
        assert "pod_dns_names" in vars(pair)
        assert await pair.namespace.future() == "team"
        assert await first.future() == [
            f"db-{ordinal}.db-headless.team.svc.cluster.local" for ordinal in (1, 2, 3)
        ]

    run()


@pytest.mark.parametrize(
    ("namespace", "replicas", "extra"),
    [
        ("plain", "plain", PER_POD_SERVICES),
        ("Output", "plain", PER_POD_SERVICES),
        ("Output", "Output", {}),
    ],
    ids=["plain", "namespace-output", "both-outputs"],
)
def test_every_name_output_is_known_plain_and_what_the_pure_functions_give(
    mocks: KubernetesMocks, namespace: str, replicas: str, extra: dict[str, Any]
) -> None:
    """The namespace and replicas as plain values or as Outputs give the same outputs."""

    def given(value: Any, how: str) -> Any:
        return pulumi.Output.from_input(value) if how == "Output" else value

    @pulumi.runtime.test
    async def run() -> None:
        pair = StatefulServicePair(
            "db",
            {
                **ARGS,
                **extra,
                "namespace": given("team", namespace),
                "replicas": given(3, replicas),
            },
        )
        expected = expected_values("db", "team", 3, extra)
        for name in NAME_OUTPUTS:
            output = getattr(pair, name)
            assert await output.future() == expected[name], name
            assert await output.is_known() is True, name
            assert await output.is_secret() is False, name
        # Made of the pair's own fields, not read from its objects: no dependencies.
        assert await pair.pod_names.resources() == set()

    run()


def test_every_output_the_class_declares_is_read_through_a_descriptor() -> None:
    """OUTPUT_NAMES is exactly the class's Output annotations, each with its descriptor."""
    declared = {
        name
        for name, annotation in inspect.get_annotations(StatefulServicePair).items()
        if getattr(annotation, "__origin__", None) is pulumi.Output
    }
    assert set(NAME_OUTPUTS) == declared
    for name in NAME_OUTPUTS:
        assert type(inspect.getattr_static(StatefulServicePair, name)).__name__ == (
            "_OutputAttribute"
        )


def test_reading_every_name_output_makes_at_most_one_output_each(
    mocks: KubernetesMocks, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At most one Output per name read (none where the value is an Output already), plus the
    known Output they share: lists and dicts are not unpacked into an Output per element (as
    `Output.from_input` would)."""
    made: list[Output[Any]] = []
    track = Output._track

    def counting_track(self: Output[Any]) -> None:
        made.append(self)
        track(self)

    @pulumi.runtime.test
    async def run() -> None:
        pair = StatefulServicePair(
            "db", {**ARGS, **PER_POD_SERVICES, "namespace": "team", "replicas": 3}
        )
        monkeypatch.setattr(Output, "_track", counting_track)
        outputs = [getattr(pair, name) for name in NAME_OUTPUTS]
        monkeypatch.undo()
        assert len(made) <= len(NAME_OUTPUTS) + 1
        # The few Outputs still carry every value, lists and dicts whole.
        expected = expected_values("db", "team", 3, PER_POD_SERVICES)
        assert [await output.future() for output in outputs] == [
            expected[name] for name in NAME_OUTPUTS
        ]

    run()
