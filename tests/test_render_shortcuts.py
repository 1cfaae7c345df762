"""The per-letter and per-process shortcuts of rendering and building give what the long way gives.

Each shortcut (a memo, a cache, a cheaper exact equivalent) is checked here
against the result it replaces, on the inputs where a wrongly keyed cache
would serve a stale or foreign entry: the same name in another case or
another set of parts, another contact after the first, the same instant in
another time zone, the same locale spelling with another default.
"""

from __future__ import annotations

import base64
import re
from datetime import UTC, date, datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jinja2.compiler import CodeGenerator
from markupsafe import Markup, escape

from greeter.addressing import decline
from greeter.contacts import UNSAFE_IN_HEADER, Contact
from greeter.errors import TemplateError
from greeter.i18n import normalize_locale
from greeter.message import _base64_body, build_message
from greeter.plan_types import Hit, PlanItem, Rendered
from greeter.render import Renderer
from greeter.template_blocks import tidy_text as _tidy_text
from greeter.template_env import Sandbox
from greeter.template_markup import escape_html as _escape
from tests.test_render import SENDER, person, write

NAMES = (
    "{{ contact|name('dative') }}|{{ contact|name('genitive') }}|{{ contact|name('dative', 'full') }}"
    "|{{ contact|name('dative', 'last') }}|{{ contact|name }}"
)


def letter(contact: Contact) -> PlanItem:
    hit = Hit(contact, "names", date(2026, 12, 15), 15, 100, "names")
    return PlanItem(hit=hit, status="send", send_at=None, also=(), belated=False)


def expected_names(contact: Contact) -> str:
    forms = [("dative", "first_patronymic"), ("genitive", "first_patronymic"), ("dative", "full")]
    forms += [("dative", "last"), ("nominative", "first_patronymic")]
    return "|".join(decline(contact, case, parts=parts) for case, parts in forms)


def test_each_case_and_parts_of_a_name_is_its_own_and_each_letter_names_its_own_contact(
    tmp_path: Path,
) -> None:
    """The name memo is keyed on case *and* parts, and lives with one letter.

    Fails with a memo keyed on the case alone (``dative`` full would print the
    first+patronymic form), on the parts alone, or kept across letters (the
    second contact would be greeted with the first one's name).
    """
    renderer = write(
        tmp_path,
        {
            "names.j2": (
                f"{{% block subject %}}{NAMES}{{% endblock %}}"
                f"{{% block text %}}{NAMES}{{% endblock %}}"
                f"{{% block html %}}<b>{NAMES}</b>{{% endblock %}}"
            )
        },
    )
    ivan = person("1", "Иван", "Петрович", "Сидоров")
    anna = person("2", "Анна", "Ильинична", "Кузнецова")
    for contact in (ivan, anna, ivan):
        want = expected_names(contact)
        rendered = renderer.render(letter(contact))
        assert rendered.subject == want
        assert rendered.text == want
        assert rendered.html == f"<b>{want}</b>"
    assert expected_names(ivan) != expected_names(anna)
    assert len(set(expected_names(ivan).split("|"))) == 5  # five different forms


def test_a_name_that_needs_escaping_is_escaped_in_html_only(tmp_path: Path) -> None:
    """The memo holds the plain name; the text part must not get the HTML part's escaped one."""
    renderer = write(
        tmp_path,
        {
            "names.j2": (
                "{% block subject %}{{ contact|name }}{% endblock %}"
                "{% block text %}{{ contact|name }}{% endblock %}"
                "{% block html %}{{ self.subject() }}/{{ contact|name }}{% endblock %}"
            )
        },
    )
    rendered = renderer.render(letter(person("x", "<Ann & 'Jo'>", "", "Lee")))
    assert rendered.subject == rendered.text == "<Ann & 'Jo'>"
    assert rendered.html == "&lt;Ann &amp; &#39;Jo&#39;&gt;/&lt;Ann &amp; &#39;Jo&#39;&gt;"


def test_a_locale_spelling_falls_back_to_the_default_it_is_given_each_time() -> None:
    """The locale cache is keyed on the spelling only; the caller's default is applied after it.

    Fails if the fallback were cached with the spelling (the second call would
    get the first call's default).
    """
    assert normalize_locale("zz-nonsense", "ru") == "ru"
    assert normalize_locale("zz-nonsense", "en") == "en"
    assert normalize_locale("sr-RS", "ru") == "sr_Cyrl_RS"
    assert normalize_locale("sr_Latn_RS", "ru") == "sr_Latn_RS"
    assert normalize_locale("en-GB", "ru") == "en_GB"
    assert normalize_locale(None, "de") == "de"


def built_date(moment: datetime) -> str:
    rendered = Rendered(subject="Hi", text="Hello", html=None, template_file="t.j2", locale="en")
    data = build_message(
        rendered,
        to_email="a@example.com",
        to_name="A",
        sender=SENDER,
        message_id="<x@example.com>",
        date=moment,
    )
    found = re.search(rb"\r\nDate: ([^\r]*)\r\n", data)
    assert found is not None
    return found.group(1).decode()


def test_the_date_header_is_the_moment_in_utc_cached_by_clock_and_offset() -> None:
    """The Date header writes each moment in UTC; its cache is keyed on wall-clock second and offset.

    Fails with a cache keyed on the wall clock alone (11:00 in Moscow and 11:00
    in UTC are different moments), and with a header that keeps the moment's own
    offset (a preview's ``+0300`` beside the sent letter's ``+0000``).
    """
    moscow = timezone(timedelta(hours=3))
    instant = datetime(2027, 4, 14, 11, 0, 0, tzinfo=moscow)
    same_instant_utc = instant.astimezone(UTC)
    same_clock_utc = instant.replace(tzinfo=UTC)
    for moment in (instant, same_instant_utc, same_clock_utc, instant, instant.replace(microsecond=999_999)):
        assert built_date(moment) == format_datetime(moment.astimezone(UTC))
    assert built_date(instant) == built_date(same_instant_utc) == "Wed, 14 Apr 2027 08:00:00 +0000"
    assert built_date(same_clock_utc) == "Wed, 14 Apr 2027 11:00:00 +0000"
    # Odd offsets (seconds) are converted as astimezone converts them.
    odd = datetime(2027, 4, 14, 11, 0, 5, tzinfo=timezone(timedelta(hours=5, minutes=30, seconds=7)))
    assert built_date(odd) == format_datetime(odd.astimezone(UTC))
    for second in range(70):  # past the cache's bound: old entries go, new ones are right
        moment = instant + timedelta(seconds=second, microseconds=second)
        assert built_date(moment) == format_datetime(moment.astimezone(UTC))


class _Html:
    def __html__(self) -> str:
        return "<i>x</i>"


@given(st.text(alphabet=st.sampled_from("&<>'\"a б\n\u2028;#x")))
def test_escape_shortcut_is_markupsafe_escape(text: str) -> None:
    """What the HTML templates print is escaped exactly as markupsafe escapes it."""
    for value in (text, Markup(text), escape(text)):
        got = _escape(value)
        assert type(got) is Markup
        assert got == escape(value)


def test_escape_shortcut_for_other_types() -> None:
    for value in (15, 2.5, date(2026, 12, 15), _Html(), None, ["<a>"], Markup("<b>") + "<c>"):
        got = _escape(value)
        assert type(got) is Markup
        assert got == escape(value)


def _old_tidy_text(text: str) -> str:
    lines = "\n".join(line.rstrip() for line in text.splitlines()).strip()
    return re.sub(r"\n{3,}", "\n\n", lines)


@given(st.text(alphabet=st.sampled_from("\n\n\n \t\ra\u2028\x0b\x1c\u3000")))
def test_text_tidying_is_the_regex_it_replaced(text: str) -> None:
    assert _tidy_text(text) == _old_tidy_text(text)


def test_super_and_block_stacks_stay_per_letter(tmp_path: Path) -> None:
    """Blocks overriding a layout's with super() render alike for every letter (shared stacks)."""
    renderer: Renderer = write(
        tmp_path,
        {
            "_base.j2": (
                "{% block subject %}base {{ contact.first_name }}{% endblock %}"
                "{% block text %}T{{ self.subject() }}{% endblock %}"
                "{% block html %}<p>{{ self.subject() }}</p>{% endblock %}"
            ),
            "names.j2": ('{% extends "_base.j2" %}{% block subject %}{{ super() }} + child{% endblock %}'),
        },
    )
    for name in ("Ann", "Bob", "Ann"):
        rendered = renderer.render(letter(person(name, name, "", "Lee")))
        assert rendered.subject == f"base {name} + child"
        assert rendered.text == f"Tbase {name} + child"
        assert rendered.html == f"<p>base {name} + child</p>"


def _old_base64_body(text: str) -> bytes:
    encoded = base64.b64encode(text.encode("utf-8"))
    if not encoded:
        return b""
    return b"\r\n".join([encoded[i : i + 76] for i in range(0, len(encoded), 76)]) + b"\r\n"


@given(st.text(alphabet=st.sampled_from("aб€😀\n"), max_size=400))
def test_base64_body_is_the_slicing_it_replaced(text: str) -> None:
    """The same lines as the slicing loop over the text's canonical CRLF form (RFC 2045 §6.8)."""
    assert _base64_body(text) == _old_base64_body(text.replace("\n", "\r\n"))


def _text_crlf_base64_body(text: str) -> bytes:
    """What _base64_body was before it made the line breaks CRLF in the bytes: in the text."""
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    return _old_base64_body(text.replace("\n", "\r\n"))


@given(st.text(alphabet=st.sampled_from("aб€😀\n\r\x85\u2028"), max_size=400))
def test_base64_body_makes_crlf_in_the_bytes_as_it_did_in_the_text(text: str) -> None:
    """UTF-8 writes CR and LF as themselves and no other character with those bytes: same letter."""
    assert _base64_body(text) == _text_crlf_base64_body(text)


def test_base64_body_at_line_boundaries() -> None:
    for size in (0, 1, 56, 57, 58, 113, 114, 115, 171, 5_000):
        text = "x" * size
        assert _base64_body(text) == _old_base64_body(text)  # no line break: nothing to canonicalise


def test_every_printable_character_is_allowed_in_a_header_and_no_forbidden_one_is_printable() -> None:
    """``validate_header_value`` and the folding fast path accept printable text without the regex.

    That is only sound if no character the regex forbids is printable: every
    code point is checked. (ASCII: printable is exactly "not forbidden".)
    """
    printable_forbidden = [
        hex(code)
        for code in range(0x110000)
        if chr(code).isprintable() and UNSAFE_IN_HEADER.search(chr(code))
    ]
    assert printable_forbidden == []
    ascii_mismatch = [
        code for code in range(128) if chr(code).isprintable() != (UNSAFE_IN_HEADER.search(chr(code)) is None)
    ]
    assert ascii_mismatch == []


def test_the_name_memo_is_out_of_templates_reach(tmp_path: Path) -> None:
    """The memo is an underscore field: the sandbox refuses to read it, as ``_contact``."""
    renderer = write(
        tmp_path,
        {
            "names.j2": (
                "{% block subject %}{{ contact|name }}{{ contact._names }}{% endblock %}"
                "{% block text %}T{% endblock %}"
            )
        },
    )
    with pytest.raises(TemplateError, match="_names"):
        renderer.render(letter(person("1", "Иван", "Петрович", "Сидоров")))


#: Templates calling ``self.<name>()`` every way the compiled shortcut must treat like Jinja,
#: and printing values of every kind (one call for escape/str and finalize).
SELF_CALLS = {
    "printed_values": (
        "{% block subject %}S{% endblock %}"
        "{% block text %}{{ 7 }} {{ 1.5 }} {{ occasion_date }} {{ contact }} <{{ '&' }}> "
        "{{ contact.first_name|upper }} {{ [1, 2]|join(',') }}{% endblock %}"
        "{% block html %}{{ 7 }} {{ 1.5 }} {{ occasion_date }} {{ contact }} <{{ '&\"' }}> "
        "{{ contact.first_name|upper }} {{ ['<', 2]|join(',') }} {{ 'a\nb'|nl2br }}{% endblock %}"
    ),
    "printed_none": "{% block subject %}S{% endblock %}{% block text %}{{ occasion_title }}{% endblock %}",
    "printed_list_in_html": (
        "{% block subject %}S{% endblock %}{% block text %}T{% endblock %}{% block html %}{{ also }}{% endblock %}"
    ),
    "printed_function": "{% block subject %}S{% endblock %}{% block text %}{{ self.subject }}{% endblock %}",
    "blocks": (
        "{% block subject %}S {{ contact.first_name }}{% endblock %}"
        "{% block text %}{{ self.subject() }}|{{ self.subject() }}"
        "{% for i in [1, 2] %}/{{ self.subject() }}{% endfor %}{% endblock %}"
        "{% block html %}<b>{{ self.subject() }}</b>{% endblock %}"
    ),
    "missing_block": "{% block subject %}S{% endblock %}{% block text %}{{ self.nope() }}{% endblock %}",
    "private_block": "{% block subject %}S{% endblock %}{% block _x %}X{% endblock %}"
    "{% block text %}{{ self._x() }}{% endblock %}",
    "self_is_a_macro_argument": (  # a block of that name exists: the check passes, the render fails
        "{% block subject %}S{% endblock %}{% block first_name %}F{% endblock %}{% block text %}"
        "{% macro m(self) %}{{ self.first_name() }}{% endmacro %}{{ m(contact) }}{% endblock %}"
    ),
    "self_is_a_macro_argument_with_the_method": (
        "{% block subject %}S{% endblock %}{% block upper %}F{% endblock %}{% block text %}"
        "{% macro m(self) %}{{ self.upper() }}{% endmacro %}{{ m(contact.first_name) }}{% endblock %}"
    ),
    "self_passed_to_a_macro": (
        "{% block subject %}S <i>{% endblock %}{% block text %}"
        "{% macro m(self) %}[{{ self.subject() }}]{% endmacro %}{{ m(self) }}{% endblock %}"
        "{% block html %}{% macro m(self) %}[{{ self.subject() }}]{% endmacro %}{{ m(self) }}{% endblock %}"
    ),
}


def _render_or_error(directory: Path, source: str) -> object:
    renderer = write(directory, {"names.j2": source})
    try:
        return renderer.render(letter(person("1", "Иван", "Петрович", "Сидоров")))
    except TemplateError as exc:
        return str(exc)


@pytest.mark.parametrize("case", sorted(SELF_CALLS))
def test_templates_render_as_jinja_compiles_them(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What greeter's code generator compiles gives what Jinja's own code gives.

    ``self.<name>()`` is one ``call_self_block``, a printed value one call.

    The oracle is the same renderer with Jinja's stock code generator (a
    sandbox getattr, then a sandbox call): the letter, or the error, is the same
    for a block, a missing block, an underscore name the sandbox refuses, and a
    macro argument named ``self`` (the shortcut's fallback).
    """
    for folder in ("ours", "stock"):
        (tmp_path / folder).mkdir()
    ours = _render_or_error(tmp_path / "ours", SELF_CALLS[case])
    monkeypatch.setattr(Sandbox, "code_generator_class", CodeGenerator)
    stock = _render_or_error(tmp_path / "stock", SELF_CALLS[case])
    assert ours == stock
