"""Manifests are written with libyaml's emitter where PyYAML has it, byte for byte as without.

And `to_yaml` builds the node tree itself instead of through PyYAML's representer; the
representer's path stays as the reference, and both write the same bytes.
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable
from typing import Any

import pytest
import yaml
from stateful_service_pair.render._manifests import (
    _DUMP_OPTIONS,
    MANIFEST_DUMPERS,
    _body_from_nodes,
    _body_from_representer,
    _NeedsPythonEmitterError,
    _NodeBuilder,
    _NotPlainError,
    clean_manifest,
    to_yaml,
)

from tests.test_examples import NAMES, rendered
from tests.test_offline_linearity import pair_manifests

# Printable ASCII weighted towards what YAML treats specially, plus characters the two emitters
# disagree on (the render sends strings with those to the pure-Python emitter).
ALPHABET = [chr(c) for c in range(0x20, 0x7F)] + [" "] * 10 + list("-:#'\"|>&*!%@`?,[]{}")
ALPHABET += ["\n"] * 6 + ["\t", "\r", "\x85", "\xa0", "é", "\u2028", "\ufeff", "中", "🎉"]
WORDS = ["yes", "no", "null", "~", "on", "1.0", "0x1f", "1e3", "---", "...", "- ", ": ", " #"]
WORDS += ["<<", "=", "*a", "&a", "!t", "2024-01-01", "12:30", "0o7", ".nan", "+1", "-.inf"]


def random_string(rnd: random.Random) -> str:
    parts = []
    for _ in range(rnd.randint(0, 5)):
        if rnd.random() < 0.3:
            parts.append(rnd.choice(WORDS))
        else:
            length = rnd.randint(0, 15) if rnd.random() < 0.9 else rnd.randint(100, 160)
            parts.append("".join(rnd.choice(ALPHABET) for _ in range(length)))
    return "".join(parts)


def written_by_each(manifest: dict[str, Any]) -> list[str]:
    return [to_yaml(manifest, dumper=dumper) for dumper in MANIFEST_DUMPERS]


def test_libyaml_is_used_where_pyyaml_has_it() -> None:
    """With libyaml, the C emitter comes first and the pure-Python one is the fallback."""
    names = [dumper.__name__ for dumper in MANIFEST_DUMPERS]
    if yaml.__with_libyaml__:
        assert names == ["_CManifestDumper", "_ManifestDumper"]
    else:
        assert names == ["_ManifestDumper"]


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML built without libyaml")
def test_a_pair_is_written_identically_by_both_emitters() -> None:
    """The objects of a default pair come out of both emitters as the same bytes."""
    for manifest in pair_manifests("db"):
        fast, python = written_by_each(manifest)
        assert fast.encode() == python.encode()


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML built without libyaml")
def test_strings_the_emitters_disagree_on_are_written_as_the_python_emitter_does() -> None:
    """Emoji, NEL, CR and keys over 128 characters are written exactly as without libyaml."""
    for value in ["emoji 🎉", "a\x85b", "\x85[", "line\r\nbreak", "x" * 130, "a\n b \n"]:
        manifest = {"kind": "ConfigMap", "data": {value: value, "list": [value, {"k": value}]}}
        fast, python = written_by_each(manifest)
        assert fast.encode() == python.encode()


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML built without libyaml")
def test_random_strings_and_scalars_are_written_identically_by_both_emitters() -> None:
    """1500 random keys and values (and every kind of scalar) give the same bytes from both."""
    rnd = random.Random(12)
    scalars: list[Any] = [0, -1, 2**70, 1.5, 1e20, 1e-7, float("inf"), True, False, None]
    for _ in range(1500):
        value = random_string(rnd)
        manifest = {
            "kind": "ConfigMap",
            "data": {random_string(rnd) or "k": value, "list": [value, {"n": value}, *scalars]},
        }
        fast, python = written_by_each(manifest)
        assert fast.encode() == python.encode(), repr(value)


# ------------------------------------------------ the node tree, built without the representer


def reference_node(dumper: type[Any], value: Any) -> yaml.Node:
    """The node tree PyYAML's representer builds for `value` with `to_yaml`'s options."""
    return dumper(io.StringIO(), **_DUMP_OPTIONS).represent_data(value)


def fast_node(dumper: type[Any], value: Any) -> yaml.Node:
    """The node tree `_NodeBuilder` builds for `value`."""
    return _NodeBuilder(dumper(io.StringIO(), **_DUMP_OPTIONS)).node(value)


def assert_same_node(fast: yaml.Node, reference: yaml.Node, where: str = "") -> None:
    """Same node class, tag, style and flow style, and the same nodes inside, recursively."""
    assert type(fast) is type(reference), where
    assert fast.tag == reference.tag, where
    if isinstance(reference, yaml.ScalarNode):
        assert (fast.value, fast.style) == (reference.value, reference.style), where
        return
    assert fast.flow_style == reference.flow_style, where
    assert len(fast.value) == len(reference.value), where
    if isinstance(reference, yaml.MappingNode):
        for index, ((fk, fv), (rk, rv)) in enumerate(zip(fast.value, reference.value, strict=True)):
            assert_same_node(fk, rk, f"{where}.key{index}")
            assert_same_node(fv, rv, f"{where}.{rk.value}")
    else:
        for index, (f, r) in enumerate(zip(fast.value, reference.value, strict=True)):
            assert_same_node(f, r, f"{where}[{index}]")


def assert_written_alike(manifest: dict[str, Any]) -> None:
    """Both paths write the same bytes with every dumper; where they build a tree, the same."""
    for dumper in MANIFEST_DUMPERS:
        fast = _body_from_nodes(manifest, dumper)
        reference = _body_from_representer(manifest, dumper)
        assert fast.encode() == reference.encode(), (dumper.__name__, manifest)
        try:
            tree = fast_node(dumper, manifest)
        except _NeedsPythonEmitterError:  # the C dumper refuses it; the Python one builds it
            continue
        except _NotPlainError:  # a shared container: the representer writes an alias
            continue
        assert_same_node(tree, reference_node(dumper, manifest))


def test_rendered_examples_are_written_as_the_representer_writes_them() -> None:
    """Every object of every rendered example: the same tree and bytes by both paths."""
    for name in NAMES:
        for manifest in rendered(name).manifests:
            assert_written_alike(manifest)


def test_a_pair_in_wire_form_and_clean_is_written_as_the_representer_writes_it() -> None:
    """A default pair, clean and in wire form: the same by both paths.

    In wire form its numbers are floats (6379.0) and its objects share their labels dict, which
    PyYAML writes as an anchor and aliases, so the fast path leaves it to the representer.
    """
    for manifest in pair_manifests("db"):
        assert_written_alike(manifest)
        assert_written_alike(clean_manifest(manifest))


def test_strings_the_emitters_disagree_on_are_written_as_the_representer_writes_them() -> None:
    """The known C/Python emitter differences fall back the same way on both paths."""
    for value in ["emoji 🎉", "a\x85b", "\x85[", "line\r\nbreak", "x" * 130, "a\n b \n", "é\n"]:
        assert_written_alike(
            {"kind": "ConfigMap", "data": {value: value, "list": [value, {"k": value}]}}
        )


# Scalars a clean manifest can hold: floats integral or not (a wire float stays a float when it
# is not integral, infinities included), huge and negative ints, booleans (which are ints to
# Python but not to PyYAML), None.
SCALARS: list[Any] = [0, 1, -7, 2**70, True, False, None, 0.5, -0.0, 1.0, 3.0, 1e17, 1e-7]
SCALARS += [1e300 * 10, -1e300 * 10, float("nan"), 12345.678, -2.5e-300]


def random_value(rnd: random.Random, string: Callable[[random.Random], str], depth: int = 0) -> Any:
    """A nested value of dicts, lists (empty ones too), strings and every scalar above."""
    roll = rnd.random()
    if depth < 4 and roll < 0.2:
        return {
            random_key(rnd, string): random_value(rnd, string, depth + 1)
            for _ in range(rnd.randint(0, 4))
        }
    if depth < 4 and roll < 0.35:
        return [random_value(rnd, string, depth + 1) for _ in range(rnd.randint(0, 4))]
    if roll < 0.7:
        return string(rnd)
    return rnd.choice(SCALARS)


def random_key(rnd: random.Random, string: Callable[[random.Random], str]) -> Any:
    """Mostly strings, as in manifests; now and then a scalar key, which PyYAML also writes."""
    return rnd.choice(SCALARS[:7]) if rnd.random() < 0.05 else string(rnd)


def random_c_safe_string(rnd: random.Random) -> str:
    """Printable ASCII only, so the C emitter writes the manifest (`random_string` seldom is)."""
    text = "".join(
        rnd.choice(WORDS) if rnd.random() < 0.2 else rnd.choice(ALPHABET[:95])
        for _ in range(rnd.randint(0, 12))
    )
    return text[:120]


@pytest.mark.parametrize("string", [random_string, random_c_safe_string])
def test_random_nested_values_are_written_as_the_representer_writes_them(
    string: Callable[[random.Random], str],
) -> None:
    """600 random nested manifests: the same tree and bytes by both paths with every dumper."""
    rnd = random.Random(7)
    for _ in range(600):
        assert_written_alike({"kind": "ConfigMap", "data": random_value(rnd, string)})


def test_what_no_clean_manifest_holds_is_left_to_the_representer() -> None:
    """A container met twice (an alias), a tuple or a subclass: the representer's text or error."""
    shared = {"a": 1}
    aliased = {"kind": "X", "one": shared, "two": [shared, shared]}
    text = to_yaml(aliased)
    assert "&id001" in text
    assert text.split("\n", 1)[1] == _body_from_representer(aliased, MANIFEST_DUMPERS[0])

    class Name(str):
        pass

    for odd in [(1, 2), Name("x"), b"bytes"]:
        manifest = {"kind": "X", "value": odd}
        for dumper in MANIFEST_DUMPERS:
            try:
                expected: Any = _body_from_representer(manifest, dumper)
            except yaml.YAMLError as exc:
                expected = type(exc)
            try:
                got: Any = _body_from_nodes(manifest, dumper)
            except yaml.YAMLError as exc:
                got = type(exc)
            assert got == expected, (dumper.__name__, odd)
