"""A pair in expand mode: it reads its StorageClass, which offline nothing can answer."""

from stateful_service_pair import StatefulServicePair

StatefulServicePair(
    "ledger",
    {
        "image": "postgres:17",
        "ports": [{"name": "sql", "port": 5432}],
        "storage": {"size": "20Gi", "storage_class_name": "fast", "on_change": "expand"},
    },
)
