"""``greeter check`` judges header values by the message builder's own rule, as ``send`` does.

A penetration test found check saying OK to a config whose every letter
``send`` then held: ``sender.name`` holding U+2028 and ``Bcc:``, an
``unsubscribe.url`` that closes the header's ``<…>`` and opens a link of its
own. The config's header values are now refused when the config loads, with
the builder's words (:mod:`greeter.message`), at the setting's line: exit 2
for check and send alike. What only a letter can tell (a subject the template
makes unsafe) check finds by building each rendered letter's headers: exit 1.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from greeter.cli import main
from greeter.config_loader import load_settings
from greeter.errors import ConfigError
from tests.conftest import TODAY, MakeProject, contact_row

NOW = "2027-04-14T11:00:00+03:00"  # the day after the birthday below: a one-day-late catch-up, due at once
SECRET = {"GREETER_TEST_UNSUB_SECRET": "s" * 44}
#: A contact whose birthday letter is due at NOW.
ROWS = [contact_row("1", "ivan@example.com", birthday="13.04.1980")]
LONG_ADDRESS = "m" * 250 + "evil@romashka.example"  # a valid-looking address of 271 characters

#: (config changes, the setting, what is said): each value passed the loader and check, and
#: ``send`` then held every letter for it. Each holds "evil", to tell its line from the same key's
#: elsewhere in the file (``name:`` of sender.by_locale.en, of the occasions).
BAD = [
    pytest.param(
        {"sender": {"name": "Ромашка\u2028Bcc: evil@attacker.example"}},
        "sender.name",
        r"control or line-break character U\+2028: a header is one line, and send would hold every letter",
        id="sender-name-u2028",
    ),
    pytest.param(
        {"sender": {"by_locale": {"en": {"name": "Romashka \u202eevil"}}}},
        "sender.by_locale.en.name",
        r"control or line-break character U\+202E",
        id="localized-from-name-direction-override",
    ),
    pytest.param(
        {"sender": {"name": "Ромашка\x1bevil"}},
        "sender.name",
        r"control or line-break character U\+001B",
        id="sender-name-escape",
    ),
    pytest.param(
        {
            "unsubscribe": {
                "url": "https://greet.romashka.example/unsub>, <mailto:evil@attacker.example",
                "secret_env": "GREETER_TEST_UNSUB_SECRET",
            }
        },
        "unsubscribe.url",
        r"not a plain https:// URL: no letter's List-Unsubscribe: header can carry it",
        id="unsubscribe-url-closes-the-link",
    ),
    pytest.param(
        {"unsubscribe": {"mailto": "mailto:unsubscribe@romashka.example?subject=x>,<https://evil.example"}},
        "unsubscribe.mailto",
        r"not a plain mailto: URI",
        id="unsubscribe-mailto-closes-the-link",
    ),
    pytest.param(
        {"unsubscribe": {"mailto": "mailto:unsubscribe@romashka.example?subject=отписка-evil"}},
        "unsubscribe.mailto",
        r"not a plain mailto: URI",
        id="unsubscribe-mailto-non-ascii-query",
    ),
    pytest.param(
        {"sender": {"reply_to": LONG_ADDRESS}},
        "sender.reply_to",
        r"not a single plain e-mail address: no letter can carry it",
        id="reply-to-too-long",
    ),
    pytest.param(
        {"sender": {"email": LONG_ADDRESS}},
        "sender.email",
        r"not a single plain e-mail address",
        id="sender-email-too-long",
    ),
    pytest.param(
        {"delivery": {"return_path": LONG_ADDRESS}},
        "delivery.return_path",
        r"not a single plain e-mail address",
        id="return-path-too-long",
    ),
]


def _line_of(config: Path, setting: str) -> int:
    """The line ``setting``'s key is on (its first, where a long value is folded below it).

    Split at ``\n`` only: YAML's dumper may write a U+2028 or U+0085 raw inside a quoted value,
    which ``str.splitlines`` would count as lines of their own.
    """
    key = setting.rsplit(".", 1)[-1] + ":"
    lines = config.read_text(encoding="utf-8").split("\n")
    # The value is on the key's line, or folded onto the next one.
    return next(
        i for i, text in enumerate(lines, 1) if text.strip().startswith(key) and "evil" in text + lines[i]
    )


@pytest.mark.parametrize(("changes", "setting", "said"), BAD)
def test_the_loader_refuses_a_header_value_every_letter_would_be_held_for(
    make_project: MakeProject, changes: dict[str, Any], setting: str, said: str
) -> None:
    config = make_project(ROWS, **changes)
    with pytest.raises(ConfigError) as info:
        load_settings(config, today=TODAY)
    (problem,) = info.value.problems
    assert problem.field == setting
    assert problem.line == _line_of(config, setting)
    assert re.search(said, problem.message), problem.message


@pytest.mark.parametrize(("changes", "setting", "said"), BAD)
def test_check_says_a_bad_header_value_at_its_line_and_exits_2(
    make_project: MakeProject, changes: dict[str, Any], setting: str, said: str
) -> None:
    config = make_project(ROWS, **changes)
    checked = CliRunner(env=SECRET).invoke(main, ["--config", str(config), "check", "--now", NOW])
    assert checked.exit_code == 2, checked.output
    line = _line_of(config, setting)
    written = rf"greeter\.yaml:{line}:\d+: {re.escape(setting)}: {said}"
    assert re.search(written, checked.stderr), checked.stderr
    assert "check: OK" not in checked.output


def test_send_stops_at_the_same_setting_before_any_letter(make_project: MakeProject) -> None:
    """``send`` and ``run`` load the config as check does: the dry run is a config error too, not
    ``5 would be held (render_error 5)``."""
    config = make_project(ROWS, sender={"name": "Ромашка\u2028Bcc: evil@attacker.example"})
    sent = CliRunner().invoke(main, ["--config", str(config), "send", "--once", "--dry-run", "--now", NOW])
    assert sent.exit_code == 2, sent.output
    line = _line_of(config, "sender.name")
    assert re.search(rf"greeter\.yaml:{line}:\d+: sender\.name: ", sent.stderr), sent.stderr
    assert "would be held" not in sent.output


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({}, id="the-example"),
        # The builder strips the name before it writes it: a block scalar's last newline is fine.
        pytest.param({"sender": {"name": "ООО «Ромашка»\n"}}, id="name-ending-in-a-newline"),
        pytest.param(
            {"unsubscribe": {"mailto": "mailto:unsubscribe@romashka.example?subject=unsubscribe"}},
            id="mailto-uri-with-a-query",
        ),
        pytest.param(
            {
                "unsubscribe": {
                    "url": "https://greet.romashka.example/unsubscribe/",
                    "secret_env": "GREETER_TEST_UNSUB_SECRET",
                }
            },
            id="one-click-url",
        ),
    ],
)
def test_good_header_values_still_check_ok(make_project: MakeProject, changes: dict[str, Any]) -> None:
    config = make_project(ROWS, **changes)
    load_settings(config, today=TODAY)
    checked = CliRunner(env=SECRET).invoke(main, ["--config", str(config), "check", "--now", NOW])
    assert checked.exit_code == 0, checked.output + checked.stderr
    assert "check: OK" in checked.output


def _subject_with(config: Path, inserted: str) -> None:
    """``birthday.j2``'s subject block, beginning with ``inserted`` (typed into the template)."""
    template = config.parent / "templates" / "birthday.j2"
    text = template.read_text(encoding="utf-8")
    opening = "{% block subject %}"
    assert opening in text
    template.write_text(text.replace(opening, opening + inserted, 1), encoding="utf-8")


def test_check_builds_the_headers_of_the_letters_it_renders(make_project: MakeProject) -> None:
    """A U+202E typed into a subject is not collapsed as a line break is: it rendered, check said
    OK, and the dry run held the letter. Check now finds it at the template, as a letter problem."""
    config = make_project(ROWS)
    _subject_with(config, "\u202e")
    checked = CliRunner().invoke(main, ["--config", str(config), "check", "--now", NOW])
    assert checked.exit_code == 1, checked.output + checked.stderr
    assert re.search(
        r"birthday\.j2: the letter's Subject header cannot be written "
        r"\(control or line-break character U\+202E\): send would hold it \(contact 1\)",
        checked.stderr,
    ), checked.stderr
    assert "check: OK" not in checked.output
    # The dry run holds that letter by the same rule: check and send agree.
    sent = CliRunner().invoke(main, ["--config", str(config), "send", "--once", "--dry-run", "--now", NOW])
    assert "1 would be held" in sent.output + sent.stderr, sent.output + sent.stderr


def test_a_line_break_in_a_subject_is_still_one_line(make_project: MakeProject) -> None:
    """U+2028 in a subject is collapsed to a space when rendered (as a newline is): no problem."""
    config = make_project(ROWS)
    _subject_with(config, "\u2028")
    checked = CliRunner().invoke(main, ["--config", str(config), "check", "--now", NOW])
    assert checked.exit_code == 0, checked.output + checked.stderr
