"""The example programs: rendered offline, valid for Kubernetes, and wired the way they claim."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml
from stateful_service_pair import peers
from stateful_service_pair.render import Rendering, render
from stateful_service_pair.render._cli import main
from stateful_service_pair.render._manifests import REDACTED

from .e2e.readme_commands import deploy_commands
from .test_schemas import VERSIONS

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
NAMES = ("etcd", "kafka-kraft", "mysql", "platform-stack")


@functools.cache
def rendered(name: str, *config: str) -> Rendering:
    """One render per example and config, shared by the tests (they only read it)."""
    return render(EXAMPLES / name, config_flags=config, out_dir=None)


def manifest(rendering: Rendering, kind: str, name: str) -> dict[str, Any]:
    """The rendered object of this kind and name."""
    found = [m for m in rendering.manifests if m["kind"] == kind and m["metadata"]["name"] == name]
    assert len(found) == 1, f"{kind} {name}: {len(found)} objects"
    return found[0]


def main_container(rendering: Rendering, kind: str, name: str) -> dict[str, Any]:
    """The first container of a StatefulSet's or Deployment's Pod template."""
    container: dict[str, Any] = manifest(rendering, kind, name)["spec"]["template"]["spec"][
        "containers"
    ][0]
    return container


def env(container: dict[str, Any]) -> dict[str, Any]:
    """A container's env as {name: value, or the valueFrom mapping}."""
    return {item["name"]: item.get("value", item.get("valueFrom")) for item in container["env"]}


def output(rendering: Rendering, name: str) -> Any:
    """A stack output's value (not secret: the examples export no secrets)."""
    assert not rendering.outputs[name].secret
    return rendering.outputs[name].value


# ---------------------------------------------------------------- every example


def test_every_example_is_listed_here() -> None:
    """A new example directory fails this test until it is added to NAMES (and tested)."""
    found = {path.parent.name for path in EXAMPLES.glob("*/Pulumi.yaml")}
    assert found == set(NAMES)


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("name", NAMES)
def test_example_manifests_validate_strictly(name: str, version: str) -> None:
    """No unknown field, wrong type or missing required field for this Kubernetes version."""
    problems = []
    for rendered_manifest in rendered(name).manifests:
        try:
            kubernetes_validate.validate(dict(rendered_manifest), version, strict=True)
        except kubernetes_validate.ValidationError as error:
            label = f"{rendered_manifest['kind']} {rendered_manifest['metadata']['name']}"
            problems.append(f"{label}: {error.message.splitlines()[0]}")
    assert problems == []


# The Secret of each example: its password is redacted, so kubectl apply -f DIR must skip it.
REDACTED_FILES = {
    "etcd": [],
    "kafka-kraft": [],
    "mysql": ["001-secret-mysql-mysql-root.yaml.redacted"],
    "platform-stack": ["001-secret-orders-orders-db-credentials.yaml.redacted"],
}


@pytest.mark.parametrize("name", NAMES)
def test_render_command_writes_every_object(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`make render EXAMPLE=examples/<name>` exits 0, one file per object, Secrets `.redacted`."""
    assert main(["render", str(EXAMPLES / name), "--out", str(tmp_path)]) == 0
    written = sorted(tmp_path.iterdir())
    assert [yaml.safe_load(path.read_text()) for path in written] == list(rendered(name).manifests)
    assert [p.name for p in written if p.name.endswith(".redacted")] == REDACTED_FILES[name]
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("name", NAMES)
def test_example_is_a_runnable_project(name: str) -> None:
    """Python in a virtualenv, this repository plus the pinned SDKs, a README on running it."""
    # pip resolves `-e ../..` from the directory it runs in: `pulumi up` runs it here.
    directory = EXAMPLES / name
    project = yaml.safe_load((directory / "Pulumi.yaml").read_text())
    assert project["runtime"] == {
        "name": "python",
        "options": {"toolchain": "pip", "virtualenv": "venv"},
    }
    requirements = [
        line
        for line in (directory / "requirements.txt").read_text().splitlines()
        if line and not line.startswith("#")
    ]
    root_pins = [
        line
        for line in (ROOT / "requirements.txt").read_text().splitlines()
        if line.startswith(("pulumi==", "pulumi-kubernetes=="))
    ]
    assert requirements == ["-e ../..", *root_pins]
    pyproject = (directory / "../../pyproject.toml").read_text()
    assert re.search(r'^name = "pulumi-stateful-service-pair"$', pyproject, re.MULTILINE)
    readme = (directory / "README.md").read_text()
    assert f"make render EXAMPLE=examples/{name}" in readme


@pytest.mark.parametrize("name", NAMES)
def test_readme_deploy_commands_are_what_the_e2e_scenario_runs(name: str) -> None:
    """`make e2e` runs exactly the README's commands after `cd examples/<name>`; here their
    shape is checked without a cluster: the venv made, a stack, every secret set, an up, and
    only outputs the program exports."""
    directory = EXAMPLES / name
    commands = deploy_commands(directory / "README.md", f"examples/{name}")
    verbs = [" ".join(words[1:3]) for words in commands]
    assert verbs[:2] == ["install", "stack init"]
    assert "up" in verbs
    stack_file = directory / f"Pulumi.{commands[1][3]}.yaml"
    secure = set()
    if stack_file.exists():
        config = yaml.safe_load(stack_file.read_text())["config"]
        secure = {key.split(":")[1] for key, value in config.items() if isinstance(value, dict)}
    set_secret = {
        next(word for word in words[3:] if not word.startswith("-"))
        for words in commands
        if words[1:3] == ["config", "set"] and "--secret" in words
    }
    assert set_secret == secure, "every placeholder ciphertext is replaced before `pulumi up`"
    assert verbs.index("up") > max(
        (i for i, words in enumerate(commands) if words[1:3] == ["config", "set"]), default=0
    )
    exported = rendered(name).outputs
    for words in commands:
        if words[1:3] == ["stack", "output"]:
            assert words[3] in exported
            assert isinstance(exported[words[3]].value, str), "printed as the scenario compares it"


# ---------------------------------------------------------------- etcd

ETCD_MEMBERS = [f"etcd-{i}.etcd-headless.etcd.svc.cluster.local" for i in range(3)]
ETCD_INITIAL_CLUSTER = ",".join(
    f"etcd-{i}=http://{host}:2380" for i, host in enumerate(ETCD_MEMBERS)
)


def etcd_flags(rendering: Rendering) -> dict[str, str]:
    """The etcd container's --flag=value arguments."""
    container = main_container(rendering, "StatefulSet", "etcd")
    assert container["command"] == ["/usr/local/bin/etcd"]
    return dict(arg.removeprefix("--").split("=", 1) for arg in container["args"])


def test_etcd_initial_cluster_output_and_flag_are_the_members() -> None:
    """The exported --initial-cluster and the one in the Pods are the same three members."""
    rendering = rendered("etcd")
    assert output(rendering, "initialCluster") == ETCD_INITIAL_CLUSTER
    assert etcd_flags(rendering)["initial-cluster"] == ETCD_INITIAL_CLUSTER
    assert output(rendering, "clientUrls") == ",".join(
        f"http://{host}:2379" for host in ETCD_MEMBERS
    )


def peer_hosts(rendering: Rendering) -> list[str]:
    """The etcd Pods' DNS names, as the pair computed them (its peer_endpoints output)."""
    return [endpoint.rsplit(":", 1)[0] for endpoint in output(rendering, "peerEndpoints")["peer"]]


@pytest.mark.parametrize(
    ("config", "expected_hosts"),
    [
        ((), ETCD_MEMBERS),
        (
            ("namespace=kv", "clusterDomain=corp.internal", "replicas=5"),
            [f"etcd-{i}.etcd-headless.kv.svc.corp.internal" for i in range(5)],
        ),
    ],
)
def test_each_etcd_member_advertises_its_own_entry(
    config: tuple[str, ...], expected_hosts: list[str]
) -> None:
    """Each Pod's --name and advertised peer URL, $(POD_NAME) expanded, are its member entry."""
    rendering = rendered("etcd", *config)
    flags = etcd_flags(rendering)
    entries = flags["initial-cluster"].split(",")
    hosts = peer_hosts(rendering)
    assert hosts == expected_hosts
    pods = [host.split(".")[0] for host in hosts]
    assert [
        f"{flags['name']}={flags['initial-advertise-peer-urls']}".replace("$(POD_NAME)", pod)
        for pod in pods
    ] == entries
    assert entries == [
        peers.ETCD_INITIAL_CLUSTER.format(name=pod, host=host, port=2380)
        for pod, host in zip(pods, hosts, strict=True)
    ]
    assert output(rendering, "initialCluster") == flags["initial-cluster"]


def test_etcd_members_bootstrap_together_and_name_themselves() -> None:
    """Parallel start, unready peers published, POD_NAME from the downward API."""
    rendering = rendered("etcd")
    sts = manifest(rendering, "StatefulSet", "etcd")
    assert sts["spec"]["podManagementPolicy"] == "Parallel"
    assert sts["spec"]["serviceName"] == "etcd-headless"
    headless = manifest(rendering, "Service", "etcd-headless")
    assert headless["spec"]["publishNotReadyAddresses"] is True
    assert env(main_container(rendering, "StatefulSet", "etcd")) == {
        "POD_NAME": {"fieldRef": {"fieldPath": "metadata.name"}}
    }
    flags = etcd_flags(rendering)
    assert flags["name"] == "$(POD_NAME)"
    assert flags["advertise-client-urls"] == (
        "http://$(POD_NAME).etcd-headless.etcd.svc.cluster.local:2379"
    )
    assert flags["initial-cluster-state"] == "new"


# ---------------------------------------------------------------- mysql

MYSQL_PRIMARY = "mysql-0.mysql-headless.mysql.svc.cluster.local"


def test_mysql_replicas_find_the_primary_by_its_pod_name() -> None:
    """PRIMARY_HOST in the Pods is the pair's primary_dns_name output, mysql-0's DNS name."""
    rendering = rendered("mysql")
    assert output(rendering, "primaryHost") == MYSQL_PRIMARY
    assert output(rendering, "primaryEndpoint") == f"{MYSQL_PRIMARY}:3306"
    assert output(rendering, "replicaEndpoints") == [
        f"mysql-{i}.mysql-headless.mysql.svc.cluster.local:3306" for i in (1, 2)
    ]
    assert output(rendering, "readEndpoint") == "mysql.mysql.svc.cluster.local:3306"
    assert env(main_container(rendering, "StatefulSet", "mysql")) == {
        "PRIMARY_POD": "mysql-0",
        "PRIMARY_HOST": MYSQL_PRIMARY,
        "PRIMARY_PORT": "3306",
        "MYSQL_ROOT_PASSWORD": {"secretKeyRef": {"name": "mysql-root", "key": "password"}},
    }


def test_mysql_replication_script_is_mounted_and_its_variables_exist() -> None:
    """The init script is mounted unchanged and every variable it reads is set in the Pod."""
    rendering = rendered("mysql")
    script = (EXAMPLES / "mysql" / "replication.sh").read_text()
    assert manifest(rendering, "ConfigMap", "mysql-initdb")["data"] == {"10-replication.sh": script}
    container = main_container(rendering, "StatefulSet", "mysql")
    assert {
        "name": "initdb",
        "mountPath": "/docker-entrypoint-initdb.d",
        "readOnly": True,
    } in container["volumeMounts"]
    pod = manifest(rendering, "StatefulSet", "mysql")["spec"]["template"]["spec"]
    assert {"name": "initdb", "configMap": {"name": "mysql-initdb"}} in pod["volumes"]
    used = set(re.findall(r"\$\{?([A-Z_]+)", script))
    assert used == {
        "HOSTNAME",
        "PRIMARY_POD",
        "PRIMARY_HOST",
        "PRIMARY_PORT",
        "MYSQL_ROOT_PASSWORD",
    }
    # Kubernetes sets HOSTNAME to the Pod name; everything else must come from the env.
    assert used - {"HOSTNAME"} <= set(env(container))


def test_mysql_runs_as_the_images_user_on_a_read_only_root() -> None:
    """UID/GID 999, read-only root, and writable exactly where mysqld writes."""
    rendering = rendered("mysql")
    container = main_container(rendering, "StatefulSet", "mysql")
    assert container["command"] == [
        "bash",
        "-c",
        "exec docker-entrypoint.sh mysqld --datadir=/var/lib/mysql/data"
        ' --server-id="$((100 + ${HOSTNAME##*-}))" --gtid-mode=ON --enforce-gtid-consistency=ON',
    ]
    security = container["securityContext"]
    assert (security["runAsUser"], security["runAsGroup"], security["runAsNonRoot"]) == (
        999,
        999,
        True,
    )
    assert security["readOnlyRootFilesystem"] is True
    pod = manifest(rendering, "StatefulSet", "mysql")["spec"]["template"]["spec"]
    assert pod["securityContext"]["fsGroup"] == 999
    assert [mount["mountPath"] for mount in container["volumeMounts"]] == [
        "/var/lib/mysql",
        "/tmp",
        "/var/run/mysqld",
        "/var/lib/mysql-files",
        "/docker-entrypoint-initdb.d",
    ]


def test_mysql_password_without_config_is_a_placeholder() -> None:
    """With only the encrypted stack value, the Secret holds the redaction placeholder."""
    secret = manifest(rendered("mysql"), "Secret", "mysql-root")
    assert secret["stringData"] == {"password": REDACTED}


def test_mysql_redacted_secret_is_not_applied_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The root Secret is written as `.yaml.redacted`, and the summary's last line says why."""
    assert main(["render", str(EXAMPLES / "mysql"), "--out", str(tmp_path)]) == 0
    assert capsys.readouterr().out.splitlines()[-2:] == [
        "",
        "warning: Secret mysql/mysql-root holds redacted secret values (stringData.password); "
        f"it was written as {tmp_path}/001-secret-mysql-mysql-root.yaml.redacted, which "
        f"kubectl apply -f {tmp_path}/ skips: create it yourself",
    ]


@pytest.mark.parametrize(
    ("name", "key"), [("mysql", "rootPassword"), ("platform-stack", "databasePassword")]
)
def test_a_password_given_with_config_is_never_printed_or_written(
    name: str, key: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--config <password>=...: the plaintext is in no rendered file and not on stdout/stderr."""
    password = "correct-horse-battery-staple-42"
    args = ["render", str(EXAMPLES / name), "--config", f"{key}={password}"]
    assert main([*args, "--out", str(tmp_path)]) == 0
    captured = capsys.readouterr()
    assert "Rendered" in captured.out
    assert password not in captured.out + captured.err
    files = list(tmp_path.iterdir())
    assert len(files) == len(rendered(name).manifests)
    assert all(password not in path.read_text() for path in files)


# ---------------------------------------------------------------- kafka-kraft

VOTERS = ",".join(
    f"{i}@kafka-controller-{i}.kafka-controller-headless.kafka.svc.cluster.local:9093"
    for i in range(3)
)
POD_INDEX = {"fieldRef": {"fieldPath": "metadata.labels['apps.kubernetes.io/pod-index']"}}


def test_kafka_controllers_and_brokers_share_one_voter_list() -> None:
    """Both StatefulSets get the exported controller.quorum.voters, node id = Pod ordinal."""
    rendering = rendered("kafka-kraft")
    assert output(rendering, "quorumVoters") == VOTERS
    for name in ("kafka-controller", "kafka-broker"):
        variables = env(main_container(rendering, "StatefulSet", name))
        assert variables["KAFKA_CONTROLLER_QUORUM_VOTERS"] == VOTERS
        assert variables["KAFKA_NODE_ID"] == POD_INDEX


def test_kafka_node_ids_never_collide() -> None:
    """Controller ordinals 0-2 are the voter ids; broker ordinals start at 100."""
    rendering = rendered("kafka-kraft")
    controller_ids = [int(voter.split("@")[0]) for voter in VOTERS.split(",")]
    assert "ordinals" not in manifest(rendering, "StatefulSet", "kafka-controller")["spec"]
    brokers = manifest(rendering, "StatefulSet", "kafka-broker")["spec"]
    broker_ids = list(range(brokers["ordinals"]["start"], brokers["ordinals"]["start"] + 3))
    assert (controller_ids, broker_ids) == ([0, 1, 2], [100, 101, 102])
    assert output(rendering, "bootstrapServers") == ",".join(
        f"kafka-broker-{i}.kafka-broker-headless.kafka.svc.cluster.local:9092" for i in broker_ids
    )


def test_kafka_roles_listeners_and_advertised_names() -> None:
    """Controllers listen on CONTROLLER only; brokers advertise their own per-Pod DNS name."""
    rendering = rendered("kafka-kraft")
    controller = env(main_container(rendering, "StatefulSet", "kafka-controller"))
    assert controller["KAFKA_PROCESS_ROLES"] == "controller"
    assert controller["KAFKA_LISTENERS"] == "CONTROLLER://:9093"
    assert "KAFKA_ADVERTISED_LISTENERS" not in controller
    broker_container = main_container(rendering, "StatefulSet", "kafka-broker")
    broker = env(broker_container)
    assert broker["KAFKA_PROCESS_ROLES"] == "broker"
    assert broker["KAFKA_ADVERTISED_LISTENERS"] == (
        "PLAINTEXT://$(POD_NAME).kafka-broker-headless.kafka.svc.cluster.local:9092"
    )
    order = [item["name"] for item in broker_container["env"]]
    assert order.index("POD_NAME") < order.index("KAFKA_ADVERTISED_LISTENERS")
    for name in ("kafka-controller", "kafka-broker"):
        security = main_container(rendering, "StatefulSet", name)["securityContext"]
        assert (security["runAsUser"], security["readOnlyRootFilesystem"]) == (1000, True)


# ---------------------------------------------------------------- platform-stack


@pytest.mark.parametrize(
    ("config", "namespace"), [((), "orders"), (("namespace=payments",), "payments")]
)
def test_platform_app_reads_the_database_address_from_the_pair(
    config: tuple[str, ...], namespace: str
) -> None:
    """The app's DATABASE_HOST and REDIS_URL follow the pairs' names in the provider's namespace."""
    rendering = rendered("platform-stack", *config)
    database_host = f"orders-db.{namespace}.svc.cluster.local"
    assert output(rendering, "databaseHost") == database_host
    assert output(rendering, "databasePrimary") == (
        f"orders-db-0.orders-db-headless.{namespace}.svc.cluster.local"
    )
    tls_names = output(rendering, "databaseTlsNames")
    assert tls_names[:2] == [
        f"orders-db-0.orders-db-headless.{namespace}.svc.cluster.local",
        f"orders-db-0.orders-db-headless.{namespace}.svc",
    ]
    assert f"*.orders-db-headless.{namespace}.svc.cluster.local" in tls_names
    assert tls_names[-4:] == [
        database_host,
        f"orders-db.{namespace}.svc",
        f"orders-db.{namespace}",
        "orders-db",
    ]
    app = env(main_container(rendering, "Deployment", "orders-api"))
    assert app["DATABASE_HOST"] == database_host
    assert app["REDIS_URL"] == f"redis://sessions.{namespace}.svc.cluster.local:6379"
    assert app["DATABASE_PASSWORD"] == {
        "secretKeyRef": {"name": "orders-db-credentials", "key": "password"}
    }
    placed = {
        (m["kind"], m["metadata"]["name"]): m["metadata"].get("namespace")
        for m in rendering.manifests
    }
    assert placed.pop(("Namespace", namespace)) is None
    # The pairs name their namespace (a pair needs it with an explicit provider); the team's
    # provider puts every other object there too.
    assert set(placed.values()) == {namespace}


def test_platform_database_admits_only_the_app() -> None:
    """Both pairs' NetworkPolicies admit Pods with exactly the app's labels."""
    rendering = rendered("platform-stack")
    app_labels = manifest(rendering, "Deployment", "orders-api")["spec"]["template"]["metadata"][
        "labels"
    ]
    for name in ("orders-db", "sessions"):
        ingress = manifest(rendering, "NetworkPolicy", name)["spec"]["ingress"][0]["from"]
        assert {"podSelector": {"matchLabels": app_labels}} in ingress


@pytest.mark.parametrize(("config", "majority"), [((), 2), (("replicas=5",), 3)])
def test_etcd_disruption_budget_keeps_a_quorum(config: tuple[str, ...], majority: int) -> None:
    """A drain may evict an etcd member only while a majority of the members stays up."""
    budget = manifest(rendered("etcd", *config), "PodDisruptionBudget", "etcd")["spec"]
    assert budget["minAvailable"] == majority
    assert "maxUnavailable" not in budget
