"""The command line: output, exit codes, and one-line errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from stateful_service_pair.render._cli import main

PROGRAMS = Path(__file__).parent / "programs"
REPO = Path(__file__).parent.parent


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "stateful_service_pair.render", "render", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
    )


def test_module_entry_point_renders_the_current_directory(tmp_path: Path) -> None:
    """`python -m stateful_service_pair.render render` defaults to `.` and writes to --out."""
    out = tmp_path / "manifests"
    result = run_cli("--stack", "dev", "--out", str(out), cwd=PROGRAMS / "statefulset")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.splitlines()[0] == f"Rendered 3 objects to {out}:"
    assert sorted(p.name for p in out.iterdir()) == [
        "000-service-db-mysql.yaml",
        "001-service-db-mysql-headless.yaml",
        "002-statefulset-db-mysql.yaml",
    ]


def test_failing_program_exits_1_with_one_line(tmp_path: Path) -> None:
    """A program exception is one stderr line, relative to the directory given, no traceback."""
    result = run_cli("--out", str(tmp_path), cwd=PROGRAMS / "raises")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        "error: program ./__main__.py failed: ValueError: replicas must be at least 1, got 0\n"
    )


def test_traceback_flag_adds_the_traceback(tmp_path: Path) -> None:
    """--traceback prints the Python traceback before the error line."""
    result = run_cli("--traceback", "--out", str(tmp_path), cwd=PROGRAMS / "raises")
    assert result.returncode == 1
    assert result.stderr.startswith("Traceback (most recent call last):")
    assert 'raise ValueError("replicas must be at least 1, got 0")' in result.stderr
    assert result.stderr.endswith(
        "error: program ./__main__.py failed: ValueError: replicas must be at least 1, got 0\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing"], "error: no Pulumi.yaml in missing (no such directory)"),
        (
            [str(PROGRAMS / "bad_config"), "--config", "replicas"],
            "error: bad --config 'replicas': expected key=value, e.g. replicas=3",
        ),
        (
            [str(PROGRAMS / "bad_config"), "--config", "replicas=abc"],
            f"error: program {PROGRAMS}/bad_config/__main__.py failed: ConfigTypeError: "
            "Configuration 'bad-config:replicas' value 'abc' is not a valid 'int'",
        ),
    ],
)
def test_user_errors_are_one_line(
    args: list[str],
    message: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Missing project, malformed flag and bad config value: exit 1, one `error:` line."""
    monkeypatch.chdir(tmp_path)
    assert main(["render", *args, "--out", str(tmp_path / "out")]) == 1
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", message + "\n")


def test_cli_prints_the_summary_without_secrets(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """On success the summary goes to stdout, nothing to stderr, and no secret anywhere."""
    secret = "hunter2-correct-horse"
    args = [str(PROGRAMS / "secret_config"), "--config", f"password={secret}"]
    code = main(["render", *args, "--out", str(tmp_path)])
    captured = capsys.readouterr()
    assert code == 0
    assert captured.err == ""
    assert captured.out.endswith(
        "Stack outputs:\n  password: [secret]\n  username: app\n\n"
        "warning: Secret app/credentials holds redacted secret values "
        "(stringData.password, stringData.username); it was written as "
        f"{tmp_path}/000-secret-app-credentials.yaml.redacted, which kubectl apply -f "
        f"{tmp_path}/ skips: create it yourself\n"
        "warning: ConfigMap app/leaky holds redacted secret values (data.dsn); it was written as "
        f"{tmp_path}/001-configmap-app-leaky.yaml.redacted, which kubectl apply -f {tmp_path}/ "
        "skips: create it yourself\n"
    )
    assert secret not in captured.out
    assert all(secret not in p.read_text() for p in tmp_path.iterdir())


def test_secret_it_cannot_locate_exits_1_with_one_line_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A secret container list holding only a secret's base64: one error line, no files."""
    args = [str(PROGRAMS / "secret_image"), "--config", "image=repo/x:1", "--config"]
    code = main(["render", *args, "shape=derived", "--out", str(tmp_path / "out")])
    captured = capsys.readouterr()
    assert (code, captured.out) == (1, "")
    assert captured.err == (
        "error: StatefulSet db/mysql: spec.template.spec.containers holds a Pulumi secret the "
        "offline render cannot locate (no secret config value or Output.secret string occurs in "
        "it); pass it through config or keep it out of this object\n"
    )
    assert "repo/x:1" not in captured.err
    assert not (tmp_path / "out").exists()


def test_a_named_stack_without_its_file_is_an_error(tmp_path: Path) -> None:
    """`--stack prod` without Pulumi.prod.yaml fails and lists the stacks that have a file."""
    result = run_cli("--stack", "prod", "--out", str(tmp_path), cwd=PROGRAMS / "statefulset")
    assert result.returncode == 1
    assert result.stderr == (
        "error: stack 'prod' has no Pulumi.prod.yaml in . (stacks with a file: dev); "
        "create it or pick another stack\n"
    )
    assert list(tmp_path.iterdir()) == []
