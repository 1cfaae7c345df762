"""Non-ASCII local parts: never rewritten into another mailbox, keyed the same on every path.

``\\u212aarl@example.com`` (the KELVIN SIGN, which looks like ``K``) was loaded
as the ASCII ``Karl@example.com``: email_validator's normalisation rewrote
it, and greeter greeted a mailbox the CRM does not hold. ``str.lower`` maps
the sign to ``k`` as well, so ``greeter unsuppress \\u212aarl@example.com``
lifted ``karl@example.com``'s opt-out. Such an address is refused now, at
its row and as an argument, naming the character. An address the same
under compatibility mapping (``İpek@``, ``josé@`` typed composed or not) is
keyed one way whichever path computes the key: suppress, unsuppress,
forget, ``suppress --list``, the one-click token.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from greeter.cli import main
from greeter.config import Defaults
from greeter.config_contacts import ContactsSource
from greeter.contacts import email_key, valid_email
from greeter.sources import load_contacts
from greeter.unsubscribe import make_token
from tests.conftest import MakeProject, contact_row

DAY = "2027-04-12"
NOW = f"{DAY}T09:00"
KELVIN = "\u212aarl@example.com"  # looks like Karl@example.com
IPEK = "\u0130pek@example.com"  # a Turkish dotted capital İ, one code point
IPEK_DECOMPOSED = "I\u0307pek@example.com"  # the same, as I + COMBINING DOT ABOVE
IPEK_KEY = "i\u0307pek@example.com"  # Unicode's lower case: not the ASCII ipek@, another mailbox
JOSE_NFD = unicodedata.normalize("NFD", "josé@example.com")


def greeter(config: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--config", str(config), *args])


def listed(config: Path) -> dict[str, str]:
    result = greeter(config, "suppress", "--list", "--format", "json")
    if result.exit_code == 2 and result.stderr.startswith("no journal at "):
        return {}
    assert result.exit_code == 0, result.output
    return {row["email"]: row["reason"] for row in json.loads(result.stdout)}


@pytest.mark.parametrize(
    ("cell", "named"),
    [
        (KELVIN, "U+212A KELVIN SIGN, a look-alike of 'K'"),
        ("\ufb01le@example.com", "U+FB01 LATIN SMALL LIGATURE FI, a look-alike of 'fi'"),
        ("\uff49nfo@example.com", "U+FF49 FULLWIDTH LATIN SMALL LETTER I, a look-alike of 'i'"),
    ],
)
def test_a_look_alike_local_part_is_refused_at_its_row_not_rewritten(
    tmp_path: Path, cell: str, named: str
) -> None:
    path = tmp_path / "contacts.csv"
    path.write_text(f"id;email;first_name;patronymic;last_name\n1;{cell};Карл;;Шмидт\n", encoding="utf-8")
    contacts, report = load_contacts(ContactsSource(path=path), Defaults())
    assert contacts == []  # not loaded as Karl@example.com (nor file@, info@)
    (rejection,) = report.rejections
    (error,) = [str(p) for p in rejection.errors]
    assert error.startswith(
        f"{path}:row 2: email: {cell!r} is not a valid e-mail address: before the @ it has "
    )
    assert named in error and "retype the address in the CRM" in error


def test_check_and_preview_reject_the_look_alike_row_as_any_invalid_address(
    make_project: MakeProject,
) -> None:
    """Rejected at its row like ``client02@`` (exit 1, the row named), never planned for Karl@."""
    config = make_project(
        [
            contact_row("1", KELVIN, birthday="12.04.1980"),
            contact_row("2", "ok@example.com", birthday="12.04.1980"),
        ]
    )
    checked = greeter(config, "check", "--now", NOW)
    assert checked.exit_code == 1
    assert "contacts: 1 loaded from 2 rows, 1 rejected" in checked.stdout
    (problem,) = [line for line in checked.output.splitlines() if "KELVIN" in line]
    assert problem.lstrip().endswith(
        f"contacts.csv:row 2: Email: {KELVIN!r} is not a valid e-mail address: before the @ it has"
        f" {chr(0x212A)!r} (U+212A KELVIN SIGN, a look-alike of 'K'): the mailbox would be another one"
        " than the CRM's; retype the address in the CRM"
    )
    previewed = greeter(config, "preview", "--from", DAY, "--days", "1", "--format", "json", "--now", NOW)
    assert previewed.exit_code == 1
    assert [i["email"] for i in json.loads(previewed.stdout)] == ["ok@example.com"]
    assert "row 2: Email:" in previewed.stderr and "Karl@example.com" not in previewed.stdout


def test_suppress_refuses_the_look_alike_and_unsuppress_leaves_karls_opt_out(
    make_project: MakeProject,
) -> None:
    config = make_project([contact_row("1", "karl@example.com", birthday="12.04.1980")])
    refused = greeter(config, "suppress", KELVIN)
    assert refused.exit_code == 1
    assert f"argument 1: {KELVIN!r} is not a valid e-mail address: before the @ it has " in refused.stderr
    assert "U+212A KELVIN SIGN" in refused.stderr and refused.stderr.rstrip().endswith("not suppressed")
    assert listed(config) == {}  # not karl@example.com: another person

    assert greeter(config, "suppress", "karl@example.com", "--reason", "asked by phone").exit_code == 0
    kept = greeter(config, "unsuppress", KELVIN)
    assert kept.exit_code == 1 and "nothing removed" in kept.stderr
    assert listed(config) == {"karl@example.com": "asked by phone"}  # Karl's objection stands


def test_a_look_alike_beside_another_address_in_one_argument_is_not_taken_as_karl(
    make_project: MakeProject,
) -> None:
    """A cell of several addresses was split lower-cased: the KELVIN SIGN became an ASCII k, and
    both karl@ and anna@ were stored. Now it is one valid address of two, as ``bad@x, anna@…``."""
    config = make_project([contact_row("1", "karl@example.com", birthday="12.04.1980")])
    result = greeter(config, "suppress", f"{KELVIN}, anna@example.com")
    assert result.exit_code == 1
    assert "it holds 2 addresses, and which one is meant cannot be told; not suppressed" in result.stderr
    assert listed(config) == {}


def test_a_non_ascii_local_part_is_loaded_as_before(tmp_path: Path) -> None:
    """İpek@ and josé@ (either form) are not look-alikes: loaded without an e-mail, as any SMTPUTF8 one."""
    path = tmp_path / "contacts.csv"
    rows = "".join(
        f"{n};{cell};Ипек;;Йылмаз\n" for n, cell in enumerate([IPEK, IPEK_DECOMPOSED, JOSE_NFD], 1)
    )
    path.write_text(f"id;email;first_name;patronymic;last_name\n{rows}", encoding="utf-8")
    contacts, report = load_contacts(ContactsSource(path=path), Defaults())
    assert [c.email for c in contacts] == [None, None, None]
    assert report.rejections == []
    assert all("local part is not ASCII" in str(p) for p in report.problems) and len(report.problems) == 3


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        (IPEK, IPEK_KEY),
        (IPEK_DECOMPOSED, IPEK_KEY),
        ("josé@example.com", "josé@example.com"),
        (JOSE_NFD, "josé@example.com"),
        ("Straße@Example.de", "straße@example.de"),  # lower-cased, not case-folded (the ß fix)
        ("Client01@Example.COM", "client01@example.com"),
    ],
)
def test_every_path_keys_a_typed_address_alike(typed: str, key: str) -> None:
    """The key of the text as typed, of the address valid_email gives, and of the key itself."""
    loaded = valid_email(typed)
    assert loaded is not None
    assert email_key(typed) == email_key(loaded) == email_key(key) == key
    assert make_token(b"s" * 32, typed) == make_token(b"s" * 32, loaded)  # one-click: the same address


def test_the_keys_of_look_alikes_are_no_ascii_mailboxs() -> None:
    assert email_key(KELVIN) != "karl@example.com"
    assert email_key("\u212bngstr\u00f6m@example.com") != email_key("\u00c5ngstr\u00f6m@example.com")


@pytest.mark.parametrize("typed", [IPEK, IPEK_DECOMPOSED])
def test_suppress_unsuppress_and_list_agree_on_a_non_ascii_local_part(
    make_project: MakeProject, typed: str
) -> None:
    config = make_project([contact_row("1", "ipek@example.com", birthday="12.04.1980")])
    assert greeter(config, "suppress", typed, "--reason", "unsubscribed").exit_code == 0
    assert listed(config) == {IPEK_KEY: "unsubscribed"}  # never the ASCII ipek@, another person
    other = IPEK_DECOMPOSED if typed == IPEK else IPEK
    found = greeter(config, "suppress", "--list", other, "--format", "json")
    assert found.exit_code == 0, found.output
    assert [row["email"] for row in json.loads(found.stdout)] == [IPEK_KEY]
    ascii_one = greeter(config, "unsuppress", "ipek@example.com")
    assert ascii_one.exit_code == 1 and listed(config) == {IPEK_KEY: "unsubscribed"}
    assert greeter(config, "unsuppress", other).exit_code == 0
    assert listed(config) == {}


def test_suppress_and_forget_store_one_key_for_a_decomposed_address(make_project: MakeProject) -> None:
    config = make_project([contact_row("1", "jose@example.com", birthday="12.04.1980")])
    assert greeter(config, "suppress", JOSE_NFD).exit_code == 0
    assert greeter(config, "forget", "josé@example.com", "--yes").exit_code == 0
    assert list(listed(config)) == ["josé@example.com"]  # one entry, in NFC: not two spellings
