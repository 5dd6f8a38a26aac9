"""The README documents every argument and output the component really has."""

import re
from pathlib import Path

from stateful_service_pair import StatefulServicePair
from stateful_service_pair._args import StatefulServicePairArgs

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()


def first_column_names(heading: str) -> set[str]:
    """Backticked names in the first column of the table under a `## heading`."""
    section = README.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    names: set[str] = set()
    for line in section.splitlines():
        if line.startswith("| `"):
            names.update(re.findall(r"`([a-z_]+)`", line.split("|")[1]))
    return names


def test_every_argument_is_in_the_arguments_table() -> None:
    """Each StatefulServicePairArgs field has a row (with its default) and nothing else does."""
    assert first_column_names("Arguments") == set(StatefulServicePairArgs.__annotations__)


def test_every_output_is_in_the_outputs_table() -> None:
    """Each declared output of the component has a row in the outputs table."""
    declared = {
        name
        for name, annotation in StatefulServicePair.__annotations__.items()
        if "Output" in str(annotation)
    }
    assert first_column_names("Outputs") == declared


def test_the_readme_example_runs_as_written() -> None:
    """The `## Example` program deploys under the mocks and wires its Secret in."""
    import pulumi
    from pulumi.runtime.settings import get_root_resource
    from stateful_service_pair.testing import use_kubernetes_mocks

    example = README.split("## Example\n", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    mocks, _ = use_kubernetes_mocks(
        config={"project:mysqlRootPassword": "s3cret"}, secret_keys=["project:mysqlRootPassword"]
    )
    exports = {}

    @pulumi.runtime.test
    async def run() -> None:
        exec(compile(example, "README.md#example", "exec"), {})
        outputs = get_root_resource().outputs  # type: ignore[union-attr]
        for key, value in outputs.items():
            exports[key] = await pulumi.Output.from_input(value).future()

    run()
    assert exports == {
        "mysqlHost": "mysql.db.svc.cluster.local",
        "primary": "mysql-0.mysql-headless.db.svc.cluster.local",
    }
    kinds = sorted((obj.kind, obj.namespace, obj.name) for obj in mocks.objects)
    assert kinds == [
        ("PodDisruptionBudget", "db", "mysql"),
        ("Secret", "db", "mysql-root"),
        ("Service", "db", "mysql"),
        ("Service", "db", "mysql-headless"),
        ("StatefulSet", "db", "mysql"),
    ]
    sts = next(obj.manifest for obj in mocks.objects if obj.kind == "StatefulSet")
    env = sts["spec"]["template"]["spec"]["containers"][0]["env"]
    assert env == [
        {
            "name": "MYSQL_ROOT_PASSWORD",
            "valueFrom": {"secretKeyRef": {"name": "mysql-root", "key": "password"}},
        }
    ]
