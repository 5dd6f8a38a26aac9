"""A StatefulSet, the headless Service that governs its DNS, and a client Service."""

import pulumi
import pulumi_kubernetes as k8s

config = pulumi.Config()
labels = {"app": "mysql"}
port = {"name": "mysql", "port": 3306, "target_port": 3306}

headless = k8s.core.v1.Service(
    "mysql-headless",
    metadata={"name": "mysql-headless"},
    spec={
        "cluster_ip": config.require("headlessClusterIP"),
        "publish_not_ready_addresses": True,
        "selector": {"app": config.require("headlessSelectorApp")},
        "ports": [port],
    },
)
client = k8s.core.v1.Service(
    "mysql",
    metadata={"name": "mysql"},
    spec={"selector": labels, "ports": [port]},
)
sts = k8s.apps.v1.StatefulSet(
    "mysql",
    metadata={"name": "mysql"},
    spec={
        "service_name": config.require("governingService"),
        "replicas": config.require_int("replicas"),
        "ordinals": {"start": config.require_int("ordinalStart")},
        "selector": {"match_labels": labels},
        "template": {
            "metadata": {"labels": labels},
            "spec": {
                "containers": [
                    {
                        "name": "mysql",
                        "image": "mysql:8.4",
                        "ports": [{"name": "mysql", "container_port": 3306}],
                    }
                ]
            },
        },
    },
)

# The id is `<namespace>/<name>`; the returned object has no metadata.namespace unless the
# program set one (pulumi-kubernetes does not add the namespace it created the object in).
pulumi.export("clientHost", client.id.apply(lambda i: ".".join(reversed(i.split("/"))) + ".svc"))
pulumi.export("replicas", sts.spec.replicas)
