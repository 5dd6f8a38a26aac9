"""Run a Pulumi Python program in-process against the Kubernetes mocks.

This does what `pulumi up` does for a Python program, minus the cluster: it sets the config, points
the SDK at a monitor (here the mocks from `stateful_service_pair.testing`), runs the program's main
file with `runpy` inside `pulumi.runtime.run_in_stack`, as the SDK's language host does, waits for
every registration and `apply`, and resolves the stack outputs.

Pulumi's runtime state is process-wide. Each run therefore starts from a reset runtime, runs in a
thread of its own (a fresh `contextvars` context, so the caller's root stack and config are left
alone, and its own event loop), and puts `sys.path`, the working directory, `sys.argv` and the
program's own modules back afterwards. Running many programs in one process works.

While the program runs, `pulumi.Output.secret` records every string it is given (the config getters
`get_secret` and `require_secret` call it too), so the render knows secret values the stack config
does not declare secret; the original is put back afterwards.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import inspect
import logging
import os
import runpy
import sys
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pulumi
from pulumi.runtime import resource, settings
from pulumi.runtime.proto import source_pb2
from pulumi.runtime.stack import massage, run_in_stack

from stateful_service_pair.render._aliases import uncollapsed_aliases
from stateful_service_pair.render._errors import RenderError
from stateful_service_pair.render._gate import RegistrationGate, gated_event_loop
from stateful_service_pair.render._outputs import StackOutput
from stateful_service_pair.render._project import Project, StackConfig
from stateful_service_pair.render._type_lookups import remembered_type_lookups
from stateful_service_pair.render._unknowns import acyclic_unknowns_check
from stateful_service_pair.testing import (
    KUBECONFIG_NAMESPACE,
    KubernetesMocks,
    MockedObject,
    use_kubernetes_mocks,
)

# While a program runs, the SDK keeps every resource it declared alive with its Outputs and
# pending registration: some 300 objects per Kubernetes object, almost none of them garbage.
# CPython's cyclic GC examines young objects every 700 net allocations and, on every 100th
# pass, the whole heap once it has grown by a quarter; with 4,000 objects that was half the run
# and made each object cost more the larger the program. A larger young generation makes the
# full passes rare, but every surviving object is still examined once or twice on its way to
# the old generation, whatever the threshold: 2-3 s of a 1000-pair render. So the collector
# does not run automatically while the program runs (COLLECT_WHILE_RUNNING). What the SDK made
# for each registration becomes cyclic garbage once it is done (387,000 objects at 1000 pairs),
# so the run ends with one collection of what it made, which frees that before the manifest
# steps reuse the memory (12 MiB less peak RSS at 1000 pairs, for 0.4 s of collection), and
# then freezes what survives. The rest of a render runs with a young generation of
# YOUNG_GENERATION_THRESHOLD and the objects from before it frozen (`fewer_gc_passes`). The
# caller's settings are restored afterwards (docs/BENCHMARKS.md).
COLLECT_WHILE_RUNNING = False
YOUNG_GENERATION_THRESHOLD = 10_000

# The stack config key that sets the default Kubernetes provider's namespace.
NAMESPACE_CONFIG_KEY = "kubernetes:namespace"
SECRET_IN_MESSAGE = "[secret]"


@dataclass(frozen=True)
class ProgramRun:
    """What one run of a program created.

    Attributes:
        objects: The Kubernetes objects, in wire form with secrets still wrapped.
        outputs: The stack outputs by name.
        secret_strings: Every non-empty string the program passed to `pulumi.Output.secret`,
            e.g. the values it read with `Config.require_secret` (never printed, only
            searched for).
    """

    objects: tuple[MockedObject, ...]
    outputs: Mapping[str, StackOutput]
    secret_strings: frozenset[str]
    assumed_storage_classes: tuple[str, ...] = ()
    """StorageClasses the program read, answered without a cluster (see `OfflineMocks`)."""
    unread: tuple[str, ...] = ()
    """Other objects the program read (`Resource.get`), answered empty (see `OfflineMocks`)."""


STORAGE_CLASS_TYPE = "kubernetes:storage.k8s.io/v1:StorageClass"


class OfflineMocks(KubernetesMocks):
    """The render's mocks: no cluster to read, so a StorageClass read is answered and noted.

    An expand-mode pair reads its StorageClass to check that it allows volume expansion
    (`pulumi preview` does that against the cluster). Offline there is nothing to read: the
    answer allows expansion, so the manifests can be rendered, and the render warns that the
    check was not made. Any other read is answered with an empty object, as the render always
    did, and named in a warning too: the program saw none of its fields.
    """

    def __init__(self, *, default_namespace: str) -> None:
        super().__init__(default_namespace=default_namespace)
        self.assumed_storage_classes: list[str] = []
        self.unread: list[str] = []

    def read(self, type_token: str, object_id: str) -> dict[str, Any]:
        if type_token != STORAGE_CLASS_TYPE:
            self.unread.append(f"{type_token.rpartition(':')[2]} {object_id!r}")
            return {}
        self.assumed_storage_classes.append(object_id)
        return {
            "apiVersion": "storage.k8s.io/v1",
            "kind": "StorageClass",
            "metadata": {"name": object_id},
            "allowVolumeExpansion": True,
        }


def program_file(project: Project) -> Path:
    """The Python file that runs: `main` itself, or the `__main__.py` in it."""
    return project.main / "__main__.py" if project.main.is_dir() else project.main


def display_path(project: Project) -> str:
    """The program file as the user would write it, e.g. `./__main__.py` for project `.`."""
    relative = os.path.relpath(program_file(project), project.directory)
    return os.path.join(str(project.directory), relative)


def one_line(text: str) -> str:
    """Collapse a multi-line message (the SDK's config errors have two lines) into one."""
    return " ".join(text.split())


def scrub(text: str, secret_values: frozenset[str]) -> str:
    """Replace every secret value that occurs in `text`, longest first."""
    for value in sorted(secret_values, key=len, reverse=True):
        text = text.replace(value, SECRET_IN_MESSAGE)
    return text


def secret_values(config: StackConfig) -> frozenset[str]:
    """The plaintext of every secret config value (never printed, only searched for)."""
    return frozenset(v for k, v in config.values.items() if k in config.secret_keys and v)


def run_program(project: Project, *, stack: str, config: StackConfig) -> ProgramRun:
    """Run the project's program on `stack` with `config` and return what it created.

    Raises:
        RenderError: the program file is missing, or the program raised (also inside an
            `apply`, a resource registration, or a `pulumi.Config` lookup). The message is one
            line with the exception type and message, secret config values scrubbed.
    """
    if not program_file(project).is_file():
        raise RenderError(f"program {display_path(project)} does not exist")
    # A thread of its own: a fresh contextvars context (root stack, config) and its own event
    # loop, so the caller's Pulumi runtime state and event loop are left as they were.
    results: list[ProgramRun] = []
    errors: list[BaseException] = []

    def target() -> None:
        try:
            results.append(_run_in_fresh_runtime(project, stack, config))
        except BaseException as exc:  # re-raised in the calling thread
            errors.append(exc)

    # Daemon, so Ctrl-C in the calling thread is not held up by a hanging program.
    thread = threading.Thread(target=target, name="pulumi-offline-run", daemon=True)
    with fewer_gc_passes(pause=not COLLECT_WHILE_RUNNING):
        thread.start()
        thread.join()
    if errors:
        raise errors[0]
    return results[0]


class _Freezes:
    """How many `fewer_gc_passes` contexts froze objects and will unfreeze them."""

    held = 0


@contextlib.contextmanager
def fewer_gc_passes(*, pause: bool = False) -> Iterator[None]:
    """Collect less often meanwhile, then give the caller its GC settings back.

    Raises the young-generation threshold to YOUNG_GENERATION_THRESHOLD (a caller's higher one
    is kept) and, unless the caller froze objects itself, moves every object that exists now
    (the imported SDK and providers, some hundreds of thousands) out of the collector's sight
    with `gc.freeze()`, so a full collection scans only what the render made. Both are undone
    on the way out, also after an error; nests.

    Args:
        pause: Also no automatic collection meanwhile; on the way out, what was made
            meanwhile is frozen, garbage included, until the outermost context unfreezes it
            and the collector's next full pass frees the garbage. Only where this module froze
            objects (not within a caller's own `gc.freeze()`, which nothing here undoes).
            Defaults to False.
    """
    thresholds = gc.get_threshold()
    freeze = gc.get_freeze_count() == 0
    gc.set_threshold(max(thresholds[0], YOUNG_GENERATION_THRESHOLD), *thresholds[1:])
    if freeze:
        gc.freeze()
        _Freezes.held += 1
    pause = pause and gc.isenabled() and _Freezes.held > 0
    if pause:
        gc.disable()
    try:
        yield
    finally:
        if pause:
            # Re-enabled without freezing what the program made, the collector's next passes
            # would examine all of it again. Not collected first: that pass cost 0.4 s of a
            # 1000-pair render (4% of it) to free some 11 MiB that the manifest steps would
            # reuse; the garbage waits for the pass after the outermost context unfreezes it
            # (docs/BENCHMARKS.md).
            gc.freeze()
            gc.enable()
        if freeze:
            gc.unfreeze()
            _Freezes.held -= 1
        gc.set_threshold(*thresholds)


def _run_in_fresh_runtime(project: Project, stack: str, config: StackConfig) -> ProgramRun:
    # Registrations a few at a time, so memory stays flat however large the program (_gate.py).
    gate = RegistrationGate()
    loop = gated_event_loop(gate)
    asyncio.set_event_loop(loop)
    try:
        installed, monitor = use_kubernetes_mocks(
            project=project.name,
            stack=stack,
            default_namespace=config.values.get(NAMESPACE_CONFIG_KEY, KUBECONFIG_NAMESPACE),
            config=config.values,
            secret_keys=config.secret_keys,
        )
        mocks = OfflineMocks(default_namespace=installed.default_namespace)
        monitor.mocks = mocks
        settings.SETTINGS.root_directory = str(project.directory)
        # set_mocks registered and finished a root Stack already; the language host instead
        # creates the Stack inside run_in_stack, which is what makes `pulumi.run()` work.
        settings.ROOT.set(None)
        secret_strings: set[str] = set()
        with (
            _recording_secret_strings(secret_strings),
            _without_stack_traces(),
            gate.installed(),
            acyclic_unknowns_check(),
            uncollapsed_aliases(),
            remembered_type_lookups(),
        ):
            stack_resource = _run_main(loop, project, config, secret_strings)
            outputs = loop.run_until_complete(_resolve_outputs(stack_resource.outputs))
        return ProgramRun(
            objects=tuple(mocks.objects),
            outputs=outputs,
            secret_strings=frozenset(secret_strings),
            assumed_storage_classes=tuple(mocks.assumed_storage_classes),
            unread=tuple(mocks.unread),
        )
    finally:
        _close_loop(loop)


@contextlib.contextmanager
def _without_stack_traces() -> Iterator[None]:
    """Skip the stack trace the SDK takes for every resource, which only the engine reads.

    `Resource.__init__` sends the engine the caller's stack and source position with each
    registration, for the CLI's diagnostics; the mock monitor never reads them, and nothing of
    them reaches a manifest or an output. Taking them (`traceback.extract_stack()` and a file
    URI per frame) was a tenth of a render's run, and each one stays in memory until its
    registration is sent (docs/BENCHMARKS.md). Put back afterwards.
    """
    original = resource._get_stack_trace
    resource._get_stack_trace = source_pb2.StackTrace
    try:
        yield
    finally:
        resource._get_stack_trace = original


@contextlib.contextmanager
def _recording_secret_strings(found: set[str]) -> Iterator[None]:
    """Add every non-empty string passed to `pulumi.Output.secret` to `found` meanwhile."""
    original = inspect.getattr_static(pulumi.Output, "secret")  # the staticmethod itself
    secret = original.__func__

    def recording_secret(val: Any) -> Any:
        if isinstance(val, str) and val:
            found.add(val)
        return secret(val)

    # setattr, because mypy rejects assigning to a method.
    setattr(pulumi.Output, "secret", staticmethod(recording_secret))  # noqa: B010
    try:
        yield
    finally:
        setattr(pulumi.Output, "secret", original)  # noqa: B010


def _run_main(
    loop: asyncio.AbstractEventLoop,
    project: Project,
    config: StackConfig,
    secret_strings: set[str],
) -> Any:
    """Run the main file as `pulumi up` would and return the root Stack resource."""
    captured: list[Any] = []
    main_path = str(project.main.resolve())  # resolved before the chdir below

    def main() -> None:
        runpy.run_path(main_path, run_name="__main__")
        captured.append(settings.get_root_resource())

    try:
        with _program_environment(project), _quiet_asyncio():
            loop.run_until_complete(run_in_stack(main))
    except (Exception, SystemExit) as exc:  # a program may call sys.exit()
        known = secret_values(config) | secret_strings
        message = scrub(one_line(_describe(exc, project)), known)
        detail = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
        raise RenderError(f"program {display_path(project)} failed: {detail}") from exc
    return captured[0]


def _describe(exc: BaseException, project: Project) -> str:
    if isinstance(exc, pulumi.ConfigMissingError):
        # The SDK's hint says `pulumi config set`; offline the fix is a --config flag.
        short = project.short_key(exc.key)
        return f"Missing required configuration variable '{exc.key}'; pass --config {short}=..."
    return str(exc)


async def _resolve_outputs(outputs: Mapping[str, Any]) -> dict[str, StackOutput]:
    resolved: dict[str, StackOutput] = {}
    for name, value in outputs.items():
        # massage() is what the SDK applies to exports before registering them (resources
        # and output types become plain dicts).
        output = pulumi.Output.from_input(massage(value, []))
        resolved[name] = StackOutput(await output.future(), await output.is_secret())
    return resolved


@contextlib.contextmanager
def _program_environment(project: Project) -> Iterator[None]:
    """Run with the program's directories as cwd and on sys.path; undo it all afterwards."""
    # Like the Pulumi CLI: a directory `main` is the working directory, else the project is.
    workdir = str((project.main if project.main.is_dir() else project.directory).resolve())
    # Sibling modules of the program file must be importable.
    directory = str(program_file(project).resolve().parent)
    saved_cwd, saved_path, saved_argv = os.getcwd(), list(sys.path), list(sys.argv)
    modules_before = set(sys.modules)
    os.chdir(workdir)
    sys.path.insert(0, directory)
    sys.argv = [str(program_file(project).resolve())]
    try:
        yield
    finally:
        os.chdir(saved_cwd)
        sys.path[:] = saved_path
        sys.argv = saved_argv
        # Forget the program's own modules, so the next program's `helpers.py` is not
        # mistaken for this one's. Modules that were loaded before stay.
        roots = (directory + os.sep, str(project.directory.resolve()) + os.sep)
        for name in set(sys.modules) - modules_before:
            module_file = getattr(sys.modules[name], "__file__", None) or ""
            if module_file.startswith(roots):
                del sys.modules[name]


@contextlib.contextmanager
def _quiet_asyncio() -> Iterator[None]:
    # A failed registration leaves futures nobody awaits; asyncio would log each one. The SDK's
    # language host silences the asyncio logger for the same reason.
    logger = logging.getLogger("asyncio")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def _close_loop(loop: asyncio.AbstractEventLoop) -> None:
    """Cancel what a failed program left running and close the loop, like asyncio.run does."""
    with _quiet_asyncio():
        pending = asyncio.all_tasks(loop)
        for task in pending:
            task.cancel()
        if pending:
            loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.run_until_complete(loop.shutdown_default_executor())
        loop.close()
    asyncio.set_event_loop(None)
