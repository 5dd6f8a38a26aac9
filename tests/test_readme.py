"""The README documents every argument and output the component really has."""

import logging
import re
from pathlib import Path
from typing import Any

import pytest
from stateful_service_pair import StatefulServicePair
from stateful_service_pair._args import StatefulServicePairArgs

README_PATH = Path(__file__).resolve().parent.parent / "README.md"
README = README_PATH.read_text()


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


def readme_testing_snippets() -> list[str]:
    """The Python code blocks of the "Testing your own stack" section, in order."""
    section = README.split("## Testing your own stack\n", 1)[1].split("\n## ", 1)[0]
    return [block.split("```", 1)[0] for block in section.split("```python\n")[1:]]


def test_testing_section_has_each_promised_snippet() -> None:
    """Own program with (secret) config and outputs, one pair, own stacks, quiet asyncio."""
    snippets = readme_testing_snippets()
    assert len(snippets) == 4
    assert "secret_keys=" in snippets[0] and "run.outputs" in snippets[0]
    assert "run.manifest(" in snippets[0]
    assert 'stack="dev"' in snippets[2]
    assert 'getLogger("asyncio")' in snippets[3]


@pytest.mark.parametrize("index", range(3))
def test_testing_section_snippet_runs(index: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test function of a snippet passes when run from the repository root, as written."""
    monkeypatch.chdir(README_PATH.parent)
    namespace: dict[str, Any] = {}
    exec(compile(readme_testing_snippets()[index], f"README.md#testing-{index}", "exec"), namespace)
    tests = [value for name, value in namespace.items() if name.startswith("test_")]
    assert len(tests) == 1
    tests[0]()


def test_quiet_asyncio_snippet_silences_the_logger(monkeypatch: pytest.MonkeyPatch) -> None:
    """The conftest snippet raises asyncio's log level above ERROR."""
    logger = logging.getLogger("asyncio")
    monkeypatch.setattr(logger, "level", logging.NOTSET)
    namespace: dict[str, Any] = {}
    exec(compile(readme_testing_snippets()[3], "README.md#testing-3", "exec"), namespace)
    namespace["pytest_configure"](None)
    assert logger.level == logging.CRITICAL


def test_every_stack_the_readme_names_exists() -> None:
    """Each `Pulumi.<stack>.yaml`, `--stack X`, `STACK=X` or `stack="X"` in the README has its
    file in the repository or an example."""
    repo = README_PATH.parent
    named = set(re.findall(r"Pulumi\.([a-z0-9-]+)\.yaml", README))
    named |= set(re.findall(r"(?:--stack |STACK=|stack=\")([a-z0-9-]+)", README))
    stack_files = {path.name for path in repo.glob("**/Pulumi.*.yaml") if ".venv" not in path.parts}
    assert named, "the README names no stack"
    missing = sorted(stack for stack in named if f"Pulumi.{stack}.yaml" not in stack_files)
    assert missing == []
