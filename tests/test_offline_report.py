"""How objects and stack outputs are printed."""

from __future__ import annotations

from pathlib import PurePath

from stateful_service_pair.render._manifests import REDACTED
from stateful_service_pair.render._outputs import StackOutput, display_value
from stateful_service_pair.render._report import format_objects, format_outputs, format_redactions


def test_secret_output_prints_as_secret() -> None:
    """An output marked secret prints as [secret], whatever its value."""
    assert display_value(StackOutput("plain-looking", secret=True)) == "[secret]"


def test_output_containing_a_secret_value_prints_as_secret() -> None:
    """An unmarked output that contains a secret config value prints as [secret]."""
    output = StackOutput("mysql://app:hunter22@db", secret=False)
    assert display_value(output, frozenset({"hunter22"})) == "[secret]"
    assert display_value(output) == "mysql://app:hunter22@db"


def test_outputs_sorted_strings_bare_others_json() -> None:
    """Outputs print sorted by name; strings bare, other values as sorted-key JSON."""
    outputs = {
        "b": StackOutput({"z": 1, "a": [True, None]}, secret=False),
        "a": StackOutput("text", secret=False),
        "c": StackOutput(3, secret=False),
    }
    assert format_outputs(outputs) == [
        "Stack outputs:",
        "  a: text",
        '  b: {"a": [true, null], "z": 1}',
        "  c: 3",
    ]
    assert format_outputs({}) == ["Stack outputs: none"]


def test_objects_are_listed_with_namespace_when_namespaced() -> None:
    """Each object prints as `Kind namespace/name`, cluster-scoped ones as `Kind name`."""
    manifests = [
        {"kind": "Namespace", "metadata": {"name": "db"}},
        {"kind": "Service", "metadata": {"name": "mysql", "namespace": "db"}},
    ]
    assert format_objects(manifests, "out") == [
        "Rendered 2 objects to out:",
        "  Namespace db",
        "  Service db/mysql",
    ]


def test_redactions_warn_once_per_object_with_or_without_files() -> None:
    """One warning per manifest holding REDACTED; without files it only says to create it."""
    manifests = [
        {"kind": "Service", "metadata": {"name": "db", "namespace": "a"}},
        {"kind": "Secret", "metadata": {"name": "db", "namespace": "a"}, "data": {"pw": REDACTED}},
    ]
    files = [PurePath("out/000.yaml"), PurePath("out/001.yaml.redacted")]
    assert format_redactions(manifests, files) == [
        "warning: Secret a/db holds redacted secret values (data.pw); it was written as "
        "out/001.yaml.redacted, which kubectl apply -f out/ skips: create it yourself"
    ]
    assert format_redactions(manifests, None) == [
        "warning: Secret a/db holds redacted secret values (data.pw): create it yourself"
    ]
