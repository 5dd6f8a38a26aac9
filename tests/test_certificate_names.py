"""Short per-Pod names and the names a TLS certificate must cover (issue 14, item 6)."""

from typing import Any

import pulumi
from stateful_service_pair import StatefulServicePair, dns
from stateful_service_pair._certificates import tls_dns_names
from stateful_service_pair._preview import unknown
from stateful_service_pair.testing import KubernetesMocks

from .helpers import ETCD_ARGS, ETCD_POD_SHORT_DNS_NAMES, ETCD_TLS_DNS_NAMES

MYSQL: dict[str, Any] = {"image": "mysql:8.0", "ports": [{"name": "mysql", "port": 3306}]}

DB_TLS_NAMES = [
    "db-0.db-headless.prod.svc.cluster.local",
    "db-0.db-headless.prod.svc",
    "db-1.db-headless.prod.svc.cluster.local",
    "db-1.db-headless.prod.svc",
    "*.db-headless.prod.svc.cluster.local",
    "*.db-headless.prod.svc",
    "db-headless.prod.svc.cluster.local",
    "db-headless.prod.svc",
    "db-headless.prod",
    "db-headless",
    "db.prod.svc.cluster.local",
    "db.prod.svc",
    "db.prod",
    "db",
]


def test_pod_short_names_leave_out_the_cluster_domain() -> None:
    """`<pod>.<headless>.<namespace>.svc`, in the order of the Pod names given."""
    assert dns.pod_short_names(["db-1", "db-2"], "peers", "infra") == [
        "db-1.peers.infra.svc",
        "db-2.peers.infra.svc",
    ]


def test_tls_names_list_pods_wildcards_and_both_services_once() -> None:
    """Full and short Pod names, both wildcards, then each Service's four names, no repeats."""
    names = tls_dns_names(
        pod_dns_names=[f"db-{i}.db-headless.prod.svc.cluster.local" for i in range(2)],
        pod_short_dns_names=[f"db-{i}.db-headless.prod.svc" for i in range(2)],
        headless_service_name="db-headless",
        client_service_name="db",
        namespace="prod",
        cluster_domain="cluster.local",
        other_service_names=["db"],
    )
    assert names == DB_TLS_NAMES


def test_pair_exports_short_and_tls_names(mocks: KubernetesMocks) -> None:
    """The component's outputs, with the default domain and a given namespace."""

    @pulumi.runtime.test
    async def run() -> None:
        pair = StatefulServicePair("db", {**MYSQL, "replicas": 2, "namespace": "prod"})
        assert await pair.pod_short_dns_names.future() == [
            "db-0.db-headless.prod.svc",
            "db-1.db-headless.prod.svc",
        ]
        assert await pair.tls_dns_names.future() == DB_TLS_NAMES

    run()


def test_names_follow_domain_ordinals_and_names(mocks: KubernetesMocks) -> None:
    """Custom domain, ordinals start and object names reach the short and TLS names."""

    @pulumi.runtime.test
    async def run() -> None:
        pair = StatefulServicePair("etcd", ETCD_ARGS)
        assert await pair.pod_short_dns_names.future() == ETCD_POD_SHORT_DNS_NAMES
        assert await pair.tls_dns_names.future() == ETCD_TLS_DNS_NAMES

    run()


def test_names_with_no_replicas_still_cover_the_services(mocks: KubernetesMocks) -> None:
    """Zero replicas: no Pod names, but the wildcards and Service names remain."""

    @pulumi.runtime.test
    async def run() -> None:
        pair = StatefulServicePair("db", {**MYSQL, "replicas": 0, "namespace": "prod"})
        assert await pair.pod_short_dns_names.future() == []
        assert await pair.tls_dns_names.future() == DB_TLS_NAMES[4:]

    run()


def test_new_names_stay_known_when_the_image_is_unknown(mocks: KubernetesMocks) -> None:
    """Made of the pair's own fields: known and plain at a preview that cannot know the image."""

    @pulumi.runtime.test
    async def run() -> None:
        pair = StatefulServicePair("db", {**MYSQL, "image": unknown(), "namespace": "prod"})
        for output in (pair.pod_short_dns_names, pair.tls_dns_names):
            assert await output.is_known()
            assert not await output.is_secret()
        assert await pair.pod_short_dns_names.future() == ["db-0.db-headless.prod.svc"]

    run()
