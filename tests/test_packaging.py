"""The package's face: its import name, what importing it loads, its version, its source folder.

Each check runs in a fresh interpreter, because this test process has long since imported
everything.
"""

import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import stateful_service_pair

REPO = Path(__file__).resolve().parent.parent
SOURCE_FOLDER = REPO / "components"


def run_python(code: str, cwd: Path, *, hide_repo: bool = False) -> str:
    """Run ``code`` in a fresh interpreter of this virtualenv; return its stdout.

    ``hide_repo`` first drops this checkout's source folder from ``sys.path`` (the editable
    install puts it there), so the child sees only what a virtualenv built from
    requirements.txt would see, like `pulumi up` in the e2e copy.
    """
    preamble = (
        f"import sys\nsys.path[:] = [p for p in sys.path if p != {str(SOURCE_FOLDER)!r}]\n"
        if hide_repo
        else ""
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PULUMI_", "PYTHONPATH"))}
    result = subprocess.run(
        [sys.executable, "-c", preamble + code],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_import_loads_neither_the_mocks_nor_the_renderer(tmp_path: Path) -> None:
    """`import stateful_service_pair` leaves its testing and render subpackages unimported."""
    loaded = json.loads(
        run_python(
            "import json, sys\nimport stateful_service_pair\n"
            "print(json.dumps(sorted(m for m in sys.modules "
            "if m.startswith('stateful_service_pair'))))",
            tmp_path,
        )
    )
    assert "stateful_service_pair" in loaded
    assert [m for m in loaded if m.startswith("stateful_service_pair.testing")] == []
    assert [m for m in loaded if m.startswith("stateful_service_pair.render")] == []


def test_import_adds_only_its_own_modules_to_what_its_objects_need(tmp_path: Path) -> None:
    """Beyond the SDK and the API groups a default pair's objects come from, importing the
    package loads only itself and `decimal` (quantities); `pulumi_kubernetes.storage.v1` and
    `difflib` wait until expand mode or a refused argument needs them (docs/BENCHMARKS.md,
    import time)."""
    added = json.loads(
        run_python(
            "import json, sys\nimport pulumi, pulumi_kubernetes as k8s\n"
            "k8s.core.v1.Service, k8s.apps.v1.StatefulSet, k8s.policy.v1.PodDisruptionBudget\n"
            "before = set(sys.modules)\nimport stateful_service_pair\n"
            "print(json.dumps(sorted(set(sys.modules) - before)))",
            tmp_path,
        )
    )
    others = {m for m in added if not m.startswith("stateful_service_pair")}
    assert not {m for m in others if m.startswith("pulumi_kubernetes.storage")}
    assert "difflib" not in others
    assert others <= {"decimal", "_decimal"}


def test_public_names_are_exactly_all() -> None:
    """Every public (non-underscore, non-module-internal) name of the package is in `__all__`."""
    public = {
        name
        for name in vars(stateful_service_pair)
        if not name.startswith("_")
        # Submodules are bound as attributes once imported; only the public ones are listed.
        and name not in {"testing", "render"}
    }
    assert public == set(stateful_service_pair.__all__) - {"__version__"}
    assert all(hasattr(stateful_service_pair, name) for name in stateful_service_pair.__all__)


def test_version_has_one_source() -> None:
    """The installed distribution's version is `__version__`, and the changelog has its entry."""
    version = stateful_service_pair.__version__
    assert importlib.metadata.version("pulumi-stateful-service-pair") == version
    assert f"## {version} " in (REPO / "CHANGELOG.md").read_text()


def test_source_folder_holds_only_the_package() -> None:
    """components/ is a source folder (no __init__.py), so no top-level `components` exists."""
    # pip's editable install writes its egg-info beside the package (ignored by git).
    entries = sorted(
        p.name
        for p in SOURCE_FOLDER.iterdir()
        if p.name != "__pycache__" and not p.name.endswith(".egg-info")
    )
    assert entries == ["stateful_service_pair"]


def test_platform_repo_with_its_own_components_package_imports_both(tmp_path: Path) -> None:
    """A platform repo's own `components` package and ours import side by side."""
    platform = tmp_path / "platform"
    (platform / "components").mkdir(parents=True)
    (platform / "components" / "__init__.py").write_text("")
    (platform / "components" / "offline.py").write_text("WHO = 'platform'\n")
    out = run_python(
        "import components.offline, stateful_service_pair, stateful_service_pair.testing\n"
        "print(components.offline.WHO, stateful_service_pair.__name__, "
        "stateful_service_pair.testing.__name__)",
        platform,
    )
    assert out.split() == ["platform", "stateful_service_pair", "stateful_service_pair.testing"]


def test_root_program_runs_from_a_copy_without_the_package_installed(tmp_path: Path) -> None:
    """The e2e copy (Pulumi.yaml, Pulumi.dev.yaml, __main__.py, components/) imports its own copy.

    `pulumi up` there uses a virtualenv built from requirements.txt only; the root
    __main__.py puts components/ on sys.path itself.
    """
    copy = tmp_path / "root"
    copy.mkdir()
    for name in ("Pulumi.yaml", "Pulumi.dev.yaml", "__main__.py"):
        shutil.copy(REPO / name, copy / name)
    shutil.copytree(
        SOURCE_FOLDER, copy / "components", ignore=shutil.ignore_patterns("__pycache__")
    )
    config = {
        "stateful-service-pair:name": "redis",
        "stateful-service-pair:image": "redis:7.4-alpine",
        "stateful-service-pair:portName": "redis",
        "stateful-service-pair:port": "6379",
        "stateful-service-pair:replicas": "3",
        "stateful-service-pair:clusterDomain": "cluster.local",
    }
    out = run_python(
        "import json, runpy\nimport pulumi\n"
        "class Mocks(pulumi.runtime.Mocks):\n"
        "    def new_resource(self, args):\n"
        "        return args.name, {**args.inputs, 'metadata': {'name': args.name, "
        "'namespace': 'default', **args.inputs.get('metadata', {})}}\n"
        "    def call(self, args):\n"
        "        return {}\n"
        "pulumi.runtime.set_mocks(Mocks(), project='stateful-service-pair', stack='dev', "
        "preview=False)\n"
        f"pulumi.runtime.set_all_config({json.dumps(config)})\n"
        "pulumi.runtime.test(lambda: runpy.run_path('__main__.py', run_name='__main__'))()\n"
        "import stateful_service_pair\n"
        "print(stateful_service_pair.__file__)",
        copy,
        hide_repo=True,
    )
    assert Path(out.strip()) == copy / "components" / "stateful_service_pair" / "__init__.py"


def test_floor_requirements_pin_exactly_the_declared_lower_bounds() -> None:
    """`make test-floor` installs exactly the lowest versions pyproject.toml accepts."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    declared = {}
    for requirement in project["dependencies"]:
        name, floor = re.match(r"([A-Za-z0-9_-]+)>=([0-9.]+)", requirement).groups()  # type: ignore[union-attr]
        declared[name.lower()] = floor
    pinned = dict(
        line.lower().split("==")
        for line in (REPO / "requirements-floor.txt").read_text().splitlines()
        if "==" in line and not line.startswith("#")
    )
    # A floor like 3.260 is pinned as 3.260.0.
    assert {name: pinned[name].removesuffix(".0") for name in declared} == {
        name: floor.removesuffix(".0") for name, floor in declared.items()
    }
    assert project["requires-python"] == ">=3.11"


def test_console_script_is_the_renderers_entry_point() -> None:
    """`stateful-pair-render` runs the renderer's CLI through its exiting entry point."""
    from stateful_service_pair.render._cli import console_main

    [script] = [
        entry
        for entry in importlib.metadata.distribution("pulumi-stateful-service-pair").entry_points
        if entry.group == "console_scripts"
    ]
    assert (script.name, script.load()) == ("stateful-pair-render", console_main)
