"""``python -m plandsl``: the same as the ``plandsl`` command."""

import sys

from plandsl.cli import main

if __name__ == "__main__":
    sys.exit(main())
