"""Render a Pulumi Kubernetes program to manifests in-process, without a CLI or a cluster.

`render()` runs the program against `stateful_service_pair.testing.KubernetesMocks`, so objects get
the names and namespaces a cluster would give them, then writes one clean YAML file per object and
summarises how the StatefulSets' DNS names hang together. The CLI is `python -m
stateful_service_pair.render render [PROGRAM_DIR]`.
"""

from stateful_service_pair.render._errors import RenderError
from stateful_service_pair.render._outputs import StackOutput
from stateful_service_pair.render._render import Rendering, render

__all__ = ["RenderError", "Rendering", "StackOutput", "render"]
