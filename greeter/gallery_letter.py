"""A letter's own page of the gallery: its headers, its text, its HTML in a sandboxed frame, and
the links to the letters before and after it.

Split from :mod:`greeter.gallery`, which writes a page per letter as the
planner yields it; why the frame is sandboxed the way it is: that module's doc.
"""

from __future__ import annotations

from html import escape
from typing import Any

from greeter.config import Sender
from greeter.contacts import readable_address
from greeter.gallery_card_html import (
    approval_words,
    approver_words,
    badge,
    breakable,
    lang_attr,
    occasion_line,
)
from greeter.gallery_cards import Card
from greeter.gallery_head import CSS_NAME, PAGE_JS, inline_script, page_csp, page_head
from greeter.gallery_lang import Ui
from greeter.plan_types import Draft
from greeter.review import Envelope

#: Where a letter's page links the letters before and after it, once the gallery's order is known
#: (:func:`greeter.gallery._write_letters`): above the letter, and under it. Comments no data can
#: hold: they are escaped (``&lt;!--``).
NEIGHBOURS = "<!--neighbours-->"
NEIGHBOURS_END = "<!--neighbours-end-->"


def neighbours_nav(before: Card | None, after: Card | None, up: str, ui: Ui, *, end: bool = False) -> str:
    """The links to the letters before and after one, by their clients' names (rel prev / next).

    Each named for a screen reader: the page's three navigations were three unnamed «navigation»
    landmarks (the way back, these links above the letter and under it), and a link read only a
    client's name — «previous letter» and «next letter» are said after it, unseen.
    """
    links = [
        f'<a rel="{rel}" href="{up}{escape(other.page or "")}">{arrow_before}'
        f"<span>{escape(other.name or other.contact_id)}</span>{arrow_after}"
        f'<span class="visually-hidden"> ({escape(ui.say(which))})</span></a>'
        for rel, other, arrow_before, arrow_after, which in (
            ("prev", before, "←", "", "nav.prev"),
            ("next", after, "", "→", "nav.next"),
        )
        if other is not None
    ]
    label = escape(ui.say("nav.letters_end" if end else "nav.letters"))
    return f'<nav class="letter-nav" aria-label="{label}">{"".join(links)}</nav>' if links else ""


def from_line(draft: Draft, sender: Sender | None) -> str | None:
    """The From: of ``draft``'s letter, ``"Romashka LLC <greetings@romashka.example>"``; None without one.

    Taken from :meth:`greeter.review.Envelope.of`, the values
    :func:`greeter.message.build_message` writes (``sender.by_locale`` picked by
    the rendered letter's locale) and a reviewer's approval covers: a page that
    re-derived it showed the Russian name above an English letter signed
    "Romashka LLC". Shown unencoded and unquoted, for a person to read.
    """
    if sender is None or draft.rendered is None:
        return None
    envelope = Envelope.of(draft.item.hit.contact, sender, draft.rendered.locale)
    shown = readable_address(envelope.from_email)  # the header's ASCII domain, as people read it
    if not envelope.from_name:
        return shown  # the header is the bare address then, too
    return f"{envelope.from_name} <{shown}>"


def draft_page(card: Card, data: dict[str, Any], sender: str | None, ui: Ui) -> str:
    """One letter: headers, the plain text and the HTML version in a sandboxed frame."""
    to = f"{card.name} <{card.email}>" if card.name else card.email
    when = f"{card.when} ({card.timezone})" if card.timezone else card.when
    rows = [("meta.from", sender)] if sender else []
    rows += [
        ("meta.to", to),
        ("meta.when", when),
        ("meta.template", data["template_file"] or data["template"] or ""),
    ]
    said = approval_words(card.approval, ui)
    if said is not None:
        by = approver_words(data.get("approved_by"), data.get("approved_at"), ui)
        rows.append(("meta.approval", " — ".join(said) + by))
    # the contact's ID too: what the reviewer quotes to `greeter approve --contact`
    addresses = ("meta.from", "meta.to")  # break after "@" and dots; a date's dot does not
    meta = "".join(
        f"<dt>{ui.say(k)}</dt><dd>{breakable(v) if k in addresses else escape(v)}</dd>" for k, v in rows if v
    )
    meta += f"<dt>ID</dt><dd>{escape(card.contact_id)}</dd>"
    letter_html = data["html"]
    if letter_html is None:
        html_part = f'<p class="empty">{ui.say("page.no_html")}</p>'
    else:
        # No allow-scripts: no script, form, popup or top navigation from the letter. The
        # page's origin only so that the page's script (PAGE_JS) can read the letter's height
        # (see the module doc).
        html_part = (
            f'<iframe class="letter" sandbox="allow-same-origin" referrerpolicy="no-referrer" '
            f'title="{escape(ui.say("page.html_title"))}" '
            f'srcdoc="{escape(letter_html, quote=True)}"></iframe>'
        )
    title = card.subject or card.titles.get(card.occasion, card.occasion)
    lang = card.lang if card.subject else ""  # an occasion's title is the config's word
    plain = escape(data["text"] or "")
    text = ui.say("page.text")
    up = "../" * (card.page or "").count("/")  # drafts/<day>/<n>.html: two folders down
    return (
        page_head(title, f"{up}{CSS_NAME}", page_csp(PAGE_JS, ui, fonts=True), ui, lang)
        + f"""<body class="draft">
<nav class="back" aria-label="{escape(ui.say("nav.back"))}"><a href="{up}index.html#card-{card.n}"
 data-card="{card.n}" data-up="{up}">{ui.say("nav.all_greetings")}</a></nav>
{NEIGHBOURS}
<header class="draft-head">
<div class="status">{badge(card, ui)}</div>
<h1{lang_attr(lang)} dir="auto">{escape(title)}</h1>
{occasion_line(card, ui)}
<dl class="meta">{meta}</dl>
</header>
<main class="versions">
<section class="version version-text"><h2>{text}</h2>
<pre class="plain"{lang_attr(card.lang)} dir="auto">{plain}</pre></section>
<section class="version version-html"><h2>HTML</h2>{html_part}</section>
</main>
{NEIGHBOURS_END}
<script>{inline_script(PAGE_JS, ui)}</script>
</body>
</html>
"""
    )
