"""Storage changes a deployed StatefulSet cannot take, and Kubernetes quantities.

A StatefulSet's volumeClaimTemplates cannot change in place. The pair keeps the
StatefulSet from being replaced over them (``ignore_changes``) and calls
:func:`storage_drift` with what the deployed StatefulSet really has, so a
change is refused with the safe procedure instead of silently doing nothing
or restarting every Pod. Pure functions.
"""

from __future__ import annotations

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
    component: str, wanted: StorageSpec | None, deployed: list[dict[str, object]]
) -> None:
    """Refuse a storage change that the deployed StatefulSet cannot take in place.

    ``deployed`` describes the volumeClaimTemplates the StatefulSet really has
    (``name``, ``size``, ``storage_class_name``, ``access_modes``). Kubernetes
    forbids changing them, and replacing the StatefulSet would restart every Pod
    while leaving the existing claims at their old size, so the pair stops and
    says how to make the change safely.

    Raises:
        PairArgumentError: naming the storage argument that differs.
    """
    current = deployed[0] if deployed else None
    if wanted is None and current is None:
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
    if wanted is None:
        raise PairArgumentError(
            component, "storage", None, f"would remove the deployed claim template; {procedure}"
        )
    if current is None:
        raise PairArgumentError(
            component,
            "storage",
            wanted.size,
            f"would add a claim template to a StatefulSet deployed without one; {procedure}",
        )

    def changed(argument: str, value: object, deployed_value: object) -> PairArgumentError:
        return PairArgumentError(
            component,
            argument,
            value,
            f"differs from the deployed StatefulSet ({deployed_value!r}); {procedure}",
        )

    if wanted.claim_name != current.get("name"):
        raise changed("storage.claim_name", wanted.claim_name, current.get("name"))
    if not _same_size(wanted.size, current.get("size")):
        raise changed("storage.size", wanted.size, current.get("size"))
    if wanted.storage_class_name != current.get("storage_class_name"):
        raise changed(
            "storage.storage_class_name",
            wanted.storage_class_name,
            current.get("storage_class_name"),
        )
    if list(wanted.access_modes) != current.get("access_modes"):
        raise changed(
            "storage.access_modes", list(wanted.access_modes), current.get("access_modes")
        )
