"""Pure helpers for Pulumi's wire form."""

from __future__ import annotations

from stateful_service_pair.testing._wire_form import is_secret, secret_paths, unwrap, wrap_secret


def test_secret_paths_finds_every_wrapper() -> None:
    """Secret wrappers are located at any depth, in lists too, outer before inner."""
    value = {
        "data": wrap_secret({"a": "x"}),
        "spec": {"ports": [{"name": wrap_secret("p")}], "plain": 1.0},
        "nested": wrap_secret({"inner": wrap_secret("y")}),
    }
    assert list(secret_paths(value)) == [
        ("data",),
        ("spec", "ports", 0, "name"),
        ("nested",),
        ("nested", "inner"),
    ]


def test_wrap_and_unwrap_round_trip() -> None:
    """Wrapping marks a value secret and unwrapping gives it back; plain values pass through."""
    assert is_secret(wrap_secret("v")) is True
    assert unwrap(wrap_secret("v")) == "v"
    assert unwrap("v") == "v"
    assert is_secret({"value": "v"}) is False
