"""``python -m index`` is the ``sitrep`` command."""

import sys

from index.cli.commands import main

sys.exit(main())
