"""The head every gallery page shares: the stylesheet's name, the inline scripts and the page's policy.

Split from :mod:`greeter.gallery` (which writes the pages): a page of cards
(:mod:`greeter.gallery_listing`), a letter's page (:mod:`greeter.gallery_letter`)
and the folded skips' pages all begin the same way, and each page's
Content-Security-Policy admits exactly the script it inlines, by its hash.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from functools import cache
from html import escape
from importlib import resources

from greeter.gallery_card_html import lang_attr
from greeter.gallery_lang import RUSSIAN, Ui

CSS_NAME = "gallery.css"

#: The index's script: filtering and search run in the reviewer's browser, from file://, without
#: a server. The state lives in the URL fragment so "back" from a draft page returns to the same
#: filtered view. Cards are plain HTML: without JS the gallery is still complete, only unfiltered.
INDEX_JS = "gallery_index.js"

#: A draft page's script, two parts. The first sizes the letter's frame to the letter — on load
#: (images included) and when the width changes — so the whole letter is on the page, as in a mail
#: client, on a phone too; the frame is first set to no height so that a letter can also shrink it
#: (a wider window); without JS (or where the frame's document cannot be read) the stylesheet's
#: height stays. The second: the index adds the view a letter was opened from
#: (``#from=f=send&q=…``) to the letter's link, and the page's back link returns to that view and
#: to the card — from file:// too, where no referrer is.
PAGE_JS = "gallery_page.js"


#: The words each script says, by the keys of the language tables: the file is written with the
#: Russian ones, as JavaScript string literals (:func:`inline_script`).
_SCRIPT_WORDS: dict[str, tuple[str, ...]] = {
    INDEX_JS: ("script.shown", "script.of", "script.all"),
    PAGE_JS: (),
}


@cache
def inline_script(name: str, ui: Ui) -> str:
    """The package's script ``name`` exactly as a page in ``ui``'s language inlines it, between
    ``<script>`` and ``</script>``.

    Why a file and not a Python string: the script is read, edited and linted
    as JavaScript. Why inlined and not ``<script src>``: the pages open from
    disk, and their policy (:func:`page_csp`) lets exactly this text run, by its
    hash, and no file at all. Its words (:data:`_SCRIPT_WORDS`) are string
    literals in the file, in Russian, each replaced by the language's: the
    text a page inlines is then whole, and its hash that text's. Read once per
    language: a plan writes a page per letter.
    """
    text = "\n" + resources.files("greeter").joinpath(name).read_text(encoding="utf-8")
    for key in _SCRIPT_WORDS[name]:
        written, said = (json.dumps(words[key], ensure_ascii=False) for words in (RUSSIAN, ui.words))
        if text.count(written) != 1:  # the script was edited: its words would silently stay Russian
            raise AssertionError(f"{name} holds {written} {text.count(written)} times, not once")
        text = text.replace(written, said)
    return text


def _script_hash(script: str) -> str:
    """CSP hash of the inline script: only our own script may run on the page, whatever the data says."""
    return "sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()


@cache
def page_csp(script_name: str, ui: Ui, *, fonts: bool = False) -> str:
    """The Content-Security-Policy of a page whose only script is ``script_name`` (:func:`inline_script`)
    in ``ui``'s language.

    Defence in depth behind html.escape: even a mistake in escaping could not
    run a script or fetch anything. Images are allowed so that letters which
    embed a logo look as they will in the mail client (srcdoc frames inherit
    this policy); ``fonts``: data: fonts are allowed too (a draft page, which shows a letter).
    """
    font_src = "font-src data:; " if fonts else ""
    return (
        "default-src 'none'; style-src 'self' file: 'unsafe-inline'; img-src * data:; "
        f"{font_src}script-src '{_script_hash(inline_script(script_name, ui))}'; "
        "base-uri 'none'; form-action 'none'"
    )


@cache
def stylesheet() -> str:
    """The gallery's stylesheet (``gallery.css``), as written beside the pages and inlined in the index."""
    return resources.files("greeter").joinpath(CSS_NAME).read_text(encoding="utf-8")


@cache
def _inlined() -> str:
    """The stylesheet as the index carries it: without its comments — the why of a rule is the
    file's to tell, and in the team's words (a Russian «Открыть письмо →») it would be the only
    Russian in a Finnish team's English page."""
    return re.sub(r"\n{2,}", "\n", re.sub(r"/\*.*?\*/", "", stylesheet(), flags=re.S))


def page_head(
    title: str, css: str, csp: str, ui: Ui, lang: str = "", style: str = "", *, whole: bool = False
) -> str:
    """The page's head, the page in ``ui``'s language; ``lang``: the title's own language (a letter's
    subject); ``style``: rules of this page alone (the index's filters).

    ``whole``: the stylesheet is in the page (``<style>``), not linked (``css``). Why for the
    index alone: it is the page a reviewer forwards — attached to a mail, saved out of the folder —
    and opened without ``gallery.css`` beside it, it was bare black-on-white text with the filters'
    buttons in a row. Its 19 KB are 1 % of a 2,000-card index (2.1 MB), but a letter's page (one per
    letter, a million in a big plan) keeps the shared file the browser reads once.
    """
    if whole:  # one <style>: the stylesheet, then this page's rules
        sheet = f"<style>\n{_inlined()}{style}</style>"
    else:
        sheet = f'<link rel="stylesheet" href="{css}">' + (f"\n<style>{style}</style>" if style else "")
    return f"""<!doctype html>
<html lang="{ui.tag}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{escape(csp)}">
<meta name="referrer" content="no-referrer">
<title{lang_attr(lang)}>{escape(title)}</title>
{sheet}
</head>
"""
