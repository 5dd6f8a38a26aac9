"""Wire-form objects become clean, deterministic manifests and files."""

from __future__ import annotations

from pathlib import Path

import yaml

from components.offline.files import write_manifests
from components.offline.manifests import (
    HEADER,
    REDACTED,
    clean_manifest,
    file_names,
    sort_manifests,
    to_yaml,
)
from components.wire_form import wrap_secret


def test_integral_floats_become_ints_and_others_stay() -> None:
    """3.0 becomes 3, 0.5 stays 0.5, booleans stay booleans."""
    wire = {"apiVersion": "v1", "kind": "X", "spec": {"n": 3.0, "f": 0.5, "b": True, "l": [1.0]}}
    spec = clean_manifest(wire)["spec"]
    assert spec == {"b": True, "f": 0.5, "l": [1], "n": 3}
    assert type(spec["n"]) is int
    assert type(spec["l"][0]) is int


def test_secret_values_are_redacted_keeping_their_shape() -> None:
    """A secret map keeps its keys with every leaf replaced; a secret leaf is replaced."""
    wire = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "s"},
        "stringData": wrap_secret({"user": "app", "ports": [1.0]}),
        "type": wrap_secret("Opaque"),
    }
    assert clean_manifest(wire) == {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "s"},
        "stringData": {"ports": [REDACTED], "user": REDACTED},
        "type": REDACTED,
    }


def test_strings_containing_known_secret_values_are_redacted() -> None:
    """A plain string that contains a secret config value is redacted; short secrets only whole."""
    wire = {"apiVersion": "v1", "kind": "ConfigMap", "data": {"dsn": "u:hunter2@db", "n": "ab1"}}
    data = clean_manifest(wire, frozenset({"hunter2", "ab"}))["data"]
    assert data == {"dsn": REDACTED, "n": "ab1"}


def test_top_level_internal_keys_are_dropped_but_nested_ones_kept() -> None:
    """`__inputs` at the top is Pulumi's; `__init__.py` as a ConfigMap key is data."""
    wire = {"apiVersion": "v1", "kind": "ConfigMap", "__inputs": {}, "data": {"__init__.py": ""}}
    assert clean_manifest(wire) == {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "data": {"__init__.py": ""},
    }


def test_key_order_is_fixed() -> None:
    """apiVersion, kind, metadata, spec/data first, the rest sorted; nested keys sorted."""
    wire = {
        "type": "Opaque",
        "data": {"b": "2", "a": "1"},
        "metadata": {"namespace": "n", "name": "x"},
        "kind": "Secret",
        "immutable": True,
        "apiVersion": "v1",
    }
    manifest = clean_manifest(wire)
    assert list(manifest) == ["apiVersion", "kind", "metadata", "data", "immutable", "type"]
    assert list(manifest["metadata"]) == ["name", "namespace"]
    assert list(manifest["data"]) == ["a", "b"]


def obj(kind: str, name: str, namespace: str | None = None) -> dict[str, object]:
    metadata = {"name": name} if namespace is None else {"name": name, "namespace": namespace}
    return {"apiVersion": "v1", "kind": kind, "metadata": metadata}


def test_objects_sort_by_kind_order_then_namespace_and_name() -> None:
    """Namespaces first, Services before StatefulSets, unknown kinds last by kind name."""
    manifests = [
        obj("Widget", "w", "a"),
        obj("StatefulSet", "db", "b"),
        obj("Service", "db", "b"),
        obj("Service", "api", "a"),
        obj("Namespace", "b"),
        obj("Gadget", "g", "a"),
        obj("PodDisruptionBudget", "db", "b"),
    ]
    ordered = [(m["kind"], m["metadata"]["name"]) for m in sort_manifests(manifests)]  # type: ignore[index]
    assert ordered == [
        ("Namespace", "b"),
        ("Service", "api"),
        ("Service", "db"),
        ("StatefulSet", "db"),
        ("PodDisruptionBudget", "db"),
        ("Gadget", "g"),
        ("Widget", "w"),
    ]


def test_file_names_are_numbered_and_readable() -> None:
    """`<index>-<kind>-<namespace>-<name>.yaml`, cluster-scoped objects without namespace."""
    names = file_names([obj("Namespace", "db"), obj("Service", "mysql-headless", "db")])
    assert names == ["000-namespace-db.yaml", "001-service-db-mysql-headless.yaml"]


def test_yaml_keeps_key_order_and_uses_blocks_for_multiline_strings() -> None:
    """The YAML keeps the manifest's key order, has the header, and reads back identically."""
    manifest = clean_manifest(
        {"kind": "ConfigMap", "apiVersion": "v1", "data": {"run.sh": "#!/bin/sh\necho hi\n"}}
    )
    text = to_yaml(manifest)
    assert text == (
        f"{HEADER}\napiVersion: v1\nkind: ConfigMap\ndata:\n"
        "  run.sh: |\n    #!/bin/sh\n    echo hi\n"
    )
    assert yaml.safe_load(text) == manifest


def test_write_replaces_earlier_render_and_keeps_foreign_files(tmp_path: Path) -> None:
    """Files an earlier render wrote are removed; files without the header stay."""
    (tmp_path / "000-service-old.yaml").write_text(f"{HEADER}\nkind: Service\n")
    (tmp_path / "mine.yaml").write_text("kind: ConfigMap\n")
    written = write_manifests(tmp_path, [obj("Service", "new", "a")])
    assert [p.name for p in written] == ["000-service-a-new.yaml"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["000-service-a-new.yaml", "mine.yaml"]
