"""KubernetesMocks and StrictMockMonitor act like pulumi-kubernetes, the API server, the engine."""

from __future__ import annotations

import asyncio
import gc
import warnings
from pathlib import Path

import pulumi
import pulumi_kubernetes as k8s
import pytest
from pulumi.runtime.mocks import MockCallArgs
from stateful_service_pair.testing import (
    AlreadyExistsError,
    DuplicateUrnError,
    InvalidObjectError,
    KubernetesMocks,
    NotFoundError,
    run_stack_program,
    settle,
    use_kubernetes_mocks,
)
from stateful_service_pair.testing._wire_form import wrap_secret

from .helpers import storage_class


def test_unnamed_object_is_autonamed_from_its_logical_name() -> None:
    """An object without metadata.name gets `<logical>-<8 hex>` and the autonamed annotation."""
    mocks, _ = use_kubernetes_mocks()
    metadata, _ = settle(lambda: k8s.core.v1.ConfigMap("settings", data={"a": "b"}).metadata)

    expected_metadata = {
        "annotations": {"pulumi.com/autonamed": "true"},
        "name": "settings-d0bdc405",
        "namespace": "default",
    }
    assert metadata == expected_metadata
    [obj] = mocks.objects
    assert obj.manifest == {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": expected_metadata,
        "data": {"a": "b"},
    }


def test_autoname_is_the_same_in_every_run() -> None:
    """Auto-names come from a hash of the logical name, so a second run gives the same name."""
    names = []
    for _ in range(2):
        use_kubernetes_mocks()
        name, _ = settle(lambda: k8s.core.v1.ConfigMap("settings").metadata.name)
        names.append(name)
    assert names == ["settings-d0bdc405", "settings-d0bdc405"]


def test_given_name_is_kept_and_not_annotated() -> None:
    """An object with metadata.name keeps it and gets no autonamed annotation."""
    mocks, _ = use_kubernetes_mocks()
    metadata, _ = settle(lambda: k8s.core.v1.ConfigMap("cm", metadata={"name": "app"}).metadata)
    assert metadata == {"name": "app", "namespace": "default"}
    assert [obj.namespace for obj in mocks.objects] == ["default"]


def test_generate_name_is_completed_like_the_api_server() -> None:
    """metadata.generateName gets 5 characters appended and no Pulumi auto-name."""
    use_kubernetes_mocks()
    metadata, _ = settle(
        lambda: k8s.core.v1.ConfigMap("cm", metadata={"generate_name": "job-"}).metadata
    )
    assert metadata == {"generate_name": "job-", "name": "job-8b8p6", "namespace": "default"}


def test_default_provider_uses_default_namespace() -> None:
    """Without an explicit provider, a namespaced object lands in default_namespace."""
    use_kubernetes_mocks(default_namespace="prod")
    object_id, _ = settle(lambda: k8s.core.v1.Service("db", metadata={"name": "db"}).id)
    assert object_id == "prod/db"


def test_explicit_provider_namespace_wins_over_default_namespace() -> None:
    """An object created through a provider with `namespace` lands in that namespace."""
    mocks, _ = use_kubernetes_mocks(default_namespace="prod")

    def program() -> pulumi.Output[str]:
        team = k8s.Provider("team", namespace="team-a")
        opts = pulumi.ResourceOptions(provider=team)
        return k8s.core.v1.Service("db", metadata={"name": "db"}, opts=opts).id

    object_id, _ = settle(program)
    assert object_id == "team-a/db"
    assert [obj.namespace for obj in mocks.objects] == ["team-a"]


def test_explicit_provider_without_namespace_uses_kubeconfig_default() -> None:
    """A provider that sets no namespace does not read the default provider's namespace."""
    use_kubernetes_mocks(default_namespace="prod")

    def program() -> pulumi.Output[str]:
        plain = k8s.Provider("plain")
        opts = pulumi.ResourceOptions(provider=plain)
        return k8s.core.v1.Service("db", metadata={"name": "db"}, opts=opts).id

    assert settle(program) == ("default/db", False)


def test_given_namespace_wins_over_provider_namespace() -> None:
    """metadata.namespace set on the object is kept."""
    use_kubernetes_mocks(default_namespace="prod")
    object_id, _ = settle(
        lambda: k8s.core.v1.Service("db", metadata={"name": "db", "namespace": "staging"}).id
    )
    assert object_id == "staging/db"


def test_cluster_scoped_objects_get_no_namespace() -> None:
    """Namespace and ClusterRole have no namespace; a given one is dropped, like the API server."""
    mocks, _ = use_kubernetes_mocks(default_namespace="prod")

    def program() -> pulumi.Output[list[str]]:
        ns = k8s.core.v1.Namespace("ns", metadata={"name": "prod", "namespace": "x"})
        role = k8s.rbac.v1.ClusterRole("reader", metadata={"name": "reader"})
        return pulumi.Output.all(ns.id, role.id)

    assert settle(program) == (["prod", "reader"], False)
    assert sorted((obj.kind, obj.namespace) for obj in mocks.objects) == [
        ("ClusterRole", None),
        ("Namespace", None),
    ]


def test_inputs_arrive_in_wire_form() -> None:
    """The recorded manifest is wire form: camelCase keys and numbers as floats."""
    mocks, _ = use_kubernetes_mocks()
    settle(
        lambda: (
            k8s.core.v1.Service(
                "db",
                metadata={"name": "db"},
                spec={"cluster_ip": "None", "ports": [{"port": 5432}]},
            ).id
        )
    )
    assert mocks.objects[0].manifest["spec"] == {"clusterIP": "None", "ports": [{"port": 5432.0}]}


def test_duplicate_object_raises_already_exists() -> None:
    """Two resources creating one Service fail like the API server's AlreadyExists error."""
    use_kubernetes_mocks(default_namespace="prod")

    def program() -> None:
        k8s.core.v1.Service("db-a", metadata={"name": "db"})
        k8s.core.v1.Service("db-b", metadata={"name": "db"})

    with pytest.raises(AlreadyExistsError) as caught:
        settle(program)
    assert str(caught.value) == (
        'services "db" already exists in namespace "prod" '
        '(both resource "db-a" and resource "db-b" create it)'
    )


def test_duplicate_in_named_group_names_the_group() -> None:
    """For a kind outside the core group, the error names `<plural>.<group>` like the API server."""
    use_kubernetes_mocks()

    def program() -> None:
        for logical in ("a", "b"):
            k8s.apps.v1.StatefulSet(logical, metadata={"name": "db"}, spec={"selector": {}})

    with pytest.raises(AlreadyExistsError, match=r'^statefulsets\.apps "db" already exists in'):
        settle(program)


def test_same_name_in_other_namespace_or_kind_is_no_duplicate() -> None:
    """Objects differing in namespace or kind may share a name."""
    mocks, _ = use_kubernetes_mocks()

    def program() -> None:
        k8s.core.v1.Service("a", metadata={"name": "db", "namespace": "one"})
        k8s.core.v1.Service("b", metadata={"name": "db", "namespace": "two"})
        k8s.core.v1.ConfigMap("c", metadata={"name": "db", "namespace": "one"})

    settle(program)
    assert len(mocks.objects) == 3


def test_duplicate_urn_raises_like_the_engine() -> None:
    """Two resources with one type and logical name fail, as `pulumi up` would."""
    use_kubernetes_mocks(project="demo", stack="dev")

    def program() -> None:
        k8s.core.v1.Service("db", metadata={"name": "one"})
        k8s.core.v1.Service("db", metadata={"name": "two"})

    with pytest.raises(DuplicateUrnError) as caught:
        settle(program)
    assert str(caught.value) == (
        "Duplicate resource URN "
        "'urn:pulumi:dev::demo::kubernetes:core/v1:Service::db'; "
        "try giving it a unique name"
    )


def test_secret_inputs_stay_secret_and_are_located() -> None:
    """A secret input stays wrapped in the state (the output is secret) and its path is recorded."""
    mocks, _ = use_kubernetes_mocks()

    def program() -> pulumi.Output[dict[str, str]]:
        secret = k8s.core.v1.Secret(
            "creds",
            metadata={"name": "creds"},
            string_data={"password": pulumi.Output.secret("hunter2")},
        )
        return secret.string_data

    assert settle(program) == ({"password": "hunter2"}, True)
    [obj] = mocks.objects
    assert obj.secret_paths == (("stringData",),)
    assert obj.manifest["stringData"] == wrap_secret({"password": "hunter2"})


def test_a_nested_secret_input_stays_where_the_program_put_it() -> None:
    """A secret image is wrapped at the image, not around the whole spec, as the engine sees it."""
    mocks, _ = use_kubernetes_mocks()

    def program() -> pulumi.Output[str]:
        container = {"name": "db", "image": pulumi.Output.secret("repo/db:1")}
        sts = k8s.apps.v1.StatefulSet(
            "db",
            metadata={"name": "db"},
            spec={
                "service_name": "db-headless",
                "selector": {"match_labels": {"app": "db"}},
                "template": {
                    "metadata": {"labels": {"app": "db"}},
                    "spec": {"containers": [container]},
                },
            },
        )
        return sts.spec.service_name

    # The output side is per property, as in the SDK: spec came back with a secret in it.
    assert settle(program) == ("db-headless", True)
    [obj] = mocks.objects
    assert obj.secret_paths == (("spec", "template", "spec", "containers", 0, "image"),)
    assert obj.manifest["spec"]["serviceName"] == "db-headless"
    assert obj.manifest["spec"]["template"]["spec"]["containers"] == [
        {"name": "db", "image": wrap_secret("repo/db:1")}
    ]


def test_component_and_other_resources_are_echoed() -> None:
    """Component resources are registered but are no Kubernetes objects."""
    mocks, monitor = use_kubernetes_mocks(project="demo", stack="dev")

    class Pair(pulumi.ComponentResource):
        def __init__(self, name: str) -> None:
            super().__init__("demo:index:Pair", name)
            k8s.core.v1.ConfigMap(
                f"{name}-cm", metadata={"name": name}, opts=pulumi.ResourceOptions(parent=self)
            )

    settle(lambda: Pair("x").urn)
    assert [obj.logical_name for obj in mocks.objects] == ["x-cm"]
    assert sorted(monitor.get_registered_resources()) == [
        "urn:pulumi:dev::demo::demo:index:Pair$kubernetes:core/v1:ConfigMap::x-cm",
        "urn:pulumi:dev::demo::demo:index:Pair::x",
    ]


def test_yaml_decode_call_feeds_config_group() -> None:
    """`kubernetes:yaml:decode` is answered, so yaml.ConfigGroup creates its objects."""
    mocks, _ = use_kubernetes_mocks(default_namespace="prod")
    manifest = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\ndata:\n  k: v\n"
    settle(lambda: k8s.yaml.ConfigGroup("group", yaml=[manifest]).urn)
    assert [(obj.kind, obj.namespace, obj.name) for obj in mocks.objects] == [
        ("ConfigMap", "prod", "from-yaml")
    ]


def test_unknown_call_returns_empty() -> None:
    """Functions the mocks do not know return an empty result instead of failing."""
    assert KubernetesMocks().call(MockCallArgs("kubernetes:x:unknown", {}, "")) == ({}, [])


def test_each_install_starts_from_scratch() -> None:
    """A new install forgets the previous objects, config, secret keys and stack exports."""
    mocks, _ = use_kubernetes_mocks(
        config={"project:level": "debug"}, secret_keys=["project:level"]
    )
    settle(lambda: k8s.core.v1.ConfigMap("settings", metadata={"name": "a"}).id)
    pulumi.export("leftover", "x")
    assert pulumi.Config("project").get("level") == "debug"

    fresh, _ = use_kubernetes_mocks()
    assert fresh.objects == []
    assert pulumi.Config("project").get("level") is None
    assert pulumi.runtime.is_config_secret("project:level") is False
    root = pulumi.runtime.settings.get_root_resource()
    assert root is not None and root.outputs == {}  # type: ignore[attr-defined]
    # The first install's mocks still know what they created: nothing is shared.
    assert len(mocks.objects) == 1


def test_worker_threads_keep_no_unclosed_event_loop() -> None:
    """Monitor calls on the SDK's worker threads leave no unclosed event loop behind."""
    use_kubernetes_mocks()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        settle(lambda: k8s.core.v1.ConfigMap("cm").id)
        loop = asyncio.get_event_loop()
        loop.run_until_complete(loop.shutdown_default_executor())  # the worker threads end
        gc.collect()
    assert [str(w.message) for w in caught if w.category is ResourceWarning] == []


def _statefulset(
    name: str,
    containers: list[dict[str, object]],
    volumes: list[dict[str, object]] | None = None,
    **spec: object,
) -> None:
    pod: dict[str, object] = {"containers": containers, "volumes": volumes or []}
    k8s.apps.v1.StatefulSet(
        name,
        metadata={"name": name},
        spec={
            "serviceName": name,
            "selector": {"matchLabels": {"app": name}},
            "template": {"metadata": {"labels": {"app": name}}, "spec": pod},
            **spec,
        },
    )


def test_mount_of_a_missing_volume_is_invalid_like_the_api_server() -> None:
    """A volume mount that names no volume or claim template fails with the API's wording."""
    use_kubernetes_mocks()

    def program() -> None:
        _statefulset(
            "db",
            [
                {
                    "name": "db",
                    "image": "db:1",
                    "volumeMounts": [{"name": "data", "mountPath": "/data"}],
                }
            ],
        )

    with pytest.raises(InvalidObjectError) as caught:
        settle(program)
    assert str(caught.value) == (
        'StatefulSet.apps "db" is invalid: '
        'spec.template.spec.containers[0].volumeMounts[0].name: Not found: "data"'
    )


def test_claim_templates_and_volumes_satisfy_mounts() -> None:
    """Mounts of a claim template or a Pod volume are accepted."""
    mocks, _ = use_kubernetes_mocks()

    def program() -> None:
        _statefulset(
            "db",
            [
                {
                    "name": "db",
                    "image": "db:1",
                    "volumeMounts": [
                        {"name": "data", "mountPath": "/data"},
                        {"name": "tmp", "mountPath": "/tmp"},
                    ],
                }
            ],
            volumes=[{"name": "tmp", "emptyDir": {}}],
            volumeClaimTemplates=[{"metadata": {"name": "data"}}],
        )

    settle(program)
    assert [obj.name for obj in mocks.objects] == ["db"]


def test_repeated_mount_paths_and_port_names_are_invalid() -> None:
    """Two mounts at one path, or two ports with one name, are rejected field by field."""
    use_kubernetes_mocks()
    container = {
        "name": "db",
        "image": "db:1",
        "volumeMounts": [{"name": "a", "mountPath": "/data"}, {"name": "b", "mountPath": "/data"}],
        "ports": [{"name": "db", "containerPort": 1}, {"name": "db", "containerPort": 2}],
    }

    def program() -> None:
        k8s.apps.v1.Deployment(
            "web",
            metadata={"name": "web"},
            spec={
                "selector": {"matchLabels": {"app": "web"}},
                "template": {
                    "metadata": {"labels": {"app": "web"}},
                    "spec": {
                        "containers": [container],
                        "volumes": [{"name": "a", "emptyDir": {}}, {"name": "b", "emptyDir": {}}],
                    },
                },
            },
        )

    with pytest.raises(InvalidObjectError) as caught:
        settle(program)
    assert str(caught.value) == (
        'Deployment.apps "web" is invalid: '
        'spec.template.spec.containers[0].volumeMounts[1].mountPath: Invalid value: "/data": '
        "must be unique, "
        'spec.template.spec.containers[0].ports[1].name: Duplicate value: "db"'
    )


def test_repeated_volume_and_container_names_are_invalid() -> None:
    """Two volumes or two containers with one name are rejected like the API server does."""
    use_kubernetes_mocks()

    def program() -> None:
        _statefulset(
            "db",
            [{"name": "db", "image": "db:1"}, {"name": "db", "image": "agent:1"}],
            volumes=[{"name": "tmp", "emptyDir": {}}, {"name": "tmp", "emptyDir": {}}],
        )

    with pytest.raises(InvalidObjectError) as caught:
        settle(program)
    assert str(caught.value) == (
        'StatefulSet.apps "db" is invalid: '
        'spec.template.spec.volumes[1].name: Duplicate value: "tmp", '
        'spec.template.spec.containers[1].name: Duplicate value: "db"'
    )


def test_a_rejected_object_leaves_no_recorded_options() -> None:
    """Options are recorded only for registrations the mocks accepted."""
    _, monitor = use_kubernetes_mocks()

    def program() -> None:
        _statefulset(
            "db",
            [{"name": "db", "image": "db:1", "volumeMounts": [{"name": "x", "mountPath": "/x"}]}],
        )

    with pytest.raises(InvalidObjectError):
        settle(program)
    assert [urn for urn in monitor.options if "StatefulSet" in urn] == []


def test_a_read_returns_what_the_emulated_cluster_holds_and_nothing_else() -> None:
    """`Resource.get` finds an object given in `existing` (by the id the provider reports, a
    namespaced one as `<namespace>/<name>`); any other read raises NotFoundError."""
    fast = storage_class("fast", allowVolumeExpansion=True)
    settings_map = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "settings", "namespace": "apps"},
        "data": {"mode": "cluster"},
    }
    mocks, _ = use_kubernetes_mocks(existing=[fast, settings_map])
    allowed, _ = settle(
        lambda: k8s.storage.v1.StorageClass.get("fast", "fast").allow_volume_expansion
    )
    assert allowed is True
    data, _ = settle(lambda: k8s.core.v1.ConfigMap.get("settings", "apps/settings").data)
    assert data == {"mode": "cluster"}
    assert mocks.objects == []  # a read creates nothing

    use_kubernetes_mocks(existing=[fast])
    with pytest.raises(NotFoundError, match="StorageClass 'slow' is not in this emulated cluster"):
        settle(lambda: k8s.storage.v1.StorageClass.get("slow", "slow").provisioner)
    with pytest.raises(NotFoundError, match="ConfigMap 'apps/settings'"):
        settle(lambda: k8s.core.v1.ConfigMap.get("settings", "apps/settings").data)


def test_run_stack_program_gives_the_program_its_cluster_objects() -> None:
    """A stack program whose pair reads a StorageClass runs when the test gives the class,
    and fails naming what is missing when it does not."""
    main = Path(__file__).parent / "programs" / "expand_pair" / "__main__.py"
    fast = storage_class("fast", allowVolumeExpansion=True)
    run = run_stack_program(main, project="expand-pair", existing=[fast])
    annotations = run.manifest("StatefulSet", "ledger")["metadata"]["annotations"]
    assert annotations["stateful-service-pair/claim-size"] == "20Gi"
    with pytest.raises(NotFoundError, match="StorageClass 'fast'"):
        run_stack_program(main, project="expand-pair")


def test_an_objects_manifest_is_the_state_the_monitor_records_not_a_copy() -> None:
    """One dict per object for the mocks and the monitor (a large render keeps thousands)."""
    mocks, monitor = use_kubernetes_mocks()
    settle(lambda: k8s.core.v1.ConfigMap("cm", data={"a": "b"}).urn)

    [created] = mocks.objects
    [registration] = [r for r in monitor.resources.values() if r.urn.endswith("::cm")]
    assert created.manifest is registration.state
