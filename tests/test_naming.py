"""The naming rules and DNS helpers, as pure functions."""

import pytest
from stateful_service_pair import _naming as naming
from stateful_service_pair import dns


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("db", None),
        ("a" * 52, None),
        ("a" * 53, "at most 52 characters"),
        ("Db", "RFC 1123 label"),
        ("db.main", "RFC 1123 label"),
        ("-db", "RFC 1123 label"),
        ("0db", None),
    ],
)
def test_stateful_set_name_rules(name: str, expected: str | None) -> None:
    """StatefulSet names are DNS labels of at most 52 characters."""
    problem = naming.stateful_set_name_problem(name)
    if expected is None:
        assert problem is None
    else:
        assert problem is not None and expected in problem


@pytest.mark.parametrize(
    ("name", "ok"),
    [("web", True), ("a" * 63, True), ("a" * 64, False), ("0web", False), ("web-", False)],
)
def test_service_names_are_rfc1035_labels(name: str, ok: bool) -> None:
    """Service names start with a letter and hold at most 63 characters."""
    assert (naming.dns1035_label_problem(name) is None) is ok


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("mysql", True),
        ("http-admin", True),
        ("a" * 15, True),
        ("a" * 16, False),
        ("http--admin", False),
        ("-http", False),
        ("8080", False),
        ("HTTP", False),
    ],
)
def test_port_names_follow_iana_svc_name(name: str, ok: bool) -> None:
    """Port names are IANA service names: 15 characters, one letter, no doubled dash."""
    assert (naming.port_name_problem(name) is None) is ok


@pytest.mark.parametrize(
    ("domain", "ok"),
    [
        ("cluster.local", True),
        ("k8s.example.org", True),
        ("cluster.local.", False),
        ("Cluster.local", False),
        ("cluster..local", False),
    ],
)
def test_cluster_domain_rules(domain: str, ok: bool) -> None:
    """A cluster domain is dot-separated DNS labels without a trailing dot."""
    assert (naming.cluster_domain_problem(domain) is None) is ok


def test_pod_names_honour_ordinals_start() -> None:
    """Pods are numbered from spec.ordinals.start."""
    assert dns.pod_names("kafka", 3, ordinals_start=5) == ["kafka-5", "kafka-6", "kafka-7"]
    assert dns.pod_names("kafka", 0) == []


def test_pod_fqdns_and_srv_records() -> None:
    """Per-Pod names hang under the headless Service; SRV names carry the lowercase protocol."""
    assert dns.pod_fqdns(["db-0", "db-1"], "db-headless", "prod", "k8s.example.org") == [
        "db-0.db-headless.prod.svc.k8s.example.org",
        "db-1.db-headless.prod.svc.k8s.example.org",
    ]
    assert (
        dns.srv_record("dns", "UDP", "db-headless.prod.svc.cluster.local")
        == "_dns._udp.db-headless.prod.svc.cluster.local"
    )


@pytest.mark.parametrize(
    ("key", "ok"),
    [
        ("team", True),
        ("example.com/team", True),
        ("Example.com/team", False),
        ("team/", False),
        ("a" * 64, False),
    ],
)
def test_label_keys(key: str, ok: bool) -> None:
    """Label keys are an optional DNS-subdomain prefix and a name of at most 63 characters."""
    assert (naming.label_key_problem(key) is None) is ok
