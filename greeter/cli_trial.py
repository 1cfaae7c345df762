"""``greeter test-send``: one contact's real letter, sent to the operator's own address only.

The command's shell: ``--to`` read as the config's addresses are, ``--occasion``
and ``--date`` as every command reads them; the letter itself is planned,
built and sent by :func:`greeter.trial_send.run_test_send`. Kept apart from
:mod:`greeter.cli` as the other commands are, so that the group's module stays
small; importing this module registers the command on the ``greeter`` group.
"""

from __future__ import annotations

import sys

import click

from greeter.cli import CONTEXT, State, _config_option, _now_reading_option, handles_errors, main
from greeter.cli_options import contact_in_config, contact_option, occasion_in_config
from greeter.cli_values import flag_hint, parse_day, trimmed


def _tester_address(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    """``test-send --to``: one plain address, checked as the config's addresses are (no CR/LF, no name)."""
    from greeter.config_base import config_address

    try:
        return config_address(value.strip())
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} {exc}", param_hint=flag_hint("--to")) from None


@main.command("test-send", context_settings=CONTEXT, short_help="Send one contact's letter to yourself.")
@_config_option
@contact_option("Whose letter to send", required=True)
@click.option(
    "--occasion", metavar="NAME", callback=trimmed, help="That occasion's letter [default: the next one]."
)
@click.option(
    "--date", "occasion_date", metavar="DATE", help="The occasion of that day (YYYY-MM-DD or DD.MM.YYYY)."
)
@click.option(
    "--to",
    "to",
    required=True,
    metavar="ADDRESS",
    callback=_tester_address,
    help="Your own address: the envelope recipient and the To: of the letter, the only one it goes to.",
)
@_now_reading_option
@click.pass_obj
@handles_errors
def test_send(
    state: State, contact_id: str, occasion: str | None, occasion_date: str | None, to: str, now: str | None
) -> None:
    """Send one contact's real letter to yourself, to see it in your own mailbox before the batch goes.

    The letter is the one `greeter preview --contact ID` plans — the
    contact's next letter, or the one for --occasion and/or --date — rendered
    and built as `greeter send` builds it: the same From, headers, DKIM
    signature and List-Unsubscribe, through the configured transport (the
    real SMTP server, login and password; with `transport: file` a
    test-….eml in the outbox). But it goes to --to only: the envelope
    recipient and the To: address are yours (the client's name stays beside
    it), never the client's; its unsubscribe links are yours too, so a click
    in the test never unsubscribes the client. The Subject starts with
    "[TEST] ", so a forwarded test is not taken for the real letter, and it
    has a Message-ID of its own.

    Nothing is journaled: no claim, no row, nothing the daily quota counts;
    the real letter still goes out, once, with its own Message-ID. The send
    window and the review gate do not hold a test back, but it says when the
    real letter leaves, whether the review gate holds it (awaiting approval),
    or that the planner skips it and why (frequency_cap, suppressed, …): a
    skipped letter can be tested all the same, to check its wording.

    \b
    Exit codes:
      0   sent (the server accepted it, or the .eml was written)
      1   the server refused it (its reply is printed), or the letter does
          not render, or the contact's row was rejected
      2   usage or config error: an unknown contact id, occasion or date,
          no such letter planned, a bad --to, a missing password or secret,
          or a login the server refuses
      75  try again later: the server is unreachable or put it off (4xx),
          the outbox is not writable, or the connection broke after the
          letter was handed over (it may still arrive)

    \b
    Examples:
      greeter test-send --contact 1029 --to me@company.ru
      greeter test-send --contact "Гусева Вера" --to me@company.ru
      greeter test-send --contact 1029 --occasion new_year --to me@company.ru
      greeter test-send --contact 1029 --date 2027-12-09 --to me@company.ru
    """
    from greeter.trial_send import run_test_send

    named, inputs = contact_in_config(state.config, contact_id, now)  # a name too
    code = run_test_send(
        state.config,
        contact_id=named or contact_id,
        inputs=inputs,  # the contacts the name was looked up in, not read again
        occasion=occasion_in_config(state.config, occasion, now),  # a title, as preview's table shows it
        day=parse_day(occasion_date, "--date"),
        to=to,
        now_text=now,
    )
    sys.exit(code)
