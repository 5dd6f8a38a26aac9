"""Every optional StatefulServicePair feature at once: the manifests must still be valid."""

import pulumi
import pulumi_kubernetes as k8s
from stateful_service_pair import StatefulServicePair

config = pulumi.Config()
provider = k8s.Provider("cluster", namespace="data")

pair = StatefulServicePair(
    "ledger",
    {
        "image": config.require("image"),
        "ports": [
            {"name": "sql", "port": 5432},
            {"name": "metrics", "port": 9187, "target_port": 9187},
            {"name": "gossip", "port": 7946, "protocol": "UDP"},
        ],
        "replicas": 3,
        # The provider's namespace, which the pair cannot read from the provider.
        "namespace": "data",
        "ordinals_start": 1,
        "cluster_domain": "corp.internal",
        "labels": {"team": "payments"},
        "annotations": {"owner": "payments-platform"},
        "pod_annotations": {"prometheus.io/scrape": "true"},
        "command": ["/entrypoint"],
        "args": ["--config", "/etc/ledger.conf"],
        "env": {"MODE": "cluster"},
        "secret_env": {"PASSWORD": {"secret_name": "ledger-credentials", "key": "password"}},
        "env_from": [{"config_map_name": "ledger-config", "prefix": "LEDGER_"}],
        "readiness_probe": {"port": "sql", "command": ["pg_isready"]},
        "liveness_probe": {"port": "metrics", "http_path": "/healthz"},
        "startup_probe": {"failure_threshold": 30},
        "image_pull_secrets": ["registry"],
        "writable_paths": ["/tmp", "/var/run/postgresql"],
        "service_account_name": "ledger",
        "storage": {
            "size": "50Gi",
            "storage_class_name": "fast-ssd",
            "mount_path": "/var/lib/postgresql/data",
            "when_scaled": "Delete",
        },
        "pod_management_policy": "Parallel",
        "rolling_update_partition": 1,
        "min_ready_seconds": 5,
        "session_affinity": "ClientIP",
        "session_affinity_timeout_seconds": 600,
        "internal_traffic_policy": "Local",
        "traffic_distribution": "PreferClose",
        "pdb_max_unavailable": 2,
        "skip_await": True,
        "protect": True,
        "network_policy": {
            "allowed_clients": [
                {"pod_labels": {"app": "api"}},
                {"namespace_labels": {"team": "analytics"}, "pod_labels": {"role": "reader"}},
            ],
            "restrict_egress": True,
        },
        "extra_pod_spec": {
            "tolerations": [k8s.core.v1.TolerationArgs(key="dedicated", operator="Exists")],
            "node_selector": {"disk": "ssd"},
            "termination_grace_period_seconds": 120,
        },
        "extra_container_spec": {"working_dir": "/var/lib/postgresql"},
    },
    opts=pulumi.ResourceOptions(provider=provider),
)

pulumi.export("podDnsNames", pair.pod_dns_names)
pulumi.export("persistentVolumeClaims", pair.persistent_volume_claims)
