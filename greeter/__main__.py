"""``python -m greeter`` is the same as the ``greeter`` command."""

from greeter.cli import main

main()
