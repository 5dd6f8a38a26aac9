"""`python -m stateful_service_pair.render render ...`: see stateful_service_pair.render._cli."""

from stateful_service_pair.render._cli import console_main

console_main()
