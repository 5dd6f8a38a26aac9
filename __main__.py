"""The stack program: one StatefulServicePair, configured by `pulumi config`.

`pulumi up` runs it against the cluster of the current kubeconfig context;
`make render` runs it offline and writes the manifests it would apply.
"""

import pulumi

from components.stateful_service_pair import (
    StatefulServicePair,
    StatefulServicePairArgs,
    StorageArgs,
)

config = pulumi.Config()

storage: StorageArgs | None = None
if storage_size := config.get("storageSize"):
    # The redis image keeps its data in /data; /tmp is writable by default.
    storage = StorageArgs(size=storage_size, mount_path="/data")
    if storage_class := config.get("storageClass"):
        storage["storage_class_name"] = storage_class

args = StatefulServicePairArgs(
    image=config.require("image"),
    ports=[{"name": config.require("portName"), "port": config.require_int("port")}],
    replicas=config.require_int("replicas"),
    cluster_domain=config.require("clusterDomain"),
    storage=storage,
)
if namespace := config.get("namespace"):
    args["namespace"] = namespace

pair = StatefulServicePair(config.require("name"), args)

pulumi.export("podDnsNames", pair.pod_dns_names)
pulumi.export("headlessServiceDns", pair.headless_service_dns)
pulumi.export("clientServiceDns", pair.client_service_dns)
pulumi.export("srvRecords", pair.srv_records)
pulumi.export("namespace", pair.namespace)
