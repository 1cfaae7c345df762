"""A Georgian gallery's labels are never raised to capitals (nor lowered) by its stylesheet.

Georgian writes no capitals in running text: since Unicode 11 its letters have an upper case,
Mtavruli, an all-caps display style. The gallery lowers its tiles' words and the overview's
columns and raises the «text» over a letter with ``text-transform`` — for Russian and English.
Chromium and Firefox map no Mkhedruli to Mtavruli there since 2018 (a workaround, w3c/eurlreq#30);
a browser without it shows the labels in Mtavruli, or as boxes in a font that has none. So the
stylesheet turns every transform off for whatever is in Georgian, ahead of any browser's choice.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from greeter.cli import main
from greeter.gallery import write_gallery
from tests.test_gallery import NOW, START, TreeBuilder, run_chromium
from tests.test_gallery_pages import big_plan
from tests.test_georgian_letters import init_ka

#: The rule that keeps Georgian as written: on every element in Georgian and its generated text.
KA_RULE = re.compile(
    r"(?:^|[};])\s*:lang\(ka\),\s*:lang\(ka\)::before,\s*:lang\(ka\)::after\s*"
    r"\{\s*text-transform:\s*none\s*!important;?\s*\}"
)
NOW_KA = "2026-12-07T09:00:00+04:00"


@pytest.fixture(scope="module")
def ka_gallery(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``greeter init --locale ka``'s project, previewed for a year as HTML."""
    config = init_ka(tmp_path_factory.mktemp("ka"))
    out = config.parent / "gallery"
    args = ["--config", str(config), "preview", "--now", NOW_KA, "--days", "365", "--format", "html"]
    done = CliRunner().invoke(main, [*args, "--out", str(out)])
    assert done.exit_code == 0, done.stderr
    return out


@pytest.fixture(scope="module")
def ka_overview(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A Georgian gallery in parts: its index is the overview's table of days (lowered columns)."""
    out = tmp_path_factory.mktemp("ka-big") / "g"
    write_gallery(big_plan(), out, start=START, days=14, now=NOW, page_cards=4, locale="ka")
    return out


def sheets(gallery: Path) -> Iterator[tuple[str, str]]:
    """Every piece of CSS the gallery's pages carry: the stylesheet, each page's ``<style>``s and
    ``style`` attributes (a letter's own HTML, in the frame, is the client's and not looked at)."""
    yield "gallery.css", (gallery / "gallery.css").read_text(encoding="utf-8")
    for page in sorted(gallery.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        html = re.sub(r'srcdoc="[^"]*"', "", html)
        for k, css in enumerate(re.findall(r"<style[^>]*>(.*?)</style>", html, flags=re.S)):
            yield f"{page.name} <style> {k}", css
        for k, css in enumerate(re.findall(r'\sstyle="([^"]*)"', html)):
            yield f"{page.name} style= {k}", css


@pytest.mark.parametrize("which", ["ka_gallery", "ka_overview"])
def test_no_transform_of_the_stylesheet_reaches_georgian_text(
    which: str, request: pytest.FixtureRequest
) -> None:
    """The Georgian rule is an ``!important`` one on each Georgian element itself, so it beats every
    other rule (whatever its specificity or place) and the ``<html>``'s own transform inherited;
    only another ``!important`` transform, or an inline one, could undo it — there is none."""
    gallery: Path = request.getfixturevalue(which)
    assert '<html lang="ka">' in (gallery / "index.html").read_text(encoding="utf-8")
    found = list(sheets(gallery))
    css = found[0][1]
    assert KA_RULE.search(re.sub(r"/\*.*?\*/", "", css, flags=re.S))
    assert re.search(r"text-transform:\s*(?:uppercase|lowercase)", css)  # there are transforms to undo
    for where, text in found:
        text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
        important = re.findall(r"text-transform:\s*([\w-]+)\s*!important", text)
        assert set(important) <= {"none"}, where  # only the Georgian rule (the index inlines the sheet)
        assert len(important) <= 1, where
        assert "style=" not in where or "text-transform" not in text, where


#: Run in the copied page: every element in Georgian, and its ::before and ::after, whose computed
#: text-transform is not "none"; written on <body> for --dump-dom to carry out.
PROBE = """<script>
const bad = [];
for (const el of document.querySelectorAll("body *")) {
  const lang = el.closest("[lang]");
  if (!lang || !lang.lang.startsWith("ka")) continue;
  for (const pseudo of [null, "::before", "::after"]) {
    const t = getComputedStyle(el, pseudo).textTransform;
    if (t !== "none") bad.push(`${el.tagName.toLowerCase()}.${el.className}${pseudo || ""}: ${t}`);
  }
}
document.body.dataset.transformed = JSON.stringify(bad);
</script>"""


def with_probe(page: Path) -> Path:
    """``page`` (a copy) with :data:`PROBE` before ``</body>`` and its policy taken out, or the probe
    would not run; the stylesheet beside it as the gallery wrote it."""
    html = page.read_text(encoding="utf-8")
    html = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html)
    assert html.count("</body>") == 1
    page.write_text(html.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    return page


def probed(page: Path, profile: Path, width: int) -> list[str]:
    """What :data:`PROBE` finds on ``page`` (:func:`with_probe`) in Chromium ``width`` px wide."""
    dom = TreeBuilder()
    dom.feed(run_chromium(profile, f"--window-size={width},900", "--dump-dom", page.as_uri()).stdout)
    body = next(dom.root.find("html")).children
    found = next(node for node in body if node.tag == "body").attrs["data-transformed"]
    return list(json.loads(found))


def test_chromium_computes_no_transform_for_any_georgian_label(
    ka_gallery: Path, ka_overview: Path, tmp_path: Path
) -> None:
    """In the browser: the tiles, a letter's «ტექსტი», the overview's columns and (on a phone) the
    words its cells take from them. On the base they computed lowercase, uppercase, lowercase."""
    copies = []
    for name, gallery in (("sample", ka_gallery), ("overview", ka_overview)):
        shutil.copytree(gallery, tmp_path / name)
        copies.append(tmp_path / name)
    letter = next(iter(sorted((copies[0] / "drafts").rglob("*.html"))))
    pages = [copies[0] / "index.html", letter, copies[1] / "index.html"]
    for page in map(with_probe, pages):
        for width in (1280, 390):
            assert probed(page, tmp_path / "profile", width) == [], (page, width)
