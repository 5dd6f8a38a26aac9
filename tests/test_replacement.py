"""Which argument changes replace which object: checked on what the pair really registers."""

from typing import Any

import pulumi
import pytest
from stateful_service_pair import StatefulServicePair
from stateful_service_pair.testing import use_kubernetes_mocks

from tests.replacement import replacing_changes

BASE: dict[str, Any] = {
    "image": "mysql:8.4",
    "ports": [{"name": "mysql", "port": 3306}],
    "namespace": "db",
}


def registered(args: dict[str, Any]) -> dict[str, tuple[str, dict[str, Any], tuple[str, ...]]]:
    """(kind, manifest, ignore_changes) of every object, by logical name."""
    mocks, monitor = use_kubernetes_mocks()

    @pulumi.runtime.test
    async def run() -> None:
        StatefulServicePair("mysql", args)

    run()
    ignored = {urn.rsplit("::", 1)[1]: opts.ignore_changes for urn, opts in monitor.options.items()}
    return {
        obj.logical_name: (obj.kind, obj.manifest, ignored[obj.logical_name])
        for obj in mocks.objects
    }


def replacements(change: dict[str, Any]) -> dict[str, list[str]]:
    """Objects the change would replace, with the fields that force it."""
    before, after = registered(BASE), registered({**BASE, **change})
    assert before.keys() == after.keys()
    found = {}
    for logical_name, (kind, old, ignored) in before.items():
        fields = replacing_changes(kind, old, after[logical_name][1], ignored)
        if fields:
            found[logical_name] = fields
    return found


# The README's replacement table is this table.
CHANGES = [
    ({"replicas": 5}, {}),
    ({"image": "mysql:8.4.3"}, {}),
    ({"env": {"MODE": "replica"}}, {}),
    ({"labels": {"team": "db"}}, {}),
    ({"resources": {"requests": {"cpu": "500m"}}}, {}),
    ({"readiness_probe": {"http_path": "/ready"}}, {}),
    ({"ordinals_start": 1}, {}),
    ({"update_strategy": "OnDelete"}, {}),
    ({"min_ready_seconds": 30}, {}),
    ({"publish_not_ready_addresses": False}, {}),
    ({"session_affinity": "ClientIP"}, {}),
    ({"pdb_max_unavailable": 2}, {}),
    # Storage changes are ignored by the StatefulSet and refused by the pair instead.
    ({"storage": {"size": "50Gi"}}, {}),
    ({"pod_management_policy": "Parallel"}, {"mysql-statefulset": ["spec.podManagementPolicy"]}),
    (
        {"headless_service_name": "mysql-peers"},
        {"mysql-headless": ["metadata.name"], "mysql-statefulset": ["spec.serviceName"]},
    ),
    ({"client_service_name": "mysql-rw"}, {"mysql-client": ["metadata.name"]}),
    (
        {"stateful_set_name": "mysql-v2"},
        {
            "mysql-statefulset": ["metadata.name", "spec.selector"],
            "mysql-pdb": ["metadata.name"],
        },
    ),
    (
        {"namespace": "db2"},
        {
            "mysql-headless": ["metadata.namespace"],
            "mysql-client": ["metadata.namespace"],
            "mysql-statefulset": ["metadata.namespace"],
            "mysql-pdb": ["metadata.namespace"],
        },
    ),
]


@pytest.mark.parametrize(("change", "expected"), CHANGES, ids=lambda v: str(v)[:40])
def test_argument_change_replaces_exactly(
    change: dict[str, Any], expected: dict[str, list[str]]
) -> None:
    """An argument change replaces only the listed objects, for the listed fields."""
    assert replacements(change) == expected


def test_storage_is_ignored_by_the_stateful_set_and_nothing_else() -> None:
    """Only spec.volumeClaimTemplates is under ignore_changes, only on the StatefulSet."""
    ignored = {name: entry[2] for name, entry in registered(BASE).items()}
    assert ignored == {
        "mysql-headless": (),
        "mysql-client": (),
        "mysql-statefulset": ("spec.volumeClaimTemplates",),
        "mysql-pdb": (),
    }


def test_protect_marks_only_the_stateful_set() -> None:
    """protect=True reaches the engine for the StatefulSet; the default leaves it off."""
    for protect in (False, True):
        _, monitor = use_kubernetes_mocks()

        @pulumi.runtime.test
        async def run(protect: bool = protect) -> None:
            StatefulServicePair("mysql", {**BASE, "protect": protect})

        run()
        protected = sorted(
            urn.rsplit("::", 1)[1] for urn, o in monitor.options.items() if o.protect
        )
        assert protected == (["mysql-statefulset"] if protect else [])


def test_a_forced_field_change_is_detected() -> None:
    """replacing_changes reports a changed serviceName, so the table above can fail."""
    before = {"spec": {"serviceName": "a"}}
    assert replacing_changes("StatefulSet", before, {"spec": {"serviceName": "b"}}) == [
        "spec.serviceName"
    ]
    assert replacing_changes("StatefulSet", before, before) == []
