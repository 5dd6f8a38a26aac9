"""A StatefulSet whose image comes from `Config.require_secret`, placed in different ways."""

import base64

import pulumi
import pulumi_kubernetes as k8s

config = pulumi.Config()
image = config.require_secret("image")
shape = config.require("shape")
labels = {"app": "mysql"}


def with_encoded_token(token: str) -> list[dict[str, object]]:
    encoded = base64.b64encode(token.encode()).decode()
    return [{"name": "mysql", "image": "mysql:8.4", "env": [{"name": "TOKEN", "value": encoded}]}]


def refuse(value: str) -> list[dict[str, object]]:
    raise PermissionError(f"cannot pull {value}: unauthorized")


if shape == "objects":
    # What a pair creates, written by hand: StatefulServicePair itself refuses a secret
    # in its Pod spec, but the render must handle any program.
    selector = {"app.kubernetes.io/instance": "mysql"}
    ports = [{"name": "mysql", "port": 3306, "target_port": "mysql", "protocol": "TCP"}]
    for service_name, cluster_ip in (("mysql-headless", "None"), ("mysql", None)):
        k8s.core.v1.Service(
            service_name,
            metadata={"name": service_name, "namespace": "db"},
            spec={"cluster_ip": cluster_ip, "selector": selector, "ports": ports},
        )
    k8s.apps.v1.StatefulSet(
        "mysql",
        metadata={"name": "mysql", "namespace": "db"},
        spec={
            "service_name": "mysql-headless",
            "replicas": 2,
            "selector": {"match_labels": selector},
            "template": {
                "metadata": {"labels": selector},
                "spec": {
                    "containers": [
                        {
                            "name": "mysql",
                            "image": image,
                            "ports": [{"name": "mysql", "container_port": 3306, "protocol": "TCP"}],
                        }
                    ]
                },
            },
        },
    )
    k8s.policy.v1.PodDisruptionBudget(
        "mysql",
        metadata={"name": "mysql", "namespace": "db"},
        spec={"max_unavailable": 1, "selector": {"match_labels": selector}},
    )
else:
    if shape == "containers":
        # One secret Output for the whole list: only the image in it is the secret.
        containers = image.apply(lambda value: [{"name": "mysql", "image": value}])
    elif shape == "derived":
        containers = pulumi.Output.secret("generated-token-0451").apply(with_encoded_token)
    else:
        containers = image.apply(refuse)
    k8s.apps.v1.StatefulSet(
        "mysql",
        metadata={"name": "mysql", "namespace": "db"},
        spec={
            "service_name": "mysql",
            "replicas": 2,
            "selector": {"match_labels": labels},
            "template": {"metadata": {"labels": labels}, "spec": {"containers": containers}},
        },
    )
