"""Offline, alias URNs nobody reads are not computed; the aliases sent are the same."""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_kubernetes as k8s
import pytest
from stateful_service_pair.render._aliases import (
    UncollapsedAlias,
    cannot_fail,
    uncollapsed_aliases,
)
from stateful_service_pair.testing import StrictMockMonitor, settle, use_kubernetes_mocks


def _sent_aliases(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The alias specs of every registration the monitor receives (filled in as they come)."""
    sent: list[Any] = []
    register = StrictMockMonitor.RegisterResource

    def recording(self: StrictMockMonitor, request: Any) -> Any:
        sent.append((request.name, [str(alias) for alias in request.aliases]))
        return register(self, request)

    monkeypatch.setattr(StrictMockMonitor, "RegisterResource", recording)
    return sent


def _stateful_set() -> k8s.apps.v1.StatefulSet:
    return k8s.apps.v1.StatefulSet(
        "db", spec={"selector": {"matchLabels": {"a": "b"}}, "serviceName": "db", "template": {}}
    )


def test_the_monitor_gets_the_same_aliases_and_no_urn_is_computed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A StatefulSet's two aliases reach the monitor as before; `_aliases` holds stand-ins."""
    sent = _sent_aliases(monkeypatch)
    use_kubernetes_mocks()
    settle(lambda: _stateful_set().urn)
    with_sdk = list(sent)

    sent.clear()
    made: list[k8s.apps.v1.StatefulSet] = []
    use_kubernetes_mocks()
    with uncollapsed_aliases():
        settle(lambda: (made.append(_stateful_set()), made[0].urn)[1])

    assert [len(aliases) for name, aliases in with_sdk if name == "db"] == [2]
    assert sent == with_sdk
    assert [type(alias) for alias in made[0]._aliases] == [UncollapsedAlias, UncollapsedAlias]


def test_an_alias_whose_collapse_fails_still_fails_the_program() -> None:
    """The SDK refuses an Alias with name=None inside its apply; so it does here."""
    use_kubernetes_mocks()
    with uncollapsed_aliases(), pytest.raises(Exception, match="No valid 'name'"):
        settle(
            lambda: (
                k8s.core.v1.ConfigMap(
                    "cm", opts=pulumi.ResourceOptions(aliases=[pulumi.Alias(name=None)])
                ).urn
            )
        )


@pytest.mark.parametrize(
    ("alias", "expected"),
    [
        ("urn:pulumi:stack::project::type::name", True),
        (pulumi.Alias(type_="kubernetes:apps/v1beta1:StatefulSet"), True),
        (pulumi.Alias(name="old", parent=None, stack="s", project="p"), True),
        (pulumi.Alias(name=None), False),
        (pulumi.Alias(type_=None), False),
        (pulumi.Alias(name=pulumi.Output.from_input("old")), False),  # type: ignore[arg-type]
        (pulumi.Alias(stack=pulumi.Output.from_input("s")), False),
        (pulumi.Output.from_input(pulumi.Alias(name="old")), False),
    ],
    ids=repr,
)
def test_which_aliases_cannot_fail(alias: Any, expected: bool) -> None:
    """Only plain values, with a name and a type, skip the SDK's collapse."""
    use_kubernetes_mocks()
    assert cannot_fail(alias, "name", "type") is expected
