"""Realistic synthetic CRM exports for the benchmarks (same headers as data/contacts.csv).

Deterministic for a seed; about 1 row in 1,000 is broken on purpose (an
impossible date, a bad e-mail) so benchmarks pay for validation too.
"""

from __future__ import annotations

import argparse
import csv
import random
from datetime import date, timedelta
from pathlib import Path

HEADER = [
    "ID", "Email", "Фамилия", "Имя", "Отчество", "Пол", "Компания", "Часовой пояс", "Язык",
    "Категория", "Теги", "Дата рождения", "Дата основания компании", "Первая сделка",
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


def write_contacts(path: Path, rows: int, encoding: str = "utf-8-sig", seed: int = 1) -> None:
    rng = random.Random(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    epoch = date(1950, 1, 1)
    with path.open("w", encoding=encoding, newline="") as fh:
        out = csv.writer(fh, delimiter=";", lineterminator="\r\n")
        out.writerow(HEADER)
        for i in range(1, rows + 1):
            male = rng.random() < 0.5
            first, last = rng.choice(MEN if male else WOMEN)
            born = epoch + timedelta(days=rng.randrange(0, 365 * 55))
            founded = date(1995, 1, 1) + timedelta(days=rng.randrange(0, 365 * 30))
            deal = date(2012, 1, 1) + timedelta(days=rng.randrange(0, 365 * 14))
            birthday = born.strftime("%d.%m.%Y") if i % 1000 != 7 else "31.02.1980"
            email = f"client{i}@example.com" if i % 1000 != 13 else f"client {i}@example"
            out.writerow([
                str(i), email, last, first, patronymic(rng.choice(FATHERS), male), "",
                f"ООО «Компания {i % 5000}»", rng.choice(ZONES), "ru", "VIP" if i % 10 == 0 else "regular",
                "23feb" if male else "8mar", birthday, founded.strftime("%d.%m.%Y"), deal.strftime("%d.%m.%Y"),
            ])  # fmt: skip


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path", type=Path)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--encoding", default="utf-8-sig")
    args = parser.parse_args()
    write_contacts(args.path, args.rows, args.encoding)
