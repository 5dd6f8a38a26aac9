"""The DNS picture, derived from manifests alone."""

from __future__ import annotations

from typing import Any

from stateful_service_pair.render._dns import ClientService, StatefulSetDns, statefulset_dns
from stateful_service_pair.render._manifests import REDACTED
from stateful_service_pair.render._report import format_dns

LABELS = {"app": "db"}


def statefulset(**spec: Any) -> dict[str, Any]:
    base = {
        "serviceName": "db-headless",
        "replicas": 2,
        "selector": {"matchLabels": LABELS},
        "template": {"metadata": {"labels": LABELS}},
    }
    return {
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": {"name": "db", "namespace": "data"},
        "spec": {**base, **spec},
    }


def service(name: str, namespace: str = "data", **spec: Any) -> dict[str, Any]:
    base = {"selector": LABELS, "ports": [{"name": "pg", "port": 5432}]}
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {**base, **spec},
    }


HEADLESS = service("db-headless", clusterIP="None")
CLIENT = service("db")


def test_healthy_pair_gets_pod_srv_and_client_names() -> None:
    """A matching headless Service gives per-Pod and SRV names; the client Service its address."""
    [dns] = statefulset_dns([statefulset(), HEADLESS, CLIENT], "cluster.local")
    assert dns == StatefulSetDns(
        namespace="data",
        name="db",
        service_name="db-headless",
        pod_names=(
            "db-0.db-headless.data.svc.cluster.local",
            "db-1.db-headless.data.svc.cluster.local",
        ),
        srv_names=("_pg._tcp.db-headless.data.svc.cluster.local",),
        clients=(ClientService("data", "db", ("db.data.svc.cluster.local:5432",)),),
        warnings=(),
    )


def test_picture_lines() -> None:
    """The picture nests Pods and SRV under the headless Service, addresses under clients."""
    analyses = statefulset_dns([statefulset(), HEADLESS, CLIENT], "cluster.local")
    assert format_dns(analyses, "cluster.local") == [
        "DNS (cluster domain cluster.local):",
        "  StatefulSet data/db",
        "    headless Service data/db-headless",
        "      db-0.db-headless.data.svc.cluster.local",
        "      db-1.db-headless.data.svc.cluster.local",
        "      SRV _pg._tcp.db-headless.data.svc.cluster.local",
        "    client Service data/db",
        "      db.data.svc.cluster.local:5432",
    ]


def test_ordinals_start_and_cluster_domain_shift_names() -> None:
    """spec.ordinals.start shifts the ordinals; the cluster domain ends every name."""
    [dns] = statefulset_dns([statefulset(ordinals={"start": 5}), HEADLESS], "corp.example")
    assert dns.pod_names == (
        "db-5.db-headless.data.svc.corp.example",
        "db-6.db-headless.data.svc.corp.example",
    )


def test_replicas_default_to_one() -> None:
    """Without spec.replicas there is one Pod, ordinal 0."""
    sts = statefulset()
    del sts["spec"]["replicas"]
    [dns] = statefulset_dns([sts, HEADLESS], "cluster.local")
    assert dns.pod_names == ("db-0.db-headless.data.svc.cluster.local",)


def test_srv_names_only_for_named_ports_with_lowercase_protocol() -> None:
    """Unnamed ports get no SRV record; the protocol is lowercased."""
    headless = service(
        "db-headless",
        clusterIP="None",
        ports=[{"name": "gossip", "port": 7946, "protocol": "UDP"}, {"port": 9000}],
    )
    [dns] = statefulset_dns([statefulset(), headless], "cluster.local")
    assert dns.srv_names == ("_gossip._udp.db-headless.data.svc.cluster.local",)


def test_wrong_service_name_warns_and_lists_no_pod_names() -> None:
    """A serviceName that names no Service in the namespace is a warning, not Pod names."""
    elsewhere = service("db-headless", namespace="other", clusterIP="None")
    [dns] = statefulset_dns([statefulset(), elsewhere, CLIENT], "cluster.local")
    assert dns.warnings == (
        'spec.serviceName "db-headless" names no Service in namespace data, '
        "so the Pods get no DNS names",
    )
    assert dns.pod_names == ()
    assert format_dns([dns], "cluster.local") == [
        "DNS (cluster domain cluster.local):",
        "  StatefulSet data/db",
        '    WARNING: spec.serviceName "db-headless" names no Service in namespace data, '
        "so the Pods get no DNS names",
        "    client Service data/db",
        "      db.data.svc.cluster.local:5432",
    ]


def test_missing_service_name_warns() -> None:
    """A StatefulSet without spec.serviceName is warned about."""
    sts = statefulset()
    del sts["spec"]["serviceName"]
    [dns] = statefulset_dns([sts, HEADLESS], "cluster.local")
    assert dns.warnings == (
        "StatefulSet data/db sets no spec.serviceName, so its Pods get no DNS names",
    )


def test_governing_service_that_is_not_headless_warns() -> None:
    """A governing Service with a cluster IP gives no per-Pod names; it still serves clients."""
    [dns] = statefulset_dns([statefulset(), service("db-headless")], "cluster.local")
    assert dns.warnings == (
        "Service data/db-headless is not headless (spec.clusterIP is not None), "
        "so the Pods get no per-Pod DNS names",
    )
    assert dns.pod_names == ()
    assert dns.clients == (
        ClientService("data", "db-headless", ("db-headless.data.svc.cluster.local:5432",)),
    )


def test_selector_mismatch_warns() -> None:
    """A headless Service whose selector misses the Pod template labels is warned about."""
    headless = service("db-headless", clusterIP="None", selector={"app": "database"})
    [dns] = statefulset_dns([statefulset(), headless], "cluster.local")
    assert dns.warnings == (
        "Service data/db-headless selector app=database does not match the Pod template "
        "labels app=db, so the Pods get no DNS names",
    )


def test_headless_service_without_selector_warns() -> None:
    """A Service without a selector selects no Pods."""
    headless = service("db-headless", clusterIP="None", selector=None)
    del headless["spec"]["selector"]
    [dns] = statefulset_dns([statefulset(), headless], "cluster.local")
    assert dns.warnings == (
        "Service data/db-headless has no selector, so it selects no Pods and they get no DNS names",
    )


def test_clients_exclude_headless_external_and_other_namespaces() -> None:
    """Only cluster-IP Services in the namespace whose selector matches are clients."""
    manifests = [
        statefulset(),
        HEADLESS,
        CLIENT,
        service("db-ext", type="ExternalName", externalName="db.example.com"),
        service("db-copy", namespace="other"),
        service("cache", selector={"app": "cache"}),
        service("db-extra-headless", clusterIP="None"),
    ]
    [dns] = statefulset_dns(manifests, "cluster.local")
    assert [c.name for c in dns.clients] == ["db"]


def test_no_statefulsets() -> None:
    """Without StatefulSets the picture says so."""
    assert format_dns(statefulset_dns([CLIENT], "cluster.local"), "cluster.local") == [
        "DNS (cluster domain cluster.local):",
        "  no StatefulSets",
    ]


def test_a_redacted_service_name_is_not_reported_as_a_break() -> None:
    """A secret serviceName cannot be checked offline: one warning that says so, no names."""
    [dns] = statefulset_dns([statefulset(serviceName=REDACTED), HEADLESS, CLIENT], "cluster.local")
    assert dns.warnings == (
        "its name, namespace or spec.serviceName is a redacted secret, so the offline render "
        "cannot work out its DNS names",
    )
    assert (dns.pod_names, dns.srv_names) == ((), ())
