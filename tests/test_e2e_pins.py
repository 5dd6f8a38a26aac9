"""The e2e toolchain's pins and the Python pins cannot drift apart."""

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def pinned(name: str) -> str:
    for line in (REPO / "tests/e2e/toolchain/versions.env").read_text().splitlines():
        key, _, value = line.partition("=")
        if key == name:
            return value
    raise KeyError(name)


def test_every_requirements_file_pins_the_provider_version_that_e2e_builds() -> None:
    """pulumi-kubernetes (Python) asks for exactly the plugin version the e2e run installs."""
    files = [REPO / "requirements.txt", *sorted((REPO / "examples").glob("*/requirements.txt"))]
    pins = {
        path.relative_to(REPO).as_posix(): re.findall(
            r"^pulumi-kubernetes==(\S+)", path.read_text(), re.MULTILINE
        )
        for path in files
    }
    assert pins == {name: [pinned("PULUMI_KUBERNETES_VERSION")] for name in pins}


def test_the_provider_module_pin_is_a_pseudo_version_of_the_provider() -> None:
    """The provider source is pinned by commit, as the proxy serves it."""
    assert re.fullmatch(
        r"v4\.0\.0-\d{14}-[0-9a-f]{12}", pinned("PULUMI_KUBERNETES_PROVIDER_MODULE")
    )
