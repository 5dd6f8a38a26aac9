"""Pulumi components for stateful systems on Kubernetes.

The public names are re-exported here; the implementation lives in one module
per concern (arguments, naming, validation, builders, the component).
"""

from .args import (
    EnvFromArgs,
    NetworkClientArgs,
    NetworkPolicyArgs,
    PortArgs,
    ProbeArgs,
    ResourcesArgs,
    SecretKeyRefArgs,
    StatefulServicePairArgs,
    StorageArgs,
)
from .stateful_service_pair import TYPE_TOKEN, StatefulServicePair
from .validation import PairArgumentError

__all__ = [
    "TYPE_TOKEN",
    "EnvFromArgs",
    "NetworkClientArgs",
    "NetworkPolicyArgs",
    "PairArgumentError",
    "PortArgs",
    "ProbeArgs",
    "ResourcesArgs",
    "SecretKeyRefArgs",
    "StatefulServicePair",
    "StatefulServicePairArgs",
    "StorageArgs",
]
