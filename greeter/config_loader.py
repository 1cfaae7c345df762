"""Read ``greeter.yaml`` and report every mistake as ``file:line:col: field: message``.

ruamel.yaml keeps the line and column of every key and list item, so a pydantic
error's ``loc`` (``('frequency_cap', 'max_count')``) can be walked back to the
exact place in the marketer's file. Unknown keys get a "did you mean" from
the names the model at that place accepts. The parsed document (positions
included) comes from :mod:`greeter.config_cache` when the same text was
parsed before: the YAML reader is most of a load's cost.
"""

from __future__ import annotations

import json
import os
import re
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from datetime import date, time
from pathlib import Path
from typing import Any, Final

from pydantic import BaseModel, ValidationError
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from greeter.config import COUNTRY, LOCALE, PATTERN_WORDS, Settings
from greeter.config_base import not_a_file
from greeter.config_cache import parse_cached
from greeter.config_window import Weekday
from greeter.config_yaml import NotADate
from greeter.config_yearless import source_token, yearless_words
from greeter.countries import calendar_refusal, parse_country, regions_of
from greeter.day_text import not_a_day_form
from greeter.errors import ConfigError, Problem, SettingError
from greeter.holiday_names import unknown_holiday, unowned_holiday
from greeter.holiday_tables import has_calendar, warm
from greeter.settings_cache import cached_settings, keep_settings
from greeter.sources.dates import swapped

#: Settings whose wrong value may be a credential typed in the wrong place: not repeated in messages.
_SECRET_FIELDS = ("password", "secret")


def load_settings(path: str | os.PathLike[str], *, today: date) -> Settings:
    """Load, validate and anchor relative paths at the config file's folder.

    ``today`` chooses the years whose public holidays the occasions' holiday
    names are checked against (see :func:`parse_settings`).

    Raises :class:`ConfigError` with every problem found (not only the first).
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        message = _not_found(path, path.parent.resolve())
        raise ConfigError([Problem(str(path), "", message)]) from None
    except OSError as exc:
        raise ConfigError([Problem(str(path), "", exc.strerror or str(exc))]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        message = f"not UTF-8 text ({exc.reason}); save the file as UTF-8"
        raise ConfigError([Problem(str(path), "", message, line, col)]) from None
    return parse_settings(text, str(path), base_dir=path.parent, today=today)


def _not_found(path: Path, folder: Path) -> str:
    """``config file not found``, with how to start when greeter looked for its default file.

    ``greeter check`` run in a fresh folder looks for ``greeter.yaml`` there
    (the default, :data:`greeter.cli.DEFAULT_CONFIG`) and said only that it
    is not found. The path alone cannot tell the default from ``--config
    greeter.yaml`` typed out; the hint holds for both. A path the user chose
    (``--config prod.yaml``) is left alone: a typo in it is not a first day.
    Beside the example config (a checkout) the hint is to copy it; elsewhere
    (greeter installed from a wheel, an empty folder) it is ``greeter init``,
    which writes the same example with the templates and contacts it needs.
    """
    # The CLI owns its default and the starter's names; loaded already when it runs.
    from greeter.cli import DEFAULT_CONFIG
    from greeter.cli_init import EXAMPLE_CONFIG

    if path != Path(DEFAULT_CONFIG):
        return "config file not found"
    if (folder / EXAMPLE_CONFIG).is_file():
        start = f"start from the example: cp {EXAMPLE_CONFIG} {DEFAULT_CONFIG}"
    else:
        start = "write a starter project here (config, templates, sample contacts): greeter init"
    return (
        f"config file not found in {folder} (the file read when no --config is given): "
        f"name your config with --config FILE, or {start}"
    )


def parse_settings(text: str, filename: str, base_dir: Path | None = None, *, today: date) -> Settings:
    """Validate YAML text; ``filename`` is only used in messages.

    A holiday occasion's name must exist in its country's calendar around
    ``today`` (the year before through three after, the years a plan made then
    reads). It is an argument, not the clock, so a config checks the same in a
    test run in any year, and ``--now`` checks it as of the rehearsed day.
    """
    parsed: list[CommentedMap] = []

    def document() -> CommentedMap:
        """The parsed text, with every key's line and column: read only to validate or to locate a problem."""
        if not parsed:
            data = parse_cached(text, filename)
            if not isinstance(data, CommentedMap):
                raise ConfigError([Problem(filename, "", "the config must be a mapping of settings", 1, 1)])
            parsed.append(data)
        return parsed[0]

    settings = cached_settings(text)  # this text validated before, by this code: no model is built
    if settings is None:
        data = document()
        try:
            settings = Settings.model_validate(_plain(data))
        except ValidationError as exc:
            errors = exc.errors(include_url=False)
            raise ConfigError([_problem(filename, data, err, text, today) for err in errors]) from None
        keep_settings(text, settings)
    problems = _cross_check(settings, document, filename, today)
    if base_dir is not None:
        settings = _anchor(settings, base_dir)
        problems += _not_files(settings, document, filename)
    if problems:
        raise ConfigError(problems)
    return settings


def locate(path: str | os.PathLike[str], loc: Sequence[int | str]) -> tuple[int | None, int | None]:
    """Line and column of the setting ``loc`` in a config file, for problems found after loading."""
    try:
        data = parse_cached(Path(path).read_text(encoding="utf-8-sig"), str(path))
    except (ConfigError, OSError, UnicodeDecodeError):
        return None, None
    return _position(data, loc)


def _cross_check(
    settings: Settings, document: Callable[[], CommentedMap], filename: str, today: date
) -> list[Problem]:
    """Rules spanning sections, located at the offending key (``document()``: only then parsed)."""
    problems: list[Problem] = []

    def add(loc: tuple[int | str, ...], message: str) -> None:
        line, col = _position(document(), loc)
        problems.append(Problem(filename, ".".join(str(p) for p in loc), message, line, col))

    countries: dict[str, tuple[int | str, ...]] = {settings.defaults.country: ("defaults", "country")}
    for i, occ in enumerate(settings.occasions):
        if occ.country:
            countries.setdefault(occ.country, ("occasions", i, "country"))
    for code, region in settings.send_window.regional_days_off.items():
        if region.holidays_of is not None:
            where = ("send_window", "regional_days_off", code, "holidays_of", "country")
            countries.setdefault(region.holidays_of.country, where)
    year = today.year
    # Read the cached tables (or compute and keep them) for the years a plan made now uses.
    warm(countries, range(year - 1, year + 3))
    supported = {code for code in countries if has_calendar(code)}
    for code, loc in countries.items():
        if code not in supported:
            add(loc, calendar_refusal(code))
    named = [*countries, *(c for occ in settings.occasions for c in occ.audience.countries or ())]
    configured = [code for code in dict.fromkeys(named) if has_calendar(code)]
    years = [year, year + 1]
    for i, occ in enumerate(settings.occasions):
        country = occ.country or settings.defaults.country
        if occ.holiday is None or country not in supported:
            continue
        if occ.country is None:  # each client's own country's: good when a country greeted has it
            greeted = _with_regions(occ.audience.countries)
            refusal = unowned_holiday(occ.holiday, country, greeted, configured, years)
        else:
            refusal = unknown_holiday(occ.holiday, country, years)
        if refusal is not None:
            add(("occasions", i, "holiday"), refusal)
    for code, region in settings.send_window.regional_days_off.items():
        borrowed = region.holidays_of
        if borrowed is None or borrowed.country not in supported:
            continue
        for j, name in enumerate(borrowed.names):
            refusal = unknown_holiday(name, borrowed.country, years)
            if refusal is not None:
                add(("send_window", "regional_days_off", code, "holidays_of", "names", j), refusal)
    formats = settings.contacts.date_formats
    for i, j in swapped(formats):
        example = _ambiguous_example(formats[i])
        add(
            ("contacts", "date_formats", j),
            f"{formats[j]!r} and {formats[i]!r} read the same dates differently ({example}), so one "
            "column would mix them and greet people on wrong days: keep the one your CRM writes",
        )
    known = set(settings.contacts.dates)
    for i, occ in enumerate(settings.occasions):
        if occ.field is None or occ.field in known:
            continue  # contacts.dates' null entries are not in known (config_contacts._present_dates)
        data = document()
        contacts = data.get("contacts")
        written = contacts.get("dates") if isinstance(contacts, dict) else None
        if isinstance(written, dict) and occ.field in written and written[occ.field] is None:
            # contacts.dates.first_deal: null
            line, col = _position(data, ("occasions", i, "field"))
            message = (
                f"contacts.dates.{occ.field} is null (not in this export), so occasion {occ.name!r} would"
                f" greet no one: remove the occasion, or give {occ.field} its column's header"
            )
            problems.append(Problem(filename, f"occasions.{i}.field", message, line, col))
        else:
            loc = ("occasions", i, "field")
            line, col = _position(data, loc)
            import difflib  # a hint for a mistake only

            close = difflib.get_close_matches(occ.field, sorted(known), n=1)
            hint = (
                f", did you mean `{close[0]}`?"
                if close
                else (f" (defined: {', '.join(sorted(known)) or 'none'})")
            )
            problems.append(
                Problem(
                    filename,
                    f"occasions.{i}.field",
                    f"date field {occ.field!r} is not defined in contacts.dates{hint}",
                    line,
                    col,
                )
            )
    return problems


def _not_files(settings: Settings, document: Callable[[], CommentedMap], filename: str) -> list[Problem]:
    """Each setting naming a file whose path is something else there (a pipe, a device, a folder).

    Paths as anchored at the config's folder (what is opened). Checked when
    the config is loaded, so ``check``, every command and the daemon's
    reload refuse the setting at its line (exit 2) before anything opens it.
    """
    named: list[tuple[tuple[int | str, ...], Path | None, str]] = []
    if settings.contacts.source in ("csv", "xlsx"):
        named.append((("contacts", "path"), settings.contacts.path, "the contacts file (CSV or XLSX)"))
    named.append(
        (("send_window", "days_off_ics"), settings.send_window.days_off_ics, "an .ics calendar file")
    )
    named += [
        (("occasions", i, "ics"), o.ics, "an .ics calendar file") for i, o in enumerate(settings.occasions)
    ]
    named += [
        (("send_window", "regional_days_off", code, "ics"), r.ics, "an .ics calendar file")
        for code, r in settings.send_window.regional_days_off.items()
    ]
    if settings.delivery.dkim is not None:
        named.append((("delivery", "dkim", "key_file"), settings.delivery.dkim.key_file, "a PEM key file"))
    problems = []
    for loc, path, wanted in named:
        why = None if path is None else not_a_file(path)
        if why is not None:
            line, col = _position(document(), loc)
            problems.append(Problem(filename, _dotted(loc), f"{why}: name {wanted}", line, col))
    return problems


def _with_regions(countries: list[str] | None) -> list[str] | None:
    """An audience's countries as calendars: "GB" takes GB-ENG's clients (Easter Monday) too."""
    if countries is None:
        return None
    found = [code for code in countries if has_calendar(code)]
    return list(dict.fromkeys([*found, *(r for code in found if "-" not in code for r in regions_of(code))]))


def _ambiguous_example(fmt: str) -> str:
    """``07/01/1960`` is 1 July or 7 January: a value both of two swapped formats read, in words."""
    day = date(1960, 7, 1)
    other = date(1960, 1, 7)
    return f"{day.strftime(fmt)} is {day:%d %B} or {other:%d %B}".replace(" 0", " ")


def _plain(node: Any) -> Any:
    """ruamel's round-trip containers → plain dicts/lists for pydantic."""
    if isinstance(node, Mapping):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node


def _problem(
    filename: str, data: CommentedMap, err: Mapping[str, Any], text: str = "", today: date | None = None
) -> Problem:
    loc: tuple[int | str, ...] = tuple(err["loc"])
    cause = err.get("ctx", {}).get("error")
    if isinstance(cause, SettingError):  # a section's rule that names the setting to fix
        loc += cause.where
    field = ".".join(str(p) for p in loc)
    line, col = _position(data, loc)
    kind = err["type"]
    if kind == "extra_forbidden":
        key = str(loc[-1])
        allowed = _allowed_keys(loc[:-1])
        import difflib

        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        plural = _plural_here(key, allowed)
        misplaced = None if plural else _misplaced(key, loc[:-1], data)
        if plural:  # audience's gender, tier: this section's list, not contacts.columns' column
            message = f"unknown key, did you mean `{plural}`?"
        elif misplaced is not None:  # a key of another place: where it goes, not a look-alike here
            message = misplaced
        elif close:
            message = f"unknown key, did you mean `{close[0]}`?"
        elif (free := _free_mapping_for(key, loc[:-1], err.get("input"))) is not None:
            inner = free.rpartition(".")[2]
            message = f"unknown key; if it belongs in `{inner}:`, indent it below `{inner}:` ({free}.{key})"
        else:
            message = "unknown key (allowed here: " + ", ".join(allowed) + ")"
        return Problem(filename, field, message, line, col)
    if kind == "missing":
        return Problem(filename, field, "required, but missing", line, col)
    if kind in ("model_type", "dict_type"):  # "Input should be a valid dictionary or instance of Audience"
        return Problem(filename, field, _section_wanted(loc, err.get("input")), line, col)
    if (yearless := _yearless(data, loc, err, text, today)) is not None:  # on: [01.01], date: 25.12
        return Problem(filename, field, yearless, line, col)
    day = err.get("input")  # a number too: pydantic reads 20261211 as seconds since 1970
    if kind in _DATE_KINDS and isinstance(day, str | int) and not isinstance(day, NotADate | bool):
        return Problem(filename, field, not_a_day_form(str(day)), line, col)
    if kind == "list_type" and err.get("input") is None:  # tags: null, or `tags:` with nothing after it
        return Problem(filename, field, _null_list(loc), line, col)
    if kind == "list_type" and isinstance(err.get("input"), str):  # tags: 23feb, 8mar
        return Problem(filename, field, _list_wanted(err["input"], _type_at((*loc, 0))), line, col)
    if kind == "enum" and _type_at(loc) is Weekday and isinstance(err.get("input"), str):
        meant = Weekday.meant(err["input"])
        if meant is not None:  # пн, Monday: the name the config takes
            names = ", ".join(Weekday)
            message = f"{err['input']!r} means {meant.value}: write {meant.value} (days are named {names})"
            return Problem(filename, field, message, line, col)
    message = str(err["msg"])
    for prefix in ("Value error, ", "Assertion failed, "):
        message = message.removeprefix(prefix)
    got = err.get("input")
    if kind == "bool_parsing" and isinstance(got, str):  # да, выкл: pydantic's "unable to interpret input"
        message = _bool_wanted(got)
    if kind in _NUMBER_KINDS and isinstance(got, str) and (number := _NUMBER_WITH_UNIT.fullmatch(got)):
        message = f"write the number alone: {number[1]}"  # 2 дня, 30 минут: the unit is the setting's name
    if kind == "string_pattern_mismatch":  # words, not the regular expression
        pattern = str(err.get("ctx", {}).get("pattern"))
        message = PATTERN_WORDS.get(pattern, message)
        code = parse_country(got)[0] if pattern == COUNTRY and isinstance(got, str) else None
        if code is not None:  # "Россия", "ru": a contact's country column takes it, the config its code
            return Problem(filename, field, f"{got!r}: write the country's code here, {code!r}", line, col)
        if pattern == LOCALE and isinstance(got, str):  # русский, Russian: the code Babel has the name for
            from greeter.i18n import locale_hint  # Babel: paid only for this mistake

            hint = locale_hint(got)
            message = f"should be a language code: {hint}" if hint else message
    if isinstance(got, NotADate) and kind.startswith(("date", "time")):  # 2026-02-30: say why, not how
        return Problem(filename, field, got.why(), line, col)
    if isinstance(got, date) and kind in _NOT_A_DATE_HERE:
        return Problem(filename, field, _NOT_A_DATE_HERE[kind].format(day=got.isoformat()), line, col)
    secret = any(word in field for word in _SECRET_FIELDS)  # never echo a password into logs
    if isinstance(got, str) and "://" in got:  # a storage or contacts URL: its password stays out too
        from greeter.db_url import redact

        got = redact(got)
    shown = _shown(got)
    if got is not None and not secret and not isinstance(got, dict | list) and shown not in message:
        message += f" (got {shown})"
    return Problem(filename, field, message, line, col)


def _yearless(
    data: CommentedMap, loc: Sequence[int | str], err: Mapping[str, Any], text: str, today: date | None
) -> str | None:
    """``on: [01.01]`` or ``date: 25.12`` in words naming the form meant, read from the source text
    (YAML made a number of ``01.01``); None: not that mistake. A quoted ``date: "25.12"`` keeps
    :func:`~greeter.config_types._check_month_day`'s words (it names ``"12-25"`` already)."""
    if (
        today is None
        or not text
        or err["type"] not in (*_DATE_KINDS, "list_type", "string_type", "value_error")
    ):
        return None
    key = next((p for p in reversed(loc) if isinstance(p, str)), "")
    got = err.get("input")
    if key == "date" and not isinstance(got, int | float):
        return None
    if key not in ("date", "on", "extra_days_off", "days") or isinstance(got, list | dict):
        return None
    line, col = _value_position(data, loc)
    written = source_token(text, line, col) if line is not None and col is not None else None
    return yearless_words(written, key, today) if written else None


def _value_position(data: Any, loc: Sequence[int | str]) -> tuple[int | None, int | None]:
    """Line/column (1-based) of the value at ``loc`` (:func:`_position` gives a mapping's key's)."""
    node = data
    for i, part in enumerate(loc):
        last = i == len(loc) - 1
        if isinstance(node, CommentedMap) and part in node:
            if last:
                ln, cl = node.lc.value(part)
                return ln + 1, cl + 1
            node = node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and part < len(node):
            if last:
                ln, cl = node.lc.item(part)
                return ln + 1, cl + 1
            node = node[part]
        else:
            return None, None
    return None, None


def _list_wanted(text: str, item: Any) -> str:
    """``'23feb, 8mar' is one text, not a list: write [23feb, 8mar]``, in the names the items take.

    YAML reads ``tags: 23feb, 8mar`` as one text; pydantic only said "Input
    should be a valid list". Days are given as the config names them (``пн,
    вт`` → ``[mon, tue]``, ``mon-fri`` → every day of the range).
    """
    parts = [part.strip() for part in re.split(r"[,;]", text) if part.strip()]
    if item is Weekday:
        days: list[str] = []
        for part in parts if len(parts) > 1 else parts[0].split() if parts else []:
            span = Weekday.span(part)
            meant = Weekday.meant(part)
            days += [d.value for d in span] if span else [meant.value] if meant else [part]
        parts = days
    shown = (
        "["
        + ", ".join(
            part if _PLAIN_ITEM.fullmatch(part) else json.dumps(part, ensure_ascii=False) for part in parts
        )
        + "]"
    )
    return f"{text!r} is one text, not a list: write the list in brackets, {shown}"


def _null_list(loc: Sequence[int | str]) -> str:
    """What a list setting written ``null`` (or with nothing after its colon) should be: pydantic
    said "Input should be a valid list", a type's name to someone who meant "none"."""
    empty = "is empty (null), not a list:"
    if _type_at((*loc, 0)) is Weekday:  # a week of no days is refused too: the days, or the default
        return f"{empty} write the days in brackets, like [mon, tue, wed, thu, fri], or leave it out"
    model = _type_at(loc[:-1])
    known = (
        model.model_fields.get(str(loc[-1]))
        if isinstance(model, type) and issubclass(model, BaseModel)
        else None
    )
    if known is not None and known.is_required():  # occasions: no default to fall back on
        return f"{empty} write the list in brackets, [...]; this setting has no default"
    default = known.get_default(call_default_factory=True) if known is not None else None
    if isinstance(default, list) and default:  # [] would drop the built-in entries, not restore them
        words, harm = _NULL_LIST_DEFAULT.get(str(loc[-1]), ("the default", "would leave none"))
        shown = ", ".join(json.dumps(str(item), ensure_ascii=False) for item in default)
        return f"{empty} leave it out for {words}, [{shown}]; an empty list, [], {harm}"
    return f"{empty} write an empty list, [], or leave it out"


#: What leaving out a list setting whose default is not empty gives, in the words of its docs:
#: for these an empty list is no "none" but harm (``date_formats: []`` reads no date at all).
_NULL_LIST_DEFAULT: Final = {"date_formats": ("the built-in formats", "reads no date at all")}


#: Words for yes and no that YAML leaves as text (it reads true/false, yes/no, on/off itself).
_BOOL_WORDS: Final = {
    **dict.fromkeys(("да", "вкл", "включено", "включить", "истина", "y", "д"), "true"),
    **dict.fromkeys(("нет", "выкл", "выключено", "выключить", "ложь", "n", "н"), "false"),
}
#: Pydantic's error types for a number it could not read from text.
_NUMBER_KINDS: Final = ("int_parsing", "float_parsing")
#: A number followed by a unit word (``2 дня``, ``30 минут``, ``5 years``): the number is group 1.
_NUMBER_WITH_UNIT: Final = re.compile(r"\s*([+-]?\d+(?:[.,]\d+)?)\s*[^\W\d_][\w.]*(?:\s+[^\W\d_][\w.]*)*\s*")


def _bool_wanted(text: str) -> str:
    """``write true or false (да → true)``: pydantic said only "unable to interpret input"."""
    meant = _BOOL_WORDS.get(text.strip().casefold().rstrip("."))
    return f"write true or false ({text.strip()} → {meant})" if meant else "write true or false"


#: A list item that needs no quotes inside ``[…]``.
_PLAIN_ITEM: Final = re.compile(r"[^\s,\[\]{}#&*!|>'\"%@`:?-][^,\[\]{}#:]*")

#: What to say when YAML made a date of an unquoted ``2026-12-18`` where the setting is not one.
_NOT_A_DATE_HERE: Final = {
    "string_type": "{day} is read as a date (YAML reads an unquoted YYYY-MM-DD so); "
    'this setting is text: write it in quotes, "{day}"',
    "list_type": "should be a list of days, like [{day}]",
}


def _shown(value: object) -> str:
    """A value as the marketer wrote it: ``2026-12-18``, never ``datetime.date(2026, 12, 18)``."""
    if isinstance(value, bool):  # as YAML writes it
        return str(value).lower()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, NotADate):
        return str(value)
    return repr(value)


def _position(data: Any, loc: Sequence[int | str]) -> tuple[int | None, int | None]:
    """Line/column (1-based) of the deepest node of ``loc`` present in the YAML."""
    line: int | None = 1
    col: int | None = 1
    node = data
    for part in loc:
        if isinstance(node, CommentedMap) and part in node:
            ln, cl = node.lc.key(part)
            line, col = ln + 1, cl + 1
            node = node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and part < len(node):
            ln, cl = node.lc.item(part)
            line, col = ln + 1, cl + 1
            node = node[part]
        else:
            break  # the rest of the path is not in the file (missing key): point at its parent
    return line, col


def _type_at(loc: Sequence[int | str]) -> Any:
    """The type the model takes at ``loc`` (``Weekday`` at ``send_window.working_days.0``), or None."""
    tp: Any = Settings
    for part in loc:
        tp = _unwrap(tp)
        if isinstance(part, int):
            args = typing.get_args(tp)
            tp = args[0] if args else None
        elif isinstance(tp, type) and issubclass(tp, BaseModel) and part in tp.model_fields:
            tp = tp.model_fields[part].annotation
        elif typing.get_origin(tp) is dict:  # a key of a mapping (sender.by_locale.en): its value's model
            tp = typing.get_args(tp)[1]
        else:
            return None
    return _unwrap(tp)


def _allowed_keys(loc: Sequence[int | str]) -> list[str]:
    """Field names the model at ``loc`` accepts, for "did you mean" hints."""
    tp = _type_at(loc)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return list(tp.model_fields)
    return []


def _plural_here(key: str, allowed: Sequence[str]) -> str | None:
    """The setting of this section that is ``key`` in the plural (``gender`` → ``genders``), or None.

    A marketer writes ``audience: {gender: male}`` for "men only"; another
    section has a ``gender`` (``contacts.columns``, the column's name), and
    being sent there ("move it there") made greeter look for a column named
    "male". The list this section takes is what was meant: it wins over a
    home elsewhere.
    """
    for plural in (f"{key}s", f"{key[:-1]}ies" if key.endswith("y") else ""):
        if plural and plural in allowed:
            return plural
    return None


def _free_mapping_for(key: str, section: tuple[int | str, ...], value: object) -> str | None:
    """The mapping of free keys in ``section`` an unknown ``key`` with a text value may belong to.

    ``contacts.dates`` takes any name (``name_day: Именины``): outdented by
    two spaces, such a date landed in ``contacts:`` as "unknown key (allowed
    here: …)", and nothing said the indentation was the mistake. Only a text
    value, as those mappings hold, and only a section with one such mapping.
    """
    if not isinstance(value, str):
        return None
    tp = _type_at(section)
    if not (isinstance(tp, type) and issubclass(tp, BaseModel)):
        return None
    free = [
        name
        for name, info in tp.model_fields.items()
        if typing.get_origin(_unwrap(info.annotation)) is dict
        and typing.get_args(_unwrap(info.annotation))[1] is str
    ]
    return ".".join(str(p) for p in (*section, free[0])) if len(free) == 1 else None


def _misplaced(key: str, section: tuple[int | str, ...], data: CommentedMap) -> str | None:
    """Where ``key``, unknown in ``section``, belongs, found in the schema; None if nowhere plainly.

    A setting indented or outdented by mistake lands in a section that does
    not take it, and the nearest spelling there (or the list of the
    section's keys) hid where it goes. Looked for nearest first: a section
    below this one (``round_years`` outdented out of ``audience:``,
    ``pool_size`` out of ``delivery: smtp:``), then each enclosing section
    itself (``catch_up_days`` indented under ``send_window:``) and the other
    sections below it (``max_count`` under ``send_window:``, not
    ``frequency_cap:``). A key several sections take alike (``port``) is
    left to the usual hint: naming one of them could send it to the wrong one.
    """
    home = _home_below(key, section)
    if home is not None:
        within = f" in `{_dotted(home[:-1])}:`" if len(home) > 1 else ""
        return f"belongs under `{_dotted(home)}:` (indent it below `{home[-1]}:`{within})"
    here = _dotted(section)
    for depth in range(len(section) - 1, -1, -1):
        outer, step = section[:depth], section[depth]
        if key in _allowed_keys(outer):
            if outer:
                said = f"`{key}` is a setting of `{_dotted(outer)}`, not of `{here}`"
            else:
                said = f"`{key}` is a top-level setting, not part of `{here}:`"
            if _present(data, (*outer, key)):
                line, _ = _position(data, (*outer, key))
                return f"{said}, and is set there already (line {line}): keep one of the two"
            return f"{said}: un-indent it to line up with `{step}:`"
        home = _home_below(key, outer, skip=step)
        if home is not None:
            return f"belongs under `{_dotted((*outer, *home))}:`, not under `{here}:` (move it there)"
    return None


def _home_below(
    key: str, section: tuple[int | str, ...], skip: int | str | None = None
) -> tuple[str, ...] | None:
    """The one section under ``section`` (nearest level first) that takes ``key``, as a path below it.

    Only sections proper are searched (``delivery: smtp:``), not list items
    (each occasion) or mappings of names (``sender.by_locale``): a key
    outdented from those is no one place. ``skip`` is the section the key
    was found in, already known not to take it.
    """
    level: list[tuple[str, ...]] = [(name,) for name in _allowed_keys(section) if name != skip]
    for _ in range(_NESTING):
        level = [path for path in level if _is_section((*section, *path))]
        homes = [path for path in level if key in _allowed_keys((*section, *path))]
        if homes:
            return homes[0] if len(homes) == 1 else None
        level = [(*path, name) for path in level for name in _allowed_keys((*section, *path))]
    return None


#: How many levels of sections below one :func:`_home_below` looks through (the config has three).
_NESTING: Final = 3


def _is_section(loc: Sequence[int | str]) -> bool:
    """Whether the model takes a section of named settings at ``loc`` (``delivery.smtp``)."""
    tp = _type_at(loc)
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _present(data: Any, loc: Sequence[int | str]) -> bool:
    """Whether the YAML has a key at ``loc``."""
    node = data
    for part in loc:
        found = isinstance(node, CommentedMap) and part in node
        found = found or (isinstance(node, CommentedSeq) and isinstance(part, int) and part < len(node))
        if not found:
            return False
        node = node[part]
    return True


def _dotted(loc: Sequence[int | str]) -> str:
    """``occasions.0.audience``: a place in the config as problems name it."""
    return ".".join(str(part) for part in loc)


def _section_wanted(loc: Sequence[int | str], got: object) -> str:
    """``expected a section of settings (tiers:, tags:, contacts: …), got nothing`` (not "dictionary")."""
    keys = _allowed_keys(loc)
    listed = ", ".join(f"{k}:" for k in keys[:3]) + (" …" if len(keys) > 3 else "")
    example = f" ({listed})" if keys else " (name: value lines, indented below it)"
    if got is None:
        what = "nothing"
    elif isinstance(got, list):
        what = "a list"
    else:
        what = _shown(got)
    return f"expected a section of settings{example}, got {what}"


#: Pydantic's error types for a value that is no date (``on: [15.03.2027]``).
_DATE_KINDS: Final = ("date_from_datetime_parsing", "date_parsing", "date_from_datetime_inexact", "date_type")


def _unwrap(tp: Any) -> Any:
    """``X | None`` → ``X``; ``Annotated[X, …]`` → ``X``."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            if len(args) != 1:
                return tp
            tp = args[0]
        else:
            return tp


def _anchor(settings: Settings, base: Path) -> Settings:
    """Make relative paths relative to the config file, not to the working directory.

    Every path the config names, the secret files (``delivery.smtp.password_file``,
    ``unsubscribe.secret_file``, ``previous_secret_file``) too: those were opened from
    the working directory, so the shipped unit (working directory /var/lib/greeter,
    config in /etc/greeter) and a cron line run from elsewhere refused to start.
    """

    def fix(p: Path | None) -> Path | None:
        return p if p is None or p.is_absolute() else base / p

    contacts = settings.contacts.model_copy(update={"path": fix(settings.contacts.path)})
    occasions = [o if o.ics is None else o.model_copy(update={"ics": fix(o.ics)}) for o in settings.occasions]
    window = settings.send_window
    regions = {
        code: r if r.ics is None else r.model_copy(update={"ics": fix(r.ics)})
        for code, r in window.regional_days_off.items()
    }
    window = window.model_copy(
        update={"days_off_ics": fix(window.days_off_ics), "regional_days_off": regions}
    )
    dkim = settings.delivery.dkim
    if dkim is not None:
        dkim = dkim.model_copy(update={"key_file": fix(dkim.key_file)})
    smtp = settings.delivery.smtp.model_copy(
        update={"password_file": fix(settings.delivery.smtp.password_file)}
    )
    delivery = settings.delivery.model_copy(
        update={"outbox": fix(settings.delivery.outbox), "dkim": dkim, "smtp": smtp}
    )
    unsubscribe = settings.unsubscribe
    unsubscribe = unsubscribe.model_copy(
        update={
            "secret_file": fix(unsubscribe.secret_file),
            "previous_secret_file": [
                p if p.is_absolute() else base / p for p in unsubscribe.previous_secret_file
            ],
        }
    )
    storage = settings.storage.model_copy(update={"url": anchored_storage_url(settings.storage.url, base)})
    return settings.model_copy(
        update={
            "contacts": contacts,
            "templates_dir": fix(settings.templates_dir),
            "send_window": window,
            "occasions": occasions,
            "delivery": delivery,
            "unsubscribe": unsubscribe,
            "storage": storage,
        }
    )


def anchored_storage_url(url: str, base: Path) -> str:
    """``storage.url`` with a relative SQLite path made relative to ``base`` (the config's folder).

    The one reading of a relative ``sqlite:///data/x.sqlite3``: the config's and every URL
    meant to become it (``copy-journal``'s TARGET_URL), so a file written by one is the file
    the other names, whatever the working directory.
    """
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith(prefix + "/"):
        rel = url[len(prefix) :]
        if rel and rel != ":memory:":
            return prefix + str(base / rel)
    return url


def json_schema() -> dict[str, Any]:
    """JSON Schema of the config, for editors (``greeter schema``)."""
    schema = Settings.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "greeter configuration"
    return schema
