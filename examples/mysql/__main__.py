"""MySQL with one primary and read-only replicas: the seed pattern.

The Pod with the lowest ordinal (``mysql-0``) is the primary. Every other Pod, on its first
start, points replication at the primary's per-Pod DNS name and turns read-only. The
primary's name goes into the StatefulSet's own Pod template, so it is computed here from
names this program chooses, before the pair exists; the pair reports the same name from the
objects it created (stack output ``primaryHost``), and the tests check that they agree.

The root password is a Pulumi secret. It goes into a Kubernetes Secret and reaches the
container through ``secret_env`` (a ``secretKeyRef``); the pair refuses a secret in plain
``env``, where it would sit in the StatefulSet in plain text.
"""

from pathlib import Path

import pulumi
import pulumi_kubernetes as k8s
from stateful_service_pair import StatefulServicePair, peers

NAME = "mysql"
HEADLESS = f"{NAME}-headless"
PORT = 3306
# The image's own `mysql` account. Running as it keeps the entrypoint from switching users
# (it only does that as root), and it owns the image's MySQL directories.
MYSQL_UID = 999

config = pulumi.Config()
namespace_name = config.require("namespace")
cluster_domain = config.require("clusterDomain")
replicas = config.require_int("replicas")

namespace = k8s.core.v1.Namespace(NAME, metadata={"name": namespace_name})

root_secret = k8s.core.v1.Secret(
    f"{NAME}-root",
    metadata={"name": f"{NAME}-root", "namespace": namespace.metadata.name},
    string_data={"password": config.require_secret("rootPassword")},
)
# Sourced by the image's entrypoint on each Pod's first start (/docker-entrypoint-initdb.d).
initdb = k8s.core.v1.ConfigMap(
    f"{NAME}-initdb",
    metadata={"name": f"{NAME}-initdb", "namespace": namespace.metadata.name},
    data={"10-replication.sh": (Path(__file__).parent / "replication.sh").read_text()},
)

primary = peers.primary(
    peers.stateful_set_peers(
        NAME, HEADLESS, namespace_name, replicas, cluster_domain=cluster_domain
    )
)
if primary is None:
    raise ValueError("replicas must be at least 1: the primary is one of the Pods")

mysql = StatefulServicePair(
    NAME,
    {
        "image": config.require("image"),
        "namespace": namespace.metadata.name,
        "cluster_domain": cluster_domain,
        "headless_service_name": HEADLESS,
        "ports": [{"name": "mysql", "port": PORT}],
        "replicas": replicas,
        # server_id = 100 + ordinal (0 is reserved), as in the Kubernetes MySQL tutorial.
        # `$((` is shell arithmetic; the kubelet leaves $(...) that names no variable alone.
        "command": [
            "bash",
            "-c",
            "exec docker-entrypoint.sh mysqld --datadir=/var/lib/mysql/data"
            ' --server-id="$((100 + ${HOSTNAME##*-}))"'
            " --gtid-mode=ON --enforce-gtid-consistency=ON",
        ],
        "env": {
            "PRIMARY_POD": primary.name,
            "PRIMARY_HOST": primary.host,
            "PRIMARY_PORT": str(PORT),
        },
        "secret_env": {
            "MYSQL_ROOT_PASSWORD": {"secret_name": f"{NAME}-root", "key": "password"},
        },
        "run_as_user": MYSQL_UID,
        "run_as_group": MYSQL_UID,
        "fs_group": MYSQL_UID,
        # The root filesystem stays read-only. mysqld writes its socket and pid file to
        # /var/run/mysqld, temporary tables to /tmp, and checks that secure-file-priv
        # (/var/lib/mysql-files) exists; the data lives on the volume.
        "writable_paths": ["/tmp", "/var/run/mysqld", "/var/lib/mysql-files"],
        # The data directory is one level below the volume's root, which may hold
        # lost+found: `mysqld --initialize` refuses a non-empty directory.
        "storage": {"size": config.require("storageSize"), "mount_path": "/var/lib/mysql"},
        "resources": {
            "requests": {"cpu": "250m", "memory": "512Mi"},
            "limits": {"cpu": "1", "memory": "1Gi"},
        },
        # First start initialises the data directory before mysqld listens: give it up to
        # ten minutes before the liveness probe may restart the container.
        "startup_probe": {"failure_threshold": 60},
        "extra_pod_spec": {
            "volumes": [
                k8s.core.v1.VolumeArgs(
                    name="initdb",
                    config_map=k8s.core.v1.ConfigMapVolumeSourceArgs(name=initdb.metadata.name),
                )
            ]
        },
        "extra_container_spec": {
            "volume_mounts": [
                k8s.core.v1.VolumeMountArgs(
                    name="initdb", mount_path="/docker-entrypoint-initdb.d", read_only=True
                )
            ]
        },
    },
    # Pods that start before the Secret exists fail to start until it does.
    opts=pulumi.ResourceOptions(depends_on=[root_secret]),
)

pulumi.export("primaryHost", mysql.primary_dns_name)
pulumi.export("primaryEndpoint", mysql.primary_endpoint("mysql"))
pulumi.export("readEndpoint", pulumi.Output.concat(mysql.client_service_dns, f":{PORT}"))
pulumi.export("replicaEndpoints", mysql.endpoints("mysql").apply(lambda hosts: hosts[1:]))
