"""Registrations run a few at a time while a program runs offline, so memory stays flat.

A Pulumi program declares every resource before any registration runs: its body is one
synchronous call. The event loop then starts every registration at once (the SDK's
`register_resource` schedules one task each), and each goes as far as it can: it serializes its
inputs into dicts and a protobuf request and hands that to the monitor on the loop's executor.
The monitor's answers come back at the end of the loop's queue, after every other registration
has taken its step, so at 1000 pairs all 5,000 serialized requests were alive at once: about
90 MiB of a 390 MiB peak (docs/BENCHMARKS.md).

`RegistrationGate` lets `limit` registrations run at once, first declared first, and starts the
next one when one ends; each still runs exactly as the SDK wrote it, and in the context it
would have run in. Only the SDK's "register resource" RPCs are gated: reads, invokes and
`register_outputs` are not.

A gate must not hang a program. A registration may wait for an Output that only a resource
declared after it resolves (one created inside an `apply`, whose output an earlier resource
takes as input); if every running registration waits like that, none ends and no slot frees.
So the loop (`gated_event_loop`) tells the gate when it is about to wait with nothing to run
and no monitor call in flight, and the gate then starts one more registration. The gate can
delay a registration, never stop it.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import functools
import selectors
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any, TypeVar, TypeVarTuple

from pulumi.runtime.rpc_manager import RPCManager

_T = TypeVar("_T")
_Ts = TypeVarTuple("_Ts")

# The name the SDK's register_resource gives its RPC (pulumi/runtime/resource.py).
REGISTER_RPC = "register resource"
# How many registrations run at once. At 1000 pairs, 8, 32 and 256 gave the same peak RSS
# (276-281 MiB against 370 MiB ungated); 32 leaves the monitor's worker threads busy.
DEFAULT_LIMIT = 32


@dataclass(frozen=True)
class _Waiting:
    """A registration that has not started: the SDK's coroutine function, not yet called."""

    function: Callable[..., Any]
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    result: asyncio.Future[Any]
    context: contextvars.Context


class RegistrationGate:
    """Start at most `limit` registrations at once, in the order the program declared them.

    Attributes:
        limit: How many may run at once (defaults to DEFAULT_LIMIT); raised by one each time
            the loop would otherwise idle with registrations waiting (see `on_idle`).
        most_running: The most that ran at once, for tests.
    """

    def __init__(self, limit: int | None = None) -> None:
        self.limit = DEFAULT_LIMIT if limit is None else limit
        self.most_running = 0
        self._running = 0
        self._waiting: deque[_Waiting] = deque()

    def wrap(self, rpc_function: Callable[..., Any]) -> Callable[..., asyncio.Future[Any]]:
        """`rpc_function` as the RPC manager calls it, started when a slot is free.

        The SDK's RPC manager awaits whatever `rpc_function(...)` returns; this returns a
        future that ends as the registration ends (result, exception or cancellation).
        """

        def gated(*args: Any, **kwargs: Any) -> asyncio.Future[Any]:
            result = asyncio.get_running_loop().create_future()
            # The context the SDK would have started the registration in (the RPC manager's
            # task), so contextvars such as the root stack read the same.
            context = contextvars.copy_context()
            self._waiting.append(_Waiting(rpc_function, args, kwargs, result, context))
            self._start_waiting()
            return result

        return gated

    def on_idle(self) -> bool:
        """The loop has nothing to run and no monitor call in flight; start one more if any waits.

        Returns whether a registration was started (then the loop has work again).
        """
        if not self._waiting:
            return False
        self.limit += 1
        return self._start_waiting()

    def _start_waiting(self) -> bool:
        started = False
        while self._running < self.limit and self._waiting:
            waiting = self._waiting.popleft()
            if waiting.result.done():  # cancelled before it started (the loop is closing)
                continue
            self._running += 1
            self.most_running = max(self.most_running, self._running)
            coroutine = waiting.function(*waiting.args, **waiting.kwargs)
            task = asyncio.get_running_loop().create_task(coroutine, context=waiting.context)
            waiting.result.add_done_callback(functools.partial(_cancel_if_cancelled, task))
            task.add_done_callback(functools.partial(self._finished, waiting.result))
            started = True
        return started

    def _finished(self, result: asyncio.Future[Any], task: asyncio.Task[Any]) -> None:
        self._running -= 1
        if task.cancelled():
            result.cancel()
        elif result.done():  # cancelled while running; the exception is retrieved, not logged
            task.exception()
        elif (exception := task.exception()) is not None:
            result.set_exception(exception)
        else:
            result.set_result(task.result())
        self._start_waiting()

    @contextlib.contextmanager
    def installed(self) -> Iterator[None]:
        """Gate the SDK's registrations meanwhile (on `RPCManager`); put back afterwards."""
        original = RPCManager.do_rpc
        gate = self

        def do_rpc(
            manager: RPCManager, name: str, rpc_function: Callable[..., Any]
        ) -> Callable[..., Any]:
            if name == REGISTER_RPC:
                rpc_function = gate.wrap(rpc_function)
            return original(manager, name, rpc_function)

        # setattr, because mypy rejects assigning to a method.
        setattr(RPCManager, "do_rpc", do_rpc)  # noqa: B010
        try:
            yield
        finally:
            setattr(RPCManager, "do_rpc", original)  # noqa: B010


def _cancel_if_cancelled(task: asyncio.Task[Any], result: asyncio.Future[Any]) -> None:
    if result.cancelled():
        task.cancel()


class _CountingLoop(asyncio.SelectorEventLoop):
    """An event loop that counts its executor calls (the SDK's monitor calls) in flight.

    A call counts until its result has reached the loop, so the loop never looks idle while a
    monitor answer is on its way to it.
    """

    def __init__(self, selector: selectors.BaseSelector) -> None:
        super().__init__(selector)
        self.in_flight = 0

    def run_in_executor(
        self, executor: Executor | None, func: Callable[[*_Ts], _T], *args: *_Ts
    ) -> asyncio.Future[_T]:
        future = super().run_in_executor(executor, func, *args)
        self.in_flight += 1
        future.add_done_callback(self._call_ended)
        return future

    def _call_ended(self, _future: asyncio.Future[Any]) -> None:
        self.in_flight -= 1


class _IdleSelector(selectors.DefaultSelector):
    """The loop's selector; calls `on_idle` when the loop is about to wait for I/O or a timer.

    The loop asks its selector to wait (a timeout other than 0) only when it has no callback
    ready to run. If `on_idle` gives it work, it does not wait.
    """

    def __init__(self, on_idle: Callable[[], bool]) -> None:
        super().__init__()
        self._on_idle = on_idle

    def select(self, timeout: float | None = None) -> list[tuple[selectors.SelectorKey, int]]:
        if timeout != 0 and self._on_idle():
            timeout = 0
        return list(super().select(timeout))


def gated_event_loop(gate: RegistrationGate) -> asyncio.AbstractEventLoop:
    """A new event loop that tells `gate` when it idles with no monitor call in flight."""
    loop: _CountingLoop | None = None
    selector = _IdleSelector(lambda: loop is not None and loop.in_flight == 0 and gate.on_idle())
    loop = _CountingLoop(selector)
    return loop
