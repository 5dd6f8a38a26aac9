"""Storage changes a deployed StatefulSet cannot take, and Kubernetes quantities.

A StatefulSet's volumeClaimTemplates cannot change in place. The pair keeps the
StatefulSet from being replaced over them (``ignore_changes``) and calls
:func:`storage_drift` with what the deployed StatefulSet really has, so a
change is refused with the safe procedure instead of silently doing nothing
or restarting every Pod. Pure functions.
"""

from __future__ import annotations

from collections.abc import Sequence

from ._quantity import QUANTITY_PATTERN, quantity_value
from ._spec import StorageSpec
from ._validation import PairArgumentError

__all__ = ["quantity_value", "storage_drift"]


def _same_size(wanted: str, deployed: object) -> bool:
    return (
        isinstance(deployed, str)
        and bool(QUANTITY_PATTERN.match(deployed))
        and (quantity_value(wanted) == quantity_value(deployed))
    )


def storage_drift(
    component: str,
    wanted: Sequence[tuple[str, StorageSpec]],
    deployed: list[dict[str, object]],
) -> None:
    """Refuse a storage change that the deployed StatefulSet cannot take in place.

    ``wanted`` is every claim template the pair asks for, each with the argument it came from
    (``PairSpec.claims``). ``deployed`` describes the volumeClaimTemplates the StatefulSet
    really has (``name``, ``size``, ``storage_class_name``, ``access_modes``). Kubernetes
    forbids changing them, and replacing the StatefulSet would restart every Pod while leaving
    the existing claims at their old size, so the pair stops and says how to make the change
    safely. That covers every template: one added, removed, renamed or changed. Their order
    does not matter (each Pod mounts its claims by name).

    Raises:
        PairArgumentError: naming the storage argument that differs.
    """
    if not wanted and not deployed:
        return
    procedure = (
        "volumeClaimTemplates cannot change in place, and replacing the StatefulSet would "
        "restart every Pod without touching the existing volumes, so the pair refuses. "
        "Safe procedure: (1) change each PVC in place if its StorageClass allows it, e.g. "
        "kubectl patch pvc <claim>-<statefulset>-<ordinal> -p "
        '\'{"spec":{"resources":{"requests":{"storage":"<size>"}}}}\'; '
        "(2) kubectl delete statefulset <statefulset> --cascade=orphan (Pods and PVCs keep "
        "running); (3) pulumi refresh, then pulumi up: the new StatefulSet adopts the running "
        "Pods and their PVCs"
    )
    if not wanted:
        raise PairArgumentError(
            component, "storage", None, f"would remove the deployed claim template; {procedure}"
        )
    if not deployed:
        where, first = wanted[0]
        argument, value = (
            ("storage", first.size)
            if where == "storage"
            else ("storage_claims", [claim.claim_name for _where, claim in wanted])
        )
        raise PairArgumentError(
            component,
            argument,
            value,
            f"would add a claim template to a StatefulSet deployed without one; {procedure}",
        )
    if len(wanted) == 1 and len(deployed) == 1:
        # One template each: a different name is a rename of that template.
        _same_template(component, *wanted[0], deployed[0], procedure)
        return
    by_name = {template.get("name"): template for template in deployed}
    names = [claim.claim_name for _where, claim in wanted]
    for name in by_name:
        if name not in names:
            raise PairArgumentError(
                component,
                "storage_claims" if wanted[0][0] != "storage" else "storage",
                names if wanted[0][0] != "storage" else wanted[0][1].size,
                f"would remove the deployed claim template {name!r}; {procedure}",
            )
    for where, claim in wanted:
        if claim.claim_name not in by_name:
            raise PairArgumentError(
                component,
                f"{where}.claim_name",
                claim.claim_name,
                "would add a claim template to the deployed StatefulSet (it has "
                f"{sorted(map(str, by_name))}); {procedure}",
            )
        _same_template(component, where, claim, by_name[claim.claim_name], procedure)


def _same_template(
    component: str, where: str, wanted: StorageSpec, current: dict[str, object], procedure: str
) -> None:
    def changed(argument: str, value: object, deployed_value: object) -> PairArgumentError:
        return PairArgumentError(
            component,
            f"{where}.{argument}",
            value,
            f"differs from the deployed StatefulSet ({deployed_value!r}); {procedure}",
        )

    if wanted.claim_name != current.get("name"):
        raise changed("claim_name", wanted.claim_name, current.get("name"))
    if not _same_size(wanted.size, current.get("size")):
        raise changed("size", wanted.size, current.get("size"))
    if wanted.storage_class_name != current.get("storage_class_name"):
        raise changed(
            "storage_class_name", wanted.storage_class_name, current.get("storage_class_name")
        )
    if list(wanted.access_modes) != current.get("access_modes"):
        raise changed("access_modes", list(wanted.access_modes), current.get("access_modes"))
