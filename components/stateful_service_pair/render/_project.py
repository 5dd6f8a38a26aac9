"""Find a Pulumi project and work out the config a stack of it would run with.

Mirrors what the Pulumi CLI hands a Python program: `Pulumi.yaml` names the project and its
`main`, its `config:` block gives defaults, `Pulumi.<stack>.yaml` sets stack values, and
`--config` flags win over both. Every key ends up project-namespaced (`<project>:replicas`)
unless it already names another namespace (`kubernetes:namespace`), and every value is a
string, as `pulumi.Config` expects. Encrypted (`secure:`) values cannot be decrypted without
the stack's secrets provider, so they become a placeholder that says how to supply them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from stateful_service_pair.render._errors import RenderError

PROJECT_FILES = ("Pulumi.yaml", "Pulumi.yml")
# Keys that make a `config:` entry in Pulumi.yaml the long form rather than a plain default.
_DECLARATION_KEYS = frozenset({"type", "default", "value", "description", "secret", "items"})


@dataclass(frozen=True)
class Project:
    """A Pulumi project on disk.

    Attributes:
        name: The `name:` from Pulumi.yaml.
        directory: The directory that holds Pulumi.yaml.
        main: What the Python host runs: Pulumi.yaml's `main:` under `directory`, else the
            directory itself (whose `__main__.py` runs).
        config_defaults: Defaults from Pulumi.yaml's `config:` block, full keys, string values.
        secret_declared: Keys that Pulumi.yaml declares `secret: true`.
        stack_config_dir: Where `Pulumi.<stack>.yaml` lives (Pulumi.yaml's `stackConfigDir`).
    """

    name: str
    directory: Path
    main: Path
    config_defaults: Mapping[str, str]
    secret_declared: frozenset[str]
    stack_config_dir: Path

    def full_key(self, key: str) -> str:
        """Namespace a config key with the project name unless it has a namespace already."""
        return key if ":" in key else f"{self.name}:{key}"

    def short_key(self, key: str) -> str:
        """The key as a user would pass it to `--config` (project prefix dropped)."""
        prefix = f"{self.name}:"
        return key[len(prefix) :] if key.startswith(prefix) else key


@dataclass(frozen=True)
class StackConfig:
    """The config a program runs with: full keys, string values, and which keys are secret."""

    values: Mapping[str, str]
    secret_keys: frozenset[str]


def read_yaml(path: Path) -> Any:
    """Parse one YAML file, turning any read or syntax problem into a one-line RenderError."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RenderError(f"cannot read {path}: {exc.strerror or exc}") from exc
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or type(exc).__name__
        raise RenderError(f"cannot parse {path}{where}: {problem}") from exc


def config_string(value: Any) -> str:
    """Turn a YAML config value into the string Pulumi passes to the program.

    Strings stay as they are; everything else is JSON (`3`, `true`, `["a"]`), which is how
    `pulumi.Config.get_int`, `get_bool` and `get_object` expect to read it.
    """
    return value if isinstance(value, str) else json.dumps(value)


def load_project(directory: Path) -> Project:
    """Read the project in `directory`; RenderError if it has no readable Pulumi.yaml."""
    project_file = next((directory / f for f in PROJECT_FILES if (directory / f).is_file()), None)
    if project_file is None:
        reason = "is it a Pulumi project?" if directory.is_dir() else "no such directory"
        raise RenderError(f"no Pulumi.yaml in {directory} ({reason})")
    document = read_yaml(project_file)
    if not isinstance(document, dict) or not isinstance(document.get("name"), str):
        raise RenderError(f"{project_file} has no `name:`")
    name: str = document["name"]

    runtime = document.get("runtime")
    runtime_name = runtime.get("name") if isinstance(runtime, dict) else runtime
    if runtime_name != "python":
        raise RenderError(
            f"{project_file} has runtime {runtime_name!r}; the offline renderer runs Python "
            "programs only"
        )

    defaults: dict[str, str] = {}
    secret_declared: set[str] = set()
    block = document.get("config") or {}
    if not isinstance(block, dict):
        raise RenderError(f"{project_file}: `config:` must be a mapping")
    for key, entry in block.items():
        full_key = key if ":" in str(key) else f"{name}:{key}"
        if isinstance(entry, dict) and entry.keys() & _DECLARATION_KEYS:
            if entry.get("secret") is True:
                secret_declared.add(full_key)
            # `value` is the older spelling of `default`.
            for field in ("default", "value"):
                if field in entry:
                    defaults[full_key] = config_string(entry[field])
                    break
        else:
            defaults[full_key] = config_string(entry)

    main = document.get("main")
    stack_dir = document.get("stackConfigDir")
    return Project(
        name=name,
        directory=directory,
        main=directory / main if isinstance(main, str) else directory,
        config_defaults=defaults,
        secret_declared=frozenset(secret_declared),
        stack_config_dir=directory / stack_dir if isinstance(stack_dir, str) else directory,
    )


def secure_placeholder(short_key: str, stack_file: str) -> str:
    """The stand-in value for an encrypted config value that cannot be decrypted offline."""
    return (
        f"[secret {short_key}: encrypted in {stack_file}, not decryptable offline; "
        f"pass --config {short_key}=...]"
    )


def _is_secure(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"secure"}


def _replace_secure(value: Any, placeholder: str) -> tuple[Any, bool]:
    """Replace every `{secure: ...}` inside a structured value; report whether there was one."""
    if _is_secure(value):
        return placeholder, True
    if isinstance(value, dict):
        found = False
        out: dict[str, Any] = {}
        for key, item in value.items():
            out[key], inner = _replace_secure(item, placeholder)
            found = found or inner
        return out, found
    if isinstance(value, list):
        pairs = [_replace_secure(item, placeholder) for item in value]
        return [item for item, _ in pairs], any(found for _, found in pairs)
    return value, False


def load_stack_values(project: Project, stack: str, *, required: bool = False) -> StackConfig:
    """Read `Pulumi.<stack>.yaml`.

    Absent means no stack values, unless `required` (a stack the user named): then a
    RenderError says so, since a typo in a stack name would otherwise render with the
    project's defaults and look right.
    """
    stack_file = next(
        (
            project.stack_config_dir / f"Pulumi.{stack}.{ext}"
            for ext in ("yaml", "yml")
            if (project.stack_config_dir / f"Pulumi.{stack}.{ext}").is_file()
        ),
        None,
    )
    if stack_file is None:
        if required:
            known = sorted(
                path.name[len("Pulumi.") : -len(path.suffix)]
                for path in project.stack_config_dir.glob("Pulumi.*.y*ml")
            )
            raise RenderError(
                f"stack {stack!r} has no Pulumi.{stack}.yaml in {project.stack_config_dir} "
                f"(stacks with a file: {', '.join(known) or 'none'}); create it or pick another "
                "stack"
            )
        return StackConfig(values={}, secret_keys=frozenset())
    document = read_yaml(stack_file) or {}
    block = document.get("config") if isinstance(document, dict) else None
    if block is None:
        return StackConfig(values={}, secret_keys=frozenset())
    if not isinstance(block, dict):
        raise RenderError(f"{stack_file}: `config:` must be a mapping")

    values: dict[str, str] = {}
    secret_keys: set[str] = set()
    for key, raw in block.items():
        full_key = project.full_key(str(key))
        placeholder = secure_placeholder(project.short_key(full_key), stack_file.name)
        value, had_secure = _replace_secure(raw, placeholder)
        values[full_key] = config_string(value)
        if had_secure:
            secret_keys.add(full_key)
    return StackConfig(values=values, secret_keys=frozenset(secret_keys))


def parse_overrides(flags: Sequence[str], project: Project) -> dict[str, str]:
    """Parse `--config key=value` flags; a key without a namespace belongs to the project."""
    overrides: dict[str, str] = {}
    for flag in flags:
        key, sep, value = flag.partition("=")
        key = key.strip()
        if not sep or not key or key.startswith(":") or key.endswith(":"):
            raise RenderError(f"bad --config {flag!r}: expected key=value, e.g. replicas=3")
        overrides[project.full_key(key)] = value
    return overrides


def resolve_config(
    project: Project, stack: str, flags: Sequence[str], *, required: bool = False
) -> StackConfig:
    """The config a program of `project` runs with on `stack`, `--config` flags applied last.

    `required`: the stack was named by the user, so its `Pulumi.<stack>.yaml` must exist.

    A key is secret if Pulumi.yaml declares it secret or the stack file encrypts it; an override
    of a secret key stays secret.
    """
    stack_values = load_stack_values(project, stack, required=required)
    values = {**project.config_defaults, **stack_values.values, **parse_overrides(flags, project)}
    secret_keys = (project.secret_declared | stack_values.secret_keys) & values.keys()
    return StackConfig(values=values, secret_keys=frozenset(secret_keys))
