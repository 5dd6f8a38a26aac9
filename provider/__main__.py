"""Entry point of the StatefulServicePair plugin: the engine runs `python provider/ <engine>`.

Serves the component as package `stateful-service-pair` (type token
`stateful-service-pair:index:StatefulServicePair`); see components/stateful_service_pair/_plugin.py.
"""

import sys

from stateful_service_pair._plugin import serve

if __name__ == "__main__":
    serve(sys.argv[1:])
