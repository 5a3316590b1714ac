"""`python -m cli` runs the `lagebild` command."""

import sys

from cli.main import main

sys.exit(main())
