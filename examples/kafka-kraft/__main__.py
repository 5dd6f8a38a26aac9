"""Kafka in KRaft mode: three controllers form the metadata quorum, three brokers join it.

Every node needs ``controller.quorum.voters``: ``<node.id>@<host>:<port>`` of each controller. The
controllers' own Pod template holds it, so for them it is computed here from names this program
chooses, before their pair exists (taking their pair's output would make their StatefulSet depend
on itself). The brokers take it from the controllers' output, so they are created only once the
controllers are Ready, and the tests check both strings are the same.

Node ids are the Pods' ordinals (``stateful_service_pair.peers``: ``id = ordinal + id_offset``,
offset 0). Each Pod reads its own from the ``apps.kubernetes.io/pod-index`` label through the
downward API. The brokers' ordinals start at 100, so the two StatefulSets never share a node id.
"""

from typing import Any

import pulumi
import pulumi_kubernetes as k8s
from stateful_service_pair import StatefulServicePair, dns, peers

CONTROLLERS = "kafka-controller"
BROKERS = "kafka-broker"
CONTROLLER_PORT = 9093
BROKER_PORT = 9092
BROKER_ORDINALS_START = 100
# The image's own account (appuser): it owns /opt/kafka and the image's scripts.
KAFKA_UID = 1000

config = pulumi.Config()
namespace_name = config.require("namespace")
cluster_domain = config.require("clusterDomain")

namespace = k8s.core.v1.Namespace("kafka", metadata={"name": namespace_name})


def field_env(name: str, field_path: str) -> k8s.core.v1.EnvVarArgs:
    """An environment variable filled from the Pod's own fields by the downward API."""
    return k8s.core.v1.EnvVarArgs(
        name=name,
        value_from=k8s.core.v1.EnvVarSourceArgs(
            field_ref=k8s.core.v1.ObjectFieldSelectorArgs(field_path=field_path)
        ),
    )


NODE_ID = field_env("KAFKA_NODE_ID", "metadata.labels['apps.kubernetes.io/pod-index']")
POD_NAME = field_env("POD_NAME", "metadata.name")

# What both StatefulSets share: the image, how it runs, and where it keeps data.
common: dict[str, Any] = {
    "image": config.require("image"),
    "namespace": namespace.metadata.name,
    "cluster_domain": cluster_domain,
    # Quorum members must be able to start together.
    "pod_management_policy": "Parallel",
    "run_as_user": KAFKA_UID,
    "run_as_group": KAFKA_UID,
    "fs_group": KAFKA_UID,
    # The root filesystem stays read-only. The image's start script writes the generated
    # server.properties to /opt/kafka/config, the JVM writes GC logs to /opt/kafka/logs
    # and perf data to /tmp.
    "writable_paths": ["/tmp", "/opt/kafka/config", "/opt/kafka/logs"],
    "storage": {"size": config.require("storageSize"), "mount_path": "/var/lib/kafka/data"},
    # The start scripts' default heap is 1 GiB: set it explicitly, below the memory limit.
    "resources": {
        "requests": {"cpu": "250m", "memory": "1Gi"},
        "limits": {"cpu": "1", "memory": "1Gi"},
    },
    "startup_probe": {"failure_threshold": 30},
}
kafka_env = {
    "CLUSTER_ID": config.require("clusterId"),
    "KAFKA_CONTROLLER_LISTENER_NAMES": "CONTROLLER",
    # A directory below the volume's root, which may hold lost+found: Kafka takes every
    # directory in its log directory for a partition.
    "KAFKA_LOG_DIRS": "/var/lib/kafka/data/logs",
    "KAFKA_HEAP_OPTS": "-Xms512m -Xmx512m",
}

controller_members = peers.stateful_set_peers(
    CONTROLLERS,
    f"{CONTROLLERS}-headless",
    namespace_name,
    config.require_int("controllers"),
    cluster_domain=cluster_domain,
)
controllers = StatefulServicePair(
    CONTROLLERS,
    {
        **common,
        "ports": [{"name": "controller", "port": CONTROLLER_PORT}],
        "replicas": len(controller_members),
        "env": {
            **kafka_env,
            "KAFKA_PROCESS_ROLES": "controller",
            "KAFKA_LISTENERS": f"CONTROLLER://:{CONTROLLER_PORT}",
            "KAFKA_LISTENER_SECURITY_PROTOCOL_MAP": "CONTROLLER:PLAINTEXT",
            "KAFKA_CONTROLLER_QUORUM_VOTERS": peers.kafka_quorum_voters(
                controller_members, CONTROLLER_PORT
            ),
        },
        "extra_container_spec": {"env": [NODE_ID]},
    },
)

brokers_domain = dns.service_fqdn(f"{BROKERS}-headless", namespace_name, cluster_domain)
brokers = StatefulServicePair(
    BROKERS,
    {
        **common,
        "ports": [{"name": "kafka", "port": BROKER_PORT}],
        "replicas": config.require_int("brokers"),
        "ordinals_start": BROKER_ORDINALS_START,
        "env": {
            **kafka_env,
            "KAFKA_PROCESS_ROLES": "broker",
            "KAFKA_LISTENERS": f"PLAINTEXT://:{BROKER_PORT}",
            "KAFKA_LISTENER_SECURITY_PROTOCOL_MAP": "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
            "KAFKA_INTER_BROKER_LISTENER_NAME": "PLAINTEXT",
            # From the controllers' pair: the brokers wait for a Ready quorum.
            "KAFKA_CONTROLLER_QUORUM_VOTERS": controllers.members(
                "controller", peers.KAFKA_QUORUM_VOTERS
            ),
        },
        # After POD_NAME: the kubelet expands $(VAR) only from variables listed before it.
        "extra_container_spec": {
            "env": [
                NODE_ID,
                POD_NAME,
                k8s.core.v1.EnvVarArgs(
                    name="KAFKA_ADVERTISED_LISTENERS",
                    value=f"PLAINTEXT://$(POD_NAME).{brokers_domain}:{BROKER_PORT}",
                ),
            ]
        },
    },
)

pulumi.export("quorumVoters", controllers.members("controller", peers.KAFKA_QUORUM_VOTERS))
pulumi.export("bootstrapServers", brokers.members("kafka"))
pulumi.export("controllerEndpoints", controllers.endpoints("controller"))
