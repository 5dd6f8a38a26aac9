"""One StatefulServicePair whose arguments all come from config, for the e2e scenarios.

`pulumi config set pair '<JSON object>'` gives the arguments exactly as a Python program
would pass them (snake_case keys); `name` names the pair. Every output the pair has is
exported under its camelCase name.
"""

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

config = pulumi.Config()
pair = StatefulServicePair(config.require("name"), config.require_object("pair"))
for attribute in OUTPUTS:
    head, *rest = attribute.split("_")
    pulumi.export(head + "".join(word.title() for word in rest), getattr(pair, attribute))
