"""``storage.on_change="expand"``: grow every claim and replace the StatefulSet, Pods running.

What pulumi-kubernetes and the Pulumi engine do, and what this plan relies on (checked in
provider v4 ``pkg/await/await.go`` ``Deletion``, ``pkg/provider/provider.go`` ``Diff`` and
``Delete``, ``pkg/ssa`` ``Relinquish``; engine ``pkg/resource/deploy/step.go``
``DeleteStep.Apply``):

- A changed ``spec.volumeClaimTemplates`` makes the provider replace the StatefulSet, deleting
  it first because its name is fixed (``Diff``: ``deleteBeforeReplace``).
- The provider deletes with the propagation policy of the annotation
  ``pulumi.com/deletionPropagationPolicy`` read from the **old** object's stored inputs
  (``Deletion``: ``metadata.DeletionPropagation(c.Inputs)``). The annotation must therefore
  already be in the state *before* the ``up`` that replaces the StatefulSet: the expand mode
  keeps ``orphan`` on the StatefulSet at all times.
- So that ``pulumi destroy`` still deletes the Pods, the StatefulSet is ``deleted_with`` an
  anchor ConfigMap that it names as its owner: the engine skips a resource's own Delete when
  its ``deletedWith`` resource is deleted in the same operation (``DeleteStep.Apply``:
  ``isDeletedWith``), and the provider deletes the anchor in the foreground, so Kubernetes'
  garbage collector deletes the StatefulSet and, through it, its Pods. A replacement of the
  StatefulSet alone does not delete the anchor, so that delete is the provider's, orphaning.
- Each existing claim is resized by a ``PersistentVolumeClaimPatch`` (server-side apply,
  ``pulumi.com/patchForce`` because the claim's size field belongs to the StatefulSet
  controller that created it). On delete the provider would relinquish the patch's fields,
  which fails for a required field (``Delete``: "this Patch resource is currently managing a
  required field"); the patches are ``retain_on_delete`` and leave the claims as they are.
  A patch applied to a claim that does not exist would create it (``Creation`` always
  sends an apply patch, an upsert), so each patch waits for the StatefulSet, which has
  created every claim by then.
- The provider previews the re-created StatefulSet as a server-side dry-run apply, against
  the StatefulSet that still exists, and the API server refuses the changed claim template
  (``Create``; pulumi-kubernetes#3984). It skips that dry run when an input is unknown. So a
  ``ConfigMapPatch`` on the anchor records the size and is replaced when it changes: at a
  preview, a created patch comes back without ``metadata.uid`` (``Create`` returns a Patch
  resource's inputs), and the StatefulSet's ``CLAIM_SIZE_ANNOTATION``, which waits for it,
  is unknown exactly then. With the size unchanged the record's state carries its uid.

Pure: returns names, annotations and refusals; the component registers the objects, and
:mod:`._preview` makes the claim-size annotation unknown at the preview that needs it.
"""

from __future__ import annotations

import json

from ._quantity import QUANTITY_PATTERN, quantity_value
from ._spec import PairSpec, StorageSpec
from ._validation import PairArgumentError

__all__ = [
    "ANCHOR_RECORD_KEYS",
    "CLAIM_SIZE_ANNOTATION",
    "CLAIM_SIZE_KEY",
    "EXPAND",
    "ORPHAN_ANNOTATIONS",
    "PATCH_ANNOTATIONS",
    "anchor_name",
    "anchor_record",
    "check_expandable",
    "check_record",
    "check_storage_class",
    "claim_names",
    "expanding",
]

EXPAND = "expand"

ORPHAN_ANNOTATIONS = {"pulumi.com/deletionPropagationPolicy": "orphan"}
"""On the StatefulSet: a replacement deletes it without deleting its Pods."""

PATCH_ANNOTATIONS = {"pulumi.com/patchForce": "true", "pulumi.com/skipAwait": "true"}
"""On each claim patch: take the size field over from the StatefulSet controller, and do not
wait for the claim to bind (the StatefulSet's own wait covers its Pods and claims)."""

CLAIM_SIZE_KEY = "claimSize"
"""The anchor's key that the claim size record (a ConfigMapPatch) sets."""

CLAIM_SIZE_ANNOTATION = "stateful-service-pair/claim-size"
"""On the StatefulSet: the claim size, once the claim size record holds it."""

ANCHOR_RECORD_KEYS = ("claimName", "storageClassName", "accessModes")
"""The claim template fields that cannot change in expand mode, recorded on the anchor."""

_MANUAL = (
    "claims cannot change this in place; migrate the data to a new pair, or follow the manual "
    "procedure in the README 'Changing storage safely' with storage.on_change='refuse'"
)


def expanding(spec: PairSpec) -> bool:
    """Whether the pair runs in expand mode (storage present and ``on_change="expand"``)."""
    return spec.storage is not None and spec.storage.on_change == EXPAND


def check_expandable(spec: PairSpec) -> None:
    """Refuse, before anything registers, an expand-mode pair whose claims cannot be listed.

    Raises:
        PairArgumentError: ``replicas`` is an Output, ``storage.storage_class_name`` is not
            given, or ``skip_await`` is on.
    """
    if not expanding(spec):
        return
    if not isinstance(spec.replicas, int):
        raise PairArgumentError(
            spec.component_name,
            "storage.on_change",
            EXPAND,
            "needs a plain integer replicas (not an Output): one claim patch is registered per "
            "Pod, and Pulumi must know them before it can show them at preview",
        )
    if spec.storage is not None and not spec.storage.storage_class_name:
        raise PairArgumentError(
            spec.component_name,
            "storage.storage_class_name",
            None,
            f"must name the StorageClass with on_change={EXPAND!r}: the pair reads it to check "
            "that it allows volume expansion (allowVolumeExpansion); without a name the claims "
            "get the cluster's default class, which the pair cannot look up. Name the class",
        )
    if spec.skip_await:
        raise PairArgumentError(
            spec.component_name,
            "storage.on_change",
            EXPAND,
            "cannot be combined with skip_await=True: each claim patch waits for the "
            "StatefulSet to have created its claim (a patch of a missing claim would create it)",
        )


def check_storage_class(component: str, storage: StorageSpec, allows_expansion: object) -> None:
    """Refuse expand mode on a StorageClass without ``allowVolumeExpansion: true``.

    ``allows_expansion`` is the class's field as the cluster returns it (read at preview).
    Without it the API server refuses every claim resize, so the expansion would stop halfway.

    Raises:
        PairArgumentError: naming ``storage.storage_class_name``.
    """
    if allows_expansion is not True:
        shown = "not set" if allows_expansion is None else json.dumps(allows_expansion)
        raise PairArgumentError(
            component,
            "storage.storage_class_name",
            storage.storage_class_name,
            f"does not allow volume expansion (its allowVolumeExpansion is {shown}), "
            f"which on_change={EXPAND!r} needs to resize the claims; allow it on the class, or "
            "use on_change='refuse'",
        )


def claim_names(spec: PairSpec) -> list[str]:
    """``<claim>-<statefulset>-<ordinal>`` for every Pod; empty outside expand mode."""
    if not expanding(spec) or spec.storage is None or not isinstance(spec.replicas, int):
        return []
    return [
        f"{spec.storage.claim_name}-{spec.stateful_set_name}-{ordinal}"
        for ordinal in range(spec.ordinals_start, spec.ordinals_start + spec.replicas)
    ]


def anchor_name(spec: PairSpec) -> str:
    """The anchor ConfigMap's name: follows the StatefulSet's, so a rename replaces both."""
    return f"{spec.stateful_set_name}-storage"


def anchor_record(storage: StorageSpec) -> dict[str, str]:
    """The anchor's data: the claim template fields that expand mode never changes."""
    return {
        "claimName": storage.claim_name,
        "storageClassName": storage.storage_class_name or "",
        "accessModes": ",".join(storage.access_modes),
        "firstSize": storage.size,
    }


def check_record(component: str, storage: StorageSpec, deployed: object) -> None:
    """Refuse a claim name, StorageClass or access mode change against the anchor's record.

    ``deployed`` is the anchor's data as Pulumi holds it (``ignore_changes``: the values
    first deployed in expand mode). Its ``firstSize`` is a floor, not the current size: a
    size between it and the current one is for the API server to judge at the claim patch's
    dry run (README "Growing storage in one pulumi up", "Shrinking").

    Raises:
        PairArgumentError: naming the storage argument that differs.
    """
    if not isinstance(deployed, dict):
        return
    wanted = anchor_record(storage)
    arguments = {
        "claimName": ("storage.claim_name", storage.claim_name),
        "storageClassName": ("storage.storage_class_name", storage.storage_class_name),
        "accessModes": ("storage.access_modes", list(storage.access_modes)),
    }
    for key in ANCHOR_RECORD_KEYS:
        if key in deployed and deployed[key] != wanted[key]:
            argument, value = arguments[key]
            raise PairArgumentError(
                component,
                argument,
                value,
                f"differs from the deployed claim template ({deployed[key]!r}); {_MANUAL}",
            )
    first = deployed.get("firstSize")
    if (
        isinstance(first, str)
        and QUANTITY_PATTERN.match(first)
        and quantity_value(storage.size) < quantity_value(first)
    ):
        raise PairArgumentError(
            component,
            "storage.size",
            storage.size,
            f"is smaller than the size the claims were created with ({first!r}); claims "
            "cannot shrink. Keep the size, or migrate the data to a new pair",
        )
