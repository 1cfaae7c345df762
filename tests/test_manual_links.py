"""The manual's pages link to each other and to the repository's files by relative paths that work.

The README sends a reader to ``docs/*.md`` for the detail, and the pages there back to it and
to ``deploy/``, ``config.example.yaml`` and each other: a moved section or a renamed heading
must not leave a link pointing at nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.manual import ROOT, heading_anchors, manual_pages, relative_links


@pytest.mark.parametrize("page", manual_pages(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_names_a_file_and_a_heading_that_exist(page: Path) -> None:
    broken = []
    for target in relative_links(page):
        path, _, fragment = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        if not linked.exists():
            broken.append(f"{target}: no such file")
        elif fragment and linked.suffix == ".md" and fragment not in heading_anchors(linked):
            broken.append(f"{target}: no heading #{fragment} in {linked.name}")
    assert not broken, broken


def test_the_readme_links_every_page_of_docs() -> None:
    readme = set(relative_links(ROOT / "README.md"))
    pages = {t.partition("#")[0] for t in readme}
    missing = [p.name for p in manual_pages()[1:] if f"docs/{p.name}" not in pages]
    assert not missing, missing
