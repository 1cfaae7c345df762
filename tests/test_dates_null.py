"""``contacts.dates.first_deal: null`` says "not in this export", as ``columns.gender: null`` does.

A marketer whose CRM export has no first-deal column wrote ``first_deal:
null``, as the config's own comment teaches for the columns, and got
``Input should be a valid string``. Null is now read as for a column: nothing
reads it; an occasion that uses it is refused at its own line, saying why.

The real CLI in-process on a copy of config.example.yaml.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from ruamel.yaml import YAML

from tests.conftest import MakeProject, contact_row
from tests.test_baseline import invoke

NOW = "2026-12-01T09:00:00+03:00"


def no_first_deal(make_project: MakeProject, *, keep_occasion: bool) -> Path:
    config = make_project([contact_row("1", "a@example.com", birthday="10.12.1980")])
    yaml = YAML()
    data = yaml.load(config.read_text(encoding="utf-8"))
    data["contacts"]["dates"]["first_deal"] = None
    if not keep_occasion:
        data["occasions"] = [o for o in data["occasions"] if o.get("field") != "first_deal"]
    with config.open("w", encoding="utf-8") as fh:
        yaml.dump(data, fh)
    return config


def test_a_null_date_column_is_not_in_this_export(make_project: MakeProject) -> None:
    config = no_first_deal(make_project, keep_occasion=False)
    code, out, err = invoke(config, "check", "--now", NOW)
    assert code == 0, err
    assert "valid string" not in err and "config OK" in out


def test_an_occasion_on_a_null_date_column_is_refused_saying_so(make_project: MakeProject) -> None:
    config = no_first_deal(make_project, keep_occasion=True)
    code, _, err = invoke(config, "check", "--now", NOW)
    assert code == 2
    assert re.search(
        r"greeter\.yaml:\d+:\d+: occasions\.\d+\.field: contacts\.dates\.first_deal is null \(not in this"
        r" export\), so occasion 'first_deal_anniversary' would greet no one: remove the occasion, or give"
        r" first_deal its column's header",
        err,
    ), err


def test_the_schema_allows_it(make_project: MakeProject) -> None:
    config = make_project([contact_row("1", "a@example.com")])
    code, out, _ = invoke(config, "schema")
    assert code == 0
    dates = json.loads(out)["$defs"]["ContactsSource"]["properties"]["dates"]
    assert dates["additionalProperties"] == {"anyOf": [{"type": "string"}, {"type": "null"}]}
