"""The configuration model: everything a marketer can set, validated by pydantic.

Every model forbids unknown keys so a typo (``freqency_cap``) is an error with
a suggestion instead of a silently ignored setting. Loading YAML and turning
validation errors into ``file:line:col`` messages lives in
:mod:`greeter.config_loader`; this module is pure data and rules. The
``contacts`` section is :mod:`greeter.config_contacts`, ``send_window``
:mod:`greeter.config_window`, ``delivery`` :mod:`greeter.config_delivery`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal, TypeVar

from pydantic import (
    BeforeValidator,
    Field,
    PositiveInt,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from greeter.config_base import COUNTRY as COUNTRY
from greeter.config_base import DOMAIN as DOMAIN
from greeter.config_base import EMAIL as EMAIL
from greeter.config_base import HTTPS_URL as HTTPS_URL
from greeter.config_base import INSTANCE_NAME as INSTANCE_NAME
from greeter.config_base import LOCALE as LOCALE
from greeter.config_base import MACHINE_NAME as MACHINE_NAME
from greeter.config_base import PATTERN_WORDS as PATTERN_WORDS
from greeter.config_base import SELECTOR as SELECTOR
from greeter.config_base import STORAGE_URL as STORAGE_URL
from greeter.config_base import TEMPLATE_NAME as TEMPLATE_NAME
from greeter.config_base import HeaderText, _Model, config_address, no_entries
from greeter.config_contacts import ContactsSource
from greeter.config_delivery import MAX_HEADER_VALUE as MAX_HEADER_VALUE
from greeter.config_delivery import OWN_HEADER_PREFIXES as OWN_HEADER_PREFIXES
from greeter.config_delivery import OWN_HEADERS as OWN_HEADERS
from greeter.config_delivery import Delivery as Delivery
from greeter.config_delivery import DkimSettings as DkimSettings
from greeter.config_delivery import RateLimit as RateLimit
from greeter.config_delivery import Retry as Retry
from greeter.config_delivery import SmtpSettings as SmtpSettings
from greeter.config_delivery import Unsubscribe as Unsubscribe
from greeter.config_delivery import env_var_name as env_var_name
from greeter.config_delivery import extra_header_problem as extra_header_problem
from greeter.config_delivery import helo_hostname as helo_hostname
from greeter.config_types import (
    Day,
    MonthDay,
    TimeZoneName,
)
from greeter.config_window import SendWindow, early_merge_words
from greeter.errors import SettingError

#: How English letters address the client (``sender.by_locale.<en…>.addressing``): by the first name,
#: or in the formal surname register of British and American business mail
#: (:func:`greeter.letter_forms.english_name`). Other languages' letters have one register each.
EnglishRegister = Literal["first_name", "formal"]


class SenderInLanguage(_Model):
    """The sender as letters in one language write it; what is left out is ``sender``'s own."""

    name: HeaderText | None = Field(
        default=None, description="From: display name, and the name under these letters"
    )
    company: str | None = Field(default=None, min_length=1, description="sender.company in these letters")
    signature: str | None = Field(
        default=None,
        min_length=1,
        description="The signature under these letters (sender.signature is for letters in "
        "defaults.locale's language); unset: the language's closing and the name",
    )
    addressing: EnglishRegister | None = Field(
        default=None,
        description="English letters only: how they address the client. first_name (the default): "
        "'Dear Jane,', 'Happy birthday, Jane!'; formal: 'Dear Ms Smith,' ('Dear Ms. Smith,' in "
        "en_US and en_CA letters), 'Dear Dr Carter,', 'Dear Jane Smith,' without a gender, and "
        "subjects that name the client so ('Happy birthday, Ms Smith!')",
    )


class Sender(_Model):
    """Who the greetings come from."""

    name: HeaderText = Field(description="Display name in the From: header")
    email: str = Field(pattern=EMAIL, description="From: address")
    reply_to: str | None = Field(default=None, description="Optional Reply-To: address")
    signature: str = Field(
        default="",
        description="The signature under letters in defaults.locale's language (sender.signature in "
        "templates); letters in another language take by_locale's, else their closing and the name",
    )
    company: str = Field(default="", description="Available to templates as sender.company")
    by_locale: dict[Annotated[str, Field(pattern=LOCALE)], SenderInLanguage] = Field(
        default_factory=no_entries,
        description="The sender's name, company and signature in letters of another language, by "
        "locale ({en: {name: Romashka LLC}}): the From: name and the signature of an English letter "
        "are not «ООО «Ромашка»». A letter whose language is not listed uses name and company.",
    )

    @property
    def domain(self) -> str:
        """The sender's domain (``email``'s, punycode as loaded): what Message-IDs and the
        calendar's UIDs are made unique with, and DKIM's From domain."""
        return self.email.rsplit("@", 1)[-1]

    @field_validator("by_locale")
    @classmethod
    def _known_locales(cls, v: dict[str, SenderInLanguage]) -> dict[str, SenderInLanguage]:
        """Keys as the renderer names locales; ``addressing`` only under an English one.

        Every other language's letters are written in its one formal register
        (:mod:`greeter.letter_forms`): an ``addressing`` under ``de`` would change
        nothing, and a setting that silently does nothing is a mistake.
        """
        out = _by_locale(v)
        for key, entry in out.items():
            if entry.addressing is not None and key.partition("_")[0] != "en":
                raise SettingError(
                    f"addressing is for English letters (by_locale.en, en_GB, en_US…); {key!r} letters "
                    "already address the client in their language's formal register",
                    key,
                    "addressing",
                )
        return out

    @field_validator("email", "reply_to")
    @classmethod
    def _addresses(cls, v: str | None) -> str | None:
        """One plain address each, IDN domains as punycode (:func:`config_address`)."""
        return None if v is None else config_address(v)

    @property
    def reply_address(self) -> str:
        """Where replies go: ``reply_to``, else the From: address."""
        return self.reply_to or self.email

    def in_locale(self, locale: str | None) -> tuple[str, str]:
        """(name, company) for a letter in ``locale``: its ``by_locale`` entry, the most specific first.

        ``en_GB`` takes ``by_locale.en_GB``, else ``by_locale.en`` (the chain
        template files fall back along), else the sender's own, part by part: an
        entry with only a ``name`` keeps the sender's ``company``. Where none of
        those is listed, an entry of the same language and script stands in: a
        ``hu_HU`` key signs a ``hu`` letter too (but ``sr_Latn`` never signs a
        Cyrillic ``sr`` one) — a marketer writes the key as the CRM does.
        """
        name, company = self.name, self.company
        for entry in self.entries(locale):
            name, company = entry.name or name, entry.company or company
        return name, company

    def signature_in(self, locale: str | None, default: str) -> str:
        """The signature under a letter in ``locale``; ``""``: it signs with its closing and the name.

        Its ``by_locale`` entry's (chosen as :meth:`in_locale` chooses the
        name), else ``signature`` in a letter of ``default``'s language
        (``defaults.locale``: the language the sender's own settings are
        written in), else none — a Russian signature under an English letter
        mixes languages, so the layout then writes the letter's own closing
        and the name. The layout used to test ``lang == "ru"`` itself: an
        English signature had nowhere to go.
        """
        for entry in reversed(self.entries(locale)):
            if entry.signature:
                return entry.signature
        from greeter.i18n import language_of  # Babel: the renderer has it loaded already

        return self.signature if language_of(locale, default) == language_of(default, default) else ""

    def addressing_in(self, locale: str | None) -> EnglishRegister:
        """How a letter in ``locale`` addresses the client: its ``by_locale`` entries' ``addressing``
        (the most specific set one wins, as for :meth:`in_locale`), else ``first_name``."""
        for entry in reversed(self.entries(locale)):
            if entry.addressing is not None:
                return entry.addressing
        return "first_name"

    def entries(self, locale: str | None) -> tuple[SenderInLanguage, ...]:
        """The ``by_locale`` entries a letter in ``locale`` takes, in the order they apply (the last wins)."""
        if not self.by_locale:
            return ()
        from greeter.i18n import keys_for  # Babel: paid only by a config that uses by_locale

        return tuple(self.by_locale[key] for key in keys_for(locale or "", tuple(self.by_locale)))


_V = TypeVar("_V")
#: What people call an occasion: one line, as a subject or a calendar entry shows it.
_Title = Annotated[str, Field(min_length=1, max_length=80, pattern=r"^[^\x00-\x1f\x7f]+$")]


def _by_locale(v: dict[str, _V]) -> dict[str, _V]:
    """A ``by_locale`` mapping's keys as the renderer names a letter's locale (``en-GB`` → ``en_GB``),
    each once (``sender.by_locale``, an occasion's ``title_by_locale``).

    A country code where the language goes (``kz``, ``rs``) is told the country's language; one
    that is also a language (``ee``: Ewe) is accepted, and ``check`` asks about it against the contacts.
    """
    from greeter.i18n import normalize_locale  # Babel: paid only by a config that uses this
    from greeter.locale_keys import country_code_message

    out: dict[str, _V] = {}
    for key, value in v.items():
        locale = normalize_locale(key, "")
        if not locale:
            said = country_code_message(key) or f"{key!r} is not a locale Babel knows"
            raise SettingError(f"{said} (e.g. 'en', 'en_GB', 'sr_Latn')", key)
        if locale in out:
            raise SettingError(f"{key!r} is the locale {locale!r} again", key)
        out[locale] = value
    return out


class Defaults(_Model):
    """What applies to a contact whose row does not say otherwise."""

    timezone: TimeZoneName = "Europe/Moscow"
    locale: str = Field(default="ru", pattern=LOCALE)
    country: str = Field(default="RU", pattern=COUNTRY, description="Public-holiday calendar")
    #: A locale without templates of its own → the language its letters are written in instead
    #: (``{cs: en, lt: en}``); unlisted, it gets ``locale``'s letter (the unsuffixed file).
    fallback_locales: dict[str, str] = Field(
        default_factory=no_entries,
        description="Language of the letters of a locale without its own templates",
    )

    @field_validator("fallback_locales")
    @classmethod
    def _known_fallbacks(cls, v: dict[str, str]) -> dict[str, str]:
        """Both sides of each pair must be locales Babel knows, and differ in language.

        A typo (``lit: en``) would otherwise fall back to nothing, silently: the
        Lithuanian clients got the Russian letter as before.
        """
        from greeter.i18n import normalize_locale

        for locale, target in v.items():
            for said in (locale, target):
                if not isinstance(said, str) or not normalize_locale(said, ""):
                    raise ValueError(f"{said!r} is not a language code Babel knows — e.g. {{cs: en, lt: en}}")
            if normalize_locale(locale, "").split("_")[0] == normalize_locale(target, "").split("_")[0]:
                raise ValueError(f"{locale}: {target} falls back to its own language: remove it")
        return v

    @field_validator("locale")
    @classmethod
    def _known_locale(cls, v: str) -> str:
        """A code Babel does not know (``rs``, ``xx``) is refused, not left to fail later.

        The renderer trusts the default: with an unknown one, letters lost the
        signature and contacts' fallbacks silently went nowhere.
        """
        return _known_locale_code(v)


def _known_locale_code(v: str) -> str:
    """``v`` if Babel knows it as a language code, else the error, with what it probably meant."""
    from greeter.i18n import locale_hint, normalize_locale  # Babel: paid only when validating

    if not normalize_locale(v, ""):
        hint = locale_hint(v)
        raise ValueError(
            f"{v!r} is not a language code Babel knows"
            + (f" ({hint})" if hint else "")
            + " — e.g. 'ru', 'en', 'sr_Latn'"
        )
    return v


def _id_text(value: object) -> object:
    """A contact id written as a number (``contacts: [1001, 1002]``) is the id's text.

    CRM ids are numbers, and a marketer writes them without quotes; the
    contacts file's ids are text. ruamel keeps how many digits were typed, so
    a 1C code ``000123`` stays ``"000123"``, not ``"123"``.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        width = getattr(value, "_width", None)
        return str(value).zfill(width) if isinstance(width, int) and value >= 0 else str(value)
    return value


#: A contact's id in the config: text, or a number written as it is in the CRM.
ContactId = Annotated[
    str,
    BeforeValidator(_id_text),
    WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "integer"}]}),
]


class Audience(_Model):
    """Who an occasion is for; every condition given must hold."""

    tiers: list[str] | None = Field(default=None, description="Only these tiers (e.g. [VIP])")
    tags: list[str] | None = Field(default=None, description="Only contacts with any of these tags")
    contacts: list[ContactId] | None = Field(default=None, description="Only these contact ids")
    round_years: PositiveInt | None = Field(
        default=None, description="Only anniversaries divisible by this (5 → 5, 10, 15…)"
    )
    min_years: int | None = Field(
        default=None,
        ge=0,
        description="Only anniversaries from this one on (a targeting filter: a younger one is "
        "outside_audience, not an error); for dates too recent to be true use the occasion's min_years",
    )
    countries: list[Annotated[str, Field(pattern=COUNTRY)]] | None = Field(
        default=None,
        description="Only clients in these countries (their country column, else defaults.country); "
        "'GB' takes GB-ENG too",
    )
    genders: list[Literal["male", "female"]] | None = Field(
        default=None,
        description="Only clients of these genders (the gender column, else the patronymic); a client "
        "whose gender neither tells is left out, and check counts them",
    )
    locales: list[Annotated[str, Field(pattern=LOCALE)]] | None = Field(
        default=None,
        description="Only clients whose letters are in these locales (their locale column, else "
        "defaults.locale), matched as sender.by_locale's keys: 'sr' takes sr_Latn and sr_RS too, "
        "'sr_Latn' only Serbian in Latin; [sr, sr_Latn] leaves out a Serbian client writing Hungarian",
    )

    @field_validator("genders", mode="before")
    @classmethod
    def _gender_words(cls, value: object) -> object:
        """``genders: [м]`` is told to write ``male``: a word the gender column takes, as the config names it.

        The contacts' gender column reads м/ж, M/F, мужской… (a CRM's export);
        the config names the two genders one way, as it names weekdays, so that
        one file reads the same everywhere — a word the column would read is
        told the name to write, never silently taken (nor called a mere typo).
        """
        if not isinstance(value, list):
            return value  # one text (``genders: male``) is refused as every list setting's is
        if not value:  # not "no rule": every contact would be left out
            raise ValueError("an empty list greets no one: write [male], [female], or leave genders out")
        for i, word in enumerate(value):
            if isinstance(word, str) and word not in ("male", "female"):
                from greeter.sources.name_cells import GENDERS  # the gender column's words

                meant = GENDERS.get(word.strip().casefold().rstrip("."))
                if meant is not None:
                    raise SettingError(
                        f"{word!r} means {meant.value}: write {meant.value} (male or female)", i
                    )
        return value

    @field_validator("locales")
    @classmethod
    def _locale_keys(cls, value: list[str] | None) -> list[str] | None:
        """``locales`` as the renderer names a letter's locale (``sr-Latn`` → ``sr_Latn``), as
        ``sender.by_locale``'s keys are: matched the same way (:func:`greeter.i18n.keys_for`)."""
        if value is None:
            return None
        if not value:  # not "no rule": every contact would be left out
            raise ValueError("an empty list greets no one: list the locales, or leave locales out")
        try:
            return list(_by_locale(dict.fromkeys(value)))
        except SettingError as e:  # located at its key: here, at its place in the list
            raise SettingError(str(e), next(i for i, k in enumerate(value) if k == e.where[0])) from None


class Occasion(_Model):
    """A reason to greet. Exactly one of ``field``, ``date``, ``holiday``, ``on``, ``ics`` says when."""

    name: str = Field(pattern=MACHINE_NAME, description="Stable machine name")
    title: _Title | None = Field(
        default=None,
        description="What people call it, shown in the preview gallery and the calendar "
        "(e.g. 'День рождения'), and in a letter it is merged into; the name if unset",
    )
    title_by_locale: dict[Annotated[str, Field(pattern=LOCALE)], _Title] = Field(
        default_factory=no_entries,
        description="The title in letters of another language, by locale ({et: Eesti Vabariigi "
        "aastapäev}): a merged occasion is named in the letter's own words. A letter whose "
        "language is not listed uses title",
    )
    template: str = Field(
        pattern=TEMPLATE_NAME,
        description="Template name in templates/ (no suffix): letters, digits, '_' and '-'",
    )
    priority: int = Field(default=50, description="Higher wins when occasions merge")
    field: str | None = Field(default=None, description="Yearly on this contact date field")
    date: MonthDay | None = Field(default=None, description="Yearly on this MM-DD date")
    holiday: str | None = Field(default=None, description="Public holiday name (holidays lib)")
    country: str | None = Field(
        default=None,
        pattern=COUNTRY,
        description="Only clients in this country (unless audience.countries says otherwise); a "
        "holiday is this country's. Without it a holiday is each client's own country's",
    )
    on: list[Day] | None = Field(default=None, description="One-off dates")
    ics: Path | None = Field(
        default=None,
        description="The first day of every all-day event in this calendar file (.ics, relative to "
        "the config): the company's own days, kept in a shared calendar",
    )
    days_before: int = Field(default=0, ge=0, le=60, description="Greet this many days early")
    max_years: int = Field(
        default=120,
        ge=1,
        description="A data check, not a filter: an older date is a data error (age > 120), not a "
        "greeting — skipped as invalid_contact and warned at its row by greeter check",
    )
    #: Not ``audience.min_years`` (whom to greet: a younger anniversary is ``outside_audience``):
    #: this one says which dates cannot be true, as ``max_years`` does.
    min_years: int = Field(
        default=0,
        ge=0,
        description="A data check, not a filter: a more recent date is a data error (a birthday typed "
        "without its year gets the year it was typed in: '21.12' becomes 21.12.2025, 1 year old), "
        "skipped as invalid_contact and warned at its row by greeter check; 0: no lower bound. "
        "To greet only from some anniversary on, use audience.min_years",
    )
    audience: Audience = Field(default_factory=Audience)
    #: This occasion's own ``send_window.max_days_early`` (see :meth:`days_early_limit`): a
    #: birthday greeted in advance is held to bring bad luck, a Christmas letter is not.
    max_days_early: int | None = Field(
        default=None,
        ge=0,
        description=(
            "This occasion's own send_window.max_days_early (with day_off_policy before): past "
            "this many days early, greet on the first working day after; null: no limit for it; "
            "unset: send_window's"
        ),
    )

    #: Merging (``frequency_cap.min_gap_days``) folds occasions into one letter on the lead's day;
    #: these say which may be folded, and how far from their own day (see :meth:`merge_bounds`).
    merge: bool = Field(
        default=True,
        description=(
            "false: never merged — always its own letter on its own day, never carried in another "
            "occasion's letter nor carrying one (a Christmas letter stays a Christmas letter, not "
            "«upcoming Christmas» in a birthday letter two weeks early). Two letters that cannot "
            "merge cannot both go within frequency_cap.min_gap_days either: the lower priority one "
            "is skipped as frequency_cap, naming the other (the same priority: the later one)"
        ),
    )
    merge_max_days_late: int | None = Field(
        default=None,
        ge=0,
        description=(
            "At most this many days after its own day (the day it was planned to leave) may another "
            "occasion's letter carry it, counted to the day that letter was planned for; further, "
            "it is not carried but decided on its own, usually skipped as frequency_cap saying why "
            "(who leads is unchanged: the highest priority). Unset: for a date/holiday/on/ics "
            "occasion frequency_cap.holiday_merge_max_days_late, else (and null) no limit — the "
            "occasions within min_gap_days merge, as DESIGN's cap says; 3 keeps New Year wishes "
            "out of an 11 January letter, at the price of no New Year greeting for that client "
            "(unless New Year's priority is the higher: it then leads on its own day)"
        ),
    )
    merge_max_days_early: int | None = Field(
        default=None,
        ge=0,
        description=(
            "At most this many days before its own day may another occasion's letter carry it; "
            "further, as for merge_max_days_late. Unset: its max_days_early (send_window's, unless "
            "it sets its own): carried in another letter ahead is greeted in advance just the same; "
            "null: no limit"
        ),
    )

    def merge_bounds(
        self, window_early: int | None, holiday_late: int | None = None
    ) -> tuple[int | None, int | None]:
        """How many days (late, early) at most another occasion's letter may carry it; None: no limit.

        Late, no limit unless the config sets one: occasions within the cap's gap merge (the
        design's rule), and a bound trades a belated wish for none at all — New Year kept out
        of an 11 January first-deal letter is no New Year greeting for that client, the gap
        leaving no room for a letter of its own (a built-in default of ``catch_up_days`` did
        that to every such client, and users read it as a lost greeting). So the bound for a
        calendar-dated occasion is the config's choice, once for all of them:
        ``holiday_late`` is ``frequency_cap.holiday_merge_max_days_late`` (the starters set 7:
        a Russian client's «Merry belated Christmas and a happy New Year» of 11 January, 13
        days after the New Year letter's day, was what their users found), taken by every
        ``date``/``holiday``/``on``/``ics`` occasion that sets no ``merge_max_days_late`` of its
        own — a date column's (``field``), a belated anniversary in a letter near it, is what
        merging is for. Early, a merge is a greeting in advance, which ``max_days_early``
        already bounds (a birthday, in Russia): ``window_early`` is ``send_window.max_days_early``.
        """
        late = self.merge_max_days_late
        if "merge_max_days_late" not in self.model_fields_set and self.field is None and self.merge:
            late = holiday_late
        early = self.merge_max_days_early
        if "merge_max_days_early" not in self.model_fields_set:
            early = self.days_early_limit(window_early)
        return late, early

    @model_validator(mode="after")
    def _merge_bounds_need_merging(self) -> Occasion:
        """``merge: false`` with a merge bound: the bound would do nothing (it is never carried)."""
        if not self.merge:
            for key in ("merge_max_days_late", "merge_max_days_early"):
                if key in self.model_fields_set:
                    raise SettingError(
                        f"{key} bounds how far another letter may carry {self.name}, and merge: false "
                        "means none ever does: it would do nothing",
                        key,
                    )
        return self

    def days_early_limit(self, window_limit: int | None) -> int | None:
        """The most days a day off may move this occasion's letter ahead: its own
        ``max_days_early`` when the config writes one (``null`` too: no limit), else ``window_limit``."""
        return self.max_days_early if "max_days_early" in self.model_fields_set else window_limit

    @field_validator("title_by_locale")
    @classmethod
    def _title_locales(cls, v: dict[str, str]) -> dict[str, str]:
        return _by_locale(v)

    def title_in(self, locale: str | None) -> str | None:
        """The title a letter in ``locale`` names it by: ``title_by_locale`` as ``sender.by_locale``
        is chosen (``en_GB`` takes ``en``), else ``title``."""
        if not self.title_by_locale:
            return self.title
        from greeter.i18n import keys_for  # Babel: paid only by a config that uses title_by_locale

        keys = keys_for(locale or "", tuple(self.title_by_locale))
        return self.title_by_locale[keys[-1]] if keys else self.title

    @model_validator(mode="after")
    def _min_below_max(self) -> Occasion:
        """``min_years`` at or over ``max_years`` makes every dated contact a data error."""
        if self.min_years >= self.max_years:
            raise SettingError(
                f"min_years {self.min_years} is not below max_years {self.max_years}: every date "
                "would be a data error (to greet only older anniversaries, use audience.min_years)",
                "min_years",
            )
        return self

    @model_validator(mode="after")
    def _years_of_a_date_column(self) -> Occasion:
        """Years are counted only for a date column's anniversary (``field``): on any other
        occasion the rules that count them would exclude every letter, or do nothing.

        ``audience: {min_years: 5}`` on New Year passed ``check`` and made every letter
        ``outside_audience`` ("min_years needs years to count"); ``max_years`` there did nothing.
        """
        if self.field is not None:
            return self
        for key in ("min_years", "round_years"):
            if getattr(self.audience, key) is not None:
                raise SettingError(
                    f"audience.{key} counts the years of a date column's anniversary (field:), and "
                    f"{self.name} has none: every letter would be outside_audience",
                    "audience",
                    key,
                )
        for key in ("min_years", "max_years"):
            if key in self.model_fields_set:
                raise SettingError(
                    f"{key} checks the dates of a date column (field:), and {self.name} has none: "
                    "it would do nothing",
                    key,
                )
        return self

    @model_validator(mode="after")
    def _exactly_one_when(self) -> Occasion:
        given = [k for k in ("field", "date", "holiday", "on", "ics") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(
                "an occasion needs exactly one of 'field', 'date', 'holiday', 'on' or 'ics'"
                + (f" (got {', '.join(given)})" if given else "")
            )
        return self

    @property
    def countries(self) -> list[str] | None:
        """The countries whose clients it is for: ``audience.countries``, else its ``country``, else all.

        A national holiday (``holiday: Statehood Day, country: RS``) is for the
        clients who have it, not for everyone on Serbia's date.
        """
        if self.audience.countries is not None:
            return self.audience.countries
        return None if self.country is None else [self.country]


class FrequencyCap(_Model):
    """The rule of six: how often one client may be greeted at most."""

    max_count: PositiveInt = Field(default=6, description="Greetings per window, at most")
    window_days: PositiveInt = Field(default=365, description="Length of the rolling window")
    min_gap_days: int = Field(default=14, ge=0, description="Days between two greetings, at least")
    holiday_merge_max_days_late: int | None = Field(
        default=None,
        ge=0,
        description=(
            "The merge_max_days_late of every occasion dated by the calendar (date, holiday, on, "
            "ics) that sets none of its own: a holiday's wishes are about its day, the same for "
            "every client, and «happy New Year» 13 days on in an 11 January letter reads as an "
            "error, where a belated birthday does not. Further than this, the holiday is decided "
            "on its own, usually skipped as frequency_cap saying why (that client gets no wishes "
            "for it). Unset or null: no limit. The starter configs set 7: a week"
        ),
    )


class Storage(_Model):
    url: str = Field(default="sqlite:///data/journal.sqlite3", pattern=STORAGE_URL)
    retention_days: int | None = Field(
        default=None,
        ge=1,
        le=36_500,
        description="Delete finished greetings this many days old (daily in run; greeter purge); none: keep",
    )

    @field_validator("url", mode="before")
    @classmethod
    def _postgres_scheme(cls, value: object) -> object:
        """``postgres://`` is libpq's other name for ``postgresql://``: one spelling for the journal's code.

        contacts.url took both (libpq reads it) while storage.url refused the
        shorter one, so a URL copied from the contacts setting did not work here.
        """
        if isinstance(value, str) and value.startswith("postgres://"):
            return "postgresql://" + value.removeprefix("postgres://")
        return value

    @field_validator("url")
    @classmethod
    def _one_reading(cls, value: str) -> str:
        """An ``@`` as it is in the password: read one way by greeter, another by libpq (db_url)."""
        from greeter.db_url import userinfo_problem

        problem = userinfo_problem(value)
        if problem is not None:
            raise ValueError(problem)
        return value


class Schedule(_Model):
    cron: str = Field(default="*/10 * * * *", description="When the daemon plans and sends")
    misfire_grace_seconds: int = Field(default=300, ge=1)
    shutdown_timeout_seconds: float = Field(
        default=30, ge=0, le=600, description="On SIGTERM, how long in-flight letters may take to finish"
    )
    watch_config: bool = Field(
        default=True,
        description="Reload by itself when the config file or a template changes on disk (looked at "
        "every 2 s); false: only SIGHUP reloads (a network filesystem, files swapped as a whole on purpose)",
    )

    @field_validator("cron")
    @classmethod
    def _five_fields(cls, v: str) -> str:
        if len(v.split()) != 5:
            raise ValueError("cron needs 5 fields: minute hour day month weekday")
        from greeter.cron import cron_trigger

        try:
            cron_trigger(v, "UTC")
        except ValueError as exc:
            raise ValueError(f"not a valid cron expression: {exc}") from None
        return v


class Http(_Model):
    """The daemon's optional HTTP listener: /healthz, /metrics, one-click unsubscribe."""

    enabled: bool = False
    host: str = Field(
        default="127.0.0.1",
        description="Listen address (keep 127.0.0.1 behind a proxy); '*': every address, IPv4 and IPv6 "
        "(a container's probes); '::' is IPv6 only",
    )
    port: int = Field(default=8025, ge=0, le=65535)


class Settings(_Model):
    """The whole ``greeter.yaml``."""

    sender: Sender
    defaults: Defaults = Field(default_factory=Defaults)
    contacts: ContactsSource
    templates_dir: Path = Path("templates")
    occasions: list[Occasion] = Field(min_length=1)
    frequency_cap: FrequencyCap = Field(default_factory=FrequencyCap)
    send_window: SendWindow = Field(default_factory=SendWindow)
    catch_up_days: int = Field(default=3, ge=0, le=60)
    leap_day: Literal["feb28", "mar1"] = Field(
        default="feb28", description="29 February in a common year is greeted on…"
    )
    delivery: Delivery = Field(default_factory=Delivery)
    unsubscribe: Unsubscribe = Field(default_factory=Unsubscribe)
    storage: Storage = Field(default_factory=Storage)
    schedule: Schedule = Field(default_factory=Schedule)
    http: Http = Field(default_factory=Http)
    review: Literal["none", "required"] = "none"
    team_language: str | None = Field(
        default=None,
        pattern=LOCALE,
        description="The language of the preview gallery and the calendar (the team reviewing the "
        "letters), when it is not defaults.locale's (the clients'): ru, en, de, et, hu, sr, sr_Latn, "
        "hr, bs, uk; unset: defaults.locale's",
    )
    instance: str | None = Field(
        default=None,
        pattern=INSTANCE_NAME,
        description="The name this project's daemon goes by in its log lines, /healthz and /metrics "
        "(several projects on one host); unset: the name of the folder the config file is in",
    )

    @field_validator("team_language")
    @classmethod
    def _team_language_has_words(cls, v: str | None) -> str | None:
        """A code Babel does not know is refused as ``defaults.locale``'s is; so is a language the pages
        have no words in (``ka``): they would be English, silently — what this setting is for.

        Why a setting of its own: a Russian-speaking team in Tbilisi writes to Georgian clients
        (``defaults.locale: ka``) and read an English gallery; ``defaults.locale: ru`` would
        have sent Russian letters.
        """
        if v is None:
            return v
        _known_locale_code(v)
        from greeter.gallery_lang import FALLBACK, spoken_languages, ui_for  # only with the setting written

        if ui_for(v).tag == FALLBACK and not v.lower().startswith(FALLBACK):
            raise ValueError(
                f"the gallery and the calendar have no words in {v!r}: they speak "
                + ", ".join(spoken_languages())
            )
        return v

    def review_locale(self) -> str:
        """The language the gallery and the calendar speak: ``team_language``, else ``defaults.locale``'s."""
        return self.team_language or self.defaults.locale

    @field_validator("occasions")
    @classmethod
    def _unique_names(cls, v: list[Occasion]) -> list[Occasion]:
        seen: set[str] = set()
        for i, occ in enumerate(v):
            if occ.name in seen:  # at the second one's name: the first is where the marketer meant it
                raise SettingError(f"occasion name {occ.name!r} is used twice", i, "name")
            seen.add(occ.name)
        return v

    @model_validator(mode="after")
    def _days_early_needs_before(self) -> Settings:
        """An occasion's ``max_days_early`` is refused, not ignored, where no letter is moved ahead."""
        policy = self.send_window.day_off_policy
        for i, occ in enumerate(self.occasions):
            if occ.max_days_early is not None and policy != "before":
                raise SettingError(
                    f"max_days_early applies only with send_window.day_off_policy: before (it is {policy})"
                    + early_merge_words(policy),
                    "occasions",
                    i,
                    "max_days_early",
                )
        return self

    @model_validator(mode="after")
    def _retention_outlasts_the_cap(self) -> Settings:
        """A retention shorter than the cap's reach would forget letters the cap and "never twice" need."""
        days = self.storage.retention_days
        if days is None:
            return self
        from greeter.planner import LONGEST_DAYS_OFF
        from greeter.retention import retention_problem

        cap = self.frequency_cap
        problem = retention_problem(days, cap.window_days, cap.min_gap_days, LONGEST_DAYS_OFF)
        if problem is not None:
            raise SettingError(problem, "storage", "retention_days")
        return self

    def occasion_titles(self) -> dict[str, str]:
        """Each occasion's name → what people call it (its ``title``, else the name itself)."""
        return {occ.name: occ.title or occ.name for occ in self.occasions}


def config_countries(settings: Settings) -> tuple[str, ...]:
    """The countries the config names (occasions' and ``send_window.regional_days_off``'s), sorted.

    Why: a contact's country cell that names a region ("Bayern") with no time
    zone to say its country is read among these countries' regions besides
    ``defaults.country``'s — a Russian company that greets clients on German
    holidays has German clients — and not among every country's (":mod:`greeter.countries`").
    """
    named = {c for occasion in settings.occasions for c in occasion.countries or ()}
    named.update(settings.send_window.regional_days_off)
    return tuple(sorted({code.partition("-")[0] for code in named}))
