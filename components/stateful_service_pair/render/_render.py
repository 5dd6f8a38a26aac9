"""One offline render, start to finish: project → config → program run → manifests → summary."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stateful_service_pair.dns import DEFAULT_CLUSTER_DOMAIN
from stateful_service_pair.render._dns import statefulset_dns
from stateful_service_pair.render._engine import fewer_gc_passes, run_program, secret_values
from stateful_service_pair.render._files import write_manifests
from stateful_service_pair.render._manifests import (
    clean_manifest,
    redacted_paths,
    sort_manifests,
)
from stateful_service_pair.render._outputs import StackOutput
from stateful_service_pair.render._project import load_project, resolve_config
from stateful_service_pair.render._report import format_redactions, format_summary

DEFAULT_STACK = "dev"
DEFAULT_OUT = Path("build/manifests")
# A program whose config has this key (like this repository's stack programs) says
# which cluster domain its DNS names use; the picture follows it unless told otherwise.
CLUSTER_DOMAIN_CONFIG_KEY = "clusterDomain"


@dataclass(frozen=True)
class Rendering:
    """The result of one render.

    Attributes:
        manifests: Clean manifests in apply order, secrets redacted, as written: without
            `metadata.namespace` where the program gave none (as pulumi-kubernetes renders
            them; the objects land in the provider's namespace).
        files: The files written (empty when no output directory was given), one per
            manifest; `.yaml.redacted` for a manifest with redacted values.
        outputs: Stack outputs by name, with their secret flag.
        summary: The text the CLI prints; contains no secret value.
        warnings: The summary's `warning:` lines: one per manifest with redacted values, one
            per object the program read (nothing is read offline).
    """

    manifests: tuple[dict[str, Any], ...]
    files: tuple[Path, ...]
    outputs: Mapping[str, StackOutput]
    summary: str
    warnings: tuple[str, ...]


def render(
    program_dir: Path,
    *,
    stack: str | None = None,
    config_flags: Sequence[str] = (),
    out_dir: Path | None = DEFAULT_OUT,
    cluster_domain: str | None = None,
) -> Rendering:
    """Render the Pulumi program in `program_dir` to Kubernetes manifests, offline.

    Args:
        program_dir: Directory with Pulumi.yaml.
        stack: Stack whose `Pulumi.<stack>.yaml` config applies; its file must exist. Defaults
            to `dev`, whose file may be absent (then only Pulumi.yaml's defaults apply).
        config_flags: `key=value` overrides, like `--config`. Defaults to none.
        out_dir: Where to write one YAML file per object, replacing an earlier render there;
            None writes nothing. Defaults to `build/manifests`.
        cluster_domain: Cluster DNS domain for the DNS picture. Defaults to the program's
            `clusterDomain` config value if it has one, else `cluster.local`.

    One render at a time per process: while the program runs, the engine swaps some of the
    Pulumi SDK's module attributes (its stack traces, type lookups, unknown-value check) and
    puts them back afterwards, so two renders in two threads could leave them swapped.

    Raises:
        RenderError: with a one-line message for anything the user must fix, including a
            secret the render cannot locate in an object (nothing is written then).
    """
    # The whole render, not only the program run: the manifest steps after it make some
    # hundred objects per manifest and would otherwise pay full collections of a large heap.
    with fewer_gc_passes():
        return _render(program_dir, stack, config_flags, out_dir, cluster_domain)


def _render(
    program_dir: Path,
    stack: str | None,
    config_flags: Sequence[str],
    out_dir: Path | None,
    cluster_domain: str | None,
) -> Rendering:
    project = load_project(program_dir)
    config = resolve_config(
        project, stack or DEFAULT_STACK, config_flags, required=stack is not None
    )
    run = run_program(project, stack=stack or DEFAULT_STACK, config=config)
    if cluster_domain is None:
        cluster_domain = (
            config.values.get(project.full_key(CLUSTER_DOMAIN_CONFIG_KEY)) or DEFAULT_CLUSTER_DOMAIN
        )
    secrets = secret_values(config) | run.secret_strings
    # Written as the provider sends them: with its namespace filled in, as the mocks do.
    manifests = sort_manifests(clean_manifest(o.manifest, secrets) for o in run.objects)
    # Once here: the file names, the files' notes and the warnings all need them.
    redacted = [redacted_paths(manifest) for manifest in manifests]
    files = write_manifests(out_dir, manifests, redacted) if out_dir is not None else []
    warnings = format_redactions(manifests, files if out_dir is not None else None, redacted)
    warnings += [
        f"warning: StorageClass {name!r} was not read (offline): taken to allow volume "
        "expansion; `pulumi preview` checks it against the cluster"
        for name in sorted(set(run.assumed_storage_classes))
    ]
    warnings += [
        f"warning: {what} was not read (offline): the program saw it empty"
        for what in sorted(set(run.unread))
    ]
    summary = format_summary(
        manifests=manifests,
        destination=str(out_dir) if out_dir is not None else "(not written)",
        analyses=statefulset_dns(manifests, cluster_domain),
        cluster_domain=cluster_domain,
        outputs=run.outputs,
        secret_values=secrets,
        warnings=warnings,
    )
    return Rendering(tuple(manifests), tuple(files), run.outputs, summary, tuple(warnings))
