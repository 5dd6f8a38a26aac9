"""The stack program: one StatefulServicePair, configured by `pulumi config`.

`pulumi up` runs it against the cluster of the current kubeconfig context;
`make render` runs it offline and writes the manifests it would apply.
"""

import sys
from pathlib import Path

import pulumi

# `pulumi up` runs this program with a virtualenv built from requirements.txt only, which does
# not install this repository's package (the e2e suite copies the repository root likewise).
# components/ is the package's source folder, so putting it first on the path imports the
# checked-out code, the same code `pip install -e .` would give.
sys.path.insert(0, str(Path(__file__).resolve().parent / "components"))

from stateful_service_pair import (
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
if (ordinals_start := config.get_int("ordinalsStart")) is not None:
    args["ordinals_start"] = ordinals_start
# An object (`pulumi config set --path 'podAnnotations.<key>' <value>`), so not declared in
# Pulumi.yaml, whose config types are scalars and arrays.
if pod_annotations := config.get_object("podAnnotations"):
    args["pod_annotations"] = pod_annotations

# `protect` on the component reaches every child by Pulumi's option inheritance.
pair = StatefulServicePair(
    config.require("name"),
    args,
    pulumi.ResourceOptions(protect=config.get_bool("protect") or False),
)

pulumi.export("podDnsNames", pair.pod_dns_names)
pulumi.export("headlessServiceDns", pair.headless_service_dns)
pulumi.export("clientServiceDns", pair.client_service_dns)
pulumi.export("srvRecords", pair.srv_records)
pulumi.export("namespace", pair.namespace)
