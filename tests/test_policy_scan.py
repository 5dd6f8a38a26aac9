"""checkov's Kubernetes policies over the rendered manifests: defaults and hardened."""

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from stateful_service_pair.render import render

ROOT = Path(__file__).resolve().parent.parent
PROGRAM = ROOT / "tests" / "programs" / "policy_pair"

# What a pair with default arguments fails, and why only the user can clear it.
# The README's security table lists the same checks.
DEFAULT_FAILURES = {
    # Only the user knows the image digest.
    ("CKV_K8S_43", "StatefulSet", "mysql"),
    # Only the user knows which namespace the pair belongs in.
    ("CKV_K8S_21", "Service", "mysql"),
    ("CKV_K8S_21", "Service", "mysql-headless"),
    ("CKV_K8S_21", "StatefulSet", "mysql"),
    # Only the user knows which clients may connect (network_policy).
    ("CKV2_K8S_6", "Pod", "mysql"),
}


def checkov_binary() -> str:
    """The scanner from `make test`'s own virtualenv; never silently skipped under make."""
    configured = os.environ.get("CHECKOV")
    if configured:
        assert Path(configured).is_file(), f"CHECKOV={configured} does not exist"
        return configured
    local = ROOT / ".venv-checkov" / "bin" / "checkov"
    if not local.is_file():
        pytest.skip("checkov is installed by `make test` (.venv-checkov); run it that way")
    return str(local)


def scan_render(out: Path) -> dict[str, Any]:
    """checkov's failed checks as (check, kind, name), and how many checks passed."""
    completed = subprocess.run(
        [
            checkov_binary(),
            "--directory",
            str(out),
            "--framework",
            "kubernetes",
            "--compact",
            "--output",
            "json",
            "--skip-download",
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    # checkov exits 1 when a check fails; anything else is a scanner error.
    assert completed.returncode in (0, 1), completed.stderr[-2000:]
    report = json.loads(completed.stdout)
    # One report per framework run, as a list or a single object.
    reports = report if isinstance(report, list) else [report]
    failed = set()
    passed = 0
    for entry in reports:
        assert entry["summary"]["parsing_errors"] == 0
        passed += entry["summary"]["passed"]
        for check in entry["results"].get("failed_checks", []):
            kind, _namespace, name = check["resource"].split(".")[:3]
            failed.add((check["check_id"], kind, name))
    return {"failed": failed, "passed": passed}


@pytest.fixture(scope="module")
def scan(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """Render the pair with default and with hardened arguments, and scan each render alone.

    One scan over both would let checkov's graph check match the hardened render's
    NetworkPolicy to the default render's Pods (it ignores namespaces).
    """
    results = {}
    for variant, flags in (("default", []), ("hardened", ["hardened=true"])):
        out = tmp_path_factory.mktemp(variant)
        render(PROGRAM, config_flags=flags, out_dir=out)
        results[variant] = scan_render(out)
    return results


def test_default_pair_fails_only_checks_that_need_user_information(
    scan: dict[str, dict[str, Any]],
) -> None:
    """Defaults fail exactly: image digest, default namespace and a missing NetworkPolicy."""
    assert scan["default"]["failed"] == DEFAULT_FAILURES


def test_hardened_pair_fails_no_check(scan: dict[str, dict[str, Any]]) -> None:
    """With digest, namespace and network_policy the scan reports no failure at all."""
    assert scan["hardened"]["failed"] == set()


def test_the_scan_really_ran_its_checks(scan: dict[str, dict[str, Any]]) -> None:
    """Dozens of checks passed on both renders, so an empty failure list means something."""
    assert scan["default"]["passed"] >= 60
    assert scan["hardened"]["passed"] >= 60
