"""``python -m greeter`` is the same as the ``greeter`` command."""

import sys

from greeter.entry import at_entry

at_entry(sys.argv)  # before the heavy imports (greeter.entry)

from greeter.cli import main  # noqa: E402

main()
