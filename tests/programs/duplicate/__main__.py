"""Two resources that create the same Service: the API server would refuse the second."""

import pulumi_kubernetes as k8s

for logical in ("db-primary", "db-replica"):
    k8s.core.v1.Service(
        logical,
        metadata={"name": "db", "namespace": "prod"},
        spec={"ports": [{"port": 5432}]},
    )
