"""Turn objects in Pulumi's wire form into clean, deterministic Kubernetes manifests. Pure.

Wire form is what the mocks receive: numbers as floats (`3.0`), secrets wrapped in marker dicts,
each where the program put it (see `stateful_service_pair.testing.wire_inputs`). A manifest for
`kubectl apply` needs integers as integers and no Pulumi internals, and a render must never write a
secret in plain text. Key order and object order are fixed, so two renders of one program are
byte-identical and diff cleanly.

Which values become `REDACTED`:

- A secret that is a single value (a string, number or boolean, e.g. an `image` from
`Config.require_secret`) is replaced where it sits; everything around it keeps its real value. - A
secret that is a whole map or list (an Output built from a secret with `apply`, or
`Output.secret({...})`) hides which value in it is the secret. Inside it only the strings that
contain a known secret value are replaced. Known secret values are the stack's secret config values
and every string the program passed to `pulumi.Output.secret` (which is what `Config.get_secret`
and `require_secret` do). If no known secret value occurs in it, the render cannot tell which value
to hide and will not guess: `clean_manifest` raises a RenderError naming the object and the
property. A value derived from a secret (say, its base64) is not recognised: in a map that also
holds a known secret value, it would be written as it is. - Except in the `data` and `stringData`
of a v1 `Secret`: there a secret map is replaced whole, every value in it, keys kept, known value
or not. pulumi-kubernetes marks these two fields secret as a whole (`Output.secret`), every value
in them is sensitive, and the manifest still shows which keys exist and stays well-formed. Other
kinds get no such rule. - Anywhere else, a plain string that contains a known secret value is
replaced too: a program that read a secret with `Config.get` instead of `get_secret` must not get
it written out.

`redacted_paths` lists where a manifest holds `REDACTED`; such a manifest cannot be applied as it
is, so `file_names` gives its file a suffix that `kubectl apply -f DIR` skips.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, TypeAlias

import yaml
from yaml.representer import SafeRepresenter

from stateful_service_pair.render._errors import RenderError
from stateful_service_pair.testing._wire_form import Path, is_secret, unwrap

REDACTED = "<secret: redacted by offline render>"
HEADER = (
    "# Rendered by `python -m stateful_service_pair.render render`; "
    "the next render replaces this file."
)
# A manifest with a redacted value is written as `<name>.yaml.redacted`. `kubectl apply -f DIR`
# reads only files ending in .json, .yaml or .yml from a directory (k8s.io/cli-runtime
# pkg/resource: FileExtensions in builder.go, ignoreFile in visitor.go), so it skips these.
REDACTED_SUFFIX = ".redacted"
REDACTED_NOTE = (
    "# Holds values the offline render redacted, so `kubectl apply -f DIR` skips this file: "
    "fill in the real values and create the object yourself."
)
# The fields of a v1 Secret that pulumi-kubernetes always marks secret as a whole.
SECRET_DATA_FIELDS = ("data", "stringData")

# Top-level keys that come first, in this order; the rest follow sorted.
_LEADING_KEYS = ("apiVersion", "kind", "metadata", "spec", "data", "stringData", "binaryData")

# Apply order: what others refer to first (namespaces, identities, config, storage), then
# Services before the workloads whose DNS names they govern, then policies about workloads.
KIND_ORDER = (
    "Namespace",
    "CustomResourceDefinition",
    "PriorityClass",
    "StorageClass",
    "ServiceAccount",
    "ClusterRole",
    "ClusterRoleBinding",
    "Role",
    "RoleBinding",
    "Secret",
    "ConfigMap",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "Service",
    "StatefulSet",
    "Deployment",
    "DaemonSet",
    "Job",
    "CronJob",
    "PodDisruptionBudget",
    "HorizontalPodAutoscaler",
    "NetworkPolicy",
    "Ingress",
)
_KIND_RANK = {kind: rank for rank, kind in enumerate(KIND_ORDER)}


def _clean(value: Any, secret_values: frozenset[str], path: Path, secret_data: bool) -> Any:
    """`value` with integral floats as ints, nested keys sorted and secrets redacted.

    `path` is where `value` sits in its manifest; `secret_data` says it is in a Secret's
    data or stringData. Raises `_UnlocatedSecretError` (see the module docstring).
    """
    # A secret wrapper is a dict, so only dicts are asked whether they are one: most values
    # are strings and numbers, and this runs for every value of every manifest.
    if isinstance(value, dict):
        if is_secret(value):
            return _clean_secret(value["value"], secret_values, path, secret_data)
        return {
            key: _clean(value[key], secret_values, (*path, key), secret_data)
            for key in sorted(value)
        }
    if isinstance(value, list):
        return [
            _clean(item, secret_values, (*path, index), secret_data)
            for index, item in enumerate(value)
        ]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and secret_values and contains_secret(value, secret_values):
        return REDACTED
    return value


class _UnlocatedSecretError(Exception):
    """A secret map or list in which no known secret value occurs."""

    def __init__(self, path: Path) -> None:
        super().__init__(format_path(path))
        self.path = path


def _clean_secret(inner: Any, secret_values: frozenset[str], path: Path, secret_data: bool) -> Any:
    if secret_data:
        return _redact(inner)
    if not isinstance(inner, dict | list):
        return REDACTED
    cleaned = _clean(inner, secret_values, path, secret_data=False)
    if next(_redacted_leaves(cleaned, path), None) is None:
        raise _UnlocatedSecretError(path)
    return cleaned


# Shorter secrets are only matched whole: searching for "ab" inside every string would
# redact half the manifest.
MIN_SUBSTRING_SECRET = 4


def contains_secret(text: str, secret_values: frozenset[str]) -> bool:
    """Return whether `text` is, or contains, one of the known secret values."""
    return any(
        text == secret or (len(secret) >= MIN_SUBSTRING_SECRET and secret in text)
        for secret in secret_values
    )


def _redact(value: Any) -> Any:
    if is_secret(value):
        return _redact(value["value"])
    if isinstance(value, dict):
        return {key: _redact(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [_redact(item) for item in value]
    return REDACTED


def clean_manifest(
    wire: Mapping[str, Any], secret_values: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """Return one object as a clean manifest, top-level keys in apply-friendly order.

    Top-level `__`-prefixed keys are Pulumi bookkeeping and are dropped. Deeper keys are kept:
    `__init__.py` is a valid ConfigMap data key.

    Raises:
        RenderError: a secret map or list holds no known secret value (see the module
            docstring), e.g. `StatefulSet db/mysql: spec.template.spec.containers holds a
            Pulumi secret the offline render cannot locate (...)`.
    """
    kept = {key: value for key, value in wire.items() if not key.startswith("__")}
    is_secret_kind = unwrap(kept.get("apiVersion")) == "v1" and unwrap(kept.get("kind")) == "Secret"
    leading = [key for key in _LEADING_KEYS if key in kept]
    rest = sorted(key for key in kept if key not in _LEADING_KEYS)
    cleaned: dict[str, Any] = {}
    # In this order kind and metadata are clean before anything else, ready for the message.
    for key in leading + rest:
        try:
            cleaned[key] = _clean(
                kept[key], secret_values, (key,), is_secret_kind and key in SECRET_DATA_FIELDS
            )
        except _UnlocatedSecretError as exc:
            raise RenderError(
                f"{object_label(cleaned)}: {exc} holds a Pulumi secret the offline render cannot "
                "locate (no secret config value or Output.secret string occurs in it); pass it "
                "through config or keep it out of this object"
            ) from None
    return cleaned


_PLAIN_KEY = re.compile(r"[A-Za-z0-9_-]+")


def format_path(path: Path) -> str:
    """`spec.template.spec.containers[0].image`; keys with other characters as `["a.b"]`."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        elif _PLAIN_KEY.fullmatch(part):
            text += f".{part}" if text else part
        else:
            text += f"[{json.dumps(part)}]"
    return text


def _redacted_leaves(value: Any, path: Path) -> Iterator[Path]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _redacted_leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _redacted_leaves(item, (*path, index))
    elif value == REDACTED:
        yield path


def redacted_paths(manifest: Mapping[str, Any]) -> list[str]:
    """Where a clean manifest holds `REDACTED`, in manifest order, e.g. `stringData.password`."""
    return [format_path(path) for path in _redacted_leaves(dict(manifest), ())]


def metadata_field(manifest: Mapping[str, Any], field: str) -> str | None:
    """Return `metadata.<field>` as a string, or None."""
    metadata = manifest.get("metadata")
    value = metadata.get(field) if isinstance(metadata, dict) else None
    return None if value is None else str(value)


def object_label(manifest: Mapping[str, Any]) -> str:
    """`Kind namespace/name`, or `Kind name` for a cluster-scoped object."""
    namespace = metadata_field(manifest, "namespace")
    name = metadata_field(manifest, "name") or "?"
    return (
        f"{manifest.get('kind')} {namespace}/{name}"
        if namespace
        else f"{manifest.get('kind')} {name}"
    )


def sort_key(manifest: Mapping[str, Any]) -> tuple[int, str, str, str, str]:
    """Apply order: by KIND_ORDER (other kinds after, by name), then namespace, name, apiVersion."""
    kind = str(manifest.get("kind", ""))
    return (
        _KIND_RANK.get(kind, len(KIND_ORDER)),
        kind,
        metadata_field(manifest, "namespace") or "",
        metadata_field(manifest, "name") or "",
        str(manifest.get("apiVersion", "")),
    )


def sort_manifests(manifests: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return the manifests in apply order."""
    return sorted(manifests, key=sort_key)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9.-]+", "-", text.lower()).strip("-") or "unnamed"


def file_names(
    manifests: Sequence[Mapping[str, Any]], redacted: Sequence[Sequence[str]] | None = None
) -> list[str]:
    """Name one file per manifest, numbered so `kubectl apply -f DIR` applies them in order.

    E.g. `003-service-db-mysql-headless.yaml` (`<index>-<kind>-<namespace>-<name>`), and
    `001-secret-db-root.yaml.redacted` for a manifest with redacted values, which
    `kubectl apply -f DIR` skips.

    Args:
        manifests: The clean manifests, in apply order.
        redacted: `redacted_paths` of each manifest, when the caller has them already (a
            render needs them three times and each is a walk of the whole manifest);
            computed if None.
    """
    if redacted is None:
        redacted = [redacted_paths(manifest) for manifest in manifests]
    width = max(3, len(str(len(manifests) - 1)))
    names = []
    for index, (manifest, paths) in enumerate(zip(manifests, redacted, strict=True)):
        parts = [str(manifest.get("kind", "object"))]
        parts += [
            metadata_field(manifest, "namespace") or "",
            metadata_field(manifest, "name") or "",
        ]
        slug = "-".join(_slug(part) for part in parts if part)
        suffix = REDACTED_SUFFIX if paths else ""
        names.append(f"{index:0{width}d}-{slug}.yaml{suffix}")
    return names


# The tags SafeRepresenter gives strings, dicts and lists.
_STR_TAG = "tag:yaml.org,2002:str"
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"


def _represent_str(dumper: SafeRepresenter, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar(_STR_TAG, value, style=style)


class _ManifestDumper(yaml.SafeDumper):
    """YAML the way people write manifests: multi-line strings as `|` blocks."""


_ManifestDumper.add_representer(str, _represent_str)
# A string: PyYAML without libyaml has no CSafeDumper.
_Dumper: TypeAlias = "yaml.SafeDumper | yaml.CSafeDumper"
MANIFEST_DUMPERS: tuple[type[_Dumper], ...] = (_ManifestDumper,)
"""The dumpers `to_yaml` can use, the one it uses first. All write the same text."""

# libyaml's emitter is several times as fast as PyYAML's pure-Python one and writes the same text
# for strings of printable ASCII and line breaks, which is what manifests hold. Beyond those it
# differs (it writes emoji unescaped, quotes keys with `\r` or `\x85` differently, and loses
# `\x85` in some plain scalars), so a manifest with any other character is written by the
# pure-Python emitter and the choice never shows (tests/test_offline_yaml.py). A PyYAML built
# without libyaml has only the pure-Python emitter.
_C_EMITTER_SAFE = re.compile(r"[\x20-\x7e]{0,120}")


class _NeedsPythonEmitterError(Exception):
    """A string the C emitter might write differently from the pure-Python one."""


def _represent_str_in_c(dumper: SafeRepresenter, value: str) -> yaml.ScalarNode:
    if not _C_EMITTER_SAFE.fullmatch(value):
        raise _NeedsPythonEmitterError
    return _represent_str(dumper, value)


if yaml.__with_libyaml__:

    class _CManifestDumper(yaml.CSafeDumper):
        """`_ManifestDumper` with libyaml's emitter."""

    _CManifestDumper.add_representer(str, _represent_str_in_c)
    MANIFEST_DUMPERS = (_CManifestDumper, _ManifestDumper)

_DUMP_OPTIONS: dict[str, Any] = {
    "sort_keys": False,
    "default_flow_style": False,
    "allow_unicode": True,
}


def _body_from_representer(data: dict[str, Any], dumper: type[SafeRepresenter]) -> str:
    """`data` as YAML, the node tree built by PyYAML's representer: the reference for speed-ups."""
    try:
        text: str = yaml.dump(data, Dumper=dumper, **_DUMP_OPTIONS)
    except _NeedsPythonEmitterError:
        text = yaml.dump(data, Dumper=_ManifestDumper, **_DUMP_OPTIONS)
    return text


# The scalars besides strings that a clean manifest holds; the dumper's own representers
# (SafeRepresenter's) turn them into nodes, so their tags and texts are PyYAML's.
_OTHER_SCALARS = frozenset({type(None), bool, int, float})


class _NotPlainError(Exception):
    """A value `_NodeBuilder` leaves to PyYAML's representer."""


class _NodeBuilder:
    """Builds the node tree a manifest dumper's representer builds, without its generic parts.

    PyYAML's `represent_data` finds each value's representer through its type's MRO and keeps
    alias bookkeeping for every value; that was half of `to_yaml`'s time with libyaml's
    emitter. A clean manifest holds only dicts, lists, strings, ints, floats, bools and None,
    each container once, so the tree is built directly here: every collection in block style
    (`default_flow_style=False` gives every node `flow_style=False`), strings as
    `_represent_str` makes them, the other scalars by the dumper's own representers. Anything
    else (another type, a subclass, or a container met twice, which PyYAML writes as an
    anchor and alias) raises `_NotPlainError`. tests/test_offline_yaml.py compares the trees
    and the text with the representer's.
    """

    def __init__(self, dumper: _Dumper) -> None:
        self._dumper = dumper
        # As `_represent_str_in_c`: the C emitter gets only strings it writes like PyYAML's.
        self._c_safe_strings_only = dumper.yaml_representers[str] is _represent_str_in_c
        self._containers: set[int] = set()

    def node(self, value: Any) -> yaml.Node:
        """The node for `value`: a mapping, sequence or scalar node and everything inside."""
        kind = type(value)
        if kind is str:
            return self._str(value)
        if kind is dict:
            self._first_time(value)
            pairs = [(self.node(key), self.node(item)) for key, item in value.items()]
            return yaml.MappingNode(_MAP_TAG, pairs, flow_style=False)
        if kind is list:
            self._first_time(value)
            items = [self.node(item) for item in value]
            return yaml.SequenceNode(_SEQ_TAG, items, flow_style=False)
        if kind in _OTHER_SCALARS:
            return self._dumper.yaml_representers[kind](self._dumper, value)
        raise _NotPlainError

    def _str(self, value: str) -> yaml.ScalarNode:
        # `_represent_str` (and `_represent_str_in_c`), without the representer's bookkeeping.
        if self._c_safe_strings_only and not _C_EMITTER_SAFE.fullmatch(value):
            raise _NeedsPythonEmitterError
        return yaml.ScalarNode(_STR_TAG, value, style="|" if "\n" in value else None)

    def _first_time(self, container: dict[Any, Any] | list[Any]) -> None:
        # Every container of `data` stays alive while the tree is built, so ids are unique.
        if id(container) in self._containers:
            raise _NotPlainError
        self._containers.add(id(container))


def _serialize(data: dict[str, Any], dumper_class: type[_Dumper]) -> str:
    """`data` as YAML: `_NodeBuilder`'s node tree written by `dumper_class`'s emitter."""
    stream = io.StringIO()
    dumper = dumper_class(stream, **_DUMP_OPTIONS)
    try:
        node = _NodeBuilder(dumper).node(data)
        # What `yaml.dump` does around the representer: one document in one stream.
        dumper.open()
        dumper.serialize(node)
        dumper.close()
    finally:
        dumper.dispose()
    return stream.getvalue()


def _body_from_nodes(data: dict[str, Any], dumper: type[_Dumper]) -> str:
    """`data` as YAML, the same text as `_body_from_representer`, the tree built directly."""
    if dumper not in MANIFEST_DUMPERS:  # not one of ours: its own representers decide
        return _body_from_representer(data, dumper)
    try:
        return _serialize(data, dumper)
    except _NeedsPythonEmitterError:  # as `_body_from_representer` does
        return _body_from_nodes(data, _ManifestDumper)
    except _NotPlainError:  # not from clean_manifest: PyYAML's representer handles it
        return _body_from_representer(data, dumper)


def to_yaml(
    manifest: Mapping[str, Any],
    *,
    dumper: type[_Dumper] = MANIFEST_DUMPERS[0],
    redacted: Sequence[str] | None = None,
) -> str:
    """Serialize one clean manifest, keeping its key order, with the render header on top.

    A manifest with redacted values gets a second comment line that says so.

    Args:
        manifest: A clean manifest.
        dumper: One of MANIFEST_DUMPERS; all write the same text. Defaults to the fastest.
        redacted: `redacted_paths(manifest)`, when the caller has it already; computed if None.
    """
    body = _body_from_nodes(dict(manifest), dumper)
    if redacted is None:
        redacted = redacted_paths(manifest)
    note = f"{REDACTED_NOTE}\n" if redacted else ""
    return f"{HEADER}\n{note}{body}"
