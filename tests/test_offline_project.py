"""Finding a Pulumi project and resolving the config a stack runs with."""

from __future__ import annotations

from pathlib import Path

import pytest
from stateful_service_pair.render._errors import RenderError
from stateful_service_pair.render._project import load_project, resolve_config

PROGRAMS = Path(__file__).parent / "programs"


def write(directory: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (directory / name).write_text(text, encoding="utf-8")
    return directory


def test_defaults_from_both_forms_of_the_config_block(tmp_path: Path) -> None:
    """Short `key: value` and long `key: {type, default}` entries both give defaults."""
    write(
        tmp_path,
        {
            "Pulumi.yaml": "name: demo\nruntime: python\nconfig:\n"
            "  replicas: 3\n  debug: false\n  image:\n    type: string\n    default: mysql:8\n"
            "  required:\n    type: string\n  kubernetes:namespace: apps\n"
            "  tags: [a, b]\n",
        },
    )
    config = resolve_config(load_project(tmp_path), "dev", [])
    assert config.values == {
        "demo:replicas": "3",
        "demo:debug": "false",
        "demo:image": "mysql:8",
        "kubernetes:namespace": "apps",
        "demo:tags": '["a", "b"]',
    }
    assert config.secret_keys == frozenset()


def test_stack_file_overrides_defaults_and_flags_override_both(tmp_path: Path) -> None:
    """Pulumi.<stack>.yaml beats Pulumi.yaml; --config beats both, with or without the prefix."""
    write(
        tmp_path,
        {
            "Pulumi.yaml": "name: demo\nruntime: python\nconfig:\n  replicas: 3\n  image: a\n",
            "Pulumi.prod.yaml": "config:\n  demo:replicas: 5\n  demo:image: b\n"
            "  kubernetes:namespace: prod\n",
        },
    )
    project = load_project(tmp_path)
    config = resolve_config(
        project, "prod", ["replicas=7", "demo:image=c", "kubernetes:namespace=x=y"]
    )
    assert config.values == {
        "demo:replicas": "7",
        "demo:image": "c",
        "kubernetes:namespace": "x=y",
    }
    assert resolve_config(project, "prod", []).values["demo:replicas"] == "5"


def test_encrypted_value_becomes_a_secret_placeholder(tmp_path: Path) -> None:
    """A `secure:` value cannot be decrypted offline: it becomes a secret placeholder."""
    write(
        tmp_path,
        {
            "Pulumi.yaml": "name: demo\nruntime: python\n",
            "Pulumi.dev.yaml": "config:\n  demo:password:\n    secure: v1:abc\n"
            "  demo:db:\n    user: app\n    pass:\n      secure: v1:def\n",
        },
    )
    config = resolve_config(load_project(tmp_path), "dev", [])
    placeholder = (
        "[secret password: encrypted in Pulumi.dev.yaml, not decryptable offline; "
        "pass --config password=...]"
    )
    assert config.values["demo:password"] == placeholder
    assert config.values["demo:db"] == (
        '{"user": "app", "pass": "[secret db: encrypted in Pulumi.dev.yaml, '
        'not decryptable offline; pass --config db=...]"}'
    )
    assert config.secret_keys == {"demo:password", "demo:db"}


def test_override_of_a_secret_key_stays_secret(tmp_path: Path) -> None:
    """--config replaces the placeholder, and the key stays secret."""
    write(
        tmp_path,
        {
            "Pulumi.yaml": "name: demo\nruntime: python\nconfig:\n  token:\n    secret: true\n",
            "Pulumi.dev.yaml": "config:\n  demo:password:\n    secure: v1:abc\n",
        },
    )
    config = resolve_config(load_project(tmp_path), "dev", ["password=s3cret", "token=t0k"])
    assert config.values == {"demo:password": "s3cret", "demo:token": "t0k"}
    assert config.secret_keys == {"demo:password", "demo:token"}


@pytest.mark.parametrize("flag", ["replicas", "=3", ":x=1", "demo:=1"])
def test_malformed_config_flag_is_rejected(flag: str) -> None:
    """A --config flag that is not key=value fails with a one-line message quoting it."""
    project = load_project(PROGRAMS / "bad_config")
    with pytest.raises(RenderError) as caught:
        resolve_config(project, "dev", [flag])
    assert str(caught.value) == f"bad --config {flag!r}: expected key=value, e.g. replicas=3"


def test_main_defaults_to_the_project_directory() -> None:
    """Without `main:`, the project directory runs; with it, main is under the directory."""
    assert load_project(PROGRAMS / "raises").main == PROGRAMS / "raises"
    assert load_project(PROGRAMS / "autonamed").main == PROGRAMS / "autonamed" / "app"


def test_missing_project_file_names_the_directory(tmp_path: Path) -> None:
    """A directory without Pulumi.yaml is reported by name; a missing directory says so."""
    with pytest.raises(
        RenderError, match=rf"^no Pulumi.yaml in {tmp_path} \(is it a Pulumi project\?\)$"
    ):
        load_project(tmp_path)
    with pytest.raises(RenderError, match=r"^no Pulumi.yaml in .*/nope \(no such directory\)$"):
        load_project(tmp_path / "nope")


def test_unparsable_yaml_is_one_line_with_the_line_number(tmp_path: Path) -> None:
    """Broken YAML is reported with file and line, not a parser traceback."""
    write(tmp_path, {"Pulumi.yaml": "name: demo\nruntime: [python\n"})
    with pytest.raises(RenderError) as caught:
        load_project(tmp_path)
    assert str(caught.value) == (
        f"cannot parse {tmp_path}/Pulumi.yaml line 3: expected ',' or ']', but got '<stream end>'"
    )


def test_non_python_runtime_is_refused(tmp_path: Path) -> None:
    """Only Python programs can run in-process."""
    write(tmp_path, {"Pulumi.yaml": "name: demo\nruntime: nodejs\n"})
    with pytest.raises(RenderError, match="has runtime 'nodejs'; the offline renderer runs Python"):
        load_project(tmp_path)
