"""storage.on_change='expand': what one `pulumi up` registers to grow every claim safely."""

from typing import Any

import pulumi
import pytest
from pulumi.runtime.mocks import MockResourceArgs
from stateful_service_pair import PairArgumentError, StatefulServicePair
from stateful_service_pair.testing import KubernetesMocks, use_kubernetes_mocks

from .helpers import by_kind_and_name, manifest, storage_class

MYSQL: dict[str, Any] = {
    "image": "mysql:8.0",
    "ports": [{"name": "mysql", "port": 3306}],
    "namespace": "db",
    "replicas": 2,
}
EXPAND: dict[str, Any] = {"size": "20Gi", "storage_class_name": "fast", "on_change": "expand"}


FAST = storage_class("fast", allowVolumeExpansion=True)
STS_URN = (
    "urn:pulumi:stack::project::stateful-service-pair:index:StatefulServicePair"
    "$kubernetes:apps/v1:StatefulSet::mysql-statefulset"
)


class RecordedEarlier(KubernetesMocks):
    """A cluster whose anchor ConfigMap recorded another claim template (ignore_changes keeps
    the deployed data, so Pulumi hands back what was recorded)."""

    def __init__(self, record: dict[str, str]) -> None:
        super().__init__(existing=[FAST, storage_class("slow", allowVolumeExpansion=True)])
        self.record = record

    def new_resource(self, args: MockResourceArgs) -> tuple[str | None, dict[Any, Any]]:
        if args.typ == "kubernetes:core/v1:ConfigMap":
            args = MockResourceArgs(
                args.typ,
                args.name,
                {**args.inputs, "data": self.record},
                args.provider,
                args.resource_id,
                args.custom,
            )
        return super().new_resource(args)


def claim_patches(monitor: Any) -> dict[str, dict[str, Any]]:
    """The claim patches that were registered (the mocks' objects leave patches out)."""
    return {
        registration.state["metadata"]["name"]: registration.state
        for urn, registration in monitor.resources.items()
        if "kubernetes:core/v1:PersistentVolumeClaimPatch" in urn
    }


def deploy(storage: Any, mocks: KubernetesMocks | None = None, **extra: Any) -> Any:
    kubernetes_mocks, monitor = use_kubernetes_mocks(existing=[FAST])
    if mocks is not None:
        monitor.mocks = mocks
        kubernetes_mocks = mocks

    @pulumi.runtime.test
    async def run() -> None:
        pair = StatefulServicePair("mysql", {**MYSQL, "storage": storage, **extra})
        await pair.persistent_volume_claims.future()

    run()
    return kubernetes_mocks, monitor


def test_expand_patches_every_claim_to_the_new_size() -> None:
    """One server-side apply patch per Pod's claim sets the size, forced, after the StatefulSet,
    and is retained on delete (relinquishing a required field fails)."""
    _, monitor = deploy(EXPAND, ordinals_start=3)
    patches = claim_patches(monitor)
    assert sorted(patches) == ["data-mysql-3", "data-mysql-4"]
    for patch in patches.values():
        assert patch["metadata"]["namespace"] == "db"
        assert patch["metadata"]["annotations"] == {
            "pulumi.com/patchForce": "true",
            "pulumi.com/skipAwait": "true",
        }
        assert patch["spec"] == {"resources": {"requests": {"storage": "20Gi"}}}
    options = {urn.rsplit("::", 1)[1]: opts for urn, opts in monitor.options.items()}
    for ordinal in (3, 4):
        claim = options[f"mysql-claim-data-mysql-{ordinal}"]
        assert claim.retain_on_delete is True
        assert STS_URN in claim.dependencies


def test_expand_replaces_the_statefulset_orphaning_its_pods() -> None:
    """The StatefulSet takes the new claim template by replacement, deleted first with orphan
    propagation; destroy leaves it to its owner, the anchor."""
    mocks, monitor = deploy(EXPAND)
    sts = manifest(mocks, "StatefulSet", "mysql")
    anchor = manifest(mocks, "ConfigMap", "mysql-storage")
    assert sts["metadata"]["annotations"] == {
        "pulumi.com/deletionPropagationPolicy": "orphan",
        "stateful-service-pair/claim-size": "20Gi",
    }
    # The uid is the API server's; the mocks, like a preview of a new anchor, have none.
    assert sts["metadata"]["ownerReferences"] == [
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "name": "mysql-storage",
            "blockOwnerDeletion": True,
        }
    ]
    claim_template = sts["spec"]["volumeClaimTemplates"][0]["spec"]
    assert claim_template["resources"]["requests"]["storage"] == "20Gi"
    assert anchor["data"] == {
        "claimName": "data",
        "storageClassName": "fast",
        "accessModes": "ReadWriteOnce",
        "firstSize": "20Gi",
    }
    options = {urn.rsplit("::", 1)[1]: opts for urn, opts in monitor.options.items()}
    sts_options = options["mysql-statefulset"]
    assert sts_options.ignore_changes == ()
    assert sts_options.replace_on_changes == ("spec.volumeClaimTemplates",)
    assert sts_options.delete_before_replace is True
    assert sts_options.deleted_with.endswith("kubernetes:core/v1:ConfigMap::mysql-storage-anchor")
    assert options["mysql-storage-anchor"].ignore_changes == ("data",)


def test_a_claim_size_record_is_replaced_when_the_size_changes() -> None:
    """A ConfigMapPatch on the anchor records the size and is replaced (deleted first) when it
    changes; the StatefulSet's claim-size annotation waits for it, so at a preview of a new
    size that annotation is unknown and the provider does not dry-run the re-created
    StatefulSet (pulumi-kubernetes#3984; `make e2e` previews an expansion)."""
    _, monitor = deploy(EXPAND)
    records = {
        urn.rsplit("::", 1)[1]: registration.state
        for urn, registration in monitor.resources.items()
        if "kubernetes:core/v1:ConfigMapPatch" in urn
    }
    assert records == {
        "mysql-claim-size": {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": "mysql-storage", "namespace": "db"},
            "data": {"claimSize": "20Gi"},
        }
    }
    options = {urn.rsplit("::", 1)[1]: opts for urn, opts in monitor.options.items()}
    record = options["mysql-claim-size"]
    assert record.replace_on_changes == ("data",)
    assert record.delete_before_replace is True
    assert any(
        urn.endswith("ConfigMapPatch::mysql-claim-size")
        for urn in options["mysql-statefulset"].dependencies
    )


def test_the_claim_size_annotation_is_unknown_only_while_the_record_is_new_at_a_preview(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """At a preview, a record without a uid (being created or replaced) makes the annotation
    unknown; with its uid (unchanged, from the state), or at `up`, it is the size."""
    from pulumi.runtime.settings import SETTINGS
    from stateful_service_pair._preview import recorded_size

    recorded = type("Metadata", (), {"uid": "3f0c"})()
    created = type("Metadata", (), {"uid": None})()

    @pulumi.runtime.test
    async def run() -> None:
        monkeypatch.setattr(SETTINGS, "dry_run", True)
        assert recorded_size(recorded, "20Gi") == "20Gi"
        unknown = recorded_size(created, "20Gi")
        assert isinstance(unknown, pulumi.Output) and not await unknown.is_known()
        monkeypatch.setattr(SETTINGS, "dry_run", False)
        assert recorded_size(created, "20Gi") == "20Gi"

    use_kubernetes_mocks()
    run()


@pytest.mark.parametrize(
    ("classes", "shown"),
    [
        ((storage_class("fast"),), "not set"),
        ((storage_class("fast", allowVolumeExpansion=False),), "false"),
    ],
)
def test_expand_refuses_a_storage_class_that_cannot_expand_before_registering(
    classes: tuple[dict[str, Any], ...], shown: str
) -> None:
    """The StorageClass is read (at a preview too): without allowVolumeExpansion the API
    server would refuse every claim resize, so nothing registers."""
    mocks, _ = use_kubernetes_mocks(existing=classes)
    with pytest.raises(PairArgumentError) as caught:
        deploy(EXPAND, mocks)
    message = str(caught.value)
    assert "StatefulServicePair 'mysql': storage.storage_class_name='fast'" in message
    assert f"allowVolumeExpansion is {shown}" in message
    assert mocks.objects == []


def test_at_a_preview_a_storage_class_without_the_field_is_refused_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """At a preview the SDK resolves a field the read object lacks as unknown, not None
    (`make e2e`); the pair reads that as "not set" and refuses there, not at `up`."""
    from pulumi.runtime.settings import SETTINGS

    mocks, _ = use_kubernetes_mocks(existing=[storage_class("fast")])
    monkeypatch.setattr(SETTINGS, "dry_run", True)

    @pulumi.runtime.test
    async def run() -> None:
        StatefulServicePair("mysql", {**MYSQL, "storage": EXPAND})

    with pytest.raises(PairArgumentError) as caught:
        run()
    assert "storage.storage_class_name='fast' does not allow volume expansion" in str(caught.value)
    assert mocks.objects == []


class RecordWithUid(KubernetesMocks):
    """The claim size record as a preview shows it when the size is unchanged: from the
    state, with the uid the API server gave it."""

    def new_resource(self, args: MockResourceArgs) -> tuple[str | None, dict[Any, Any]]:
        if args.typ == "kubernetes:core/v1:ConfigMapPatch":
            metadata = {**args.inputs["metadata"], "uid": "3f0c9a51"}
            return "db/mysql-storage", {**args.inputs, "metadata": metadata}
        return super().new_resource(args)


@pytest.mark.parametrize(("mocks", "expected"), [(None, None), (RecordWithUid, "20Gi")])
def test_at_a_preview_the_statefulset_claim_size_is_unknown_only_while_the_record_is_new(
    monkeypatch: pytest.MonkeyPatch, mocks: type[KubernetesMocks] | None, expected: str | None
) -> None:
    """The pair wires the record's own metadata into the StatefulSet: at a preview, a record
    being created (no uid) leaves the annotation unknown; a recorded one gives the size."""
    from pulumi.runtime.settings import SETTINGS

    installed, monitor = use_kubernetes_mocks(existing=[FAST])
    if mocks is not None:
        installed = mocks(existing=[FAST])
        monitor.mocks = installed
    monkeypatch.setattr(SETTINGS, "dry_run", True)
    seen: dict[str, Any] = {}

    @pulumi.runtime.test
    async def run() -> None:
        pair = StatefulServicePair("mysql", {**MYSQL, "storage": EXPAND})
        metadata = await pair.stateful_set.metadata.future(with_unknowns=True)
        seen["annotation"] = metadata["annotations"]["stateful-service-pair/claim-size"]

    run()
    if expected is None:
        assert pulumi.output.contains_unknowns(seen["annotation"])
    else:
        assert seen["annotation"] == expected


def test_refuse_is_the_default_and_registers_nothing_new() -> None:
    """Without on_change, the StatefulSet ignores claim template changes and nothing else is
    registered: no anchor, no patches, no orphan annotation."""
    mocks, monitor = deploy({"size": "20Gi"})
    kinds = sorted(kind for kind, _ in by_kind_and_name(mocks))
    assert kinds == ["PodDisruptionBudget", "Service", "Service", "StatefulSet"]
    sts = manifest(mocks, "StatefulSet", "mysql")
    assert "annotations" not in sts["metadata"] and "ownerReferences" not in sts["metadata"]
    options = {urn.rsplit("::", 1)[1]: opts for urn, opts in monitor.options.items()}
    assert options["mysql-statefulset"].ignore_changes == ("spec.volumeClaimTemplates",)
    assert options["mysql-statefulset"].replace_on_changes == ()
    assert options["mysql-statefulset"].deleted_with == ""


@pytest.mark.parametrize(
    ("extra", "rule"),
    [
        ({"replicas": pulumi.Output.from_input(2)}, "needs a plain integer replicas"),
        ({"skip_await": True}, "cannot be combined with skip_await=True"),
    ],
)
def test_expand_refuses_what_it_cannot_plan_before_registering(
    extra: dict[str, Any], rule: str
) -> None:
    """Output replicas or skip_await are refused, naming storage.on_change, before anything
    registers."""
    kubernetes_mocks, _ = use_kubernetes_mocks(existing=[FAST])
    with pytest.raises(PairArgumentError) as caught:
        StatefulServicePair("mysql", {**MYSQL, "storage": EXPAND, **extra})
    assert "StatefulServicePair 'mysql': storage.on_change='expand'" in str(caught.value)
    assert rule in str(caught.value)
    assert kubernetes_mocks.objects == []


def test_expand_needs_a_named_storage_class() -> None:
    """The cluster's default class has no name to read, so expand mode asks for one."""
    kubernetes_mocks, _ = use_kubernetes_mocks()
    with pytest.raises(PairArgumentError) as caught:
        StatefulServicePair("mysql", {**MYSQL, "storage": {**EXPAND, "storage_class_name": None}})
    assert "StatefulServicePair 'mysql': storage.storage_class_name=None" in str(caught.value)
    assert "must name the StorageClass" in str(caught.value)
    assert kubernetes_mocks.objects == []


RECORD = {
    "claimName": "data",
    "storageClassName": "fast",
    "accessModes": "ReadWriteOnce",
    "firstSize": "10Gi",
}


@pytest.mark.parametrize(
    ("storage", "argument"),
    [
        ({**EXPAND, "size": "5Gi"}, "storage.size='5Gi'"),
        ({**EXPAND, "storage_class_name": "slow"}, "storage.storage_class_name='slow'"),
        ({**EXPAND, "claim_name": "db"}, "storage.claim_name='db'"),
        (
            {**EXPAND, "access_modes": ["ReadWriteOncePod"]},
            "storage.access_modes=['ReadWriteOncePod']",
        ),
    ],
)
def test_expand_still_refuses_what_claims_cannot_take(storage: Any, argument: str) -> None:
    """A shrink below the recorded size, a new class, access mode or claim name is refused
    against the anchor's record, and the StatefulSet and patches never register."""
    mocks = RecordedEarlier(RECORD)
    with pytest.raises(PairArgumentError) as caught:
        deploy(storage, mocks)
    assert f"StatefulServicePair 'mysql': {argument}" in str(caught.value)
    types = {obj.type_token for obj in mocks.objects}
    assert types == {"kubernetes:core/v1:Service", "kubernetes:core/v1:ConfigMap"}


def test_expand_grows_past_the_recorded_size() -> None:
    """A size above the record registers the StatefulSet and one patch per claim."""
    mocks = RecordedEarlier(RECORD)
    _, monitor = deploy(EXPAND, mocks)
    types = [obj.type_token for obj in mocks.objects]
    assert "kubernetes:apps/v1:StatefulSet" in types
    assert sorted(claim_patches(monitor)) == ["data-mysql-0", "data-mysql-1"]
