"""Fixtures of the real-cluster suite: toolchain, control plane, offline Pulumi.

Selected by ``make e2e`` (``pytest -m e2e tests/e2e``); ``make test`` never collects
this folder. What a user already has is preferred over building:

- ``E2E_KUBECONFIG``: an existing cluster (kind, a dev cluster); nothing is started and
  the DNS scenarios, which need to reach the cluster's DNS, are skipped.
- ``pulumi`` on PATH with ``pulumi-language-python`` beside it: used instead of building.
- ``KUBEBUILDER_ASSETS``: kube-apiserver, etcd (and kubectl) from there.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from .checkout import refresh_checkout
from .cluster import ControlPlane, running_control_plane
from .dns import Resolver
from .pulumi_cli import PulumiEnvironment, PulumiProject, virtualenv_for

REPO = Path(__file__).resolve().parents[2]
TOOLCHAIN = REPO / "tests" / "e2e" / "toolchain"
LOG_DIR = REPO / "build" / "e2e-logs"
TESTS_PROGRAM = REPO / "tests" / "e2e" / "programs" / "pair"
CONTROL_PLANE = ("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kubectl")
# The root project's files; a scenario works on a copy, so stack files never land in the repo.
ROOT_PROJECT_FILES = ("Pulumi.yaml", "Pulumi.dev.yaml", "__main__.py", "components")
FAILED = pytest.StashKey[bool]()


def pinned(name: str) -> str:
    """A value from tests/e2e/toolchain/versions.env."""
    for line in (TOOLCHAIN / "versions.env").read_text().splitlines():
        key, _, value = line.partition("=")
        if key.strip() == name:
            return value.strip()
    raise KeyError(name)


def cache_root() -> Path:
    default = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    return Path(os.environ.get("E2E_CACHE", default / "stateful-service-pair" / "e2e"))


def _wanted_programs() -> list[str]:
    wanted = ["plugins/pulumi-resource-kubernetes", "coredns", "kwok"]
    user_pulumi = shutil.which("pulumi")
    if not (user_pulumi and Path(user_pulumi).with_name("pulumi-language-python").exists()):
        wanted += ["pulumi", "pulumi-language-python", "pulumi-language-python-exec"]
    # The YAML host runs the cross-language scenario (test_languages.py).
    if not (user_pulumi and Path(user_pulumi).with_name("pulumi-language-yaml").exists()):
        wanted.append("pulumi-language-yaml")
    if not os.environ.get("E2E_KUBECONFIG"):
        wanted += [p for p in CONTROL_PLANE if not _from_kubebuilder_assets(p)]
    return wanted


def _from_kubebuilder_assets(program: str) -> Path | None:
    assets = os.environ.get("KUBEBUILDER_ASSETS")
    if assets and (Path(assets) / program).exists():
        return Path(assets) / program
    return None


@pytest.fixture(scope="session")
def e2e_bin() -> Path:
    """One directory holding every program the suite runs (built or linked)."""
    build = TOOLCHAIN / "build.sh"
    bin_dir = Path(
        subprocess.run(
            [build, "--print-bin"], text=True, capture_output=True, check=True
        ).stdout.strip()
    )
    result = subprocess.run(
        [build, *_wanted_programs()], stdout=subprocess.PIPE, text=True, check=False
    )
    if result.returncode != 0:
        pytest.exit(f"e2e toolchain build failed (see the lines above and {LOG_DIR})", 3)
    # Link what the user already has into the same directory, so pulumi finds its hosts.
    for program in CONTROL_PLANE:
        if asset := _from_kubebuilder_assets(program):
            target = bin_dir / program
            target.unlink(missing_ok=True)
            target.symlink_to(asset)
    return bin_dir


@pytest.fixture(scope="session")
def cluster(e2e_bin: Path) -> Iterator[ControlPlane | None]:
    """The local control plane, stopped (by process id) when the session ends."""
    if os.environ.get("E2E_KUBECONFIG"):
        yield None
        return
    # CI's timeout and a developer's `kill` send SIGTERM: turned into KeyboardInterrupt, it
    # unwinds through the fixtures, so the processes are stopped by their ids as usual.
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        with running_control_plane(e2e_bin) as plane:
            yield plane
    finally:
        signal.signal(signal.SIGTERM, previous)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.failed:
        item.stash[FAILED] = True
    return report


@pytest.fixture(autouse=True)
def cluster_state_on_failure(request: pytest.FixtureRequest) -> Iterator[None]:
    """After a failed scenario, what the API server holds goes to build/e2e-logs/."""
    yield
    if not request.node.stash.get(FAILED, False) or "cluster" not in request.fixturenames:
        return
    plane = request.getfixturevalue("cluster")
    if plane is None:
        return
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    state = plane.kubectl(
        "get", "statefulsets,services,endpointslices,pods,pvc,pv", "-A", "-o", "wide", check=False
    )
    (LOG_DIR / f"cluster-state-{request.node.name}.txt").write_text(state)


@pytest.fixture(scope="session")
def kubeconfig(cluster: ControlPlane | None) -> Path:
    if cluster is None:
        return Path(os.environ["E2E_KUBECONFIG"])
    return cluster.kubeconfig


@pytest.fixture(scope="session")
def resolver(cluster: ControlPlane | None) -> Resolver:
    if cluster is None:
        pytest.skip("E2E_KUBECONFIG names an existing cluster: its DNS is not reachable here")
    return Resolver(cluster.dns_port)


@pytest.fixture(scope="session")
def pulumi_env(e2e_bin: Path, kubeconfig: Path) -> Iterator[PulumiEnvironment]:
    """Offline Pulumi: a temporary home and file backend, the built provider installed."""
    tmp = Path(tempfile.mkdtemp(prefix="ssp-e2e-pulumi-"))
    env = PulumiEnvironment(
        bin_dir=e2e_bin,
        home=tmp / "home",
        backend=tmp / "state",
        kubeconfig=kubeconfig,
        log_dir=LOG_DIR,
    )
    env.home.mkdir()
    env.backend.mkdir()
    (LOG_DIR / "pulumi-commands.log").unlink(missing_ok=True)
    env.install_kubernetes_plugin(pinned("PULUMI_KUBERNETES_VERSION"))
    try:
        yield env
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="session")
def stack_virtualenv() -> Path:
    """The root project's virtualenv (requirements.txt), cached outside the repository."""
    return virtualenv_for(REPO / "requirements.txt", cache_root())


@pytest.fixture(scope="session")
def new_root_project(
    pulumi_env: PulumiEnvironment,
    stack_virtualenv: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Callable[..., PulumiProject]:
    """Makes a copy of the root project with a new stack (``dev`` reads Pulumi.dev.yaml)."""

    def make(stack: str = "dev", config: dict[str, object] | None = None) -> PulumiProject:
        directory = tmp_path_factory.mktemp(f"project-{stack}")
        for name in ROOT_PROJECT_FILES:
            source = REPO / name
            if source.is_dir():
                shutil.copytree(
                    source,
                    directory / name,
                    ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"),
                )
            else:
                shutil.copy(source, directory / name)
        return PulumiProject.create(pulumi_env, directory, stack, stack_virtualenv, config)

    return make


@pytest.fixture(scope="session")
def new_pair_project(
    pulumi_env: PulumiEnvironment,
    stack_virtualenv: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Callable[..., PulumiProject]:
    """Makes a project of programs/pair (every argument from the `pair` config object)."""

    def make(stack: str, name: str, pair: dict[str, object]) -> PulumiProject:
        directory = tmp_path_factory.mktemp(f"pair-{stack}")
        for source in (TESTS_PROGRAM / "Pulumi.yaml", TESTS_PROGRAM / "__main__.py"):
            shutil.copy(source, directory / source.name)
        shutil.copytree(
            REPO / "components",
            directory / "components",
            ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"),
        )
        return PulumiProject.create(
            pulumi_env, directory, stack, stack_virtualenv, {"name": name, "pair": pair}
        )

    return make


@pytest.fixture(scope="session")
def checkout() -> Path:
    """This repository's examples, plugin and package, in the cache (see checkout.py)."""
    return refresh_checkout(REPO, cache_root() / "checkout")


def pytest_report_header() -> list[str]:
    return [f"e2e toolchain cache: {cache_root()}", f"python: {sys.version.split()[0]}"]
