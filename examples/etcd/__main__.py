"""A 3-member etcd cluster whose members find each other by their per-Pod DNS names.

etcd's static bootstrap gives every member the whole member list up front
(``--initial-cluster``). That list goes into the StatefulSet's own Pod template, so it is
computed here from names this program chooses, before the pair exists: taking it from the
pair's output would make the StatefulSet depend on itself. The pair then reports the same
list computed from the objects it created (stack output ``initialCluster``), and the tests
check that the two agree.
"""

import pulumi
import pulumi_kubernetes as k8s
from stateful_service_pair import StatefulServicePair, dns, peers

NAME = "etcd"
HEADLESS = f"{NAME}-headless"
CLIENT_PORT = 2379
PEER_PORT = 2380

config = pulumi.Config()
namespace_name = config.require("namespace")
cluster_domain = config.require("clusterDomain")
replicas = config.require_int("replicas")

namespace = k8s.core.v1.Namespace(NAME, metadata={"name": namespace_name})

members = peers.stateful_set_peers(
    NAME, HEADLESS, namespace_name, replicas, cluster_domain=cluster_domain
)
# One Pod template serves every member: each Pod names and advertises itself through
# $(POD_NAME), which the kubelet expands from the env var of the same name.
own_host = f"$(POD_NAME).{dns.service_fqdn(HEADLESS, namespace_name, cluster_domain)}"
pod_name = k8s.core.v1.EnvVarArgs(
    name="POD_NAME",
    value_from=k8s.core.v1.EnvVarSourceArgs(
        field_ref=k8s.core.v1.ObjectFieldSelectorArgs(field_path="metadata.name")
    ),
)

etcd = StatefulServicePair(
    NAME,
    {
        "image": config.require("image"),
        # Read from the Namespace object, so the pair waits until the namespace exists.
        "namespace": namespace.metadata.name,
        "cluster_domain": cluster_domain,
        "headless_service_name": HEADLESS,
        "ports": [
            {"name": "client", "port": CLIENT_PORT},
            {"name": "peer", "port": PEER_PORT},
        ],
        "replicas": replicas,
        # etcd accepts writes only while a majority of its members is up: a node drain may
        # evict a member only while that majority stays (2 of 3, 3 of 5).
        "pdb_min_available": "quorum",
        # The members must start together: under OrderedReady etcd-0 would wait to become
        # Ready for a quorum that etcd-1 and etcd-2 join only after it is Ready.
        "pod_management_policy": "Parallel",
        # ...and resolve each other's names before any of them is Ready.
        "publish_not_ready_addresses": True,
        "command": ["/usr/local/bin/etcd"],
        "args": [
            "--name=$(POD_NAME)",
            # A directory below the volume's root: etcd wants its data directory private
            # (0700), and the root of a fresh volume is group-writable for fsGroup.
            "--data-dir=/var/lib/etcd/data",
            f"--listen-peer-urls=http://0.0.0.0:{PEER_PORT}",
            f"--listen-client-urls=http://0.0.0.0:{CLIENT_PORT}",
            f"--initial-advertise-peer-urls=http://{own_host}:{PEER_PORT}",
            f"--advertise-client-urls=http://{own_host}:{CLIENT_PORT}",
            f"--initial-cluster={peers.etcd_initial_cluster(members, PEER_PORT)}",
            "--initial-cluster-state=new",
            f"--initial-cluster-token={NAME}-{namespace_name}",
        ],
        "extra_container_spec": {"env": [pod_name]},
        "readiness_probe": {"port": "client", "http_path": "/health"},
        # The image is a static binary on a distroless base: it runs as any UID, so the
        # pair's defaults (UID 10001, read-only root filesystem) hold. Only the data
        # directory is written, on the volume, which fsGroup 10001 makes writable.
        "storage": {"size": config.require("storageSize"), "mount_path": "/var/lib/etcd"},
    },
)

pulumi.export("initialCluster", etcd.members("peer", peers.ETCD_INITIAL_CLUSTER))
pulumi.export("clientUrls", etcd.members("client", "http://{host}:{port}"))
pulumi.export("peerEndpoints", etcd.peer_endpoints)
