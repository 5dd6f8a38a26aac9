"""Kubernetes quantities (``500m``, ``1Gi``, ``2``) and the numbers they stand for. Pure.

Shared by validation (requests must not exceed limits) and the storage-drift check (a deployed
size is compared by number, since the API server stores quantities in canonical form).
"""

from __future__ import annotations

import re
from decimal import Decimal

QUANTITY_PATTERN = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+|[KMGTPE]i|[numkMGTPE])?$")

# Quantity suffixes: binary (Ki = 1024) and decimal (k = 1000, m = 1/1000).
_SUFFIX_FACTORS = {
    **{f"{suffix}i": Decimal(1024) ** power for power, suffix in enumerate("KMGTPE", start=1)},
    **{suffix: Decimal(1000) ** power for power, suffix in enumerate("kMGTPE", start=1)},
    "n": Decimal("1e-9"),
    "u": Decimal("1e-6"),
    "m": Decimal("1e-3"),
}


def quantity_value(quantity: str) -> Decimal:
    """The number a Kubernetes quantity stands for: ``"512Mi"`` and ``"0.5Gi"`` are equal.

    The API server stores quantities in a canonical form, so a deployed value must be
    compared by number, not by spelling.
    """
    match = QUANTITY_PATTERN.match(quantity)
    if not match:
        raise ValueError(f"{quantity!r} is not a Kubernetes quantity")
    suffix = match.group(3) or ""
    number = quantity[: len(quantity) - len(suffix)] if suffix else quantity
    if suffix[:1] in ("e", "E"):
        return Decimal(quantity)
    return Decimal(number) * _SUFFIX_FACTORS.get(suffix, Decimal(1))
