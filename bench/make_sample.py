"""Regenerates data/contacts.csv, the sample CRM export (UTF-8 with BOM, `;`, Russian headers).

Dates are spread so that every 30-day window of the year holds several greetings
(tests/test_sample_data.py checks it). Run: python bench/make_sample.py
"""

import csv
import io
from datetime import date, timedelta
from pathlib import Path

people = [
    # last, first, patronymic, gender, company, tz, locale, tier, tags
    ("Иванов", "Иван", "Петрович", "м", "ООО «Вектор»", "Europe/Moscow", "ru", "VIP", "23feb"),
    ("Смирнова", "Анна", "Ильинична", "ж", "АО «Северсталь-Сервис»", "Europe/Moscow", "ru", "VIP", "8mar"),
    ("Кузнецов", "Дмитрий", "Сергеевич", "", "ИП Кузнецов Д. С.", "Europe/Samara", "ru", "regular", "23feb"),
    (
        "Попова",
        "Елена",
        "Викторовна",
        "",
        "ООО «Лента-Логистик»",
        "Asia/Yekaterinburg",
        "ru",
        "regular",
        "8mar",
    ),
    ("Алиев", "Гусейн", "Рашид оглы", "", "ООО «Каспий Трейд»", "Europe/Moscow", "ru", "VIP", "23feb"),
    ("Мамедова", "Лейла", "Рашид кызы", "", "ООО «Бакинские сады»", "Europe/Moscow", "ru", "regular", "8mar"),
    (
        "Петрова-Водкина",
        "Анна-Мария",
        "Олеговна",
        "ж",
        "Галерея «Холст»",
        "Europe/Kaliningrad",
        "ru",
        "VIP",
        "8mar",
    ),
    ("Соколов", "Алексей", "", "м", "ООО «Сокол»", "Asia/Novosibirsk", "ru", "regular", ""),
    ("Волкова", "Мария", "", "ж", "ООО «Волна»", "Asia/Vladivostok", "ru", "regular", "8mar"),
    ("Лебедев", "Сергей", "Николаевич", "", "ПАО «Лебедь-Банк»", "Asia/Vladivostok", "ru", "VIP", "23feb"),
    ("Новикова", "Ольга", "Андреевна", "", "ООО «Новстрой»", "Asia/Novosibirsk", "ru", "regular", "8mar"),
    (
        "Морозов",
        "Павел",
        "Алексеевич",
        "",
        "ООО «Мороз и партнёры»",
        "Europe/Moscow",
        "ru",
        "regular",
        "23feb",
    ),
    ("Фёдорова", "Татьяна", "Юрьевна", "", "ООО «Фёдоров и сыновья»", "Europe/Samara", "ru", "VIP", "8mar"),
    ("Михайлов", "Андрей", "Владимирович", "", "ООО «МихСтрой»", "Asia/Yekaterinburg", "ru", "regular", ""),
    ("Smith", "John", "", "m", "Smith Imports Ltd", "Europe/London", "en", "VIP", ""),
    ("Јовановић", "Милан", "", "м", "Jovanović d.o.o.", "Europe/Belgrade", "sr", "regular", ""),
    ("Егорова", "Наталья", "Сергеевна", "", "ООО «Егорьевск-Агро»", "Europe/Moscow", "ru", "regular", "8mar"),
    ("Николаев", "Виктор", "Степанович", "", "АО «НИКА»", "Europe/Moscow", "ru", "VIP", "23feb"),
    ("Орлова", "Ирина", "Михайловна", "", "ООО «Орлан»", "Europe/Kaliningrad", "ru", "regular", "8mar"),
    ("Захаров", "Константин", "Игоревич", "", "ООО «Заря»", "Asia/Novosibirsk", "ru", "regular", "23feb"),
    ("Кузнецова", "Зинаида", "Павловна", "", "ООО «Кузница»", "Europe/Moscow", "ru", "regular", "8mar"),
    ("Белов", "Артём", "Евгеньевич", "", "ООО «Белый медведь»", "Asia/Vladivostok", "ru", "VIP", "23feb"),
    ("Комарова", "Светлана", "Дмитриевна", "", "ООО «Комар»", "Europe/Samara", "ru", "regular", "8mar"),
    ("Семёнов", "Роман", "Валерьевич", "", "ООО «Семь ветров»", "Europe/Moscow", "ru", "regular", ""),
    ("Васильева", "Юлия", "Александровна", "", "ООО «Василёк»", "Asia/Yekaterinburg", "ru", "VIP", "8mar"),
    ("Зайцев", "Григорий", "Львович", "", "ООО «Заяц»", "Europe/Moscow", "ru", "regular", "23feb"),
    ("Miller", "Anna", "", "f", "Miller GmbH", "Europe/Berlin", "en", "regular", ""),
    ("Тарасов", "Олег", "Борисович", "", "ООО «Тарас»", "Europe/Moscow", "ru", "regular", "23feb"),
    (
        "Гусева",
        "Вера",
        "Константиновна",
        "",
        "ООО «Гусь-Хрусталь-Опт»",
        "Europe/Moscow",
        "ru",
        "regular",
        "8mar",
    ),
    ("Журавлёв", "Евгений", "Павлович", "", "ООО «Журавль»", "Asia/Novosibirsk", "ru", "regular", ""),
]
translit = {}
#: The country column as CRMs fill it in: a name, in the CRM's language.
COUNTRY = {"Europe/London": "Англия", "Europe/Berlin": "Германия", "Europe/Belgrade": "Сербия"}


def email(i, last):
    return f"client{i + 1:02d}@example.com"


rows = []
base = date(2001, 1, 6)
for i, p in enumerate(people):
    last, first, patr, g, comp, tz, loc, tier, tags = p
    bday = date(1960 + (i * 7) % 35, 1, 1) + timedelta(days=(6 + i * 12) % 365)
    bday = bday.replace(year=1960 + (i * 7) % 35)
    found = date(2027 - [5, 10, 15, 20, 25, 7, 12, 30, 3, 8][i % 10], 1, 1) + timedelta(
        days=(130 + i * 12) % 365
    )
    deal = date(2026 - (1 + i % 9), 1, 1) + timedelta(days=(250 + i * 12) % 365)
    rows.append(
        [
            str(1000 + i + 1),
            email(i, last),
            last,
            first,
            patr,
            g,
            comp,
            tz,
            loc,
            tier,
            tags,
            bday.strftime("%d.%m.%Y"),
            found.strftime("%d.%m.%Y"),
            deal.strftime("%d.%m.%Y"),
            COUNTRY.get(tz, "Россия"),
        ]
    )
# specials
rows[5][11] = "29.02.1988"  # leap-day birthday (Мамедова)
rows[1][11] = "02.01.1979"  # collides with New Year (Смирнова)
rows[20][11] = "31.02.1980"  # the deliberately broken row (Кузнецова Зинаида)
rows[23][1] = ""  # no e-mail (Семёнов)
rows[18][11] = "20.01.1981"  # January is thin after the New Year holidays: two more birthdays
rows[25][11] = "26.01.1960"
out = io.StringIO()
w = csv.writer(out, delimiter=";", lineterminator="\r\n")
w.writerow(
    [
        "ID",
        "Email",
        "Фамилия",
        "Имя",
        "Отчество",
        "Пол",
        "Компания",
        "Часовой пояс",
        "Язык",
        "Категория",
        "Теги",
        "Дата рождения",
        "Дата основания компании",
        "Первая сделка",
        "Страна",
    ]
)
w.writerows(rows)
target = Path(__file__).resolve().parent.parent / "data" / "contacts.csv"
target.write_text(out.getvalue(), encoding="utf-8-sig", newline="")
