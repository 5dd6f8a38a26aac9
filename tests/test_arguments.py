"""The argument table in code is the one source: validation, docstrings, README, schema agree.

Change a default, a set of choices or a sentence in one place only and one of these fails.
"""

import ast
import json
import typing
from enum import StrEnum
from pathlib import Path
from typing import Any

import pytest
import stateful_service_pair
from stateful_service_pair import _args
from stateful_service_pair._arguments import ARGUMENTS, Argument, readme_arguments_table
from stateful_service_pair._validation import validate

REPO = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((REPO / "provider" / "schema.json").read_text())
PACKAGE = SCHEMA["name"]
COMPONENT = SCHEMA["resources"][f"{PACKAGE}:index:StatefulServicePair"]
# Where each dotted prefix of the table lives, as a TypedDict and as a schema type.
OWNERS: dict[str, type] = {
    "": _args.StatefulServicePairArgs,
    "ports": _args.PortArgs,
    "storage": _args.StorageArgs,
    "probe": _args.ProbeArgs,
    "network_policy": _args.NetworkPolicyArgs,
    "spread": _args.SpreadArgs,
    "client_service": _args.ClientServiceArgs,
    "per_pod_services": _args.PerPodServicesArgs,
    "service_account": _args.ServiceAccountArgs,
    "metrics": _args.MetricsArgs,
    "metrics.service_monitor": _args.ServiceMonitorArgs,
}


def field_docstrings() -> dict[tuple[str, str], str]:
    """(TypedDict name, field) -> the docstring under the field, read from _args.py's source."""
    tree = ast.parse(Path(_args.__file__).read_text())
    docs: dict[tuple[str, str], str] = {}
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        for field, doc in zip(node.body, node.body[1:], strict=False):
            if (
                isinstance(field, ast.AnnAssign)
                and isinstance(field.target, ast.Name)
                and isinstance(doc, ast.Expr)
                and isinstance(doc.value, ast.Constant)
            ):
                # Whitespace normalised: a default may be wrapped onto the next line.
                docs[(node.name, field.target.id)] = " ".join(str(doc.value.value).split())
    return docs


DOCSTRINGS = field_docstrings()


def owner_and_field(arg: Argument) -> tuple[type, str]:
    prefix, _, field = arg.name.rpartition(".")
    return OWNERS[prefix], field


def camel_case(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def schema_property(arg: Argument) -> dict[str, Any]:
    owner, field = owner_and_field(arg)
    if owner is _args.StatefulServicePairArgs:
        properties = COMPONENT["inputProperties"]
    else:
        properties = SCHEMA["types"][f"{PACKAGE}:index:{owner.__name__}"]["properties"]
    prop: dict[str, Any] = properties[camel_case(field)]
    return prop


def enum_in(annotation: object) -> type[StrEnum] | None:
    """The StrEnum inside an annotation such as NotRequired[Sequence[Protocol]], if any."""
    if isinstance(annotation, type) and issubclass(annotation, StrEnum):
        return annotation
    for inner in typing.get_args(annotation):
        if found := enum_in(inner):
            return found
    return None


LITERAL = [arg for arg in ARGUMENTS.values() if arg.literal]


def test_every_top_level_argument_is_in_the_table_once() -> None:
    """The table lists exactly the fields of StatefulServicePairArgs (nested ones by path)."""
    top_level = [name for name in ARGUMENTS if "." not in name]
    assert sorted(top_level) == sorted(_args.StatefulServicePairArgs.__annotations__)
    for arg in ARGUMENTS.values():
        owner, field = owner_and_field(arg)
        assert field in owner.__annotations__, arg.name


@pytest.mark.parametrize("arg", LITERAL, ids=lambda arg: arg.name)
def test_docstring_states_the_tables_default(arg: Argument) -> None:
    """The field's docstring says ``Default ``<value>``, the value validation fills in."""
    owner, field = owner_and_field(arg)
    assert f"Default ``{arg.shown_default}``" in DOCSTRINGS[(owner.__name__, field)]


@pytest.mark.parametrize("arg", LITERAL, ids=lambda arg: arg.name)
def test_schema_description_states_the_tables_default(arg: Argument) -> None:
    """provider/schema.json (what other languages see) states the same default."""
    description = " ".join(schema_property(arg)["description"].split())
    assert f"Default ``{arg.shown_default}``" in description


@pytest.mark.parametrize(
    "arg", [arg for arg in ARGUMENTS.values() if not arg.literal], ids=lambda arg: arg.name
)
def test_docstring_of_a_described_default_says_so(arg: Argument) -> None:
    """A default that is not a plain value is still stated (or the argument is required)."""
    owner, field = owner_and_field(arg)
    doc = DOCSTRINGS[(owner.__name__, field)]
    required = field in getattr(owner, "__required_keys__", frozenset())
    assert required or "Default" in doc


@pytest.mark.parametrize("name", sorted(ARGUMENTS), ids=str)
def test_closed_choices_are_enum_types_in_code_and_schema(name: str) -> None:
    """An argument has choices in the table exactly when its annotation is that StrEnum, and
    the schema has an enum type with the same values."""
    arg = ARGUMENTS[name]
    owner, field = owner_and_field(arg)
    assert enum_in(owner.__annotations__[field]) is arg.choices
    if arg.choices is None:
        return
    prop = schema_property(arg)
    ref = prop.get("items", prop)["$ref"]
    enum_type = SCHEMA["types"][ref.removeprefix("#/types/")]
    assert [member["value"] for member in enum_type["enum"]] == list(arg.values)
    assert getattr(stateful_service_pair, arg.choices.__name__) is arg.choices


def test_every_annotated_enum_is_in_the_table() -> None:
    """No field takes a closed set of choices that the table does not know about."""
    for prefix, owner in OWNERS.items():
        for field, annotation in owner.__annotations__.items():
            if enum_in(annotation) is not None:
                assert (f"{prefix}.{field}" if prefix else field) in ARGUMENTS


def test_readme_arguments_table_is_rendered_from_the_table() -> None:
    """README.md's table is `make readme`'s output: same names, types, defaults, sentences."""
    readme = (REPO / "README.md").read_text()
    section = readme.split("## Arguments\n", 1)[1].split("\n## ", 1)[0]
    start = section.index("| Argument |")
    end = section.index("\n\n", start) + 1
    assert section[start:end] == readme_arguments_table(), "README is stale: run `make readme`"


def test_validation_fills_in_the_tables_defaults() -> None:
    """With only the required arguments, the spec holds each literal default of the table."""
    spec = validate("db", {"image": "db:1", "ports": [{"name": "db", "port": 5432}]})
    assert spec.storage is not None and spec.readiness_probe is not None
    nested: dict[str, object] = {
        "ports.protocol": spec.ports[0].protocol,
        "storage.size": spec.storage.size,
        "storage.mount_path": spec.storage.mount_path,
        "storage.claim_name": spec.storage.claim_name,
        "storage.access_modes": spec.storage.access_modes,
        "storage.when_deleted": spec.storage.when_deleted,
        "storage.when_scaled": spec.storage.when_scaled,
        "storage.on_change": spec.storage.on_change,
        "probe.period_seconds": spec.readiness_probe.period_seconds,
        "probe.timeout_seconds": spec.readiness_probe.timeout_seconds,
        "probe.success_threshold": spec.readiness_probe.success_threshold,
        "spread.node": spec.spread.node,
        "spread.zone": spec.spread.zone,
        "client_service.type": spec.client_service.type,
    }
    per_pod = validate(
        "db", {"image": "db:1", "ports": [{"name": "db", "port": 5432}], "per_pod_services": {}}
    ).per_pod_services
    assert per_pod is not None
    nested["per_pod_services.type"] = per_pod.type
    account = validate(
        "db", {"image": "db:1", "ports": [{"name": "db", "port": 5432}], "service_account": {}}
    ).service_account
    assert account is not None
    nested["service_account.create"] = account.create
    watched = validate(
        "db",
        {
            "image": "db:1",
            "ports": [{"name": "db", "port": 5432}],
            "metrics": {"port": 9187, "service_monitor": {}},
        },
    ).metrics
    assert watched is not None and watched.service_monitor is not None
    nested["metrics.path"] = watched.path
    nested["metrics.service_monitor.interval"] = watched.service_monitor.interval
    for arg in LITERAL:
        if arg.name.endswith(".enabled") or arg.name == "network_policy.restrict_egress":
            continue  # switches: their effect is a spec that exists, checked above and below
        value = nested[arg.name] if "." in arg.name else getattr(spec, arg.name)
        expected = arg.default
        assert value == (tuple(expected) if isinstance(expected, tuple) else expected), arg.name
        # Plain strings in the spec, never enum members: the builders pass them to Kubernetes.
        assert type(value) is not StrEnum and not isinstance(value, StrEnum), arg.name
    policy = validate(
        "db", {"image": "db:1", "ports": [{"name": "db", "port": 5432}], "network_policy": {}}
    ).network_policy
    assert policy is not None
    assert policy.restrict_egress is ARGUMENTS["network_policy.restrict_egress"].default


def test_enum_members_and_their_strings_are_the_same_argument() -> None:
    """Python callers may pass `ImagePullPolicy.NEVER` or `"Never"`; both validate alike."""
    base: dict[str, Any] = {"image": "db:1", "ports": [{"name": "db", "port": 5432}]}
    by_member = validate("db", {**base, "image_pull_policy": _args.ImagePullPolicy.NEVER})
    by_string = validate("db", {**base, "image_pull_policy": "Never"})
    assert by_member.image_pull_policy == by_string.image_pull_policy == "Never"
    assert type(by_member.image_pull_policy) is str
