"""The deploy commands a README gives, read so that a scenario can run exactly them.

An example README's first ``sh`` block holds the offline ``make render`` lines, then
``cd examples/<name>`` and the ``pulumi`` commands that deploy it. The e2e scenarios run
those commands and nothing else, so the README cannot drift from what was run; the unit
suite checks the block's shape without a cluster.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

# What a README writes where the user types a value of their own.
PLACEHOLDER = re.compile(r"<[a-z-]+>")


def first_sh_block(readme: Path) -> list[str]:
    """The lines of the first ```sh fenced block of ``readme``."""
    text = readme.read_text()
    match = re.search(r"^```sh\n(.*?)^```", text, flags=re.S | re.M)
    if match is None:
        raise ValueError(f"{readme}: no ```sh block")
    return match.group(1).splitlines()


def deploy_commands(readme: Path, directory: str) -> list[list[str]]:
    """The commands after ``cd <directory>``, comments dropped, each split like a shell would.

    Raises ValueError when the block has no such ``cd`` line or runs something other
    than ``pulumi`` after it: a scenario could not run that the way a user would.
    """
    lines = first_sh_block(readme)
    try:
        start = next(
            i
            for i, line in enumerate(lines)
            if shlex.split(line, comments=True) == ["cd", directory]
        )
    except StopIteration:
        raise ValueError(f"{readme}: no line `cd {directory}` in its first sh block") from None
    commands = []
    for line in lines[start + 1 :]:
        words = shlex.split(line, comments=True)
        if not words:
            continue
        if words[0] != "pulumi":
            raise ValueError(f"{readme}: after `cd {directory}` only pulumi commands, got {line!r}")
        commands.append(words)
    return commands


def filled_in(command: list[str], values: dict[str, str]) -> list[str]:
    """``command`` with each ``<placeholder>`` word replaced from ``values``."""
    return [values[word] if PLACEHOLDER.fullmatch(word) else word for word in command]
