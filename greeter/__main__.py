"""``python -m greeter`` is the same as the ``greeter`` command."""

import sys

from greeter.signals import remember_early

remember_early(sys.argv)  # `run`: remember signals before the heavy imports (greeter.signals)

from greeter.cli import main  # noqa: E402

main()
