"""Every example, deployed from its own directory exactly as its README says.

Each scenario runs the ``pulumi`` commands of the example README's first ``sh`` block
(``pulumi install`` makes the example's own virtualenv from its requirements.txt, secrets
go in with ``pulumi config set --secret``), then checks the stack outputs value for value,
resolves every host they name through CoreDNS to the Pod or Service it must reach, runs
a second preview that must show no changes, and destroys the stack.

The examples run in a checkout kept under the e2e cache (only the files the examples
need, refreshed every run), so their virtualenvs and the editable install of this
package survive between runs; ``pulumi install`` then only checks them.
"""

from __future__ import annotations

import json
import re
import secrets
from pathlib import Path
from typing import Any

import pytest

from .cluster import ControlPlane
from .conftest import REPO
from .dns import Resolver
from .polling import wait_until
from .pulumi_cli import PulumiEnvironment
from .readme_commands import deploy_commands, filled_in

pytestmark = pytest.mark.e2e

DOMAIN = "svc.cluster.local"


def pod_host(pod: str, service: str, namespace: str) -> str:
    return f"{pod}.{service}.{namespace}.{DOMAIN}"


def hosts(prefix: str, service: str, namespace: str, ordinals: range) -> list[str]:
    return [pod_host(f"{prefix}-{n}", service, namespace) for n in ordinals]


ETCD = hosts("etcd", "etcd-headless", "etcd", range(3))
MYSQL = hosts("mysql", "mysql-headless", "mysql", range(3))
CONTROLLERS = hosts("kafka-controller", "kafka-controller-headless", "kafka", range(3))
BROKERS = hosts("kafka-broker", "kafka-broker-headless", "kafka", range(100, 103))

# Each example's stack outputs, exactly, and the namespace it creates.
EXPECTED: dict[str, tuple[str, dict[str, Any]]] = {
    "etcd": (
        "etcd",
        {
            "initialCluster": ",".join(f"etcd-{n}=http://{h}:2380" for n, h in enumerate(ETCD)),
            "clientUrls": ",".join(f"http://{h}:2379" for h in ETCD),
            "peerEndpoints": {
                "client": [f"{h}:2379" for h in ETCD],
                "peer": [f"{h}:2380" for h in ETCD],
            },
        },
    ),
    "mysql": (
        "mysql",
        {
            "primaryHost": MYSQL[0],
            "primaryEndpoint": f"{MYSQL[0]}:3306",
            "readEndpoint": f"mysql.mysql.{DOMAIN}:3306",
            "replicaEndpoints": [f"{h}:3306" for h in MYSQL[1:]],
        },
    ),
    "kafka-kraft": (
        "kafka",
        {
            "quorumVoters": ",".join(f"{n}@{h}:9093" for n, h in enumerate(CONTROLLERS)),
            "bootstrapServers": ",".join(f"{h}:9092" for h in BROKERS),
            "controllerEndpoints": [f"{h}:9093" for h in CONTROLLERS],
        },
    ),
    "platform-stack": (
        "orders",
        {
            "namespace": "orders",
            "databaseHost": f"orders-db.orders.{DOMAIN}",
            "databasePrimary": pod_host("orders-db-0", "orders-db-headless", "orders"),
            "cacheEndpoint": [f"{pod_host('sessions-0', 'sessions-headless', 'orders')}:6379"],
            # What a certificate for the database must cover: the Pod, the wildcard under the
            # headless Service, each Service's four names.
            "databaseTlsNames": [
                *(f"orders-db-0.orders-db-headless.orders.{suffix}" for suffix in (DOMAIN, "svc")),
                *(f"*.orders-db-headless.orders.{suffix}" for suffix in (DOMAIN, "svc")),
                *(
                    name
                    for service in ("orders-db-headless", "orders-db")
                    for name in (
                        f"{service}.orders.{DOMAIN}",
                        f"{service}.orders.svc",
                        f"{service}.orders",
                        service,
                    )
                ),
            ],
        },
    ),
}

HOST = re.compile(r"[a-z0-9]([a-z0-9.-]*[a-z0-9])?\." + re.escape(DOMAIN))


def expected_addresses(cluster: ControlPlane, host: str) -> list[str]:
    """What ``host`` must resolve to: the Pod it names, or the Service's address(es)."""
    labels = host.removesuffix("." + DOMAIN).split(".")
    if len(labels) == 3:
        pod, _service, namespace = labels
        return [cluster.get_json("pod", pod, "-n", namespace)["status"]["podIP"]]
    service_name, namespace = labels
    service = cluster.get_json("service", service_name, "-n", namespace)
    if service["spec"]["clusterIP"] != "None":
        return [service["spec"]["clusterIP"]]
    slices = cluster.get_json(
        "endpointslices", "-n", namespace, "-l", f"kubernetes.io/service-name={service_name}"
    )
    return sorted(
        address
        for item in slices["items"]
        for endpoint in item.get("endpoints") or []
        for address in endpoint["addresses"]
    )


def namespace_gone(cluster: ControlPlane, namespace: str) -> bool:
    found = cluster.kubectl("get", "namespace", namespace, "--ignore-not-found", "-o", "name")
    return found.strip() == ""


@pytest.mark.parametrize("example", sorted(EXPECTED))
def test_example_deploys_as_its_readme_says(
    example: str,
    checkout: Path,
    pulumi_env: PulumiEnvironment,
    cluster: ControlPlane,
    resolver: Resolver,
) -> None:
    namespace, outputs = EXPECTED[example]
    directory = checkout / "examples" / example
    commands = deploy_commands(REPO / "examples" / example / "README.md", f"examples/{example}")
    # Generated per run: a password that exists nowhere else and is never printed.
    values = {"<password>": secrets.token_urlsafe(18)}
    printed: dict[str, str] = {}
    try:
        for command in commands:
            result = pulumi_env.run(filled_in(command[1:], values), cwd=directory)
            if command[1:3] == ["stack", "output"]:
                printed[command[3]] = result.stdout.strip()
            assert values["<password>"] not in result.output

        stack = _stack_of(commands)
        real = json.loads(
            pulumi_env.run(["stack", "output", "--json", "--stack", stack], cwd=directory).stdout
        )
        assert real == outputs
        # What the README's own `pulumi stack output <name>` printed.
        for name, text in printed.items():
            assert text == outputs[name], f"pulumi stack output {name}"

        named = sorted({match.group(0) for match in HOST.finditer(json.dumps(outputs))})
        assert named, "the outputs name no host"
        for host in named:
            assert resolver.a(host) == expected_addresses(cluster, host), host

        pulumi_env.run(["preview", "--expect-no-changes", "--stack", stack], cwd=directory)
    finally:
        pulumi_env.run(["destroy", "--yes", "--stack", _stack_of(commands)], cwd=directory)
        pulumi_env.run(["stack", "rm", "--yes", _stack_of(commands)], cwd=directory)
    # The example created its Namespace, so destroying it deletes the Namespace and, with
    # it, the claims that the StatefulSet's Retain policy kept.
    wait_until(f"namespace {namespace} to be deleted", lambda: namespace_gone(cluster, namespace))


def _stack_of(commands: list[list[str]]) -> str:
    """The stack the README's ``pulumi stack init <stack>`` creates."""
    return next(words[3] for words in commands if words[1:3] == ["stack", "init"])
