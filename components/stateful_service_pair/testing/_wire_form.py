"""Pure helpers for values in Pulumi's wire form, as mocks and the offline renderer see them.

Inputs reach `pulumi.runtime.Mocks.new_resource` deserialized from the gRPC struct: camelCase
keys, every number a float, and each secret value wrapped in a marker dict (see
`pulumi.runtime.rpc.wrap_rpc_secret`). These helpers look through and locate those wrappers
with the SDK's public secret helpers, and need no running Pulumi program.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, TypeAlias

from pulumi.runtime import rpc

# The key the SDK marks every special object with (secret, asset, archive, resource reference).
# Private in pulumi/runtime/rpc.py and no public helper tells a special object from a map, so
# it is imported, not copied: tests/test_sdk_private_names.py names it, and an SDK that drops
# it fails there. Secrets themselves go through the public rpc helpers below.
SECRET_SIG_KEY: str = rpc._special_sig_key

PathPart: TypeAlias = str | int
Path: TypeAlias = tuple[PathPart, ...]


def is_secret(value: Any) -> bool:
    """Return whether `value` is a wrapped secret (``rpc.is_rpc_secret``)."""
    return rpc.is_rpc_secret(value)


def wrap_secret(value: Any) -> dict[str, Any]:
    """Wrap `value` as a secret, the way the mock monitor hands secrets to mocks."""
    wrapped: dict[str, Any] = rpc.wrap_rpc_secret(value)
    return wrapped


def unwrap(value: Any) -> Any:
    """Return the value inside a secret wrapper, or `value` itself if it is not wrapped."""
    return rpc.unwrap_rpc_secret(value)


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
