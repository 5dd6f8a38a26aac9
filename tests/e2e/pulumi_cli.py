"""The real Pulumi CLI, fully offline: a file backend, a passphrase, no downloads.

Each :class:`PulumiProject` is a copy of a Pulumi project in a temporary directory with
its own stack; every command runs with ``PULUMI_HOME`` and the state backend in the
session's temporary directory, the Kubernetes provider installed from the binary built
by ``tests/e2e/toolchain/build.sh``, and ``KUBECONFIG`` pointing at the e2e cluster.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Only this is secret here, and it protects state in a temporary directory.
PASSPHRASE = "e2e-only-passphrase"


class PulumiError(AssertionError):
    """A pulumi command failed (or succeeded where the scenario expected a refusal)."""


@dataclass
class CommandResult:
    args: list[str]
    returncode: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


@dataclass
class PulumiEnvironment:
    """What every pulumi command of one e2e session shares."""

    bin_dir: Path
    home: Path
    backend: Path
    kubeconfig: Path
    log_dir: Path

    def env(self) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            # A developer's own Pulumi settings must not leak into the run.
            if not key.startswith("PULUMI_") and key not in {"KUBECONFIG", "VIRTUAL_ENV"}
        }
        env.update(
            {
                "PATH": f"{self.bin_dir}{os.pathsep}{env.get('PATH', '')}",
                "PULUMI_HOME": str(self.home),
                "PULUMI_BACKEND_URL": f"file://{self.backend}",
                "PULUMI_CONFIG_PASSPHRASE": PASSPHRASE,
                "PULUMI_SKIP_UPDATE_CHECK": "true",
                "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
                "PULUMI_SKIP_CONFIRMATIONS": "true",
                "PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK": "true",
                "KUBECONFIG": str(self.kubeconfig),
                "NO_COLOR": "1",
            }
        )
        return env

    def run(
        self, args: Iterable[str], cwd: Path, check: bool = True, timeout: float = 600
    ) -> CommandResult:
        argv = [str(self.bin_dir / "pulumi"), *args, "--non-interactive", "--color=never"]
        started = time.monotonic()
        # Its own process group, so a command that overruns its time is stopped together
        # with the language host and provider it started.
        proc = subprocess.Popen(
            argv,
            cwd=cwd,
            env=self.env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
        )
        try:
            stdout, stderr = proc.communicate(timeout=timeout)
        except BaseException:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            stdout, stderr = proc.communicate()
            self._log(CommandResult(argv[1:], -9, stdout, stderr, time.monotonic() - started))
            raise
        result = CommandResult(
            argv[1:], proc.returncode, stdout, stderr, time.monotonic() - started
        )
        self._log(result)
        if check and proc.returncode != 0:
            command = " ".join(result.args)
            raise PulumiError(
                f"pulumi {command} failed ({proc.returncode}):\n{result.output[-6000:]}"
            )
        return result

    def _log(self, result: CommandResult) -> None:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        with (self.log_dir / "pulumi-commands.log").open("a") as log:
            log.write(
                f"\n$ pulumi {' '.join(result.args)}  # exit {result.returncode}, "
                f"{result.seconds:.1f} s\n{result.output}\n"
            )

    def install_kubernetes_plugin(self, version: str) -> None:
        self.run(
            [
                "plugin",
                "install",
                "resource",
                "kubernetes",
                version,
                "--file",
                str(self.bin_dir / "plugins" / "pulumi-resource-kubernetes"),
            ],
            cwd=self.home,
        )


def virtualenv_for(requirements: Path, cache_root: Path, extra: Iterable[str] = ()) -> Path:
    """A virtualenv with ``requirements`` installed, cached by their content."""
    digest = hashlib.sha256(requirements.read_bytes())
    for line in extra:
        digest.update(line.encode())
    venv = cache_root / "venvs" / digest.hexdigest()[:16]
    if (venv / ".complete").exists():
        return venv
    shutil.rmtree(venv, ignore_errors=True)
    print(f"[e2e] creating the stack virtualenv {venv}", file=sys.stderr, flush=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "-r", str(requirements), *extra], check=True, cwd=requirements.parent)
    (venv / ".complete").touch()
    return venv


@dataclass
class PulumiProject:
    """One project directory with one selected stack."""

    pulumi: PulumiEnvironment
    directory: Path
    stack: str

    @classmethod
    def create(
        cls,
        pulumi: PulumiEnvironment,
        directory: Path,
        stack: str,
        virtualenv: Path,
        config: Mapping[str, Any] | None = None,
    ) -> PulumiProject:
        link = directory / "venv"
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(virtualenv)
        project = cls(pulumi, directory, stack)
        pulumi.run(["stack", "init", stack], cwd=directory)
        for key, value in (config or {}).items():
            project.config_set(key, value)
        return project

    def run(self, *args: str, check: bool = True, timeout: float = 600) -> CommandResult:
        return self.pulumi.run(
            [*args, "--stack", self.stack], cwd=self.directory, check=check, timeout=timeout
        )

    def config_set(self, key: str, value: Any, secret: bool = False) -> None:
        # Config values are text; `config.require_int` parses "3" the way it would be typed.
        args = ["config", "set", key, value if isinstance(value, str) else json.dumps(value)]
        if secret:
            args.append("--secret")
        self.run(*args)

    def config_rm(self, key: str) -> None:
        self.run("config", "rm", key)

    def up(self, *extra: str, check: bool = True, timeout: float = 600) -> CommandResult:
        return self.run("up", "--yes", "--diff", *extra, check=check, timeout=timeout)

    def preview(self, *extra: str, check: bool = True) -> CommandResult:
        return self.run("preview", "--diff", *extra, check=check)

    def outputs(self) -> dict[str, Any]:
        result = self.run("stack", "output", "--json", "--show-secrets")
        return dict(json.loads(result.stdout))

    def destroy(self, *extra: str, check: bool = True) -> CommandResult:
        return self.run("destroy", "--yes", *extra, check=check)
