"""Pulumi components for stateful systems on Kubernetes."""
