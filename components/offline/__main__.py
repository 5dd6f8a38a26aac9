"""`python -m components.offline render ...`: see components.offline.cli."""

import sys

from components.offline.cli import main

sys.exit(main())
