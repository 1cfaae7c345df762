"""A mail server's reply reaches no terminal with its escape sequences live.

The security re-test: a relay answered ``550 5.1.1 \\x1b]0;PWNED\\x07 …``;
``send``'s summary on stderr set the operator's terminal title, and
``history --format csv`` wrote the raw ESC and BEL to stdout. Now each is
shown as its escape (``\\x1b``), as the tables already showed it
(:func:`greeter.console.escaped`); JSON keeps the value, written with JSON's
escapes. A real aiosmtpd server, a real journal.
"""

from __future__ import annotations

import json

from greeter.testing import SmtpSink
from tests.conftest import MakeProject, contact_row
from tests.test_send_e2e import NOW, greeter, smtp

REPLY = "5.1.1 \x1b[2J\x1b]0;PWNED\x07 <victim@example.com> unknown"
#: What is printed for it: every control as its escape.
SHOWN = "5.1.1 \\x1b[2J\\x1b]0;PWNED\\x07 <"  # the address after it may be masked
RAW = ("\x1b", "\x07")


def test_a_reply_with_escape_sequences_is_shown_escaped_on_stderr_and_in_csv(
    make_project: MakeProject,
) -> None:
    with SmtpSink() as sink:
        sink.reject("victim@example.com", 550, REPLY)
        config = make_project(
            [contact_row("1", "victim@example.com", birthday="13.04.1980")], **smtp(sink.port)
        )
        sent = greeter(config, "send", "--once", "--now", NOW)
    assert "failed: 1" in sent.stdout, sent.stdout + sent.stderr
    assert SHOWN in sent.stderr, sent.stderr
    assert not any(c in sent.stdout + sent.stderr for c in RAW), repr(sent.stderr)

    csv_out = greeter(config, "history", "--format", "csv")
    assert csv_out.returncode == 0, csv_out.stderr
    assert SHOWN in csv_out.stdout and not any(c in csv_out.stdout for c in RAW), repr(csv_out.stdout)

    as_json = greeter(config, "history", "--format", "json")
    assert not any(c in as_json.stdout for c in RAW), repr(as_json.stdout)
    (row,) = json.loads(as_json.stdout)
    assert REPLY in row["last_reply"]  # the value itself, exactly, for a script

    table = greeter(config, "history")
    assert not any(c in table.stdout for c in RAW), repr(table.stdout)


def test_a_retry_s_last_reply_is_escaped_in_a_dry_run(make_project: MakeProject) -> None:
    """``send --dry-run`` lists a retry with the server's last words: printed raw, they were live."""
    with SmtpSink() as sink:
        sink.reject("victim@example.com", 451, "4.2.0 \x1b]0;PWNED\x07 later")
        config = make_project(
            [contact_row("1", "victim@example.com", birthday="13.04.1980")], **smtp(sink.port)
        )
        assert "retry: 1" in greeter(config, "send", "--once", "--now", NOW).stdout
        dry = greeter(config, "send", "--once", "--dry-run", "--now", "2027-04-14T11:30:00+03:00")
    assert "last: 451 4.2.0 \\x1b]0;PWNED\\x07 later" in dry.stdout, dry.stdout + dry.stderr
    assert not any(c in dry.stdout + dry.stderr for c in RAW), repr(dry.stdout)


def test_json_writes_what_ensure_ascii_false_leaves_raw_with_jsons_escapes() -> None:
    """A C1 CSI (U+009B) is ESC [ to some terminals: JSON's ``\\u009b`` is the same value, inert."""
    from greeter.console import json_safe

    text = json.dumps({"r": "a\x9b31mb\u2028c\x1b"}, ensure_ascii=False)
    assert json_safe(text) == '{"r": "a\\u009b31mb\\u2028c\\u001b"}'
    assert json.loads(json_safe(text)) == json.loads(text)
