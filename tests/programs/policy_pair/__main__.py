"""A pair with default arguments, or hardened as the README's security section says."""

import pulumi
from stateful_service_pair import StatefulServicePair, StatefulServicePairArgs

DIGEST = "sha256:" + "0" * 64

args = StatefulServicePairArgs(image="mysql:8.4", ports=[{"name": "mysql", "port": 3306}])
if pulumi.Config().get_bool("hardened"):
    args["image"] = f"mysql@{DIGEST}"
    args["namespace"] = "db"
    args["network_policy"] = {"allowed_clients": [{"pod_labels": {"app": "api"}}]}

StatefulServicePair("mysql", args)
