"""A program that reads an integer from config."""

import pulumi
import pulumi_kubernetes as k8s

replicas = pulumi.Config().require_int("replicas")
k8s.core.v1.ConfigMap("settings", metadata={"name": "settings"}, data={"replicas": str(replicas)})
pulumi.export("replicas", replicas)
