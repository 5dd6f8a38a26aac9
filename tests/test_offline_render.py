"""End to end, in-process: run the test programs and check manifests, summary and outputs."""

from __future__ import annotations

import gc
import inspect
import os
import sys
import warnings
from pathlib import Path
from typing import Any

import pulumi
import pytest
import yaml
from stateful_service_pair.render import RenderError, Rendering, StackOutput, render
from stateful_service_pair.render._manifests import HEADER, REDACTED, REDACTED_NOTE, redacted_paths

PROGRAMS = Path(__file__).parent / "programs"
STATEFULSET = PROGRAMS / "statefulset"
SECRET_IMAGE = PROGRAMS / "secret_image"
IMAGE = "registry.example.com/team/mysql:8.4.2"
# What `kubectl apply -f DIR` reads from a directory: files whose filepath.Ext is one of these
# (k8s.io/cli-runtime pkg/resource: FileExtensions in builder.go, ignoreFile in visitor.go).
# Python's Path.suffix is the same last extension: ".redacted" for "x.yaml.redacted".
KUBECTL_DIRECTORY_EXTENSIONS = (".json", ".yaml", ".yml")

MYSQL_PORT = {"name": "mysql", "port": 3306, "targetPort": 3306}
# As pulumi-kubernetes renders them: the provider's namespace (`db`, from kubernetes:namespace)
# written into objects where the program set none.
EXPECTED_STATEFULSET_MANIFESTS = (
    {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "mysql", "namespace": "db"},
        "spec": {"ports": [MYSQL_PORT], "selector": {"app": "mysql"}},
    },
    {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "mysql-headless", "namespace": "db"},
        "spec": {
            "clusterIP": "None",
            "ports": [MYSQL_PORT],
            "publishNotReadyAddresses": True,
            "selector": {"app": "mysql"},
        },
    },
    {
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": {"name": "mysql", "namespace": "db"},
        "spec": {
            "ordinals": {"start": 0},
            "replicas": 2,
            "selector": {"matchLabels": {"app": "mysql"}},
            "serviceName": "mysql-headless",
            "template": {
                "metadata": {"labels": {"app": "mysql"}},
                "spec": {
                    "containers": [
                        {
                            "image": "mysql:8.4",
                            "name": "mysql",
                            "ports": [{"containerPort": 3306, "name": "mysql"}],
                        }
                    ]
                },
            },
        },
    },
)


def test_statefulset_program_renders_exact_manifests(tmp_path: Path) -> None:
    """The objects are rendered with stack-config namespace, ints as ints, in apply order."""
    rendering = render(STATEFULSET, out_dir=tmp_path)
    assert rendering.manifests == EXPECTED_STATEFULSET_MANIFESTS
    assert [p.name for p in rendering.files] == [
        "000-service-db-mysql.yaml",
        "001-service-db-mysql-headless.yaml",
        "002-statefulset-db-mysql.yaml",
    ]
    on_disk = tuple(yaml.safe_load(p.read_text()) for p in rendering.files)
    assert on_disk == EXPECTED_STATEFULSET_MANIFESTS
    replicas = on_disk[2]["spec"]["replicas"]
    assert type(replicas) is int


def test_statefulset_program_summary(tmp_path: Path) -> None:
    """The summary lists objects, the DNS picture and the stack outputs, exactly."""
    rendering = render(STATEFULSET, out_dir=tmp_path)
    assert rendering.summary.splitlines() == [
        f"Rendered 3 objects to {tmp_path}:",
        "  Service db/mysql",
        "  Service db/mysql-headless",
        "  StatefulSet db/mysql",
        "",
        "DNS (cluster domain cluster.local):",
        "  StatefulSet db/mysql",
        "    headless Service db/mysql-headless",
        "      mysql-0.mysql-headless.db.svc.cluster.local",
        "      mysql-1.mysql-headless.db.svc.cluster.local",
        "      SRV _mysql._tcp.mysql-headless.db.svc.cluster.local",
        "    client Service db/mysql",
        "      mysql.db.svc.cluster.local:3306",
        "",
        "Stack outputs:",
        "  clientHost: mysql.db.svc",
        "  replicas: 2",
    ]
    assert rendering.outputs == {
        "clientHost": StackOutput("mysql.db.svc", secret=False),
        "replicas": StackOutput(2, secret=False),
    }


def test_config_flags_and_cluster_domain_reach_the_program(tmp_path: Path) -> None:
    """--config values (with and without prefix) and the cluster domain change the picture."""
    rendering = render(
        STATEFULSET,
        out_dir=tmp_path,
        config_flags=["replicas=1", "sts-demo:ordinalStart=3", "kubernetes:namespace=prod"],
        cluster_domain="corp.example",
    )
    dns = rendering.summary.split("\n\n")[1].splitlines()
    assert dns == [
        "DNS (cluster domain corp.example):",
        "  StatefulSet prod/mysql",
        "    headless Service prod/mysql-headless",
        "      mysql-3.mysql-headless.prod.svc.corp.example",
        "      SRV _mysql._tcp.mysql-headless.prod.svc.corp.example",
        "    client Service prod/mysql",
        "      mysql.prod.svc.corp.example:3306",
    ]


@pytest.mark.parametrize(
    ("flags", "warning"),
    [
        (
            ["governingService=mysql-hl"],
            '    WARNING: spec.serviceName "mysql-hl" names no Service in namespace db, '
            "so the Pods get no DNS names",
        ),
        (
            ["headlessClusterIP=10.0.0.9"],
            "    WARNING: Service db/mysql-headless is not headless (spec.clusterIP is not None), "
            "so the Pods get no per-Pod DNS names",
        ),
        (
            ["headlessSelectorApp=mariadb"],
            "    WARNING: Service db/mysql-headless selector app=mariadb does not match the Pod "
            "template labels app=mysql, so the Pods get no DNS names",
        ),
    ],
)
def test_broken_pairings_warn_in_the_picture(
    tmp_path: Path, flags: list[str], warning: str
) -> None:
    """A wrong serviceName, a non-headless or a non-matching Service is a WARNING line."""
    summary = render(STATEFULSET, out_dir=tmp_path, config_flags=flags).summary
    dns = summary.split("\n\n")[1].splitlines()
    assert dns[1:3] == ["  StatefulSet db/mysql", warning]
    assert not any(line.startswith("      mysql-0.") for line in dns)


def test_render_is_deterministic(tmp_path: Path) -> None:
    """Two renders produce byte-identical files and summaries."""
    first = render(PROGRAMS / "autonamed", out_dir=tmp_path / "a")
    second = render(PROGRAMS / "autonamed", out_dir=tmp_path / "b")
    assert first.summary.replace(str(tmp_path / "a"), "") == second.summary.replace(
        str(tmp_path / "b"), ""
    )
    assert [p.read_bytes() for p in first.files] == [p.read_bytes() for p in second.files]
    assert [p.name for p in first.files] == [p.name for p in second.files]


def test_autonaming_and_provider_namespaces(tmp_path: Path) -> None:
    """Unnamed objects are auto-named; the explicit provider's namespace and default apply."""
    rendering = render(PROGRAMS / "autonamed", out_dir=tmp_path)
    autonamed = {"pulumi.com/autonamed": "true"}
    assert rendering.manifests == (
        {
            "apiVersion": "v1",
            "kind": "Namespace",
            "metadata": {"annotations": autonamed, "name": "scratch-ac65e5d2"},
        },
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {
                "annotations": autonamed,
                "labels": {"team": "a"},
                "name": "defaults-f78d8768",
                "namespace": "default",
            },
            "data": {"level": "info"},
        },
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {
                "annotations": autonamed,
                "name": "settings-d0bdc405",
                "namespace": "team-a",
            },
            "data": {"replicas": "3"},
        },
    )
    assert rendering.outputs == {
        "defaultConfigMapId": StackOutput("default/defaults-f78d8768", secret=False),
        "namespaceName": StackOutput("scratch-ac65e5d2", secret=False),
        "teamConfigMap": StackOutput("team-a/settings-d0bdc405", secret=False),
    }


def test_secrets_never_reach_files_or_summary(tmp_path: Path) -> None:
    """A secret from --config is redacted in every file, and printed as [secret]."""
    secret = "hunter2-correct-horse"
    rendering = render(
        PROGRAMS / "secret_config", out_dir=tmp_path, config_flags=[f"password={secret}"]
    )
    assert rendering.manifests[0]["stringData"] == {"password": REDACTED, "username": REDACTED}
    assert rendering.manifests[1]["data"] == {"dsn": REDACTED}
    assert rendering.outputs["password"] == StackOutput(secret, secret=True)
    assert "  password: [secret]" in rendering.summary.splitlines()
    assert secret not in rendering.summary
    for path in tmp_path.iterdir():
        assert secret not in path.read_text()


def test_undecryptable_secret_gets_a_secret_placeholder(tmp_path: Path) -> None:
    """An encrypted stack value runs as a placeholder, which is secret and redacted too."""
    rendering = render(PROGRAMS / "secret_config", out_dir=tmp_path)
    placeholder = (
        "[secret password: encrypted in Pulumi.dev.yaml, not decryptable offline; "
        "pass --config password=...]"
    )
    assert rendering.outputs["password"] == StackOutput(placeholder, secret=True)
    assert rendering.outputs["username"] == StackOutput("app", secret=False)
    outputs = rendering.summary.split("\n\n")[2]
    assert outputs == "Stack outputs:\n  password: [secret]\n  username: app"
    assert all("encrypted in" not in p.read_text() for p in rendering.files)


def test_stale_files_of_an_earlier_render_are_removed(tmp_path: Path) -> None:
    """Rendering another program into the same directory leaves only its own files."""
    render(PROGRAMS / "autonamed", out_dir=tmp_path)
    (tmp_path / "kept.yaml").write_text("kind: Foreign\n")
    rendering = render(STATEFULSET, out_dir=tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [p.name for p in rendering.files] + ["kept.yaml"]
    )
    assert all(p.read_text().startswith(HEADER) for p in rendering.files)


def test_program_exception_is_one_line_with_type(tmp_path: Path) -> None:
    """An exception at the top of the program names the file, its type and message."""
    with pytest.raises(RenderError) as caught:
        render(PROGRAMS / "raises", out_dir=tmp_path)
    main = PROGRAMS / "raises" / "__main__.py"
    assert (
        str(caught.value)
        == f"program {main} failed: ValueError: replicas must be at least 1, got 0"
    )


def test_exception_inside_apply_is_not_lost(tmp_path: Path) -> None:
    """An exception raised in an apply callback fails the render."""
    with pytest.raises(
        RenderError, match=r"failed: RuntimeError: storage class fast-ssd not found$"
    ):
        render(PROGRAMS / "raises", out_dir=tmp_path, config_flags=["where=apply"])


def test_bad_config_value_is_reported(tmp_path: Path) -> None:
    """A config value the program cannot parse is a ConfigTypeError line."""
    with pytest.raises(RenderError) as caught:
        render(PROGRAMS / "bad_config", out_dir=tmp_path, config_flags=["replicas=abc"])
    assert str(caught.value).endswith(
        "failed: ConfigTypeError: "
        "Configuration 'bad-config:replicas' value 'abc' is not a valid 'int'"
    )


def test_duplicate_object_fails_like_the_api_server(tmp_path: Path) -> None:
    """Two resources creating one Service fail the render with the AlreadyExists wording."""
    with pytest.raises(RenderError) as caught:
        render(PROGRAMS / "duplicate", out_dir=tmp_path)
    assert str(caught.value).endswith(
        'failed: AlreadyExistsError: services "db" already exists in namespace "prod" '
        '(both resource "db-primary" and resource "db-replica" create it)'
    )
    assert list(tmp_path.iterdir()) == []


def test_failed_run_does_not_break_the_next(tmp_path: Path) -> None:
    """After failing programs, a good program renders normally in the same process."""
    for program in ("raises", "duplicate", "bad_config"):
        with pytest.raises(RenderError):
            render(PROGRAMS / program, out_dir=None, config_flags=["replicas=x"])
    assert render(STATEFULSET, out_dir=None).manifests == EXPECTED_STATEFULSET_MANIFESTS


def test_process_state_is_restored(tmp_path: Path) -> None:
    """cwd, sys.path, sys.argv, modules, Output.secret and the caller's config are restored."""
    pulumi.runtime.set_all_config({"outer:key": "kept"}, [])
    cwd, path, argv = os.getcwd(), list(sys.path), list(sys.argv)
    output_secret = inspect.getattr_static(pulumi.Output, "secret")
    render(PROGRAMS / "autonamed", out_dir=tmp_path)
    assert (os.getcwd(), sys.path, sys.argv) == (cwd, path, argv)
    assert inspect.getattr_static(pulumi.Output, "secret") is output_secret
    assert "shared_labels" not in sys.modules
    assert pulumi.Config("outer").get("key") == "kept"


def test_secret_in_an_error_message_is_scrubbed(tmp_path: Path) -> None:
    """A program error that quotes a secret config value shows [secret] instead."""
    flags = ["password=hunter2-correct-horse", "failWithSecret=true"]
    with pytest.raises(RenderError) as caught:
        render(PROGRAMS / "secret_config", out_dir=tmp_path, config_flags=flags)
    assert str(caught.value).endswith(
        "failed: ConnectionError: cannot log in as app with password [secret]"
    )


def test_file_main_runs_in_the_project_directory_with_siblings_importable(tmp_path: Path) -> None:
    """A `main:` file runs with the project as cwd and its own directory on sys.path."""
    project = tmp_path / "proj"
    (project / "src").mkdir(parents=True)
    (project / "Pulumi.yaml").write_text("name: filemain\nruntime: python\nmain: src/program.py\n")
    (project / "src" / "helper_for_file_main.py").write_text("NAME = 'from-helper'\n")
    (project / "src" / "program.py").write_text(
        "import os\nimport pulumi\nfrom helper_for_file_main import NAME\n"
        "pulumi.export('cwd', os.getcwd())\npulumi.export('name', NAME)\n"
    )
    rendering = render(project, out_dir=None)
    assert rendering.outputs == {
        "cwd": StackOutput(str(project.resolve()), secret=False),
        "name": StackOutput("from-helper", secret=False),
    }
    assert "helper_for_file_main" not in sys.modules


def test_missing_required_config_says_which_flag_to_pass(tmp_path: Path) -> None:
    """The SDK's two-line ConfigMissingError becomes one line that names the --config flag."""
    (tmp_path / "Pulumi.yaml").write_text("name: needs\nruntime: python\n")
    (tmp_path / "__main__.py").write_text("import pulumi\npulumi.Config().require('image')\n")
    with pytest.raises(RenderError) as caught:
        render(tmp_path, out_dir=None)
    assert str(caught.value) == (
        f"program {tmp_path}/__main__.py failed: ConfigMissingError: Missing required "
        "configuration variable 'needs:image'; pass --config image=..."
    )


def test_multi_line_exception_message_becomes_one_line(tmp_path: Path) -> None:
    """A program exception with a multi-line message is reported on one line."""
    (tmp_path / "Pulumi.yaml").write_text("name: multi\nruntime: python\n")
    (tmp_path / "__main__.py").write_text("raise ValueError('first line\\n\\tsecond line')\n")
    with pytest.raises(RenderError) as caught:
        render(tmp_path, out_dir=None)
    assert str(caught.value).endswith("failed: ValueError: first line second line")


def test_render_leaves_no_unclosed_event_loop(tmp_path: Path) -> None:
    """The event loop a render uses is closed, failed run or not."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        render(STATEFULSET, out_dir=None)
        with pytest.raises(RenderError):
            render(PROGRAMS / "duplicate", out_dir=None)
        gc.collect()
    assert [str(w.message) for w in caught if w.category is ResourceWarning] == []


def test_pulumi_run_entrypoint_outputs_are_exported(tmp_path: Path) -> None:
    """A program using `pulumi.run(main)` gets its returned mapping exported, like `pulumi up`."""
    (tmp_path / "Pulumi.yaml").write_text("name: asyncprog\nruntime: python\n")
    (tmp_path / "__main__.py").write_text(
        "import pulumi\n\n"
        "async def main():\n"
        "    return {'fromRun': 'yes'}\n\n"
        "pulumi.export('direct', 1)\n"
        "pulumi.run(main)\n"
    )
    assert render(tmp_path, out_dir=None).outputs == {
        "direct": StackOutput(1, secret=False),
        "fromRun": StackOutput("yes", secret=False),
    }


# ---------------------------------------------------------------- a secret inside an object


def render_secret_image(out_dir: Path | None, shape: str = "objects") -> Rendering:
    """Render the secret_image program with the image given as --config (not declared secret)."""
    return render(SECRET_IMAGE, out_dir=out_dir, config_flags=[f"image={IMAGE}", f"shape={shape}"])


def statefulset_of(rendering: Rendering) -> dict[str, Any]:
    [sts] = [m for m in rendering.manifests if m["kind"] == "StatefulSet"]
    return sts


def test_a_secret_image_hides_only_the_image() -> None:
    """Every other StatefulSet field keeps its real value: replicas an int, the real serviceName."""
    sts = statefulset_of(render_secret_image(None))
    replicas = sts["spec"]["replicas"]
    assert (replicas, type(replicas)) == (2, int)
    assert sts["spec"]["serviceName"] == "mysql-headless"
    assert sts["spec"]["selector"] == {"matchLabels": {"app.kubernetes.io/instance": "mysql"}}
    [container] = sts["spec"]["template"]["spec"]["containers"]
    assert container["image"] == REDACTED
    assert container["ports"] == [{"containerPort": 3306, "name": "mysql", "protocol": "TCP"}]
    assert redacted_paths(sts) == ["spec.template.spec.containers[0].image"]


def test_a_secret_image_leaves_the_dns_picture_whole() -> None:
    """No false serviceName warning: the Pods' names are worked out as without a secret."""
    dns = render_secret_image(None).summary.split("\n\n")[1].splitlines()
    assert dns == [
        "DNS (cluster domain cluster.local):",
        "  StatefulSet db/mysql",
        "    headless Service db/mysql-headless",
        "      mysql-0.mysql-headless.db.svc.cluster.local",
        "      mysql-1.mysql-headless.db.svc.cluster.local",
        "      SRV _mysql._tcp.mysql-headless.db.svc.cluster.local",
        "    client Service db/mysql",
        "      mysql.db.svc.cluster.local:3306",
    ]


def test_a_container_list_built_from_the_secret_hides_only_the_image() -> None:
    """A whole-list secret: the string the program read with require_secret is found in it."""
    sts = statefulset_of(render_secret_image(None, "containers"))
    assert sts["spec"]["template"]["spec"]["containers"] == [{"image": REDACTED, "name": "mysql"}]
    assert sts["spec"]["serviceName"] == "mysql"


@pytest.mark.parametrize("shape", ["objects", "containers"])
def test_a_secret_image_is_in_no_file_and_not_in_the_summary(tmp_path: Path, shape: str) -> None:
    """The image's plain text is nowhere the render writes or prints."""
    rendering = render_secret_image(tmp_path, shape)
    assert IMAGE not in rendering.summary
    files = list(tmp_path.iterdir())
    assert len(files) == len(rendering.manifests)
    assert [path.name for path in files if IMAGE in path.read_text()] == []


def test_a_manifest_with_a_redaction_is_skipped_by_directory_apply(tmp_path: Path) -> None:
    """It is written as `.yaml.redacted`, which `kubectl apply -f DIR` skips; the rest applies."""
    rendering = render_secret_image(tmp_path)
    assert [path.name for path in rendering.files] == [
        "000-service-db-mysql.yaml",
        "001-service-db-mysql-headless.yaml",
        "002-statefulset-db-mysql.yaml.redacted",
        "003-poddisruptionbudget-db-mysql.yaml",
    ]
    read_by_kubectl = sorted(
        path.name for path in tmp_path.iterdir() if path.suffix in KUBECTL_DIRECTORY_EXTENSIONS
    )
    assert read_by_kubectl == [
        "000-service-db-mysql.yaml",
        "001-service-db-mysql-headless.yaml",
        "003-poddisruptionbudget-db-mysql.yaml",
    ]
    lines = rendering.files[2].read_text().splitlines()
    assert lines[:2] == [HEADER, REDACTED_NOTE]


def test_a_manifest_with_a_redaction_gets_one_warning_line(tmp_path: Path) -> None:
    """The summary ends with a warning naming the object, the values and the skipped file."""
    rendering = render_secret_image(tmp_path)
    warning = (
        "warning: StatefulSet db/mysql holds redacted secret values "
        "(spec.template.spec.containers[0].image); it was written as "
        f"{tmp_path}/002-statefulset-db-mysql.yaml.redacted, which kubectl apply -f {tmp_path}/ "
        "skips: create it yourself"
    )
    assert rendering.warnings == (warning,)
    assert rendering.summary.endswith(f"Stack outputs: none\n\n{warning}\n")


def test_a_render_looks_for_redactions_once_per_manifest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """File names, the files' notes and the warnings share one `redacted_paths` per manifest."""
    from stateful_service_pair.render import _files, _manifests, _render, _report

    walked: list[Any] = []
    original = _manifests.redacted_paths

    def counting(manifest: Any) -> list[str]:
        walked.append(manifest)
        return original(manifest)

    for module in (_manifests, _files, _render, _report):
        monkeypatch.setattr(module, "redacted_paths", counting)
    rendering = render_secret_image(tmp_path)

    assert len(walked) == len(rendering.manifests) == 4
    assert [path.name for path in rendering.files][2] == "002-statefulset-db-mysql.yaml.redacted"
    assert rendering.files[2].read_text().splitlines()[1] == REDACTED_NOTE
    assert len(rendering.warnings) == 1


def test_a_render_without_redactions_has_no_warnings(tmp_path: Path) -> None:
    """No redaction, no warning section: the summary ends with the stack outputs."""
    rendering = render(STATEFULSET, out_dir=tmp_path)
    assert rendering.warnings == ()
    assert rendering.summary.endswith("  replicas: 2\n")


def test_redacted_and_plain_files_of_an_earlier_render_are_replaced(tmp_path: Path) -> None:
    """A `.yaml` of an object now redacted is removed, and so is a `.redacted` no longer needed."""
    render(STATEFULSET, out_dir=tmp_path)
    assert (tmp_path / "002-statefulset-db-mysql.yaml").is_file()
    rendering = render_secret_image(tmp_path)
    assert sorted(tmp_path.iterdir()) == sorted(rendering.files)
    rendering = render(STATEFULSET, out_dir=tmp_path)
    assert sorted(tmp_path.iterdir()) == sorted(rendering.files)
    assert [path.name for path in rendering.files][2] == "002-statefulset-db-mysql.yaml"


def test_a_secret_the_render_cannot_locate_fails_and_writes_nothing(tmp_path: Path) -> None:
    """A secret container list holding only a secret's base64 names the object and property."""
    with pytest.raises(RenderError) as caught:
        render_secret_image(tmp_path, "derived")
    assert str(caught.value) == (
        "StatefulSet db/mysql: spec.template.spec.containers holds a Pulumi secret the offline "
        "render cannot locate (no secret config value or Output.secret string occurs in it); "
        "pass it through config or keep it out of this object"
    )
    assert list(tmp_path.iterdir()) == []


def test_a_secret_read_with_require_secret_is_scrubbed_from_errors(tmp_path: Path) -> None:
    """An apply that quotes an image read with require_secret shows [secret], not the image."""
    with pytest.raises(RenderError) as caught:
        render_secret_image(tmp_path, "fail")
    assert str(caught.value).endswith("failed: PermissionError: cannot pull [secret]: unauthorized")


def test_an_expand_mode_pair_renders_and_says_its_storage_class_was_not_read(
    tmp_path: Path,
) -> None:
    """Offline there is no StorageClass to read: the render goes on, taking the class to allow
    expansion, and warns that `pulumi preview` is where that is checked."""
    rendering = render(PROGRAMS / "expand_pair", out_dir=tmp_path)
    assert rendering.warnings == (
        "warning: StorageClass 'fast' was not read (offline): taken to allow volume expansion; "
        "`pulumi preview` checks it against the cluster",
    )
    assert rendering.warnings[0] in rendering.summary
    (sts,) = [m for m in rendering.manifests if m["kind"] == "StatefulSet"]
    assert sts["metadata"]["annotations"]["stateful-service-pair/claim-size"] == "20Gi"
    assert [m["kind"] for m in rendering.manifests].count("ConfigMap") == 1


def test_other_reads_are_answered_empty_and_named(tmp_path: Path) -> None:
    """A program that reads another object (`ConfigMap.get`) renders as before, on an empty
    object, and the render says it read nothing."""
    program = tmp_path / "reads"
    program.mkdir()
    (program / "Pulumi.yaml").write_text("name: reads\nruntime: python\n")
    (program / "__main__.py").write_text(
        "import pulumi_kubernetes as k8s\n"
        "settings = k8s.core.v1.ConfigMap.get('settings', 'apps/settings')\n"
        "k8s.core.v1.ConfigMap('copy', metadata={'name': 'copy'}, data=settings.data)\n"
    )
    rendering = render(program, out_dir=tmp_path / "out")
    assert rendering.warnings == (
        "warning: ConfigMap 'apps/settings' was not read (offline): the program saw it empty",
    )
    assert [m["metadata"]["name"] for m in rendering.manifests] == ["copy"]
