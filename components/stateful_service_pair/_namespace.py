"""Which namespace a pair's objects land in, decided before anything registers. Pure.

Reading the namespace from the created objects made every DNS name wait for them (unknown
at a preview) and gave ``redis-0.redis-headless.None.svc.cluster.local`` when the provider had
no namespace to write into them. The pair therefore decides it the way the
provider does: the ``namespace`` argument, else the default provider's namespace (the stack's
``kubernetes:namespace`` config, else its kubeconfig context's namespace: _kubeconfig.py), else
``default``. An explicit provider's namespace is an
input of that provider the pair cannot read, so with an explicit provider the argument is
required.
"""

from __future__ import annotations

import pulumi

from ._validation import PairArgumentError, check_namespace

NAMESPACE_CONFIG_KEY = "kubernetes:namespace"
DEFAULT_NAMESPACE = "default"

EXPLICIT_PROVIDER_RULE = (
    "must be given when the pair gets an explicit Kubernetes provider (opts.provider, "
    "opts.providers or a parent's provider): the pair cannot read that provider's namespace, "
    "and every DNS name it exports contains it; pass the provider's namespace as `namespace`"
)


def derive_namespace(
    component: str,
    given: pulumi.Input[str] | None,
    configured: str | None,
    explicit_provider: bool,
) -> pulumi.Input[str]:
    """The namespace the objects will be in: ``given``, else ``configured``, else ``default``.

    Args:
        component: The component's name, for errors.
        given: The ``namespace`` argument (checked, or an Output checked later); None if absent.
        configured: The default provider's namespace (``kubernetes:namespace`` config, else the
            kubeconfig context's), None if unknown.
        explicit_provider: Whether a Kubernetes provider was passed to the pair or its parent.

    Raises:
        PairArgumentError: no ``namespace`` with an explicit provider, or a configured
            namespace that is not an RFC 1123 label.
    """
    if given is not None:
        return given
    if explicit_provider:
        raise PairArgumentError(component, "namespace", None, EXPLICIT_PROVIDER_RULE)
    if configured:
        try:
            return check_namespace(component, configured)
        except PairArgumentError as error:
            raise PairArgumentError(
                component, NAMESPACE_CONFIG_KEY, configured, error.rule
            ) from None
    return DEFAULT_NAMESPACE
