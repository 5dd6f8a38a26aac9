"""Stack outputs as the offline renderer reports them. Pure."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from stateful_service_pair.render._manifests import contains_secret

SECRET_DISPLAY = "[secret]"


@dataclass(frozen=True)
class StackOutput:
    """One resolved stack output and whether Pulumi would store it as a secret."""

    value: Any
    secret: bool


def display_value(output: StackOutput, secret_values: frozenset[str] = frozenset()) -> str:
    """How a stack output prints: strings bare, other values as JSON, secrets as `[secret]`.

    An output that is not marked secret but contains a secret config value prints as
    `[secret]` too (a program that read a secret with `Config.get` lost the marking).
    """
    if output.secret:
        return SECRET_DISPLAY
    text = (
        output.value if isinstance(output.value, str) else json.dumps(output.value, sort_keys=True)
    )
    return SECRET_DISPLAY if contains_secret(text, secret_values) else text
