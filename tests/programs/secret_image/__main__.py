"""A StatefulSet whose image comes from `Config.require_secret`, placed in different ways."""

import base64

import pulumi
import pulumi_kubernetes as k8s

from components.stateful_service_pair import StatefulServicePair

config = pulumi.Config()
image = config.require_secret("image")
shape = config.require("shape")
labels = {"app": "mysql"}


def with_encoded_token(token: str) -> list[dict[str, object]]:
    encoded = base64.b64encode(token.encode()).decode()
    return [{"name": "mysql", "image": "mysql:8.4", "env": [{"name": "TOKEN", "value": encoded}]}]


def refuse(value: str) -> list[dict[str, object]]:
    raise PermissionError(f"cannot pull {value}: unauthorized")


if shape == "pair":
    StatefulServicePair(
        "mysql",
        {
            "image": image,
            "namespace": "db",
            "replicas": 2,
            "ports": [{"name": "mysql", "port": 3306}],
        },
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
