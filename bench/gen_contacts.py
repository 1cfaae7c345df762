"""Realistic synthetic CRM exports for the benchmarks (same headers as data/contacts.csv).

Deterministic for a seed; about 1 row in 1,000 is broken on purpose (an
impossible date, a bad e-mail) so benchmarks pay for validation too.
"""

from __future__ import annotations

import argparse
import csv
import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

HEADER = [
    "ID", "Email", "Фамилия", "Имя", "Отчество", "Пол", "Компания", "Часовой пояс", "Язык",
    "Категория", "Теги", "Дата рождения", "Дата основания компании", "Первая сделка", "Страна",
]  # fmt: skip
MEN = [("Иван", "Иванов"), ("Пётр", "Петров"), ("Сергей", "Смирнов"), ("Алексей", "Кузнецов"),
       ("Дмитрий", "Попов"), ("Андрей", "Соколов"), ("Михаил", "Лебедев"), ("Олег", "Морозов")]  # fmt: skip
WOMEN = [("Анна", "Иванова"), ("Мария", "Петрова"), ("Елена", "Смирнова"), ("Ольга", "Кузнецова"),
         ("Татьяна", "Попова"), ("Наталья", "Соколова"), ("Ирина", "Лебедева"), ("Юлия", "Морозова")]  # fmt: skip
FATHERS = ["Иван", "Пётр", "Сергей", "Николай", "Александр", "Владимир", "Михаил", "Юрий"]
ZONES = ["Europe/Moscow"] * 6 + ["Europe/Samara", "Asia/Yekaterinburg", "Asia/Novosibirsk", "Asia/Vladivostok",
                                 "Europe/Kaliningrad"]  # fmt: skip


def patronymic(father: str, male: bool) -> str:
    stems = {"Иван": "Иванов", "Пётр": "Петров", "Сергей": "Сергеев", "Николай": "Николаев",
             "Александр": "Александров", "Владимир": "Владимиров", "Михаил": "Михайлов", "Юрий": "Юрьев"}  # fmt: skip
    return stems[father] + ("ич" if male else "на")


def contact_rows(
    rows: int,
    seed: int = 1,
    *,
    zones: list[str] | None = None,
    leap_every: int = 0,
    no_email_every: int = 0,
) -> Iterator[list[str]]:
    """The data rows (no header) of a synthetic export, deterministic for a seed.

    The defaults give exactly the rows :func:`write_contacts` always wrote (so
    benchmarks stay comparable). The simulation (``tests/simulation.py``) asks
    for a richer mix: ``zones`` to draw time zones from, a 29 February
    birthday every ``leap_every`` rows and a row without e-mail every
    ``no_email_every`` rows (0: none). These use the row number, not the
    random stream, so the other columns of a row do not change with them.
    """
    rng = random.Random(seed)
    epoch = date(1950, 1, 1)
    for i in range(1, rows + 1):
        male = rng.random() < 0.5
        first, last = rng.choice(MEN if male else WOMEN)
        born = epoch + timedelta(days=rng.randrange(0, 365 * 55))
        founded = date(1995, 1, 1) + timedelta(days=rng.randrange(0, 365 * 30))
        deal = date(2012, 1, 1) + timedelta(days=rng.randrange(0, 365 * 14))
        birthday = born.strftime("%d.%m.%Y") if i % 1000 != 7 else "31.02.1980"
        if leap_every and i % leap_every == 0 and i % 1000 != 7:
            birthday = f"29.02.{1952 + 4 * (i % 13)}"
        email = f"client{i}@example.com" if i % 1000 != 13 else f"client {i}@example"
        if no_email_every and i % no_email_every == 0:
            email = ""
        middle = patronymic(rng.choice(FATHERS), male)  # drawn before the zone, as always
        zone = rng.choice(ZONES)
        if zones is not None:
            zone = zones[i % len(zones)]
        yield [
            str(i), email, last, first, middle, "",
            f"ООО «Компания {i % 5000}»", zone, "ru", "VIP" if i % 10 == 0 else "regular",
            "23feb" if male else "8mar", birthday, founded.strftime("%d.%m.%Y"), deal.strftime("%d.%m.%Y"),
            "Россия",
        ]  # fmt: skip


def write_contacts(
    path: Path,
    rows: int,
    encoding: str = "utf-8-sig",
    seed: int = 1,
    *,
    zones: list[str] | None = None,
    leap_every: int = 0,
    no_email_every: int = 0,
) -> None:
    """Write a synthetic export (``;``-separated, CRLF) of :func:`contact_rows` to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding=encoding, newline="") as fh:
        out = csv.writer(fh, delimiter=";", lineterminator="\r\n")
        out.writerow(HEADER)
        out.writerows(
            contact_rows(rows, seed, zones=zones, leap_every=leap_every, no_email_every=no_email_every)
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path", type=Path)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--encoding", default="utf-8-sig")
    args = parser.parse_args()
    write_contacts(args.path, args.rows, args.encoding)
