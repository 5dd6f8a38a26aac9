"""Availability of a pair: spread, disruption budget, shutdown, rollouts, diagnostic mode.

Pure functions, no resources: :func:`arguments` checks these arguments (defaults from
:mod:`._arguments`), :func:`check_combinations` the rules between them and the rest of the
spec, :func:`with_diagnostic_mode` rewrites a spec for debugging, and the remaining functions
shape the ``pulumi_kubernetes`` fields that :mod:`._builders` adds to the objects.

Why topologySpreadConstraints and not podAntiAffinity for ``spread``: anti-affinity says "at
most one of these Pods per node (or zone)", so a hard rule leaves the fourth replica on three
nodes Pending forever and a three-zone cluster can never run five replicas. A spread constraint
with maxSkew 1 says "balanced, within one Pod", which holds for any replica count: three
replicas on three nodes land one per node, six land two per node. It also leaves the Pod's
``affinity`` entirely to the user (``extra_pod_spec``), so nothing has to be merged into it;
the user's own constraints are appended to the pair's. ``nodeTaintsPolicy: Honor`` keeps nodes
the Pods cannot tolerate (a tainted control plane, say) out of the skew, where they would
otherwise count as empty domains and block a ``hard`` spread.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pulumi
import pulumi_kubernetes as k8s

from . import _arguments as table
from ._args import SpreadArgs
from ._spec import PairSpec, SpreadSpec

if TYPE_CHECKING:
    from ._validation import _Checker

NODE_TOPOLOGY_KEY = "kubernetes.io/hostname"
ZONE_TOPOLOGY_KEY = "topology.kubernetes.io/zone"
WHEN_UNSATISFIABLE = {"soft": "ScheduleAnyway", "hard": "DoNotSchedule"}
QUORUM = "quorum"

_PERCENT = re.compile(r"^(\d{1,4})%$")
# PriorityClass names are DNS subdomains (RFC 1123).
_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
# Fields of extra_container_spec that would bring the workload back in diagnostic mode.
_WORKLOAD_FIELDS = ("command", "args", "readiness_probe", "liveness_probe", "startup_probe")


def quorum(replicas: int) -> int:
    """A majority of ``replicas``: the fewest Pods a Raft or Paxos cluster keeps working with."""
    return replicas // 2 + 1 if replicas > 0 else 0


def arguments(check: _Checker, raw: Mapping[str, Any]) -> dict[str, Any]:
    """The checked availability arguments as :class:`PairSpec` fields, defaults filled in."""

    def text_list(where: str, value: object) -> tuple[str, ...]:
        command = check.texts(where, value)
        if not command:
            raise check.fail(where, value, "must be a non-empty command, e.g. ['sleep', '5']")
        return command

    return {
        "spread": check.optional(raw, "spread", _spread(check, {}), lambda w, v: _spread(check, v)),
        "pdb_min_available": check.optional(
            raw,
            "pdb_min_available",
            None,
            lambda w, v: _int_or_percent(check, w, v, allow_quorum=True),
        ),
        "pdb_unhealthy_pod_eviction_policy": check.choice(
            "pdb_unhealthy_pod_eviction_policy",
            raw.get(
                "pdb_unhealthy_pod_eviction_policy",
                table.default("pdb_unhealthy_pod_eviction_policy"),
            ),
            table.choices("pdb_unhealthy_pod_eviction_policy"),
        ),
        "termination_grace_period_seconds": check.integer(
            "termination_grace_period_seconds",
            raw.get(
                "termination_grace_period_seconds",
                table.default("termination_grace_period_seconds"),
            ),
            0,
        ),
        "pre_stop": check.optional(raw, "pre_stop", None, text_list),
        "priority_class_name": check.optional(
            raw, "priority_class_name", None, lambda w, v: check.text(w, v, _subdomain_problem)
        ),
        "rolling_update_max_unavailable": check.optional(
            raw,
            "rolling_update_max_unavailable",
            None,
            lambda w, v: _int_or_percent(check, w, v, allow_quorum=False),
        ),
        "diagnostic_mode": check.boolean(
            "diagnostic_mode", raw.get("diagnostic_mode", table.default("diagnostic_mode"))
        ),
        "diagnostic_command": text_list(
            "diagnostic_command",
            raw.get("diagnostic_command", table.default("diagnostic_command")),
        ),
    }


def _spread(check: _Checker, value: object) -> SpreadSpec:
    spread = check.keys("spread", value, SpreadArgs)
    return SpreadSpec(
        **{
            topology: check.choice(
                f"spread.{topology}",
                spread.get(topology, table.default(f"spread.{topology}")),
                table.choices(f"spread.{topology}"),
            )
            for topology in ("node", "zone")
        }
    )


def _int_or_percent(check: _Checker, where: str, value: object, *, allow_quorum: bool) -> int | str:
    """An integer >= 1 or a percentage from 1% to 100% (or ``"quorum"``), as Kubernetes'
    IntOrString fields take them."""
    shape = "an integer >= 1 or a percentage from '1%' to '100%'" + (
        " or 'quorum'" if allow_quorum else ""
    )
    # Numbers from other Pulumi languages arrive as doubles; this argument is untyped in the
    # schema (int or string), so the plugin does not turn them back into ints.
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str):
        if allow_quorum and value == QUORUM:
            return value
        match = _PERCENT.match(value)
        if match is None or not 1 <= int(match.group(1)) <= 100:
            raise check.fail(where, value, f"must be {shape}")
        return value
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise check.fail(where, value, f"must be {shape}")
    return value


def _subdomain_problem(value: str) -> str | None:
    if len(value) > 253 or not _SUBDOMAIN.match(value):
        return "must be a DNS subdomain: lowercase letters, digits, '-' and '.', at most 253"
    return None


def check_combinations(check: _Checker, raw: Mapping[str, Any], pair: PairSpec) -> None:
    """Rules between the availability arguments and the rest of the pair."""
    if "pdb_min_available" in raw and "pdb_max_unavailable" in raw:
        raise check.fail(
            "pdb_min_available",
            raw["pdb_min_available"],
            f"cannot be combined with pdb_max_unavailable={raw['pdb_max_unavailable']!r}: a "
            "PodDisruptionBudget takes minAvailable or maxUnavailable; drop one of them",
        )
    if not pair.pod_disruption_budget:
        for key in ("pdb_min_available", "pdb_unhealthy_pod_eviction_policy"):
            if key in raw:
                raise check.fail(key, raw[key], "only applies with pod_disruption_budget=True")
    minimum = pair.pdb_min_available
    if isinstance(minimum, int) and isinstance(pair.replicas, int) and 0 < pair.replicas < minimum:
        raise check.fail(
            "pdb_min_available",
            minimum,
            f"is more than replicas={pair.replicas}: no Pod could ever be evicted, so every node "
            f"drain would hang; use at most {pair.replicas}, or 'quorum'",
        )
    if pair.update_strategy == "OnDelete" and pair.rolling_update_max_unavailable is not None:
        raise check.fail(
            "rolling_update_max_unavailable",
            pair.rolling_update_max_unavailable,
            "only applies with update_strategy='RollingUpdate'",
        )
    _check_given_once(check, raw, pair)
    _check_spread_duplicates(check, pair)


def minimum_within_replicas(component: str, minimum: int, replicas: int) -> int:
    """``minimum`` if a Pod could still be evicted with ``replicas`` Pods; else the error."""
    if 0 < replicas < minimum:
        # Imported here: _validation imports this module.
        from ._validation import PairArgumentError  # noqa: PLC0415

        raise PairArgumentError(
            component,
            "pdb_min_available",
            minimum,
            f"is more than replicas={replicas}: no Pod could ever be evicted, so every node "
            f"drain would hang; use at most {replicas}, or 'quorum'",
        )
    return minimum


def _check_given_once(check: _Checker, raw: Mapping[str, Any], pair: PairSpec) -> None:
    """An argument and the extra field it fills may not both be given: one would be lost."""
    given_twice = (
        ("termination_grace_period_seconds", "extra_pod_spec", pair.extra_pod_spec),
        ("priority_class_name", "extra_pod_spec", pair.extra_pod_spec),
        ("pre_stop", "extra_container_spec", pair.extra_container_spec),
    )
    for key, extra_name, extra in given_twice:
        field = "lifecycle" if key == "pre_stop" else key
        if key in raw and field in extra:
            raise check.fail(
                key,
                raw[key],
                f"is also set by {extra_name}[{field!r}], which would replace it; give it once",
            )


def _check_spread_duplicates(check: _Checker, pair: PairSpec) -> None:
    """Kubernetes refuses two constraints with the same topologyKey and whenUnsatisfiable.

    Refused here, before anything registers, rather than by the Kubernetes API (for the
    Pods, or the StatefulSet) after the Services were created.
    """
    own = {
        (key, when): topology
        for topology, key in (("node", NODE_TOPOLOGY_KEY), ("zone", ZONE_TOPOLOGY_KEY))
        if (when := WHEN_UNSATISFIABLE.get(getattr(pair.spread, topology))) is not None
    }
    for index, constraint in enumerate(pair.extra_pod_spec.get("topology_spread_constraints", [])):
        fields = _fields(constraint)
        key = fields.get("topology_key", fields.get("topologyKey"))
        when = fields.get("when_unsatisfiable", fields.get("whenUnsatisfiable"))
        topology = own.get((key, when))
        if topology is not None:
            raise check.fail(
                f"extra_pod_spec['topology_spread_constraints'][{index}]",
                {"topologyKey": key, "whenUnsatisfiable": when},
                f"repeats the constraint of spread.{topology}="
                f"{getattr(pair.spread, topology)!r}, and Kubernetes would refuse every Pod; "
                f"pass spread={{{topology!r}: 'off'}} to use only yours",
            )


def _fields(item: object) -> Mapping[str, Any]:
    """The fields of a ``pulumi_kubernetes`` Args object or a mapping."""
    if isinstance(item, Mapping):
        return item
    return vars(item) if hasattr(item, "__dict__") else {}


def with_diagnostic_mode(pair: PairSpec) -> PairSpec:
    """The pair as ``diagnostic_mode`` runs it: idle command, no probes, no waiting."""
    if not pair.diagnostic_mode:
        return pair
    return dataclasses.replace(
        pair,
        command=pair.diagnostic_command,
        args=None,
        readiness_probe=None,
        liveness_probe=None,
        startup_probe=None,
        skip_await=True,
        extra_container_spec={
            key: value
            for key, value in pair.extra_container_spec.items()
            if key not in _WORKLOAD_FIELDS
        },
    )


def spread_constraints(spec: PairSpec) -> list[k8s.core.v1.TopologySpreadConstraintArgs]:
    """One constraint per topology that is not ``off``, counting only this pair's Pods."""
    constraints = []
    for topology, key in (("node", NODE_TOPOLOGY_KEY), ("zone", ZONE_TOPOLOGY_KEY)):
        when = WHEN_UNSATISFIABLE.get(getattr(spec.spread, topology))
        if when is None:
            continue
        constraints.append(
            k8s.core.v1.TopologySpreadConstraintArgs(
                topology_key=key,
                when_unsatisfiable=when,
                max_skew=1,
                label_selector=k8s.meta.v1.LabelSelectorArgs(match_labels=spec.selector_labels),
                node_taints_policy="Honor",
            )
        )
    return constraints


def pod_spec_fields(spec: PairSpec) -> dict[str, Any]:
    """The PodSpec fields this module owns (``extra_pod_spec`` may replace the scalar ones)."""
    return {
        "topology_spread_constraints": spread_constraints(spec),
        "termination_grace_period_seconds": spec.termination_grace_period_seconds,
        "priority_class_name": spec.priority_class_name,
    }


def lifecycle(spec: PairSpec) -> k8s.core.v1.LifecycleArgs | None:
    """The main container's preStop hook, if ``pre_stop`` is given."""
    if spec.pre_stop is None:
        return None
    return k8s.core.v1.LifecycleArgs(
        pre_stop=k8s.core.v1.LifecycleHandlerArgs(
            exec_=k8s.core.v1.ExecActionArgs(command=list(spec.pre_stop))
        )
    )


def rolling_update(spec: PairSpec) -> k8s.apps.v1.RollingUpdateStatefulSetStrategyArgs | None:
    """``partition`` and ``maxUnavailable`` of a RollingUpdate, or None when neither is set."""
    # Partition 0 (every Pod) is Kubernetes' default; the provider would not send it.
    partition = spec.rolling_update_partition or None
    if partition is None and spec.rolling_update_max_unavailable is None:
        return None
    return k8s.apps.v1.RollingUpdateStatefulSetStrategyArgs(
        partition=partition,
        max_unavailable=spec.rolling_update_max_unavailable,
    )


def disruption_budget_fields(spec: PairSpec, replicas: pulumi.Input[int]) -> dict[str, Any]:
    """``minAvailable`` (``"quorum"`` computed from ``replicas``, also an Output) or
    ``maxUnavailable``, and the unhealthy-Pod eviction policy."""
    fields: dict[str, Any] = {
        "unhealthy_pod_eviction_policy": spec.pdb_unhealthy_pod_eviction_policy,
    }
    if spec.pdb_min_available == QUORUM:
        fields["min_available"] = (
            quorum(replicas)
            if isinstance(replicas, int)
            # from_input is typed for plain values and Outputs only, not for an Awaitable.
            else pulumi.Output.from_input(replicas).apply(quorum)  # type: ignore[arg-type]
        )
    elif spec.pdb_min_available is not None:
        # An integer above replicas given as an Output is refused by the pair's gate
        # (minimum_within_replicas) before anything registers.
        fields["min_available"] = spec.pdb_min_available
    else:
        fields["max_unavailable"] = spec.pdb_max_unavailable
    return fields
