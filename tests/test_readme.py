"""The README documents every argument and output the component really has."""

import re
from pathlib import Path

from components.args import StatefulServicePairArgs
from components.stateful_service_pair import StatefulServicePair

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
