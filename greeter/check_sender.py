"""``greeter check``'s look at what receivers judge the sender by, beyond the letter itself.

The name greeter gives in EHLO, whether SPF's domain (the envelope sender)
can carry DMARC when no aligned DKIM signature does, and one-click
unsubscribe for a sender Gmail counts as a bulk one; and the example config's
made-up sender (Romashka) left in letters that will go out. Each decision is a pure
function of the settings and what the shell found (the host's name, how many
contacts were read); the shell adds the located problem or note to the
:class:`~greeter.check_report.CheckReport`.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from greeter.config import Settings
from greeter.config_delivery import helo_hostname
from greeter.errors import Problem


def helo_name_problem(helo_name: str | None, fqdn: str) -> str | None:
    """Why the name greeter would give in EHLO is penalised by receivers, or None. Pure.

    The name is ``delivery.smtp.helo_name``, else ``fqdn``: the host's own
    name (:func:`socket.getfqdn`), which :class:`~greeter.smtp_transport.SmtpTransport`
    says when the setting is unset — in a container or on a laptop that is
    ``localhost`` or a bare ``vm``, the very names the setting refuses
    (:func:`~greeter.config_delivery.helo_hostname`). A configured name passed
    that rule at load, so only the fallback is judged here, by the same rule.
    """
    if helo_name is not None:
        return None
    try:
        helo_hostname(fqdn)
    except ValueError:
        return (
            f"greeter says EHLO {fqdn} to the mail server: delivery.smtp.helo_name is unset, so this "
            f"host's own name, and {fqdn!r} is not a fully qualified host name: receivers penalise a "
            "bare or local EHLO name; set delivery.smtp.helo_name to this host's public name "
            "(e.g. mail.romashka.ru)"
        )
    return None


def local_relay(host: str) -> bool:
    """Whether the mail server is this machine's own (``localhost``, 127.0.0.0/8, ``::1``). Pure.

    Such a relay (a local Postfix) is the only one that hears greeter's EHLO;
    it greets the receivers under its own ``myhostname``, so a bare host name
    costs nothing there and a warning about it would only be noise.
    """
    import ipaddress

    name = host.strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def unqualified_helo(
    settings: Settings, config_file: Path, fqdn: Callable[[], str] | None = None
) -> list[Problem]:
    """A warning when greeter would greet the mail server with a name receivers penalise.

    ``fqdn`` looks up the host's name as the sender does (default
    :func:`socket.getfqdn`, called at the time, as the transport calls it),
    only for ``transport: smtp`` without ``helo_name``: a lookup may wait on
    DNS. A warning, not an error: letters still go, but score worse. None for a
    relay on this machine (:func:`local_relay`), which greets onward under its own name.
    """
    smtp = settings.delivery.smtp
    if settings.delivery.transport != "smtp" or smtp.helo_name is not None or local_relay(smtp.host):
        return []
    message = helo_name_problem(None, (fqdn or socket.getfqdn)())
    if message is None:
        return []
    from greeter.config_loader import locate

    line, col = locate(config_file, ("delivery", "smtp", "helo_name"))
    return [Problem(str(config_file), "delivery.smtp.helo_name", message, line, col, severity="warning")]


def return_path_alignment(settings: Settings, config_file: Path) -> list[Problem]:
    """A warning when DMARC can pass neither on DKIM nor on SPF: the envelope sender is in another domain.

    Without DKIM (or with one signing for another domain, which
    :func:`~greeter.check_delivery.dkim_alignment` warns of), DMARC rests on
    SPF, which passes for the domain of MAIL FROM — ``delivery.return_path``,
    else ``sender.email``. A return path in another organizational domain than
    From: (relaxed alignment, :func:`~greeter.check_delivery.dmarc_aligned`,
    the rule the DKIM warning uses) leaves DMARC nothing to pass on, and a
    receiver enforcing the From domain's policy rejects or junks every letter.
    """
    return_path = settings.delivery.return_path
    if return_path is None:
        return []
    # Here, not at the top: every ``send``, ``run`` and ``test-send`` imports this module for
    # placeholder_warning, and check_delivery's imports (check_report, db_checks, asyncio's
    # probes) are check's alone (tests/test_startup_imports.py).
    from greeter.check_delivery import dmarc_aligned

    author = settings.sender.domain.lower()
    dkim = settings.delivery.dkim
    if dkim is not None and dmarc_aligned(dkim.domain, author):
        return []
    bounces = return_path.rsplit("@", 1)[-1].lower()
    if dmarc_aligned(bounces, author):
        return []
    from greeter.config_loader import locate

    line, col = locate(config_file, ("delivery", "return_path"))
    signed = "letters are not DKIM-signed" if dkim is None else f"DKIM signs for {dkim.domain!r}, not it"
    message = (
        f"the envelope sender is in {bounces!r} (delivery.return_path) but letters come from {author!r} "
        f"(sender.email), and {signed}: DMARC can then pass neither on SPF nor on DKIM, so receivers "
        "that check DMARC (Gmail, Yahoo, Mail.ru) may reject or junk them; use a return path in "
        f"{author} (or its parent domain), or sign with DKIM for d={author}"
    )
    return [Problem(str(config_file), "delivery.return_path", message, line, col, severity="warning")]


#: Letters a day to Gmail from which Google counts a sender as a bulk one, for good (its 2024
#: sender guidelines): it must then offer one-click unsubscribe (RFC 8058), as Yahoo asks too.
BULK_SENDER_DAILY: Final = 5000


def bulk_without_one_click(settings: Settings, contacts: int) -> list[str]:
    """The note when one day's letters may make greeter a bulk sender that offers no one-click
    unsubscribe (none or one). Pure.

    Said when there is no ``unsubscribe.url`` (only the mailto
    ``List-Unsubscribe``), some occasion greets everyone in its audience on
    one calendar day (a ``date``, ``holiday``, ``on`` or ``ics`` occasion:
    New Year), at least :data:`BULK_SENDER_DAILY` contacts were loaded, and
    ``delivery.rate_limit.per_day`` does not keep a day under that. Contacts'
    own dates (birthdays) spread over the year and never make such a day.
    Which addresses are Gmail's is not told apart: a note, not a warning, so
    ``check --strict`` is not failed by an estimate.
    """
    if settings.unsubscribe.url or contacts < BULK_SENDER_DAILY:
        return []
    per_day = settings.delivery.rate_limit.per_day
    if per_day is not None and per_day < BULK_SENDER_DAILY:
        return []
    same_day = [occ.name for occ in settings.occasions if occ.field is None]
    if not same_day:
        return []
    return [
        f"unsubscribe: no unsubscribe.url, and {same_day[0]} may greet all {contacts:,} contacts on one"
        f" day: from {BULK_SENDER_DAILY:,} letters a day to Gmail, Gmail and Yahoo treat the sender as a"
        " bulk one and require one-click unsubscribe (RFC 8058), which only unsubscribe.url (served by"
        " greeter run with http.enabled) offers"
    ]


#: What the example config (``config.example.yaml``, which ``greeter init`` writes) makes up for the
#: sender: its company's two names, its domain (``.example`` is reserved, RFC 2606: no mail reaches
#: it) and its phone number. A real team never means them, in any letter.
EXAMPLE_PLACEHOLDERS: Final = ("ООО «Ромашка»", "Romashka LLC", "romashka.example", "+7 495 000-00-00")


@dataclass(frozen=True, slots=True)
class Placeholder:
    """A setting that still holds one of :data:`EXAMPLE_PLACEHOLDERS`, and which letters carry it."""

    setting: str  # "sender.by_locale.de.name"
    shown: str  # the value, or its line holding the placeholder (a signature's)
    #: The letters' locales whose letters are signed with it, each with how many contacts get
    #: one; empty: every letter carries it (From:, Reply-To:, List-Unsubscribe).
    letters: tuple[tuple[str, int], ...] = ()


def example_placeholders(settings: Settings, letters: Mapping[str, int]) -> list[Placeholder]:
    """The settings letters would be sent with that are still the example's placeholders. Pure.

    ``letters``: the locale of each letter ``check`` rendered → how many contacts got one
    (:attr:`~greeter.check_reach.Reach.letters`): a name, company or signature counts only where
    letters are signed with it — the example's Russian entry is no matter to a team with no
    Russian-speaking client. The addresses every letter carries always count. Why: a Vienna team
    ran ``init --locale de``, made ``sender`` its own, and every German letter still went out
    ``From: Romashka LLC`` (a ``by_locale.de`` left over), with «unsubscribe@romashka.example»
    under it; ``check`` said OK.
    """
    from greeter.i18n import keys_for

    sender, delivery, unsubscribe = settings.sender, settings.delivery, settings.unsubscribe
    every = (
        ("sender.email", sender.email),
        ("sender.reply_to", sender.reply_to),
        ("delivery.return_path", delivery.return_path),
        ("delivery.smtp.helo_name", delivery.smtp.helo_name),
        ("delivery.dkim.domain", delivery.dkim.domain if delivery.dkim is not None else None),
        ("unsubscribe.mailto", unsubscribe.mailto),
        ("unsubscribe.url", unsubscribe.url),
    )
    found = [Placeholder(setting, shown) for setting, value in every if (shown := _placeholder(value))]
    signed: dict[tuple[str, str], list[tuple[str, int]]] = {}
    default = settings.defaults.locale
    for locale, count in sorted(letters.items()):
        keys = keys_for(locale, tuple(sender.by_locale)) if sender.by_locale else ()
        name, company = sender.in_locale(locale)
        for part, value in (("name", name), ("company", company), ("signature", None)):
            if value is None:  # the signature: its entry's, else the sender's own in its language
                value = sender.signature_in(locale, default)
            shown = _placeholder(value)
            if not shown:
                continue
            owner = [k for k in keys if getattr(sender.by_locale[k], part)]
            setting = f"sender.by_locale.{owner[-1]}.{part}" if owner else f"sender.{part}"
            signed.setdefault((setting, shown), []).append((locale, count))
    found += [Placeholder(setting, shown, tuple(who)) for (setting, shown), who in signed.items()]
    return found


def _placeholder(value: str | None) -> str:
    """``value``, or the line of it holding a placeholder (a signature's), if it holds one; else ""."""
    if not value:
        return ""
    folded = value.casefold()
    if not any(p.casefold() in folded for p in EXAMPLE_PLACEHOLDERS):
        return ""
    lines = [line.strip() for line in value.splitlines()]
    return next(line for line in lines if any(p.casefold() in line.casefold() for p in EXAMPLE_PLACEHOLDERS))


def placeholder_problems(
    settings: Settings, config_file: Path, letters: Mapping[str, int]
) -> tuple[list[Problem], list[str]]:
    """Warnings at the settings that would send the example's placeholders (:func:`example_placeholders`),
    with ``delivery.transport: smtp``; else one note naming them, for the summary.

    With the file transport letters go to an outbox and the starter works as it is (its
    ``check`` stays free of warnings), so a note reminds; a relay sends them to clients, and
    there a placeholder is a slip the reader sees: one warning per block to edit.
    """
    found = example_placeholders(settings, letters)
    if not found:
        return [], []
    if settings.delivery.transport != "smtp":
        return [], [
            f"example: letters carry the example config's placeholders ({_settings_of(found)}): make"
            " them yours before delivery.transport says smtp"
        ]
    from greeter.config_loader import locate

    blocks: dict[str, list[Placeholder]] = {}
    for p in found:
        blocks.setdefault(p.setting.rpartition(".")[0], []).append(p)
    problems: list[Problem] = []
    for block, items in blocks.items():
        carried: dict[str, list[str]] = {}
        for p in items:
            carried.setdefault(_carried(p), []).append(f"{p.setting.rpartition('.')[2]} {p.shown!r}")
        said = ", ".join(f"{' and '.join(what)} ({where})" for where, what in carried.items())
        fix = "write your own"
        if block.startswith("sender.by_locale."):
            fix += f", or delete {block}: its letters then take sender's"
        line, col = locate(config_file, tuple(items[0].setting.split(".")))
        if line is None:  # a by_locale key written another way (en-GB for en_GB): at the section
            line, col = locate(config_file, tuple(block.split(".")[:2]))
        plural = "s" if len(items) > 1 else ""
        message = f"{said}: the example config's placeholder{plural}, not yours; {fix}"
        problems.append(Problem(str(config_file), block, message, line, col, severity="warning"))
    return problems, []


def placeholder_warning(settings: Settings, locales: Iterable[str] = ()) -> str | None:
    """One line for ``send``, ``run`` and ``test-send``: the letters about to go out by SMTP carry
    the example's placeholders (:func:`example_placeholders`, as ``check`` finds them); else None. Pure.

    ``locales``: the letters' languages when known (``test-send``'s one letter), else the default
    locale's signature is judged. Why: ``send --once`` delivered real letters From «ООО «Ромашка»»
    <greetings@romashka.example> without a word; only ``check`` had warned. A warning, not a
    refusal: tests and rehearsals send through local servers with the example's addresses.
    """
    if settings.delivery.transport != "smtp":
        return None
    found = example_placeholders(settings, dict.fromkeys(locales or (settings.defaults.locale,), 0))
    if not found:
        return None
    return (
        f"letters go out by SMTP with the example config's placeholders ({_settings_of(found)}):"
        " make them yours (greeter check says where)"
    )


def _settings_of(found: Sequence[Placeholder]) -> str:
    """The settings holding placeholders, each once: "sender.email, sender.reply_to"."""
    return ", ".join(dict.fromkeys(p.setting for p in found))


def _carried(p: Placeholder) -> str:
    """Which letters carry ``p``: "in every letter", "signing the letters in de: 10 contact(s)"."""
    if not p.letters:
        return "in every letter"
    locales = ", ".join(locale for locale, _ in p.letters)
    return f"signing the letters in {locales}: {sum(n for _, n in p.letters)} contact(s)"
