"""The Pods' ServiceAccount: created by the pair, or one that exists. Pure.

The created account sets ``automountServiceAccountToken: false``, and the Pods keep their own
``automount_service_account_token`` (default ``False``): an account made for cloud identity
(EKS IRSA, GKE Workload Identity, Azure Workload Identity) needs no Kubernetes API token in the
Pods; the identity webhooks project their own token. Who may use the API is a separate decision.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from . import _arguments as table
from . import _naming as naming
from ._args import ServiceAccountArgs
from ._spec import PairSpec, ServiceAccountSpec

if TYPE_CHECKING:
    from ._validation import _Checker

DEFAULT_ACCOUNT = "default"


def with_service_account(check: _Checker, raw: Mapping[str, Any], pair: PairSpec) -> PairSpec:
    """``pair`` with its checked ``service_account``; the Pods' ``service_account_name`` is its
    name."""
    value = raw.get("service_account")
    if value is None:
        return pair
    given = check.keys("service_account", value, ServiceAccountArgs)
    if "service_account_name" in raw and raw["service_account_name"] is not None:
        raise check.fail(
            "service_account_name",
            raw["service_account_name"],
            "cannot be given with service_account: use service_account={'create': False, "
            "'name': ...} for an account that exists, or only service_account_name",
        )
    create = check.boolean(
        "service_account.create", given.get("create", table.default("service_account.create"))
    )
    if "name" in given:
        name = check.text("service_account.name", given["name"], naming.dns1123_subdomain_problem)
    elif create:
        name = pair.stateful_set_name
    else:
        raise check.fail(
            "service_account.name",
            None,
            "is required with create=False: name the existing ServiceAccount",
        )
    annotations: dict[str, Any] = {}
    if "annotations" in given:
        if not create:
            raise check.fail(
                "service_account.annotations",
                dict(given["annotations"]),
                "only applies with create=True: the pair does not change an existing account",
            )
        annotations = check.string_map(
            "service_account.annotations",
            given["annotations"],
            naming.label_key_problem,
            outputs=True,
        )
    account = ServiceAccountSpec(name=name, create=create, annotations=annotations)
    return dataclasses.replace(pair, service_account=account, service_account_name=name)


def pods_account(pair: PairSpec) -> str:
    """The ServiceAccount the Pods run as: the given or created one, else ``default``."""
    return pair.service_account_name or DEFAULT_ACCOUNT
