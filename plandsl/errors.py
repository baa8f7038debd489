"""The one exception type for problems of the user's input or command.

Stages report problems in files as diagnostics. Some problems stop a command
before there is anything to report on (a file that cannot be read, a document
that cannot be made, a broken project file): those raise a :class:`UserError`,
which the command line prints as one line, without a traceback.
"""


class UserError(Exception):
    """A problem with the user's input or command; ``exit_code`` is what the CLI returns."""

    exit_code = 2
