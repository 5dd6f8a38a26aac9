"""A Secret from secret config, and a ConfigMap that must not receive the secret."""

import pulumi
import pulumi_kubernetes as k8s

config = pulumi.Config()
password = config.require_secret("password")

k8s.core.v1.Secret(
    "credentials",
    metadata={"name": "credentials", "namespace": "app"},
    string_data={"username": config.require("username"), "password": password},
)
# Reading a secret with get() instead of get_secret() drops the secret marking; the render
# must still not write it in plain text.
k8s.core.v1.ConfigMap(
    "leaky",
    metadata={"name": "leaky", "namespace": "app"},
    data={"dsn": f"mysql://app:{config.get('password')}@db:3306/app"},
)

pulumi.export("password", password)
pulumi.export("username", config.require("username"))

if config.get_bool("failWithSecret"):
    # A careless error message that quotes the secret: the render must scrub it.
    raise ConnectionError(f"cannot log in as app with password {config.get('password')}")
