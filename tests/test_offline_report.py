"""How objects and stack outputs are printed."""

from __future__ import annotations

from components.offline.outputs import StackOutput, display_value
from components.offline.report import format_objects, format_outputs


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
