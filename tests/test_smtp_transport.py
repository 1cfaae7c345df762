"""The SMTP pool against a real server (aiosmtpd on 127.0.0.1, ephemeral port) with injected faults."""

from __future__ import annotations

import asyncio
import re
import shutil
import socket
import ssl
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from aiosmtplib import SMTPAuthenticationError, SMTPResponseException
from hypothesis import given
from hypothesis import strategies as st

from greeter.config import SmtpSettings
from greeter.smtp_failures import login_refused, login_required, password_source
from greeter.smtp_replies import parse_reply
from greeter.smtp_transport import SmtpTransport, dot_stuffed
from greeter.testing import SilentAt, SilentServer, SmtpSink, _ThreadedServer
from greeter.transport import LOGIN_MISMATCH, LOGIN_REFUSED, SECURITY_MISMATCH, Outcome, Outgoing, SendResult

FROM = "hello@romashka.example"
DAY = date(2025, 3, 14)


def raw(i: int, rcpt: str) -> bytes:
    # Bare LF line endings and a line starting with a dot: the transport must fix and stuff them.
    return (
        f"From: {FROM}\nTo: {rcpt}\nSubject: greeting {i}\nMessage-ID: <m{i}@romashka.example>\n\n"
        f"Hello {i}\n.a line that starts with a dot\n..and two\nbye"
    ).encode()


def item(i: int, rcpt: str | None = None) -> Outgoing:
    rcpt = rcpt or f"client{i}@example.com"
    return Outgoing((f"c-{i}", "birthday", DAY), FROM, rcpt, raw(i, rcpt))


def transport_for(sink: SmtpSink, **settings: object) -> SmtpTransport:
    options: dict[str, object] = {"host": sink.host, "port": sink.port, "pool_size": 4, "timeout_seconds": 5}
    options.update(settings)
    password = options.pop("password", None)
    context = options.pop("tls_context", None)
    return SmtpTransport(
        SmtpSettings(**options),  # type: ignore[arg-type]
        password,  # type: ignore[arg-type]
        tls_context=context,  # type: ignore[arg-type]
        local_hostname="greeter.test",
    )


def send_all(transport: SmtpTransport, items: list[Outgoing]) -> dict[str, SendResult]:
    async def run() -> dict[str, SendResult]:
        try:
            return {r.key[0]: r async for r in transport.send_many(items)}
        finally:
            await transport.close()

    return asyncio.run(run())


def send_one_by_one(transport: SmtpTransport, items: list[Outgoing]) -> list[SendResult]:
    async def run() -> list[SendResult]:
        try:
            return [await transport.send(i.envelope_from, i.rcpt, i.data, i.key) for i in items]
        finally:
            await transport.close()

    return asyncio.run(run())


@pytest.fixture(params=[False, True], ids=["lockstep", "pipelined"])
def sink(request: pytest.FixtureRequest) -> Iterator[SmtpSink]:
    """Every test against the sink runs twice: a server without PIPELINING and one with it."""
    with SmtpSink(pipelining=request.param) as running:
        yield running


def test_fifty_messages_over_a_pool_of_four_reuse_the_connections(sink: SmtpSink) -> None:
    items = [item(i) for i in range(50)]
    transport = transport_for(sink, pool_size=4)
    results = send_all(transport, items)
    assert len(results) == 50 and all(r.ok and r.code == 250 for r in results.values())
    assert len(sink.messages) == 50
    assert sink.connections <= 4 and transport.connections_opened == sink.connections
    per_connection = [
        sum(1 for m in sink.messages if m.connection == c) for c in range(1, sink.connections + 1)
    ]
    assert sum(per_connection) == 50 and max(per_connection) >= 50 // 4
    received = {m.rcpt_tos: m for m in sink.messages}
    for it in items:
        got = received[(it.rcpt,)]
        assert got.mail_from == FROM
        assert got.data == it.data.replace(b"\n", b"\r\n") + b"\r\n", (
            "exact bytes, dots unstuffed by the server"
        )


def test_closing_the_pool_says_quit_on_every_connection_at_once(sink: SmtpSink) -> None:
    # One QUIT after another costs a round trip per pooled connection at the end of every
    # batch (1.3 s for 64 connections over a 20 ms link); all at once it costs one.
    # Each QUIT is answered once all four wait (the server's side of "at once"), or after a minute:
    # one QUIT after another waits out the client's QUIT timeout each, and never four at once.
    sink.delay_quit(60, until_waiting=4)
    results = send_all(transport_for(sink, pool_size=4), [item(i) for i in range(8)])
    assert all(r.ok for r in results.values()) and sink.connections == 4
    assert sink.most_quits_at_once == 4


@pytest.mark.parametrize("code", [421, 451, 452])
def test_temporary_refusals_of_a_recipient_are_temporary(sink: SmtpSink, code: int) -> None:
    sink.reject("client3@example.com", code)
    results = send_all(transport_for(sink, pool_size=2), [item(i) for i in range(8)])
    refused = results.pop("c-3")
    assert refused.outcome is Outcome.TEMPORARY and refused.code == code and not refused.unknown_user
    assert all(r.ok for r in results.values())
    assert sorted(m.rcpt_tos[0] for m in sink.messages) == sorted(
        f"client{i}@example.com" for i in range(8) if i != 3
    )


def test_unknown_user_is_permanent_and_does_not_stop_the_batch(sink: SmtpSink) -> None:
    sink.reject("client5@example.com", 550)
    results = send_all(transport_for(sink), [item(i) for i in range(12)])
    bad = results.pop("c-5")
    assert bad.outcome is Outcome.PERMANENT and bad.unknown_user
    assert bad.reply == "550 5.1.1 Mailbox unavailable: user unknown"
    assert len(results) == 11 and all(r.ok for r in results.values())
    assert len(sink.messages) == 11


def test_554_after_data_is_permanent_but_not_an_unknown_user(sink: SmtpSink) -> None:
    sink.fail_next(1, 554)
    results = send_one_by_one(transport_for(sink, pool_size=1), [item(1), item(2)])
    assert results[0].outcome is Outcome.PERMANENT and results[0].code == 554 and not results[0].unknown_user
    assert results[1].ok, "RSET after the refusal; the same connection carries on"
    assert sink.connections == 1 and [m.rcpt_tos for m in sink.messages] == [("client2@example.com",)]


def test_451_after_data_is_temporary_and_421_closes_the_connection(sink: SmtpSink) -> None:
    sink.fail_next(1, 451)
    sink.fail_next(1, 421)
    results = send_one_by_one(transport_for(sink, pool_size=1), [item(1), item(2), item(3)])
    assert [r.outcome for r in results] == [Outcome.TEMPORARY, Outcome.TEMPORARY, Outcome.OK]
    assert [r.code for r in results] == [451, 421, 250]
    assert sink.connections == 2, "reconnected after 421, not after 451"


def test_disconnect_after_the_final_dot_is_uncertain_not_retryable(sink: SmtpSink) -> None:
    sink.drop_next(1)
    results = send_one_by_one(transport_for(sink, pool_size=1), [item(1), item(2)])
    first = results[0]
    assert first.outcome is Outcome.UNCERTAIN and first.code is None
    assert "after the message was sent" in first.text and "may have been delivered" in first.text
    assert results[1].ok, "the next message goes out on a fresh connection"
    assert [m.dropped for m in sink.messages] == [True, False], "the server did get the first one"
    assert sink.connections == 2


def test_no_reply_to_the_final_dot_within_the_timeout_is_uncertain(sink: SmtpSink) -> None:
    sink.delay(1.0)
    (result,) = send_one_by_one(transport_for(sink, pool_size=1, timeout_seconds=0.3), [item(1)])
    assert result.outcome is Outcome.UNCERTAIN and "timed out" in result.text


def test_a_server_silent_before_data_times_out_as_temporary_and_the_next_letter_goes(
    sink: SmtpSink,
) -> None:
    sink.stall("RCPT", 1.0)
    transport = transport_for(sink, pool_size=1, timeout_seconds=0.3)
    first, second = send_one_by_one(transport, [item(1), item(2)])
    assert first.outcome is Outcome.TEMPORARY and "timed out" in first.text and first.code is None
    assert second.ok and [m.rcpt_tos for m in sink.messages] == [("client2@example.com",)]
    assert sink.connections == 2, "the connection left out of step was dropped, not reused"


def test_the_timeout_is_per_reply_not_per_letter(sink: SmtpSink) -> None:
    # Three slow replies of 0.4 s each (MAIL, RCPT, the final dot) fit in a 1 s timeout; the letter's
    # 1.2 s would not. Each reply has 0.6 s to spare for a loaded machine's scheduling (0.2 s
    # stalls in a 0.3 s timeout had 0.1 s, and timed out under load). Cannot pass by luck: the
    # stalls are sleeps, which only ever last longer, so a timeout per letter always fails here.
    sink.stall("MAIL", 0.4)
    sink.stall("RCPT", 0.4)
    sink.delay(0.4)
    (result,) = send_one_by_one(transport_for(sink, pool_size=1, timeout_seconds=1.0), [item(1)])
    assert result.ok, result.text


def test_server_down_is_temporary_with_a_clear_message_and_the_batch_fails_fast() -> None:
    with socket.socket() as s:
        # Bound, never listening, and kept for the test: a connection is refused (a port merely
        # closed again could be taken by another process meanwhile).
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        transport = SmtpTransport(
            SmtpSettings(host="127.0.0.1", port=port, pool_size=2, timeout_seconds=2),
            None,
            local_hostname="t",
        )
        results = send_all(transport, [item(i) for i in range(10)])
    assert len(results) == 10 and all(r.outcome is Outcome.TEMPORARY for r in results.values())
    texts = [r.text for r in results.values()]
    assert all(f"127.0.0.1:{port}" in t for t in texts)
    assert (
        f"cannot connect to 127.0.0.1:{port}: connection refused (is the SMTP server running on that port?)"
        in texts
    )
    # Once every pooled connection failed, the rest of the batch is not even tried.
    assert sum(t.startswith("not attempted: cannot connect") for t in texts) >= 6


@pytest.mark.parametrize("silent_at", ["banner", "ehlo", "dot"])
def test_a_server_that_stops_answering_costs_one_timeout_not_one_per_letter(silent_at: SilentAt) -> None:
    # Silent before its greeting, after EHLO, or after reading the message: the pool's two
    # letters wait out the 0.3 s timeout, then the rest is not even tried.
    with SilentServer(silent_at) as server:
        settings = SmtpSettings(host="127.0.0.1", port=server.port, pool_size=2, timeout_seconds=0.3)
        results = send_all(SmtpTransport(settings, None, local_hostname="t"), [item(i) for i in range(12)])
        connections, swallowed = server.connections, len(server.message_ids)
    tried = [r for r in results.values() if not r.text.startswith("not attempted: ")]
    # No banner: each of the two also tries TLS once (a port 465 greets only there), then gives up.
    assert (
        connections == (4 if silent_at == "banner" else 2) and len(tried) == 2 and all(r.fault for r in tried)
    )
    assert {r.outcome for r in tried} == {Outcome.UNCERTAIN if silent_at == "dot" else Outcome.TEMPORARY}
    assert swallowed == (2 if silent_at == "dot" else 0)
    (held_back,) = {r.text for r in results.values() if r not in tried}  # one reason for them all
    assert "within 0.3 s" in held_back and held_back.endswith("; retried later")
    assert sum(r.outcome is Outcome.TEMPORARY for r in results.values()) == 12 - swallowed


def test_one_letter_left_uncertain_does_not_stop_the_batch_two_in_a_row_on_a_pool_of_two_do(
    sink: SmtpSink,
) -> None:
    sink.drop_next(1)
    results = send_all(transport_for(sink, pool_size=2), [item(i) for i in range(10)])
    outcomes = sorted(r.outcome for r in results.values())
    assert outcomes.count(Outcome.UNCERTAIN) == 1 and outcomes.count(Outcome.OK) == 9
    sink.reset()
    sink.drop_next(2)
    results = send_all(transport_for(sink, pool_size=2), [item(i) for i in range(10)])
    assert sorted(r.outcome for r in results.values()).count(Outcome.UNCERTAIN) == 2
    assert sum(r.text.startswith("not attempted: ") for r in results.values()) == 8
    assert len(sink.messages) == 2, "the two swallowed letters, and no third"


def test_a_connection_the_server_closed_while_idle_is_reopened_transparently(sink: SmtpSink) -> None:
    transport = transport_for(sink, pool_size=1)

    async def run() -> list[SendResult]:
        first = await transport.send(FROM, "a@example.com", raw(1, "a@example.com"), ("a", "o", DAY))
        sink.stop()  # the server restarts: the pooled connection is dead
        sink.start()  # same port
        second = await transport.send(FROM, "b@example.com", raw(2, "b@example.com"), ("b", "o", DAY))
        await transport.close()
        return [first, second]

    assert [r.ok for r in asyncio.run(run())] == [True, True]
    assert [m.rcpt_tos for m in sink.messages] == [("a@example.com",), ("b@example.com",)]
    assert transport.connections_opened == 2


def test_auth_with_the_given_password_and_a_clear_error_without_leaking_it() -> None:
    with SmtpSink(users={"greeter": "s3cret-pa55"}) as sink:
        ok = send_all(transport_for(sink, username="greeter", password="s3cret-pa55"), [item(1)])
        assert ok["c-1"].ok and len(sink.messages) == 1
        bad = send_all(transport_for(sink, username="greeter", password="wrong-pa55"), [item(2)])
        assert bad["c-2"].outcome is Outcome.TEMPORARY
        assert "SMTP AUTH as 'greeter' refused" in bad["c-2"].text and "535" in bad["c-2"].text
        assert "wrong-pa55" not in bad["c-2"].text
        assert bad["c-2"].halt_kind == LOGIN_REFUSED and ok["c-1"].halt_kind is None
        # Without AUTH the server refuses the sender: our configuration's fault — never "failed",
        # never an "unknown user" — and, like a 535, one no retry cures: a halt, login_mismatch.
        anonymous = send_all(transport_for(sink), [item(3)])["c-3"]
        assert anonymous.outcome is Outcome.TEMPORARY and not anonymous.unknown_user
        assert anonymous.halt_kind == LOGIN_MISMATCH and anonymous.code is None
        assert anonymous.reply == (
            f"127.0.0.1:{sink.port}: the server requires a login (530 5.7.0 Authentication required) and "
            "greeter made none (no delivery.smtp.username): set delivery.smtp.username and the password's "
            "variable (delivery.smtp.password_env or password_file); if it offers AUTH only over TLS, also "
            "delivery.smtp.security: starttls"
        )
        assert len(sink.messages) == 1


@pytest.mark.parametrize("pipelining", [False, True], ids=["lockstep", "pipelined"])
def test_a_server_that_demands_a_login_greeter_does_not_make_is_login_refused(pipelining: bool) -> None:
    """530 5.7.0 to MAIL FROM (no delivery.smtp.username) went to retry letter by letter, forever;
    each letter stays unsent by the server, and the result says which setting to fix."""
    with SmtpSink(users={"greeter": "pw"}, pipelining=pipelining) as sink:
        results = send_one_by_one(transport_for(sink, pool_size=1), [item(i) for i in range(3)])
        assert sink.messages == []
    for result in results:
        assert result.halt_kind == LOGIN_MISMATCH and result.outcome is Outcome.TEMPORARY, result
        assert "requires a login (530 5.7.0 Authentication required)" in result.text
        assert "delivery.smtp.username" in result.text


@pytest.mark.parametrize(
    ("offer", "said"),
    [
        (
            None,
            "delivery.smtp.username is set but the server offers no AUTH (its EHLO lists none); many "
            "servers offer it only after STARTTLS: try delivery.smtp.security: starttls; or remove "
            "delivery.smtp.username if it needs no login",
        ),
        (
            "GSSAPI NTLM",
            "delivery.smtp.username is set but the server offers no AUTH mechanism greeter "
            "supports (it offers GSSAPI, NTLM; greeter speaks CRAM-MD5, PLAIN, LOGIN)",
        ),
    ],
    ids=["no-auth", "no-usable-mechanism"],
)
def test_a_username_for_a_server_without_a_usable_auth_is_a_login_problem(
    offer: str | None, said: str
) -> None:
    """aiosmtplib's "SMTP AUTH extension not supported" was read as "cannot connect": every letter
    went to retry, and check called it a network warning."""
    users = {"greeter": "pw"} if offer else None
    with SmtpSink(users=users, auth_offer=offer) as sink:
        settings = {"username": "greeter", "password": "pw"}
        result = send_all(transport_for(sink, **settings), [item(1)])["c-1"]
        probe = asyncio.run(transport_for(sink, **settings).diagnose(FROM))
        assert sink.messages == []
    assert result.outcome is Outcome.TEMPORARY and result.code is None
    assert result.halt_kind == LOGIN_MISMATCH, "the settings do not fit the server: not a refused login"
    assert result.reply == f"127.0.0.1:{sink.port}: {said}"
    assert probe is not None and probe.halt_kind == LOGIN_MISMATCH and probe.why == said


def test_check_probes_the_sender_when_greeter_makes_no_login() -> None:
    """``diagnose`` said OK for a server that answers 530 to every MAIL FROM without a login."""
    with SmtpSink(users={"greeter": "pw"}) as demands, SmtpSink() as open_relay:
        refused = asyncio.run(transport_for(demands).diagnose(FROM))
        fine = asyncio.run(transport_for(open_relay).diagnose(FROM))
        assert demands.messages == [] and open_relay.messages == []
    assert fine is None
    assert refused is not None and refused.halt_kind == LOGIN_MISMATCH
    assert refused.why.startswith(
        "the server requires a login (530 5.7.0 Authentication required) and greeter made none"
    )


@pytest.mark.parametrize(
    ("code", "text", "logged_in", "fix"),
    [
        (530, "5.7.0 Authentication required", False, "delivery.smtp.username"),
        (530, "5.7.1 Client was not authenticated", False, "delivery.smtp.username"),  # Exchange
        (530, "5.7.57 Client not authenticated to send mail", False, "delivery.smtp.username"),
        (530, "Authentication required", False, "delivery.smtp.username"),  # no enhanced status
        (530, "5.7.0 Must issue a STARTTLS command first", False, "delivery.smtp.security: starttls"),
        (530, "5.7.0 Authentication required (over TLS)", False, "delivery.smtp.security: starttls"),
        (530, "5.7.0 Authentication required", True, None),  # logged in, still refused: not a username
        (530, "5.1.1 odd", False, None),  # not an authentication answer
        (550, "5.7.1 Relaying denied", False, None),  # a per-recipient policy refusal
        (554, "5.7.1 <a@b.example>: Relay access denied", False, None),
        (553, "5.7.1 Sender address rejected: not owned by user", False, None),
        (451, "4.7.0 Temporary authentication failure", False, None),
    ],
)
def test_which_530s_mean_a_login_is_missing(code: int, text: str, logged_in: bool, fix: str | None) -> None:
    said = login_required(code, text, logged_in=logged_in)
    assert (said is None) == (fix is None), said
    if fix is not None:
        assert said is not None and fix in said and f"({code} {text})" in said
        # Over TLS already, "… STARTTLS …" cannot mean "turn TLS on": it is the login again.
        secured = login_required(code, text, logged_in=logged_in, secured=True)
        assert secured is not None and "set delivery.smtp.username" in secured


def test_a_530_names_every_setting_to_change_the_password_where_the_config_keeps_it() -> None:
    """The 530's words read as a refused login ("login refused", ``login_refused``) and named the
    password only in general: they say greeter made no login, name the configured variable or
    file, and ``delivery.smtp.security`` where the connection is not secured yet."""
    text = "5.7.0 Authentication required"
    from_env = SmtpSettings(host="h", port=25, password_env="GREETER_SMTP_PASSWORD")
    from_file = SmtpSettings(host="h", port=25, security="starttls", password_file=Path("/run/secrets/smtp"))
    plain = login_required(530, text, logged_in=False, password=password_source(from_env))
    secured = login_required(530, text, logged_in=False, secured=True, password=password_source(from_file))
    assert plain == (
        "the server requires a login (530 5.7.0 Authentication required) and greeter made none (no "
        "delivery.smtp.username): set delivery.smtp.username and the password in $GREETER_SMTP_PASSWORD "
        "(delivery.smtp.password_env); if it offers AUTH only over TLS, also delivery.smtp.security: starttls"
    )
    assert secured is not None and secured.endswith(
        "set delivery.smtp.username and the password in /run/secrets/smtp (delivery.smtp.password_file)"
    )
    assert "refused" not in plain and "refused" not in secured


def test_a_refused_login_is_told_apart_from_a_server_that_cannot_be_reached() -> None:
    """check printed "cannot connect: (535, '5.7.8 …')" — a tuple, and the words of a network
    problem — for a wrong password. A 5xx to AUTH is a refused login (fix the config), a 454
    the server's passing trouble."""
    with SmtpSink(users={"greeter": "s3cret-pa55"}) as sink:
        good = asyncio.run(transport_for(sink, username="greeter", password="s3cret-pa55").diagnose())
        bad = asyncio.run(transport_for(sink, username="greeter", password="wrong-pa55").diagnose())
        port = sink.port
    down = asyncio.run(SmtpTransport(SmtpSettings(host="127.0.0.1", port=port), None).diagnose())
    assert good is None
    assert bad is not None and bad.halt_kind == LOGIN_REFUSED
    assert bad.why == "login refused: 535 5.7.8 Authentication credentials invalid"
    assert down is not None and down.halt_kind is None and down.why.startswith("connection refused")
    assert login_refused(SMTPAuthenticationError(535, "5.7.8 bad credentials"))
    assert not login_refused(SMTPAuthenticationError(454, "4.7.0 Temporary authentication failure"))
    assert not login_refused(SMTPResponseException(554, "5.3.2 go away"))


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", str(key), "-out", str(cert), "-days", "1", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
        check=True, capture_output=True, timeout=30,
    )  # fmt: skip
    return cert, key


@pytest.fixture(scope="module")
def tls_contexts(certificate: tuple[Path, Path]) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """The test server's context (the self-signed certificate) and a client context trusting it."""
    cert, key = certificate
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_context.load_cert_chain(cert, key)
    return server_context, ssl.create_default_context(cafile=str(cert))


@pytest.mark.parametrize("mode", ["starttls", "tls"])
def test_starttls_and_implicit_tls_verify_the_server(
    tls_contexts: tuple[ssl.SSLContext, ssl.SSLContext], mode: str
) -> None:
    server_context, trusting = tls_contexts
    with SmtpSink(tls=mode, tls_context=server_context) as sink:  # type: ignore[arg-type]
        results = send_all(transport_for(sink, security=mode, tls_context=trusting), [item(1), item(2)])
        assert all(r.ok for r in results.values()) and len(sink.messages) == 2
        # Without trusting the self-signed certificate nothing is sent.
        untrusted = send_all(transport_for(sink, security=mode), [item(3)])
        assert untrusted["c-3"].outcome is Outcome.TEMPORARY and "cannot connect" in untrusted["c-3"].text
        assert len(sink.messages) == 2


def test_implicit_tls_against_a_plain_port_is_a_setting_to_change_naming_the_one_that_fits() -> None:
    """It said "TLS failed: WRONG_VERSION_NUMBER" (an operator's report), then "cannot connect: TLS
    failed: …" as a temporary outage: every letter to retry, and check said OK."""
    with SmtpSink() as plain:
        results = send_all(transport_for(plain, security="tls"), [item(1)])
        failure = asyncio.run(transport_for(plain, security="tls").diagnose(FROM))
    result = results["c-1"]
    assert result.outcome is Outcome.TEMPORARY and result.halt_kind == SECURITY_MISMATCH, result
    assert result.text == (
        f"127.0.0.1:{plain.port}: the server does not speak TLS on this port (it answered in plain text; "
        "security: tls is implicit TLS, usually port 465): set delivery.smtp.security: none"
    )
    assert failure is not None and failure.halt_kind == SECURITY_MISMATCH
    assert failure.setting == "delivery.smtp.security" and "cannot connect" not in failure.why
    assert failure.why.endswith("set delivery.smtp.security: none") and not plain.messages


def test_starttls_required_but_not_offered_is_a_setting_to_change(sink: SmtpSink) -> None:
    """It was "cannot connect: SMTP STARTTLS extension not supported by server.", retried."""
    results = send_all(transport_for(sink, security="starttls"), [item(1)])
    failure = asyncio.run(transport_for(sink, security="starttls").diagnose(FROM))
    result = results["c-1"]
    assert result.outcome is Outcome.TEMPORARY and result.halt_kind == SECURITY_MISMATCH and not sink.messages
    said = "the server does not offer STARTTLS (its EHLO lists none): set delivery.smtp.security: none"
    assert result.text.startswith(f"127.0.0.1:{sink.port}: {said}"), result.text
    assert failure is not None and failure.halt_kind == SECURITY_MISMATCH and failure.why.startswith(said)


@pytest.mark.parametrize("mode", ["starttls", "none"])
def test_plain_text_against_an_implicit_tls_port_says_set_tls(
    tls_contexts: tuple[ssl.SSLContext, ssl.SSLContext], mode: str
) -> None:
    """Port 465 with security starttls (or none): no greeting in plain text, which read as a server
    that does not answer; one TLS attempt shows it greets there."""
    server_context, trusting = tls_contexts
    with SmtpSink(tls="tls", tls_context=server_context) as sink:
        transport = transport_for(sink, security=mode, tls_context=trusting, timeout_seconds=0.5)
        results = send_all(transport, [item(1)])
    result = results["c-1"]
    assert result.halt_kind == SECURITY_MISMATCH, result.text
    assert result.text.endswith("set delivery.smtp.security: tls"), result.text
    assert "greets only over TLS" in result.text and not sink.messages


def test_a_server_that_never_greets_stays_a_temporary_outage() -> None:
    """The TLS attempt after a missing greeting must not turn a silent server into a config error."""
    with SilentServer("banner") as silent:
        failure = asyncio.run(transport_for(silent, timeout_seconds=0.3).diagnose())  # type: ignore[arg-type]
        assert silent.connections == 2  # the plain one, then the one TLS attempt
    assert failure is not None and failure.halt_kind is None and failure.why == "no greeting within 0.3 s"


def test_dot_stuffing_and_line_endings() -> None:
    assert dot_stuffed(b".a\n..b\rc\r\n.") == b"..a\r\n...b\r\nc\r\n..\r\n.\r\n"
    assert dot_stuffed(b"x\r\n") == b"x\r\n.\r\n"
    assert dot_stuffed(b"a\r\n.b\r\n") == b"a\r\n..b\r\n.\r\n"  # CRLF already, a dot line
    assert dot_stuffed(b"a\r\r\nb") == b"a\r\n\r\nb\r\n.\r\n"  # a bare CR beside a CRLF


@given(
    st.lists(st.sampled_from([b"a", b".", b"\r", b"\n", b"\r\n", b"\n.", b"=="]), max_size=40).map(b"".join)
)
def test_dot_stuffing_fast_paths_agree_with_the_plain_rule(data: bytes) -> None:
    """Normalise every line ending to CRLF, double each leading dot, end with CRLF and a dot line."""
    crlf = re.sub(rb"\r\n|\r|\n", b"\r\n", data)
    crlf = crlf if crlf.endswith(b"\r\n") else crlf + b"\r\n"
    assert dot_stuffed(data) == re.sub(rb"(?m)^\.", b"..", crlf) + b".\r\n"


def test_a_bad_envelope_address_is_a_permanent_result_not_an_exception(sink: SmtpSink) -> None:
    results = send_all(transport_for(sink), [item(1, "x@example.com\r\nRCPT TO:<evil@example.com>"), item(2)])
    assert results["c-1"].outcome is Outcome.PERMANENT and "envelope address" in results["c-1"].text
    assert results["c-2"].ok and [m.rcpt_tos for m in sink.messages] == [("client2@example.com",)]


def test_a_send_cancelled_mid_transaction_does_not_poison_the_pooled_connection(sink: SmtpSink) -> None:
    sink.delay(0.5)
    transport = transport_for(sink, pool_size=1)

    async def run() -> SendResult:
        task = asyncio.create_task(
            transport.send(FROM, "a@example.com", raw(1, "a@example.com"), ("a", "o", DAY))
        )
        await asyncio.sleep(0.2)  # the server is sitting on the final dot
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        sink.delay(0)
        result = await transport.send(FROM, "b@example.com", raw(2, "b@example.com"), ("b", "o", DAY))
        await transport.close()
        return result

    assert asyncio.run(run()).ok
    assert transport.connections_opened == 2, "the interrupted connection was dropped, not reused"


@pytest.mark.parametrize("mode", ["starttls", "tls"])
def test_timeouts_cut_tls_connections_too(
    tls_contexts: tuple[ssl.SSLContext, ssl.SSLContext], mode: str
) -> None:
    # The watchdog hangs up the transport under TLS as well: silent before DATA → temporary,
    # silent after the final dot → uncertain; the next letter goes on a fresh connection.
    server_context, trusting = tls_contexts
    with SmtpSink(tls=mode, tls_context=server_context) as sink:  # type: ignore[arg-type]
        sink.stall("RCPT", 1.0)
        transport = transport_for(sink, security=mode, tls_context=trusting, pool_size=1, timeout_seconds=0.3)
        silent, sent = send_one_by_one(transport, [item(1), item(2)])
        assert silent.outcome is Outcome.TEMPORARY and "timed out" in silent.text
        assert sent.ok and sink.connections == 2
        sink.delay(1.0)
        transport = transport_for(sink, security=mode, tls_context=trusting, pool_size=1, timeout_seconds=0.3)
        (unconfirmed,) = send_one_by_one(transport, [item(3)])
        assert unconfirmed.outcome is Outcome.UNCERTAIN and "timed out" in unconfirmed.text


# --- PIPELINING (RFC 2920) -------------------------------------------------------------


class EnvelopeFirstServer(_ThreadedServer):
    """Advertises PIPELINING and answers MAIL, RCPT and DATA only once all three have arrived.

    A client waiting for each reply before the next command never gets one (and
    times out): only a client that pipelines the envelope gets its letter through.
    ``rcpt_reply``/``data_reply`` script the envelope's answers; ``commands``
    records what came, in order.
    """

    def __init__(self, rcpt_reply: bytes = b"250 2.1.5 OK", data_reply: bytes = b"354 Go ahead") -> None:
        super().__init__()
        self.host, self.port = "127.0.0.1", 0
        self.rcpt_reply, self.data_reply = rcpt_reply, data_reply
        self.commands: list[bytes] = []
        self.messages: list[bytes] = []

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._sessions.add(task)
        try:
            writer.write(b"220 envelope-first.test ESMTP\r\n")
            envelope: list[bytes] = []
            while line := await reader.readline():
                verb = line.split(None, 1)[0].upper()
                self.commands.append(verb)
                if verb == b"EHLO":
                    writer.write(b"250-envelope-first.test\r\n250-PIPELINING\r\n250 8BITMIME\r\n")
                elif verb in (b"MAIL", b"RCPT", b"DATA"):
                    envelope.append(verb)
                    if len(envelope) < 3:
                        continue  # answer nothing until the whole envelope is here
                    writer.write(b"250 2.1.0 OK\r\n" + self.rcpt_reply + b"\r\n" + self.data_reply + b"\r\n")
                    envelope.clear()
                    if self.data_reply.startswith(b"354"):
                        lines = []
                        while (body := await reader.readline()) not in (b".\r\n", b""):
                            lines.append(body)
                        self.messages.append(b"".join(lines))
                        accepted = self.rcpt_reply.startswith(b"250")
                        writer.write(
                            b"250 2.0.0 queued\r\n" if accepted else b"554 5.5.1 No valid recipients\r\n"
                        )
                elif verb == b"QUIT":
                    writer.write(b"221 2.0.0 Bye\r\n")
                    await writer.drain()
                    return
                else:  # RSET, NOOP
                    writer.write(b"250 2.0.0 OK\r\n")
                await writer.drain()
        except (OSError, asyncio.CancelledError):
            return
        finally:
            writer.close()
            self._sessions.discard(task)


def test_the_envelope_goes_out_in_one_write_when_the_server_pipelines() -> None:
    with EnvelopeFirstServer() as server:
        transport = SmtpTransport(
            SmtpSettings(host=server.host, port=server.port, pool_size=1, timeout_seconds=5),
            None,
            local_hostname="greeter.test",
        )
        results = send_one_by_one(transport, [item(i) for i in range(3)])
    assert [r.ok for r in results] == [True, True, True], [r.reply for r in results]
    assert len(server.messages) == 3 and transport.connections_opened == 1
    assert server.commands == [b"EHLO"] + [b"MAIL", b"RCPT", b"DATA"] * 3 + [b"QUIT"]


def test_a_server_that_opens_data_after_refusing_the_recipient_gets_an_empty_message() -> None:
    # RFC 2920 §3.1: a (broken) server may answer 354 to a pipelined DATA although it refused
    # every recipient; the client ends that message at once with a lone dot, so the next
    # transaction on the connection stays in step.
    with EnvelopeFirstServer(rcpt_reply=b"550 5.1.1 No such user") as server:
        transport = SmtpTransport(
            SmtpSettings(host=server.host, port=server.port, pool_size=1, timeout_seconds=5),
            None,
            local_hostname="greeter.test",
        )
        results = send_one_by_one(transport, [item(1), item(2)])
    assert [(r.outcome, r.code) for r in results] == [(Outcome.PERMANENT, 550)] * 2
    assert [r.unknown_user for r in results] == [True, True]
    assert server.messages == [b"", b""], "a lone dot each: no letter's text went out"
    assert transport.connections_opened == 1, "the connection stayed usable"
    assert server.commands.count(b"RSET") == 2


@pytest.mark.parametrize(
    ("chunks", "expected"),
    [
        ([b"250 OK\r\n"], [(250, "OK")]),
        ([b"250 OK\r\n550 5.1.1 no\r\n354 go\r\n"], [(250, "OK"), (550, "5.1.1 no"), (354, "go")]),
        ([b"25", b"0-first\r\n250-sec", b"ond\r\n250 last\r\n"], [(250, "first\nsecond\nlast")]),
        ([b"250\r\n", b"221 Bye\n"], [(250, ""), (221, "Bye")]),
        ([b"250 OK\r\n354 st"], [(250, "OK")]),  # the second reply is not complete yet
    ],
)
def test_replies_are_parsed_however_the_bytes_arrive(
    chunks: list[bytes], expected: list[tuple[int, str]]
) -> None:
    buffer = bytearray()
    got = []
    for chunk in chunks:
        buffer += chunk
        while (reply := parse_reply(buffer)) is not None:
            got.append((reply.code, reply.message))
    assert got == expected


@pytest.mark.parametrize("garbage", [b"hello there\r\n", b"2x0 OK\r\n", b"250 " + b"x" * 9000])
def test_a_garbled_reply_is_an_smtp_error_not_a_crash(garbage: bytes) -> None:
    with pytest.raises(SMTPResponseException):
        parse_reply(bytearray(garbage))
