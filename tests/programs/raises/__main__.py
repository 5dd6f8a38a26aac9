"""A program that fails, at the top level or inside an apply (config `where`)."""

import pulumi
import pulumi_kubernetes as k8s


def fail(_: object) -> None:
    raise RuntimeError("storage class fast-ssd not found")


cm = k8s.core.v1.ConfigMap("settings", metadata={"name": "settings"}, data={"a": "b"})
if pulumi.Config().get("where") == "apply":
    cm.id.apply(fail)
else:
    raise ValueError("replicas must be at least 1, got 0")
