"""Pure helpers for values in Pulumi's wire form, as mocks and the offline renderer see them.

Inputs reach `pulumi.runtime.Mocks.new_resource` deserialized from the gRPC struct: camelCase
keys, every number a float, and each secret value wrapped in a marker dict (see
`pulumi.runtime.rpc.wrap_rpc_secret`). These helpers look through and locate those wrappers
without importing the Pulumi runtime, so they can be tested as plain functions.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, TypeAlias

# The marker the SDK puts around secret values (pulumi/runtime/rpc.py `_special_sig_key` and
# `_special_secret_sig`). Copied rather than imported because they are private names there.
SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d"
SECRET_SIG_VALUE = "1b47061264138c4ac30d75fd1eb44270"

PathPart: TypeAlias = str | int
Path: TypeAlias = tuple[PathPart, ...]


def is_secret(value: Any) -> bool:
    """Return whether `value` is a wrapped secret."""
    return isinstance(value, dict) and value.get(SECRET_SIG_KEY) == SECRET_SIG_VALUE


def wrap_secret(value: Any) -> dict[str, Any]:
    """Wrap `value` as a secret, the way the mock monitor hands secrets to mocks."""
    return {SECRET_SIG_KEY: SECRET_SIG_VALUE, "value": value}


def unwrap(value: Any) -> Any:
    """Return the value inside a secret wrapper, or `value` itself if it is not wrapped."""
    return value["value"] if is_secret(value) else value


def secret_paths(value: Any, prefix: Path = ()) -> Iterator[Path]:
    """Yield the path of every secret wrapper inside `value`, outermost first.

    A secret inside a secret is reported too: both are hidden, and a caller that redacts the
    outer one has already covered the inner one.
    """
    if is_secret(value):
        yield prefix
        yield from secret_paths(value["value"], prefix)
    elif isinstance(value, dict):
        for key in value:
            yield from secret_paths(value[key], (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from secret_paths(item, (*prefix, index))


def deep_unwrap(value: Any) -> Any:
    """`value` with every secret wrapper inside it replaced by what it wraps."""
    value = unwrap(value)
    if isinstance(value, dict):
        return {key: deep_unwrap(item) for key, item in value.items()}
    if isinstance(value, list):
        return [deep_unwrap(item) for item in value]
    return value
