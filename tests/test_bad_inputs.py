"""The bad-input corpus (issue "Prove it", part 2): every mistake a marketer makes, through the real CLI.

Each file in ``tests/data/bad/{config,contacts,templates}/`` is dropped into a
small project (``tests/data/bad/base.yaml``, ``tests/data/bad/contacts.csv`` and
the shipped ``templates/``) in place of its good counterpart, and
``python -m greeter check --json`` (or ``preview``) runs in a subprocess. For
every case: no traceback and no "internal error", the exit code DESIGN.md §3
promises (0 ok, 1 rows/renders failed, 2 config unusable), every problem is one
line that names the file, the line or row, and the field, and the good rows of
the same file still load (counts from ``check --json``).

Where a case gives ``marker``, the expected line/row is *found in the bad
file* (the first line containing the marker), so the test proves the message
points at the mistake rather than repeating a number copied from the output.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
BAD = Path(__file__).resolve().parent / "data" / "bad"
#: New Year (12-29) for everyone, and contact 1's birthday (01-07) merged into it: both templates render.
PREVIEW = ("preview", "--format", "json", "--from", "2026-12-25", "--days", "14", "--now", "2026-12-01T09:00")
#: How every problem line starts: the file, then ``:line:col``, ``:row N`` or ``:line`` (DESIGN.md §3);
#: or the templates folder, for what is said of several of its files at once (unused templates).
LOCATED = re.compile(r"^(greeter\.yaml|data/\w+\.csv|[\w./-]+\.j2|templates)(:\d+(:\d+)?|:row \d+)?: ")


@dataclass(frozen=True)
class Case:
    kind: str  # "config" | "contacts" | "templates": which good file the bad one replaces
    file: str  # in tests/data/bad/<kind>/
    code: int  # the exit code DESIGN.md §3 promises
    #: Regexes that must each match a whole line of stderr; ``{line}`` is the marker's line number
    #: (``{above}``: the line before it).
    expect: tuple[str, ...] = ()
    marker: str | None = None
    #: (contacts loaded, rows rejected) from ``check --json``; None where the run stops before counting.
    counts: tuple[int, int] | None = None
    command: tuple[str, ...] = ("check", "--json")

    @property
    def id(self) -> str:
        return f"{self.kind}/{self.file}"


def C(kind: str, file: str, code: int, *expect: str, **kw: Any) -> Case:
    return Case(kind, file, code, expect, **kw)


CFG = r"greeter\.yaml:{line}:\d+: "

CASES = [
    # ------------------------------------------------------------------ config: YAML itself
    C("config", "tabs.yaml", 2, CFG + r"YAML syntax: found character '\\t' .*\(YAML indents with spaces, not tabs\)", marker="\t"),
    C("config", "bad_indent.yaml", 2, CFG + r"YAML syntax: this line is indented more than the line above it \(line {above}, column 5\), so YAML reads it as the rest of that line's value; YAML said: mapping values are not allowed here", marker="      priority: 60"),
    C("config", "indent_deeper_block.yaml", 2, r"greeter\.yaml:{line}:7: YAML syntax: this line is indented differently from the lines of the same section above it \(line {above}, column 5\); YAML said: expected <block end>, but found '<block mapping start>' .*", marker="      template: new_year"),
    C("config", "indent_shallower.yaml", 2, r"greeter\.yaml:{line}:3: YAML syntax: this line is indented differently from the lines of the same section above it \(line {above}, column 5\); YAML said: expected <block end>, but found '\?' .*", marker="  priority: 60"),
    C("config", "unclosed_quote.yaml", 2, CFG + r"YAML syntax: a quote \(\"\) opened here is never closed: YAML read the lines down to the end of the file as this one value; YAML said: found unexpected end of stream", marker='"15:00\n'),
    C("config", "duplicate_keys.yaml", 2, CFG + r"YAML syntax: `max_count` appears twice in the same section", marker="max_count: 4"),
    C("config", "empty.yaml", 2, r"greeter\.yaml:1:1: the config must be a mapping of settings"),
    C("config", "comments_only.yaml", 2, r"greeter\.yaml:1:1: the config must be a mapping of settings"),
    C("config", "list_not_mapping.yaml", 2, r"greeter\.yaml:1:1: the config must be a mapping of settings"),
    C("config", "scalar_not_mapping.yaml", 2, r"greeter\.yaml:1:1: the config must be a mapping of settings"),
    C("config", "cp1251.yaml", 2, r"greeter\.yaml:{line}:10: not UTF-8 text \(invalid continuation byte\); save the file as UTF-8", marker="  name:"),
    C("config", "nul_byte.yaml", 2, r"greeter\.yaml:{line}:13: YAML syntax: a control character \(U\+0000\) is not allowed in YAML", marker="\x00"),
    C("config", "utf8_bom.yaml", 0, counts=(3, 0)),
    C("config", "unquoted_times.yaml", 0, counts=(3, 0)),
    # ------------------------------------------------------------------ config: keys and types
    C("config", "typo_top_key.yaml", 2, r"greeter\.yaml:{line}:1: freqency_cap: unknown key, did you mean `frequency_cap`\?", marker="freqency_cap"),
    C("config", "typo_nested_key.yaml", 2, r"greeter\.yaml:{line}:3: send_window\.lunhc: unknown key, did you mean `lunch`\?", marker="lunhc"),
    C("config", "unknown_key_no_hint.yaml", 2, r"greeter\.yaml:{line}:1: marketing_budget: unknown key \(allowed here: sender, defaults, contacts, .*\)", marker="marketing_budget"),
    C("config", "missing_sender.yaml", 2, r"greeter\.yaml:1:1: sender: required, but missing"),
    C("config", "wrong_type_int.yaml", 2, CFG + r"frequency_cap\.max_count: Input should be a valid integer.* \(got 'six'\)", marker="six"),
    C("config", "wrong_type_list.yaml", 2, CFG + r"send_window\.working_days: 'mon-fri' is one text, not a list: write the list in brackets, \[mon, tue, wed, thu, fri\]", marker="mon-fri"),
    C("config", "wrong_type_bool.yaml", 2, CFG + r"send_window\.public_holidays: write true or false \(got 'sometimes'\)", marker="sometimes"),
    C("config", "bad_time.yaml", 2, CFG + r"send_window\.friday_cutoff: '25:00' is not a time of day: hours go from 00 to 23 and minutes from 00 to 59 \(hours:minutes, 24-hour clock\)", marker="25:00"),
    # pydantic alone would read 15 as 15 seconds past midnight UTC, then fail comparing times.
    C("config", "time_as_number.yaml", 2, CFG + r'send_window\.friday_cutoff: 15 is not a time of day; write it as "HH:MM" in quotes, e\.g\. "10:00"', marker="cutoff: 15"),
    C("config", "time_with_offset.yaml", 2, CFG + r"send_window\.friday_cutoff: 15:00:00\+03:00 has a UTC offset; send windows are local times in each recipient's zone: write \"HH:MM\" \(got '15:00\+03:00'\)", marker="+03:00"),
    C("config", "bad_sender_email.yaml", 2, CFG + r"sender\.email: is not an e-mail address \(name@example\.com\) \(got 'greetings'\)", marker="email: greetings\n"),
    C("config", "bad_port.yaml", 2, CFG + r"delivery\.smtp\.port: Input should be less than or equal to 65535 \(got 99999\)", marker="99999"),
    C("config", "bad_storage_url.yaml", 2, CFG + r"storage\.url: should start with sqlite:// or postgresql://: sqlite:///data/journal\.sqlite3 \(beside the config\).* \(got 'mysql://localhost/greeter'\)", marker="mysql"),
    C("config", "bad_cron.yaml", 2, CFG + r"schedule\.cron: cron needs 5 fields: minute hour day month weekday \(got '0 0 9 \* \* 1'\)", marker="cron:"),
    C("config", "delimiter.yaml", 2, r"greeter\.yaml:{line}:3: contacts\.delimiter: delimiter must be 'auto', ';', ',', 'tab' or '\|'", marker="delimiter:"),
    # The password typed where the variable's NAME belongs must not be echoed into logs.
    C("config", "password_inline.yaml", 2, CFG + r"delivery\.smtp\.password_env: password_env names an environment variable \(e\.g\. GREETER_SMTP_PASSWORD\), never the password itself", marker="password_env"),
    # ------------------------------------------------------------------ config: values a marketer gets wrong
    C("config", "invalid_timezone.yaml", 2, CFG + r"defaults\.timezone: unknown time zone 'Europe/Moskow', did you mean 'Europe/Moscow'\?", marker="Moskow"),
    C("config", "cap_zero.yaml", 2, CFG + r"frequency_cap\.max_count: Input should be greater than 0", marker="max_count: 0"),
    C("config", "window_zero.yaml", 2, CFG + r"frequency_cap\.window_days: Input should be greater than 0", marker="window_days: 0"),
    C("config", "negative_gap.yaml", 2, CFG + r"frequency_cap\.min_gap_days: Input should be greater than or equal to 0 \(got -7\)", marker="-7"),
    C("config", "inverted_hours.yaml", 2, CFG + r"send_window\.hours: end 10:00 must be after start 18:00", marker="hours:"),
    C("config", "inverted_lunch.yaml", 2, CFG + r"send_window\.lunch: end 13:00 must be after start 14:00", marker="lunch:"),
    C("config", "overlapping_lunch.yaml", 2, r"greeter\.yaml:{line}:3: send_window\.lunch: lunch 17:30–18:30 must lie inside hours 10:00–18:00", marker="lunch:"),
    C("config", "lunch_outside_hours.yaml", 2, r"greeter\.yaml:{line}:3: send_window\.lunch: lunch 08:00–09:00 must lie inside hours 10:00–18:00", marker="lunch:"),
    C("config", "cutoff_before_hours.yaml", 2, r"greeter\.yaml:{line}:3: send_window\.friday_cutoff: friday_cutoff 09:00 leaves no time to send before a day off .*", marker="friday_cutoff:"),
    C("config", "margin_eats_the_day.yaml", 2, r"greeter\.yaml:{line}:1: send_window: no time left to send: hours minus lunch minus end_margin_minutes is empty", marker="send_window:"),
    C("config", "unknown_country.yaml", 2, CFG + r"defaults\.country: no public-holiday calendar for country 'XX' \(use an ISO code like 'RU', or 'GB-ENG' with a region\)", marker="XX"),
    C("config", "unknown_region.yaml", 2, CFG + r"defaults\.country: GB has no region 'XYZ' in its public-holiday calendar \(its regions: GB-ENG, GB-NIR, GB-SCT, GB-WLS\)", marker="GB-XYZ"),
    C("config", "country_name.yaml", 2, CFG + r"defaults\.country: 'Russia': write the country's code here, 'RU'", marker="Russia"),
    C("config", "unknown_holiday.yaml", 2, CFG + r"occasions\.1\.holiday: RU has no holiday named 'Defender of Fatherland Day', did you mean 'Defender of the Fatherland Day'\?", marker="holiday:"),
    # An unquoted date YAML cannot build (ruamel raised ValueError: "internal error", exit 3), wherever it is.
    C("config", "impossible_one_off_date.yaml", 2, CFG + r"occasions\.1\.on\.1: 2026-02-30 is not a real date: February has no 30th", marker="2026-02-30"),
    C("config", "impossible_day_off.yaml", 2, CFG + r"send_window\.extra_days_off\.1: 2026-02-29 is not a real date: 2026 is not a leap year", marker="2026-02-29"),
    C("config", "one_off_day_as_date.yaml", 2, CFG + r'occasions\.1\.date: `date` is a yearly "MM-DD" like "12-29"; for a single day use `on: \[2026-12-29\]`', marker="2026-12-29"),
    C("config", "invalid_month_day.yaml", 2, CFG + r"occasions\.1\.date: '02-30' is not a real day of the year", marker="02-30"),
    C("config", "two_whens.yaml", 2, r"greeter\.yaml:{line}:5: occasions\.0: an occasion needs exactly one of 'field', 'date', 'holiday', 'on' or 'ics' \(got field, date\)", marker="  - name: birthday"),
    C("config", "undefined_date_field.yaml", 2, CFG + r"occasions\.0\.field: date field 'birthdate' is not defined in contacts\.dates, did you mean `birthday`\?", marker="birthdate"),
    C("config", "date_format_words.yaml", 2, CFG + r'contacts\.date_formats\.0: \'dd\.mm\.yyyy\' has no strftime codes \(%d day, %m month, %Y year\); did you mean "%d\.%m\.%Y"\?', marker="dd.mm.yyyy"),
    C("config", "duplicate_occasion.yaml", 2, r"greeter\.yaml:{line}:5: occasions\.1\.name: occasion name 'birthday' is used twice", marker="  - name: birthday\n    date"),
    C("config", "no_occasions.yaml", 2, CFG + r"occasions: List should have at least 1 item after validation, not 0", marker="occasions:"),
    C("config", "missing_template.yaml", 2, CFG + r"occasions\.0\.template: template missing: templates/birthdya\.j2 .*, did you mean 'birthday'\?", marker="birthdya", counts=(3, 0)),
    C("config", "bad_template_name.yaml", 2, CFG + r"occasions\.0\.template: should be a template name without its suffix: Latin letters, digits, '_' and '-' \(got '\.\./\.\./etc/passwd'\)", marker="passwd"),
    C("config", "missing_contacts_file.yaml", 2, r"data/clients\.csv: contacts file not found"),
    # ------------------------------------------------------------------ contacts: whole-file problems
    C("contacts", "empty.csv", 2, r"data/contacts\.csv: the file is empty \(no header row\)"),
    C("contacts", "binary_garbage.csv", 2, r"data/contacts\.csv: cannot tell the text encoding \(set contacts\.encoding, e\.g\. cp1251\)"),
    C("contacts", "xlsx_renamed.csv", 2, r"data/contacts\.csv: this is an XLSX workbook, set contacts\.source: xlsx"),
    # A real Excel 97-2003 workbook (written by xlwt) named .csv: neither an encoding guess nor a crash.
    C("contacts", "xls_renamed.csv", 2, r"data/contacts\.csv: old Excel \.xls format; open it in Excel/LibreOffice and save as \.xlsx \(or export CSV\)"),
    C("contacts", "missing_column.csv", 2, r"data/contacts\.csv: column 'Email' \(contacts\.columns\.email\) not found \(the header has: ID, Фамилия, .*\)\. No row up to row 3 has all the configured columns\."),
    C("contacts", "typo_in_header.csv", 2, r"data/contacts\.csv: column 'Email' \(contacts\.columns\.email\) not found, did you mean 'E-mail'\? No row up to row 3 has all the configured columns\."),
    C("contacts", "header_only.csv", 0, counts=(0, 0)),
    C("contacts", "quote_in_header.csv", 2, r'data/contacts\.csv:row 1: the header row runs into the lines below it: a quote \("\) left open\?'),
    C("contacts", "nul_in_header.csv", 2, r"data/contacts\.csv:row 1: the header row contains a NUL character\. No row up to row 3 has all the configured columns\."),
    # A 1C report (Windows-1251): a title, a date line and a blank row above the header; once with a typo in it.
    C("contacts", "report_title.csv", 0, r"data/contacts\.csv: warning: rows 1–3 above the header are skipped \(the header is row 4, the first with every configured column\): 'Отчёт по контактам', 'Сформирован: 01\.12\.2026 10:00'; set contacts\.header_row: 4 to confirm it and silence this warning", counts=(3, 0)),
    C("contacts", "report_title_typo.csv", 2, r"data/contacts\.csv: column 'Email' \(contacts\.columns\.email\) not found, did you mean 'E-mail'\? No row up to row 7 has all the configured columns; row 4 has the most of them\."),
    # ------------------------------------------------------------------ contacts: encodings, delimiters, line ends
    C("contacts", "cp1251.csv", 0, counts=(3, 0)),
    C("contacts", "utf8_bom.csv", 0, counts=(2, 0)),
    C("contacts", "utf16.csv", 0, counts=(2, 0)),
    C("contacts", "comma_file.csv", 0, counts=(2, 0)),
    C("contacts", "crlf_line_ends.csv", 0, counts=(2, 0)),
    C("contacts", "mac_cr_line_ends.csv", 0, counts=(2, 0)),
    C("contacts", "blank_lines.csv", 0, counts=(2, 0)),
    # Values past the header's last column: a ';' inside a value shifted them, so the row is rejected.
    C("contacts", "extra_cells.csv", 1, r"data/contacts\.csv:row {line}: Дата рождения: 9 fields, the header has 7 — an unquoted delimiter inside a value\? the row is not loaded: 'лишнее' comes after this last column", marker="лишнее", counts=(2, 1)),
    C("contacts", "comma_delimiter_in_rows.csv", 1, r"data/contacts\.csv:row {line}: Email: 1 field where the header has 7: this row uses another delimiter than the header line; the row is skipped: '2,anna@example\.com,Смирнова,Анна,Ильинична,Asia/Vladivostok…'", marker="2,anna", counts=(2, 1)),
    # The file ends in the middle of its last row (no line break after it): still being written.
    C("contacts", "truncated_last_line.csv", 1, r"data/contacts\.csv:row {line}: Имя: the file ends in the middle of this row \(3 of 7 fields, the last one 'Петр', no line break after it\): it was probably still being written; the row is not loaded \(greeter reads it again next run; if the file is complete, end it with a line break\)", marker="3;oleg@example.com;Петр", counts=(2, 1)),
    # The open quote swallows the next line: the broken row is rejected, the rows before it load.
    C("contacts", "unbalanced_quotes.csv", 1, r"data/contacts\.csv:row {line}: Фамилия: contains a line break \(CR/LF\) — it would break the message headers; a quote \(\"\) left open joined the following line\(s\) into this field: 'Смирнова;Анна;Ильинична;Asia/Vladivostok;29\.02\.1980\\n3;oleg@…'", marker='"Смирнова', counts=(1, 1)),
    C("contacts", "quote_inside_field.csv", 0, counts=(3, 0)),
    # ------------------------------------------------------------------ contacts: bad rows among good ones
    C("contacts", "impossible_dates.csv", 0,
      r"data/contacts\.csv:row 4: Дата рождения: warning: '31\.02\.1980' is not a real date: February has no 31st; birthday greetings are skipped for this contact",
      r"data/contacts\.csv:row 5: Дата рождения: warning: '00\.00\.1980' is not a real date: there is no month 0; .*",
      r"data/contacts\.csv:row 8: Дата рождения: warning: 'первое мая' does not match contacts\.date_formats \(%d\.%m\.%Y, %Y-%m-%d, %d/%m/%Y\); .*",
      counts=(7, 0)),
    # Every birthday in a format not configured: each row warns, and the column is one error (check fails).
    C("contacts", "slash_dates.csv", 1,
      r"data/contacts\.csv:row 2: Дата рождения: warning: '1960/01/07' does not match contacts\.date_formats \(%d\.%m\.%Y, %Y-%m-%d, %d/%m/%Y\); read as \"%Y/%m/%d\" it is 7 January 1960 \(add it to contacts\.date_formats if the CRM writes dates so\); birthday greetings are skipped for this contact",
      r"data/contacts\.csv: Дата рождения: 3 of 3 values could not be read as dates \(contacts\.date_formats: %d\.%m\.%Y, %Y-%m-%d, %d/%m/%Y\); they look like \"%Y/%m/%d\" \(e\.g\. '1960/01/07'\): add it to contacts\.date_formats; no birthday greetings for these contacts",
      counts=(3, 0)),
    C("contacts", "slash_dates.csv", 0, r"data/contacts\.csv: Дата рождения: 3 of 3 values could not be read as dates .*", command=PREVIEW),  # preview's exit is as before
    C("contacts", "caps_names.csv", 0, counts=(3, 0)),
    C("contacts", "emails.csv", 1,
      r"data/contacts\.csv:row 4: Email: 'ivan petrov@example\.com' is not a valid e-mail address: it has a space, which no address has",
      r"data/contacts\.csv:row 6: Email: 'no-domain@' is not a valid e-mail address: nothing after the @ \(the domain, like mail\.ru, is missing\)",
      r"data/contacts\.csv:row 7: Email: warning: 'Иван <ivan2@example\.com>' is not a bare address \(a name with the address\); taken as 'ivan2@example\.com': write only the address",
      r"data/contacts\.csv:row 8: Email: 'a@b' is not a valid e-mail address: the domain 'b' has no dot .*",
      r"data/contacts\.csv:row 9: Email: warning: no e-mail; this contact will be skipped as no_email",
      counts=(6, 3)),  # user@пример.рф, the padded address and the one after a name load
    C("contacts", "duplicate_ids.csv", 1,
      r"data/contacts\.csv:row 4: ID: duplicate id '1' \(first seen on row 2\)",
      # A second contact with an address (a shared mailbox) loads without it: a warning, not a rejection.
      r"data/contacts\.csv:row 5: Email: warning: 'ANNA@example\.com' is already the e-mail of contact '2' \(row 3\), which keeps it: one address is greeted as one person, so this contact is loaded without an e-mail and skipped as no_email; give it its own address in the CRM, or clear this e-mail to say so",
      counts=(3, 1)),
    C("contacts", "shared_mailbox.csv", 0,
      r"data/contacts\.csv:row {line}: Email: warning: 'Office@example\.com' is already the e-mail of contact '1' \(row 2\), which keeps it: .*",
      marker="2;Office@", counts=(3, 0)),
    # Dates saved from Excel as numbers: each row says which day it would be, and the column is one error.
    C("contacts", "excel_serial_dates.csv", 1,
      r"data/contacts\.csv:row 2: Дата рождения: warning: '21922' looks like an Excel serial date \(1960-01-07\), not a date: format the column as dates in Excel before exporting it \(or export dates as text\); birthday greetings are skipped for this contact",
      r"data/contacts\.csv: Дата рождения: 3 of 3 values could not be read as dates \(contacts\.date_formats: %d\.%m\.%Y, %Y-%m-%d, %d/%m/%Y\); they look like Excel serial dates \(e\.g\. '21922' is 1960-01-07\): format the column as dates in Excel before exporting it \(or export dates as text\); no birthday greetings for these contacts",
      counts=(3, 0)),
    C("contacts", "empty_id.csv", 1, r"data/contacts\.csv:row {line}: ID: empty id: every contact needs one \(the CRM's client id\)", marker=";noid@", counts=(2, 1)),
    C("contacts", "control_chars.csv", 1,
      # The value is quoted with its control characters visible, so it can be found in the CRM.
      r"data/contacts\.csv:row 4: Фамилия: contains a line break \(CR/LF\) — it would break the message headers: 'Иванов\\r\\nBcc: victim@example\.com'",
      r"data/contacts\.csv:row 5: Фамилия: contains a NUL character: 'Ну\\x00лев'",
      r"data/contacts\.csv:row 6: Имя: contains a line break \(CR/LF\) — it would break the message headers: 'Олег\\nИгоревич'",
      counts=(2, 3)),
    C("contacts", "bad_timezone_in_row.csv", 0,
      r"data/contacts\.csv:row 4: Часовой пояс: warning: 'Moscow' read as Europe/Moscow; write Europe/Moscow in the CRM",
      r"data/contacts\.csv:row 5: Часовой пояс: warning: unknown time zone '\.\./\.\./etc/passwd': letters to this contact are timed in Europe/Moscow \(defaults\.timezone\); use an IANA name like 'Europe/Moscow'",
      counts=(4, 0)),
    C("contacts", "jinja_in_names.csv", 0, counts=(3, 0)),
    # RFC 2047 header syntax in a name: said as what it is, not as letters lost to '?' nor as a formula.
    C("contacts", "encoded_word_names.csv", 1,
      r"data/contacts\.csv:row 4: Фамилия: 'Ivanov =\?utf-8\?q\?=0D=0ABcc:_evil@x\.com\?=' contains a MIME encoded-word \(=\?…\?=, mail header syntax\), not a name; the row is not loaded: put the name itself in the CRM's field",
      r"data/contacts\.csv:row 5: Имя: '=\?UTF-8\?B\?0JjQstCw0L0=\?=' contains a MIME encoded-word \(=\?…\?=, mail header syntax\), not a name; the row is not loaded: put the name itself in the CRM's field",
      counts=(2, 2)),
    # 100,000 characters of surname: a pasted note, not a name — rejected at once, the rest load.
    C("contacts", "huge_name.csv", 1,
      r"data/contacts\.csv:row 4: Фамилия: 100,000 characters, more than the 500 any such field may have \(a note or a whole record pasted into it\?\): 'ЯЯЯ.*…'",
      counts=(2, 1)),
    C("contacts", "emails.csv", 1, r"data/contacts\.csv:row 4: Email: 'ivan petrov@example\.com' is not a valid e-mail address: .*", command=PREVIEW),
    C("contacts", "control_chars.csv", 1, r"data/contacts\.csv:row 5: Фамилия: contains a NUL character: 'Ну\\x00лев'", command=PREVIEW),
    # ------------------------------------------------------------------ templates (each replaces birthday.j2)
    # A mistake in a template is a problem check reports, found before any letter (exit 1, as
    # the render failures below): only a config naming no template or folder is exit 2.
    C("templates", "syntax_error.j2", 1, r"birthday\.j2:{line}:1: syntax error: Expected an expression, got 'end of statement block'", marker="{% if %}", counts=(3, 0)),
    C("templates", "unclosed_block.j2", 1, r"birthday\.j2:6:1: syntax error: Encountered unknown tag 'endblock'\..*'endfor'.*", counts=(3, 0)),  # the text block's end
    C("templates", "unknown_filter.j2", 1, r"birthday\.j2:{line}:1: syntax error: No filter named 'shout'\.", marker="shout", counts=(3, 0)),
    C("templates", "safe_filter.j2", 1, r"birthday\.j2:{line}:1: syntax error: No filter named 'safe'\.", marker="|safe", counts=(3, 0)),
    C("templates", "autoescape_tag.j2", 1, r"birthday\.j2:{line}:1: syntax error: \{% autoescape %\} is not allowed: HTML is always escaped, text never", marker="autoescape false", counts=(3, 0)),
    C("templates", "text_outside_blocks.j2", 1, r"birthday\.j2:{line}:1: text outside a block is never rendered .*", marker="Забытый текст", counts=(3, 0)),
    C("templates", "no_text_block.j2", 1, r"birthday\.j2: no \{% block text %\} \(nor in what it extends\)", counts=(3, 0)),
    C("templates", "empty.j2", 1, r"birthday\.j2: no \{% block subject %\} \(nor in what it extends\)", counts=(3, 0)),
    C("templates", "extends_itself.j2", 1, r"birthday\.j2: \{% extends %\} loop: birthday\.j2 → birthday\.j2", counts=(3, 0)),
    C("templates", "include_outside.j2", 1, r"birthday\.j2:{line}:1: template not found: \.\./\.\./\.\./\.\./etc/passwd", marker="include", counts=(3, 0)),
    C("templates", "cp1251.j2", 1, r"birthday\.j2:1:1: not UTF-8 text \(invalid continuation byte\); save the file as UTF-8", counts=(3, 0)),
    # Render-time failures: one problem each, naming the contacts it hits; the check completes (exit 1).
    C("templates", "undefined_variable.j2", 1, r"birthday\.j2:{line}:1: undefined: 'manager_name' is undefined \(known: addressee, also, belated, closing, contact, .*\) \(3 contacts: 1, 2, 3\)", marker="manager_name", counts=(3, 0)),
    C("templates", "undefined_attribute.j2", 1, r"birthday\.j2:{line}:1: undefined: 'contact' has no attribute 'nickname' \(known: company, dates, .*\) \(3 contacts: 1, 2, 3\)", marker="nickname", counts=(3, 0)),
    C("templates", "empty_subject.j2", 1, r"birthday\.j2: the subject block rendered empty \(3 contacts: 1, 2, 3\)", counts=(3, 0)),
    C("templates", "division_by_zero.j2", 1, r"birthday\.j2:{line}:1: ZeroDivisionError: division by zero \(3 contacts: 1, 2, 3\)", marker="1 / 0", counts=(3, 0)),
    C("templates", "mro_escape.j2", 1, r"birthday\.j2:{line}:1: refused by the sandbox: access to attribute '__class__' of 'str' object is unsafe\. \(3 contacts: 1, 2, 3\)", marker="__mro__", counts=(3, 0)),
    C("templates", "attr_format.j2", 1, r"birthday\.j2:{line}:1: refused by the sandbox: refusing to print a function: .* \(3 contacts: 1, 2, 3\)", marker="attr(", counts=(3, 0)),
    C("templates", "format_call.j2", 1, r"birthday\.j2:{line}:1: refused by the sandbox: access to attribute '__init__' .* is unsafe\. \(3 contacts: 1, 2, 3\)", marker=".format(", counts=(3, 0)),
    C("templates", "cycler_globals.j2", 1, r"birthday\.j2:{line}:1: refused by the sandbox: access to attribute '__init__' of 'type' object is unsafe\. \(3 contacts: 1, 2, 3\)", marker="cycler", counts=(3, 0)),
    C("templates", "private_contact.j2", 1, r"birthday\.j2:{line}:1: refused by the sandbox: access to attribute '_contact' of 'ContactView' object is unsafe\. \(3 contacts: 1, 2, 3\)", marker="_contact", counts=(3, 0)),
    C("templates", "mutate_list.j2", 1, r"birthday\.j2:{line}:1: refused by the sandbox: access to attribute 'append' of 'list' object is unsafe\. \(3 contacts: 1, 2, 3\)", marker="append", counts=(3, 0)),
    C("templates", "range_huge.j2", 1, r"birthday\.j2:{line}:1: refused by the sandbox: Range too big\. .*MAX_RANGE \(100000\)\. \(3 contacts: 1, 2, 3\)", marker="range(", counts=(3, 0)),
    C("templates", "repeat_huge.j2", 1, r"birthday\.j2:{line}:1: refused by the sandbox: '\*' would build a sequence longer than 100,000 \(3 contacts: 1, 2, 3\)", marker="10**9", counts=(3, 0)),
    C("templates", "power_huge.j2", 1, r"birthday\.j2:{line}:1: refused by the sandbox: '\*\*' result would exceed 4096 bits \(3 contacts: 1, 2, 3\)", marker="10**1000000", counts=(3, 0)),
    C("templates", "lipsum_huge.j2", 1, r"birthday\.j2:{line}:1: refused by the sandbox: lipsum is capped at 100 paragraphs of 1000 words \(3 contacts: 1, 2, 3\)", marker="lipsum", counts=(3, 0)),
    # Branches only some letters reach (early, belated, merged, a jubilee): check renders those forms
    # for a few contacts, and says which form failed.
    C("templates", "typo_in_early_branch.j2", 1, r"birthday\.j2:{line}:1: undefined: 'contakt' is undefined, did you mean 'contact'\? \(in a letter sent early, before its day; tried for contacts 1, 2, 3\)", marker="contakt", counts=(3, 0)),
    C("templates", "typo_in_belated_branch.j2", 1, r"birthday\.j2:{line}:1: undefined: 'belatd' is undefined, did you mean 'belated'\? \(in a letter sent late \(belated\); tried for contacts 1, 2, 3\)", marker="belatd", counts=(3, 0)),
    C("templates", "typo_in_also_branch.j2", 1, r"birthday\.j2:{line}:1: undefined: 'alsoo' is undefined, did you mean 'also'\? \(in a letter merged with new_year; tried for contacts 1, 2, 3\)", marker="alsoo", counts=(3, 0)),
    C("templates", "typo_in_jubilee_branch.j2", 1, r"birthday\.j2:{line}:1: undefined: 'jubilee_word' is undefined \(known: .*\) \(in a letter for years=50; tried for contacts 1, 2, 3\)", marker="jubilee_word", counts=(3, 0)),
    C("templates", "plural_two_forms.j2", 1, r"birthday\.j2:{line}:1: plural needs 3 forms in Russian \(one\|few\|many, e\.g\. 'год\|года\|лет'\), or 4 \(one\|few\|many\|other\), got 2: 'год\|года' \(3 contacts: 1, 2, 3\)", marker="plural(", counts=(3, 0)),
    C("templates", "date_of_undefined.j2", 1, r"birthday\.j2:{line}:1: undefined: 'contact' has no attribute 'birthday', did you mean 'contact\.dates\.birthday'\? \(3 contacts: 1, 2, 3\)", marker="contact.birthday", counts=(3, 0)),
    C("templates", "no_message_block.j2", 1, r"birthday\.j2: block 'message' is missing \(the layout _layout\.html\.j2 needs it, line 26\)", counts=(3, 0)),
    # preview: the broken letter is a render_error skip (exit 1), the other letters still render.
    C("templates", "mro_escape.j2", 1, command=PREVIEW),
    C("templates", "undefined_variable.j2", 1, command=PREVIEW),
    C("templates", "typo_in_early_branch.j2", 1, command=PREVIEW),  # contact 1's letter of 30.12, new_year in it
]  # fmt: skip


def project(tmp_path: Path, case: Case | None = None) -> Path:
    """A small project with the case's bad file in place of the good one; returns the config path."""
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    (tmp_path / "data").mkdir()
    shutil.copy(BAD / "base.yaml", tmp_path / "greeter.yaml")
    shutil.copy(BAD / "contacts.csv", tmp_path / "data" / "contacts.csv")
    if case is not None:
        target = {
            "config": tmp_path / "greeter.yaml",
            "contacts": tmp_path / "data" / "contacts.csv",
            "templates": tmp_path / "templates" / "birthday.j2",
        }[case.kind]
        shutil.copy(BAD / case.kind / case.file, target)
    return tmp_path / "greeter.yaml"


def greeter(config: Path, *args: str) -> tuple[int, str, str]:
    """``python -m greeter --config greeter.yaml ARGS`` in the project's folder: (exit code, stdout, stderr)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "GREETER_CONFIG": ""}
    result = subprocess.run(
        [sys.executable, "-m", "greeter", "--config", config.name, *args],
        cwd=config.parent,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=120,
        env=env,
        check=False,
    )
    return result.returncode, result.stdout, result.stderr


def greeter_in_process(config: Path, *args: str) -> tuple[int, str, str]:
    """The same entry point (``greeter.cli.main``, which ``python -m greeter`` calls) without ~0.7 s
    of interpreter start-up per case; an exception escaping ``main`` comes back as a traceback."""
    from click.testing import CliRunner

    from greeter.cli import main

    cwd = Path.cwd()
    os.chdir(config.parent)  # messages name files as the user typed them
    try:
        result = CliRunner().invoke(main, ["--config", config.name, *args], env={"GREETER_CONFIG": None})
    finally:
        os.chdir(cwd)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        crash = "".join(traceback.format_exception(result.exception))
        return 1, result.stdout, result.stderr + "Traceback (most recent call last):\n" + crash
    return result.exit_code, result.stdout, result.stderr


def marker_line(case: Case) -> int:
    """1-based line of the first occurrence of ``case.marker`` in the bad file."""
    assert case.marker is not None
    data = (BAD / case.kind / case.file).read_bytes()
    marker = case.marker.encode("utf-8")
    if marker not in data:  # the cp1251 files: look for the marker in their own encoding
        marker = case.marker.encode("cp1251")
    at = data.index(marker)
    return data.count(b"\n", 0, at) + 1


#: Configs that load but name a contacts file check cannot read: it stops there, with no summary
#: (a ContactsError, not the loader's refusal that ``check --json`` summarises).
def check_case(case: Case, code: int, out: str, err: str) -> None:
    assert "Traceback" not in out + err and "internal error" not in err, err
    assert code == case.code, err
    lines = [line for line in err.splitlines() if line.strip()]
    for line in lines:  # every problem is one located line, never a multi-line dump
        assert LOCATED.match(line), line
    for pattern in case.expect:
        if "{line}" in pattern:
            pattern = pattern.replace("{line}", str(marker_line(case)))
            pattern = pattern.replace("{above}", str(marker_line(case) - 1))
        assert any(re.fullmatch(pattern, line) for line in lines), f"{pattern!r} not in:\n{err}"
    if case.code == 2 and case.counts is None and case.command == ("check", "--json"):
        # A config the loader refuses — or a contacts file that cannot be read at all — is still
        # summarised (a CI's `check --json | jq .errors`): its problems, the lines on stderr,
        # nothing else checked.
        summary = json.loads(out)
        assert summary["problems"] == lines and summary["errors"] == summary["config_problems"] >= 1, summary
        assert (summary["rows_read"], summary["renders"], summary["databases"]) == (0, 0, {}), summary
    elif case.code == 2 and case.counts is None:
        assert out == "", "an unusable config or contacts file prints problems only"
    if case.command[0] == "check" and case.counts is not None:
        summary = json.loads(out)
        assert (summary["contacts_loaded"], summary["rows_rejected"]) == case.counts, summary
        # Every rejected row is listed as its own located problem.
        rejected = [p for p in summary["problems"] if ":row " in p and "warning:" not in p]
        assert len(rejected) == summary["rows_rejected"], summary["problems"]
    if case.command[0] == "preview":
        drafts = json.loads(out)
        assert any(d["status"] == "send" and d["text"] for d in drafts), "good letters still render"
        if case.kind == "templates":
            broken = [d for d in drafts if d["reason"] == "render_error"]
            letters = [d for d in broken if d["template"] == "birthday"]
            assert letters and all(d["detail"] for d in letters), broken
            # What a broken letter carries is not sent either, and says why.
            carried = {(d["contact_id"], o) for d in letters for o in d["merged_with"]}
            assert carried <= {(d["contact_id"], d["occasion"]) for d in broken}, drafts
            for d in broken:
                if d["template"] != "birthday":
                    assert d["merged_with"] == ["birthday"], d
                    assert d["detail"].startswith("merged into birthday, whose letter failed to render: "), d


#: Every case runs in-process; GREETER_TEST_SUBPROCESS=1 runs each as a real process instead.
ALL_IN_SUBPROCESSES = os.environ.get("GREETER_TEST_SUBPROCESS") == "1"
#: The real ``python -m greeter`` for one case of each (kind, exit code, command), compared with
#: the in-process run: what the table checks is what a user sees (exit status, stderr).
SMOKE = list({(c.kind, c.code, c.command[0]): c for c in CASES}.values())


def test_every_file_of_the_corpus_is_in_the_table() -> None:
    files = {f"{p.parent.name}/{p.name}" for p in BAD.glob("*/*") if p.is_file()}
    assert files == {case.id for case in CASES}
    assert len(CASES) >= 100  # the size of the corpus shows in the test ids


@pytest.mark.parametrize("case", CASES, ids=[f"{c.id}:{c.command[0]}" for c in CASES])
def test_bad_input(case: Case, tmp_path: Path) -> None:
    run = greeter if ALL_IN_SUBPROCESSES else greeter_in_process
    check_case(case, *run(project(tmp_path, case), *case.command))


@pytest.mark.parametrize("case", SMOKE, ids=[f"{c.id}:{c.command[0]}" for c in SMOKE])
def test_bad_input_through_a_real_process(case: Case, tmp_path: Path) -> None:
    code, out, err = greeter(project(tmp_path, case), *case.command)
    check_case(case, code, out, err)
    again = greeter_in_process(project(tmp_path / "again", case), *case.command)
    assert (again[0], again[2]) == (code, err)


# --------------------------------------------------------------------------- what the good rows become


def preview(tmp_path: Path, contacts: str) -> list[dict[str, Any]]:
    code, out, err = greeter_in_process(project(tmp_path, Case("contacts", contacts, 0)), *PREVIEW)
    assert "Traceback" not in err and code in (0, 1), err
    drafts: list[dict[str, Any]] = json.loads(out)
    return drafts


@pytest.mark.parametrize("file", ["cp1251.csv", "utf8_bom.csv", "utf16.csv", "mac_cr_line_ends.csv"])
def test_encodings_and_line_ends_give_the_same_letters(tmp_path: Path, file: str) -> None:
    names = {d["name"] for d in preview(tmp_path, file) if d["status"] == "send"}
    assert {"Иван Петрович Иванов", "Анна Ильинична Смирнова"} <= names


def test_names_in_capitals_or_lower_case_are_addressed_the_usual_way(tmp_path: Path) -> None:
    letters = {d["contact_id"]: d for d in preview(tmp_path, "caps_names.csv") if d["status"] == "send"}
    assert {c: letters[c]["name"] for c in ("1", "2", "3")} == {
        "1": "Иван Петрович Иванов",
        "2": "Анна Ильинична Смирнова",
        "3": "Эльдар Гусейн оглы Мамедов",
    }
    assert "Уважаемый Иван Петрович!" in letters["1"]["text"]
    assert "Уважаемая Анна Ильинична!" in letters["2"]["text"]
    assert "Уважаемый Эльдар Гусейн оглы!" in letters["3"]["text"]


def test_template_code_in_a_name_is_printed_as_typed(tmp_path: Path) -> None:
    letter = next(
        d for d in preview(tmp_path, "jinja_in_names.csv") if d["contact_id"] == "3" and d["status"] == "send"
    )
    for part in ("{{ 7*7 }}", "{% for x in range(3) %}Ы{% endfor %}"):
        assert part in letter["name"]
    assert "49" not in letter["subject"] + letter["text"]
    assert "ЫЫЫ" not in letter["subject"] + letter["text"]
    assert "{{ 7*7 }}" in letter["html"]  # in the HTML part too, as text


def test_an_idn_address_loads_and_is_greeted(tmp_path: Path) -> None:
    letters = {d["contact_id"]: d for d in preview(tmp_path, "emails.csv") if d["status"] == "send"}
    assert letters["4"]["email"] == "user@xn--e1afmkfd.xn--p1ai"  # user@пример.рф: its ASCII (IDNA) form
    assert letters["9"]["email"] == "spaced@example.com"  # the spaces around it are trimmed
    assert letters["6"]["email"] == "ivan2@example.com"  # "Иван <ivan2@example.com>": the one address in it
    assert {"3", "5", "7"}.isdisjoint(letters)  # rejected rows are never greeted


def test_future_and_implausible_birthdays_are_invalid_contact_not_greetings(tmp_path: Path) -> None:
    drafts = preview(tmp_path, "impossible_dates.csv")
    birthdays = {d["contact_id"]: d for d in drafts if d["occasion"] == "birthday"}
    assert (birthdays["5"]["reason"], birthdays["6"]["reason"]) == ("invalid_contact", "invalid_contact")
    assert "01.01.2999 is in the future" in birthdays["5"]["detail"]
    assert "more than 120" in birthdays["6"]["detail"]
    # A birthday in 2999 has no anniversary number ("-972 years"); a too-old one keeps its count.
    assert birthdays["5"]["years"] is None and birthdays["6"]["years"] > 120
    greeted = {d["contact_id"] for d in drafts if d["status"] == "send"}
    assert greeted == {"1", "2", "3", "4", "5", "6", "7"}  # for New Year they are still greeted
