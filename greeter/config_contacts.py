"""The config's ``contacts`` section: where the contacts come from and which column holds what.

Together because they describe one thing, the CRM's export as greeter reads it
(file or SQL query, its encoding and header row, its column names), and
:mod:`greeter.sources` is their one reader. Split out of :mod:`greeter.config`
so that each module stays small enough to read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, PositiveInt, WithJsonSchema, field_validator, model_validator

from greeter.config_base import _Model, no_entries
from greeter.config_delivery import env_var_name
from greeter.config_types import DateFormat
from greeter.errors import SettingError


def _present_dates(value: object) -> object:
    """``contacts.dates`` without its null entries: ``first_deal: null`` says the export has no such
    column, as ``gender: null`` does in ``columns`` (it was refused as "Input should be a valid
    string"). Nothing reads it then; an occasion using it is refused at its own line, saying so."""
    if isinstance(value, dict):
        return {name: column for name, column in value.items() if column is not None}
    return value


class Columns(_Model):
    """Which source column holds which contact field (header names as exported)."""

    id: str = "id"
    email: str | Annotated[list[str], Field(min_length=1)] = Field(
        default="email",
        description="The e-mail column, or a list of them ([Рабочий e-mail, Частный e-mail]): the first "
        "non-empty cell, in the listed order, is the contact's address; a cell holding several addresses "
        "greets the first (with a warning)",
    )
    first_name: str | None = "first_name"
    patronymic: str | None = "patronymic"
    last_name: str | None = "last_name"
    full_name: str | None = Field(
        default=None, description="One column in 'Фамилия Имя Отчество' order, used when set"
    )
    gender: str | None = None
    company: str | None = None
    timezone: str | None = None
    locale: str | None = None
    country: str | None = Field(
        default=None,
        description="Country, as a code ('KZ') or a name ('Казахстан'): its public holidays are the "
        "contact's days off (else defaults.country's)",
    )
    tier: str | None = None
    tags: str | None = Field(default=None, description="Comma- or semicolon-separated tags")
    do_not_contact: str | None = Field(
        default=None,
        description="The CRM's opt-out flag ('Не писать', 'Не беспокоить', 'Unsubscribed'): yes (да, "
        "yes, true, 1, x, ✓, +) skips the contact as suppressed, no (нет, no, false, 0, -, empty) "
        "greets it; any other value is a row warning, and the contact is not greeted either",
    )

    @field_validator("email", mode="before")
    @classmethod
    def _email_columns(cls, value: object) -> object:
        """One header or a list of headers, each a text, none twice, the list not empty; said in words.

        A CRM exports several e-mail columns (Bitrix24: «Рабочий e-mail»,
        «Частный e-mail», «Другой e-mail»). Pydantic's own error for a wrong
        value names both forms of the union at once (``email.str``,
        ``email.list[str]``), which reads as if a list were not allowed: the
        two forms are said in one sentence, at the setting or at the item.
        """
        if isinstance(value, str):
            if not value.strip():
                raise ValueError("write the e-mail column's header (e.g. email: Email)")
            return value
        if not isinstance(value, list):
            raise ValueError(
                "write the e-mail column's header, or a list of headers tried in order"
                " (email: [Рабочий e-mail, Частный e-mail])"
            )
        if not value:
            raise ValueError("an empty list names no column: write the e-mail column's header")
        seen: set[str] = set()
        for i, column in enumerate(value):
            if not isinstance(column, str) or not column.strip():
                raise SettingError("write a column's header here (a text)", i)
            if column in seen:
                raise SettingError(f"{column!r} is listed twice", i)
            seen.add(column)
        return value[0] if len(value) == 1 else value

    @property
    def email_columns(self) -> tuple[str, ...]:
        """The e-mail columns in the order they are tried: ``email`` as one header or its list."""
        return (self.email,) if isinstance(self.email, str) else tuple(self.email)


class ContactsSource(_Model):
    """Where the contacts come from and how to read them."""

    source: Literal["csv", "xlsx", "sql"] = "csv"
    path: Path | None = None
    url: str | None = Field(default=None, description="SQL database URL (source: sql)")
    query: str | None = Field(default=None, description="SQL query (source: sql)")
    password_env: str | None = Field(
        default=None, description="Environment variable with the database password (source: sql)"
    )
    query_timeout_seconds: PositiveInt = Field(
        default=300,
        description="How long the contacts query may wait for a lock or run before it is stopped as "
        "'contacts database unavailable' (exit 75) (source: sql)",
    )
    encoding: str = Field(default="auto", description="'auto' detects UTF-8, UTF-8 BOM, cp1251")
    delimiter: str = Field(default="auto", description="'auto', ';', ',', 'tab' or '|'")
    sheet: str | None = Field(default=None, description="XLSX sheet name; the first if unset")
    header_row: PositiveInt | None = Field(
        default=None,
        description="The header's row in the file (1 = the first); unset: the first row that has every "
        "configured column (a report's title rows above it are skipped, with a warning)",
    )
    date_formats: list[DateFormat] = Field(
        default_factory=lambda: ["%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y"],
        description='strftime codes tried in order, e.g. "%d.%m.%Y"; a time of day after the date is '
        'ignored. Unset: "%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y" (slash dates day first); a CRM that writes '
        'month first (12/25/1980) needs "%m/%d/%Y" instead of "%d/%m/%Y"',
    )
    columns: Columns = Field(default_factory=Columns)
    gender_values: dict[str, Literal["male", "female"]] = Field(
        default_factory=no_entries,
        description="What the CRM's own values in the gender column mean, read before greeter's words "
        "(м/ж, M/F, male/female, mees/naine, férfi/nő, männlich/weiblich…), any case: {N: female, M: male} "
        "for an Estonian CRM's mees/naine letters, {F: male, N: female} for a Hungarian one's férfi/nő",
    )
    dates: Annotated[
        dict[str, str],
        BeforeValidator(_present_dates),
        WithJsonSchema(
            {"type": "object", "additionalProperties": {"anyOf": [{"type": "string"}, {"type": "null"}]}}
        ),
    ] = Field(
        default_factory=no_entries,
        description="Date fields: name used by occasions → column header; null: not in this export",
    )

    @field_validator("sheet", mode="before")
    @classmethod
    def _sheet_name(cls, v: object) -> object:
        """``sheet: 2`` is refused in words: a sheet is chosen by its name, never by its place.

        A position would silently read another sheet once someone adds or
        moves one in the CRM's export (amoCRM puts a summary sheet first); a
        name either is there or is an error that lists the sheets. A sheet
        really named "2" is written in quotes.
        """
        if isinstance(v, int | float) and not isinstance(v, bool):
            raise ValueError(
                "write the sheet's name (sheets are named, e.g. sheet: Контакты);"
                f' a sheet named {v} is written in quotes: sheet: "{v}"'
            )
        return v

    @field_validator("gender_values", mode="before")
    @classmethod
    def _gender_values(cls, v: object) -> object:
        """The CRM's gender values, each once in any case, each said ``male`` or ``female``.

        A letter means a gender only in its CRM's language — Estonian N is
        naine, female; Hungarian F is férfi, male, and English F female — so
        greeter reads no such letter but M/F and м/ж, and the user says what
        the others mean. A number is a value as a cell holds it (``1: male``,
        some CRMs write 1/2). A value written as the gender column writes it
        (``м``, ``naine``) is told the word to write, as ``audience.genders``
        tells it; ``N`` and ``n`` are one cell value, so one key.
        """
        if not isinstance(v, dict):
            return v  # pydantic says a mapping is wanted, at the setting
        from greeter.sources.name_cells import GENDERS, gender_key  # the gender column's reading

        out: dict[str, object] = {}
        seen: dict[str, str] = {}
        for key, value in v.items():
            if isinstance(key, bool) or not isinstance(key, str | int) or not str(key).strip():
                raise SettingError(f"write the CRM's value as text, in quotes: {key!r} is no cell value", key)
            text = str(key)
            if (same := seen.get(gender_key(text))) is not None:
                raise SettingError(f"{text!r} is {same!r} again (values are read in any case)", key)
            seen[gender_key(text)] = text
            if isinstance(value, str) and value not in ("male", "female"):
                meant = GENDERS.get(gender_key(value))
                said = f"{value!r} is no gender"
                if meant is not None:
                    said = f"{value!r} means {meant.value}: write {meant.value}"
                raise SettingError(f"{said} (male or female)", key)
            out[text] = value
        return out

    @field_validator("password_env")
    @classmethod
    def _env_name(cls, v: str | None) -> str | None:
        """As ``delivery.smtp.password_env``: a variable's name, never the password itself."""
        return None if v is None else env_var_name(v, "password_env", "GREETER_CRM_PASSWORD", "password")

    @model_validator(mode="after")
    def _source_needs(self) -> ContactsSource:
        if self.source in ("csv", "xlsx") and self.path is None:
            raise SettingError(f"source {self.source!r} needs 'path'", "source")
        if self.source == "sql" and not (self.url and self.query):
            raise SettingError("source 'sql' needs 'url' and 'query'", "source")
        if self.source == "sql" and self.header_row is not None:
            raise ValueError(
                "header_row is for csv and xlsx files (an SQL query's column names are its header)"
            )
        if self.password_env is not None and self.source != "sql":
            raise SettingError("password_env is for source 'sql' (a file has no password)", "password_env")
        if self.url:
            from greeter.db_url import userinfo_problem

            problem = userinfo_problem(self.url)
            if problem is not None:
                raise SettingError(problem, "url")
        if self.password_env is not None and self.url and _url_has_password(self.url):
            raise SettingError(
                "the url has a password and password_env names a variable: take the password out of the"
                " url (secrets are never in the config)",
                "url",
            )
        if self.delimiter not in ("auto", ";", ",", "tab", "|", "\t"):
            raise SettingError("delimiter must be 'auto', ';', ',', 'tab' or '|'", "delimiter")
        return self


def _url_has_password(url: str) -> bool:
    """Whether ``url`` carries a password (``user:secret@`` or libpq's ``?password=``)."""
    from urllib.parse import parse_qsl, urlsplit

    try:
        parts = urlsplit(url)
        return bool(parts.password) or any(k.lower() == "password" for k, _ in parse_qsl(parts.query))
    except ValueError:
        return False
