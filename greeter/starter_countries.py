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
  clients are that country's, in its zone (:func:`~greeter.starter_edits.contacts_in_country`);
- Russia's public holidays (:data:`RUSSIA_ONLY`) commented out but for those on a day the
  country keeps too (8 March in Kazakhstan, by its name there), and the
  country's own main holidays offered as commented examples, by names the
  ``holidays`` library gives them there (tests uncomment them and run ``check``);
  for a country without a row here, the names its calendar has, listed.

Each language's words were chosen by hand; a new starter language needs its
row here (tests/test_init_country.py fails without one).
"""

from __future__ import annotations

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
    #: ``title_by_locale`` entry, the project's own language titling it
    #: (:func:`greeter.starter_edits._examples`).
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
    #: whatever their zone, are moved to ``init --country``'s
    #: (:func:`~greeter.starter_edits.contacts_in_country`).
    country_names: tuple[str, ...] = ()
    #: ``contacts.date_formats`` when the country writes dates otherwise than the example's
    #: ``%d.%m.%Y`` (:func:`~greeter.starter_edits.with_date_formats`); empty: the example's.
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
        HolidayExample("kz_republic", "День Республики", "Republic Day", "ru"),  # 25 October
        HolidayExample("kz_capital", "День столицы", "Capital Day", "ru"),  # 6 July
        HolidayExample(
            "kz_unity", "Праздник единства народа Казахстана", "Kazakhstan's People Solidarity Holiday", "ru"
        ),  # 1 May
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


@dataclass(frozen=True, slots=True)
class CountrySender:
    """How an office in a country writes the Russian example's sender and sample companies."""

    #: The Russian legal forms → the country's (ООО → ТОО in Kazakhstan, which has no ООО nor ПАО).
    forms: Mapping[str, str]
    #: The sender's telephone number: the example's Moscow «+7 495 000-00-00» → the office city's.
    phone: str


#: The example's Moscow phone number, in the sender's signature (and the English one's comment).
EXAMPLE_PHONE: Final = "+7 495 000-00-00"

#: Countries whose Russian-speaking office's starter (``init --country``) names the sender and the
#: sample companies in its own legal forms and city: an Almaty starter signed «ООО «Ромашка», +7 495».
SENDERS: Final[Mapping[str, CountrySender]] = {
    "KZ": CountrySender({"ООО": "ТОО", "ПАО": "АО"}, "+7 727 000-00-00"),  # Almaty
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
