"""The tests' strategies: a thin re-export of :mod:`plandsl.testing`.

The strategies moved into the public kit (``pip install plandsl[testing]``).
The lower-level names the tests use are re-exported here; ``plans``,
``positions``, ``options`` and ``clauses`` keep their old meaning here (the
grammar-wide block strategies), while in :mod:`plandsl.testing` those names are
the public, vocabulary-driven kit.
"""

from plandsl import testing as _kit

globals().update({name: value for name, value in vars(_kit).items() if not name.startswith("__")})

plans = _kit._plan_blocks
positions = _kit._positions_blocks
options = _kit._option_blocks
clauses = _kit._clause_nodes

from plandsl.testing import (  # noqa: E402,F401  (the names the tests import, spelt out)
    ACTIONS, CONDITIONS, FOCUSED_FILES, KEYWORDS, MODIFIERS, PROPERTY_KEYS, TERMINAL_NAMES,
    UNWRITABLE_SHAPES, plan_files, whole_files,
)
