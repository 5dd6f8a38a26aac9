"""Manifests are written with libyaml's emitter where PyYAML has it, byte for byte as without."""

from __future__ import annotations

import random
from typing import Any

import pytest
import yaml
from stateful_service_pair.render._manifests import MANIFEST_DUMPERS, to_yaml

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
