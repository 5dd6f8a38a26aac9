"""Several claims per Pod through ``storage_claims`` (issue 14, item 5)."""

from typing import Any

import pulumi
import pytest
from stateful_service_pair import PairArgumentError, StatefulServicePair
from stateful_service_pair import _naming as naming
from stateful_service_pair._validation import MAX_ORDINAL, MAX_REPLICAS
from stateful_service_pair.testing import InvalidObjectError, KubernetesMocks, use_kubernetes_mocks

from .helpers import DeployedEarlier, manifest, storage_class

PG: dict[str, Any] = {
    "image": "postgres:17",
    "ports": [{"name": "postgres", "port": 5432}],
    "namespace": "db",
    "replicas": 2,
}
DATA = {"claim_name": "data", "size": "20Gi", "mount_path": "/var/lib/postgresql/data"}
WAL = {
    "claim_name": "wal",
    "size": "5Gi",
    "storage_class_name": "fast-ssd",
    "mount_path": "/var/lib/postgresql/wal",
}


def deploy(args: dict[str, Any]) -> dict[str, Any]:
    """Register a pair named ``pg`` and return its claim outputs."""
    outputs: dict[str, Any] = {}

    @pulumi.runtime.test
    async def run() -> None:
        pair = StatefulServicePair("pg", args)
        outputs["by_template"] = await pair.claims_by_template.future()
        outputs["claims"] = await pair.persistent_volume_claims.future()

    run()
    return outputs


def test_single_storage_lists_its_one_template(mocks: KubernetesMocks) -> None:
    """The single-claim form: one template, one mount, the output keyed by its name."""
    outputs = deploy(PG)
    sts = manifest(mocks, "StatefulSet", "pg")["spec"]
    assert [t["metadata"]["name"] for t in sts["volumeClaimTemplates"]] == ["data"]
    assert outputs == {
        "by_template": {"data": ["data-pg-0", "data-pg-1"]},
        "claims": ["data-pg-0", "data-pg-1"],
    }


def test_each_claim_gets_a_template_a_mount_and_an_output_entry(mocks: KubernetesMocks) -> None:
    """Two claims: two templates in the order given, each mounted at its path, both listed."""
    outputs = deploy({**PG, "storage_claims": [DATA, WAL], "writable_paths": ["/tmp"]})
    sts = manifest(mocks, "StatefulSet", "pg")["spec"]
    assert sts["volumeClaimTemplates"] == [
        {
            "metadata": {"name": "data"},
            "spec": {
                "accessModes": ["ReadWriteOnce"],
                "resources": {"requests": {"storage": "20Gi"}},
            },
        },
        {
            "metadata": {"name": "wal"},
            "spec": {
                "accessModes": ["ReadWriteOnce"],
                "storageClassName": "fast-ssd",
                "resources": {"requests": {"storage": "5Gi"}},
            },
        },
    ]
    assert sts["template"]["spec"]["containers"][0]["volumeMounts"] == [
        {"name": "data", "mountPath": "/var/lib/postgresql/data"},
        {"name": "wal", "mountPath": "/var/lib/postgresql/wal"},
        {"name": "scratch-0", "mountPath": "/tmp"},
    ]
    assert sts["persistentVolumeClaimRetentionPolicy"] == {
        "whenDeleted": "Retain",
        "whenScaled": "Retain",
    }
    assert outputs == {
        "by_template": {"data": ["data-pg-0", "data-pg-1"], "wal": ["wal-pg-0", "wal-pg-1"]},
        "claims": ["data-pg-0", "data-pg-1", "wal-pg-0", "wal-pg-1"],
    }


def test_a_list_of_one_claim_is_the_single_form(mocks: KubernetesMocks) -> None:
    """storage_claims=[x] builds the same StatefulSet as storage=x."""
    deploy({**PG, "storage": DATA})
    single = manifest(mocks, "StatefulSet", "pg")
    listed, _monitor = use_kubernetes_mocks()
    deploy({**PG, "storage_claims": [DATA]})
    assert manifest(listed, "StatefulSet", "pg") == single


def test_a_shared_retention_policy_is_the_statefulsets(mocks: KubernetesMocks) -> None:
    """Retention given alike on every claim becomes the StatefulSet's one policy."""
    retention = {"when_deleted": "Delete", "when_scaled": "Delete"}
    deploy({**PG, "storage_claims": [{**DATA, **retention}, {**WAL, **retention}]})
    sts = manifest(mocks, "StatefulSet", "pg")["spec"]
    assert sts["persistentVolumeClaimRetentionPolicy"] == {
        "whenDeleted": "Delete",
        "whenScaled": "Delete",
    }


@pytest.mark.parametrize(
    ("args", "argument", "rule"),
    [
        (
            {"storage": DATA, "storage_claims": [WAL]},
            "storage=",
            "cannot be given together with storage_claims",
        ),
        (
            {"storage": None, "storage_claims": [WAL]},
            "storage=None",
            "cannot be given together with storage_claims",
        ),
        ({"storage_claims": []}, "storage_claims=[]", "must be a non-empty list"),
        ({"storage_claims": DATA}, "storage_claims=", "must be a non-empty list"),
        (
            {"storage_claims": [DATA, {**WAL, "claim_name": "data"}]},
            "storage_claims[1].claim_name='data'",
            "is also the claim_name of storage_claims[0]",
        ),
        (
            {"storage_claims": [DATA, {**WAL, "claim_name": "Wal_1"}]},
            "storage_claims[1].claim_name='Wal_1'",
            "",
        ),
        (
            {"storage_claims": [DATA, {**WAL, "mount_path": DATA["mount_path"]}]},
            "storage_claims[1].mount_path='/var/lib/postgresql/data'",
            "is also the mount path of storage_claims[0].mount_path",
        ),
        (
            {"storage_claims": [DATA, {**WAL, "mount_path": "wal"}]},
            "storage_claims[1].mount_path='wal'",
            "must be an absolute path",
        ),
        (
            {"storage_claims": [DATA, {**WAL, "size": "lots"}]},
            "storage_claims[1].size='lots'",
            "",
        ),
        (
            {"storage_claims": [DATA, {**WAL, "mount_path": "/tmp"}]},
            "writable_paths=['/tmp']",
            "must not contain storage_claims[1].mount_path '/tmp'",
        ),
        (
            {
                "storage_claims": [DATA, WAL],
                "extra_container_spec": {
                    "volume_mounts": [{"name": "data", "mount_path": WAL["mount_path"]}]
                },
            },
            "extra_container_spec['volume_mounts'][0].mount_path='/var/lib/postgresql/wal'",
            "is also the mount path of storage_claims[1].mount_path",
        ),
        (
            {
                "storage_claims": [DATA, WAL],
                "extra_pod_spec": {"volumes": [{"name": "wal", "empty_dir": {}}]},
            },
            "extra_pod_spec['volumes'][0].name='wal'",
            "is also the name of the claim template (storage_claims[1].claim_name)",
        ),
        (
            {"storage_claims": [DATA, {**WAL, "when_deleted": "Delete"}]},
            "storage_claims[1].when_deleted='Delete'",
            "the retention policy is StatefulSet-wide",
        ),
        (
            {"storage_claims": [DATA, {**WAL, "when_scaled": "Delete"}]},
            "storage_claims[1].when_scaled='Delete'",
            "the retention policy is StatefulSet-wide",
        ),
        (
            {"storage_claims": [{**DATA, "on_change": "expand"}, WAL]},
            "storage_claims[0].on_change='expand'",
            "takes one claim only",
        ),
        (
            {"storage_claims": [DATA, {**WAL, "enabled": False}]},
            "storage_claims[1].enabled=False",
            "is only for storage",
        ),
    ],
)
def test_bad_claims_are_refused_before_anything_registers(
    mocks: KubernetesMocks, args: dict[str, Any], argument: str, rule: str
) -> None:
    """Each broken rule names its argument and value, and nothing is registered."""
    with pytest.raises(PairArgumentError) as caught:
        deploy({**PG, **args})
    message = str(caught.value)
    assert f"StatefulServicePair 'pg': {argument}" in message
    assert rule in message
    assert mocks.objects == []


def test_expand_takes_a_list_of_one_claim() -> None:
    """on_change='expand' is refused only with several claims: one claim may still grow."""
    mocks, _ = use_kubernetes_mocks(existing=[storage_class("fast", allowVolumeExpansion=True)])
    claim = {**DATA, "storage_class_name": "fast", "on_change": "expand"}
    deploy({**PG, "storage_claims": [claim]})
    assert manifest(mocks, "ConfigMap", "pg-storage")["data"]["claimName"] == "data"


def test_the_longest_per_pod_claim_name_fits_a_dns_subdomain() -> None:
    """<claim>-<statefulset>-<ordinal> at every length limit stays within 253 characters, so
    the validated parts never make a claim the API server refuses."""
    longest = "-".join(
        [
            "c" * naming.DNS_LABEL_MAX,
            "s" * naming.STATEFUL_SET_NAME_MAX,
            str(MAX_ORDINAL + MAX_REPLICAS),
        ]
    )
    assert naming.dns1123_subdomain_problem(longest) is None


def template(name: str, size: str, storage_class: str | None = None) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "accessModes": ["ReadWriteOnce"],
        "resources": {"requests": {"storage": size}},
    }
    if storage_class:
        spec["storageClassName"] = storage_class
    return {"metadata": {"name": name}, "spec": spec}


DEPLOYED = [template("data", "20Gi"), template("wal", "5Gi", "fast-ssd")]


def run_against(deployed: list[dict[str, Any]], args: dict[str, Any]) -> dict[str, Any]:
    _, monitor = use_kubernetes_mocks()
    monitor.mocks = DeployedEarlier(deployed)
    return deploy({**PG, **args})


def test_unchanged_claims_are_listed_in_any_deployed_order() -> None:
    """The deployed templates match (in another order, which mounts by name ignore)."""
    outputs = run_against(list(reversed(DEPLOYED)), {"storage_claims": [DATA, WAL]})
    assert outputs["by_template"] == {
        "data": ["data-pg-0", "data-pg-1"],
        "wal": ["wal-pg-0", "wal-pg-1"],
    }


@pytest.mark.parametrize(
    ("deployed", "args", "missing"),
    [
        # A claim added to a deployed StatefulSet with one template.
        ([template("data", "20Gi")], {"storage_claims": [DATA, WAL]}, "wal"),
        # Storage added to a StatefulSet deployed without any.
        ([], {"storage_claims": [DATA, WAL]}, "data"),
        # A claim renamed.
        (DEPLOYED, {"storage_claims": [DATA, {**WAL, "claim_name": "xlog"}]}, "xlog"),
    ],
)
def test_a_mounted_claim_missing_from_the_kept_templates_is_refused_by_the_api_server(
    deployed: list[dict[str, Any]], args: dict[str, Any], missing: str
) -> None:
    """The deployed claim templates are kept; a container mounting a claim they lack is
    refused by the API server's Pod template validation (`make e2e`) before the pair's drift
    check runs. Nothing changes."""
    with pytest.raises(InvalidObjectError, match=f'name: Not found: "{missing}"'):
        run_against(deployed, args)


@pytest.mark.parametrize(
    ("deployed", "args", "argument"),
    [
        # A claim removed, back to the single form.
        (DEPLOYED, {"storage": DATA}, "storage='20Gi'"),
        # A claim removed from the list.
        ([*DEPLOYED, template("logs", "1Gi")], {"storage_claims": [DATA, WAL]}, "storage_claims="),
        # Every claim removed.
        (DEPLOYED, {"storage": None}, "storage=None"),
        # One claim's size, class, access modes changed.
        (DEPLOYED, {"storage_claims": [DATA, {**WAL, "size": "10Gi"}]}, "storage_claims[1].size"),
        (
            DEPLOYED,
            {"storage_claims": [DATA, {**WAL, "storage_class_name": "standard"}]},
            "storage_claims[1].storage_class_name='standard'",
        ),
        (
            DEPLOYED,
            {"storage_claims": [{**DATA, "access_modes": ["ReadWriteOncePod"]}, WAL]},
            "storage_claims[0].access_modes=['ReadWriteOncePod']",
        ),
    ],
)
def test_every_claim_template_change_is_refused_with_the_procedure(
    deployed: list[dict[str, Any]], args: dict[str, Any], argument: str
) -> None:
    """Adding, removing or changing any claim template stops at preview with the procedure."""
    with pytest.raises(PairArgumentError) as caught:
        run_against(deployed, args)
    message = str(caught.value)
    assert f"StatefulServicePair 'pg': {argument}" in message
    assert "--cascade=orphan" in message and "pulumi refresh" in message
