"""StatefulServicePair: a Kubernetes StatefulSet with its headless and client Services.

This module is the package's public face: every name in ``__all__`` is supported. The
implementation lives in private modules (a leading underscore: arguments, spec, naming,
validation, builders, the component). Two public submodules are imported here because the
component's own outputs use them: :mod:`stateful_service_pair.dns` (every DNS formula) and
:mod:`stateful_service_pair.peers` (member-list formatters). Two more are imported only on
demand, so ``import stateful_service_pair`` stays as light as a stack program needs:
:mod:`stateful_service_pair.testing` (the mocks for unit tests) and
:mod:`stateful_service_pair.render` (the offline renderer).
"""

from . import dns, peers
from ._args import (
    AccessMode,
    ClientServiceArgs,
    EnvFromArgs,
    ImagePullPolicy,
    InternalTrafficPolicy,
    MetricsArgs,
    NetworkClientArgs,
    NetworkPolicyArgs,
    PerPodServicesArgs,
    PodManagementPolicy,
    PortArgs,
    ProbeArgs,
    Protocol,
    ResourcesArgs,
    RetentionPolicy,
    SecretKeyRefArgs,
    ServiceAccountArgs,
    ServiceMonitorArgs,
    ServiceType,
    SessionAffinity,
    SpreadArgs,
    SpreadMode,
    StatefulServicePairArgs,
    StorageArgs,
    StorageChange,
    TrafficDistribution,
    UnhealthyPodEvictionPolicy,
    UpdateStrategy,
)
from ._component import TYPE_TOKEN, StatefulServicePair
from ._validation import PairArgumentError

# The package version; pyproject.toml reads it from here (a tag `v<version>` marks a release).
__version__ = "0.2.0"

__all__ = [
    "TYPE_TOKEN",
    "AccessMode",
    "ClientServiceArgs",
    "EnvFromArgs",
    "ImagePullPolicy",
    "InternalTrafficPolicy",
    "MetricsArgs",
    "NetworkClientArgs",
    "NetworkPolicyArgs",
    "PairArgumentError",
    "PerPodServicesArgs",
    "PodManagementPolicy",
    "PortArgs",
    "ProbeArgs",
    "Protocol",
    "ResourcesArgs",
    "RetentionPolicy",
    "SecretKeyRefArgs",
    "ServiceAccountArgs",
    "ServiceMonitorArgs",
    "ServiceType",
    "SessionAffinity",
    "SpreadArgs",
    "SpreadMode",
    "StatefulServicePair",
    "StatefulServicePairArgs",
    "StorageArgs",
    "StorageChange",
    "TrafficDistribution",
    "UnhealthyPodEvictionPolicy",
    "UpdateStrategy",
    "__version__",
    "dns",
    "peers",
]
