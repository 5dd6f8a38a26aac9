"""The Pods' ServiceAccount: created, existing, or the namespace's default (issue 14, item 1)."""

from typing import Any

import pulumi
import pytest
from pulumi.runtime.settings import SETTINGS
from stateful_service_pair import StatefulServicePair
from stateful_service_pair._validation import PairArgumentError
from stateful_service_pair.testing import KubernetesMocks

from .helpers import by_kind_and_name, manifest

DB: dict[str, Any] = {"image": "db:1", "ports": [{"name": "db", "port": 5432}], "namespace": "prod"}
ROLE = "arn:aws:iam::123456789012:role/db"


def deploy(args: dict[str, Any]) -> str:
    names: list[str] = []

    @pulumi.runtime.test
    async def run() -> None:
        pair = StatefulServicePair("db", args)
        names.append(await pair.service_account_name.future())

    run()
    return names[0]


def pod_spec(mocks: KubernetesMocks) -> dict[str, Any]:
    spec: dict[str, Any] = manifest(mocks, "StatefulSet", "db")["spec"]["template"]["spec"]
    return spec


def test_default_pods_use_the_namespace_default_account_without_a_token(
    mocks: KubernetesMocks,
) -> None:
    """No argument: no ServiceAccount object, none named in the Pods, output ``default``."""
    assert deploy(DB) == "default"
    assert "ServiceAccount" not in {obj.kind for obj in mocks.objects}
    assert "serviceAccountName" not in pod_spec(mocks)
    assert pod_spec(mocks)["automountServiceAccountToken"] is False


def test_created_account_carries_its_annotations_and_runs_the_pods(
    mocks: KubernetesMocks,
) -> None:
    """create: a ServiceAccount with the identity annotation (an Output), used by the Pods,
    registered before the StatefulSet, and still no token unless asked."""
    name = deploy(
        {
            **DB,
            "service_account": {
                "create": True,
                "annotations": {"eks.amazonaws.com/role-arn": pulumi.Output.from_input(ROLE)},
            },
        }
    )
    assert name == "db"
    account = by_kind_and_name(mocks)[("ServiceAccount", "db")]
    assert account.namespace == "prod"
    assert account.manifest["metadata"]["annotations"] == {"eks.amazonaws.com/role-arn": ROLE}
    assert account.manifest["automountServiceAccountToken"] is False
    assert pod_spec(mocks)["serviceAccountName"] == "db"
    assert pod_spec(mocks)["automountServiceAccountToken"] is False
    # Pods naming an account that does not exist yet would be refused: the StatefulSet waits.
    options = SETTINGS.monitor.options  # type: ignore[union-attr]
    statefulset = next(urn for urn in options if urn.endswith("StatefulSet::db-statefulset"))
    assert any(
        urn.endswith("ServiceAccount::db-service-account")
        for urn in options[statefulset].dependencies
    )


def test_token_is_mounted_only_when_asked(mocks: KubernetesMocks) -> None:
    """automount_service_account_token=True with a created account: the Pods get a token."""
    deploy(
        {**DB, "service_account": {"name": "api-reader"}, "automount_service_account_token": True}
    )
    assert pod_spec(mocks)["serviceAccountName"] == "api-reader"
    assert pod_spec(mocks)["automountServiceAccountToken"] is True


@pytest.mark.parametrize(
    "args",
    [
        {"service_account": {"create": False, "name": "existing"}},
        {"service_account_name": "existing"},
    ],
)
def test_an_existing_account_is_used_not_created(
    mocks: KubernetesMocks, args: dict[str, Any]
) -> None:
    """create=False or service_account_name: the Pods name it, no object is created."""
    assert deploy({**DB, **args}) == "existing"
    assert "ServiceAccount" not in {obj.kind for obj in mocks.objects}
    assert pod_spec(mocks)["serviceAccountName"] == "existing"


BAD: list[tuple[dict[str, Any], str]] = [
    (
        {"service_account": {}, "service_account_name": "x"},
        r"service_account_name='x' cannot be given with service_account",
    ),
    ({"service_account": {"create": False}}, r"service_account.name=None is required with"),
    ({"service_account": {"name": "Bad_Name"}}, r"service_account.name='Bad_Name' must be an RFC"),
    ({"service_account": {"create": "yes"}}, r"service_account.create='yes' must be True or False"),
    (
        {"service_account": {"create": False, "name": "x", "annotations": {"a": "b"}}},
        r"service_account.annotations=\{'a': 'b'\} only applies with create=True",
    ),
    ({"service_account": {"annotations": {"a": 1}}}, r"service_account.annotations\['a'\]=1"),
    ({"service_account": {"nmae": "x"}}, r"did you mean 'name'"),
]


@pytest.mark.parametrize(("extra", "message"), BAD, ids=[m for _e, m in BAD])
def test_bad_service_account_registers_nothing(
    mocks: KubernetesMocks, extra: dict[str, Any], message: str
) -> None:
    """Each rule names argument, value and rule before anything registers."""

    @pulumi.runtime.test
    async def run() -> None:
        StatefulServicePair("db", {**DB, **extra})

    with pytest.raises(PairArgumentError, match=message):
        run()
    assert SETTINGS.monitor.get_registered_resources() == {}


def test_a_bad_annotation_output_stops_the_account_and_the_pods(mocks: KubernetesMocks) -> None:
    """An account annotation Output that resolves to a non-string: no child registers."""
    outcomes: dict[str, str] = {}

    @pulumi.runtime.test
    async def run() -> None:
        pair = StatefulServicePair(
            "db", {**DB, "service_account": {"annotations": {"a": pulumi.Output.from_input(3)}}}
        )
        assert pair.service_account is not None
        for child in (pair.service_account, pair.stateful_set, pair.headless_service):
            try:
                await child.urn.future()
                outcomes[child._name] = "registered"
            except PairArgumentError as error:
                outcomes[child._name] = error.argument

    with pytest.raises(PairArgumentError, match=r"=3 must be a string"):
        run()
    assert outcomes == dict.fromkeys(
        ["db-service-account", "db-statefulset", "db-headless"], "service_account.annotations['a']"
    )
