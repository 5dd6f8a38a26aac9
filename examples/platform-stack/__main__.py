"""A team's stack, the way a platform repository composes it.

One namespace, one explicit Kubernetes provider bound to it, and in it: a PostgreSQL
database and a Redis cache (two StatefulServicePairs) and an app (a Deployment) that reaches
both through their client Services. The app reads the database's address from the pair's
``client_service_dns`` output instead of a typed-in string, so a renamed pair, another
namespace or another cluster domain cannot leave the app pointing at the old name; the
output also makes Pulumi create the app only once the database is Ready.
"""

import pulumi
import pulumi_kubernetes as k8s
from stateful_service_pair import StatefulServicePair

DATABASE = "orders-db"
CACHE = "sessions"
APP = "orders-api"
DATABASE_USER = "orders"
POSTGRES_PORT = 5432
REDIS_PORT = 6379
# The postgres image's own account; its entrypoint switches users only when started as root.
POSTGRES_UID = 999

config = pulumi.Config()
cluster_domain = config.require("clusterDomain")

# Cluster-scoped objects go through a provider without a namespace; everything of the team's
# goes through one bound to the team's namespace, so no object names a namespace itself.
cluster = k8s.Provider("cluster", context=config.get("kubeContext") or None)
namespace = k8s.core.v1.Namespace(
    "team",
    metadata={"name": config.require("namespace")},
    opts=pulumi.ResourceOptions(provider=cluster),
)
team = k8s.Provider(
    "team", namespace=namespace.metadata.name, context=config.get("kubeContext") or None
)
in_team = pulumi.ResourceOptions(provider=team)

credentials = k8s.core.v1.Secret(
    f"{DATABASE}-credentials",
    metadata={"name": f"{DATABASE}-credentials"},
    string_data={"password": config.require_secret("databasePassword")},
    opts=in_team,
)
only_the_app = {"allowed_clients": [{"pod_labels": {"app.kubernetes.io/name": APP}}]}

database = StatefulServicePair(
    DATABASE,
    {
        "image": config.require("postgresImage"),
        # The pair cannot read the team provider's namespace; its DNS names need it.
        "namespace": namespace.metadata.name,
        "cluster_domain": cluster_domain,
        "ports": [{"name": "postgres", "port": POSTGRES_PORT}],
        "env": {
            "POSTGRES_USER": DATABASE_USER,
            "POSTGRES_DB": DATABASE_USER,
            # Below the volume's root, which may hold lost+found: initdb wants it empty.
            "PGDATA": "/var/lib/postgresql/data/pgdata",
        },
        "secret_env": {
            "POSTGRES_PASSWORD": {"secret_name": f"{DATABASE}-credentials", "key": "password"}
        },
        "run_as_user": POSTGRES_UID,
        "run_as_group": POSTGRES_UID,
        "fs_group": POSTGRES_UID,
        # Read-only root filesystem: the server's socket and lock go to /var/run/postgresql.
        "writable_paths": ["/tmp", "/var/run/postgresql"],
        "storage": {"size": "5Gi", "mount_path": "/var/lib/postgresql/data"},
        "startup_probe": {"failure_threshold": 30},
        "network_policy": only_the_app,
    },
    opts=pulumi.ResourceOptions(provider=team, depends_on=[credentials]),
)

cache = StatefulServicePair(
    CACHE,
    {
        "image": config.require("redisImage"),
        "namespace": namespace.metadata.name,
        "cluster_domain": cluster_domain,
        "ports": [{"name": "redis", "port": REDIS_PORT}],
        # redis runs as any UID; the pair's defaults (10001, read-only root) hold.
        "args": ["--appendonly", "yes"],
        "storage": {"size": "1Gi", "mount_path": "/data"},
        "network_policy": only_the_app,
    },
    opts=in_team,
)

app_labels = {"app.kubernetes.io/name": APP}
app = k8s.apps.v1.Deployment(
    APP,
    metadata={"name": APP, "labels": app_labels},
    spec=k8s.apps.v1.DeploymentSpecArgs(
        replicas=2,
        selector=k8s.meta.v1.LabelSelectorArgs(match_labels=app_labels),
        template=k8s.core.v1.PodTemplateSpecArgs(
            metadata=k8s.meta.v1.ObjectMetaArgs(labels=app_labels),
            spec=k8s.core.v1.PodSpecArgs(
                automount_service_account_token=False,
                security_context=k8s.core.v1.PodSecurityContextArgs(
                    run_as_non_root=True,
                    run_as_user=POSTGRES_UID,
                    run_as_group=POSTGRES_UID,
                    seccomp_profile=k8s.core.v1.SeccompProfileArgs(type="RuntimeDefault"),
                ),
                containers=[
                    k8s.core.v1.ContainerArgs(
                        name=APP,
                        # Stands in for your service: the postgres image's client tools check,
                        # every 10 s, that the database answers at the address it was given.
                        image=config.require("postgresImage"),
                        command=[
                            "sh",
                            "-c",
                            'while true; do pg_isready -h "$DATABASE_HOST" -p "$DATABASE_PORT"'
                            ' -U "$DATABASE_USER"; sleep 10; done',
                        ],
                        env=[
                            k8s.core.v1.EnvVarArgs(
                                name="DATABASE_HOST", value=database.client_service_dns
                            ),
                            k8s.core.v1.EnvVarArgs(name="DATABASE_PORT", value=str(POSTGRES_PORT)),
                            k8s.core.v1.EnvVarArgs(name="DATABASE_USER", value=DATABASE_USER),
                            k8s.core.v1.EnvVarArgs(
                                name="DATABASE_PASSWORD",
                                value_from=k8s.core.v1.EnvVarSourceArgs(
                                    secret_key_ref=k8s.core.v1.SecretKeySelectorArgs(
                                        name=credentials.metadata.name, key="password"
                                    )
                                ),
                            ),
                            k8s.core.v1.EnvVarArgs(
                                name="REDIS_URL",
                                value=pulumi.Output.concat(
                                    "redis://", cache.client_service_dns, f":{REDIS_PORT}"
                                ),
                            ),
                        ],
                        resources=k8s.core.v1.ResourceRequirementsArgs(
                            requests={"cpu": "10m", "memory": "32Mi"},
                            limits={"cpu": "100m", "memory": "64Mi"},
                        ),
                        security_context=k8s.core.v1.SecurityContextArgs(
                            allow_privilege_escalation=False,
                            read_only_root_filesystem=True,
                            capabilities=k8s.core.v1.CapabilitiesArgs(drop=["ALL"]),
                        ),
                    )
                ],
            ),
        ),
    ),
    opts=in_team,
)

pulumi.export("namespace", database.namespace)
pulumi.export("databaseHost", database.client_service_dns)
pulumi.export("databasePrimary", database.primary_dns_name)
pulumi.export("cacheEndpoint", cache.endpoints("redis"))
# Every name a certificate for the database must cover, for a cert-manager Certificate.
pulumi.export("databaseTlsNames", database.tls_dns_names)
