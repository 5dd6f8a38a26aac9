"""The one error type the offline renderer reports to its user."""

from __future__ import annotations


class RenderError(Exception):
    """A problem the user has to fix; its message is one line that says what and where.

    The CLI prints it as `error: <message>` and exits non-zero, without a traceback.
    """
