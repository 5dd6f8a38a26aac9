"""One StatefulServicePair whose arguments all come from config, for the e2e scenarios.

`pulumi config set pair '<JSON object>'` gives the arguments exactly as a Python program
would pass them (snake_case keys); `name` names the pair. Every output the pair has is
exported under its camelCase name. `unknownAtPreview` lists arguments to pass as Outputs that
are unknown at a preview, as an image built in the same stack is.
"""

import asyncio
import sys
from pathlib import Path

import pulumi

# As in the root program: the checked-out package, from the copied components/ folder.
sys.path.insert(0, str(Path(__file__).resolve().parent / "components"))

from stateful_service_pair import StatefulServicePair

OUTPUTS = (
    "pod_names",
    "pod_dns_names",
    "namespace",
    "persistent_volume_claims",
    "service_account_name",
    "per_pod_service_dns",
    "pod_short_dns_names",
    "claims_by_template",
)


def unknown_at_preview(value: object) -> pulumi.Output[object]:
    """``value`` at `up`; unknown at a preview, like another resource's output."""
    loop = asyncio.get_event_loop()
    known: asyncio.Future[bool] = loop.create_future()
    known.set_result(not pulumi.runtime.is_dry_run())
    future: asyncio.Future[object] = loop.create_future()
    future.set_result(value)
    return pulumi.Output(set(), future, known)


config = pulumi.Config()
args = config.require_object("pair")
for argument in config.get_object("unknownAtPreview") or []:
    args[argument] = unknown_at_preview(args[argument])
pair = StatefulServicePair(config.require("name"), args)
for attribute in OUTPUTS:
    head, *rest = attribute.split("_")
    pulumi.export(head + "".join(word.title() for word in rest), getattr(pair, attribute))
