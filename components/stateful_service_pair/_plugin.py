"""StatefulServicePair as a Pulumi plugin, for programs in every Pulumi language.

``provider/`` (``PulumiPlugin.yaml``, ``__main__.py``) is what ``pulumi package add`` runs: the
engine starts ``provider/__main__.py``, which calls :func:`serve`. The schema the other languages'
SDKs are generated from is inferred by the SDK's own analyzer from the annotations and docstrings
of :class:`StatefulServicePair` and :mod:`stateful_service_pair._args`; ``provider/schema.json`` is
a copy of it, regenerated with ``make schema`` and compared by the tests.

Run ``python -m stateful_service_pair._plugin schema [FILE]`` to print or write the schema.
"""

import dataclasses
import importlib.metadata
import inspect
import json
import sys
from collections.abc import Mapping
from typing import Any

import pulumi
from pulumi.provider import main as serve_provider
from pulumi.provider.experimental.analyzer import PropertyDefinition, PropertyType
from pulumi.provider.experimental.component import ComponentProvider

from ._component import PACKAGE_NAME, StatefulServicePair

__all__ = ["DISTRIBUTION", "StatefulServicePairProvider", "schema", "schema_text", "serve"]

DISTRIBUTION = "pulumi-stateful-service-pair"


class StatefulServicePairProvider(ComponentProvider):
    """The SDK's component provider for :class:`StatefulServicePair`, with three fixes.

    - Integers reach a provider as floats (the wire format has only doubles). The SDK means to
      convert them (``ComponentProvider.map_input_properties`` in pulumi 3.272.0,
      ``pulumi/provider/experimental/component.py:276-287``) but stores the float right after,
      and calls ``int()`` on an Output (a value of another resource, or a secret), which raises
      ``TypeError``. Here every property the schema types as an integer, at any depth, gets an
      ``int``, inside Outputs too; a float with a fraction is left alone, so validation rejects
      it with its own message. (No argument is a list or map of integers.)
    - A list of enum values (``storage.access_modes``) would reach the component as a list of
      empty dicts; it is passed through as sent.
    - Descriptions are the docstrings as written; they are dedented for the generated SDKs.
    """

    def __init__(self) -> None:
        super().__init__(
            [StatefulServicePair],
            PACKAGE_NAME,
            version=importlib.metadata.version(DISTRIBUTION),
        )
        self.schema = json.dumps(_dedent_descriptions(json.loads(self.schema or "{}")))

    def map_input_properties(
        self,
        inputs: pulumi.Inputs,
        properties: dict[str, PropertyDefinition],
        mapping: dict[str, str],
        component_name: str,
        property_path: str,
    ) -> pulumi.Inputs:
        """Turn integer floats back into ints, then let the SDK map names (it recurses here)."""
        if isinstance(inputs, Mapping):
            inputs = {
                key: _as_int(value)
                if key in properties and properties[key].type is PropertyType.INTEGER
                else value
                for key, value in inputs.items()
            }
        # The SDK's own conversion would call int() on an Output; the values are ints by now.
        untyped = {
            key: dataclasses.replace(prop, type=None) if prop.type is PropertyType.INTEGER else prop
            for key, prop in properties.items()
        }
        # A list of enum values is mapped item by item as if each were an object, which turns
        # every value into {} (pulumi 3.272, ComponentProvider.map_input_properties, "arrays of
        # complex types"). Passed through as sent, validation checks each value instead.
        untyped = {
            key: dataclasses.replace(prop, items=None) if self._is_enum_list(prop) else prop
            for key, prop in untyped.items()
        }
        return super().map_input_properties(inputs, untyped, mapping, component_name, property_path)

    def _is_enum_list(self, prop: PropertyDefinition) -> bool:
        """Whether ``prop`` is a list whose items are one of this package's enums."""
        if prop.items is None or prop.items.ref is None:
            return False
        type_def = self.get_type_definition(prop.items)
        return type_def is not None and bool(type_def.enum)


def _as_int(value: Any) -> Any:
    """An integer-valued float as int, also inside an Output; anything else unchanged."""
    if isinstance(value, pulumi.Output):
        return value.apply(_as_int)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _dedent_descriptions(node: Any) -> Any:
    """The schema with every ``description`` dedented, as ``inspect.getdoc`` would show it."""
    if isinstance(node, dict):
        return {
            key: inspect.cleandoc(value)
            if key == "description" and isinstance(value, str)
            else _dedent_descriptions(value)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_dedent_descriptions(element) for element in node]
    return node


def schema() -> dict[str, Any]:
    """The package schema the plugin serves to ``pulumi package add``."""
    loaded: dict[str, Any] = json.loads(StatefulServicePairProvider().schema or "{}")
    return loaded


def schema_text() -> str:
    """:func:`schema` as committed in ``provider/schema.json``."""
    return json.dumps(schema(), indent=2, ensure_ascii=False) + "\n"


def serve(args: list[str]) -> None:
    """Serve the provider to the engine; ``args`` are the plugin's command-line arguments.

    What ``pulumi.provider.experimental.component_provider_host`` does, with the provider above.
    """
    serve_provider(StatefulServicePairProvider(), args)


def _main(argv: list[str]) -> int:
    if argv[:1] != ["schema"] or len(argv) > 2:
        print("usage: python -m stateful_service_pair._plugin schema [FILE]", file=sys.stderr)
        return 2
    text = schema_text()
    if len(argv) == 1:
        sys.stdout.write(text)
    else:
        with open(argv[1], "w", encoding="utf-8") as out:
            out.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
