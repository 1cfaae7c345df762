"""What ``greeter init --locale LANG`` changes in the Russian example config, by language — pure.

A Serbian team ran ``init --locale sr`` and got a project whose letters were
Serbian but whose config was Moscow's: ``timezone: Europe/Moscow``,
``country: RU`` (Russia's days off), Russian column headers over Russian sample
clients, occasions titled «День рождения», and 23 February and 8 March
greeted as public holidays (which Serbia has not: ``check`` rejects the
names). They rewrote the config. Here is, per starter language, what a
project for that country needs instead:

- the country and its zone: the language's likely territory (CLDR's likely
  subtags, as Babel gives them: sr → RS, et → EE, hu → HU, de → DE), but for
  English, whose likely territory is the US, with six time zones and
  state holidays: GB-ENG (one zone; the English letters close British-style;
  England's bank holidays, as ``check`` asks of GB: Easter Monday is regional);
  ``init --country`` names another;
- the occasions' titles in the language, and ``title_by_locale`` giving the
  other starter languages' letters their own (``check`` warns of a Serbian
  title printed in a Russian letter);
- the sample contacts' headers (``data/contacts.<lang>.csv`` is written as
  ``data/contacts.csv``), and the gender column's words; with ``--country`` its
  clients are that country's, in its zone (:func:`contacts_in_country`);
- Russia's public holidays (:data:`RUSSIA_ONLY`) commented out but for those on a day the
  country keeps too (8 March in Kazakhstan, by its name there), and the
  country's own main holidays offered as commented examples, by names the
  ``holidays`` library gives them there (tests uncomment them and run ``check``);
  for a country without a row here, the names its calendar has, listed.

Each language's words were chosen by hand; a new starter language needs its
row here (tests/test_init_country.py fails without one).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

#: Occasions of the example config that are public holidays of Russia alone: off for other countries.
RUSSIA_ONLY: Final = frozenset({"defender_day", "womens_day", "victory_day", "russia_day", "unity_day"})


@dataclass(frozen=True, slots=True)
class HolidayExample:
    """A commented example occasion for a country's own public holiday."""

    name: str  # the occasion's name (the templates word ``christmas`` themselves)
    title: str
    holiday: str  # as the holidays library names it for the country
    #: The language of ``title``, when it is not the project's whatever it is (a Kazakh office's
    #: Russian «Наурыз»): offered in a project of that language alone (an English one lists names).
    locale: str | None = None
    #: A Christmas before New Year (24–25 December): its letter leads and carries the New Year's
    #: wishes (:data:`CHRISTMAS_LEADS`), never belated. Not Orthodox Christmas (7 January).
    before_new_year: bool = False
    #: Its title in Russian letters, where the holidays library has no Russian of the country's
    #: calendar (:func:`example_titles`): the Estonian and Serbian samples have Russian-speaking
    #: clients, whose letters named «Дан државности» in Serbian.
    ru: str | None = None
    #: The language of ``title`` where no starter is written in it (Georgian, ``ka``): its
    #: ``title_by_locale`` entry, the project's own language titling it (:func:`_examples`).
    own: str | None = None


#: The priority of a Christmas before New Year (:attr:`HolidayExample.before_new_year`): above
#: New Year (60) and the anniversaries (80, 70), below the birthday (100). At 30, under New
#: Year, a Hungarian team's clients got «Újév + Karácsony» on 29 December, Christmas wished four
#: days late («a nemrég elmúlt karácsony»): New Year led the two, 14 days (min_gap_days) apart.
#: Where the Christmas card («Kellemes karácsonyi ünnepeket és boldog új évet!», «Frohe
#: Weihnachten und einen guten Rutsch», «Häid jõule ja head uut aastat») is the letter of the
#: year, it leads: New Year rides in it ahead (``merge_max_days_early: null`` on New Year, so a
#: ``send_window.max_days_early`` cannot keep it out — and, the gap leaving no room for a letter
#: of its own, out of every letter), an anniversary of early December in it after. A birthday
#: still leads: one of 14 December carries Christmas early; one of 29 December leaves Christmas
#: out (merge_max_days_late 0: never belated), skipped as frequency_cap saying why.
CHRISTMAS_LEADS: Final = 90


@dataclass(frozen=True, slots=True)
class StarterLanguage:
    """A starter language's country, titles and sample-contacts headers."""

    country: str
    timezone: str
    #: Occasion name → its title in the language (the example config's birthday … new_year).
    titles: Mapping[str, str]
    #: ``contacts.columns`` / ``contacts.dates`` key → the header in the sample file (None: no such column).
    columns: Mapping[str, str | None]
    #: How the sample names the country in words (the Russian one: «Россия»): its clients there,
    #: whatever their zone, are moved to ``init --country``'s (:func:`contacts_in_country`).
    country_names: tuple[str, ...] = ()
    #: ``contacts.date_formats`` when the country writes dates otherwise than the example's
    #: ``%d.%m.%Y`` (:func:`with_date_formats`); empty: the example's.
    date_formats: tuple[str, ...] = ()


_RU_TITLES: Final = {
    "birthday": "День рождения",
    "company_anniversary": "Годовщина компании",
    "first_deal_anniversary": "Годовщина сотрудничества",
    "new_year": "Новый год",
}


def _columns(*headers: str | None) -> dict[str, str | None]:
    keys = (
        *("id", "email", "first_name", "patronymic", "last_name", "gender", "company", "timezone"),
        *("locale", "country", "tier", "tags", "birthday", "company_founded", "first_deal"),
    )
    return dict(zip(keys, headers, strict=True))


LANGUAGES: Final[Mapping[str, StarterLanguage]] = {
    "ru": StarterLanguage(
        "RU",
        "Europe/Moscow",
        _RU_TITLES,
        _columns(
            "ID",
            "Email",
            "Имя",
            "Отчество",
            "Фамилия",
            "Пол",
            "Компания",
            "Часовой пояс",
            "Язык",
            "Страна",
            "Категория",
            "Теги",
            "Дата рождения",
            "Дата основания компании",
            "Первая сделка",
        ),
        ("Россия",),
    ),
    "de": StarterLanguage(
        "DE",
        "Europe/Berlin",
        {
            "birthday": "Geburtstag",
            "company_anniversary": "Firmenjubiläum",
            "first_deal_anniversary": "Jubiläum der Zusammenarbeit",
            "new_year": "Neujahr",
        },
        _columns(
            "ID",
            "E-Mail",
            "Vorname",
            None,
            "Nachname",
            "Geschlecht",
            "Firma",
            "Zeitzone",
            "Sprache",
            "Land",
            "Kategorie",
            "Schlagwörter",
            "Geburtsdatum",
            "Gründungsdatum",
            "Erster Abschluss",
        ),
    ),
    "en": StarterLanguage(
        "GB-ENG",
        "Europe/London",
        {
            "birthday": "Birthday",
            "company_anniversary": "Company anniversary",
            "first_deal_anniversary": "Partnership anniversary",
            "new_year": "New Year",
        },
        _columns(
            "ID",
            "Email",
            "First name",
            None,
            "Last name",
            "Gender",
            "Company",
            "Time zone",
            "Language",
            "Country",
            "Tier",
            "Tags",
            "Date of birth",
            "Company founded",
            "First deal",
        ),
    ),
    "et": StarterLanguage(
        "EE",
        "Europe/Tallinn",
        {
            "birthday": "Sünnipäev",
            "company_anniversary": "Ettevõtte aastapäev",
            "first_deal_anniversary": "Koostöö aastapäev",
            "new_year": "Uusaasta",
        },
        _columns(
            "ID",
            "E-post",
            "Eesnimi",
            None,
            "Perekonnanimi",
            "Sugu",
            "Ettevõte",
            "Ajavöönd",
            "Keel",
            "Riik",
            "Kategooria",
            "Sildid",
            "Sünnikuupäev",
            "Ettevõtte asutamiskuupäev",
            "Esimene tehing",
        ),
    ),
    "hu": StarterLanguage(
        "HU",
        "Europe/Budapest",
        {
            "birthday": "Születésnap",
            "company_anniversary": "Cégalapítás évfordulója",
            "first_deal_anniversary": "Együttműködés évfordulója",
            "new_year": "Újév",
        },
        _columns(
            "ID",
            "E-mail",
            "Keresztnév",
            None,
            "Vezetéknév",
            "Nem",
            "Cég",
            "Időzóna",
            "Nyelv",
            "Ország",
            "Kategória",
            "Címkék",
            "Születési dátum",
            "Cégalapítás dátuma",
            "Első üzletkötés",
        ),
        # The Hungarian standard (MSZ ISO 8601, AkH.) is year first, the day closed by a dot:
        # «1975.12.07.»; CRMs and Excel also write «1975.12.07» and «1975. 12. 07.». A
        # Hungarian team's export failed every value under the example's two. The first
        # makes a date without its year month first: «12.27.» (docs/contacts.md).
        date_formats=("%Y.%m.%d.", "%Y.%m.%d", "%Y. %m. %d.", "%Y-%m-%d", "%d.%m.%Y"),
    ),
    "uk": StarterLanguage(
        "UA",
        "Europe/Kyiv",  # not Crimea's Europe/Simferopol, which the zone table lists first
        {
            "birthday": "День народження",
            "company_anniversary": "Річниця компанії",
            "first_deal_anniversary": "Річниця співпраці",
            "new_year": "Новий рік",
        },
        _columns(
            "ID",
            "Email",
            "Ім’я",
            "По батькові",
            "Прізвище",
            "Стать",
            "Компанія",
            "Часовий пояс",
            "Мова",
            "Країна",
            "Категорія",
            "Теги",
            "Дата народження",
            "Дата заснування компанії",
            "Перша угода",
        ),
    ),
    "ka": StarterLanguage(
        "GE",
        "Asia/Tbilisi",
        {
            "birthday": "დაბადების დღე",
            "company_anniversary": "კომპანიის წლისთავი",
            "first_deal_anniversary": "თანამშრომლობის წლისთავი",
            "new_year": "ახალი წელი",
        },
        _columns(
            "ID",
            "ელფოსტა",
            "სახელი",
            None,  # a Georgian patronymic (შალვას ძე) is a document's, not a CRM's
            "გვარი",
            "სქესი",
            "კომპანია",
            "დროის სარტყელი",
            "ენა",
            "ქვეყანა",
            "კატეგორია",
            "ტეგები",
            "დაბადების თარიღი",
            "კომპანიის დაარსების თარიღი",
            "პირველი გარიგება",
        ),
    ),
    "sr": StarterLanguage(
        "RS",
        "Europe/Belgrade",
        {
            "birthday": "Рођендан",
            "company_anniversary": "Годишњица компаније",
            "first_deal_anniversary": "Годишњица сарадње",
            "new_year": "Нова година",
        },
        _columns(
            "ID",
            "Е-пошта",
            "Име",
            None,
            "Презиме",
            "Пол",
            "Компанија",
            "Временска зона",
            "Језик",
            "Држава",
            "Категорија",
            "Ознаке",
            "Датум рођења",
            "Датум оснивања компаније",
            "Први уговор",
        ),
    ),
}

#: A country's main public holidays, as commented example occasions (by the library's names there).
HOLIDAYS: Final[Mapping[str, tuple[HolidayExample, ...]]] = {
    "RS": (
        HolidayExample(
            "christmas", "Божић", "Божић", ru="Рождество Христово"
        ),  # Orthodox Christmas, 7 January
        HolidayExample(
            "statehood_day", "Дан државности", "Дан државности", ru="День государственности Сербии"
        ),
    ),
    "EE": (
        HolidayExample("christmas", "Jõulud", "jõululaupäev", before_new_year=True, ru="Рождество"),
        HolidayExample(
            "ee_independence", "Eesti Vabariigi aastapäev", "iseseisvuspäev", ru="День независимости Эстонии"
        ),
    ),
    "HU": (
        HolidayExample("christmas", "Karácsony", "Karácsony", before_new_year=True, ru="Рождество"),
        # 15 March (1848) and 23 October (1956), which the calendar names alike; _hu.j2 words each.
        HolidayExample(
            "hu_national_day", "Nemzeti ünnep", "Nemzeti ünnep", ru="Национальный праздник Венгрии"
        ),
        HolidayExample(
            "hu_state_day",
            "Az államalapítás ünnepe",
            "Az államalapítás ünnepe",
            ru="День основания Венгерского государства",
        ),  # 20 August
    ),
    "DE": (
        HolidayExample(
            "christmas", "Weihnachten", "Erster Weihnachtstag", before_new_year=True, ru="Рождество"
        ),
        HolidayExample(
            "de_unity_day",
            "Tag der Deutschen Einheit",
            "Tag der Deutschen Einheit",
            ru="День германского единства",
        ),
    ),
    "GB": (HolidayExample("christmas", "Christmas", "Christmas Day", before_new_year=True, ru="Рождество"),),
    # Brazil's and Portugal's by the library's English names (its Portuguese ones are accepted too):
    # ``init --country BR`` said "greeter has no example holiday for BR" though its --help promised
    # the country's own. Carnival is in the library's optional category: no day off, named all the same.
    "BR": (
        HolidayExample("christmas", "Christmas", "Christmas Day", before_new_year=True, ru="Рождество"),
        HolidayExample("br_tiradentes", "Tiradentes' Day", "Tiradentes' Day", ru="День Тирадентиса"),
        HolidayExample(
            "br_independence", "Independence Day", "Independence Day", ru="День независимости Бразилии"
        ),
    ),
    "PT": (
        HolidayExample("christmas", "Christmas", "Christmas Day", before_new_year=True, ru="Рождество"),
        HolidayExample("pt_freedom_day", "Freedom Day", "Freedom Day", ru="День свободы"),
        HolidayExample(
            "pt_portugal_day",
            "Portugal Day",
            "Day of Portugal, Camões, and the Portuguese Communities",
            ru="День Португалии",
        ),
    ),
    # Countries a starter language is spoken in too (init --locale de --country AT).
    "AT": (
        HolidayExample("christmas", "Weihnachten", "Christtag", before_new_year=True, ru="Рождество"),
        HolidayExample(
            "at_national_day", "Nationalfeiertag", "Nationalfeiertag", ru="Национальный праздник Австрии"
        ),
    ),
    "CH": (
        HolidayExample("christmas", "Weihnachten", "Weihnachten", before_new_year=True, ru="Рождество"),
        # The Swiss say Bundesfeiertag; the library's calendar calls 1 August Nationalfeiertag.
        HolidayExample(
            "ch_national_day", "Bundesfeiertag", "Nationalfeiertag", ru="Национальный праздник Швейцарии"
        ),
    ),
    "IE": (
        HolidayExample("christmas", "Christmas", "Christmas Day", before_new_year=True, ru="Рождество"),
        HolidayExample(
            "st_patricks_day", "Saint Patrick's Day", "Saint Patrick's Day", ru="День святого Патрика"
        ),
    ),
    "US": (
        HolidayExample("christmas", "Christmas", "Christmas Day", before_new_year=True, ru="Рождество"),
        HolidayExample(
            "us_independence", "Independence Day", "Independence Day", ru="День независимости США"
        ),
    ),
    # Ukraine's by the library's Ukrainian names (Christmas on 25 December since 2023); while
    # martial law lasts they are working days, greeted by name all the same.
    "UA": (
        HolidayExample(
            "christmas", "Різдво Христове", "Різдво Христове", before_new_year=True, ru="Рождество Христово"
        ),
        HolidayExample(
            "ua_independence",
            "День незалежності України",
            "День незалежності України",
            ru="День независимости Украины",
        ),  # 24 August
        HolidayExample(
            "ua_defenders_day",
            "День захисників і захисниць України",
            "День захисників і захисниць України",
            ru="День защитников и защитниц Украины",
        ),  # 1 October
    ),
    # Offices of Russian-speaking teams (init --country KZ): titled in Russian, as they write.
    "KZ": (
        HolidayExample("kz_nauryz", "Наурыз", "Nowruz Holiday", "ru"),  # 21–23 March
        HolidayExample("kz_independence", "День Независимости", "Independence Day", "ru"),  # 16 December
    ),
    "UZ": (
        HolidayExample("uz_navruz", "Навруз", "Nowruz", "ru"),  # 21 March
        HolidayExample("uz_independence", "День независимости", "Independence Day", "ru"),  # 1 September
    ),
    "KG": (
        HolidayExample("kg_nooruz", "Нооруз", "Nooruz Holiday", "ru"),  # 21 March
        HolidayExample("kg_independence", "День независимости", "Independence Day", "ru"),  # 31 August
    ),
    "AZ": (
        HolidayExample("az_novruz", "Новруз", "Spring Festival", "ru"),  # 20–24 March
        HolidayExample("az_independence", "День независимости", "Independence Day", "ru"),  # 28 May
    ),
    "BY": (
        HolidayExample(
            "by_independence",
            "День Независимости",
            "Independence Day of the Republic of Belarus (Day of the Republic)",  # 3 July
            "ru",
        ),
        HolidayExample("christmas", "Рождество Христово", "Orthodox Christmas Day", "ru"),  # 7 January
    ),
    # By the library's English names (its Hebrew ones are accepted too). Rosh Hashanah is two
    # days, one name: the letter goes for the first (the occasion greets a name's first day).
    "IL": (
        HolidayExample("il_rosh_hashanah", "Rosh Hashanah", "Rosh Hashanah", ru="Рош ха-Шана"),  # Sept/Oct
        HolidayExample("il_pesach", "Pesach", "Pesach", ru="Песах"),  # March/April
    ),
    # Georgia's, titled in Georgian (no starter speaks it: title_by_locale.ka) and Russian, as a
    # Russian company's Tbilisi office writes to both. The library names the calendar in English,
    # Georgian and Ukrainian, not Russian: the Russian titles are ours.
    "GE": (
        HolidayExample(
            "christmas", "ქრისტეშობა", "Christmas Day", ru="Рождество Христово", own="ka"
        ),  # 7 Jan
        HolidayExample(
            "ge_independence",
            "დამოუკიდებლობის დღე",
            "Independence Day",
            ru="День независимости Грузии",
            own="ka",
        ),  # 26 May
        HolidayExample("easter", "აღდგომა", "Easter Sunday", ru="Пасха", own="ka"),  # Orthodox Easter
        HolidayExample(
            "ge_mtskhetoba", "მცხეთობა", "Holiday of Svetitskhovloba, Robe of Jesus", ru="Мцхетоба", own="ka"
        ),  # 14 October
    ),
}

#: Russia's holidays a country keeps on their day as another holiday, by that one's name there
#: (:func:`~greeter.cli_init.shared_holidays`) → the occasion's name and Russian title in its
#: starter. Tajikistan keeps 8 March as Mother's Day (Рӯзи Модар, since 2009): its starter's
#: ``womens_day`` (a name the templates word «с Международным женским днём») greeted the day by
#: Russia's name for it; ``mothers_day`` titled «День матери» says «с Днём матери».
SHARED_AS: Final[Mapping[str, tuple[str, str]]] = {"Mother's Day": ("mothers_day", "День матери")}

#: Offices greeter starts Russian though Russian is no official language of their country: the CIS
#: offices whose examples are titled in Russian (:data:`HOLIDAYS`: UZ, AZ; Tajikistan, whose
#: 8 March is Mother's Day; Armenia's and Turkmenistan's calendars, listed), where Russian is the
#: business language a team there writes in. Where it is official (RU, BY, KZ, KG) Babel says so.
RUSSIAN_OFFICES: Final = frozenset({"UZ", "AZ", "TJ", "AM", "TM"})


def country_locale(country: str | None, default: str) -> str:
    """The starter language ``init`` takes when ``--locale`` is not given: ``default`` without a
    country; else the country's first official language the starter has letters in (CLDR's, as
    Babel gives them, de facto: UA → uk, EE → et, AT → de, BY and KZ → ru, US → en; a region by its
    country's: ``UA-30`` is UA), else Russian for :data:`RUSSIAN_OFFICES`, else English.

    ``init --country LV`` wrote ``defaults.locale: ru``: a Riga office's Latvian clients were to
    read «Jānis, с днём рождения!», which in Latvia does real harm, over Russian sample clients.
    Only Ukraine had its own language then (a Kyiv office's clients are served in Ukrainian by
    the 2019 law on the state language); Tallinn, Belgrade, Berlin got Russian too. A letter in
    the country's language, or in English where the starter has none, harms no one; a
    Russian-speaking team says ``--locale ru``, and ``init`` prints which language it wrote.
    """
    if country is None:
        return default
    from babel.languages import get_official_languages

    code = country.strip().upper().replace("_", "-").split("-")[0]
    for official in get_official_languages(code, de_facto=True):
        language = official.split("_")[0]
        if language in LANGUAGES:
            return language
    return "ru" if code in RUSSIAN_OFFICES else "en"


_SECTION: Final = r"^{}:\n(?:(?:[ #][^\n]*)?\n)*"
_OCCASION: Final = re.compile(r"^  - name: (\w+)\n(?:(?:    [^\n]*)?\n)*", re.MULTILINE)
_TITLE: Final = re.compile(r"^(    title: )([^#\n]*?)( *#[^\n]*)?$", re.MULTILINE)
_COMMENTED_TITLES: Final = re.compile(r"^    # title_by_locale:[^\n]*\n", re.MULTILINE)
_HOLIDAY: Final = re.compile(r'^(    holiday: )"([^"\n]*)"', re.MULTILINE)
_COLUMN: Final = re.compile(r"^(    (\w+): )([^#\n]*?)( *#[^\n]*)?$", re.MULTILINE)


class StarterShapeError(ValueError):
    """The example config lacks a section this edits: the starter and this module ship together."""


def _section(text: str, name: str) -> re.Match[str]:
    found = re.search(_SECTION.format(re.escape(name)), text, re.MULTILINE)
    if found is None:
        raise StarterShapeError(f"no top-level {name}: section")
    return found


def _aligned(head: str, value: str, comment: str | None, old: str) -> str:
    """``head value`` keeping a trailing comment where it stood (at least one space after)."""
    if not comment:
        return head + value
    width = len(head) + len(old) + len(comment) - len(comment.lstrip(" "))
    line = head + value
    return line + " " * max(1, width - len(line)) + comment.lstrip(" ")


def _flow(words: Mapping[str, str]) -> str:
    return "{" + ", ".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in words.items()) + "}"


def with_defaults(text: str, country: str, timezone: str) -> str:
    """``defaults.timezone`` and ``defaults.country`` set (their comments kept)."""
    section = _section(text, "defaults")
    body = section.group()
    for key, value in (("timezone", timezone), ("country", country)):
        line = re.compile(rf"^(  {key}: )(\S+)( *#[^\n]*)?$", re.MULTILINE)
        found = line.search(body)
        if found is None:
            raise StarterShapeError(f"no defaults.{key}")
        new = _aligned(found[1], value, found[3], found[2])
        body = body[: found.start()] + new + body[found.end() :]
    return text[: section.start()] + body + text[section.end() :]


def with_columns(text: str, columns: Mapping[str, str | None]) -> str:
    """``contacts.columns`` and ``contacts.dates`` naming the sample file's headers."""
    section = _section(text, "contacts")

    def header(found: re.Match[str]) -> str:
        if found[2] not in columns:
            return found.group()
        value = columns[found[2]]
        return _aligned(found[1], "null" if value is None else value, found[4], found[3])

    body = _COLUMN.sub(header, section.group())
    return text[: section.start()] + body + text[section.end() :]


_DATE_FORMATS: Final = re.compile(r"^(  date_formats: )(\[[^\]\n]*\])( *#[^\n]*)?$", re.MULTILINE)


def with_date_formats(text: str, formats: Sequence[str]) -> str:
    """``contacts.date_formats`` listing ``formats`` (its comment kept); unchanged when none."""
    if not formats:
        return text
    section = _section(text, "contacts")
    found = _DATE_FORMATS.search(section.group())
    if found is None:
        raise StarterShapeError("no contacts.date_formats")
    listed = "[" + ", ".join(json.dumps(f) for f in formats) + "]"
    line = _aligned(found[1], listed, found[3], found[2])
    start, end = section.start() + found.start(), section.start() + found.end()
    return text[:start] + line + text[end:]


def with_occasions(
    text: str,
    locale: str,
    country: str,
    calendar: Sequence[str] = (),
    shared: Mapping[str, str] | None = None,
    translated: Mapping[str, Mapping[str, str]] | None = None,
) -> str:
    """Titles in ``locale`` (the others' by ``title_by_locale``), Russia's holidays commented out,
    ``country``'s own offered as commented examples after the last of them (for a country
    :data:`HOLIDAYS` has none of: the names of its ``calendar``, the holidays library's).

    ``shared``: Russia's holidays (by the name an occasion's ``holiday:`` gives) that ``country``
    has a public holiday on the same date of, to that holiday's name there: those occasions stay,
    naming it. An Almaty office's starter had 8 March commented out as "Russia's", though
    Kazakhstan keeps it too (and Uzbekistan's calendar calls it "Women's Day").

    ``translated``: each example's titles in the other starter languages (:func:`example_titles`),
    written as its ``title_by_locale``.
    """
    section = _section(text, "occasions")
    body, titles = section.group(), LANGUAGES[locale].titles
    # The Russian sample's clients stay in Russia (and a few elsewhere): the country's own holiday
    # is its clients' alone there, not greeted to them on its date.
    examples = _examples(country, locale, calendar, only_there=locale == "ru", translated=translated)
    found = examples_for(country, locale)
    christmas_leads = bool(found) and found[0].before_new_year
    # Their words are Russian (title «8 Марта», the Russian sample's tag 8mar): Russian projects'.
    shared = shared if shared and locale == "ru" else {}
    parts: list[str] = []
    last = 0
    russian_end, commented = None, False  # where Russia's holidays end; whether one is commented out
    for block in _OCCASION.finditer(body):
        parts.append(body[last : block.start()])
        name, words = block[1], block.group()
        holiday = _HOLIDAY.search(words)
        if name in RUSSIA_ONLY and holiday is not None and holiday[2] in shared:
            own = json.dumps(shared[holiday[2]], ensure_ascii=False)
            words = words[: holiday.start(2) - 1] + own + words[holiday.end(2) + 1 :]
            if (renamed := SHARED_AS.get(shared[holiday[2]])) is not None:
                words = _renamed(words, name, *renamed)
            russian_end = len("".join(parts)) + len(words)
        elif name in RUSSIA_ONLY:
            words = "".join(
                ("  # " + line[2:] if line.strip() else line) + "\n" for line in words.splitlines()
            )
            russian_end = len("".join(parts)) + len(words)
            commented = True
        elif name in titles:
            if name == "new_year" and christmas_leads:
                words = _NEW_YEAR_DATE.sub(
                    lambda m: m.group() + _NEW_YEAR_RIDES,
                    words,
                    count=1,
                )
            others = {lang: w.titles[name] for lang, w in LANGUAGES.items() if lang != locale}
            words = _COMMENTED_TITLES.sub("", words)
            words = _TITLE.sub(
                lambda m, n=name, o=others: (  # type: ignore[misc]
                    _aligned(m[1], titles[n], m[3], m[2]) + f"\n    title_by_locale: {_flow(o)}"
                ),
                words,
                count=1,
            )
        parts.append(words)
        last = block.end()
    parts.append(body[last:])
    body = "".join(parts)
    if russian_end is not None:
        # With no example of its own (UA in Ukrainian), the line after says so and lists its calendar's
        # names: "the first is greeted" above it promised an example that is not there.
        own = (
            " This country's own, by the names its calendar gives\n"
            "  # them (the first is greeted; uncomment another to greet it too):\n"
            if found
            else "\n"
        )
        notice = (
            "  # Russia's public holidays commented out above are not this country's: uncomment one with\n"
            "  # country: RU for clients in Russia." + own
            if commented
            else ""
        )
        body = body[:russian_end].rstrip("\n") + "\n\n" + notice + examples + body[russian_end:]
    else:
        body = body.rstrip("\n") + "\n\n" + examples + "\n"
    return text[: section.start()] + body + text[section.end() :]


def _renamed(words: str, name: str, new: str, title: str) -> str:
    """An occasion's block (``words``) named ``new`` and titled ``title`` instead (:data:`SHARED_AS`)."""
    words = words.replace(f"  - name: {name}\n", f"  - name: {new}\n", 1)
    return _TITLE.sub(lambda m: _aligned(m[1], title, m[3], m[2]), words, count=1)


def examples_for(country: str, locale: str) -> tuple[HolidayExample, ...]:
    """The examples :data:`HOLIDAYS` offers ``country``'s projects in ``locale`` (their titles' language)."""
    return tuple(h for h in HOLIDAYS.get(country.split("-")[0].upper(), ()) if h.locale in (None, locale))


def example_titles(
    country: str, locale: str, names_in: Callable[[str, Sequence[str]], Mapping[str, str]]
) -> dict[str, dict[str, str]]:
    """Each example's title in the starter languages other than ``locale``: the holidays library's
    name in that language (``names_in``: the holiday's name, the languages → what the library
    says), else, in Russian, :attr:`HolidayExample.ru`. Example name → language → title.

    Why: a letter names the holiday by its ``title_by_locale`` in the letter's language, else by
    ``title``: the Serbian starter's Russian-speaking client read «с праздником Дан државности».
    """
    others = [lang for lang in LANGUAGES if lang != locale]
    said: dict[str, dict[str, str]] = {}
    for example in examples_for(country, locale):
        asked = [*others, locale] if example.own is not None else others  # the project's title too
        titles = dict(names_in(example.holiday, asked))
        if "ru" in others and "ru" not in titles and example.ru is not None:
            titles["ru"] = example.ru
        if titles:
            said[example.name] = {lang: titles[lang] for lang in asked if lang in titles}
    return said


def _examples(
    country: str,
    locale: str,
    calendar: Sequence[str] = (),
    *,
    only_there: bool = False,
    translated: Mapping[str, Mapping[str, str]] | None = None,
) -> str:
    """``country``'s holidays as occasions, the first active, the others commented (none known: a line
    saying how to add one, with the names its ``calendar`` gives, to pick from); ``only_there``:
    each with ``country:`` (dated by its calendar, greeted to its clients alone); ``translated``:
    their ``title_by_locale`` (:func:`example_titles`)."""
    found = examples_for(country, locale)
    if not found and calendar:
        import textwrap

        names = textwrap.wrap(
            f"(greeter has no example holiday for {country}: `holiday:` takes a name of its calendar: "
            # each quoted: "Holiday of Svetitskhovloba, Robe of Jesus" is one name, not two
            + ", ".join(json.dumps(name, ensure_ascii=False) for name in calendar)
            + ")",
            width=96,
        )
        return "".join(f"  # {line}\n" for line in names)
    if not found:
        return (
            "  # (greeter knows no example holiday for this country: `holiday:` takes its calendar's names)\n"
        )
    # The first greets (a starter whose holiday template nothing used had check warn of six
    # files "never rendered", and no holiday letter to preview); the others are offered.
    blocks = []
    own = _language_of(country)
    for i, h in enumerate(found):
        title, titles = h.title, dict((translated or {}).get(h.name, {}))
        if h.own is not None and h.own != locale:
            # Titled in a language no starter speaks (Georgian): the project's own title is the
            # library's name in its language (English), else ours in Russian; the Georgian one
            # its title_by_locale entry.
            title = titles.pop(locale, "") or (h.ru if locale == "ru" else None) or title
            titles[h.own] = h.title  # ours, by hand: the library has «მცხეთობის», a genitive
        elif h.own is not None:  # the project speaks it (Georgian): the title is its own, once
            titles.pop(locale, None)  # the library's «მცხეთობის» (a genitive) was offered beside it
        elif locale == "ru" and h.ru is not None:
            # A Russian-speaking team's project: its letters name the day in Russian, the country's
            # language's by title_by_locale. A Kyiv office's Russian letters said «с праздником
            # День незалежності України», and check warned of a Ukrainian title in Russian letters.
            title = h.ru
            if own is not None and own != locale:
                titles.setdefault(own, h.title)
        lines = (
            f"- name: {h.name}",
            f"  title: {title}",
            *((f"  title_by_locale: {_flow(titles)}",) if titles else ()),
            f"  holiday: {json.dumps(h.holiday, ensure_ascii=False)}",
            *((f"  country: {country.upper()}",) if only_there else ()),
            "  template: holiday",
            *(_CHRISTMAS_LINES if h.before_new_year else ("  priority: 30",)),
        )
        blocks.append("".join(("  " if i == 0 else "  # ") + line + "\n" for line in lines))
    return "".join(blocks)


def _language_of(country: str) -> str | None:
    """The starter language whose country ``country`` is (``UA`` → ``uk``, ``GB-ENG`` → ``en``), or None."""
    code = country.split("-")[0].upper()
    return next((lang for lang, w in LANGUAGES.items() if w.country.split("-")[0] == code), None)


#: A Christmas before New Year's settings (:data:`CHRISTMAS_LEADS`), as ``_examples`` writes them.
_CHRISTMAS_LINES: Final = (
    f"  priority: {CHRISTMAS_LEADS}                 # the letter of the year: it leads New Year and the",
    "                               # anniversaries, and carries their wishes (New Year's ahead)",
    "  merge_max_days_late: 0       # never belated: a birthday letter of 27-31 December leads",
    "                               # and leaves Christmas out (skipped as frequency_cap)",
)
#: What :func:`with_occasions` writes after the New Year's ``date:`` line where Christmas leads it.
_NEW_YEAR_RIDES: Final = (
    "    merge_max_days_early: null   # rides ahead in the Christmas letter, however early\n"
    "                                 # send_window.max_days_early lets a greeting go\n"
)
#: The New Year occasion's ``date:`` line, after which :func:`with_occasions` bounds its ride.
_NEW_YEAR_DATE: Final = re.compile(r"^    date: [^\n]*\n", re.MULTILINE)


def contacts_in_country(text: str, locale: str, country: str, timezone: str) -> str:
    """The sample contacts of ``locale`` (``data/contacts.<locale>.csv``; Russian: ``data/contacts.csv``)
    as clients in ``country``: the rows in the language's own country and zone moved to ``country``
    and ``timezone`` (the Russian sample's «Россия» rows, of Russia's several zones, all of them:
    an Almaty office's starter greeted Nauryz to no one, its clients all in Russia).

    ``init --locale de --country AT`` wrote an Austrian config over ten clients in
    Europe/Berlin and Germany: preview then timed and dated every letter by Germany's
    clock and days off, not the project's. Other cells, and the file's delimiter and
    quoting, are kept (the samples quote nothing: written back byte for byte).
    """
    import csv
    import io

    own = LANGUAGES[locale]
    zone_column, country_column = own.columns["timezone"], own.columns["country"]
    header = text.split("\n", 1)[0]
    delimiter = ";" if header.count(";") >= header.count(",") else ","
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    if (
        zone_column is None
        or country_column is None
        or not rows
        or not {zone_column, country_column} <= set(rows[0])
    ):
        raise StarterShapeError(
            f"the sample contacts of {locale!r} lack {zone_column!r} or {country_column!r}"
        )
    zone_at, country_at = rows[0].index(zone_column), rows[0].index(country_column)
    for row in rows[1:]:
        if len(row) > max(zone_at, country_at):
            if row[country_at] in own.country_names:  # a country in words: its clients, every zone
                row[zone_at], row[country_at] = timezone, country
            if row[zone_at] == own.timezone:
                row[zone_at] = timezone
            if row[country_at] == own.country:
                row[country_at] = country
    out = io.StringIO(newline="")
    ending = "\r\n" if header.endswith("\r") else "\n"  # the Russian sample's is CRLF
    csv.writer(out, delimiter=delimiter, lineterminator=ending).writerows(rows)
    return out.getvalue()


def with_sender_names(text: str, locale: str) -> tuple[str, str]:
    """The sender's ``name`` and ``company`` those of ``by_locale.<locale>`` (the example's
    «ООО «Ромашка»» is the Russian letters' alone), that entry gone, and the lines that keep the
    Russian ones for a ``by_locale.ru`` entry. Unchanged, and no lines, when the example has no
    such entry.

    The entry goes because it would now only repeat the sender's own: a German team edited
    ``sender`` (as ``init`` says to) and every German letter still went out from the example's
    "Romashka LLC", the left-over ``by_locale.de`` overriding it. Letters in ``locale`` now take
    the one block the user edits.
    """
    section = _section(text, "sender")
    body = section.group()
    own = re.search(
        rf"^    {re.escape(locale)}:[^\n]*\n(?:      [^\n]*\n)*?      name: ([^\n]+)\n"
        r"(?:      [^\n]*\n)*?      company: ([^\n]+)\n(?:      [^\n]*\n)*",
        body,
        re.MULTILINE,
    )
    if own is None:
        return text, ""
    body = body[: own.start()] + body[own.end() :]
    kept = []
    for key, value in (("name", own[1]), ("company", own[2])):
        top = re.search(rf"^(  {key}: )([^\n]+)$", body, re.MULTILINE)
        if top is None:
            return text, ""
        kept.append(f"      {key}: {top[2]}\n")
        body = body[: top.start()] + top[1] + value + body[top.end() :]
    return text[: section.start()] + body + text[section.end() :], "".join(kept)
