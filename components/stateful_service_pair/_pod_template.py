"""Pod template checks made before anything registers. Pure.

A template with two containers of one name, two volumes of one name, a mount of a volume that
does not exist, two mounts at one path or two ports of one name is refused by the API server
(Kubernetes 1.35 in ``make e2e``; an earlier belief that it stores such a StatefulSet was
wrong) — but only when the StatefulSet is sent, after the pair's Services were created. The
pair refuses it first, so nothing is half-created. The pair's own fields never clash with each
other, so these checks are about what ``extra_pod_spec`` and ``extra_container_spec`` add.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import pulumi

from ._spec import PairSpec

Problem = tuple[str, object, str]
"""(argument, value, rule), as :class:`~._validation.PairArgumentError` takes them."""


@dataclass(frozen=True)
class _Named:
    """One named entry of the template and the argument it came from."""

    where: str
    name: object


def _field(item: object, name: str, camel: str) -> object:
    """A field of a ``pulumi_kubernetes`` Args object or of a mapping (snake or camelCase)."""
    if isinstance(item, Mapping):
        return item.get(name, item.get(camel))
    if hasattr(item, "__dict__") and not isinstance(item, pulumi.Output):
        return vars(item).get(name)
    return None


def _items(value: object) -> list[object]:
    """The entries of a plain list; an Output (not knowable yet) has none to check."""
    if isinstance(value, Sequence) and not isinstance(value, str):
        return list(value)
    return []


def _known(value: object) -> bool:
    # Names that are Outputs are checked by the API server's (absent) rules only; nothing to do.
    return value is not None and not isinstance(value, pulumi.Output)


def _first_repeat(entries: Iterable[_Named]) -> tuple[_Named, _Named] | None:
    seen: dict[object, _Named] = {}
    for entry in entries:
        if not _known(entry.name):
            continue
        if entry.name in seen:
            return seen[entry.name], entry
        seen[entry.name] = entry
    return None


def _mounts(where: str, value: object) -> list[tuple[_Named, _Named]]:
    """Each volume mount's name and path, with where each was given."""
    return [
        (
            _Named(f"{where}[{i}].name", _field(mount, "name", "name")),
            _Named(f"{where}[{i}].mount_path", _field(mount, "mount_path", "mountPath")),
        )
        for i, mount in enumerate(_items(value))
    ]


def _container_problem(
    where: str, ports: list[_Named], mounts: list[tuple[_Named, _Named]], volumes: set[object]
) -> Problem | None:
    """Port names unique, mount paths unique, every mount naming a volume, in one container."""
    if repeat := _first_repeat(ports):
        first, second = repeat
        return (
            second.where,
            second.name,
            f"is also the name of {first.where}; port names must be unique within {where}",
        )
    if repeat := _first_repeat(path for _mount, path in mounts):
        first, second = repeat
        return (
            second.where,
            second.name,
            f"is also the mount path of {first.where}; {where} can mount one volume per path",
        )
    for mount, _path in mounts:
        if _known(mount.name) and mount.name not in volumes:
            return (
                mount.where,
                mount.name,
                f"names no volume of the Pod ({', '.join(sorted(map(str, volumes))) or 'none'}) "
                "and no claim template; add the volume to extra_pod_spec['volumes']",
            )
    return None


def pod_template_problem(spec: PairSpec) -> Problem | None:
    """The first clash in the Pod template the pair would build, or None."""
    volume_names: set[object] = set()
    return (
        _volumes_problem(spec, volume_names)
        or _container_names_problem(spec)
        or _main_container_problem(spec, volume_names)
        or _extra_containers_problem(spec, volume_names)
    )


def _volumes_problem(spec: PairSpec, volume_names: set[object]) -> Problem | None:
    """Unique volume names, none equal to a claim template's; fills ``volume_names``."""
    volumes = [
        _Named(f"writable_paths[{i}]", f"scratch-{i}") for i in range(len(spec.writable_paths))
    ]
    volumes += [
        _Named(f"extra_pod_spec['volumes'][{i}].name", _field(volume, "name", "name"))
        for i, volume in enumerate(_items(spec.extra_pod_spec.get("volumes")))
    ]
    if repeat := _first_repeat(volumes):
        first, second = repeat
        return (
            second.where,
            second.name,
            f"is also the name of the volume of {first.where}; volume names must be unique",
        )
    volume_names.update(volume.name for volume in volumes)
    for where, claim in spec.claims:
        if claim.claim_name not in volume_names:
            continue
        clash = next(volume for volume in volumes if volume.name == claim.claim_name)
        rule = (
            f"is also the name of the claim template ({where}.claim_name); the claim template "
            "and the Pod's volumes share one set of names: choose another name"
        )
        if clash.where.startswith("extra_pod_spec"):
            return (clash.where, clash.name, rule)
        return (
            f"{where}.claim_name",
            claim.claim_name,
            f"is also the name of the volume of {clash.where}; the claim template and the Pod's "
            "volumes share one set of names: choose another name",
        )
    volume_names.update(claim.claim_name for _where, claim in spec.claims)
    return None


def _container_names_problem(spec: PairSpec) -> Problem | None:
    """Container names unique across the main container, init containers and sidecars."""
    main = _Named("the main container", spec.stateful_set_name)
    containers = [main]
    for field in ("init_containers", "containers"):
        containers += [
            _Named(f"extra_pod_spec[{field!r}][{i}].name", _field(item, "name", "name"))
            for i, item in enumerate(_items(spec.extra_pod_spec.get(field)))
        ]
    if repeat := _first_repeat(containers):
        first, second = repeat
        rule = (
            "is the name of the pair's main container (the StatefulSet's name)"
            if first is main
            else f"is also the name of {first.where}"
        )
        return (second.where, second.name, f"{rule}; container names must be unique in a Pod")
    return None


def _main_container_problem(spec: PairSpec, volume_names: set[object]) -> Problem | None:
    """The pair's ports and mounts plus those of ``extra_container_spec``."""
    extra_container = spec.extra_container_spec
    main_ports = [_Named(f"ports[{i}].name", port.name) for i, port in enumerate(spec.ports)]
    if spec.metrics is not None:
        main_ports.append(_Named("metrics.port", "metrics"))
    main_ports += [
        _Named(f"extra_container_spec['ports'][{i}].name", _field(port, "name", "name"))
        for i, port in enumerate(_items(extra_container.get("ports")))
    ]
    main_mounts = [
        (
            _Named(f"{where}.claim_name", claim.claim_name),
            _Named(f"{where}.mount_path", claim.mount_path),
        )
        for where, claim in spec.claims
    ]
    main_mounts += [
        (_Named(f"writable_paths[{i}]", f"scratch-{i}"), _Named(f"writable_paths[{i}]", path))
        for i, path in enumerate(spec.writable_paths)
    ]
    main_mounts += _mounts(
        "extra_container_spec['volume_mounts']", extra_container.get("volume_mounts")
    )
    return _container_problem("the main container", main_ports, main_mounts, volume_names)


def _extra_containers_problem(spec: PairSpec, volume_names: set[object]) -> Problem | None:
    """Each init container's and sidecar's own ports and mounts."""
    for field in ("init_containers", "containers"):
        for i, item in enumerate(_items(spec.extra_pod_spec.get(field))):
            where = f"extra_pod_spec[{field!r}][{i}]"
            ports = [
                _Named(f"{where}.ports[{j}].name", _field(port, "name", "name"))
                for j, port in enumerate(_items(_field(item, "ports", "ports")))
            ]
            mounts = _mounts(
                f"{where}.volume_mounts", _field(item, "volume_mounts", "volumeMounts")
            )
            if problem := _container_problem(where, ports, mounts, volume_names):
                return problem
    return None
