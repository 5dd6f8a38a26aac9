"""Labels shared by the program's objects."""

LABELS = {"team": "a"}
