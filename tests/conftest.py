"""Shared test plumbing: a quiet asyncio logger and a fresh event loop per test."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator

import pytest
from stateful_service_pair.testing import KubernetesMocks, use_kubernetes_mocks


def pytest_configure(config: pytest.Config) -> None:
    """Silence asyncio's "Future exception was never retrieved" for deliberately failing programs.

    A failed registration leaves futures nobody awaits, and asyncio logs each one when it is
    garbage-collected, long after the test. The SDK's language host silences this logger too.
    """
    logging.getLogger("asyncio").setLevel(logging.CRITICAL)


@pytest.fixture(autouse=True)
def fresh_event_loop() -> Iterator[None]:
    """Give every test its own event loop, so work left over by a failed test cannot run later."""
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    yield
    pending = asyncio.all_tasks(loop)
    for task in pending:
        task.cancel()
    if pending:
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
    loop.run_until_complete(loop.shutdown_default_executor())
    loop.close()
    asyncio.set_event_loop(None)


@pytest.fixture
def mocks() -> Iterator[KubernetesMocks]:
    """Fresh mocks that auto-name and default namespaces like the provider and API server."""
    kubernetes_mocks, _monitor = use_kubernetes_mocks()
    yield kubernetes_mocks
