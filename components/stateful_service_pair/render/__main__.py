"""`python -m stateful_service_pair.render render ...`: see stateful_service_pair.render._cli."""

import sys

from stateful_service_pair.render._cli import main

sys.exit(main())
