"""Wire-form objects become clean, deterministic manifests and files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from stateful_service_pair.render._errors import RenderError
from stateful_service_pair.render._files import write_manifests
from stateful_service_pair.render._manifests import (
    HEADER,
    REDACTED,
    REDACTED_NOTE,
    clean_manifest,
    file_names,
    redacted_paths,
    sort_manifests,
    to_yaml,
)
from stateful_service_pair.testing._wire_form import wrap_secret


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


def statefulset(containers: Any) -> dict[str, Any]:
    """A StatefulSet in wire form (numbers as floats) with these containers."""
    return {
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": {"name": "db", "namespace": "data"},
        "spec": {
            "replicas": 3.0,
            "serviceName": "db-headless",
            "template": {"spec": {"containers": containers}},
        },
    }


CLEAN_CONTAINER = {"image": REDACTED, "name": "db", "ports": [{"containerPort": 5432}]}


def test_a_secret_value_is_replaced_where_it_sits() -> None:
    """A secret image becomes REDACTED; replicas stays an int, serviceName its real value."""
    container = {
        "name": "db",
        "image": wrap_secret("repo/db:1"),
        "ports": [{"containerPort": 5432.0}],
    }
    spec = clean_manifest(statefulset([container]))["spec"]
    assert spec == {
        "replicas": 3,
        "serviceName": "db-headless",
        "template": {"spec": {"containers": [CLEAN_CONTAINER]}},
    }
    assert type(spec["replicas"]) is int


def test_a_secret_list_hides_only_the_strings_holding_a_known_secret() -> None:
    """A whole-list secret keeps every value except the string that contains a known secret."""
    containers = wrap_secret(
        [{"name": "db", "image": "repo/db:1", "ports": [{"containerPort": 5432.0}]}]
    )
    spec = clean_manifest(statefulset(containers), frozenset({"repo/db:1"}))["spec"]
    assert spec["template"]["spec"]["containers"] == [CLEAN_CONTAINER]
    assert spec["serviceName"] == "db-headless"


@pytest.mark.parametrize(
    ("wire", "message"),
    [
        (
            statefulset(wrap_secret([{"name": "db", "image": "repo/db:1"}])),
            "StatefulSet data/db: spec.template.spec.containers holds a Pulumi secret",
        ),
        (
            # Only a v1 Secret's data is secret as a whole; a ConfigMap's is not.
            {
                "apiVersion": "v1",
                "kind": "ConfigMap",
                "metadata": {"name": "settings", "namespace": "app"},
                "data": wrap_secret({"level": "debug"}),
            },
            "ConfigMap app/settings: data holds a Pulumi secret",
        ),
    ],
)
def test_a_secret_map_without_a_known_secret_value_is_refused(
    wire: dict[str, Any], message: str
) -> None:
    """The render will not guess which value of a whole-map secret is secret: one-line error."""
    with pytest.raises(RenderError) as caught:
        clean_manifest(wire, frozenset({"unrelated-secret"}))
    assert str(caught.value) == (
        f"{message} the offline render cannot locate (no secret config value or Output.secret "
        "string occurs in it); pass it through config or keep it out of this object"
    )


def test_redacted_paths_name_each_redacted_value() -> None:
    """Paths in manifest order; list items as [i], keys with dots or slashes quoted."""
    manifest = {
        "metadata": {"annotations": {"example.com/token": REDACTED, "team": "a"}},
        "data": {"dsn": REDACTED},
        "spec": {"items": ["plain", REDACTED]},
    }
    assert redacted_paths(manifest) == [
        'metadata.annotations["example.com/token"]',
        "data.dsn",
        "spec.items[1]",
    ]
    assert redacted_paths({"data": {"dsn": "plain"}}) == []


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


def redacted_secret(name: str, namespace: str) -> dict[str, object]:
    return {**obj("Secret", name, namespace), "stringData": {"password": REDACTED}}


def test_a_manifest_with_a_redaction_gets_a_name_directory_apply_skips() -> None:
    """`.yaml.redacted` for a manifest holding REDACTED; the numbering runs on."""
    names = file_names(
        [obj("Namespace", "db"), redacted_secret("root", "db"), obj("Service", "a", "db")]
    )
    assert names == [
        "000-namespace-db.yaml",
        "001-secret-db-root.yaml.redacted",
        "002-service-db-a.yaml",
    ]


def test_a_manifest_with_a_redaction_says_so_under_the_header() -> None:
    """The second line of its YAML explains why it is not applied; others have no such line."""
    assert to_yaml(redacted_secret("root", "db")).splitlines()[:3] == [
        HEADER,
        REDACTED_NOTE,
        "apiVersion: v1",
    ]
    assert to_yaml(obj("Service", "a", "db")).splitlines()[:2] == [HEADER, "apiVersion: v1"]


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
    """Files an earlier render wrote (.yaml, .yaml.redacted) are removed; foreign files stay."""
    (tmp_path / "000-service-old.yaml").write_text(f"{HEADER}\nkind: Service\n")
    (tmp_path / "001-secret-old.yaml.redacted").write_text(f"{HEADER}\n{REDACTED_NOTE}\n")
    (tmp_path / "mine.yaml").write_text("kind: ConfigMap\n")
    (tmp_path / "mine.yaml.redacted").write_text("kind: Secret\n")
    written = write_manifests(tmp_path, [obj("Service", "new", "a")])
    assert [p.name for p in written] == ["000-service-a-new.yaml"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "000-service-a-new.yaml",
        "mine.yaml",
        "mine.yaml.redacted",
    ]
