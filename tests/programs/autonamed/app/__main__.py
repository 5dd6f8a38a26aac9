"""Objects without names or namespaces: the provider and the API server fill them in."""

import pulumi
import pulumi_kubernetes as k8s
from shared_labels import LABELS  # a sibling module: the program directory must be on sys.path

team = k8s.Provider("team-a", namespace="team-a")
in_team = k8s.core.v1.ConfigMap(
    "settings", data={"replicas": "3"}, opts=pulumi.ResourceOptions(provider=team)
)
in_default = k8s.core.v1.ConfigMap("defaults", metadata={"labels": LABELS}, data={"level": "info"})
ns = k8s.core.v1.Namespace("scratch", metadata={"namespace": "ignored-for-cluster-scoped"})

# `<namespace>/<name>`: the id says where the object landed; its metadata does not.
pulumi.export("teamConfigMap", in_team.id)
pulumi.export("defaultConfigMapId", in_default.id)
pulumi.export("namespaceName", ns.metadata.name)
