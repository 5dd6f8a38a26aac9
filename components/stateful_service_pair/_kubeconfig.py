"""The default Kubernetes provider's namespace, found where pulumi-kubernetes finds it. Pure
apart from reading the kubeconfig files it is pointed at.

pulumi-kubernetes (provider.go, Configure) puts an object without a namespace into
``kubernetes:namespace`` if the stack sets it, else into the namespace of the kubeconfig
context it uses (``kubernetes:context``, else the current context), as client-go resolves
it: the ``kubernetes:kubeconfig`` config value (a path or the file's contents), else the
files in ``$KUBECONFIG`` (merged, the first to set a value wins), else ``~/.kube/config``.
A context without a namespace, or no kubeconfig at all, means ``default``. Users who switch
namespaces with ``kubectl config set-context --current --namespace=…`` (or kubens) would
otherwise get objects in one namespace and DNS names that name another.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

NAMESPACE_CONFIG_KEY = "kubernetes:namespace"
CONTEXT_CONFIG_KEY = "kubernetes:context"
KUBECONFIG_CONFIG_KEY = "kubernetes:kubeconfig"
DEFAULT_NAMESPACE = "default"

# Where KUBECONFIG and HOME are read from when not the process environment. The testing
# mocks (and so the offline renderer) set {} so that no machine's kubeconfig changes a result.
_ENVIRONMENT_OVERRIDE: dict[str, Mapping[str, str]] = {}


def use_environment(environ: Mapping[str, str] | None) -> None:
    """Makes ``current_environment`` return ``environ`` (None: ``os.environ`` again)."""
    if environ is None:
        _ENVIRONMENT_OVERRIDE.pop("environ", None)
    else:
        _ENVIRONMENT_OVERRIDE["environ"] = environ


def current_environment() -> Mapping[str, str]:
    """The environment the kubeconfig is found from (see ``use_environment``)."""
    return _ENVIRONMENT_OVERRIDE.get("environ", os.environ)


def provider_namespace(config: Mapping[str, str], environ: Mapping[str, str]) -> str:
    """The namespace the default provider gives an object that names none.

    Args:
        config: The stack's config, keys as ``kubernetes:namespace``.
        environ: The environment the provider runs with (``KUBECONFIG``, ``HOME``).
    """
    if configured := config.get(NAMESPACE_CONFIG_KEY):
        return configured
    documents = _kubeconfig_documents(
        config.get(KUBECONFIG_CONFIG_KEY), environ.get("KUBECONFIG"), environ.get("HOME")
    )
    context_name = config.get(CONTEXT_CONFIG_KEY) or _first(documents, "current-context")
    for document in documents:
        for entry in document.get("contexts") or []:
            if isinstance(entry, dict) and entry.get("name") == context_name:
                namespace = (entry.get("context") or {}).get("namespace")
                return str(namespace) if namespace else DEFAULT_NAMESPACE
    return DEFAULT_NAMESPACE


def _kubeconfig_documents(
    given: str | None, kubeconfig_env: str | None, home: str | None
) -> tuple[dict[str, Any], ...]:
    """The kubeconfig documents client-go would merge, in precedence order."""
    if given:
        # A value with a newline is the file's contents (what the provider accepts too).
        return (_parsed(given),) if "\n" in given else (_read(Path(given).expanduser()),)
    if kubeconfig_env:
        return tuple(_read(Path(path)) for path in kubeconfig_env.split(os.pathsep) if path)
    return (_read(Path(home) / ".kube" / "config"),) if home else ()


def _read(path: Path) -> dict[str, Any]:
    try:
        stat = path.stat()
    except OSError:
        # A missing file is skipped by client-go's merge; an unreadable one leaves the
        # provider without a cluster, and the namespace then does not matter.
        return {}
    return _read_version(path, stat.st_mtime_ns, stat.st_size)


# Parsed once per version of a file: a stack of many pairs asks the same question for each,
# and a long-lived process (the Automation API) still sees a kubeconfig that changed.
@functools.lru_cache(maxsize=16)
def _read_version(path: Path, mtime_ns: int, size: int) -> dict[str, Any]:
    try:
        return _parsed(path.read_text())
    except OSError:
        return {}


def _parsed(text: str) -> dict[str, Any]:
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError:
        return {}
    return document if isinstance(document, dict) else {}


def _first(documents: tuple[dict[str, Any], ...], key: str) -> str | None:
    for document in documents:
        if value := document.get(key):
            return str(value)
    return None
