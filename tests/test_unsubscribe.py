"""The one-click unsubscribe endpoint of a real daemon: key rotation, refused links, the page's language.

Each daemon is a real ``greeter run`` subprocess with its HTTP listener; its
JSON log lines are what an operator sees (:class:`tests.daemon_harness.DaemonProcess`).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from greeter.cli import main
from greeter.config_loader import parse_settings
from greeter.errors import ConfigError
from greeter.unsubscribe import Refused, check_token, make_token, page_language, render_page
from tests.conftest import TODAY, MakeProject
from tests.daemon_harness import DaemonProcess, http
from tests.test_config import MINIMAL
from tests.test_daemon import run_args
from tests.test_send_e2e import people

OLD, NEW = "old-secret-for-tests-32-bytes-long", "new-secret-for-tests-32-bytes-long"
ONE_CLICK = b"List-Unsubscribe=One-Click"
URL = "https://greet.example.com/unsubscribe"


def unsubscribe(**changes: object) -> dict[str, object]:
    return {"unsubscribe": {"url": URL, "secret_env": "GREETER_UNSUB_SECRET", **changes}}


def suppressed(config: Path) -> set[str]:
    from click.testing import CliRunner

    result = CliRunner().invoke(main, ["--config", str(config), "suppress", "--list", "--format", "json"])
    assert result.exit_code == 0, result.output
    return {row["email"] for row in json.loads(result.stdout)}


def test_a_link_signed_with_the_previous_secret_still_unsubscribes_after_rotation(
    make_project: MakeProject,
) -> None:
    config = make_project(people(2), **unsubscribe(previous_secret_env="GREETER_UNSUB_OLD"))
    old_link = make_token(OLD.encode(), "client1@example.com")
    new_link = make_token(NEW.encode(), "client2@example.com")
    env = {"GREETER_UNSUB_SECRET": NEW, "GREETER_UNSUB_OLD": OLD}
    with DaemonProcess(config, *run_args(), env=env) as daemon:
        daemon.wait_for("run")
        assert http(daemon.url(f"/unsubscribe/{old_link}"))[0] == 200
        assert http(daemon.url(f"/unsubscribe/{old_link}"), ONE_CLICK)[0] == 200
        assert http(daemon.url(f"/unsubscribe/{new_link}"), ONE_CLICK)[0] == 200
        assert daemon.stop() == 0
        assert not daemon.named("unsubscribe_rejected")
    assert suppressed(config) == {"client1@example.com", "client2@example.com"}


def test_a_rotated_away_link_is_refused_on_the_styled_page_and_logged_without_token_or_address(
    make_project: MakeProject,
) -> None:
    config = make_project(people(2), **unsubscribe())
    old_link = make_token(OLD.encode(), "client1@example.com")
    address_part = old_link.split(".")[0]
    with DaemonProcess(config, *run_args(), env={"GREETER_UNSUB_SECRET": NEW}) as daemon:
        daemon.wait_for("run")
        get_status, get_page = http(daemon.url(f"/unsubscribe/{old_link}"))
        post_status, post_page = http(
            daemon.url(f"/unsubscribe/{old_link}"), ONE_CLICK, {"Accept-Language": "en-GB,en;q=0.8"}
        )
        cut_status, _ = http(daemon.url(f"/unsubscribe/{address_part}.abc"))
        daemon.wait_for("unsubscribe_rejected", lambda e: e.get("reason") == "malformed")
        assert daemon.stop() == 0
        rejected = daemon.named("unsubscribe_rejected")
        output = daemon.output()
    assert (get_status, post_status, cut_status) == (404, 404, 404)
    # The same page as a working link, in its language, with another way out (the config's mailto).
    assert get_page.startswith("<!doctype html>") and '<html lang="ru">' in get_page
    assert "Ссылка недействительна" in get_page and "unsubscribe@romashka.example" in get_page
    assert '<html lang="en">' in post_page and "This link is not valid" in post_page
    assert 'href="mailto:unsubscribe@romashka.example?subject=unsubscribe"' in post_page
    assert [(e["level"], e["request"], e["reason"]) for e in rejected] == [
        ("warning", "page", "unknown_signature"),
        ("warning", "one-click", "unknown_signature"),
        ("warning", "page", "malformed"),
    ]
    assert "previous_secret_env" in rejected[0]["why"]
    for secret_or_personal in (old_link, address_part, "client1@example.com", OLD, NEW):
        assert secret_or_personal not in output
    assert suppressed(config) == set()


def test_the_page_speaks_the_readers_language_and_get_only_offers_the_button(
    make_project: MakeProject,
) -> None:
    config = make_project(people(1), **unsubscribe(mailto=None))
    link = make_token(NEW.encode(), "client1@example.com")
    with DaemonProcess(config, *run_args(), env={"GREETER_UNSUB_SECRET": NEW}) as daemon:
        daemon.wait_for("run")

        def page(accept: str | None, data: bytes | None = None, token: str = link) -> str:
            status, body = http(
                daemon.url(f"/unsubscribe/{token}"), data, {"Accept-Language": accept} if accept else None
            )
            assert status in (200, 404)
            return body

        pages = {
            accept: page(accept)
            for accept in (
                None,
                "en-US,en;q=0.9",
                "sr-RS",
                "sr-Latn",
                "de-DE,fr;q=0.9",
                "de,en;q=0.5,ru;q=0.4",
            )
        }
        invalid = page("en", token="garbage")
        done = page("en", ONE_CLICK)
        assert daemon.stop() == 0
    assert "Отписаться от поздравлений" in pages[None] and '<html lang="ru">' in pages[None]
    assert "Unsubscribe from our greetings" in pages["en-US,en;q=0.9"]
    assert "Одјава од честитки" in pages["sr-RS"]
    assert "Odjava od čestitki" in pages["sr-Latn"]
    assert "Отписаться от поздравлений" in pages["de-DE,fr;q=0.9"]  # none greeter has: defaults.locale
    assert "Unsubscribe from our greetings" in pages["de,en;q=0.5,ru;q=0.4"]
    # GET offers; it does not say the reader is unsubscribed (nothing happened yet).
    assert "Вы больше не будете" not in pages[None] and "Нажмите кнопку" in pages[None]
    assert "You are unsubscribed" not in pages["en-US,en;q=0.9"]
    assert "You are unsubscribed" in done
    # Without a mailto, the refused page says to reply to the letter.
    assert "reply to our letter" in invalid and "mailto:" not in invalid


@pytest.mark.parametrize(
    ("accept", "default", "expected"),
    [
        ("en;q=0.1, ru;q=0.9", "ru", "ru"),
        ("ru;q=0, en", "ru", "en"),
        ("*", "en", "en"),
        ("sr-ME", "ru", "sr_Latn"),  # Montenegrin Serbian is written in Latin
        ("en;q=abc, sr", "ru", "sr"),
        ("xx-YY, ", "hu", "en"),  # neither the reader's nor the default language has words: English
        ("", "sr_Latn", "sr_Latn"),
    ],
)
def test_page_language(accept: str, default: str, expected: str) -> None:
    assert page_language(accept, default) == expected


def test_check_token_tries_every_secret_and_says_why_it_refuses() -> None:
    token = make_token(OLD.encode(), "Ivan@Example.com")
    assert check_token([NEW.encode(), OLD.encode()], token) == "ivan@example.com"
    assert check_token([NEW.encode()], token) == Refused("unknown_signature")
    assert check_token([NEW.encode()], token[:-3]) == Refused("malformed")
    assert check_token([NEW.encode()], "no-dot-here") == Refused("malformed")
    assert check_token([], token) == Refused("no_secret")


def other_spellings(part: str) -> list[str]:
    """``part`` with its last base64url character changed only in the bits padding it: the bytes
    the decoder returns are the same."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    spare = {2: 0b1111, 3: 0b11}[len(part) % 4]  # 1 or 2 bytes in the last group: 4 or 2 spare bits
    value = alphabet.index(part[-1])
    return [
        part[:-1] + alphabet[(value & ~spare) | bits] for bits in range(spare + 1) if bits != value & spare
    ]


def test_a_token_is_honoured_only_as_it_was_signed_not_in_another_spelling_of_its_bytes() -> None:
    """A signature whose last character differed only in its 2 padding bits was honoured: the
    same MAC, not a forgery, but a link that is not the one sent must not be one that works."""
    token = make_token(NEW.encode(), "ivan@example.com")
    address, signature = token.split(".")
    assert len(signature) % 4 and len(address) % 4  # each has spare bits to change
    respelt = [f"{address}.{s}" for s in other_spellings(signature)]
    respelt += [f"{a}.{signature}" for a in other_spellings(address)]
    respelt += [
        f"{address}=.{signature}",
        f"{address}.{signature}=",
        f"{address}.{signature[:5]}!{signature[5:]}",
    ]
    assert respelt and all(t != token for t in respelt)
    assert check_token([NEW.encode()], token) == "ivan@example.com"
    for other in respelt:
        assert check_token([NEW.encode()], other) == Refused("malformed"), other


def test_the_refused_page_escapes_the_configured_mailto() -> None:
    page = render_page("invalid", "en", mailto='mailto:u@r.example?subject=stop"<x>')
    assert '"<x>' not in page and "&quot;&lt;x&gt;" in page


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("previous_secret_env: GREETER_UNSUB_OLD", ["GREETER_UNSUB_OLD"]),
        ("previous_secret_env: [A, B]", ["A", "B"]),
    ],
)
def test_previous_secret_env_takes_one_name_or_a_list(written: str, read: list[str]) -> None:
    text = MINIMAL + f"unsubscribe:\n  url: {URL}\n  secret_env: GREETER_UNSUB_SECRET\n  {written}\n"
    assert parse_settings(text, "greeter.yaml", today=TODAY).unsubscribe.previous_secret_env == read


@pytest.mark.parametrize(
    ("section", "expected"),
    [
        (
            f"  url: {URL}\n  secret_env: S\n  previous_secret_env: [OLD, 'hunter 2']\n",
            "greeter.yaml:20:30: unsubscribe.previous_secret_env.1: previous_secret_env names an environment "
            "variable (e.g. GREETER_UNSUBSCRIBE_SECRET_OLD), never the secret itself",
        ),
        (
            "  previous_secret_env: OLD\n",
            "unsubscribe.previous_secret_env: previous_secret_env needs secret_env or secret_file (the "
            "current key, which signs new links)",
        ),
        ("  previous_secrets_env: OLD\n", "did you mean `previous_secret_env`?"),
    ],
)
def test_a_wrong_previous_secret_env_is_refused_in_words(section: str, expected: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_settings(MINIMAL + "unsubscribe:\n" + section, "greeter.yaml", today=TODAY)
    (problem,) = [str(p) for p in info.value.problems]
    assert expected in problem, problem


def test_the_daemon_will_not_start_without_a_previous_secret_the_config_names(
    make_project: MakeProject,
) -> None:
    config = make_project(people(1), **unsubscribe(previous_secret_env=["GREETER_UNSUB_OLD"]))
    with DaemonProcess(config, *run_args(), env={"GREETER_UNSUB_SECRET": NEW}) as daemon:
        refusal = daemon.wait_for("cannot_start")
        assert daemon.proc is not None and daemon.proc.wait(timeout=30) == 2
    assert refusal["exit_code"] == 2
    assert refusal["problems"] == [
        "environment: GREETER_UNSUB_OLD: previous unsubscribe secret: environment variable GREETER_UNSUB_OLD "
        "is not set"
    ], refusal


def test_check_and_send_name_a_previous_secret_that_is_not_set(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only ``run`` refused a previous secret's variable that is not set: ``check`` said OK and the
    operator learnt of it when the daemon would not start."""
    from click.testing import CliRunner

    config = make_project(people(1), **unsubscribe(previous_secret_env=["GREETER_UNSUB_OLD"]))
    monkeypatch.setenv("GREETER_UNSUB_SECRET", NEW)
    monkeypatch.delenv("GREETER_UNSUB_OLD", raising=False)
    said = "previous unsubscribe secret: environment variable GREETER_UNSUB_OLD is not set"
    check = CliRunner().invoke(main, ["--config", str(config), "check"])
    assert check.exit_code != 0 and said in check.output, check.output
    send = CliRunner().invoke(main, ["--config", str(config), "send", "--once", "--dry-run"])
    assert send.exit_code == 2 and said in send.output, send.output
    monkeypatch.setenv("GREETER_UNSUB_OLD", OLD)
    assert said not in CliRunner().invoke(main, ["--config", str(config), "check"]).output


def test_a_one_click_unsubscribe_of_a_sharp_s_address_suppresses_that_mailbox(tmp_path: Path) -> None:
    """Found by a maintainer's review: the token case-folded «Straße@» to «strasse@», another
    mailbox (contacts.email_key lower-cases for exactly this), so the click suppressed that one
    and Straße stayed subscribed."""
    from datetime import UTC, datetime

    from greeter.journal import open_journal
    from greeter.unsubscribe import unsubscribe_person

    token = make_token(b"k" * 32, "Straße@example.de")
    address = check_token([b"k" * 32], token)
    assert address == "straße@example.de"
    now = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
    with open_journal(f"sqlite:///{tmp_path / 'j.sqlite3'}", now=now) as journal:
        assert unsubscribe_person(journal, address, now, "j.sqlite3") == 1
        assert journal.is_suppressed("Straße@example.de")
        assert not journal.is_suppressed("strasse@example.de")


def test_the_page_names_the_sender_the_reader_is_leaving_in_the_pages_language(
    make_project: MakeProject,
) -> None:
    """ "Stop receiving greetings from us": a client on two brands' lists could not tell which one.

    The offer and the done page name the sender as the letters in the page's
    language do (their From name: ``sender.by_locale``, else ``sender.name``).
    """
    config = make_project(people(1), **unsubscribe())
    link = make_token(NEW.encode(), "client1@example.com")
    with DaemonProcess(config, *run_args(), env={"GREETER_UNSUB_SECRET": NEW}) as daemon:
        daemon.wait_for("run")
        url = daemon.url(f"/unsubscribe/{link}")
        offers = {accept: http(url, None, {"Accept-Language": accept}) for accept in ("ru", "en", "sr-Latn")}
        done = http(url, ONE_CLICK, {"Accept-Language": "en"})
        assert daemon.stop() == 0
    assert {accept: status for accept, (status, _) in offers.items()} == {
        "ru": 200,
        "en": 200,
        "sr-Latn": 200,
    }
    assert "Нажмите кнопку, и ООО «Ромашка» больше не будет присылать Вам поздравления." in offers["ru"][1]
    assert "Press the button to stop receiving greetings from Romashka LLC." in offers["en"][1]
    assert "Romashka LLC Vam više neće slati čestitke" in offers["sr-Latn"][1]
    assert done[0] == 200
    assert "You are unsubscribed. Romashka LLC will not send you any more greetings." in done[1]


def test_the_sender_on_the_page_is_escaped() -> None:
    for kind, said in (("offer", "greetings from "), ("done", ". ")):
        page = render_page(kind, "en", sender='Tom & "Jerry" <b>')
        assert f"{said}Tom &amp; &quot;Jerry&quot; &lt;b&gt;" in page and "<b>" not in page
