"""Peer discovery: the members of a StatefulSet, listed the way stateful systems read them.

Pure functions: no Pulumi, no I/O, so they are tested without mocks. A member
is a :class:`Peer` (ordinal, Pod name, per-Pod DNS name); the formatters turn
a list of members and a port into the strings each system's configuration
expects, e.g. etcd's ``--initial-cluster`` or Kafka's
``controller.quorum.voters``.

Node ids: systems that number their members (Kafka ``node.id``, ZooKeeper
``myid``, MySQL ``server_id``) get ``id = ordinal + id_offset``. With the
default offset 0 the id is the Pod's ordinal, which a Pod can read itself from
its hostname (``${HOSTNAME##*-}``) or from the label
``apps.kubernetes.io/pod-index`` through the downward API. To keep the ids of
two StatefulSets apart (Kafka controllers and brokers share one id space),
shift one of them with ``ordinals_start`` or give it an offset.

These functions also work before any object exists, from names you already
know, which is how a StatefulSet's own Pods get their member list without the
StatefulSet depending on itself (see ``examples/README.md``).
"""

from __future__ import annotations

import string
from collections.abc import Sequence
from dataclasses import dataclass

from . import dns

__all__ = [
    "ETCD_INITIAL_CLUSTER",
    "ETCD_INITIAL_CLUSTER_TLS",
    "HOST_PORT",
    "KAFKA_QUORUM_VOTERS",
    "TEMPLATE_FIELDS",
    "Peer",
    "endpoints",
    "etcd_initial_cluster",
    "format_members",
    "kafka_quorum_voters",
    "primary",
    "stateful_set_peers",
    "template_problem",
]

HOST_PORT = "{host}:{port}"
"""``host:port``: Kafka ``controller.quorum.bootstrap.servers``, ZooKeeper connect strings,
MongoDB and Redis seed lists."""
ETCD_INITIAL_CLUSTER = "{name}=http://{host}:{port}"
"""One member of etcd ``--initial-cluster``: ``<member name>=<advertised peer URL>``."""
ETCD_INITIAL_CLUSTER_TLS = "{name}=https://{host}:{port}"
"""Like :data:`ETCD_INITIAL_CLUSTER`, for peers that talk TLS."""
KAFKA_QUORUM_VOTERS = "{id}@{host}:{port}"
"""One voter of Kafka KRaft ``controller.quorum.voters``: ``<node.id>@<host>:<port>``."""

TEMPLATE_FIELDS = frozenset({"name", "host", "port", "ordinal", "id"})
"""What a member template may refer to: the Pod ``name`` (its hostname), its DNS ``host``,
the ``port``, its ``ordinal`` and its node ``id`` (``ordinal + id_offset``)."""


@dataclass(frozen=True)
class Peer:
    """One member of a StatefulSet, as its peers address it.

    Attributes:
        ordinal: The Pod's ordinal (``spec.ordinals.start`` counts).
        name: The Pod's name, which is also its hostname, e.g. ``etcd-0``.
        host: The name peers resolve: the Pod's DNS name behind the headless
            Service, e.g. ``etcd-0.etcd-headless.db.svc.cluster.local``.
    """

    ordinal: int
    name: str
    host: str


def stateful_set_peers(
    stateful_set_name: str,
    headless_service_name: str,
    namespace: str,
    replicas: int,
    *,
    ordinals_start: int = 0,
    cluster_domain: str = dns.DEFAULT_CLUSTER_DOMAIN,
) -> list[Peer]:
    """The members a StatefulSet will have, in ordinal order, from names known in advance.

    Args:
        stateful_set_name: The StatefulSet's name.
        headless_service_name: Its ``spec.serviceName``.
        namespace: The namespace of both.
        replicas: Number of Pods.
        ordinals_start: ``spec.ordinals.start``. Default ``0``.
        cluster_domain: The cluster's DNS domain. Default ``cluster.local``.
    """
    names = dns.pod_names(stateful_set_name, replicas, ordinals_start)
    hosts = dns.pod_fqdns(names, headless_service_name, namespace, cluster_domain)
    return [
        Peer(ordinal, name, host)
        for ordinal, name, host in zip(
            dns.ordinal_range(replicas, ordinals_start), names, hosts, strict=True
        )
    ]


def template_problem(template: str) -> str | None:
    """Why ``template`` cannot format a member, or None."""
    try:
        fields = [
            field for _, field, _, _ in string.Formatter().parse(template) if field is not None
        ]
    except ValueError as error:
        return f"is not a format string ({error})"
    unknown = sorted({field for field in fields if field not in TEMPLATE_FIELDS})
    if unknown:
        return (
            f"refers to {', '.join(repr(field) for field in unknown)}; a member template may use "
            f"only {{{'}, {'.join(sorted(TEMPLATE_FIELDS))}}}"
        )
    if not fields:
        return "has no field; every member would be the same text"
    return None


def format_members(
    peers: Sequence[Peer],
    port: int,
    template: str = HOST_PORT,
    *,
    separator: str = ",",
    id_offset: int = 0,
) -> str:
    """Each member formatted with ``template``, joined by ``separator``, in ordinal order.

    Args:
        peers: The members.
        port: The port peers connect to.
        template: A ``str.format`` template over :data:`TEMPLATE_FIELDS`. Default
            :data:`HOST_PORT`.
        separator: Between members. Default ``","``.
        id_offset: Added to the ordinal to give the ``id`` field. Default ``0``.

    Raises:
        ValueError: a bad template or port, or a member whose id would be negative.
    """
    problem = template_problem(template)
    if problem is not None:
        raise ValueError(f"template {template!r} {problem}")
    _check_port(port)
    members = []
    for peer in _in_order(peers):
        node_id = peer.ordinal + id_offset
        if node_id < 0:
            raise ValueError(
                f"{peer.name}: id {peer.ordinal} + {id_offset} = {node_id} is negative"
            )
        members.append(
            template.format(
                name=peer.name, host=peer.host, port=port, ordinal=peer.ordinal, id=node_id
            )
        )
    return separator.join(members)


def endpoints(peers: Sequence[Peer], port: int) -> list[str]:
    """``host:port`` of every member, in ordinal order."""
    _check_port(port)
    return [f"{peer.host}:{port}" for peer in _in_order(peers)]


def etcd_initial_cluster(peers: Sequence[Peer], port: int, *, scheme: str = "http") -> str:
    """etcd ``--initial-cluster``: ``<name>=<scheme>://<host>:<port>,…``.

    The member name is the Pod name, so each Pod passes ``--name=$(POD_NAME)`` and advertises
    ``<scheme>://$(POD_NAME).<headless service DNS name>:<port>`` as its peer URL.
    """
    if scheme not in ("http", "https"):
        raise ValueError(f"scheme {scheme!r} must be 'http' or 'https'")
    template = ETCD_INITIAL_CLUSTER_TLS if scheme == "https" else ETCD_INITIAL_CLUSTER
    return format_members(peers, port, template)


def kafka_quorum_voters(peers: Sequence[Peer], port: int, *, node_id_offset: int = 0) -> str:
    """Kafka KRaft ``controller.quorum.voters``: ``<node.id>@<host>:<port>,…``.

    Each controller's ``node.id`` must be its ordinal plus ``node_id_offset``.
    """
    return format_members(peers, port, KAFKA_QUORUM_VOTERS, id_offset=node_id_offset)


def primary(peers: Sequence[Peer]) -> Peer | None:
    """The member with the lowest ordinal (the seed or primary), or None without members."""
    return min(peers, key=lambda p: p.ordinal, default=None)


def _in_order(peers: Sequence[Peer]) -> list[Peer]:
    return sorted(peers, key=lambda peer: peer.ordinal)


def _check_port(port: int) -> None:
    if not 1 <= port <= 65535:
        raise ValueError(f"port {port} must be between 1 and 65535")
