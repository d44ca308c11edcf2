"""``python -m index`` is the ``sitrep`` command."""

import sys

from index.cli import main

sys.exit(main())
