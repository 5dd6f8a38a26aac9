"""The default provider's namespace, found in config and kubeconfig as pulumi-kubernetes does."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pulumi
import pytest
import yaml
from stateful_service_pair import StatefulServicePair
from stateful_service_pair._kubeconfig import provider_namespace, use_environment
from stateful_service_pair.testing import use_kubernetes_mocks


def kubeconfig(path: Path, current: str | None, contexts: dict[str, str | None]) -> Path:
    """A kubeconfig with ``contexts`` (name -> namespace or None) and a current context."""
    document: dict[str, object] = {
        "apiVersion": "v1",
        "kind": "Config",
        "contexts": [
            {
                "name": name,
                "context": {"cluster": "c", "user": "u"} | ({"namespace": ns} if ns else {}),
            }
            for name, ns in contexts.items()
        ],
    }
    if current:
        document["current-context"] = current
    path.write_text(yaml.safe_dump(document))
    return path


def test_the_config_namespace_wins_over_the_kubeconfig(tmp_path: Path) -> None:
    config_file = kubeconfig(tmp_path / "config", "dev", {"dev": "team-a"})
    environ = {"KUBECONFIG": str(config_file)}
    assert provider_namespace({"kubernetes:namespace": "ops"}, environ) == "ops"
    assert provider_namespace({}, environ) == "team-a"


def test_the_current_context_of_merged_files_decides(tmp_path: Path) -> None:
    """client-go merges $KUBECONFIG: the first current-context wins, contexts from any file."""
    first = kubeconfig(tmp_path / "a", "prod", {"dev": "team-a"})
    second = kubeconfig(tmp_path / "b", "dev", {"prod": "payments"})
    environ = {"KUBECONFIG": f"{first}:{tmp_path / 'missing'}:{second}"}
    assert provider_namespace({}, environ) == "payments"
    assert provider_namespace({"kubernetes:context": "dev"}, environ) == "team-a"


def test_no_namespace_on_the_context_or_no_kubeconfig_means_default(tmp_path: Path) -> None:
    bare = kubeconfig(tmp_path / "config", "dev", {"dev": None})
    assert provider_namespace({}, {"KUBECONFIG": str(bare)}) == "default"
    assert provider_namespace({}, {"KUBECONFIG": str(tmp_path / "missing")}) == "default"
    assert provider_namespace({}, {}) == "default"
    (tmp_path / "broken").write_text(": not yaml : [")
    assert provider_namespace({}, {"KUBECONFIG": str(tmp_path / "broken")}) == "default"


def test_home_kubeconfig_and_the_kubeconfig_config_value(tmp_path: Path) -> None:
    (tmp_path / ".kube").mkdir()
    kubeconfig(tmp_path / ".kube" / "config", "dev", {"dev": "from-home"})
    assert provider_namespace({}, {"HOME": str(tmp_path)}) == "from-home"
    other = kubeconfig(tmp_path / "other", "x", {"x": "from-config-path"})
    assert provider_namespace({"kubernetes:kubeconfig": str(other)}, {"HOME": str(tmp_path)}) == (
        "from-config-path"
    )
    contents = other.read_text()
    assert provider_namespace({"kubernetes:kubeconfig": contents}, {}) == "from-config-path"


@pytest.fixture
def machine_kubeconfig(tmp_path: Path) -> Iterator[Path]:
    yield kubeconfig(tmp_path / "config", "dev", {"dev": "team-k"})
    use_environment(None)


def test_the_pair_names_the_kubeconfig_contexts_namespace(machine_kubeconfig: Path) -> None:
    """Outside the mocks, a context namespace set with kubectl reaches the DNS outputs."""
    use_kubernetes_mocks()
    use_environment({"KUBECONFIG": str(machine_kubeconfig)})

    @pulumi.runtime.test
    async def run() -> None:
        pair = StatefulServicePair(
            "cache", {"image": "redis:7.4", "ports": [{"name": "redis", "port": 6379}]}
        )
        assert await pair.namespace.future() == "team-k"
        assert await pair.pod_dns_names.future() == [
            "cache-0.cache-headless.team-k.svc.cluster.local"
        ]

    run()


def test_the_mocks_never_read_the_machines_kubeconfig(
    machine_kubeconfig: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KUBECONFIG", str(machine_kubeconfig))
    use_kubernetes_mocks()

    @pulumi.runtime.test
    async def run() -> None:
        pair = StatefulServicePair(
            "cache", {"image": "redis:7.4", "ports": [{"name": "redis", "port": 6379}]}
        )
        assert await pair.namespace.future() == "default"

    run()


def test_a_changed_kubeconfig_is_read_again(tmp_path: Path) -> None:
    """Parsed once per version of the file, so a long-lived process sees a switch of context."""
    path = kubeconfig(tmp_path / "config", "dev", {"dev": "first"})
    environ = {"KUBECONFIG": str(path)}
    assert provider_namespace({}, environ) == "first"
    kubeconfig(path, "dev", {"dev": "second-namespace"})
    assert provider_namespace({}, environ) == "second-namespace"
