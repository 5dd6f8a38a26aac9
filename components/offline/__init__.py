"""Render a Pulumi Kubernetes program to manifests in-process, without a CLI or a cluster.

`render()` runs the program against `components.testing.KubernetesMocks`, so objects get the
names and namespaces a cluster would give them, then writes one clean YAML file per object and
summarises how the StatefulSets' DNS names hang together. The CLI is
`python -m components.offline render [PROGRAM_DIR]`.
"""

from components.offline.errors import RenderError
from components.offline.outputs import StackOutput
from components.offline.render import Rendering, render

__all__ = ["RenderError", "Rendering", "StackOutput", "render"]
