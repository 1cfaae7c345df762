"""``greeter check``'s ``--all``, out of :mod:`greeter.cli` (whose module is at its size limit).

Only :mod:`click` is imported here: the group's help text loads this module
(tests/test_startup_imports.py).
"""

from __future__ import annotations

import click

#: ``--all``: the full render, every occasion's letter for every contact (the old ``check``).
all_drafts_option = click.option(
    "--all",
    "every",
    is_flag=True,
    help=(
        "Render every draft, each occasion's letter for every contact (minutes at 100,000 contacts),"
        " instead of one per shape of contact (language, country, gender, tier, tags, which fields"
        " are filled in), which tells the others' drafts: for a template whose output depends on a"
        " value itself (a branch on a city, a filter failing on one name). Rows whose data could"
        " break a letter by its value (markup, control characters, very long values) are rendered"
        " on their own either way, and every row's data is checked."
    ),
)


def progress_words(every: bool) -> str:
    """The progress bar's words: what ``check`` does with the rows it reads."""
    return "checking contacts, every template rendered" if every else "checking contacts"
