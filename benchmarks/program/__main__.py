"""N default StatefulServicePairs, or exactly the objects they create, written by hand.

`make bench` runs this program under the offline engine with `side=pair` and `side=hand` and
compares the time. The hand-written side is what a careful engineer writes without the
component: the same four objects with the same specs, the same wiring (the StatefulSet's
`serviceName` and every namespace read from the headless Service) and the same resource
options. `tests/test_benchmark_baseline.py` checks that both sides create identical objects.
"""

import pulumi
import pulumi_kubernetes as k8s
from stateful_service_pair import StatefulServicePair

IMAGE = "redis:7.4-alpine"
PORT_NAME = "redis"
PORT = 6379
UID = 10001


def pair(name: str) -> None:
    """One StatefulServicePair with default arguments."""
    StatefulServicePair(name, {"image": IMAGE, "ports": [{"name": PORT_NAME, "port": PORT}]})


def hand_written(name: str) -> None:
    """The headless Service, client Service, StatefulSet and PodDisruptionBudget of a pair."""
    selector = {"stateful-service-pair/statefulset": name}
    labels = {
        "app.kubernetes.io/instance": name,
        "app.kubernetes.io/managed-by": "pulumi",
        **selector,
    }
    ports = [
        k8s.core.v1.ServicePortArgs(
            name=PORT_NAME, port=PORT, protocol="TCP", target_port=PORT_NAME
        )
    ]
    headless = k8s.core.v1.Service(
        f"{name}-headless",
        metadata=k8s.meta.v1.ObjectMetaArgs(name=f"{name}-headless", labels=labels),
        spec=k8s.core.v1.ServiceSpecArgs(
            cluster_ip="None",
            selector=selector,
            ports=ports,
            publish_not_ready_addresses=True,
        ),
    )
    namespace = headless.metadata.namespace
    k8s.core.v1.Service(
        f"{name}-client",
        metadata=k8s.meta.v1.ObjectMetaArgs(name=name, namespace=namespace, labels=labels),
        spec=k8s.core.v1.ServiceSpecArgs(
            type="ClusterIP",
            selector=selector,
            ports=ports,
            session_affinity="None",
            internal_traffic_policy="Cluster",
        ),
    )
    probe_port = k8s.core.v1.TCPSocketActionArgs(port=PORT_NAME)
    seccomp = k8s.core.v1.SeccompProfileArgs(type="RuntimeDefault")
    k8s.apps.v1.StatefulSet(
        f"{name}-statefulset",
        metadata=k8s.meta.v1.ObjectMetaArgs(name=name, namespace=namespace, labels=labels),
        spec=k8s.apps.v1.StatefulSetSpecArgs(
            service_name=headless.metadata.name,
            replicas=1,
            selector=k8s.meta.v1.LabelSelectorArgs(match_labels=selector),
            pod_management_policy="OrderedReady",
            update_strategy=k8s.apps.v1.StatefulSetUpdateStrategyArgs(type="RollingUpdate"),
            persistent_volume_claim_retention_policy=(
                k8s.apps.v1.StatefulSetPersistentVolumeClaimRetentionPolicyArgs(
                    when_deleted="Retain", when_scaled="Retain"
                )
            ),
            volume_claim_templates=[
                k8s.core.v1.PersistentVolumeClaimArgs(
                    metadata=k8s.meta.v1.ObjectMetaArgs(name="data"),
                    spec=k8s.core.v1.PersistentVolumeClaimSpecArgs(
                        access_modes=["ReadWriteOnce"],
                        resources=k8s.core.v1.VolumeResourceRequirementsArgs(
                            requests={"storage": "1Gi"}
                        ),
                    ),
                )
            ],
            template=k8s.core.v1.PodTemplateSpecArgs(
                metadata=k8s.meta.v1.ObjectMetaArgs(labels=labels),
                spec=k8s.core.v1.PodSpecArgs(
                    containers=[
                        k8s.core.v1.ContainerArgs(
                            name=name,
                            image=IMAGE,
                            image_pull_policy="Always",
                            ports=[
                                k8s.core.v1.ContainerPortArgs(
                                    name=PORT_NAME, container_port=PORT, protocol="TCP"
                                )
                            ],
                            resources=k8s.core.v1.ResourceRequirementsArgs(
                                requests={"cpu": "100m", "memory": "256Mi"},
                                limits={"cpu": "1", "memory": "512Mi"},
                            ),
                            readiness_probe=k8s.core.v1.ProbeArgs(
                                tcp_socket=probe_port,
                                period_seconds=10,
                                timeout_seconds=1,
                                failure_threshold=3,
                                success_threshold=1,
                            ),
                            liveness_probe=k8s.core.v1.ProbeArgs(
                                tcp_socket=probe_port,
                                initial_delay_seconds=30,
                                period_seconds=10,
                                timeout_seconds=1,
                                failure_threshold=6,
                                success_threshold=1,
                            ),
                            security_context=k8s.core.v1.SecurityContextArgs(
                                allow_privilege_escalation=False,
                                privileged=False,
                                read_only_root_filesystem=True,
                                run_as_non_root=True,
                                run_as_user=UID,
                                run_as_group=UID,
                                capabilities=k8s.core.v1.CapabilitiesArgs(drop=["ALL"]),
                                seccomp_profile=seccomp,
                            ),
                            volume_mounts=[
                                k8s.core.v1.VolumeMountArgs(name="data", mount_path="/data"),
                                k8s.core.v1.VolumeMountArgs(name="scratch-0", mount_path="/tmp"),
                            ],
                        )
                    ],
                    automount_service_account_token=False,
                    security_context=k8s.core.v1.PodSecurityContextArgs(
                        run_as_non_root=True,
                        run_as_user=UID,
                        run_as_group=UID,
                        fs_group=UID,
                        fs_group_change_policy="OnRootMismatch",
                        seccomp_profile=seccomp,
                    ),
                    volumes=[
                        k8s.core.v1.VolumeArgs(
                            name="scratch-0", empty_dir=k8s.core.v1.EmptyDirVolumeSourceArgs()
                        )
                    ],
                    topology_spread_constraints=[
                        k8s.core.v1.TopologySpreadConstraintArgs(
                            topology_key=topology_key,
                            when_unsatisfiable="ScheduleAnyway",
                            max_skew=1,
                            label_selector=k8s.meta.v1.LabelSelectorArgs(match_labels=selector),
                            node_taints_policy="Honor",
                        )
                        for topology_key in (
                            "kubernetes.io/hostname",
                            "topology.kubernetes.io/zone",
                        )
                    ],
                    termination_grace_period_seconds=60,
                ),
            ),
        ),
        opts=pulumi.ResourceOptions(ignore_changes=["spec.volumeClaimTemplates"]),
    )
    k8s.policy.v1.PodDisruptionBudget(
        f"{name}-pdb",
        metadata=k8s.meta.v1.ObjectMetaArgs(name=name, namespace=namespace, labels=labels),
        spec=k8s.policy.v1.PodDisruptionBudgetSpecArgs(
            max_unavailable=1,
            selector=k8s.meta.v1.LabelSelectorArgs(match_labels=selector),
            unhealthy_pod_eviction_policy="AlwaysAllow",
        ),
    )


config = pulumi.Config()
build = {"pair": pair, "hand": hand_written}[config.require("side")]
for index in range(config.require_int("pairs")):
    build(f"p{index}")
