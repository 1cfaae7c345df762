"""The contact record every other module works with.

A :class:`Contact` is plain, immutable data built by a source (CSV, XLSX, SQL)
from one row. It carries its own row number so any later problem (a template
that fails for it, an implausible date) can still name the place to fix.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import lru_cache
from types import MappingProxyType
from typing import Final, NamedTuple

from greeter.slots_init import maker, slots_init

#: What a contact's text may not hold where it can reach a header: C0 controls (incl. TAB, CR,
#: LF, NUL), DEL, C1 controls (incl. NEL U+0085), the Unicode line/paragraph separators, lone
#: surrogates and the text-direction controls (:data:`DIRECTION_CONTROLS`). The one definition for
#: both ends: :func:`greeter.message.validate_header_value` refuses them when a letter is built, and
#: :class:`greeter.sources.rows.RowParser` rejects a row holding one at load, so ``check`` and
#: ``preview`` see the row a ``send`` would hold.
UNSAFE_IN_HEADER = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\u202a-\u202e\u2066-\u2069]")
#: The Unicode bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069):
#: invisible, they make a mail client show the text after them reversed or moved —
#: ``Happy birthday, \u202eevil\u202c!`` in a Subject or To: shows another name than the bytes
#: say ("Trojan Source", CVE-2021-42574). A name or address has no use for them.
DIRECTION_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_EMPTY: Mapping[str, str] = MappingProxyType({})
_NO_DATES: Mapping[str, date] = MappingProxyType({})
#: The domain of a plain ASCII address (:data:`ASCII_EMAIL`'s part after the ``@``).
_ASCII_DOMAIN = r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
#: A plain ASCII address: :func:`valid_email` takes it as it is (the row parser asks it first, inline).
ASCII_EMAIL = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@" + _ASCII_DOMAIN
)
#: :data:`ASCII_EMAIL`'s domain alone. The row parser reads an address whose local part is ASCII
#: letters and digits (which that part of the pattern always matches) as its domain's verdict, one
#: per distinct domain: the pattern's backtracking over the domain was ~5,000 instructions an
#: address (callgrind), and an export holds a handful of domains.
ASCII_DOMAIN = re.compile(_ASCII_DOMAIN)


def readable_address(address: str) -> str:
    """``address`` as a person reads it: an ASCII (punycode) domain in its Unicode form
    (``ilze@xn--brzii-iza47a.lv`` → ``ilze@bērziņi.lv``); as it is when it has none, or is no IDNA name.

    greeter keeps an internationalised domain in the ASCII form every SMTP server takes
    (:func:`valid_email`), and so it stays in headers, the envelope and JSON. But a Riga office's
    letters closed «… · ilze.berzina@xn--rgas-sveicieni-ldc.lv» and its gallery said «Кому …
    <ilze@xn--brzii-iza47a.lv>»: the letter's footer (:class:`~greeter.template_views.SenderView`)
    and the gallery's From/To show this form. Pure; an address without ``xn--`` costs one test.
    """
    local, at, domain = address.rpartition("@")
    if not at or "xn--" not in domain.lower():
        return address
    import idna  # email_validator's IDNA 2008: only for such an address

    try:
        return f"{local}@{idna.decode(domain)}"
    except idna.IDNAError:
        return address


def valid_email(text: str) -> str | None:
    """The address as greeter uses it, or None if it is not a valid one; fast path for plain ASCII.

    The one rule for every address greeter takes in: a contact's e-mail
    (:class:`greeter.sources.rows.RowParser`) and the do-not-contact list
    (:mod:`greeter.suppression`). ``text`` is taken as given (strip it first).
    email_validator is imported here, not at the top: most exports never need it, and
    importing it (with its IDNA tables) cost every greeter command ~40 ms of start-up.

    An internationalised domain (``olga@пример.рф``) is given in its IDNA 2008
    ASCII form (``olga@xn--e1afmkfd.xn--p1ai``, email_validator's ``ascii_email``
    through the ``idna`` package): every SMTP server accepts it, and
    check, preview, the calendar, the do-not-contact list and send all see that one
    address. Only an address whose local part is not ASCII (``ольга@mail.ru``) stays
    non-ASCII: no ASCII form of it exists (it needs SMTPUTF8, RFC 6531), and the
    loader skips such a contact (:func:`smtputf8_only`).

    A local part with a compatibility character (:func:`compatibility_chars`:
    ``\u212aarl@`` with the KELVIN SIGN, ``ﬁle@``, fullwidth ``ｉｎｆｏ@``) is no
    address: unlike the domain (IDNA maps it, RFC 5895), the local part is the
    receiving server's exact string (RFC 6530 §10.1, RFC 6531), and the
    normalisation email_validator applies made ``\u212aarl@`` the ASCII
    ``Karl@`` — another person's mailbox than the CRM holds, greeted silently.
    Refused instead, and :func:`email_in_cell`'s hint names the character.
    """
    if ASCII_EMAIL.fullmatch(text):
        return text
    if compatibility_chars(text.rpartition("@")[0]):
        return None
    from email_validator import EmailNotValidError, validate_email

    try:
        checked = validate_email(text, check_deliverability=False)
    except EmailNotValidError:
        return None
    return str(checked.ascii_email or checked.normalized)


def compatibility_chars(text: str) -> list[str]:
    """The characters of ``text`` that NFKC maps to other ones, each once, in order; [] for ASCII.

    The KELVIN SIGN (to ``K``), the ANGSTROM SIGN, ligatures (``ﬁ``),
    fullwidth and superscript letters: each a look-alike of another
    character, and in an address a different mailbox from the one it looks
    like. Judged one character at a time, so a letter with a combining accent
    (``e`` + U+0301) is not one: that is the same text as ``é`` (canonically
    equivalent, RFC 6532 §3.1) and is keyed so (:func:`email_key`).
    """
    if text.isascii():
        return []
    return list(
        dict.fromkeys(ch for ch in text if not ch.isascii() and unicodedata.normalize("NFKC", ch) != ch)
    )


def compatibility_hint(chars: Sequence[str]) -> str:
    """What :func:`compatibility_chars` found, in words: ``'K' (U+212A KELVIN SIGN, a look-alike of 'K')``."""
    said = ", ".join(
        f"{ch!r} (U+{ord(ch):04X} {unicodedata.name(ch, 'CHARACTER')},"
        f" a look-alike of {unicodedata.normalize('NFKC', ch)!r})"
        for ch in chars
    )
    return (
        f"before the @ it has {said}: the mailbox would be another one than the CRM's;"
        " retype the address in the CRM"
    )


def smtputf8_only(address: str) -> bool:
    """Whether ``address`` (as :func:`valid_email` gives it) can only be sent with SMTPUTF8.

    Its domain is already ASCII (punycode), so only a non-ASCII local part is
    left: greeter speaks plain SMTP, and such a letter is refused by the
    message builder (:func:`greeter.message.validate_address`) at send time.
    """
    return not address.isascii()


#: Anything that looks like one address inside a cell: to count the addresses in "a@x.ru, b@x.ru".
_ADDRESS_LIKE = re.compile(r"[^\s,;<>\"'()\[\]]+@[^\s,;<>\"'()\[\]]+")
_MAILTO = re.compile(r"(?i)\s*mailto:\s*")
#: ``Антон Козлов <a@x.ru>``, ``"Козлов, Антон" <a@x.ru>`` or ``<a@x.ru>``: the name form of a mail header.
_NAMED = re.compile(r"\s*(?P<name>\"[^\"]*\"|[^<>\"]*?)\s*<\s*(?P<address>[^<>\s]+)\s*>\s*")


def addresses_in(text: str) -> list[str]:
    """Everything in ``text`` that looks like one address, each once (keyed as :func:`email_key`
    compares: case-folding made ``straße@`` ``strasse@``, and ``str.lower`` the KELVIN SIGN's
    ``\u212aarl@`` the ASCII ``karl@``), in order.

    To count the addresses of ``a@x.ru, b@x.ru``: a contact's cell holding two
    is refused (:func:`email_in_cell`), a do-not-contact cell holding two puts
    both on the list (:mod:`greeter.suppression`).
    """
    return list(dict.fromkeys(email_key(m) for m in _ADDRESS_LIKE.findall(text)))


def email_in_cell(text: str) -> tuple[str | None, str]:
    """The address a contact's e-mail cell holds, and what to tell about the cell.

    ``(address, "")``: a valid address, as :func:`valid_email` gives it.
    ``(address, note)``: the cell is not a bare address but holds exactly one,
    unambiguously — a ``mailto:`` link, the ``Name <address>`` form CRMs and
    mail clients copy, a sentence's final dot, an invisible character pasted
    with it (a zero-width space: :func:`invisible_chars` says which, and where).
    That address is taken (the note, for a warning, says so and what to
    write): rejecting a row whose address anyone can read would lose a
    greeting for nothing.
    ``(None, hint)``: no address can be taken; the hint (maybe empty) says
    what is wrong in words the CRM's user can act on. Two addresses in one
    cell are not chosen between here (a setting takes one address, and in
    ``a@x.ru <b@x.ru>`` which one is meant cannot be told); a contact's cell
    that plainly lists several is read by :func:`listed_addresses`.
    """
    address = valid_email(text)
    if address is not None:
        return address, ""
    found = addresses_in(text)
    if len(found) > 1:
        return None, f"it holds {len(found)} addresses, and which one is meant cannot be told"
    rest, kinds = text, []
    invisible = invisible_chars(text)
    if invisible:  # copied from a web page or a messenger: nobody typed it, nobody can see it
        rest = "".join(ch for ch in text if not _is_invisible(ch))
        kinds.append(invisible)
    if (m := _MAILTO.match(rest)) is not None:
        rest = rest[m.end() :].partition("?")[0]
        kinds.append("a mailto: link")
    if (m := _NAMED.fullmatch(rest)) is not None:
        rest = m.group("address")
        kinds.append("a name with the address" if m.group("name").strip('" ') else "angle brackets")
    if rest.endswith(".") and rest.rstrip(".") and "@" in rest:
        rest = rest.rstrip(".")
        kinds.append("a dot at the end")
    if kinds and (address := valid_email(rest)) is not None:
        if kinds == [invisible]:
            them = "them" if invisible.startswith("invisible characters") else "it"
            return (
                address,
                f"has {invisible}; taken as {address!r} without {them}: retype the address in the CRM",
            )
        return (
            address,
            f"is not a bare address ({', '.join(kinds)}); taken as {address!r}: write only the address",
        )
    wrong = _what_is_wrong(rest)
    return None, "; ".join(filter(None, (f"it has {invisible}" if invisible else "", wrong)))


#: What separates the addresses of a cell that lists several: a CRM writes ``a@x.ru, b@x.ru``.
_LIST_SEPARATORS = re.compile(r"[\s,;]+")
#: Characters of a mail header's name form (``"Name" <a@x.ru>``) or a comment: in a cell of several
#: addresses they leave which text is the mailbox and which a name unclear (``a@x.ru <b@x.ru>``).
_NAME_SYNTAX = frozenset('<>"()[]')


def listed_addresses(text: str) -> list[tuple[str, str | None]] | None:
    """Each item of a cell listing several addresses, and the address it is (None if not valid), or None.

    ``kuz@firm.ru, d.kuz@gmail.com`` (as Bitrix24 writes a contact's two
    addresses in one cell) gives both, in the cell's order, so that the first
    valid one can be greeted: a CRM export cannot hold them in rows of their
    own. None — the cell is not such a list, and :func:`email_in_cell`'s
    refusal stands — unless it splits at ``,`` ``;`` or spaces into two or
    more items that each have an ``@`` and none of them the name form's
    ``<>"()[]``: whether ``a@x.ru <b@x.ru>`` is addressed to the name or the
    bracket cannot be told, and a word between addresses (``или``) is a
    note, not a list. A control character never reaches here (the row is
    refused first by the row parser: :data:`UNSAFE_IN_HEADER`), and each address is
    :func:`valid_email`'s, as a cell of one.
    """
    items = [item for item in _LIST_SEPARATORS.split(text) if item]
    if len(items) < 2 or any("@" not in item or not _NAME_SYNTAX.isdisjoint(item) for item in items):
        return None
    return [(item, valid_email(item)) for item in items]


def other_listed(listed: Sequence[tuple[str, str | None]], chosen: str | None) -> tuple[str, ...]:
    """The valid addresses of a cell :func:`listed_addresses` read, other than the ``chosen`` one, once each.

    The contact is greeted at one of them; the others are the same person's
    (:attr:`Contact.other_emails`), compared as the do-not-contact list compares (:func:`email_key`).
    """
    seen = {email_key(chosen)} if chosen else set()
    found: list[str] = []
    for _, address in listed:
        if address is not None and (key := email_key(address)) not in seen:
            seen.add(key)
            found.append(address)
    return tuple(found)


def _is_invisible(ch: str) -> bool:
    """Whether ``ch`` is a format character (Unicode Cf): shown as nothing, yet part of the text.

    The zero-width space and joiners, the soft hyphen, the byte-order mark,
    the direction marks: a cell pasted from a web page or a messenger brings
    them along, and an address with one is refused by every mail server.
    """
    return not ch.isascii() and unicodedata.category(ch) == "Cf"


def invisible_chars(text: str) -> str:
    """Where ``text`` has invisible characters, in words: "an invisible U+200B ZERO WIDTH SPACE at
    position 9" (positions count from 1, as a spreadsheet's cursor does); "" when it has none."""
    if text.isascii():
        return ""
    found = [
        f"U+{ord(ch):04X} {unicodedata.name(ch, 'FORMAT CHARACTER')} at position {i}"
        for i, ch in enumerate(text, 1)
        if _is_invisible(ch)
    ]
    if not found:
        return ""
    return f"an invisible {found[0]}" if len(found) == 1 else f"invisible characters ({', '.join(found)})"


def _what_is_wrong(text: str) -> str:
    """A hint for a cell no address can be taken from; empty when nothing specific can be said."""
    local, at, domain = text.partition("@")
    if "@" in domain:
        return "it has more than one @"
    if at and (odd := compatibility_chars(local)):
        return compatibility_hint(odd)
    if ".." in text:
        where = "in the domain" if ".." in domain else "before the @"
        fixed = re.sub(r"\.{2,}", ".", text)
        meant = f" ({fixed} meant?)" if valid_email(fixed) is not None else ""
        return f"two dots in a row {where}{meant}"
    if at and (local.endswith(".") or domain.startswith(".")):
        return "a dot right next to the @, which no address has"
    if at and local.startswith("."):
        return "it starts with a dot, which no address does"
    if at and any(ch.isspace() for ch in text):
        return "it has a space, which no address has"
    if at and "," in domain:
        return f"a comma in the domain ({local}@{domain.replace(',', '.')} meant?)"
    if at and not domain:
        return "nothing after the @ (the domain, like mail.ru, is missing)"
    if at and "." not in domain:
        return f"the domain {domain!r} has no dot (the end, like .ru or .com, is missing)"
    return ""


#: The mailbox providers most clients of a Russian business use: a domain one typo away from one
#: of these is almost surely that one misspelt. A short table, not a dependency: the PyPI packages
#: for this (email-typo-fixer, emailtools) are one-person projects whose lists lack the Russian
#: providers, and a wrong guess here costs only a warning line.
PROVIDERS: tuple[str, ...] = (
    "mail.ru", "yandex.ru", "ya.ru", "bk.ru", "list.ru", "inbox.ru", "rambler.ru", "gmail.com",
    "outlook.com", "hotmail.com", "icloud.com", "yahoo.com",
)  # fmt: skip
#: Real domains a typo test would take for misspellings of :data:`PROVIDERS` (mail.com is one
#: letter from gmail.com): never warned about.
_REAL_LOOKALIKES = frozenset(
    {"mail.com", "email.com", "ymail.com", "gmx.com", "gmx.net", "yandex.com", "yandex.by", "yandex.kz",
     "yandex.ua", "mail.ua", "live.com", "me.com", "mac.com", "list.ua", "inbox.lv", "inbox.lt"}
)  # fmt: skip
#: Endings that are real and common: "yandex.com" is not a typo of "yandex.ru" ("yandex.ri" is).
_COMMON_TLDS = frozenset(
    {"ru", "com", "net", "org", "su", "рф", "ua", "by", "kz", "uz", "kg", "am", "ge", "az", "md", "de",
     "uk", "us", "eu", "io", "info", "biz", "pro", "me", "lv", "lt", "ee", "rs", "hu", "fr", "it", "es"}
)  # fmt: skip


@lru_cache(maxsize=4096)
def domain_typo(domain: str) -> str | None:
    """The provider's domain ``domain`` is a typo of (``gmial.com`` → ``gmail.com``), or None.

    A typo is one letter added, dropped, changed or swapped with its neighbour
    in the name (``gmial``, ``gmai``, ``yandx``), the ending kept; or the name
    exact and the ending one such slip from the provider's (``yandex.ri``,
    ``gmail.con``) while not itself a common ending (``yandex.com`` is
    Yandex's too). A changed letter in a name of four letters or fewer is not
    taken (``lisa.ru`` is somebody's own domain, not ``list.ru``), nor any
    change to the two-letter ``ya``/``bk``. Only a warning is ever built on
    this: the address is still greeted as written.
    """
    domain = domain.casefold().rstrip(".")
    if domain in PROVIDERS or domain in _REAL_LOOKALIKES:
        return None
    name, dot, tld = domain.rpartition(".")
    if not dot:
        return None
    for provider in PROVIDERS:
        p_name, _, p_tld = provider.rpartition(".")
        if name == p_name and tld not in _COMMON_TLDS and _one_slip(tld, p_tld):
            return provider
        # A changed letter in a short name makes another plausible name: only a slip that keeps
        # the letters (a swap) or adds or drops one counts there.
        kept = len(p_name) > 4 or len(name) != len(p_name) or sorted(name) == sorted(p_name)
        if tld == p_tld and len(p_name) > 2 and kept and _one_slip(name, p_name):
            return provider
    return None


def _one_slip(typed: str, meant: str) -> bool:
    """Whether ``typed`` is ``meant`` with one letter added, dropped, changed, or two neighbours swapped."""
    if typed == meant or abs(len(typed) - len(meant)) > 1:
        return False
    if len(typed) == len(meant):
        diff = [i for i, (a, b) in enumerate(zip(typed, meant, strict=True)) if a != b]
        return len(diff) == 1 or (
            len(diff) == 2 and diff[1] == diff[0] + 1 and typed[diff[0]] == meant[diff[1]]
            and typed[diff[1]] == meant[diff[0]]
        )  # fmt: skip
    short, long = sorted((typed, meant), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


#: Languages whose names are written family name first: "Kovács Béla", not "Béla Kovács".
FAMILY_NAME_FIRST: frozenset[str] = frozenset({"hu"})


def family_name_first(locale: str | None) -> bool:
    """Whether a person of ``locale`` writes the family name first (Hungarian: Eastern name order).

    The one rule for every place a name is written whole: the salutation
    ("Tisztelt Kovács Béla"), the To: header, ``{{ contact }}``, ``|name(…, 'full')``,
    the preview's table, gallery and calendar.
    """
    return locale is not None and locale.replace("-", "_").partition("_")[0].lower() in FAMILY_NAME_FIRST


class Titled(NamedTuple):
    """A name's academic titles and the first and last name without them (:func:`academic_titles`)."""

    #: The titles as typed, in order, each once: "Prof. Dr.", "Dr. med.", "Dipl.-Ing."; "" for none.
    titles: str
    first: str
    last: str


#: A word that starts an academic title: Prof., Dr. (any case: Hungarian writes «dr.»), Dr.-Ing.,
#: Dr.-Ing. and the other hyphenated doctorates, Diplom degrees (Dipl.-Ing., Dipl.-Kfm.), Priv.-Doz.;
#: and Austria's (Austria's federal portal oesterreich.gv.at, «Akademische Grade»; BMBWF, «Führung
#: akademischer Grade»): Mag., its female Mag.a, MMag., DDr., Dr.in, DI (Diplom-Ingenieur, written
#: without a dot), Dkfm., Ing. (the engineer's qualification), Univ.-Prof., Hon.-Prof.; and the
#: Portuguese and Spanish ones a Brazilian, Portuguese or Spanish-speaking CRM types before the first
#: name: Dra. (a doctor, a lawyer, a PhD), Profa. or Prof.ª, Eng., Enga. or Eng.ª, Arq., Arqa.;
#: Spanish Ing., Lic., Licda., Licdo. («Dra. Ana» was the first name «Dra. Ana»: a Portuguese
#: salutation said «Prezada Sra. Dra. Ana», with two titles, where a Brazilian writes «Prezada Dra. Ana»).
_TITLE_HEAD: Final = re.compile(
    r"(?:[Pp]rof|[Dd]r|DR|PROF|DDr)\.(?:-[A-Z][a-z]+\.)?(?:in)?|(?:Univ|Hon)\.-Prof\.(?:in)?"
    r"|Dipl\.-[^\W\d_]+\.|Priv\.-Doz\.|M?Mag\.a?|Ing\.|Dkfm\.|DI"
    r"|Dra\.|Profa\.|Prof\.ª|Enga?\.|Eng\.[ªº]|Arqa?\.|Lic(?:d[ao])?\."
)
#: The doctorate and the professorship as British English types them, without the full stop
#: («Dr Emma», «Prof Tom»), and «Professor» written out: titles only before another name word
#: (:func:`_split_titles`), read as «Dr.» and «Prof.» are (:func:`_title_key`).
_DOTLESS_HEAD: Final = re.compile(r"[Dd]r|DR|[Pp]rof(?:essor)?|PROF(?:ESSOR)?")
#: What may follow a doctorate as its faculty or kind, all lower case with a dot: «Dr. med.»,
#: «Dr. rer. nat.», «Dr. med. dent.», «Dr. h. c.», «Dr. h.c.», «Dr. mult.», «Dr.-Ing. e.h.»; and the
#: «(FH)» of an Austrian degree from a university of applied sciences («Mag. (FH)», «DI (FH)»).
_TITLE_TAIL: Final = re.compile(r"(?:[a-z]{1,5}\.)+|\(FH\)")


def _split_titles(column: str, *, titles_only: bool = False) -> tuple[list[str], str]:
    """A name column's leading title words, and the rest: "Prof. Dr. Klaus" → (["Prof.", "Dr."], "Klaus").

    «DI», the one title without a dot, is one only before a name that is not
    in capitals too: «DI Franz» is Diplom-Ingenieur Franz, «DI MARCO» an
    Italian surname a CRM writes in capitals. «Dr», «Prof» and «Professor»
    without a dot (:data:`_DOTLESS_HEAD`) are titles only before another word
    too: «Dr Emma» is Dr Emma, a cell that is «Dr» alone is a name as typed.
    ``titles_only``: the text is titles alone (a gender cell's «Herr DI»,
    «Dr»), so neither needs a name after it.
    """
    words = column.split()
    titles: list[str] = []
    after_head = False
    for i, word in enumerate(words):
        later = words[i + 1] if i + 1 < len(words) else ""
        if (
            _TITLE_HEAD.fullmatch(word)
            and (word != "DI" or (later and not later.isupper()) or (titles_only and not later))
        ) or (_DOTLESS_HEAD.fullmatch(word) and (later or titles_only)):
            titles.append(word)
            after_head = True
        elif after_head and _TITLE_TAIL.fullmatch(word):
            titles[-1] += " " + word  # «Dr. med.»: one title
        else:
            return titles, " ".join(words[i:])
    return titles, ""


def title_words(text: str) -> str:
    """``"Mag."`` → "Mag.", ``"Prof. Dr."`` → "Prof. Dr.": text that is academic titles only, else "".

    For a gender cell's titles after its form of address («Herr Mag.», «Frau
    Prof.»: :func:`greeter.sources.name_cells.gender_titles`), recognised as
    the name columns' are.
    """
    titles, rest = _split_titles(text, titles_only=True)
    return "" if rest or not titles else " ".join(titles)


def _title_key(title: str) -> str:
    """What makes two title words the same title: «Dr.», «dr.», «Dr.-Ing.», «Dra.» are a doctorate,
    «Univ.-Prof.», «Profa.» a professorship, «DI» and «Dipl.-Ing.» one degree; so are «Dr», «Prof»,
    «Professor» without the dot."""
    word = title.casefold()
    if "prof." in word or word in ("prof", "professor", "profa."):
        return "prof"
    if word.startswith(("dr.", "ddr.")) or word in ("dr", "dra."):
        return "dr"
    if word == "di" or word.startswith("dipl.-ing"):
        return "di"
    return word.partition(".")[0]


def with_titles(titles: str, first: str, last: str) -> str:
    """``last`` with ``titles`` before it that neither name column already has: ("Prof.", "Eva", "Berger")
    → "Prof. Berger".

    The titles a gender cell carries («Frau Prof.») go where a CRM could have
    typed them, and :func:`academic_titles` reads them from there as it reads
    «Dr. Müller»; one the name already holds («Herr Dr.» for «Dr. med. Hans»)
    is not added twice.
    """
    have = {_title_key(t) for t in academic_titles(first, last).titles.split()}
    extra = [t for t in titles.split() if _title_key(t) not in have]
    return " ".join([*extra, last]).strip() if extra else last


@lru_cache(maxsize=8192)
def academic_titles(first: str, last: str) -> Titled:
    """``("Prof. Dr. Klaus", "Schäfer")`` → ("Prof. Dr.", "Klaus", "Schäfer"): titles out of the name columns.

    CRMs put a title where their form had room: in the first-name column
    («Prof. Dr. Klaus»), in the last-name one («Dr. Müller») or in both. A name
    is then written with its titles once, before the first name (DIN 5008
    Anschrift: «Herrn Prof. Dr. Klaus Schäfer», :func:`ordered_name`), and a
    German salutation puts them between Herr/Frau and the surname
    (:func:`salutation_titles`). Only words that are titles by their form are
    taken (see :data:`_TITLE_HEAD`): a name column is data, and anything else
    — «Doktor», «{{ x }}» — stays where it was typed. Pure; cached, as names repeat.
    """
    first_titles, first_rest = _split_titles(first)
    last_titles, last_rest = _split_titles(last)
    titles = list(dict.fromkeys(first_titles + last_titles))  # typed in both columns: kept once
    if not titles:
        return Titled("", first, last)
    return Titled(" ".join(titles), first_rest, last_rest)


#: Austrian degrees below the doctorate a salutation in Austria names (:func:`salutation_titles`),
#: as their first word starts, case-folded: Mag., Mag.a, MMag., DI, Dipl.-Ing., Dkfm.
_AUSTRIAN_DEGREES: Final = ("mag.", "mmag.", "di", "dipl.-", "dkfm.")


def salutation_titles(titles: str, *, austria: bool = False) -> str:
    """The titles a German salutation names, from :attr:`Titled.titles`: "Prof. Dr. med." → "Prof. Dr.".

    German business etiquette names the professorship and the doctorate in the
    salutation, the doctorate once and without its faculty: «Sehr geehrter Herr
    Dr. Heile» for a Dr. med., «Herr Dr. Klug» for a Dr. phil. Dr. med. (Knigge-Rat,
    «Akademische Titel: Wann Diplom, Doktor, Professor dazugehören»; sekada.de,
    DIN 5008 «Wie Sie Professoren und andere Akademiker richtig anschreiben»).
    Diplom degrees (Dipl.-Ing., Dipl.-Kfm.) and Priv.-Doz. belong in the address,
    never in the salutation (same sources). «Prof.» stays abbreviated as the CRM
    has it (DIN 5008 allows it; etiquette guides prefer «Professor» written out);
    a Univ.-Prof. or Hon.-Prof. is «Prof.». A title the CRM typed the British
    way, «Dr», «Prof» or «Professor», is named as German writes it, «Prof. Dr.»:
    the salutation is the letter's language, not the CRM's (the name in the
    address keeps the title as typed, :func:`ordered_name`).

    ``austria``: a letter to Austria (``de_AT``) names every academic degree, as
    Austrians write and say them: «In Deutschland werden nur der akademische
    Grad Doktor und die Amtsbezeichnung Professor auch in der Anrede verwendet
    … bei unseren österreichischen Nachbarn anders, hier werden alle
    akademischen Grade auch in der Anrede eingesetzt: "Herr Magister Schmidt"
    und "Frau Dipl.-Ing. Sommer" sind absolut üblich» (sekretaria.de,
    «Anrede von Doktor und Professor»; welcomeservice.tirol, «Akademische
    Titel»: «Herr/Frau Magister» is «sehr weit verbreitet», in writing too).
    Of several degrees the highest is named (same source), abbreviated as typed:
    the doctorate (DDr. stays DDr.), else the first of Mag./Mag.a/MMag./DI/
    Dipl.-Ing./Dkfm., else Ing. — «Sehr geehrter Herr DI Gruber», «Sehr
    geehrte Frau Mag.a Huber», «Herr Ing. Wolf»; Prof. before it, as in Germany.
    """
    words = titles.split()
    folded = [w.casefold() for w in words]
    named = ["Prof."] if any(_title_key(w) == "prof" for w in folded) else []
    doctor = any(_title_key(w) == "dr" for w in folded)
    if not austria:
        return " ".join(named + (["Dr."] if doctor else []))
    typed = dict(zip(folded, words, strict=True))
    doctorate = next((typed[w] for w in ("ddr.", "dr.in") if w in typed), "Dr.") if doctor else ""
    degree = next((typed[w] for w in folded if w.startswith(_AUSTRIAN_DEGREES)), "")
    highest = doctorate or degree or typed.get("ing.", "")
    return " ".join(named + ([highest] if highest else []))


def ordered_name(first: str, patronymic: str, last: str, locale: str | None) -> str:
    """The name's parts in the order ``locale``'s people write them, empty parts left out.

    Academic titles typed in either name column come first, once: «Dr. Hans
    Müller» from «Dr. Müller» + «Hans», as DIN 5008 writes a name in an address;
    a Hungarian name keeps its family name first after them: «Dr. Szabó Péter».
    """
    titles, first, last = academic_titles(first, last)
    parts = (
        (titles, last, first, patronymic) if family_name_first(locale) else (titles, first, patronymic, last)
    )
    return " ".join(p for p in parts if p)


def email_key(address: str) -> str:
    """How greeter compares addresses — the do-not-contact list, ``forget``, ``history``, the planner.

    Lower-cased, not case-folded: ``str.casefold`` also maps ``ß`` to ``ss``
    (and ``ﬁ`` to ``fi``, ``ς`` to ``σ``), so ``straße@example.de`` would be
    keyed as ``strasse@example.de`` — another, ASCII mailbox, whose
    ``unsuppress`` would then lift the first person's objection. Ignoring case
    is all that is meant; a domain reaches here in its IDNA ASCII form
    (:func:`valid_email`), where lower-casing is the whole of its
    normalisation. A journal's keys stored case-folded before differ only for
    such letters (an ASCII address is the same either way) and are left as
    they are: a ``strasse@`` key may be either mailbox's, and keeping it
    suppresses more, never less.

    A non-ASCII address is keyed in NFC (RFC 6532 §3.1), so the same typed
    address gives the same key whichever way the keyboard composed it
    (``é`` or ``e`` + U+0301; :func:`valid_email` gives NFC too), and a
    dotted capital ``İ`` is ``i`` + U+0307 — Unicode's own lower case, never
    the ASCII ``i`` of another mailbox. An address with a compatibility
    character (:func:`compatibility_chars`), which :func:`valid_email` refuses,
    keeps those characters as typed: ``str.lower`` maps the KELVIN SIGN to an
    ASCII ``k``, and ``unsuppress \u212aarl@example.com`` then lifted
    ``karl@example.com``'s opt-out.
    """
    text = address.strip()
    if text.isascii():
        return text.lower()
    odd = compatibility_chars(text)
    if odd:
        return "".join(ch if ch in odd else ch.lower() for ch in text)
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", text).lower())


def with_ascii_forms(listed: set[str]) -> set[str]:
    """The do-not-contact list's keys, with the ASCII form of each stored with a non-ASCII domain.

    Before :func:`valid_email` gave an internationalised domain in its
    punycode form, ``greeter suppress olga@пример.рф`` stored it so, and the
    contact is now loaded as ``olga@xn--e1afmkfd.xn--p1ai``: compared as
    stored, her opt-out would no longer stop her letters. Adding the ASCII
    form of each such key keeps it working without rewriting the journal.
    """
    old = [key for key in listed if not key.isascii()]
    if not old:
        return listed
    converted = (valid_email(key) for key in old)
    return listed | {email_key(address) for address in converted if address is not None}


class Gender(StrEnum):
    """Grammatical gender for addressing; ``UNKNOWN`` selects neutral wording."""

    MALE = "male"
    FEMALE = "female"
    UNKNOWN = "unknown"


@slots_init
@dataclass(frozen=True, slots=True)
class Contact:
    """One client to greet, identified by the CRM's id (stable across re-exports)."""

    id: str
    email: str | None
    first_name: str = ""
    patronymic: str = ""
    last_name: str = ""
    #: Explicit gender from the source; ``None`` means "derive from the name".
    gender: Gender | None = None
    company: str = ""
    timezone: str | None = None
    locale: str | None = None
    #: ISO code of the country whose public holidays are the contact's days off (None: the default).
    country: str | None = None
    tier: str | None = None
    tags: frozenset[str] = frozenset()
    #: Named dates (``birthday``, ``company_founded``, ``first_deal``, custom).
    dates: Mapping[str, date] = field(default_factory=lambda: _NO_DATES)
    #: Date fields present in the row but unusable, with the reason (31.02, future year).
    bad_dates: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    #: Remaining source columns, available to templates as ``contact.extra``.
    extra: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    #: Where the contact came from, for messages: file name and 1-based row number.
    source: str = ""
    row: int = 0
    #: The row had no country, and :attr:`country` is the one country of its time zone
    #: (:func:`greeter.country_zones.zone_country`): said once by ``greeter check``, as it decides
    #: the client's days off and which country's holiday they are greeted for.
    country_from_zone: bool = False
    #: The header of the CRM's opt-out column (``contacts.columns.do_not_contact``: «Не писать») when
    #: its cell marks this contact do-not-contact, or says neither yes nor no; None: it may be greeted.
    #: The planner skips every occasion of such a contact as ``suppressed``
    #: (:func:`greeter.precheck.precheck`), naming the column. Nothing is written to the journal's
    #: do-not-contact list: the CRM stays the source of truth, so clearing the flag there (or a new
    #: journal) greets the contact again as the CRM says.
    do_not_contact: str | None = None
    #: That column's cell when it said neither yes nor no (``'может быть'``, quoted as the row's
    #: warning quotes it): the contact is treated as opted out, and the reason says the cell is unread
    #: — not that the CRM marks the contact — so the data gets fixed. None: the cell said yes.
    do_not_contact_unread: str | None = None
    #: The other valid addresses the e-mail cell lists (``kuz@firm.ru, d.kuz@gmail.com``: the first is
    #: :attr:`email`, :func:`listed_addresses`). Never written to, but the same person's: the planner
    #: skips the contact as ``suppressed`` when any of them is on the do-not-contact list, and
    #: ``greeter forget`` of one finds the contact.
    other_emails: tuple[str, ...] = ()
    #: The language of a row that names none: ``defaults.locale``, as the loader read the row with it.
    #: Its letters are in that language, so its name is written whole in that language's order too
    #: (:attr:`written_locale`): a Hungarian default greeted «Tisztelt Török Ernő!» in a letter to
    #: «Ernő Török». :attr:`locale` stays None, as the row says: the default is not the row's own.
    default_locale: str | None = None

    @property
    def written_locale(self) -> str | None:
        """The language whose order the name is written in: the row's, else the one it falls back to."""
        return self.locale or self.default_locale

    @property
    def addresses(self) -> tuple[str, ...]:
        """Every address of the contact: :attr:`email` (when it has one), then :attr:`other_emails`."""
        return (self.email, *self.other_emails) if self.email else self.other_emails

    @property
    def display_name(self) -> str:
        """The full name in the order the contact's language writes it: "Иван Петрович Сидоров",
        "Kovács Béla" (:func:`family_name_first`), for the To: header and every list of contacts.

        Academic titles lead, once («Dr. Hans Müller»: :func:`ordered_name`); a Serbian contact's
        name is in the script of their letters («Марко Петровић» for a Cyrillic ``sr`` letter:
        :func:`greeter.i18n_script.names_in_script`), so the To: header matches the salutation."""
        return written_name(self.first_name, self.patronymic, self.last_name, self.written_locale)


#: ``Contact(...)`` for the loader's row loop: the same record, made cheaper
#: (:func:`~greeter.slots_init.maker`).
new_contact = maker(Contact)


@lru_cache(maxsize=8192)
def written_name(first: str, patronymic: str, last: str, locale: str | None) -> str:
    """:attr:`Contact.display_name` from its parts; cached, as a plan asks it for every occasion."""
    name = ordered_name(first, patronymic, last, locale)
    if locale is None or locale.replace("-", "_").partition("_")[0].lower() != "sr":
        return name
    from greeter.i18n_script import names_in_script  # Serbian only: it imports Babel's locale data

    titled = academic_titles(first, last)
    if not titled.titles:
        return names_in_script((name,), locale)[0]
    # Serbian writes titles in lower case, «др» without a point: «проф. др Марко Петровић», not the
    # German «Проф. Др.» a transliteration of «Prof. Dr.» gives.
    titles = " ".join("dr" if t.casefold() == "dr." else t.casefold() for t in titled.titles.split())
    rest = ordered_name(titled.first, patronymic, titled.last, locale)
    return " ".join(names_in_script((titles, rest), locale)).strip()
