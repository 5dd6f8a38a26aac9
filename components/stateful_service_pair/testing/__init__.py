"""Pulumi mocks that answer like pulumi-kubernetes and the Kubernetes API server would.

The stock `pulumi.runtime.Mocks` pattern echoes inputs back, which hides what a real deployment
does: pulumi-kubernetes auto-names objects without `metadata.name`, and gives an object without
`metadata.namespace` its default namespace (`kubernetes:namespace`, else the kubeconfig
context's). `KubernetesMocks` does the same (`MockedObject.namespace` says where each
landed). Like the API server, they refuse a workload whose Pod template repeats a container,
volume or port name or mounts a volume it does not have (`InvalidObjectError`, worded as the
Invalid error), and a second object of one kind, namespace and name; nothing else (no
`status`, no `clusterIP`). `Resource.get` finds only the objects a test says its cluster
already holds (`existing`), e.g. the StorageClass an expand-mode pair reads.

Use it in a unit test::

    import pulumi_kubernetes as k8s
    from stateful_service_pair.testing import settle, use_kubernetes_mocks

    def test_service_lands_in_the_provider_namespace():
        mocks, monitor = use_kubernetes_mocks(default_namespace="prod")
        svc_id, _secret = settle(lambda: k8s.core.v1.Service("db").id)
        assert svc_id == "prod/db-bc519e94"  # auto-named, placed in the provider's namespace
        assert [o.namespace for o in mocks.objects] == ["prod"]

Call `use_kubernetes_mocks` inside each test (or a fixture), never at module scope: Pulumi's
runtime settings are process-wide and a module-level call shares them between tests.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import pathlib
import runpy
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import pulumi
import yaml
from google.protobuf import struct_pb2
from pulumi.runtime import rpc, settings
from pulumi.runtime.config import set_all_config
from pulumi.runtime.mocks import MockCallArgs, MockMonitor, MockResourceArgs, _resolve_callbacks
from pulumi.runtime.proto import resource_pb2
from pulumi.runtime.sync_await import _sync_await

from .._kubeconfig import use_environment
from . import _kube_api as kube_api
from ._wire_form import (
    SECRET_SIG_KEY,
    Path,
    deep_unwrap,
    is_secret,
    secret_paths,
    unwrap,
    wrap_secret,
)

__all__ = [
    "AlreadyExistsError",
    "DuplicateUrnError",
    "InvalidObjectError",
    "KubernetesMocks",
    "MockedObject",
    "NotFoundError",
    "RegisteredOptions",
    "StackRun",
    "StrictMockMonitor",
    "deep_unwrap",
    "run_stack_program",
    "secret_paths",
    "settle",
    "use_kubernetes_mocks",
]

PROVIDER_TYPE = "pulumi:providers:kubernetes"
STACK_TYPE = "pulumi:pulumi:Stack"
# What a provider without a `namespace` falls back to: the kubeconfig context's namespace,
# which is `default` unless the context sets one. There is no kubeconfig offline.
KUBECONFIG_NAMESPACE = "default"
# The stack config key that sets the default provider's namespace.
NAMESPACE_CONFIG_KEY = "kubernetes:namespace"


class AlreadyExistsError(Exception):
    """A second object with the same group, kind, namespace and name, like the API server's 409."""


class InvalidObjectError(Exception):
    """The API server would reject this object (its Invalid error)."""


class NotFoundError(Exception):
    """`Resource.get` of an object the emulated cluster does not hold (see `existing`)."""


class DuplicateUrnError(Exception):
    """Two resources with the same URN, which the Pulumi engine rejects."""


@dataclass(frozen=True)
class MockedObject:
    """One Kubernetes object as the mocks created it.

    Attributes:
        type_token: The Pulumi type, e.g. `kubernetes:apps/v1:StatefulSet`.
        logical_name: The Pulumi resource name (the URN's last part).
        manifest: The object in wire form (camelCase, numbers as floats) with `metadata.name`
            and, for namespaced kinds, `metadata.namespace` filled in, as the provider sends it.
            Secret values are still
            wrapped, each where the program put it (with `StrictMockMonitor`), so nothing here
            is accidentally printable in plain text. It is the very dict the monitor records
            as the object's state (no second copy: a render of 1000 pairs keeps 4,000 of
            them), so read it and do not change it.
        secret_paths: Where in `manifest` the secret wrappers are, e.g. `("stringData",)` or
            `("spec", "template", "spec", "containers", 0, "image")`.
    """

    type_token: str
    logical_name: str
    manifest: dict[str, Any]
    secret_paths: tuple[Path, ...]
    placed_in: str | None = None
    """The namespace the object is created in (given, or its provider's); None if
    cluster-scoped."""

    @property
    def api_version(self) -> str:
        """The object's apiVersion, e.g. `apps/v1`."""
        return str(unwrap(self.manifest["apiVersion"]))

    @property
    def kind(self) -> str:
        """The object's kind, e.g. `StatefulSet`."""
        return str(unwrap(self.manifest["kind"]))

    @property
    def name(self) -> str:
        """`metadata.name` as created (given, auto-named or generated)."""
        return str(unwrap(_metadata(self.manifest)["name"]))

    @property
    def namespace(self) -> str | None:
        """The namespace the object lands in; None for cluster-scoped kinds."""
        return self.placed_in


def _metadata(manifest: dict[str, Any]) -> dict[str, Any]:
    """Return the metadata dict to read or fill, looking through a secret wrapper around it."""
    metadata = manifest.setdefault("metadata", {})
    inner = unwrap(metadata)
    if not isinstance(inner, dict):
        raise TypeError(f"metadata must be a mapping, got {type(inner).__name__}")
    return inner


def _is_kubernetes_object(args: MockResourceArgs) -> bool:
    # Helm releases and other `kubernetes:` resources that are not API objects have no kind.
    return (
        args.typ.startswith("kubernetes:")
        and not args.typ.endswith("Patch")
        and "apiVersion" in args.inputs
        and "kind" in args.inputs
    )


class KubernetesMocks(pulumi.runtime.Mocks):
    """Mocks that create Kubernetes objects the way pulumi-kubernetes and the API server do.

    - An object without `metadata.name` gets `<logical name>-<8 hex chars>` and the
      `pulumi.com/autonamed: "true"` annotation, like the provider's auto-naming; the suffix
      comes from a hash of the logical name, so renders are reproducible. An object with only
      `metadata.generateName` gets that prefix plus 5 characters, like the API server.
    - A namespaced object without `metadata.namespace` lands in its provider's `namespace`, else
      `default_namespace` for the default provider, else `default` for an explicit provider that
      sets none (the kubeconfig context namespace), written into the object as the provider
      does. Cluster-scoped kinds lose any namespace.
    - A second object with the same API group, kind, namespace and name raises
      `AlreadyExistsError`, worded like the API server's AlreadyExists error.
    - A workload (StatefulSet, Deployment, …) whose Pod template repeats a container, volume
      or port name or a mount path, or mounts a volume it lacks, raises `InvalidObjectError`,
      worded like the API server's Invalid error (the API server refuses these: `make e2e`).
    - The returned id is `<namespace>/<name>` (or `<name>`), as pulumi-kubernetes reports it.
    - `Resource.get` (a read) returns the object given in `existing` under that id, and raises
      `NotFoundError` for any other: a test says what its cluster already holds, e.g. the
      StorageClass an expand-mode pair reads.

    Args:
        default_namespace: Namespace of the default provider, i.e. the stack's
            `kubernetes:namespace` config. Defaults to `default`.
        existing: Objects the cluster holds before the program runs, in wire form
            (`apiVersion`, `kind`, `metadata.name`, `metadata.namespace` if namespaced).
    """

    def __init__(
        self,
        *,
        default_namespace: str = KUBECONFIG_NAMESPACE,
        existing: Iterable[Mapping[str, Any]] = (),
    ) -> None:
        self.default_namespace = default_namespace
        self._existing = {_object_key(manifest): dict(manifest) for manifest in existing}
        # The SDK registers resources from a thread pool, so bookkeeping needs a lock.
        self._lock = threading.Lock()
        self._objects: list[MockedObject] = []
        self._taken: dict[tuple[str, str, str | None, str], str] = {}
        self._provider_namespaces: dict[str, str] = {}

    @property
    def objects(self) -> list[MockedObject]:
        """The Kubernetes objects created so far, in the order the mocks received them."""
        with self._lock:
            return list(self._objects)

    def new_resource(self, args: MockResourceArgs) -> tuple[str | None, dict[Any, Any]]:
        """Create a provider, a Kubernetes object, or echo anything else."""
        if args.typ == PROVIDER_TYPE:
            return self._new_provider(args)
        if _is_read(args) and args.typ.startswith("kubernetes:"):
            return args.resource_id or "", self.read(args.typ, args.resource_id or "")
        if _is_kubernetes_object(args) and not _is_read(args):
            return self._new_object(args)
        # Component resources and non-Kubernetes resources: harmless echo.
        return (args.resource_id or "", args.inputs)

    def read(self, type_token: str, object_id: str) -> dict[str, Any]:
        """The object `Resource.get(name, object_id)` of `type_token` finds: one of `existing`.

        Raises:
            NotFoundError: the cluster given to the mocks holds no such object.
        """
        module, _, kind = type_token.removeprefix("kubernetes:").partition(":")
        group = module.rpartition("/")[0]
        found = self._existing.get(("" if group == "core" else group, kind, object_id))
        if found is None:
            raise NotFoundError(
                f"{kind} {object_id!r} is not in this emulated cluster: "
                "pass it to KubernetesMocks(existing=[...]) (or use_kubernetes_mocks)"
            )
        return copy.deepcopy(found)

    def call(self, args: MockCallArgs) -> tuple[dict[Any, Any], list[tuple[str, str]] | None]:
        """Answer `kubernetes:yaml:decode` (used by `yaml.ConfigFile`); `{}` for anything else."""
        # An empty failure list, not None: MockMonitor.Invoke iterates it unchecked
        # (pulumi/runtime/mocks.py), although the base class returns None.
        if args.token == "kubernetes:yaml:decode":
            documents = yaml.safe_load_all(str(args.args.get("text", "")))
            return {"result": [doc for doc in documents if doc is not None]}, []
        return {}, []

    def _new_provider(self, args: MockResourceArgs) -> tuple[str, dict[Any, Any]]:
        namespace = unwrap(args.inputs.get("namespace")) or KUBECONFIG_NAMESPACE
        with self._lock:
            provider_id = f"{args.name}-{len(self._provider_namespaces)}"
            self._provider_namespaces[provider_id] = str(namespace)
        return provider_id, args.inputs

    def _namespace_for(self, provider_ref: str | None) -> str:
        if not provider_ref:
            return self.default_namespace
        # A provider reference is "<provider urn>::<provider id>"; URNs contain "::" themselves.
        provider_id = provider_ref.rpartition("::")[2]
        with self._lock:
            return self._provider_namespaces.get(provider_id, KUBECONFIG_NAMESPACE)

    def _new_object(self, args: MockResourceArgs) -> tuple[str, dict[Any, Any]]:
        manifest = copy.deepcopy(args.inputs)
        api_version = str(unwrap(manifest["apiVersion"]))
        kind = str(unwrap(manifest["kind"]))
        metadata = _metadata(manifest)

        name = unwrap(metadata.get("name"))
        if not name:
            generate_name = unwrap(metadata.get("generateName"))
            if generate_name:
                name = kube_api.generated_name(str(generate_name))
            else:
                name = kube_api.autoname(args.name)
                annotations = metadata.setdefault("annotations", {})
                unwrap(annotations)[kube_api.AUTONAMED_ANNOTATION] = "true"
            metadata["name"] = name

        namespace: str | None = None
        if kube_api.is_namespaced(api_version, kind):
            # pulumi-kubernetes writes its default namespace (kubernetes:namespace, else the
            # kubeconfig context's) into an object that names none, in what it sends, renders
            # and hands back (`make e2e`, test_emulation.py).
            namespace = unwrap(metadata.get("namespace")) or self._namespace_for(args.provider)
            if not metadata.get("namespace"):
                metadata["namespace"] = namespace
        else:
            # The API server drops the namespace of cluster-scoped objects.
            metadata.pop("namespace", None)

        # The API server validates a workload's Pod template (`make e2e` shows it refusing
        # duplicate names and mounts of missing volumes in a StatefulSet's template).
        problems = kube_api.pod_template_problems(kind, deep_unwrap(manifest))
        if problems:
            raise InvalidObjectError(
                kube_api.invalid_message(api_version, kind, str(name), problems)
            )

        key = (kube_api.api_group(api_version), kind, namespace, str(name))
        paths = tuple(secret_paths(manifest))
        with self._lock:
            if key in self._taken:
                message = kube_api.already_exists_message(api_version, kind, str(name), namespace)
                # Both names, sorted: which registration comes second varies between runs.
                first, second = sorted((self._taken[key], args.name))
                raise AlreadyExistsError(
                    f'{message} (both resource "{first}" and resource "{second}" create it)'
                )
            self._taken[key] = args.name
            # The same dict the monitor records as the object's state (MockedObject.manifest).
            self._objects.append(MockedObject(args.typ, args.name, manifest, paths, namespace))
        object_id = f"{namespace}/{name}" if namespace else str(name)
        return object_id, manifest


def _object_key(manifest: Mapping[str, Any]) -> tuple[str, str, str]:
    """(API group, kind, id) of a wire-form object; the id as pulumi-kubernetes reports it."""
    metadata = manifest.get("metadata") or {}
    namespace = metadata.get("namespace")
    name = str(metadata.get("name", ""))
    object_id = f"{namespace}/{name}" if namespace else name
    return kube_api.api_group(str(manifest["apiVersion"])), str(manifest["kind"]), object_id


def _is_read(args: MockResourceArgs) -> bool:
    # `Resource.get(...)` arrives through ReadResource, which leaves `custom` unset; an import
    # (`opts.import_`) also carries an id but is a registration, and it does create the object.
    return args.custom is None and bool(args.resource_id)


class _ThreadLoop:
    """A worker thread's event loop, closed when the thread ends and drops its locals."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()

    def __del__(self) -> None:
        self.loop.close()


_thread_loops = threading.local()


@contextlib.contextmanager
def _worker_thread_event_loop() -> Iterator[None]:
    """Lend a worker thread an event loop for a monitor call; it is closed with the thread.

    MockMonitor calls `_ensure_event_loop()` on the SDK's gRPC worker threads (pulumi/runtime/
    mocks.py, Invoke/ReadResource/RegisterResource), which leaves one unclosed loop per thread;
    when the thread ends, the loop's `__del__` raises into the unraisable-exception hook. A
    fresh loop per call avoided that at a twentieth of a render's time; one loop per worker
    thread, kept in a thread-local that closes it when the thread ends, does too.
    """
    try:
        asyncio.get_event_loop()
        has_loop = True
    except RuntimeError:  # a worker thread without a loop
        has_loop = False
    if has_loop:
        yield
        return
    holder = getattr(_thread_loops, "holder", None)
    if holder is None or holder.loop.is_closed():
        holder = _thread_loops.holder = _ThreadLoop()
    asyncio.set_event_loop(holder.loop)
    try:
        yield
    finally:
        asyncio.set_event_loop(None)


def wire_inputs(inputs: struct_pb2.Struct) -> dict[str, Any]:
    """Resource inputs from a RegisterResource request, each secret still where it was sent.

    The SDK serializes a secret Output as a wrapper exactly where it sits, e.g. around one
    container's `image`, and that is what the engine and the provider receive. The SDK's
    `rpc.deserialize_properties`, which the stock MockMonitor uses, pushes every secret up to
    the top-level property that holds it (a rule for outputs, which the SDK can only mark
    secret per property), so mocks would see a whole `spec` as secret.
    """
    result = _deserialize_in_place(inputs)
    if not isinstance(result, dict):
        raise TypeError(f"resource inputs must be a map, got {type(result).__name__}")
    return result


def _deserialize_in_place(value: Any) -> Any:
    if isinstance(value, struct_pb2.Struct):
        if SECRET_SIG_KEY in value:  # a special object: secret, asset, archive, resource, ...
            if is_secret(dict(value.items())):
                return wrap_secret(_deserialize_in_place(value["value"]))
            return rpc.deserialize_properties(value)
        items = ((key, _deserialize_in_place(item)) for key, item in value.items())
        # Like the SDK: a property that deserializes to None does not exist.
        return {key: item for key, item in items if item is not None}
    if isinstance(value, struct_pb2.ListValue):
        return [_deserialize_in_place(item) for item in value]
    return rpc.deserialize_property(value)


@dataclass(frozen=True)
class RegisteredOptions:
    """Resource options as the engine receives them with a registration."""

    protect: bool
    ignore_changes: tuple[str, ...]
    delete_before_replace: bool
    replace_on_changes: tuple[str, ...] = ()
    retain_on_delete: bool = False
    deleted_with: str = ""
    """The URN of the resource this one is deleted with; empty when none."""
    dependencies: tuple[str, ...] = ()
    """URNs of the resources this one depends on (``depends_on`` and Outputs in its inputs)."""


class StrictMockMonitor(MockMonitor):
    """A mock monitor that makes URNs and rejects duplicates like the real engine.

    The stock `MockMonitor` silently overwrites a second registration of one URN, so a test
    would pass for a program that `pulumi up` refuses to run. It also puts the root stack's
    type into every top-level URN (`...::pulumi:pulumi:Stack$kubernetes:core/v1:Service::db`),
    which the engine does not.
    """

    def __init__(self, mocks: pulumi.runtime.Mocks) -> None:
        super().__init__(mocks)
        self._register_lock = threading.Lock()
        self.options: dict[str, RegisteredOptions] = {}
        """The resource options the engine received, by URN (the mocks never see them)."""

    def make_urn(self, parent: str, type_: str, name: str) -> str:
        """Build a URN as the engine does: children of the root stack have no parent type."""
        if parent and parent.split("::")[2] == STACK_TYPE:
            parent = ""
        return str(super().make_urn(parent, type_, name))

    def _claim(self, parent: str, type_: str, name: str) -> None:
        urn = self.make_urn(parent, type_, name)
        if type_ != STACK_TYPE and urn in self.resources:
            # The engine's wording (pkg/resource/deploy/step_generator.go).
            raise DuplicateUrnError(f"Duplicate resource URN '{urn}'; try giving it a unique name")

    def RegisterResource(self, request: Any) -> Any:  # noqa: N802 (gRPC method name)
        """Register a resource unless its URN is already taken; the mocks get exact inputs.

        This is `MockMonitor.RegisterResource` (pulumi 3.272) with one change: the inputs are
        deserialized by `wire_inputs`, so a secret stays where the program put it.
        """
        with self._register_lock, _worker_thread_event_loop():
            self._claim(request.parent, request.type, request.name)
            urn = self.make_urn(request.parent, request.type, request.name)
            options = RegisteredOptions(
                protect=bool(request.protect),
                ignore_changes=tuple(request.ignoreChanges),
                delete_before_replace=bool(request.deleteBeforeReplace),
                replace_on_changes=tuple(request.replaceOnChanges),
                retain_on_delete=bool(request.retainOnDelete),
                deleted_with=str(request.deletedWith),
                dependencies=tuple(request.dependencies),
            )
            if request.type == STACK_TYPE:
                self.options[urn] = options
                return resource_pb2.RegisterResourceResponse(urn=urn)
            args = MockResourceArgs(
                typ=request.type,
                name=request.name,
                inputs=wire_inputs(request.object),
                provider=request.provider,
                resource_id=request.importId,
                custom=request.custom or False,
                transforms=_resolve_callbacks(request.transforms),
            )
            new_id, state = self.mocks.new_resource(args)
            resource_id = new_id or ""  # an unset protobuf string field is "" anyway
            state_proto = _sync_await(rpc.serialize_properties(state, {}))
            self.resources[urn] = MockMonitor.ResourceRegistration(urn, resource_id, state)
            # Recorded only for a registration the mocks accepted, like `resources`.
            self.options[urn] = options
            return resource_pb2.RegisterResourceResponse(
                urn=urn, id=resource_id, object=state_proto
            )

    def ReadResource(self, request: Any) -> Any:  # noqa: N802 (gRPC method name)
        """Read a resource unless its URN is already taken."""
        with self._register_lock, _worker_thread_event_loop():
            self._claim(request.parent, request.type, request.name)
            return super().ReadResource(request)  # type: ignore[no-untyped-call]

    def Invoke(self, request: Any) -> Any:  # noqa: N802 (gRPC method name)
        """Answer a function call through the mocks."""
        with _worker_thread_event_loop():
            return super().Invoke(request)  # type: ignore[no-untyped-call]


def use_kubernetes_mocks(
    *,
    project: str = "project",
    stack: str = "stack",
    default_namespace: str | None = None,
    config: Mapping[str, str] | None = None,
    secret_keys: Iterable[str] = (),
    existing: Iterable[Mapping[str, Any]] = (),
) -> tuple[KubernetesMocks, StrictMockMonitor]:
    """Install fresh Kubernetes mocks and config for one test or one offline run.

    Resets Pulumi's process-wide runtime state first (the root stack, pending outputs and the
    whole config map), so nothing leaks in from an earlier test. Runs with `preview=False`:
    under a preview, outputs are unknown and `apply` callbacks never run, so a test would check
    nothing.

    Args:
        project: Project name for URNs and `pulumi.get_project()`. Defaults to `project`.
        stack: Stack name for URNs and `pulumi.get_stack()`. Defaults to `stack`.
        default_namespace: Namespace of the default Kubernetes provider, which is the stack's
            `kubernetes:namespace` config: given here, it is set in `config` too (unless
            `config` sets it). Defaults to `config`'s `kubernetes:namespace`, else `default`:
            under the mocks the pair never reads the machine's kubeconfig, whose context
            namespace the real provider would use.
        config: Full config map, keys like `<project>:replicas`. Defaults to empty.
        secret_keys: Keys of `config` whose values are secrets. Defaults to none.
        existing: Objects the emulated cluster already holds, for `Resource.get` (see
            `KubernetesMocks`). Defaults to none.

    Returns:
        The mocks (see `KubernetesMocks.objects`) and the monitor
        (see `MockMonitor.get_registered_resources()`).
    """
    # set_mocks only creates a root Stack when none exists (pulumi/runtime/mocks.py, end of
    # set_mocks), and SETTINGS.outputs survives set_mocks; reset_options clears both.
    settings.reset_options(project=project, stack=stack, preview=False)
    config = dict(config or {})
    # The component looks for the default provider's namespace in the kubeconfig too; under
    # the mocks it finds none, so no developer's kubectl context changes a test's result.
    use_environment({})
    if default_namespace is None:
        default_namespace = config.get(NAMESPACE_CONFIG_KEY, KUBECONFIG_NAMESPACE)
    elif default_namespace != KUBECONFIG_NAMESPACE:
        config.setdefault(NAMESPACE_CONFIG_KEY, default_namespace)
    # set_all_config replaces the whole map; set_config would add to the previous test's.
    set_all_config(config, list(secret_keys))
    mocks = KubernetesMocks(default_namespace=default_namespace, existing=existing)
    monitor = StrictMockMonitor(mocks)
    pulumi.runtime.set_mocks(mocks, project=project, stack=stack, preview=False, monitor=monitor)
    return mocks, monitor


def settle(program: Callable[[], Any]) -> tuple[Any, bool]:
    """Run `program` under the installed mocks until all Pulumi work is done.

    `program` creates resources and returns what to check: an Output, a plain value, or a
    structure holding Outputs. Runs through `pulumi.runtime.test`, so an exception raised in an
    `apply` or a failed registration is raised here instead of vanishing.

    Returns:
        The resolved value and whether Pulumi marks it secret.
    """
    captured: dict[str, Any] = {}

    async def resolve(output: pulumi.Output[Any]) -> None:
        captured["value"] = await output.future()
        captured["secret"] = await output.is_secret()

    @pulumi.runtime.test  # type: ignore[untyped-decorator]
    def run() -> Any:
        return resolve(pulumi.Output.from_input(program()))

    run()
    return captured["value"], captured["secret"]


@dataclass(frozen=True)
class StackRun:
    """What a stack program did under the mocks.

    Attributes:
        outputs: Every ``pulumi.export``, resolved.
        secret_outputs: The names of the outputs Pulumi would store as secrets.
        mocks: The mocks, whose ``objects`` are the Kubernetes objects the program created.
    """

    outputs: dict[str, Any]
    secret_outputs: frozenset[str]
    mocks: KubernetesMocks

    def manifest(self, kind: str, name: str) -> dict[str, Any]:
        """The one created object of this kind and name (any namespace), as its manifest.

        Raises:
            KeyError: naming the kind and name, when there is no such object or several.
        """
        found = [obj for obj in self.mocks.objects if (obj.kind, obj.name) == (kind, name)]
        if len(found) != 1:
            raise KeyError(f"{len(found)} objects of kind {kind} named {name!r}, expected 1")
        return found[0].manifest


def run_stack_program(
    main: str | pathlib.Path,
    *,
    project: str,
    stack: str = "test",
    config: Mapping[str, str] | None = None,
    secret_keys: Iterable[str] = (),
    default_namespace: str | None = None,
    existing: Iterable[Mapping[str, Any]] = (),
) -> StackRun:
    """Run a stack program (its ``__main__.py``) under fresh mocks, as ``pulumi up`` would run it.

    The program's directory is on ``sys.path`` while it runs, as under the Pulumi CLI, so it
    may import its own modules. Config comes only from ``config`` (Pulumi.yaml defaults and
    stack files are the offline renderer's job: :func:`stateful_service_pair.render.render`).

    Args:
        main: The program's main file.
        project: Its project name (``name`` in Pulumi.yaml).
        stack: The stack name. Defaults to ``test``.
        config: Config values; a key without ``:`` gets the project prefix. Defaults to none.
        secret_keys: Keys of ``config`` that are secrets (same spelling). Defaults to none.
        default_namespace: Namespace of the default Kubernetes provider (the
            ``kubernetes:namespace`` config). Defaults to that config value, else ``default``.
        existing: Objects the emulated cluster already holds, for ``Resource.get`` (see
            :class:`KubernetesMocks`), e.g. the StorageClass of an expand-mode pair.

    Raises:
        Whatever the program raises, e.g. :class:`~stateful_service_pair.PairArgumentError`.
    """

    def full(key: str) -> str:
        return key if ":" in key else f"{project}:{key}"

    mocks, _monitor = use_kubernetes_mocks(
        project=project,
        stack=stack,
        default_namespace=default_namespace,
        config={full(key): value for key, value in (config or {}).items()},
        secret_keys=[full(key) for key in secret_keys],
        existing=existing,
    )
    path = pathlib.Path(main).resolve()
    outputs: dict[str, Any] = {}
    secret: set[str] = set()

    async def resolve_outputs() -> None:
        # The root Stack resource collects every pulumi.export in its `outputs`.
        exported: Mapping[str, Any] = getattr(settings.get_root_resource(), "outputs", {})
        for key, value in exported.items():
            output = pulumi.Output.from_input(value)
            outputs[key] = await output.future()
            if await output.is_secret():
                secret.add(key)

    @pulumi.runtime.test  # type: ignore[untyped-decorator]
    def run() -> Any:
        sys.path.insert(0, str(path.parent))
        try:
            runpy.run_path(str(path), run_name="__main__")
        finally:
            sys.path.remove(str(path.parent))
        return resolve_outputs()

    run()
    return StackRun(outputs=outputs, secret_outputs=frozenset(secret), mocks=mocks)
