"""A summary tile's number and word stay inside the tile, however long the count.

The tile was a grid of two columns, the word always beside its number: a Georgian gallery of
5,010 skips read «5010 გამოტოვებული» 17 px into the tile's padding at 1280 px, and a count of
five digits, in Russian too, ran the word past the tile's edge (94 px at 1000 px). Now the word
goes under its number when the two do not fit side by side.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from greeter.gallery import write_gallery
from tests.test_gallery import NOW, START, TreeBuilder, run_chromium
from tests.test_gallery_pages import big_plan, outside

#: Each tile's number or word whose text ends past the tile's content box (its padding is the
#: tile's margin of white), and by how many px.
OVERRUN = """addEventListener("load", function () {
  var out = [];
  document.querySelectorAll(".stat").forEach(function (tile) {
    var style = getComputedStyle(tile);
    if (style.display === "none") { return; }
    var edge = tile.getBoundingClientRect().right - parseFloat(style.paddingRight) - parseFloat(style.borderRightWidth);
    tile.querySelectorAll(".stat-value, .stat-label").forEach(function (e) {
      var text = document.createRange();
      text.selectNodeContents(e);
      var right = text.getBoundingClientRect().right;
      if (right > edge + 1) { out.push(e.textContent + " +" + Math.round(right - edge)); }
    });
  });
  document.body.setAttribute("data-probe", JSON.stringify(out));
});"""


@pytest.fixture(scope="module", params=["ru", "ka"])
def many_skips(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A gallery of 10,010 skips (10,001 of them outside an occasion's audience): a five-digit tile."""
    out = tmp_path_factory.mktemp(f"tiles-{request.param}") / "g"
    drafts = big_plan() + [outside(100 + k, date(2026, 12, 29)) for k in range(10_001)]
    write_gallery(drafts, out, start=START, days=14, now=NOW, page_cards=4, locale=request.param)
    html = (out / "index.html").read_text(encoding="utf-8")
    html, policies = re.subn(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html)
    assert policies == 1 and ">10010</span>" in html
    (out / "probe.html").write_text(
        html.replace("</body>", f"<script>{OVERRUN}</script></body>"), encoding="utf-8"
    )
    return out


@pytest.mark.parametrize("width", [1000, 1280, 1440, 700, 390])
def test_a_tiles_word_never_runs_past_its_tile(many_skips: Path, tmp_path: Path, width: int) -> None:
    dom = TreeBuilder()
    page = (many_skips / "probe.html").as_uri()
    dom.feed(run_chromium(tmp_path / "profile", f"--window-size={width},900", "--dump-dom", page).stdout)
    body = next(dom.root.find("body"))
    assert "data-probe" in body.attrs, "the probe did not run"
    assert json.loads(body.attrs["data-probe"]) == []
