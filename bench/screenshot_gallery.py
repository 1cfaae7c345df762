"""Build a realistic preview gallery and photograph it with headless Chromium.

Why: the gallery is for people, so it is judged by looking at it. This script
makes a dozen drafts of the kind greeter really produces (Russian names and
letters, several time zones, a merge, a frequency-cap skip, a belated
greeting, a template error), writes the gallery with
:func:`greeter.gallery.write_gallery` into ``bench/out/gallery`` and saves
``index.png`` and ``draft.png`` next to it.

``--locale de`` (any ``defaults.locale``) writes the gallery's own words in that
team's language — German and Hungarian have the longest labels to fit — while
the letters stay Russian.

Run: ``python bench/screenshot_gallery.py [--out DIR] [--chromium PATH] [--locale LOCALE]``.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from datetime import date, datetime
from pathlib import Path
from types import MappingProxyType
from zoneinfo import ZoneInfo

from greeter.config import Sender
from greeter.contacts import Contact, Gender
from greeter.gallery import write_gallery
from greeter.plan_types import Draft, Hit, PlanItem, Rendered

HERE = Path(__file__).resolve().parent
SENDER = Sender(name="ООО «Ромашка»", email="hello@romashka.example")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)

LETTER_HTML = """<!doctype html><html><body style="margin:0;background:#f4f1ea;font-family:Georgia,serif">
<table width="100%" cellpadding="0" cellspacing="0"><tr><td align="center" style="padding:28px 12px">
<table width="560" cellpadding="0" cellspacing="0" style="background:#fff;border-radius:10px;overflow:hidden">
<tr><td style="background:#8a1c2b;color:#fff;padding:22px 32px;font:600 20px/1.3 Arial,sans-serif">
ООО «Ромашка»</td></tr>
<tr><td style="padding:28px 32px;color:#2b2b2b;font-size:16px;line-height:1.6">
<p style="margin:0 0 14px">{salutation}!</p>
{paragraphs}
<p style="margin:22px 0 0">С уважением,<br>Мария Соколова<br>
<span style="color:#777">персональный менеджер, ООО «Ромашка»</span></p>
</td></tr></table></td></tr></table></body></html>"""


def contact(
    cid: str,
    first: str,
    patronymic: str,
    last: str,
    email: str | None,
    tz: str,
    gender: Gender,
    company: str = "",
) -> Contact:
    return Contact(
        id=cid,
        email=email,
        first_name=first,
        patronymic=patronymic,
        last_name=last,
        gender=gender,
        company=company,
        timezone=tz,
        dates=MappingProxyType({}),
    )


def letter(salutation: str, *paragraphs: str, subject: str, template: str) -> Rendered:
    text = f"{salutation}!\n\n" + "\n\n".join(paragraphs) + "\n\nС уважением,\nМария Соколова\nООО «Ромашка»"
    html = LETTER_HTML.format(
        salutation=salutation,
        paragraphs="".join(f'<p style="margin:0 0 14px">{p}</p>' for p in paragraphs),
    )
    return Rendered(subject=subject, text=text, html=html, template_file=template)


def sample_drafts() -> list[Draft]:
    """A dozen drafts like a real December plan (the planner's order: contact by contact)."""
    m, f = Gender.MALE, Gender.FEMALE
    ivan = contact(
        "c-101", "Иван", "Петрович", "Сидоров", "i.sidorov@stroymash.ru", "Europe/Moscow", m, "Строймаш"
    )
    anna = contact("c-102", "Анна", "Ильинична", "Кузнецова", "anna.k@severles.ru", "Asia/Vladivostok", f)
    rashid = contact("c-103", "Рашид", "Гусейн оглы", "Алиев", "aliev@kaspiy-trade.az", "Asia/Baku", m)
    olga = contact("c-104", "Ольга", "Сергеевна", "Белова", "o.belova@uralmet.ru", "Asia/Yekaterinburg", f)
    petr = contact("c-105", "Пётр", "Алексеевич", "Водкин", "p.vodkin@neva-logistic.ru", "Europe/Moscow", m)
    elena = contact("c-106", "Елена", "Викторовна", "Морозова", None, "Europe/Samara", f)
    sergey = contact("c-107", "Сергей", "Николаевич", "Орлов", "orlov@sibgaz.ru", "Asia/Novosibirsk", m)
    marina = contact("c-108", "Марина", "Олеговна", "Ткаченко", "m.tkachenko@yug-agro.ru", "Europe/Moscow", f)
    dmitry = contact(
        "c-109", "Дмитрий", "Павлович", "Лебедев", "lebedev@baltic-port.ru", "Europe/Kaliningrad", m
    )

    def tz(c: Contact) -> ZoneInfo:
        return ZoneInfo(c.timezone or "Europe/Moscow")

    def hit(c: Contact, occasion: str, d: date, years: int | None, priority: int = 50) -> Hit:
        return Hit(contact=c, occasion=occasion, date=d, years=years, priority=priority, template=occasion)

    def at(c: Contact, d: date, hh: int, mm: int) -> datetime:
        return datetime(d.year, d.month, d.day, hh, mm, tzinfo=tz(c))

    ny = date(2026, 1, 1)
    ivan_bd = hit(ivan, "birthday", date(2025, 12, 24), 50, 100)
    ivan_ny = hit(ivan, "new_year", ny, None, 60)
    anna_ny = hit(anna, "new_year", ny, None, 60)
    rashid_company = hit(rashid, "company_founded", date(2025, 12, 22), 15, 80)
    olga_deal = hit(olga, "first_deal", date(2025, 12, 23), 3, 70)
    olga_ny = hit(olga, "new_year", ny, None, 60)
    petr_bd = hit(petr, "birthday", date(2025, 12, 20), 41, 100)
    elena_ny = hit(elena, "new_year", ny, None, 60)
    sergey_ny = hit(sergey, "new_year", ny, None, 60)
    marina_bd = hit(marina, "birthday", date(2025, 12, 26), 35, 100)
    dmitry_ny = hit(dmitry, "new_year", ny, None, 60)

    wishes_ny = (
        "Поздравляем Вас с наступающим Новым годом! Пусть 2026 год принесёт Вам и Вашим близким "
        "здоровье, радость и новые успехи.",
        "Спасибо, что весь этот год Вы были с нами. Мы ценим наше сотрудничество "
        "и ждём новых общих проектов.",
    )
    return [
        Draft(
            PlanItem(ivan_bd, "send", send_at=at(ivan, date(2025, 12, 24), 11, 37), also=(ivan_ny,)),
            letter(
                "Уважаемый Иван Петрович",
                "От всей души поздравляем Вас с 50-летием! Полвека — прекрасный повод оглянуться на "
                "пройденный путь и наметить новые вершины.",
                "Желаем крепкого здоровья, энергии и удачи во всех начинаниях. И с наступающим Новым годом!",
                subject="С юбилеем, Иван Петрович!",
                template="birthday.j2",
            ),
        ),
        Draft(
            PlanItem(
                ivan_ny,
                "skip",
                reason="merged",
                merged_into="birthday",
                detail="в пределах 14 дней от дня рождения — поздравим одним письмом",
            )
        ),
        Draft(
            PlanItem(anna_ny, "send", send_at=at(anna, date(2025, 12, 30), 10, 12)),
            letter(
                "Уважаемая Анна Ильинична",
                *wishes_ny,
                subject="С наступающим Новым годом, Анна Ильинична!",
                template="new_year.j2",
            ),
        ),
        Draft(
            PlanItem(rashid_company, "send", send_at=at(rashid, date(2025, 12, 22), 14, 25)),
            letter(
                "Уважаемый Рашид Гусейн оглы",
                "Поздравляем компанию «Каспий Трейд» с 15-летием! За эти годы вы стали надёжным партнёром "
                "для сотен клиентов.",
                "Желаем уверенного роста, сильной команды и новых рынков.",
                subject="«Каспий Трейд» — 15 лет!",
                template="company_founded.j2",
            ),
        ),
        Draft(
            PlanItem(olga_deal, "send", send_at=at(olga, date(2025, 12, 23), 15, 5)),
            letter(
                "Уважаемая Ольга Сергеевна",
                "Ровно 3 года назад мы заключили первую сделку. "
                "Спасибо за доверие и за то, что выбираете нас!",
                subject="3 года вместе — спасибо, Ольга Сергеевна!",
                template="first_deal.j2",
            ),
        ),
        Draft(
            PlanItem(
                olga_ny,
                "skip",
                reason="frequency_cap",
                detail="7-е поздравление за 365 дней превысило бы max_count 6",
            )
        ),
        Draft(
            PlanItem(petr_bd, "send", send_at=at(petr, date(2025, 12, 22), 10, 48), belated=True),
            letter(
                "Уважаемый Пётр Алексеевич",
                "Пусть и с небольшим опозданием — сердечно поздравляем Вас с днём рождения!",
                "Желаем здоровья, благополучия и отличного настроения.",
                subject="С днём рождения, Пётр Алексеевич!",
                template="birthday.j2",
            ),
        ),
        Draft(
            PlanItem(elena_ny, "skip", reason="no_email", detail="в строке 17 нет адреса e-mail"),
        ),
        Draft(
            PlanItem(sergey_ny, "send", send_at=at(sergey, date(2025, 12, 30), 11, 3)),
            error="new_year.j2:7: 'contact.extra' has no attribute 'manager_phone'",
        ),
        Draft(
            PlanItem(marina_bd, "send", send_at=at(marina, date(2025, 12, 25), 16, 20)),
            letter(
                "Уважаемая Марина Олеговна",
                "Поздравляем Вас с днём рождения! Желаем, чтобы каждый день приносил радость, а работа — "
                "вдохновение.",
                subject="С днём рождения, Марина Олеговна!",
                template="birthday.j2",
            ),
        ),
        Draft(
            PlanItem(dmitry_ny, "skip", reason="suppressed", detail="адрес в стоп-листе с 12.03.2025"),
        ),
        Draft(
            PlanItem(
                hit(marina, "new_year", ny, None, 60), "send", send_at=at(marina, date(2025, 12, 30), 12, 41)
            ),
            letter(
                "Уважаемая Марина Олеговна",
                *wishes_ny,
                subject="С наступающим Новым годом, Марина Олеговна!",
                template="new_year.j2",
            ),
        ),
    ]


def screenshot(chromium: str, page: Path, png: Path, *, height: int) -> None:
    """One PNG of ``page`` as a 1280-wide browser window sees it."""
    with tempfile.TemporaryDirectory(prefix="greeter-chromium-") as profile:
        cmd = [
            chromium,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            f"--window-size=1280,{height}",
            f"--screenshot={png}",
            page.resolve().as_uri(),
        ]
        subprocess.run(cmd, check=True, timeout=60, capture_output=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=HERE / "out" / "gallery")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    parser.add_argument("--height", type=int, default=1400, help="window height for the index shot")
    parser.add_argument("--locale", default="ru", help="the team's defaults.locale: the gallery's language")
    args = parser.parse_args()

    now = datetime(2025, 12, 19, 9, 30, tzinfo=ZoneInfo("Europe/Moscow"))
    errors = write_gallery(
        sample_drafts(),
        args.out,
        start=date(2025, 12, 19),
        days=14,
        now=now,
        sender=SENDER,
        locale=args.locale,
    )
    print(f"gallery: {args.out / 'index.html'} ({errors} render error(s))")
    if not Path(args.chromium).exists():
        print(f"no Chromium at {args.chromium}: gallery written, no screenshots", file=sys.stderr)
        return 1
    shots = {
        "index.png": (args.out / "index.html", args.height),
        "draft.png": (next((args.out / "drafts").glob("*/1.html")), 1000),  # in its day's folder
    }
    for name, (page, height) in shots.items():
        png = args.out / name
        screenshot(args.chromium, page, png, height=height)
        print(f"screenshot: {png} ({png.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
