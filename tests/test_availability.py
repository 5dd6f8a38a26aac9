"""Spread, disruption budget, shutdown, rollouts and diagnostic mode: defaults and overrides.

Each feature has a "gets defaults" test beside an "allows overrides" test, checked on the
manifests the mocks registered, and its bad inputs are refused before anything registers.
"""

from typing import Any

import pulumi
import pulumi_kubernetes as k8s
import pytest
from stateful_service_pair import StatefulServicePair
from stateful_service_pair._availability import quorum
from stateful_service_pair._validation import PairArgumentError, validate
from stateful_service_pair.testing import KubernetesMocks

from .helpers import manifest

MYSQL: dict[str, Any] = {"image": "mysql:8.0", "ports": [{"name": "mysql", "port": 3306}]}


def pod_spec(mocks: KubernetesMocks, name: str = "mysql") -> dict[str, Any]:
    spec: dict[str, Any] = manifest(mocks, "StatefulSet", name)["spec"]["template"]["spec"]
    return spec


def budget(mocks: KubernetesMocks, name: str = "mysql") -> dict[str, Any]:
    spec: dict[str, Any] = manifest(mocks, "PodDisruptionBudget", name)["spec"]
    return spec


def create(*pairs: tuple[str, dict[str, Any]]) -> None:
    """Register the given pairs under the mocks."""

    @pulumi.runtime.test
    async def run() -> None:
        for name, args in pairs:
            StatefulServicePair(name, args)

    run()


def constraint(name: str, key: str, when: str) -> dict[str, Any]:
    """A spread constraint of the pair ``name`` as it reaches the API server."""
    return {
        "topologyKey": key,
        "whenUnsatisfiable": when,
        "maxSkew": 1,
        "labelSelector": {"matchLabels": {"stateful-service-pair/statefulset": name}},
        "nodeTaintsPolicy": "Honor",
    }


HOST = "kubernetes.io/hostname"
ZONE = "topology.kubernetes.io/zone"


# --- spread ---------------------------------------------------------------------------------


def test_default_spread_is_soft_over_nodes_and_zones_for_this_pair_only(
    mocks: KubernetesMocks,
) -> None:
    """By default each pair spreads only its own Pods (its selector) softly over nodes, zones."""
    create(("mysql", MYSQL), ("cache", {**MYSQL, "image": "redis:7"}))
    for name in ("mysql", "cache"):
        assert pod_spec(mocks, name)["topologySpreadConstraints"] == [
            constraint(name, HOST, "ScheduleAnyway"),
            constraint(name, ZONE, "ScheduleAnyway"),
        ]
    # The constraint counts exactly the Pods the StatefulSet owns, nothing more.
    sts = manifest(mocks, "StatefulSet", "mysql")
    selector = pod_spec(mocks)["topologySpreadConstraints"][0]["labelSelector"]
    assert selector == sts["spec"]["selector"]


def test_hard_spread_does_not_schedule_and_off_drops_the_constraint(
    mocks: KubernetesMocks,
) -> None:
    """``hard`` becomes DoNotSchedule; ``off`` leaves no constraint for that topology."""
    create(
        ("mysql", {**MYSQL, "spread": {"node": "hard", "zone": "off"}}),
        ("zonal", {**MYSQL, "spread": {"zone": "hard"}}),
        ("free", {**MYSQL, "spread": {"node": "off", "zone": "off"}}),
    )
    assert pod_spec(mocks)["topologySpreadConstraints"] == [
        constraint("mysql", HOST, "DoNotSchedule")
    ]
    assert pod_spec(mocks, "zonal")["topologySpreadConstraints"] == [
        constraint("zonal", HOST, "ScheduleAnyway"),
        constraint("zonal", ZONE, "DoNotSchedule"),
    ]
    assert "topologySpreadConstraints" not in pod_spec(mocks, "free")


def test_users_affinity_and_constraints_are_kept_beside_the_spread(
    mocks: KubernetesMocks,
) -> None:
    """extra_pod_spec's affinity stays as given and its constraints are added after the pair's."""
    ssd = k8s.core.v1.AffinityArgs(
        node_affinity=k8s.core.v1.NodeAffinityArgs(
            required_during_scheduling_ignored_during_execution=k8s.core.v1.NodeSelectorArgs(
                node_selector_terms=[
                    k8s.core.v1.NodeSelectorTermArgs(
                        match_expressions=[
                            k8s.core.v1.NodeSelectorRequirementArgs(
                                key="disk", operator="In", values=["ssd"]
                            )
                        ]
                    )
                ]
            )
        )
    )
    rack = {
        "topologyKey": "example.com/rack",
        "whenUnsatisfiable": "DoNotSchedule",
        "maxSkew": 1,
        "labelSelector": {"matchLabels": {"stateful-service-pair/statefulset": "mysql"}},
    }
    # A hard node rule of the user's beside the pair's soft one: Kubernetes allows both.
    own_host = k8s.core.v1.TopologySpreadConstraintArgs(
        topology_key=HOST, when_unsatisfiable="DoNotSchedule", max_skew=2
    )
    create(
        (
            "mysql",
            {
                **MYSQL,
                "extra_pod_spec": {"affinity": ssd, "topologySpreadConstraints": [rack, own_host]},
            },
        )
    )
    pod = pod_spec(mocks)
    assert pod["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"] == {
        "nodeSelectorTerms": [
            {"matchExpressions": [{"key": "disk", "operator": "In", "values": ["ssd"]}]}
        ]
    }
    assert pod["topologySpreadConstraints"] == [
        constraint("mysql", HOST, "ScheduleAnyway"),
        constraint("mysql", ZONE, "ScheduleAnyway"),
        rack,
        {"topologyKey": HOST, "whenUnsatisfiable": "DoNotSchedule", "maxSkew": 2},
    ]


# --- disruption budget ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("replicas", "majority"), [(0, 0), (1, 1), (2, 2), (3, 2), (4, 3), (5, 3), (7, 4)]
)
def test_quorum_is_a_strict_majority(replicas: int, majority: int) -> None:
    """``quorum`` keeps more than half of the Pods: 2 of 3, 3 of 4, 3 of 5."""
    assert quorum(replicas) == majority


def test_default_budget_allows_one_pod_down_and_evicts_unhealthy_pods(
    mocks: KubernetesMocks,
) -> None:
    """Default budget: maxUnavailable 1, no minAvailable, unhealthyPodEvictionPolicy AlwaysAllow."""
    create(("mysql", MYSQL))
    assert budget(mocks) == {
        "maxUnavailable": 1,
        "selector": {"matchLabels": {"stateful-service-pair/statefulset": "mysql"}},
        "unhealthyPodEvictionPolicy": "AlwaysAllow",
    }


def test_quorum_budget_keeps_a_majority_of_plain_and_output_replicas(
    mocks: KubernetesMocks,
) -> None:
    """``quorum`` becomes minAvailable = replicas // 2 + 1, also when replicas is an Output."""
    create(
        ("three", {**MYSQL, "replicas": 3, "pdb_min_available": "quorum"}),
        ("four", {**MYSQL, "replicas": 4, "pdb_min_available": "quorum"}),
        (
            "five",
            {**MYSQL, "replicas": pulumi.Output.from_input(5), "pdb_min_available": "quorum"},
        ),
    )
    for name, majority in (("three", 2), ("four", 3), ("five", 3)):
        spec = budget(mocks, name)
        assert spec["minAvailable"] == majority, name
        assert "maxUnavailable" not in spec, name


def test_min_available_integer_and_percentage_and_eviction_policy_overrides(
    mocks: KubernetesMocks,
) -> None:
    """An integer or percentage minAvailable goes through as given; IfHealthyBudget is allowed."""
    create(
        ("count", {**MYSQL, "replicas": 3, "pdb_min_available": 2}),
        (
            "share",
            {
                **MYSQL,
                "pdb_min_available": "51%",
                "pdb_unhealthy_pod_eviction_policy": "IfHealthyBudget",
            },
        ),
    )
    count, share = budget(mocks, "count"), budget(mocks, "share")
    assert (count["minAvailable"], "maxUnavailable" in count) == (2, False)
    assert (share["minAvailable"], "maxUnavailable" in share) == ("51%", False)
    assert share["unhealthyPodEvictionPolicy"] == "IfHealthyBudget"


def test_min_available_above_output_replicas_is_refused_when_they_resolve(
    mocks: KubernetesMocks,
) -> None:
    """With replicas as an Output, minAvailable > replicas fails once replicas is known."""

    @pulumi.runtime.test
    async def run() -> None:
        StatefulServicePair(
            "db", {**MYSQL, "replicas": pulumi.Output.from_input(2), "pdb_min_available": 3}
        )

    # Checked with replicas before anything registers, raised as itself.
    with pytest.raises(
        PairArgumentError, match=r"'db': pdb_min_available=3 is more than replicas=2"
    ):
        run()
    assert "PodDisruptionBudget" not in {obj.kind for obj in mocks.objects}


def test_min_available_within_output_replicas_is_kept(mocks: KubernetesMocks) -> None:
    """An integer minAvailable no larger than the resolved replicas goes through."""
    create(("db", {**MYSQL, "replicas": pulumi.Output.from_input(3), "pdb_min_available": 3}))
    assert budget(mocks, "db")["minAvailable"] == 3


def test_a_whole_float_from_another_language_is_an_integer() -> None:
    """Numbers from other Pulumi languages arrive as doubles; 2.0 is the integer 2."""
    spec = validate("db", {**MYSQL, "replicas": 3, "pdb_min_available": 2.0})
    assert spec.pdb_min_available == 2 and type(spec.pdb_min_available) is int


# --- shutdown and priority ------------------------------------------------------------------


def test_shutdown_defaults_give_a_database_a_minute_and_no_hook(mocks: KubernetesMocks) -> None:
    """Default: terminationGracePeriodSeconds 60, no preStop hook, no PriorityClass."""
    create(("mysql", MYSQL))
    pod = pod_spec(mocks)
    assert pod["terminationGracePeriodSeconds"] == 60
    assert "priorityClassName" not in pod
    assert "lifecycle" not in pod["containers"][0]


def test_shutdown_and_priority_overrides(mocks: KubernetesMocks) -> None:
    """Grace period, preStop command and PriorityClass reach the Pod template."""
    create(
        (
            "mysql",
            {
                **MYSQL,
                "termination_grace_period_seconds": 300,
                "pre_stop": ["/bin/sh", "-c", "mysqladmin shutdown"],
                "priority_class_name": "databases",
            },
        )
    )
    pod = pod_spec(mocks)
    assert pod["terminationGracePeriodSeconds"] == 300
    assert pod["priorityClassName"] == "databases"
    assert pod["containers"][0]["lifecycle"] == {
        "preStop": {"exec": {"command": ["/bin/sh", "-c", "mysqladmin shutdown"]}}
    }


# --- rollouts -------------------------------------------------------------------------------


def test_rolling_update_without_extras_has_no_rolling_update_block(mocks: KubernetesMocks) -> None:
    """By default the update strategy is bare RollingUpdate: Kubernetes' one Pod at a time."""
    create(("mysql", MYSQL))
    assert manifest(mocks, "StatefulSet", "mysql")["spec"]["updateStrategy"] == {
        "type": "RollingUpdate"
    }


@pytest.mark.parametrize("max_unavailable", [2, "25%"])
def test_rolling_update_max_unavailable_beside_partition(
    mocks: KubernetesMocks, max_unavailable: int | str
) -> None:
    """maxUnavailable (integer or percentage) sits beside partition in rollingUpdate."""
    create(
        (
            "mysql",
            {
                **MYSQL,
                "rolling_update_partition": 1,
                "rolling_update_max_unavailable": max_unavailable,
            },
        ),
        ("fast", {**MYSQL, "rolling_update_max_unavailable": max_unavailable}),
    )
    assert manifest(mocks, "StatefulSet", "mysql")["spec"]["updateStrategy"] == {
        "type": "RollingUpdate",
        "rollingUpdate": {"partition": 1, "maxUnavailable": max_unavailable},
    }
    assert manifest(mocks, "StatefulSet", "fast")["spec"]["updateStrategy"] == {
        "type": "RollingUpdate",
        "rollingUpdate": {"maxUnavailable": max_unavailable},
    }


# --- diagnostic mode ------------------------------------------------------------------------


def test_diagnostic_mode_idles_the_pods_without_probes_or_waiting(mocks: KubernetesMocks) -> None:
    """The main container sleeps, probes are gone, pulumi up does not wait; the rest stays."""
    args: dict[str, Any] = {
        **MYSQL,
        "command": ["mysqld"],
        "args": ["--innodb-buffer-pool-size=1G"],
        "env": {"TZ": "UTC"},
        "startup_probe": {"port": "mysql"},
        "extra_container_spec": {
            "working_dir": "/data",
            "readiness_probe": k8s.core.v1.ProbeArgs(
                exec_=k8s.core.v1.ExecActionArgs(command=["mysqladmin", "ping"])
            ),
        },
    }
    create(("mysql", {**args, "diagnostic_mode": True}), ("normal", {**args, "image": "mysql:8"}))
    pod = pod_spec(mocks)
    main = pod["containers"][0]
    assert main["command"] == ["sleep", "infinity"]
    for field in ("args", "readinessProbe", "livenessProbe", "startupProbe"):
        assert field not in main, field
    for kind in ("StatefulSet", "Service"):
        annotations = manifest(mocks, kind, "mysql")["metadata"]["annotations"]
        assert annotations == {"pulumi.com/skipAwait": "true"}, kind
    # Everything else is the pair as configured: compare with the same pair not in diagnosis.
    normal = pod_spec(mocks, "normal")["containers"][0]
    for field in ("env", "ports", "resources", "securityContext", "volumeMounts", "workingDir"):
        assert main[field] == normal[field], field
    assert {"readinessProbe", "livenessProbe", "startupProbe"} <= set(normal)
    assert normal["command"] == ["mysqld"]


def test_diagnostic_command_can_be_replaced(mocks: KubernetesMocks) -> None:
    """Images without ``sleep`` (distroless) get the idle command the user names."""
    create(
        (
            "etcd",
            {
                **MYSQL,
                "diagnostic_mode": True,
                "diagnostic_command": ["/busybox/sh", "-c", "trap : TERM; sleep 1d & wait"],
            },
        )
    )
    main = pod_spec(mocks, "etcd")["containers"][0]
    assert main["command"] == ["/busybox/sh", "-c", "trap : TERM; sleep 1d & wait"]


# --- bad input ------------------------------------------------------------------------------


def with_(**overrides: Any) -> dict[str, Any]:
    return {**MYSQL, **overrides}


BAD_INPUT = [
    (
        with_(spread={"node": "sometimes"}),
        "spread.node",
        "sometimes",
        "must be one of 'soft', 'hard', 'off'",
    ),
    (with_(spread={"region": "soft"}), "spread.region", "soft", "is not an argument of SpreadArgs"),
    (with_(spread="soft"), "spread", "soft", "must be a mapping"),
    (
        with_(
            extra_pod_spec={
                "topologySpreadConstraints": [
                    {"topologyKey": HOST, "whenUnsatisfiable": "ScheduleAnyway", "maxSkew": 2}
                ]
            }
        ),
        "extra_pod_spec['topology_spread_constraints'][0]",
        {"topologyKey": HOST, "whenUnsatisfiable": "ScheduleAnyway"},
        "repeats the constraint of spread.node='soft'",
    ),
    (
        with_(
            spread={"zone": "hard"},
            extra_pod_spec={
                "topology_spread_constraints": [
                    k8s.core.v1.TopologySpreadConstraintArgs(
                        topology_key=ZONE, when_unsatisfiable="DoNotSchedule", max_skew=1
                    )
                ]
            },
        ),
        "extra_pod_spec['topology_spread_constraints'][0]",
        {"topologyKey": ZONE, "whenUnsatisfiable": "DoNotSchedule"},
        "pass spread={'zone': 'off'} to use only yours",
    ),
    (
        with_(pdb_min_available="quorum", pdb_max_unavailable=1),
        "pdb_min_available",
        "quorum",
        "cannot be combined with pdb_max_unavailable=1",
    ),
    (
        with_(pdb_min_available="150%"),
        "pdb_min_available",
        "150%",
        "from '1%' to '100%' or 'quorum'",
    ),
    (with_(pdb_min_available="0%"), "pdb_min_available", "0%", "from '1%' to '100%'"),
    (with_(pdb_min_available=0), "pdb_min_available", 0, "an integer >= 1"),
    (with_(pdb_min_available="majority"), "pdb_min_available", "majority", "or 'quorum'"),
    (with_(pdb_min_available=True), "pdb_min_available", True, "an integer >= 1"),
    (with_(pdb_min_available=1.5), "pdb_min_available", 1.5, "an integer >= 1"),
    (
        with_(replicas=3, pdb_min_available=4),
        "pdb_min_available",
        4,
        "is more than replicas=3: no Pod could ever be evicted",
    ),
    (
        with_(pod_disruption_budget=False, pdb_min_available="quorum"),
        "pdb_min_available",
        "quorum",
        "only applies with pod_disruption_budget=True",
    ),
    (
        with_(pdb_unhealthy_pod_eviction_policy="Never"),
        "pdb_unhealthy_pod_eviction_policy",
        "Never",
        "must be one of 'IfHealthyBudget', 'AlwaysAllow'",
    ),
    (
        with_(termination_grace_period_seconds=-1),
        "termination_grace_period_seconds",
        -1,
        "must be >= 0",
    ),
    (
        with_(
            termination_grace_period_seconds=90,
            extra_pod_spec={"terminationGracePeriodSeconds": 30},
        ),
        "termination_grace_period_seconds",
        90,
        "is also set by extra_pod_spec['termination_grace_period_seconds']",
    ),
    (with_(pre_stop=[]), "pre_stop", [], "must be a non-empty command"),
    (with_(pre_stop="sleep 5"), "pre_stop", "sleep 5", "must be a list of strings"),
    (
        with_(pre_stop=["sleep", "5"], extra_container_spec={"lifecycle": {}}),
        "pre_stop",
        ["sleep", "5"],
        "is also set by extra_container_spec['lifecycle'], which would replace it",
    ),
    (
        with_(priority_class_name="Critical_DB"),
        "priority_class_name",
        "Critical_DB",
        "DNS subdomain",
    ),
    (with_(rolling_update_max_unavailable=0), "rolling_update_max_unavailable", 0, ">= 1"),
    (
        with_(rolling_update_max_unavailable="101%"),
        "rolling_update_max_unavailable",
        "101%",
        "from '1%' to '100%'",
    ),
    (
        with_(rolling_update_max_unavailable="quorum"),
        "rolling_update_max_unavailable",
        "quorum",
        "an integer >= 1 or a percentage from '1%' to '100%'",
    ),
    (
        with_(update_strategy="OnDelete", rolling_update_max_unavailable=2),
        "rolling_update_max_unavailable",
        2,
        "only applies with update_strategy='RollingUpdate'",
    ),
    (with_(diagnostic_mode="yes"), "diagnostic_mode", "yes", "must be True or False"),
    (with_(diagnostic_command=[]), "diagnostic_command", [], "must be a non-empty command"),
]


@pytest.mark.parametrize(("args", "argument", "value", "rule"), BAD_INPUT)
def test_bad_availability_input_is_refused_before_registering(
    mocks: KubernetesMocks, args: dict[str, Any], argument: str, value: Any, rule: str
) -> None:
    """The error names the argument, the value and the rule, and nothing is registered."""

    @pulumi.runtime.test
    async def run() -> None:
        StatefulServicePair("db", args)

    with pytest.raises(PairArgumentError) as caught:
        run()
    error = caught.value
    assert (error.argument, error.value) == (argument, value)
    assert rule in error.rule
    assert mocks.objects == []
