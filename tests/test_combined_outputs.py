"""The pair combines its objects' outputs with `_all`, which must behave like `Output.all`."""

from typing import Any

import pulumi
import pulumi_kubernetes as k8s
from stateful_service_pair._component import _all
from stateful_service_pair.testing import KubernetesMocks


def test_all_gives_output_all_values_secrecy_and_dependencies(mocks: KubernetesMocks) -> None:
    """Same list in order, secret if any input is, depending on every input's resources."""

    @pulumi.runtime.test
    async def run() -> None:
        first = k8s.core.v1.ConfigMap("first")
        second = k8s.core.v1.ConfigMap("second")
        inputs: list[pulumi.Output[Any]] = [
            first.metadata.name,
            pulumi.Output.secret(["a", "b"]),
            second.metadata.apply(lambda meta: {"name": meta.name}),
        ]

        combined = _all(*inputs)
        reference = pulumi.Output.all(*inputs)

        assert await combined.future() == await reference.future()
        assert await combined.future() == [
            "first-73b48a5f",
            ["a", "b"],
            {"name": "second-66ac6aa1"},
        ]
        assert await combined.is_secret() is True
        assert await combined.resources() == await reference.resources() == {first, second}

    run()


def test_all_of_plain_outputs_is_not_secret(mocks: KubernetesMocks) -> None:
    """Without a secret input the combined Output is not secret, like Output.all's."""

    @pulumi.runtime.test
    async def run() -> None:
        combined = _all(pulumi.Output.from_input("a"), pulumi.Output.from_input(1))

        assert await combined.future() == ["a", 1]
        assert await combined.is_secret() is False

    run()
