"""``greeter preview --format html``: a static gallery of the plan for a marketer to review.

Why static files and not a little web server: the reviewer opens
``index.html`` from a shared folder or an e-mail attachment, offline, and the
gallery must look the same there. So there is no external resource at all (no
CDN, no web font, one local stylesheet, a few lines of inline JavaScript that
work from ``file://``) and nothing depends on the machine that produced it.

Why it streams: a plan may hold a million drafts. Each draft's page is written
the moment the draft arrives and only a small :class:`_Card` (names, subject,
status — never the letter) is kept for the index, which is written at the end
because it is sorted by day while the planner yields contact by contact.

Everything that comes from contacts or templates is data: it goes through
:func:`html.escape` on the way into every page, and a letter's HTML is shown in
a sandboxed ``<iframe srcdoc>`` where no script runs (no ``allow-scripts``,
and the page's script policy admits only the gallery's own), so a contact
named ``<script>`` or a template that emits one cannot act on the reviewer's
browser. The frame keeps the page's origin (``allow-same-origin``) only so
that the page's own script can size it to the letter: a fixed-height box
left the end of a letter to scroll inside it on a phone. The field values are those of
:func:`greeter.preview.draft_json`, so the gallery and ``--format json`` never
disagree.
"""

from __future__ import annotations

import base64
import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from html import escape
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from greeter.config import Sender
from greeter.errors import OutputFolderError
from greeter.gallery_words import carried_detail, journal_detail, russian_detail
from greeter.i18n import years_phrase
from greeter.plan_types import Draft
from greeter.planner import merged_into_failed
from greeter.preview import draft_json
from greeter.preview_out import MANIFEST, OwnedFolder
from greeter.review import Envelope
from greeter.sources import Rejection

__all__ = ["write_gallery"]

#: A card's group: a letter, a letter the journal says left, an occasion riding in another letter,
#: a skip, a letter that failed to render, a letter the mail server refused (``failed``), one whose
#: delivery the journal cannot confirm yet (``uncertain``, ``retry``, ``claimed``).
Status = Literal["send", "sent", "merged", "skip", "error", "failed", "pending"]

_WEEKDAYS = ("Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс")
_WEEKDAYS_LONG = ("понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье")
_MONTHS = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)

#: Words a marketer reads for the planner's machine words (which stay visible as tooltips).
REASON_LABELS: dict[str, str] = {
    "frequency_cap": "лимит частоты",
    "merged": "объединено",
    "suppressed": "в стоп-листе",
    "no_email": "нет e-mail",
    "invalid_contact": "ошибка в контакте",
    "already_sent": "уже отправлено",
    "expired": "просрочено",
    "outside_audience": "вне аудитории",
    "render_error": "ошибка шаблона",
    "awaiting_approval": "ждёт одобрения",
}


@dataclass(frozen=True, slots=True)
class _Said:
    """How a card reads a greeting the journal already holds: its group, its badge (``{letter}``:
    the carrying letter's occasion title), the badge's style and its words in the index's summary."""

    status: Status
    badge: str
    style: str
    note: str


#: A greeting the journal already holds (``already_sent``), by the row's state (JSON
#: ``journal_state``). A bounce read «пропуск: уже отправлено» and was counted so: a marketer
#: concluded the client was greeted. A state not here (``sent``) keeps «уже отправлено».
JOURNAL_STATES: dict[str, _Said] = {
    "failed": _Said("failed", "не доставлено: отказ сервера", "failed", "отказ сервера"),
    "uncertain": _Said("pending", "неизвестно, дошло ли", "uncertain", "неизвестно, дошло ли"),
    "retry": _Said("pending", "повторная отправка", "retry", "повторная отправка"),
    "claimed": _Said("pending", "отправляется", "claimed", "отправляется"),
    "skipped": _Said("skip", "пропуск: пропущено при отправке", "skip", "пропущено при отправке"),
}

#: An occasion that rode in another occasion's letter (``merged``), by that letter's journal state;
#: none (``journal_state`` null): the letter is still planned, «объединено».
CARRIED_STATES: dict[str, _Said] = {
    "sent": _Said("sent", "отправлено в письме «{letter}»", "sent", "в письмах других поводов"),
    "failed": _Said("failed", "не доставлено (в письме «{letter}»)", "failed", "в письмах других поводов"),
    "uncertain": _Said(
        "pending", "неизвестно, дошло ли (в письме «{letter}»)", "uncertain", "неизвестно, дошло ли"
    ),
    "retry": _Said("pending", "повторная отправка (в письме «{letter}»)", "retry", "повторная отправка"),
    "claimed": _Said("pending", "отправляется (в письме «{letter}»)", "claimed", "отправляется"),
    "skipped": _Said("skip", "пропуск: письмо «{letter}» не отправлено", "skip", "письмо не отправлено"),
    "expired": _Said("skip", "пропуск: письмо «{letter}» просрочено", "skip", "письмо просрочено"),
}


def _said(reason: str | None, journal_state: str | None) -> _Said | None:
    """How the journal's word on this greeting reads (:data:`JOURNAL_STATES`, :data:`CARRIED_STATES`);
    None: it has none, or the plain reason says it."""
    if reason == "merged":
        return CARRIED_STATES.get(journal_state or "")
    if reason == "already_sent":
        return JOURNAL_STATES.get(journal_state or "")
    return None


#: A letter's review state under ``review: required`` (JSON ``approval``): the label, and what it means.
APPROVAL_LABELS: dict[str, tuple[str, str]] = {
    "awaiting_approval": ("ждёт одобрения", "не уйдёт, пока его не одобрят (greeter approve)"),
    "changed_since_approval": (
        "изменено после одобрения",
        "текст изменился после одобрения: оно снято, письмо не уйдёт, пока его не одобрят снова",
    ),
    "approval_outdated": (
        "одобрено старой версией",
        "одобрение старой версии greeter не покрывало адресата и отправителя: письмо не уйдёт, "
        "пока его не одобрят снова",
    ),
    "approved": ("одобрено", "уйдёт в срок: одобрено ровно это письмо"),
}

#: Filters the index offers; the value is the card's ``data-status`` (or ``data-approval``: see
#: :data:`APPROVAL_LABELS`, offered when the plan is under review).
_FILTERS: tuple[tuple[str, str], ...] = (
    ("all", "Все"),
    ("send", "К отправке"),
    ("sent", "Отправлено"),
    ("merged", "Объединено"),
    ("skip", "Пропущено"),
    ("error", "Ошибки"),
    ("failed", "Не доставлено"),
    ("pending", "Не подтверждено"),
)

#: Filters offered only when a card needs them (a journal that holds bounces or letters in flight):
#: two more buttons of «0» would only make the pinned toolbar taller.
_FILTERS_IF_ANY = frozenset({"failed", "pending"})

#: How a day's heading sums it up (no number words, so no Russian plural forms to get wrong).
_DAY_NOTES: tuple[tuple[Status, str], ...] = (
    ("send", "к отправке"),
    ("sent", "отправлено"),
    ("merged", "объединено"),
    ("skip", "пропущено"),
    ("error", "ошибки"),
    ("failed", "не доставлено"),
    ("pending", "не подтверждено"),
)

_CSS_NAME = "gallery.css"

# Filtering and search run in the reviewer's browser, from file://, without a
# server. The state lives in the URL fragment so "back" from a draft page
# returns to the same filtered view. Cards are plain HTML: without JS the
# gallery is still complete, only unfiltered.
_SCRIPT = """
(function () {
  var root = document.documentElement;
  root.classList.add("js");
  var main = document.querySelector("main");
  var toolbar = document.querySelector(".toolbar");
  var cards = Array.prototype.slice.call(document.querySelectorAll(".card"));
  var days = Array.prototype.slice.call(document.querySelectorAll(".day, .group"));
  var buttons = Array.prototype.slice.call(document.querySelectorAll("[data-filter]"));
  var search = document.getElementById("search");
  var shown = document.getElementById("shown");
  var empty = document.getElementById("no-match");
  var counts = {};
  buttons.forEach(function (b) { counts[b.getAttribute("data-filter")] = +b.getAttribute("data-count"); });
  var keys = cards.map(function (c) { return c.getAttribute("data-search"); });
  var sectionOf = [];  // each card's day (sections and the cards in them are in document order)
  days.forEach(function (d, k) { d.querySelectorAll(".card").forEach(function () { sectionOf.push(k); }); });
  var miss = cards.map(function () { return false; });  // hidden by the search (the filter is CSS)
  var filter = "all", lastQ = "", timer = 0;
  function norm(s) { return s.toLowerCase().replace(/ё/g, "е").trim(); }
  function fits(c) {
    return filter === "all" || c.getAttribute("data-status") === filter ||
           c.getAttribute("data-approval") === filter;
  }
  function state(q) { return "f=" + filter + (q ? "&q=" + encodeURIComponent(q) : ""); }
  function apply(save) {
    var q = norm(search.value), n = 0, i, c, m, seen = days.map(function () { return false; });
    main.setAttribute("data-show", filter);  // one attribute: the rules of _filter_rules() hide the rest
    for (i = 0; i < cards.length; i++) {
      m = !!q && keys[i].indexOf(q) < 0;
      if (m !== miss[i]) { miss[i] = m; cards[i].hidden = m; }  // only the cards that change
      if (q && !m && fits(cards[i])) { n++; seen[sectionOf[i]] = true; }
    }
    if (!q) { n = counts[filter] || 0; }
    days.forEach(function (d, k) {
      var h = !!q && !seen[k];
      if (d.hidden !== h) { d.hidden = h; }
    });
    buttons.forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.getAttribute("data-filter") === filter));
    });
    c = filter === "all" && !q ? "" : "Показано " + n + " из " + cards.length;
    if (shown.textContent !== c) { shown.textContent = c; }
    empty.hidden = n > 0 || cards.length === 0;
    lastQ = q;
    if (save && window.history && history.replaceState) {
      var h = filter === "all" && !q ? location.pathname : "#" + state(q);
      try { history.replaceState(null, "", h); } catch (e) { /* some file:// setups refuse */ }
    }
  }
  // The toolbar is pinned: what a link or a fragment scrolls to must land below it, however many
  // rows it wraps to (the stylesheet's value is the fallback until this runs).
  function pad() {
    var pinned = getComputedStyle(toolbar).position === "sticky";
    root.style.setProperty("--toolbar-h", (pinned ? toolbar.offsetHeight : 0) + "px");
  }
  // A letter's page keeps the view it was opened from: its back link comes back to it.
  main.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest("a[href^='drafts/']");
    if (a) { a.setAttribute("href", a.getAttribute("href").split("#")[0] + "#from=" + state(lastQ)); }
  }, true);
  var m = /^#f=(\\w+)(?:&q=([^&]*))?(?:&card=(\\d+))?$/.exec(location.hash), back = null;
  if (m) {
    filter = m[1];
    search.value = m[2] ? decodeURIComponent(m[2]) : "";
    back = m[3] ? document.getElementById("card-" + m[3]) : null;
  }
  buttons.forEach(function (b) {
    b.addEventListener("click", function () { filter = b.getAttribute("data-filter"); apply(true); });
  });
  // Debounced: on a big gallery each pass costs, and a word is typed a letter at a time.
  search.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { apply(true); }, 150);
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "/" && document.activeElement !== search) { e.preventDefault(); search.focus(); }
  });
  window.addEventListener("resize", pad);
  pad();
  apply(!!back);
  if (back) {
    back.classList.add("returned");
    var link = back.querySelector("a");
    if (link) { link.focus(); } else { back.scrollIntoView(); }
  }
})();
"""


# A draft page sizes the letter's frame to the letter — on load (images included) and when the
# width changes — so the whole letter is on the page, as in a mail client, on a phone too. The
# frame is first set to no height so that a letter can also shrink it (a wider window).
# Without JS (or where the frame's document cannot be read) the stylesheet's height stays.
_FIT_SCRIPT = """
(function () {
  var frames = Array.prototype.slice.call(document.querySelectorAll("iframe.letter"));
  function fit(f) {
    var d = f.contentDocument;
    if (!d || !d.documentElement || !d.body) { return; }
    f.style.height = "0px";
    f.style.height = (d.documentElement.scrollHeight + f.offsetHeight) + "px";
  }
  frames.forEach(function (f) {
    f.addEventListener("load", function () { fit(f); });
    if (f.contentDocument && f.contentDocument.readyState === "complete") { fit(f); }
  });
  window.addEventListener("resize", function () { frames.forEach(fit); });
})();
"""

# The index adds the view a letter was opened from (``#from=f=send&q=…``) to the letter's link; the
# page's back link returns to that view and to the card — from file:// too, where no referrer is.
_BACK_SCRIPT = """
(function () {
  var m = /^#from=(f=\\w+(?:&q=[^&#]*)?)$/.exec(location.hash);
  var a = document.querySelector("a[data-card]");
  if (m && a) { a.setAttribute("href", "../index.html#" + m[1] + "&card=" + a.getAttribute("data-card")); }
})();
"""

_PAGE_SCRIPT = _FIT_SCRIPT + _BACK_SCRIPT


def _script_hash(script: str) -> str:
    """CSP hash of the inline script: only our own script may run on the index, whatever the data says."""
    return "sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()


# Defence in depth behind html.escape: even a mistake in escaping could not run
# a script or fetch anything. Images are allowed so that letters which embed a
# logo look as they will in the mail client (srcdoc frames inherit this policy).
_CSP_INDEX = (
    "default-src 'none'; style-src 'self' file: 'unsafe-inline'; img-src * data:; "
    f"script-src '{_script_hash(_SCRIPT)}'; base-uri 'none'; form-action 'none'"
)
_CSP_PAGE = (
    "default-src 'none'; style-src 'self' file: 'unsafe-inline'; img-src * data:; "
    f"font-src data:; script-src '{_script_hash(_PAGE_SCRIPT)}'; base-uri 'none'; form-action 'none'"
)


@dataclass(frozen=True, slots=True)
class _Card:
    """What the index needs to know about one draft — small on purpose (no letter text)."""

    n: int
    #: The day it is filed under; None for a contact error, which has no day (see :attr:`contact_error`).
    day: date | None
    order: tuple[float, str]
    status: Status
    reason: str | None
    #: Why, as the card says it (Russian where :mod:`greeter.gallery_words` knows the sentence).
    detail: str | None
    when: str
    timezone: str
    name: str
    email: str
    contact_id: str
    occasion: str
    merged_with: tuple[str, ...]
    #: What people call each occasion (config ``title``), for the occasion and every name it merges with.
    titles: Mapping[str, str]
    years: str
    subject: str
    #: The letter leaves after its occasion's day and says so («с прошедшим»): by design
    #: (``day_off_policy: after``) or catching up after downtime — the card cannot tell which.
    belated: bool
    #: The occasion's own day (None: a date that could not be read), e.g. for the belated badge.
    occasion_day: date | None
    page: str | None
    #: Under ``review: required``, a letter's review state (a key of :data:`APPROVAL_LABELS`); else None.
    approval: str | None = None
    #: The planner's own sentence (English, as the CLI, JSON and logs say it): the pill's tooltip.
    planner_detail: str | None = None
    #: The letter's language as a BCP 47 tag (``sr-Latn``); "" when there is no letter.
    lang: str = ""
    #: What the journal holds (JSON ``journal_state``): the greeting's row, or for a ``merged``
    #: occasion the carrying letter's; None when it holds nothing of it.
    journal_state: str | None = None

    @property
    def said(self) -> _Said | None:
        """How the journal's state reads on this card; None: the plain status or reason says it."""
        return _said(self.reason, self.journal_state)

    @property
    def contact_error(self) -> bool:
        """An ``invalid_contact`` skip: a row to fix in the CRM, shown once apart from the days."""
        return self.reason == "invalid_contact"

    @property
    def when_is_send(self) -> bool:
        """Whether :attr:`when` is when the letter leaves (or left) rather than the occasion's day."""
        return self.status in ("send", "sent", "error")

    @property
    def search_text(self) -> str:
        """What the free-text search matches: name, e-mail, id, occasions, subject."""
        names = (self.occasion, *self.merged_with)
        titles = tuple(self.titles.get(o, "") for o in names)
        parts = (self.name, self.email, self.contact_id, *names, *titles, self.subject)
        return " ".join(p for p in parts if p).lower().replace("ё", "е")


def write_gallery(
    stream: Iterable[Draft],
    out: Path,
    *,
    start: date,
    days: int,
    now: datetime,
    sender: Sender | None = None,
    titles: Mapping[str, str] | None = None,
    rejected: Callable[[], Sequence[Rejection]] | None = None,
    contact_id: str | None = None,
) -> int:
    """Write ``out/index.html``, ``out/drafts/<n>.html`` and the stylesheet; return the render errors.

    ``n`` is the draft's 1-based position in ``stream``; only drafts with a
    rendered letter get a page. Pages an earlier preview wrote there and this
    one does not are removed, so the folder never mixes two plans; a file no
    preview wrote is never touched: when one is where the gallery goes, it
    raises :class:`~greeter.errors.OutputFolderError` before writing anything
    (see :mod:`greeter.preview_out`). ``sender``: each draft page shows
    the From: line its letter will carry (:func:`from_line`), when given.
    ``titles``: what people call each occasion (``Settings.occasion_titles``),
    shown instead of its machine name (which stays in the tooltip and the
    search). ``rejected``: the contacts rows not loaded, asked for once the
    stream is read (the rows are read as it is): the index lists them, so a
    reviewer who sees only the gallery learns that those clients get nothing.
    ``contact_id``: the gallery is one client's (``preview --contact``): of
    those rows it lists only that client's (:func:`rows_of`).
    """
    called = dict(titles or {})
    folder = OwnedFolder.open(out)
    refused = [name for name in ("index.html", _CSS_NAME) if not folder.may_write(name)]
    refused += folder.foreign("drafts", "*.html")
    if refused:
        shown = ", ".join(refused[:3]) + (f" and {len(refused) - 3} more" if len(refused) > 3 else "")
        raise OutputFolderError(
            f"{out}: {len(refused)} file(s) there that no earlier preview wrote ({shown}; see {MANIFEST}): "
            "greeter replaces only its own files; choose another --out, or move them away"
        )
    css = resources.files("greeter").joinpath(_CSS_NAME).read_text(encoding="utf-8")
    folder.write(_CSS_NAME, (css.encode(),))

    cards: list[_Card] = []
    errors = 0
    for n, draft in enumerate(stream, start=1):
        data = draft_json(draft)
        lang = bcp47(draft.rendered.locale) if draft.rendered is not None else ""
        card = _card(n, data, has_page=draft.rendered is not None, titles=called, lang=lang)
        errors += card.status == "error"
        if card.page is not None:
            # straight away: pages are many, and the index linking them comes last
            page = _draft_page(card, data, from_line(draft, sender))
            folder.write(card.page, (page.encode(),))
        cards.append(card)
    index = out / "index.html"
    not_loaded = rows_of(rejected() if rejected is not None else (), contact_id)
    chunks = _index_page(cards, start=start, days=days, now=now, rejected=not_loaded)
    folder.write("index.html", (chunk.encode() for chunk in chunks))
    letters = sum(card.page is not None for card in cards)
    tally = folder.finish()
    # As for .eml files: say where the result is (a reviewer opens it next).
    print(
        f"wrote {len(cards)} card(s), {letters} of them with a letter page (the others: skipped, merged "
        f"or failed to render), to {index} (open it in a browser){tally.summary()}"
    )
    return errors


def _card(
    n: int, data: dict[str, Any], *, has_page: bool, titles: Mapping[str, str], lang: str = ""
) -> _Card:
    """Reduce one draft's JSON object to its index card."""
    occasion_day = date.fromisoformat(data["occasion_date"]) if data["occasion_date"] else None
    status: Status = data["status"]
    if data["reason"] == "render_error":
        status = "error"
    elif (said := _said(data["reason"], data["journal_state"])) is not None:
        status = said.status  # what the journal says became of it: sent, not delivered, in flight
    elif data["reason"] == "merged":
        status = "merged"  # its own group: the summary, the filter and the day notes count alike
    leaves = datetime.fromisoformat(data["send_at"]) if data["send_at"] else None
    send_at = leaves if status in ("send", "sent", "error") else None  # a merged card: its occasion's day
    day: date | None
    if send_at is not None:
        day = send_at.date()
        when = _moment(send_at)
        order = (send_at.timestamp(), data["name"])
    else:
        day = occasion_day
        when = f"{_WEEKDAYS[day.weekday()]} {day:%d.%m}" if day else ""  # no date read: none shown
        order = (float("inf"), data["name"])
    years = data["years"]
    return _Card(
        n=n,
        day=day,
        order=order,
        status=status,
        reason=data["reason"],
        detail=_carried(data, leaves, titles) or _journal(data) or russian_detail(data["detail"], titles),
        when=when,
        timezone=data["timezone"] or "",
        name=data["name"] or "",
        email=data["email"] or "",
        contact_id=data["contact_id"],
        occasion=data["occasion"],
        merged_with=tuple(data["merged_with"]),
        titles=titles,
        years="" if years is None else _years(years),
        subject=data["subject"] or "",
        belated=bool(data["belated"]),
        occasion_day=occasion_day,
        page=f"drafts/{n}.html" if has_page else None,
        approval=data["approval"] if status == "send" else None,
        planner_detail=data["detail"],
        lang=lang,
        journal_state=data["journal_state"],
    )


def bcp47(locale: str) -> str:
    """A letter's locale (``sr_Latn``, ``en_US``) as the BCP 47 tag ``lang`` takes (``sr-Latn``); "" unknown.

    Why: the gallery's chrome is Russian (``<html lang="ru">``) but a letter may be
    English or Serbian, and a screen reader reads its subject and text with the
    voice ``lang`` names (WCAG 3.1.2); a tag it cannot parse is worse than none.
    """
    return locale.replace("_", "-").strip("-")


def _lang(tag: str) -> str:
    """The ``lang`` attribute (with its leading space) for a letter's words; "" when unknown."""
    return f' lang="{escape(tag)}"' if tag else ""


def _moment(at: datetime) -> str:
    """A send moment as cards show it: ``Ср 30.12 10:15`` (the recipient's own time)."""
    return f"{_WEEKDAYS[at.weekday()]} {at:%d.%m} {at:%H:%M}"


def _carried(data: dict[str, Any], leaves: datetime | None, titles: Mapping[str, str]) -> str | None:
    """What a merged occasion's card says, in words and occasion titles — the planner's detail
    names the letter by its machine name (``sent with first_deal_anniversary``) and not when it
    leaves. None: not a merged occasion, the planner's detail stays."""
    if data["reason"] not in ("merged", "render_error") or not data["merged_with"]:
        return None
    lead = data["merged_with"][0]
    letter = f"письмо «{titles.get(lead, lead)}»"
    at = f", {_moment(leaves)}" if leaves else ""
    if data["reason"] == "merged" and data["journal_state"]:  # that letter was handed over
        fate = carried_detail(data["journal_state"], titles.get(lead, lead))
        return None if fate is None else fate + (at if data["journal_state"] == "sent" else "")
    if data["reason"] == "merged":
        return f"поздравление уйдёт в {letter}{at}"
    failed = merged_into_failed(lead, "")
    if data["detail"] and data["detail"].startswith(failed):
        return f"поздравление шло в {letter}, которое не удалось собрать: {data['detail'][len(failed) :]}"
    return None


def _journal(data: dict[str, Any]) -> str | None:
    """What became of a greeting the journal already holds, in words (:func:`journal_detail`) —
    the planner's "the journal already has this greeting (failed)" read as "already sent"."""
    return journal_detail(data["journal_state"]) if data["reason"] == "already_sent" else None


@lru_cache(maxsize=256)
def _years(n: int) -> str:
    """Years in words, e.g. "50 лет", via Babel — cached: a plan repeats the same few ages endlessly."""
    return years_phrase(n, "ru")


def _long_day(d: date) -> str:
    return f"{_WEEKDAYS_LONG[d.weekday()].capitalize()}, {d.day} {_MONTHS[d.month - 1]} {d.year}"


def _short_date(d: date) -> str:
    return f"{d:%d.%m.%Y}"


def _badge(card: _Card) -> str:
    """The status pill; the machine word and the detail are in the tooltip for people who grep logs."""
    if (said := card.said) is not None:  # first: an occasion that rode in a sent letter is "sent" too
        carrier = card.merged_with[0] if card.merged_with else ""
        label, cls = said.badge.format(letter=card.titles.get(carrier, carrier)), said.style
    elif card.status == "send":
        label, cls = "отправка", "send"
    elif card.status == "sent":
        label, cls = "отправлено", "sent"
    elif card.status == "error":
        label, cls = "ошибка шаблона", "error"
    else:
        reason = card.reason or ""
        label = "пропуск: " + REASON_LABELS.get(reason, reason)
        cls = reason if reason in ("merged", "frequency_cap", "invalid_contact") else "skip"
    state = f"journal_state: {card.journal_state}" if card.journal_state else ""
    tip = " — ".join(p for p in (card.reason, state, card.planner_detail) if p)
    title = f' title="{escape(tip)}"' if tip else ""
    # Neutral on purpose: with day_off_policy "after" (or past max_days_early) a Saturday
    # birthday greeted on Monday is late by design, not after downtime. Only the fact: what the
    # letter says is its template's (new_year.j2 says «с наступающим» whatever the day), and the
    # page shows the letter itself.
    on = f" ({card.occasion_day:%d.%m})" if card.occasion_day else ""
    tip = f"уходит после дня повода{on}"
    belated = f' <span class="badge badge-belated" title="{tip}">после дня повода</span>'
    return (
        f'<span class="badge badge-{cls}"{title}>{escape(label)}</span>'
        + (belated if card.belated else "")
        + _approval_badge(card.approval)
    )


def _approval_badge(approval: str | None) -> str:
    """The review state beside the status, as the table and JSON give it: whether it will leave."""
    said = APPROVAL_LABELS.get(approval or "")
    if said is None or approval is None:
        return ""
    tip = escape(f"{approval} — {said[1]}")
    return f' <span class="badge badge-{approval}" title="{tip}">{escape(said[0])}</span>'


def _called(card: _Card, occasion: str) -> str:
    """An occasion as people call it (its config ``title``), its machine name in the tooltip."""
    title = card.titles.get(occasion, occasion)
    if title == occasion:
        return escape(occasion)
    return f'<span title="{escape(occasion)}">{escape(title)}</span>'


def _occasion_line(card: _Card) -> str:
    chips = "".join(f'<span class="chip">+ {_called(card, o)}</span>' for o in card.merged_with)
    if card.reason == "merged" and card.merged_with:
        chips = f'<span class="chip chip-into">→ {_called(card, card.merged_with[0])}</span>'
    # The years hang on the title's last word (a no-break space before "·"): a long title wraps
    # between its words, never leaving "· 8 лет" alone on a line of its own.
    years = f'&nbsp;<span class="years">{escape(card.years)}</span>' if card.years else ""
    occ = _called(card, card.occasion)
    what = f'<span class="what"><span class="occ">{occ}</span>{years}</span>'
    return f'<div class="occasion">{what}{chips}</div>'


def _card_html(card: _Card) -> str:
    subject = escape(card.subject)
    if card.page and card.subject:
        subject = f'<a href="{escape(card.page)}">{subject}</a>'
    subject_html = f'<p class="subject"{_lang(card.lang)}>{subject}</p>' if card.subject else ""
    detail = f'<p class="detail">{escape(card.detail)}</p>' if card.detail else ""
    link = f'<a class="open" href="{escape(card.page)}">Открыть письмо →</a>' if card.page else ""
    tz = f'<span class="tz">{escape(card.timezone)}</span>' if card.timezone else ""
    when_title = "дата повода"
    if card.when_is_send:
        when_title = (
            "ушло (по журналу), по времени получателя"
            if card.status == "sent"
            else "отправка по времени получателя"
        )
    when = f'<span class="when" title="{when_title}">{escape(card.when)}</span>' if card.when else ""
    review = f' data-approval="{card.approval}"' if card.approval else ""
    return f"""<article class="card card-{card.status}" id="card-{card.n}" data-status="{card.status}"{review}
 data-search="{escape(card.search_text)}">
<div class="card-top">{when}{tz}</div>
<h3 class="who">{escape(card.name or card.contact_id)}</h3>
<p class="email">{escape(card.email) or "<em>нет e-mail</em>"}</p>
{_occasion_line(card)}
{subject_html}
<div class="status">{_badge(card)}</div>
{detail}{link}
</article>"""


def _head(title: str, css: str, csp: str, lang: str = "", style: str = "") -> str:
    """The page's head; ``lang``: the title's own language (a letter's subject) when not the page's
    Russian; ``style``: rules of this page alone (the index's filters)."""
    return f"""<!doctype html>
<html lang="ru">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{escape(csp)}">
<meta name="referrer" content="no-referrer">
<title{_lang(lang)}>{escape(title)}</title>
<link rel="stylesheet" href="{css}">{f"{chr(10)}<style>{style}</style>" if style else ""}
</head>
"""


def _index_page(
    cards: list[_Card], *, start: date, days: int, now: datetime, rejected: Sequence[Rejection] = ()
) -> Iterator[str]:
    """The overview — counts, filters, the cards grouped by day — in chunks, never one huge string."""
    status_counts: Counter[str] = Counter(c.status for c in cards)
    merged = status_counts["merged"]
    to_send = status_counts["send"]
    combined = sum(1 for c in cards if c.status == "send" and c.merged_with)
    belated = sum(1 for c in cards if c.status == "send" and c.belated)
    send_notes = [f"{combined} с объединёнными поводами"] if combined else []
    send_notes += [f"{belated} после дня повода"] if belated else []
    review = Counter(c.approval for c in cards if c.approval)
    send_notes += [f"{review[key]} {APPROVAL_LABELS[key][0]}" for key in APPROVAL_LABELS if review[key]]
    rode = sum(1 for c in cards if c.status == "sent" and c.reason == "merged")
    sent_note = (
        ("по журналу" + (f"; вошли в другие письма: {rode}" if rode else "")) if status_counts["sent"] else ""
    )

    def stat(cls: str, label: str, value: int, note: str) -> str:
        return (
            f'<div class="stat stat-{cls}" data-count="{cls}"><span class="stat-value">{value}</span>'
            f'<span class="stat-label">{label}</span><span class="stat-note">{note}</span></div>'
        )

    stats = "".join(
        (
            stat("send", "к отправке", to_send, escape(", ".join(send_notes))),
            stat("sent", "отправлено", status_counts["sent"], escape(sent_note)),
            stat("merged", "объединено", merged, "поводы вошли в другие письма" if merged else ""),
            stat("skip", "пропущено", status_counts["skip"], _tally(cards, "skip")),
            stat(
                "error",
                "ошибки шаблонов",
                status_counts["error"],
                "письма не собраны" if status_counts["error"] else "",
            ),
            # only when the journal holds such letters: a bounce is not a skip nor a template error
            *(
                stat(key, label.lower(), status_counts[key], _tally(cards, key))
                for key, label in _FILTERS
                if key in _FILTERS_IF_ANY and status_counts[key]
            ),
        )
    )
    filter_counts = {"all": len(cards), **status_counts, **review}

    def buttons_of(filters: Iterable[tuple[str, str]]) -> str:
        return "".join(
            f'<button type="button" data-filter="{key}" data-count="{filter_counts.get(key, 0)}" '
            f'aria-pressed="{str(key == "all").lower()}">'
            f'{label} <span class="count">{filter_counts.get(key, 0)}</span></button>'
            for key, label in filters
            if key not in _FILTERS_IF_ANY or filter_counts.get(key)
        )

    buttons = f'<div class="filters" role="group" aria-label="Состояние">{buttons_of(_FILTERS)}</div>'
    if review:  # under review, a group of its own: what still waits, what an edit withdrew, what will leave
        labels = ((key, label.capitalize()) for key, (label, _) in APPROVAL_LABELS.items())
        buttons += f'<div class="filters" role="group" aria-label="Одобрение">{buttons_of(labels)}</div>'

    end = start + timedelta(days=max(days, 1) - 1)
    as_of = f"{now:%d.%m.%Y %H:%M} ({escape(str(now.tzinfo))})"
    nothing = '<p class="empty">В этом диапазоне ничего не запланировано.</p>' if not cards else ""
    yield _head("Поздравления: предпросмотр", _CSS_NAME, _CSP_INDEX, style=_filter_rules())
    yield f"""<body class="index">
<header class="page-head">
<div class="title-row">
<h1>Поздравления <span class="pill">предпросмотр</span></h1>
<p class="range">с <b>{_short_date(start)}</b> по <b>{_short_date(end)}</b> ({days} дн.)
 · по состоянию на <b>{as_of}</b></p>
</div>
<div class="stats">{stats}</div>
</header>
<nav class="toolbar" aria-label="Фильтры">
{buttons}
<label for="search" class="visually-hidden">Поиск по имени, e-mail, поводу и теме (клавиша /)</label>
<input id="search" type="search" placeholder="Поиск: имя, e-mail, повод, тема…  ( / )" autocomplete="off">
<span id="shown" class="shown" role="status" aria-live="polite"></span>
</nav>
<main>
{nothing}<p id="no-match" class="empty" role="status" aria-live="polite" hidden>Ничего не найдено.</p>
"""
    contact_errors = sorted((c for c in cards if c.contact_error), key=lambda c: (c.name, c.n))
    yield _errors_below(len(contact_errors), len(rejected))
    by_day: dict[date, list[_Card]] = defaultdict(list)
    for card in cards:
        if card.day is not None and not card.contact_error:
            by_day[card.day].append(card)
    for day in sorted(by_day):
        group = sorted(by_day[day], key=lambda c: c.order)
        kinds = Counter(c.status for c in group)
        note = " · ".join(f"{label}: {kinds[key]}" for key, label in _DAY_NOTES if kinds[key])
        weekend = " day-weekend" if day.weekday() >= 5 else ""
        yield (
            f'<section class="day{weekend}" data-day="{day.isoformat()}"{_has(group)}>'
            f'<h2><span class="day-name">{_long_day(day)}</span><span class="day-note">{note}</span></h2>'
            '<div class="cards">'
        )
        yield from map(_card_html, group)
        yield "</div></section>\n"
    if contact_errors:
        # Not filed under a day: a date the contacts file does not hold has none, and one it holds
        # wrongly (in the future) is a row to fix, not an event of the range.
        yield (
            f'<section class="group contact-errors" id="contact-errors"{_has(contact_errors)}><h2>'
            '<span class="day-name">Ошибки в контактах</span><span class="day-note">'
            "эти поводы не поздравить, пока дата в строке контакта не исправлена</span></h2>"
            '<div class="cards">'
        )
        yield from map(_card_html, contact_errors)
        yield "</div></section>\n"
    if rejected:
        yield from _rejected_rows(rejected)
    yield f"""</main>
<footer class="page-foot">greeter preview · время отправки указано по часовому поясу получателя</footer>
<script>{_SCRIPT}</script>
</body>
</html>
"""


def _errors_below(contact_errors: int, rejected: int) -> str:
    """The line at the top that says the contacts' errors are listed after the letters, with links.

    The errors used to come first: a big CRM's preview opened on two hundred
    cards of bad dates, and the letters a reviewer came to read began screens
    below. The letters come first now; this line keeps the errors one click
    away and impossible to miss (empty when there are none).
    """
    links = [
        f'<a href="#contact-errors">ошибки в контактах: {contact_errors}</a>' if contact_errors else "",
        f'<a href="#rows-not-loaded">строки контактов не загружены: {rejected}</a>' if rejected else "",
    ]
    shown = " · ".join(link for link in links if link)
    if not shown:
        return ""
    return f'<p class="alert" role="note">{shown} — список после писем, внизу страницы</p>\n'


def _tally(cards: Sequence[_Card], status: str) -> str:
    """A summary's note: how many of ``status``'s cards for each reason, in the badges' words
    (``лимит частоты 2 · нет e-mail 1``), the machine word in each tooltip."""
    said: Counter[tuple[str, str]] = Counter(_summary_word(c) for c in cards if c.status == status)
    return " · ".join(
        f'<span title="{escape(machine)}">{escape(words)} {k}</span>'
        for (machine, words), k in said.most_common()
    )


def _summary_word(card: _Card) -> tuple[str, str]:
    """A card's reason as the summary counts it: (machine word, Russian words)."""
    reason = card.reason or ""
    if (said := card.said) is not None:
        return f"{reason} ({card.journal_state})", said.note
    return reason, REASON_LABELS.get(reason, reason)


def _filter_rules() -> str:
    """The rules that show one filter's cards and days, keyed by ``main[data-show]`` (set by the script).

    Why rules and not a ``hidden`` per card: a click then changes one attribute
    instead of thousands (a year of a big CRM is 18,000 cards), and the browser
    restyles in one pass. Made from the filter tables so a new filter cannot
    lack its rule.
    """
    rules = []
    for key in (*(k for k, _ in _FILTERS if k != "all"), *APPROVAL_LABELS):
        attr = "data-approval" if key in APPROVAL_LABELS else "data-status"
        rules.append(
            f'main[data-show="{key}"] .card:not([{attr}="{key}"]),'
            f'main[data-show="{key}"] section:not(.notice):not([data-has~="{key}"])'
        )
    return ",\n".join(rules) + " { display: none; }"


def _has(group: Sequence[_Card]) -> str:
    """A section's ``data-has``: the statuses and review states of its cards, for :func:`_filter_rules`."""
    keys = sorted({c.status for c in group} | {c.approval for c in group if c.approval})
    return f' data-has="{" ".join(keys)}"'


def rows_of(rejected: Iterable[Rejection], contact_id: str | None) -> list[Rejection]:
    """The rejected rows a gallery lists: all of them, or for one client's gallery only that client's.

    Why: a gallery made with ``--contact`` is handed to a manager or filed
    with that client's access request, and it listed every rejected row of the
    contacts file — other people's ids, addresses and birth dates — where the
    ``.eml`` and JSON outputs of the same request show nothing of them.
    """
    return [r for r in rejected if contact_id is None or r.contact_id == contact_id]


def _rejected_rows(rejected: Sequence[Rejection]) -> Iterator[str]:
    """The rows not loaded, one line each as ``greeter check`` says it: no card, as no letter is planned.

    Nothing is silently dropped (DESIGN.md §4): a duplicated id or a name with
    a line break in it keeps a client from every greeting, and the gallery is
    all a reviewer may look at.
    """
    yield (
        '<section class="notice contact-errors" id="rows-not-loaded"><h2>'
        f'<span class="day-name">Строки контактов не загружены: {len(rejected)}</span>'
        '<span class="day-note">этим клиентам ничего не отправится, пока строка не исправлена</span></h2>'
        '<ul class="rejected">'
    )
    for rejection in rejected:
        who = f"ID {escape(rejection.contact_id)} · " if rejection.contact_id else ""
        for problem in rejection.errors:
            yield f"<li>{who}<code>{escape(str(problem))}</code></li>"
    yield "</ul></section>\n"


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
    if not envelope.from_name:
        return envelope.from_email  # the header is the bare address then, too
    return f"{envelope.from_name} <{envelope.from_email}>"


def _draft_page(card: _Card, data: dict[str, Any], sender: str | None) -> str:
    """One letter: headers, the plain text and the HTML version in a sandboxed frame."""
    to = f"{card.name} <{card.email}>" if card.name else card.email
    when = f"{card.when} ({card.timezone})" if card.timezone else card.when
    rows = [("От", sender)] if sender else []
    rows += [("Кому", to), ("Отправка", when), ("Шаблон", data["template_file"] or data["template"] or "")]
    said = APPROVAL_LABELS.get(card.approval or "")
    if said is not None:
        rows.append(("Одобрение", " — ".join(said)))
    meta = "".join(f"<dt>{k}</dt><dd>{escape(v)}</dd>" for k, v in rows if v)
    letter_html = data["html"]
    if letter_html is None:
        html_part = '<p class="empty">У этого шаблона нет HTML-версии: получатель увидит только текст.</p>'
    else:
        # No allow-scripts: no script, form, popup or top navigation from the letter. The
        # page's origin only so that _FIT_SCRIPT can read the letter's height (see the module doc).
        html_part = (
            f'<iframe class="letter" sandbox="allow-same-origin" referrerpolicy="no-referrer" '
            f'title="HTML-версия письма" srcdoc="{escape(letter_html, quote=True)}"></iframe>'
        )
    title = card.subject or card.titles.get(card.occasion, card.occasion)
    lang = card.lang if card.subject else ""  # an occasion's title is the config's (Russian) word
    plain = escape(data["text"] or "")
    return (
        _head(title, f"../{_CSS_NAME}", _CSP_PAGE, lang)
        + f"""<body class="draft">
<nav class="back"><a href="../index.html#card-{card.n}" data-card="{card.n}">← Все поздравления</a></nav>
<header class="draft-head">
<div class="status">{_badge(card)}</div>
<h1{_lang(lang)}>{escape(title)}</h1>
{_occasion_line(card)}
<dl class="meta">{meta}</dl>
</header>
<main class="versions">
<section class="version"><h2>Текст</h2><pre class="plain"{_lang(card.lang)}>{plain}</pre></section>
<section class="version"><h2>HTML</h2>{html_part}</section>
</main>
<script>{_PAGE_SCRIPT}</script>
</body>
</html>
"""
    )
