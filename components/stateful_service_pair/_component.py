"""StatefulServicePair: a StatefulSet, its headless Service and its client Service.

The three objects are wired so they cannot disagree: the StatefulSet's
``serviceName`` and namespace are read from the headless Service object, every
selector is the same label derived from the StatefulSet name, and every Service
port targets a container port by name. The name outputs are made of the fields
the pair fixes itself, each stored as given (see _name_outputs.py).
"""

# No `from __future__ import annotations` here: the SDK's schema analyzer (pulumi.provider.
# experimental) reads the `args` and output annotations at run time and cannot use strings.
import dataclasses
import operator
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from . import _availability as availability
from . import _builders as builders
from . import _expansion as expansion
from . import _exposure as exposure
from . import _metrics as metrics
from . import _name_outputs as name_outputs
from . import _preview as preview
from . import _service_account as service_account
from . import peers
from ._args import (
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
from ._kubeconfig import (
    CONTEXT_CONFIG_KEY,
    KUBECONFIG_CONFIG_KEY,
    NAMESPACE_CONFIG_KEY,
    current_environment,
    provider_namespace,
)
from ._namespace import derive_namespace
from ._observed import PlannedStatefulSet, claim_templates, planned_stateful_set
from ._output_attributes import keep_output_values, read_as_outputs
from ._spec import PairSpec, StorageSpec
from ._storage import storage_drift
from ._validation import (
    PairArgumentError,
    check_annotation,
    check_image,
    check_namespace,
    check_pod_dns_names,
    check_replicas,
    validate,
)

__all__ = [
    "PACKAGE_NAME",
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

PACKAGE_NAME = "stateful-service-pair"
TYPE_TOKEN = f"{PACKAGE_NAME}:index:StatefulServicePair"
KUBERNETES_PACKAGE = "kubernetes"


@read_as_outputs(*name_outputs.OUTPUT_NAMES)
class StatefulServicePair(pulumi.ComponentResource):
    """A StatefulSet with a headless Service for per-Pod DNS and a ClusterIP Service for clients.

    Kubernetes objects (names fixed, never auto-named):

    - StatefulSet ``stateful_set_name`` (default: the component's name),
    - headless Service ``headless_service_name`` (default ``<name>-headless``),
    - ClusterIP Service ``client_service_name`` (default: the component's name),
    - PodDisruptionBudget named like the StatefulSet (unless ``pod_disruption_budget=False``).
    - ServiceMonitor named like the StatefulSet (with ``metrics.service_monitor``).

    Every argument is checked before anything is registered; bad input raises
    :class:`~stateful_service_pair.PairArgumentError`. Arguments that are
    Outputs (``image``, ``replicas``, ``namespace``, ``env`` values) are checked
    by the same rules once they resolve.
    """

    pod_names: pulumi.Output[list[str]]
    """Pod names in ordinal order, e.g. ``["db-0", "db-1"]``."""
    pod_dns_names: pulumi.Output[list[str]]
    """Per-Pod DNS names in ordinal order: ``<pod>.<headless>.<namespace>.svc.<domain>``."""
    pod_short_dns_names: pulumi.Output[list[str]]
    """Per-Pod DNS names without the cluster domain, in ordinal order:
    ``<pod>.<headless>.<namespace>.svc``. They resolve from any Pod whatever the cluster
    domain, through the search path the kubelet writes into every Pod."""
    tls_dns_names: pulumi.Output[list[str]]
    """Every name a TLS certificate for this pair must cover, each once: each Pod's full and
    short name, the wildcards ``*.<headless>.<namespace>.svc[.<domain>]`` and each Service's
    names (``<svc>.<ns>.svc.<domain>``, ``<svc>.<ns>.svc``, ``<svc>.<ns>``, ``<svc>``). Ready for a
    cert-manager ``Certificate``'s ``dnsNames``."""
    per_pod_service_dns: pulumi.Output[list[str]]
    """DNS names of the per-Pod Services in ordinal order (``<pod>.<namespace>.svc.<domain>``);
    empty without ``per_pod_services``."""
    per_pod_external_addresses: pulumi.Output[list[str]]
    """Per Pod, in ordinal order, the address its Service's load balancer reports (IP, else
    hostname), ``""`` while none is reported or for a type without one; empty without
    ``per_pod_services``."""
    service_account_name: pulumi.Output[str]
    """The ServiceAccount the Pods run as: the one ``service_account`` names or creates, else
    ``service_account_name``, else ``default``."""
    headless_service_dns: pulumi.Output[str]
    """DNS name of the headless Service; resolves to every (published) Pod's address."""
    client_service_dns: pulumi.Output[str]
    """DNS name of the client Service; resolves to its load-balanced cluster IP."""
    srv_records: pulumi.Output[dict[str, str]]
    """SRV record name per port name: ``_<port>._<protocol>.<headless service DNS name>``."""
    namespace: pulumi.Output[str]
    """The namespace the objects were created in."""
    persistent_volume_claims: pulumi.Output[list[str]]
    """Names of the Pods' claims in ordinal order (``<claim>-<statefulset>-<ordinal>``); empty
    without storage. With ``storage_claims``: every claim of every Pod, claim template by claim
    template in the order given, each in ordinal order. (The pair checks that the deployed
    claim templates match ``storage`` (or ``storage_claims``) as part of its own registration;
    a mismatch fails the run with the safe procedure.)"""
    claims_by_template: pulumi.Output[dict[str, list[str]]]
    """Per claim template name, the Pods' claims made from it in ordinal order, e.g.
    ``{"data": ["data-pg-0", "data-pg-1"], "wal": ["wal-pg-0", "wal-pg-1"]}``; empty without
    storage."""
    peer_endpoints: pulumi.Output[dict[str, list[str]]]
    """``host:port`` of every Pod in ordinal order, per port name, e.g. ``{"peer":
    ["etcd-0.etcd-headless.db.svc.cluster.local:2380", …]}``. The port is the container port
    (``target_port``): peers connect to a Pod's own address, not through a Service."""
    metrics_endpoints: pulumi.Output[list[str]]
    """``host:port`` of each Pod's metrics in ordinal order (``<pod DNS name>:<metrics.port>``),
    what the ServiceMonitor scrapes; empty without ``metrics``."""
    primary_dns_name: pulumi.Output[str | None]
    """DNS name of the Pod with the lowest ordinal: the seed, or the primary that replicas of
    a primary/replica database connect to. None when there are no replicas."""

    def __init__(
        self,
        name: str,
        args: StatefulServicePairArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        spec = validate(name, args)
        expansion.check_expandable(spec)
        # Decided before anything registers, the way the provider decides it, so that the
        # DNS names do not wait for (or depend on) the created objects (see _namespace.py).
        namespace_input = derive_namespace(
            name,
            spec.namespace,
            _default_provider_namespace(),
            _has_explicit_kubernetes_provider(opts),
        )
        if isinstance(namespace_input, str) and isinstance(spec.replicas, int):
            check_pod_dns_names(spec, namespace_input, spec.replicas)
        super().__init__(TYPE_TOKEN, name, None, opts)

        requested_namespace = _checked(name, spec.namespace, lambda v: check_namespace(name, v))
        namespace = _checked(name, namespace_input, lambda v: check_namespace(name, v))
        replicas = _checked(name, spec.replicas, lambda v: _replicas_within_budget(spec, v))
        image = _checked(name, spec.image, lambda v: check_image(name, v))
        annotations = _checked_annotations(name, "annotations", spec.annotations)
        pod_annotations = _checked_annotations(name, "pod_annotations", spec.pod_annotations)
        spec = dataclasses.replace(spec, annotations=annotations, pod_annotations=pod_annotations)
        spec, service_annotations = _checked_service_annotations(spec)
        # Expand mode reads its StorageClass (at a preview too), which must allow expansion.
        self.storage_class = _read_storage_class(self, spec)
        class_checked = (
            []
            if self.storage_class is None or spec.storage is None
            else [_allows_expansion(name, spec.storage, self.storage_class)]
        )
        # Nothing registers until every argument given as an Output has resolved and passed
        # its check (and, in expand mode, the StorageClass allows expansion), and no Pulumi
        # secret can reach the Pod spec: each object's name waits for this gate. A pair whose
        # arguments are all plain gets no gate and pays nothing.
        gate = _gate(
            spec,
            [
                requested_namespace,
                namespace,
                replicas,
                image,
                *service_annotations,
                *class_checked,
            ],
            namespace,
            replicas,
        )

        gated = _waiting_for(gate)

        child = pulumi.ResourceOptions(parent=self)
        self.headless_service = k8s.core.v1.Service(
            f"{name}-headless",
            metadata=builders.object_meta(
                spec,
                gated(spec.headless_service_name),
                requested_namespace,
                spec.headless_service_annotations or None,
                metrics.headless_service_labels(spec),
            ),
            spec=builders.headless_service_spec(spec),
            opts=child,
        )
        self.client_service = k8s.core.v1.Service(
            f"{name}-client",
            metadata=builders.object_meta(
                spec,
                gated(spec.client_service_name),
                requested_namespace,
                _map(replicas, lambda count: builders.client_service_annotations(spec, count)),
            ),
            spec=builders.client_service_spec(spec),
            opts=child,
        )
        self.service_account: k8s.core.v1.ServiceAccount | None = None
        if spec.service_account is not None and spec.service_account.create:
            self.service_account = k8s.core.v1.ServiceAccount(
                f"{name}-service-account",
                metadata=builders.object_meta(
                    spec,
                    gated(spec.service_account.name),
                    requested_namespace,
                    spec.service_account.annotations or None,
                ),
                # The Pods' own automountServiceAccountToken decides; this keeps any other Pod
                # that borrows the account without a token too.
                automount_service_account_token=False,
                opts=child,
            )
        # storage.on_change="expand" (see _expansion.py): an anchor the StatefulSet is owned by
        # and deleted with, whose recorded claim template refuses what cannot change.
        self.storage_anchor: k8s.core.v1.ConfigMap | None = None
        self.claim_size_record: k8s.core.v1.ConfigMapPatch | None = None
        size_annotation: pulumi.Output[str] | None = None
        sts_gate: pulumi.Output[Any] | None = gate
        patch_gate: pulumi.Output[Any] | None = None
        if expansion.expanding(spec) and spec.storage is not None:
            storage = spec.storage
            self.storage_anchor = k8s.core.v1.ConfigMap(
                f"{name}-storage-anchor",
                metadata=builders.object_meta(
                    spec, gated(expansion.anchor_name(spec)), requested_namespace
                ),
                data=expansion.anchor_record(storage),
                # The record keeps the first deployed values, so a later run compares with them.
                opts=pulumi.ResourceOptions(parent=self, ignore_changes=["data"]),
            )
            record_checked = self.storage_anchor.data.apply(
                lambda deployed: expansion.check_record(name, storage, deployed)
            )
            sts_gate = record_checked if gate is None else _all(gate, record_checked)
            # The Patch resources' names wait only for the storage checks: the provider refuses
            # a Patch without a name, and the whole gate is unknown at a preview whenever an
            # Output argument is (an image built in the same stack). They still run after the
            # gate: the record waits for the anchor, the claim patches for the StatefulSet.
            patch_gate = _all(record_checked, *class_checked)
            # Replaced whenever the size changes; the StatefulSet carries a value it hands back,
            # so that StatefulSet's preview never asks the API server (see _expansion.py).
            self.claim_size_record = k8s.core.v1.ConfigMapPatch(
                f"{name}-claim-size",
                metadata=k8s.meta.v1.ObjectMetaPatchArgs(
                    name=patch_gate.apply(lambda _: expansion.anchor_name(spec)),
                    namespace=requested_namespace,
                ),
                data={expansion.CLAIM_SIZE_KEY: storage.size},
                opts=pulumi.ResourceOptions(
                    parent=self,
                    depends_on=[self.storage_anchor],
                    replace_on_changes=["data"],
                    delete_before_replace=True,
                    deleted_with=self.storage_anchor,
                ),
            )
            size_annotation = self.claim_size_record.metadata.apply(
                lambda record: preview.recorded_size(record, storage.size)
            )

        sts_gated = _waiting_for(sts_gate)
        patch_gated = _waiting_for(patch_gate)

        sts_metadata = builders.object_meta(
            spec,
            sts_gated(spec.stateful_set_name),
            requested_namespace,
            {
                **builders.await_annotations(spec),
                **(
                    {
                        **expansion.ORPHAN_ANNOTATIONS,
                        expansion.CLAIM_SIZE_ANNOTATION: size_annotation,
                    }
                    if self.storage_anchor is not None
                    else {}
                ),
            },
        )
        sts_options = pulumi.ResourceOptions(
            parent=self,
            # None, not False: a child inherits `protect` from its parent only where it
            # leaves the option unset, so `protect=True` on the component still holds.
            protect=True if spec.protect else None,
            # volumeClaimTemplates cannot change in place; a change would replace the
            # StatefulSet. It is ignored here and refused below with the safe procedure.
            ignore_changes=["spec.volumeClaimTemplates"],
            # Pods naming an account that does not exist yet are refused (FailedCreate).
            depends_on=[self.service_account] if self.service_account else None,
        )
        if self.storage_anchor is not None:
            anchor = self.storage_anchor
            sts_metadata.owner_references = [
                k8s.meta.v1.OwnerReferenceArgs(
                    api_version="v1",
                    kind="ConfigMap",
                    name=anchor.metadata.name,
                    uid=anchor.metadata.uid,
                    block_owner_deletion=True,
                )
            ]
            # A claim template change replaces the StatefulSet (deleted first: same name),
            # orphaning its Pods; destroy leaves the StatefulSet to the anchor's deletion.
            sts_options = pulumi.ResourceOptions(
                parent=self,
                protect=True if spec.protect else None,
                replace_on_changes=["spec.volumeClaimTemplates"],
                delete_before_replace=True,
                deleted_with=anchor,
                depends_on=[self.service_account] if self.service_account else None,
            )
        # The StatefulSet depends on the headless Service (serviceName) but never on
        # the client Service: a Service with a selector waits for endpoints, which
        # would wait for the StatefulSet (pulumi-kubernetes #1974).
        self.stateful_set = k8s.apps.v1.StatefulSet(
            f"{name}-statefulset",
            metadata=sts_metadata,
            spec=builders.stateful_set_spec(
                spec,
                service_name=self.headless_service.metadata.name,
                replicas=replicas,
                template=builders.pod_spec(spec, builders.container(spec, image, dict(spec.env))),
            ),
            opts=sts_options,
        )
        self.claim_patches: list[k8s.core.v1.PersistentVolumeClaimPatch] = []
        if self.storage_anchor is not None and spec.storage is not None:
            self.claim_patches = _claim_patches(
                self,
                spec,
                storage=spec.storage,
                namespace=requested_namespace,
                stateful_set=self.stateful_set,
                gated=patch_gated,
            )
        self.pod_disruption_budget: k8s.policy.v1.PodDisruptionBudget | None = None
        if spec.pod_disruption_budget:
            self.pod_disruption_budget = k8s.policy.v1.PodDisruptionBudget(
                f"{name}-pdb",
                metadata=builders.object_meta(
                    spec, sts_gated(spec.stateful_set_name), requested_namespace
                ),
                spec=builders.pod_disruption_budget_spec(spec, replicas),
                opts=child,
            )
        # One Service per Pod, selecting it by the controller's pod-name label; like the client
        # Service, the StatefulSet never depends on them (they wait for endpoints).
        self.per_pod_services: list[k8s.core.v1.Service] = [
            k8s.core.v1.Service(
                f"{name}-pod-{pod}",
                metadata=builders.object_meta(
                    spec,
                    gated(pod),
                    requested_namespace,
                    {
                        **(spec.per_pod_services.annotations if spec.per_pod_services else {}),
                        **builders.await_annotations(spec),
                    }
                    or None,
                ),
                spec=exposure.per_pod_service_spec(spec, pod),
                opts=child,
            )
            for pod in exposure.per_pod_service_names(spec)
        ]
        self.network_policy: k8s.networking.v1.NetworkPolicy | None = None
        if spec.network_policy is not None:
            self.network_policy = k8s.networking.v1.NetworkPolicy(
                f"{name}-network-policy",
                metadata=builders.object_meta(
                    spec, sts_gated(spec.stateful_set_name), requested_namespace
                ),
                spec=builders.network_policy_spec(spec),
                opts=child,
            )
        # A Prometheus Operator ServiceMonitor (a custom resource: the CRD must be installed)
        # selecting the headless Service by the label only it carries (see _metrics.py).
        self.service_monitor: k8s.apiextensions.CustomResource | None = None
        if spec.metrics is not None and spec.metrics.service_monitor is not None:
            self.service_monitor = k8s.apiextensions.CustomResource(
                f"{name}-service-monitor",
                api_version=metrics.API_VERSION,
                kind=metrics.KIND,
                metadata=builders.object_meta(
                    spec,
                    gated(spec.stateful_set_name),
                    requested_namespace,
                    extra_labels=metrics.service_monitor_labels(spec),
                ),
                spec=metrics.service_monitor_spec(spec, namespace),
                opts=child,
            )

        # The name outputs (see _name_outputs.py): plain values when the namespace and the
        # replicas are, made into Outputs only when read (see _output_attributes.py).
        container_ports = {port.name: port.target_port for port in spec.ports}
        self._planned: PlannedStatefulSet | pulumi.Output[PlannedStatefulSet] = _map_all(
            [namespace, replicas],
            lambda values: planned_stateful_set(
                stateful_set_name=spec.stateful_set_name,
                headless_service_name=spec.headless_service_name,
                namespace=values[0],
                replicas=values[1],
                ordinals_start=spec.ordinals_start,
                container_ports=container_ports,
            ),
        )
        values: dict[str, Any] = {
            **_spread(
                _map(namespace, lambda ns: name_outputs.namespace_outputs(spec, ns)),
                name_outputs.NAMESPACE_OUTPUTS,
            ),
            **_spread(
                _map(self._planned, lambda sts: name_outputs.pod_outputs(spec, sts)),
                name_outputs.POD_OUTPUTS,
            ),
            "service_account_name": service_account.pods_account(spec),
        }
        statuses = [service.status for service in self.per_pod_services]
        values["per_pod_external_addresses"] = (
            _all(*statuses).apply(lambda found: [exposure.external_address(s) for s in found])
            if statuses
            else []
        )
        keep_output_values(self, values)
        self._cluster_domain = spec.cluster_domain
        self._component_name = name
        self._port_names = [port.name for port in spec.ports]
        # The deployed claim templates must match `storage`: a change would orphan every
        # claim. Checked against the StatefulSet the provider returns, which carries the
        # deployed templates (they are in ignore_changes); at a preview that output is
        # unknown when any other input of the StatefulSet is (then the check runs at `up`).
        storage_checked = self.stateful_set.spec.apply(
            lambda deployed: _storage_matches(spec, claim_templates(deployed))
        )
        self.register_outputs(
            {
                **values,
                # Not an output of the schema: registered so that a refusal stops the run.
                "storage_matches_deployed": storage_checked,
            }
        )

    def endpoints(self, port_name: str) -> pulumi.Output[list[str]]:
        """``host:port`` of every Pod for one port, in ordinal order (one entry of
        ``peer_endpoints``).

        Raises:
            PairArgumentError: ``port_name`` is not one of the pair's ports.
        """
        self._check_port_name(port_name)
        return self.peer_endpoints.apply(lambda by_port: by_port[port_name])

    def primary_endpoint(self, port_name: str) -> pulumi.Output[str | None]:
        """``host:port`` of the Pod with the lowest ordinal for one port; None without replicas.

        Raises:
            PairArgumentError: ``port_name`` is not one of the pair's ports.
        """
        self._check_port_name(port_name)
        domain = self._cluster_domain

        def endpoint(sts: PlannedStatefulSet) -> str | None:
            host = sts.primary_dns_name(domain)
            return None if host is None else f"{host}:{sts.container_ports[port_name]}"

        return _output_of(self._planned, endpoint)

    def members(
        self,
        port_name: str,
        template: str = peers.HOST_PORT,
        *,
        separator: str = ",",
        id_offset: int = 0,
    ) -> pulumi.Output[str]:
        """The created Pods as one member-list string, formatted by
        :func:`stateful_service_pair.peers.format_members`.

        For example ``pair.members("peer", peers.ETCD_INITIAL_CLUSTER)`` for etcd
        ``--initial-cluster``, or ``pair.members("controller", peers.KAFKA_QUORUM_VOTERS)`` for
        Kafka ``controller.quorum.voters``.

        Args:
            port_name: One of the pair's ports; its container port fills ``{port}``.
            template: Over ``{name}``, ``{host}``, ``{port}``, ``{ordinal}`` and ``{id}``.
                Default :data:`stateful_service_pair.peers.HOST_PORT` (``host:port``).
            separator: Between members. Default ``","``.
            id_offset: ``{id}`` is the Pod's ordinal plus this. Default ``0``.

        Raises:
            PairArgumentError: an unknown port name or a bad template.
        """
        self._check_port_name(port_name)
        problem = peers.template_problem(template)
        if problem is not None:
            raise PairArgumentError(self._component_name, "template", template, problem)
        domain = self._cluster_domain
        return _output_of(
            self._planned,
            lambda sts: peers.format_members(
                sts.members(domain),
                sts.container_ports[port_name],
                template,
                separator=separator,
                id_offset=id_offset,
            ),
        )

    def _check_port_name(self, port_name: str) -> None:
        if port_name not in self._port_names:
            raise PairArgumentError(
                self._component_name,
                "port_name",
                port_name,
                f"must name one of the pair's ports: {self._port_names}",
            )


def _waiting_for(gate: pulumi.Output[Any] | None) -> Callable[[str], pulumi.Input[str]]:
    """A name that waits for ``gate`` (a plain name when there is nothing to wait for)."""

    def gated(value: str) -> pulumi.Input[str]:
        return value if gate is None else gate.apply(lambda _: value)

    return gated


def _all(*outputs: pulumi.Output[Any]) -> pulumi.Output[list[Any]]:
    """Like ``pulumi.Output.all(*outputs)`` for Outputs of plain values, at a fraction of the cost.

    ``Output.all`` deep-unwraps every value (``Output.from_input``): it rebuilds each list and
    dict out of new Outputs, one per element, to find Outputs nested inside. The pair's values
    are names, numbers and lists of them, so chained applies give the same value, secrecy and
    dependencies with one Output per input, which halves the Outputs a default pair adds.
    """

    def chain(values: list[Any], rest: tuple[pulumi.Output[Any], ...]) -> Any:
        if not rest:
            return values
        return rest[0].apply(lambda value: chain([*values, value], rest[1:]))

    combined: pulumi.Output[list[Any]] = chain([], outputs)
    return combined


def _map(value: pulumi.Input[Any], function: Any) -> Any:
    """``function(value)``, through ``apply`` when ``value`` is an Output."""
    if isinstance(value, pulumi.Output):
        return value.apply(function)
    return function(value)


def _map_all(values: list[Any], function: Any) -> Any:
    """``function(values)``; an Output of it (over ``_all``) when any of ``values`` is one."""
    if not any(isinstance(value, pulumi.Output) for value in values):
        return function(values)
    return _all(*(pulumi.Output.from_input(value) for value in values)).apply(function)


def _output_of(value: Any, function: Any) -> pulumi.Output[Any]:
    """``function(value)`` as an Output: an ``apply`` on an Output, else a known Output."""
    if isinstance(value, pulumi.Output):
        return value.apply(function)
    return pulumi.Output.from_input(function(value))


def _spread(values: Any, keys: Iterable[str]) -> dict[str, Any]:
    """A dict of outputs (or an Output of one) as one entry per key, each plain or an Output."""
    if not isinstance(values, pulumi.Output):
        return {key: values[key] for key in keys}
    dict_output: pulumi.Output[dict[str, Any]] = values
    return {key: dict_output.apply(operator.itemgetter(key)) for key in keys}


def _checked(component: str, value: pulumi.Input[Any] | None, check: Any) -> Any:
    """``value`` itself when plain (validate() checked it); an Output checked once it resolves.

    A secret that breaks its rule is named, never shown: the error says ``[secret]``.
    """
    if not isinstance(value, pulumi.Output):
        return value
    return _all(value, _is_secret(value)).apply(
        lambda values: _check_quietly(component, check, values[0], values[1])
    )


def _default_provider_namespace() -> str:
    """Where the default provider puts objects without a namespace (see _kubeconfig.py)."""
    kubernetes = pulumi.Config("kubernetes")
    config = {
        key: value
        for key in (NAMESPACE_CONFIG_KEY, CONTEXT_CONFIG_KEY, KUBECONFIG_CONFIG_KEY)
        if (value := kubernetes.get(key.partition(":")[2]))
    }
    return provider_namespace(config, current_environment())


def _replicas_within_budget(spec: PairSpec, value: Any) -> int:
    """Replicas given as an Output: a count, and one the budget's integer minimum fits."""
    count = check_replicas(spec.component_name, value)
    if isinstance(spec.pdb_min_available, int):
        availability.minimum_within_replicas(spec.component_name, spec.pdb_min_available, count)
    return count


def _check_quietly(component: str, check: Any, value: Any, is_secret: bool) -> Any:
    try:
        return check(value)
    except PairArgumentError as error:
        if not is_secret:
            raise
        raise PairArgumentError(component, error.argument, "[secret]", error.rule) from None


def _checked_annotations(
    component: str, argument: str, annotations: dict[str, pulumi.Input[str]]
) -> dict[str, pulumi.Input[str]]:
    """Annotations whose Output values are checked to be strings when they resolve."""
    return {
        key: _checked(
            component,
            value,
            lambda v, key=key: check_annotation(component, f"{argument}[{key!r}]", v),
        )
        for key, value in annotations.items()
    }


def _checked_service_annotations(spec: PairSpec) -> tuple[PairSpec, list[pulumi.Output[Any]]]:
    """The Services' own annotations with Output values checked once they resolve, and those
    Outputs, for the gate."""
    component = spec.component_name
    headless = _checked_annotations(
        component, "headless_service_annotations", spec.headless_service_annotations
    )
    client = _checked_annotations(
        component, "client_service.annotations", spec.client_service.annotations
    )
    per_pod = spec.per_pod_services
    if per_pod is not None:
        per_pod = dataclasses.replace(
            per_pod,
            annotations=_checked_annotations(
                component, "per_pod_services.annotations", per_pod.annotations
            ),
        )
    account = spec.service_account
    if account is not None:
        account = dataclasses.replace(
            account,
            annotations=_checked_annotations(
                component, "service_account.annotations", account.annotations
            ),
        )
    checked = dataclasses.replace(
        spec,
        service_account=account,
        headless_service_annotations=headless,
        client_service=dataclasses.replace(spec.client_service, annotations=client),
        per_pod_services=per_pod,
    )
    values = [
        *(account.annotations if account else {}).values(),
        *headless.values(),
        *client.values(),
        *(per_pod.annotations if per_pod else {}).values(),
    ]
    return checked, [value for value in values if isinstance(value, pulumi.Output)]


def _has_explicit_kubernetes_provider(opts: pulumi.ResourceOptions | None) -> bool:
    """Whether the pair gets a Kubernetes provider of its own or from its parent."""
    if opts is None:
        return False
    if opts.provider is not None and opts.provider.package == KUBERNETES_PACKAGE:
        return True
    providers = opts.providers
    if isinstance(providers, Mapping):
        if KUBERNETES_PACKAGE in providers:
            return True
    elif providers and any(p.package == KUBERNETES_PACKAGE for p in providers):
        return True
    return (
        opts.parent is not None
        and opts.parent.get_provider(f"{KUBERNETES_PACKAGE}:core/v1:Service") is not None
    )


def _gate(
    spec: PairSpec,
    checked_arguments: list[Any],
    namespace: pulumi.Input[str],
    replicas: pulumi.Input[int],
) -> pulumi.Output[None] | None:
    """An Output that resolves once every Output argument passed its check and no secret can
    reach the Pod spec; None when there is nothing to wait for.
    """
    waits = [value for value in checked_arguments if isinstance(value, pulumi.Output)]
    waits += [
        value
        for value in (*spec.annotations.values(), *spec.pod_annotations.values())
        if isinstance(value, pulumi.Output)
    ]
    secrets = _secret_gate(spec)
    if secrets is not None:
        # First, so a secret is refused before any check could show its value.
        waits.insert(0, secrets)
    if not waits:
        return None
    checked: pulumi.Output[Any] = _all(*waits)
    if isinstance(namespace, pulumi.Output) or isinstance(replicas, pulumi.Output):
        # The per-Pod DNS names' length, once the namespace and replicas are known.
        checked = _all(
            checked, pulumi.Output.from_input(namespace), pulumi.Output.from_input(replicas)
        ).apply(lambda values: check_pod_dns_names(spec, values[1], values[2]))
    done: pulumi.Output[None] = checked.apply(lambda _: None)
    return done


# The StorageClass annotations are strings: evaluated, they would import
# pulumi_kubernetes.storage.v1 (15 ms) for every program, and only expand mode reads a class.
def _read_storage_class(
    parent: pulumi.Resource, spec: PairSpec
) -> "k8s.storage.v1.StorageClass | None":
    """The expand-mode claims' StorageClass as the cluster holds it; None outside expand mode."""
    if not expansion.expanding(spec) or spec.storage is None:
        return None
    # check_expandable made sure the class is named.
    return k8s.storage.v1.StorageClass.get(
        f"{spec.component_name}-storage-class",
        str(spec.storage.storage_class_name),
        opts=pulumi.ResourceOptions(parent=parent),
    )


def _allows_expansion(
    component: str, storage: StorageSpec, storage_class: "k8s.storage.v1.StorageClass"
) -> pulumi.Output[None]:
    # At a preview the SDK resolves a field the read object lacks as unknown, not None
    # (`make e2e`). Once the read itself is known (its provisioner, a field every class has),
    # unknown there means "not set", and a class without expansion is refused at the preview.
    # A read unknown as a whole (the provider's own config unknown) is checked at `up`.
    def check(allowed: Any) -> None:
        known = None if pulumi.output.contains_unknowns(allowed) else allowed
        expansion.check_storage_class(component, storage, known)

    return storage_class.provisioner.apply(
        lambda _: storage_class.allow_volume_expansion.apply(check, run_with_unknowns=True)
    )


def _claim_patches(
    parent: pulumi.Resource,
    spec: PairSpec,
    *,
    storage: StorageSpec,
    namespace: pulumi.Input[str] | None,
    stateful_set: k8s.apps.v1.StatefulSet,
    gated: Any,
) -> list[k8s.core.v1.PersistentVolumeClaimPatch]:
    """One server-side apply patch per claim, setting its size (see _expansion.py)."""
    return [
        k8s.core.v1.PersistentVolumeClaimPatch(
            f"{spec.component_name}-claim-{claim}",
            metadata=k8s.meta.v1.ObjectMetaPatchArgs(
                name=gated(claim),
                namespace=namespace,
                annotations=dict(expansion.PATCH_ANNOTATIONS),
            ),
            spec=k8s.core.v1.PersistentVolumeClaimSpecPatchArgs(
                resources=k8s.core.v1.VolumeResourceRequirementsPatchArgs(
                    requests={"storage": storage.size}
                ),
            ),
            opts=pulumi.ResourceOptions(
                parent=parent,
                depends_on=[stateful_set],
                retain_on_delete=True,
            ),
        )
        for claim in expansion.claim_names(spec)
    ]


def _storage_matches(spec: PairSpec, deployed: list[dict[str, object]]) -> bool:
    """True, or the refusal of a claim template change (with the safe procedure)."""
    # In expand mode the StatefulSet takes a new claim template (no ignore_changes); the
    # anchor's record refused what cannot change before anything registered.
    if not expansion.expanding(spec):
        storage_drift(spec.component_name, spec.claims, deployed)
    return True


# Where a Pulumi secret may not go, and what to use instead. A secret in a Pod spec is
# plain text in the cluster, in every manifest and in `kubectl describe`.
_SECRET_IN_ENV = (
    "is a Pulumi secret and would be stored in plain text in the StatefulSet; "
    "put it in a Kubernetes Secret and reference it with secret_env"
)
_SECRET_IN_POD_SPEC = (
    "holds a Pulumi secret, which would be stored in plain text in the Pod spec; "
    "put it in a Kubernetes Secret and reference it with secret_env or env_from"
)
_POD_SPEC_ROUTES = "image, extra_container_spec, extra_pod_spec or pod_annotations"


def _secret_gate(spec: PairSpec) -> pulumi.Output[None] | None:
    """An Output that resolves once no Output reaching the Pod spec is a Pulumi secret.

    Checks ``env`` values (named in the error) and every Output in the image,
    ``extra_container_spec`` and ``extra_pod_spec`` (sidecars, extra env, volumes). A
    pair whose arguments are all plain gets no gate and pays nothing.
    """
    sources: list[tuple[str, str, pulumi.Output[Any]]] = [
        (f"env[{env_name!r}]", _SECRET_IN_ENV, value)
        for env_name, value in spec.env.items()
        if isinstance(value, pulumi.Output)
    ]
    pod_spec_outputs = _outputs_within(
        [spec.image, spec.extra_container_spec, spec.extra_pod_spec, spec.pod_annotations]
    )
    sources += [(_POD_SPEC_ROUTES, _SECRET_IN_POD_SPEC, output) for output in pod_spec_outputs]
    if not sources:
        return None

    def check(flags: list[Any]) -> None:
        for (argument, rule, _output), is_secret in zip(sources, flags, strict=True):
            if is_secret:
                raise PairArgumentError(spec.component_name, argument, "[secret]", rule)

    return _all(*(_holds_secret(output) for _argument, _rule, output in sources)).apply(check)


def _is_secret(output: pulumi.Output[Any]) -> pulumi.Output[bool]:
    flag: pulumi.Output[bool] = pulumi.Output.from_input(output.is_secret())
    return flag


def _holds_secret(output: pulumi.Output[Any]) -> pulumi.Output[bool]:
    """Whether ``output`` is a secret or its value holds one, however deep.

    ``apply`` flattens an Output returned by its callback, but not Outputs inside a returned
    list or Args object (``other.apply(lambda _: [EnvVarArgs(value=Output.secret(…))])``);
    the SDK serializes those into the manifest all the same, so they are searched too. An
    unknown value (a preview) is judged by its own secrecy, which is known.
    """
    flag: pulumi.Output[bool] = pulumi.Output.from_input(_search_secret(output))
    return flag


async def _search_secret(output: pulumi.Output[Any]) -> bool:
    if await output.is_secret():
        return True
    if not await output.is_known():
        return False
    for inner in _outputs_within(await output.future()):
        if await _search_secret(inner):
            return True
    return False


def _outputs_within(value: Any) -> list[pulumi.Output[Any]]:
    """Every Output inside plain lists and mappings and ``pulumi_kubernetes`` input objects."""
    if isinstance(value, pulumi.Output):
        return [value]
    if isinstance(value, Mapping):
        items: Iterable[Any] = value.values()
    elif isinstance(value, (list, tuple)):
        items = value
    elif hasattr(value, "__dict__") and not isinstance(value, pulumi.Resource):
        # pulumi input types (k8s.core.v1.EnvVarArgs, …) keep their fields in __dict__.
        items = vars(value).values()
    else:
        return []
    return [output for item in items for output in _outputs_within(item)]
