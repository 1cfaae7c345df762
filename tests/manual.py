"""The user's manual as tests read it: README.md and the reference pages in docs/, together.

The README is the overview and links to ``docs/*.md`` for the detail, so a promise a test
holds the manual to may be written in either; reading them as one text keeps such a test
about what the manual says, not about which page says it.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def manual_pages() -> list[Path]:
    """README.md first, then every page of docs/ by name."""
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def manual_text() -> str:
    """Every page of the manual, one after another."""
    return "\n".join(page.read_text(encoding="utf-8") for page in manual_pages())


def heading_anchors(page: Path) -> set[str]:
    """The fragment GitHub gives each heading of ``page`` (outside code blocks): ``#exit-codes``."""
    anchors: set[str] = set()
    seen: dict[str, int] = {}
    in_code = False
    for line in page.read_text(encoding="utf-8").split("\n"):
        if line.startswith("```"):
            in_code = not in_code
        if in_code or not line.startswith("#"):
            continue
        slug = re.sub(r"[^\w\- ]", "", line.lstrip("#").strip().lower()).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        anchors.add(slug if count == 0 else f"{slug}-{count}")
    return anchors


def relative_links(page: Path) -> list[str]:
    """The targets of ``page``'s Markdown links that are not web or mail addresses."""
    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.DOTALL)
    text = re.sub(r"`[^`\n]*`", "", text)
    targets = re.findall(r"\]\(([^)\s]+)\)", text)
    return [t for t in targets if not t.startswith(("http://", "https://", "mailto:"))]
