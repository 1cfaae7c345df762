"""Signed one-click unsubscribe tokens (RFC 8058 links in ``List-Unsubscribe``) and the page they open.

A token names the address it unsubscribes and carries an HMAC-SHA256 of it,
so nobody can unsubscribe someone else by editing the link; verification is
constant-time. Pure functions: the secrets are passed in by the shell, which
reads them from the environment variables named in the config.

The token's format is fixed: links in letters already sent must keep working.
Its first part is the address in plain base64 (anyone holding the link can
read it: keep it out of proxy logs) and it never expires. Rotating the secret
keeps old links alive through ``unsubscribe.previous_secret_env``: every
secret given is tried, new links are signed with the first (the current) one.

A secret shorter than :data:`MIN_SECRET_BYTES` is refused where it is read
(:func:`signing_key`): the signature is 20 bytes of HMAC-SHA256, so one link
holds all an attacker needs to try every short secret offline, and the secret
found forges a working link for any address.

The page's words live here, one table per language greeter writes letters in
(:data:`PAGE_WORDS`); :func:`page_language` picks one from the request's
``Accept-Language``, else the language of the contact the link's address belongs to.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from greeter.errors import ConfigError, Problem

if TYPE_CHECKING:
    from greeter.journal_store import JournalStore

#: Why a token was refused, as logged: ``malformed`` — not a greeter token (cut, damaged, made up);
#: ``unknown_signature`` — well formed, but signed by no secret the daemon has (forged, another greeter
#: project's link, or signed with a secret rotated away without ``previous_secret_env`` or
#: ``previous_secret_file``); ``no_secret`` — the daemon has no secret.
Rejection = Literal["malformed", "unknown_signature", "no_secret"]


#: The shortest secret signing or verifying links: 256 bits, the HMAC-SHA256 key size; what
#: ``openssl rand -base64 32`` prints is 44 bytes as used (the text itself is the key, not decoded).
MIN_SECRET_BYTES = 32


def signing_key(env: str, value: str, what: str = "unsubscribe secret", *, file: Path | None = None) -> bytes:
    """The HMAC key in ``value`` (read from the environment variable ``env``, or from ``file``:
    ``unsubscribe.secret_file``), as links are signed with it.

    The text's bytes are the key, as they always were (links already sent
    must keep working); blanks around it are not counted towards the length.
    A shorter one raises :class:`~greeter.errors.ConfigError` naming ``env``
    and how to make a good one: ``send`` and ``run`` refuse to start, ``check``
    reports it. Its length is said, never the secret.
    """
    key = value.encode("utf-8", "surrogateescape")  # a variable not in UTF-8 keeps its bytes
    length = len(value.strip().encode("utf-8", "surrogateescape"))
    if length < MIN_SECRET_BYTES:
        source = f"the file {file.absolute()}" if file is not None else f"environment variable {env}"
        said = (
            f"{what}: {source} is too short ({length} bytes, at least {MIN_SECRET_BYTES}): "
            "one unsubscribe link is enough to guess it offline and forge links for anyone; "
            "set it to `openssl rand -base64 32`"
        )
        previous = what.startswith("previous")
        if previous:
            where = "previous_secret_file" if file else "previous_secret_env"
            said += f" or, for a previous secret, remove it from unsubscribe.{where}"
        raise ConfigError(
            [
                Problem(str(file), f"unsubscribe.{'previous_' if previous else ''}secret_file", said)
                if file
                else Problem("environment", env, said)
            ]
        )
    return key


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def make_token(secret: bytes, email: str) -> str:
    """``<address>.<signature>``, both URL-safe base64.

    The address as greeter keys it (:func:`~greeter.contacts.email_key`): case-folding mapped
    ``Straße@example.de`` to ``strasse@…``, another mailbox, whose opt-out the click then stored
    while Straße stayed subscribed.
    """
    from greeter.contacts import email_key

    address = email_key(email.strip()).encode("utf-8")
    signature = hmac.new(secret, address, hashlib.sha256).digest()[:20]
    return f"{_b64(address)}.{_b64(signature)}"


@dataclass(frozen=True)
class Refused:
    """A token :func:`check_token` does not honour, and why (never the token or its address)."""

    reason: Rejection


#: The reason a one-click unsubscribe (RFC 8058 ``POST``) is stored with.
ONE_CLICK_REASON = "unsubscribed (one-click)"


#: What a refused one-click opt-out's error says was (not) done.
NOT_RECORDED = "the one-click opt-out was not recorded (the person was shown how else to unsubscribe)"


def unsubscribe_person(journal: JournalStore, address: str, now: datetime, shown: str) -> int:
    """Record a one-click unsubscribe: 1 if ``address`` is new on the list, else 0.

    The click is the person's wish, not the address's: :meth:`~greeter.journal_store.JournalStore.opt_out`
    binds every contact id the journal greeted at ``address`` too, so a new address the CRM
    gives the same client later is not greeted either (a hard bounce stays address-only).

    Refused, writing nothing, where the daemon's runs refuse to write (``shown``: the journal
    as messages name it): a journal ``copy-journal`` marked copied
    (:class:`~greeter.errors.JournalMovedError`) — the opt-out went into a journal no greeter
    sends from any more, and the person's "no" was missing from the live one — and a shared
    journal a newer greeter upgraded (:class:`~greeter.errors.JournalNewerError`: rows of a
    schema this greeter does not know). Asked at each click, not at the last run: a daemon
    sleeps until its next letter, hours after the copy.
    """
    refuse_unwritable(journal, shown, NOT_RECORDED)
    return journal.opt_out([address], ONE_CLICK_REASON, now, channel="link")[0]


def bind_holders(
    journal: JournalStore, address: str, now: datetime, holders: Callable[[str], frozenset[str] | None]
) -> int:
    """Bind the contacts the source gives ``address`` now to its one-click opt-out (written before,
    at ``now``): how many were new. The opt-out bound only the contact ids greeted at the address;
    one never greeted there — its rows purged, its letter sent from another journal — bound no one,
    and the event named no contact. Each new binding is an ``added`` event of the ``link``
    channel, dated as the click; one already bound keeps its own (the older evidence)."""
    from greeter.contacts import email_key

    held = holders(address)
    if not held:
        return 0
    return journal.opt_out([address], ONE_CLICK_REASON, now, {email_key(address): held}, channel="link")[1]


def refuse_unwritable(journal: JournalStore, shown: str, outcome: str, *, same_file: bool = True) -> None:
    """Raise :class:`~greeter.errors.JournalMovedError` or :class:`~greeter.errors.JournalNewerError`
    when the daemon must not write ``journal`` (``outcome``: what was not done, in the error's words).

    One notice row, and on PostgreSQL the schema's version: cheap enough for every click, every
    ``/healthz`` probe and the unsubscribe page, which asked nothing and offered a button whose
    POST was refused, while ``/healthz`` said ``ok`` until the next run — hours, for a daemon
    sleeping until its next letter. ``same_file``: also ask whether a SQLite journal's file is still
    the one opened (:meth:`~greeter.journal_lock.SenderLock.check_same_file`) — the probe's counts asked it.
    """
    from greeter.delivery import Leased
    from greeter.journal import Journal
    from greeter.journal_moved import refuse_moved

    if same_file and isinstance(journal, Journal):  # overwritten in place: this connection's view is stale
        journal.check_same_file()
    refuse_moved(journal, shown, outcome)
    if isinstance(journal, Leased):
        journal.check_schema()


def check_token(secrets: Sequence[bytes], token: str) -> str | Refused:
    """The address a genuine token names — signed with any of ``secrets`` — else why it is refused.

    Every secret is compared (in constant time each), not stopping at the first
    match, so the time taken does not tell which secret signed a link.
    """
    if not secrets:
        return Refused("no_secret")
    try:
        address_part, signature_part = token.split(".", 1)
        address, signature = _unb64(address_part), _unb64(signature_part)
    except (ValueError, UnicodeEncodeError):
        return Refused("malformed")
    if len(signature) != 20:  # a link cut short by a mail client, or not one of ours
        return Refused("malformed")
    # Only the spelling make_token writes: the decoder ignores the padding bits of the last
    # character, stray characters and ``=``, so other texts decode to the same bytes; a link that
    # is not the one sent must not work (public text, no secret: a plain comparison).
    if (_b64(address), _b64(signature)) != (address_part, signature_part):
        return Refused("malformed")
    matched = False
    for secret in secrets:
        expected = hmac.new(secret, address, hashlib.sha256).digest()[:20]
        matched |= hmac.compare_digest(expected, signature)
    if not matched:
        return Refused("unknown_signature")
    try:
        return address.decode("utf-8")
    except UnicodeDecodeError:
        return Refused("malformed")


#: RFC 8058 §3.1's POST body. Mail clients post it as ``multipart/form-data`` (SHOULD) or
#: urlencoded (MAY); some post the line with no Content-Type or as ``text/plain``.
ONE_CLICK_BODY = b"List-Unsubscribe=One-Click"
#: The Content-Types a one-click body is read as a form from; any other one's body is read as it stands.
FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})

#: Why a POST with a genuine link unsubscribed nobody, as logged: ``no_body`` — nothing posted;
#: ``not_one_click`` — a body that does not say ``List-Unsubscribe=One-Click``; ``unreadable_form`` —
#: a body that is not the form its Content-Type declares; ``too_large`` — over the listener's limit.
NotOneClick = Literal["no_body", "not_one_click", "unreadable_form", "too_large"]


def bare_one_click(body: bytes) -> NotOneClick | None:
    """None when a body posted as no form (no Content-Type, ``text/plain``) is RFC 8058's line, else why not.

    The link's signature already says who is unsubscribed and that the link
    is ours; the body only tells a one-click POST from a stray one, so its
    Content-Type is not held against a client that sends the line bare. The
    line alone, give or take the blanks and line break around it: anything
    else is not what RFC 8058 asks a client to send. Pure.
    """
    line = body.strip()
    if not line:
        return "no_body"
    return None if line == ONE_CLICK_BODY else "not_one_click"


def unsubscribe_url(base: str | None, secret: bytes | None, email: str) -> str | None:
    """The https link for one recipient, or None when no URL or secret is configured."""
    if not base or not secret:
        return None
    return f"{base.rstrip('/')}/{make_token(secret, email)}"


#: What stands for the token in a letter rendered without the secret: ``preview`` or ``check``
#: on a machine whose environment lacks ``unsubscribe.secret_env`` (``send`` and ``run`` refuse
#: to start without it). The letter then reads as it will be sent, and the link, if followed,
#: opens the "not valid" page, which says how else to unsubscribe.
UNSIGNED_TOKEN = "unsigned"


def letter_url(base: str | None, secret: bytes | None, email: str | None) -> str | None:
    """The one-click link a letter's body shows: its ``List-Unsubscribe`` header's own link.

    Made by :func:`unsubscribe_url`, as the header's is, so the two cannot
    differ; without the secret, the same base with :data:`UNSIGNED_TOKEN`.
    None without ``unsubscribe.url`` or an address.
    """
    if not base or not email:
        return None
    return unsubscribe_url(base, secret, email) or f"{base.rstrip('/')}/{UNSIGNED_TOKEN}"


def mailto_href(mailto: str) -> str:
    """The config's ``unsubscribe.mailto`` as a link: an address gets ``?subject=unsubscribe``,
    a ``mailto:`` URI is kept as written (as the ``List-Unsubscribe`` header writes it)."""
    return mailto if mailto.startswith("mailto:") else f"mailto:{mailto}?subject=unsubscribe"


@dataclass(frozen=True)
class PageWords:
    """Everything the unsubscribe page says, in one language."""

    html_lang: str
    offer_title: str
    offer_text: str
    button: str
    done_title: str
    done_text: str
    later_title: str
    later_text: str
    invalid_title: str
    invalid_text: str
    #: A genuine link whose opt-out the daemon refused to record (its journal was copied away, or
    #: a newer greeter upgraded it): not "try again in a minute", not "not valid" — say how else.
    unrecorded_title: str
    unrecorded_text: str
    #: How else to unsubscribe: ``{mailto}`` is the configured address, as a link.
    write_to: str
    reply_to: str
    #: ``offer_text`` and ``done_text`` naming the sender (``{sender}``, the From name): a client
    #: on two brands' lists must see which one the button leaves. Worded so the name stays in
    #: the nominative («ООО «Ромашка» больше не будет…»): a name is not declined.
    offer_from: str
    done_from: str
    #: The done page's further lines: the address unsubscribed (``{address}``, the token's: a reader
    #: with two mailboxes sees which one left), how to undo a click made by mistake, and that it
    #: stops greetings only — a client must not fear their invoices stop too.
    done_address: str
    undo: str
    business: str


#: The page in each language greeter writes letters in (templates' ``_ru``, ``_en``, ``_sr`` and
#: Serbian's Latin script); keyed as :func:`page_language` answers.
PAGE_WORDS: dict[str, PageWords] = {
    "ru": PageWords(
        html_lang="ru",
        offer_title="Отписаться от поздравлений",
        offer_text="Нажмите кнопку, чтобы больше не получать от нас поздравления.",
        button="Отписаться",
        done_title="Готово",
        done_text="Вы отписаны. Больше писем не будет.",
        later_title="Временная ошибка",
        later_text="Не получилось прямо сейчас. Попробуйте, пожалуйста, ещё раз через минуту.",
        invalid_title="Ссылка недействительна",
        invalid_text="Эта ссылка для отписки недействительна: возможно, она повреждена или устарела. "
        "Ничего не изменилось.",
        unrecorded_title="Не удалось отписать Вас здесь",
        unrecorded_text="Ваш запрос не удалось записать, поэтому пока ничего не изменилось.",
        write_to="Чтобы отписаться, напишите нам на {mailto} или ответьте на наше письмо.",
        reply_to="Чтобы отписаться, ответьте на наше письмо — и мы больше не будем Вам писать.",
        offer_from="Нажмите кнопку, и {sender} больше не будет присылать Вам поздравления.",
        done_from="Вы отписаны: {sender} больше не будет присылать Вам поздравления.",
        done_address="Отписан адрес: {address}.",
        undo="Отписались по ошибке? Ответьте на любое наше письмо — и мы снова будем Вас поздравлять.",
        business="Это касается только поздравлений: счета и деловые письма будут приходить, как прежде.",
    ),
    "en": PageWords(
        html_lang="en",
        offer_title="Unsubscribe from our greetings",
        offer_text="Press the button to stop receiving greetings from us.",
        button="Unsubscribe",
        done_title="Done",
        done_text="You are unsubscribed. We will not send you any more greetings.",
        later_title="Temporary problem",
        later_text="That did not work just now. Please try again in a minute.",
        invalid_title="This link is not valid",
        invalid_text="This unsubscribe link is not valid: it may be damaged or out of date. "
        "Nothing has changed.",
        unrecorded_title="We could not unsubscribe you here",
        unrecorded_text="Your request could not be recorded, so nothing has changed yet.",
        write_to="To unsubscribe, write to us at {mailto} or reply to our letter.",
        reply_to="To unsubscribe, reply to our letter and we will not write to you again.",
        offer_from="Press the button to stop receiving greetings from {sender}.",
        done_from="You are unsubscribed. {sender} will not send you any more greetings.",
        done_address="Unsubscribed address: {address}.",
        undo="Unsubscribed by mistake? Reply to any of our letters and we will put you back on the list.",
        business="This stops our greetings only: invoices and other business letters will still reach you.",
    ),
    "sr": PageWords(
        html_lang="sr",
        offer_title="Одјава од честитки",
        offer_text="Кликните на дугме да више не бисте добијали наше честитке.",
        button="Одјави ме",
        done_title="Готово",
        done_text="Одјављени сте. Више Вам нећемо слати честитке.",
        later_title="Привремена грешка",
        later_text="Тренутно није успело. Молимо Вас, покушајте поново за минут.",
        invalid_title="Линк није важећи",
        invalid_text="Овај линк за одјаву није важећи: можда је оштећен или застарео. Ништа није промењено.",
        unrecorded_title="Одјава овде није успела",
        unrecorded_text="Ваш захтев није могао да буде забележен, па за сада ништа није промењено.",
        write_to="Да бисте се одјавили, пишите нам на {mailto} или одговорите на наше писмо.",
        reply_to="Да бисте се одјавили, одговорите на наше писмо и више Вам нећемо писати.",
        offer_from="Кликните на дугме и {sender} Вам више неће слати честитке.",
        done_from="Одјављени сте. {sender} Вам више неће слати честитке.",
        done_address="Одјављена адреса: {address}.",
        undo="Одјавили сте се грешком? Одговорите на било које наше писмо и поново ћемо Вам слати честитке.",
        business="Ово се односи само на честитке: рачуни и пословна писма стизаће као и до сада.",
    ),
    "sr_Latn": PageWords(
        html_lang="sr-Latn",
        offer_title="Odjava od čestitki",
        offer_text="Kliknite na dugme da više ne biste dobijali naše čestitke.",
        button="Odjavi me",
        done_title="Gotovo",
        done_text="Odjavljeni ste. Više Vam nećemo slati čestitke.",
        later_title="Privremena greška",
        later_text="Trenutno nije uspelo. Molimo Vas, pokušajte ponovo za minut.",
        invalid_title="Link nije važeći",
        invalid_text="Ovaj link za odjavu nije važeći: možda je oštećen ili zastareo. Ništa nije promenjeno.",
        unrecorded_title="Odjava ovde nije uspela",
        unrecorded_text="Vaš zahtev nije mogao da bude zabeležen, pa za sada ništa nije promenjeno.",
        write_to="Da biste se odjavili, pišite nam na {mailto} ili odgovorite na naše pismo.",
        reply_to="Da biste se odjavili, odgovorite na naše pismo i više Vam nećemo pisati.",
        offer_from="Kliknite na dugme i {sender} Vam više neće slati čestitke.",
        done_from="Odjavljeni ste. {sender} Vam više neće slati čestitke.",
        done_address="Odjavljena adresa: {address}.",
        undo="Odjavili ste se greškom? Odgovorite na bilo koje naše pismo i ponovo ćemo Vam slati čestitke.",
        business="Ovo se odnosi samo na čestitke: računi i poslovna pisma stizaće kao i do sada.",
    ),
}

#: The page's language when neither the request nor the config's default locale names one it has.
FALLBACK_LANGUAGE = "en"

#: An ``Accept-Language`` is read this far, and this many of its languages: it comes from anyone.
_MAX_ACCEPT_CHARS = 1000
_MAX_ACCEPT_RANGES = 20


def _words_key(locale: str) -> str | None:
    """The :data:`PAGE_WORDS` key for a locale or language range (``en-GB`` → ``en``), or None."""
    from greeter.i18n import language_of, normalize_locale, script_of  # Babel: loaded by the daemon anyway

    normal = normalize_locale(locale, "")
    if not normal:
        return None
    language = language_of(normal)
    if language == "sr":
        return "sr_Latn" if script_of(normal) == "Latn" else "sr"
    return language if language in PAGE_WORDS else None


def page_language(accept_language: str | None, default_locale: str, contact_locale: str | None = None) -> str:
    """The :data:`PAGE_WORDS` key to answer in: the reader's most wanted language greeter has words for.

    ``Accept-Language`` ranges are taken by their ``q`` (0 = not wanted), the
    first listed first among equals (:func:`wanted_language`); ``*`` or none
    that greeter has means the contact's language (``contact_locale``: the
    locale of the contact the link's address belongs to), then the config's
    ``defaults.locale`` (the language letters go out in), else English. The
    reader's own languages come first: a browser names the language of the
    person looking at the page; a mail client's one-click POST names none, and
    the letter that link came in was in the contact's language.
    """
    return (
        wanted_language(accept_language)
        or (_words_key(contact_locale) if contact_locale else None)
        or _words_key(default_locale)
        or FALLBACK_LANGUAGE
    )


def wanted_language(accept_language: str | None) -> str | None:
    """The :data:`PAGE_WORDS` key of the first ``Accept-Language`` range greeter has words for, or None."""
    wanted: list[tuple[float, int, str]] = []
    ranges = (accept_language or "")[:_MAX_ACCEPT_CHARS].split(",")[:_MAX_ACCEPT_RANGES]
    for i, item in enumerate(ranges):
        tag, _, params = item.strip().partition(";")
        weight = 1.0
        name, _, value = params.strip().partition("=")
        if name.strip().lower() == "q":
            try:
                weight = float(value)
            except ValueError:
                continue
        if tag.strip() and weight > 0:
            wanted.append((-weight, i, tag.strip()))
    for _, _, tag in sorted(wanted):
        if tag == "*":
            break
        key = _words_key(tag)
        if key is not None:
            return key
    return None


PageKind = Literal["offer", "done", "later", "invalid", "unrecorded"]

#: The page, in the reader's colour scheme: the letters its link comes from wear a dark palette in
#: dark mode (_brand.j2's), and a reader clicking "unsubscribe" in one met a glaring white page.
#: Both schemes are declared and every colour set (text, links, the button, the ground), each
#: readable on its own ground (WCAG AA, tests/test_unsubscribe_page_dark.py computes them); the
#: dark ground is the letters' dark page.
_PAGE = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<meta name="color-scheme" content="light dark">
<title>{title}</title>
<style>:root{{color-scheme:light dark}}
body{{font:16px/1.5 system-ui,sans-serif;max-width:34rem;margin:4rem auto;padding:0 1rem;color:#222222;
background-color:#ffffff}}
a{{color:#1f5a94}}
button{{font:inherit;padding:.6rem 1.2rem;border-radius:.4rem;border:0;background-color:#8a3b12;color:#ffffff;
cursor:pointer}}
@media (prefers-color-scheme:dark){{body{{color:#e4ded5;background-color:#1b1916}}a{{color:#8fb8e3}}
button{{background-color:#e0966a;color:#1b1916}}}}
</style></head><body><h1>{title}</h1>{body}</body></html>"""


def _mailto_link(mailto: str) -> str:
    """The config's ``unsubscribe.mailto`` (an address or a ``mailto:`` URI) as an HTML link."""
    href = mailto_href(mailto)
    shown = href.removeprefix("mailto:").partition("?")[0]
    import html  # the page and its link only: not every send's import

    return f'<a href="{html.escape(href)}">{html.escape(shown)}</a>'


def render_page(
    kind: PageKind,
    language: str,
    *,
    mailto: str | None = None,
    sender: str | None = None,
    address: str | None = None,
) -> str:
    """The whole HTML page of one kind, in ``language`` (a :data:`PAGE_WORDS` key).

    ``offer`` (GET) only offers the button — it must not claim the reader is
    unsubscribed, as nothing has happened yet (RFC 8058); ``done`` says it is
    done; ``later``: the journal did not answer; ``invalid``: the link is not
    honoured, and how else to unsubscribe (``mailto`` when configured, else
    replying to the letter); ``unrecorded``: the link is good but the daemon
    refused to record it (:func:`unsubscribe_person`), and how else, as ``invalid``.
    ``sender`` (the From name in ``language``) is named on ``offer`` and
    ``done``: "greetings from us" did not tell a client of two brands on one
    host which one they were leaving. ``done`` also names ``address`` (the
    token's), says how to undo a mistaken click and that business mail still comes.
    """
    w = PAGE_WORDS.get(language, PAGE_WORDS[FALLBACK_LANGUAGE])
    import html

    esc = html.escape
    offer, done = (w.offer_from, w.done_from) if sender else (w.offer_text, w.done_text)
    elsewhere = esc(w.write_to).replace("{mailto}", _mailto_link(mailto)) if mailto else esc(w.reply_to)
    title, body = {
        "offer": (
            w.offer_title,
            f"<p>{esc(offer.replace('{sender}', sender or ''))}</p>"
            '<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click">'
            f"<button>{esc(w.button)}</button></form>",
        ),
        "done": (
            w.done_title,
            f"<p>{esc(done.replace('{sender}', sender or ''))}</p>"
            + (f"<p>{esc(w.done_address.replace('{address}', address))}</p>" if address else "")
            + f"<p>{esc(w.business)}</p><p>{esc(w.undo)}</p>",
        ),
        "later": (w.later_title, f"<p>{esc(w.later_text)}</p>"),
        "invalid": (w.invalid_title, f"<p>{esc(w.invalid_text)}</p><p>{elsewhere}</p>"),
        "unrecorded": (w.unrecorded_title, f"<p>{esc(w.unrecorded_text)}</p><p>{elsewhere}</p>"),
    }[kind]
    return _PAGE.format(lang=w.html_lang, title=esc(title), body=body)
