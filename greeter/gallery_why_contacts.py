"""The contacts loader's sentences about a bad cell in the German … Croatian galleries' words.

Why: an ``invalid_contact`` card carries the loader's English
(``'31.02.1980' is not a real date: February has no 31st; birthday greetings
are skipped for this contact``); the Russian gallery worded it, the others
showed it in English. These are the words of its forms
(:data:`greeter.contact_forms.CONTACT_FORMS`), merged into
:data:`greeter.gallery_why.SENTENCES`' tables and said the same way: ``{value}``
as the loader quoted it (what a search in the CRM finds), ``{spoken}`` and
``{dotted}`` days in the language's date, ``{month}`` the month's name,
``{greetings}`` the titles quoted (``quote``) and joined (``list.and``),
``{leap_day}`` 29 February, ``{language}`` ``language.*``; formats and the
spellings to type (``{write}``) as they are.

Pure: tables.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

__all__ = ["CROATIAN", "ESTONIAN", "GERMAN", "HUNGARIAN", "SERBIAN"]

GERMAN: Final[Mapping[str, str]] = {
    "quote": "„{}“",
    "list.and": " und ",
    "language.Russian": "russische",
    "bad_date": "{value} – {then}; die Glückwünsche zu {greetings} entfallen für diesen Kontakt",
    "not_real": "dieses Datum gibt es nicht: {then}{then_reading}",
    "excel_serial": (
        "sieht aus wie ein als Zahl gespeichertes Excel-Datum ({date}): der Spalte vor dem Export in Excel"
        " ein Datumsformat geben (oder Daten als Text exportieren)"
    ),
    "no_format": "passt zu keinem Format in contacts.date_formats ({list}){then_reading}",
    "no_month": "einen Monat {n} gibt es nicht",
    "no_day_0": "einen Tag 0 gibt es nicht",
    "no_such_day": "kein Monat hat {n} Tage",
    "not_leap": "{year} ist kein Schaltjahr, einen 29. Februar gibt es darin nicht",
    "month_short": "der {month} hat keinen {n}. Tag",
    "no_year_0": "ein Jahr 0 gibt es nicht",
    "reading_add": (
        "; das ist der {spoken}, der Monat als Wort geschrieben: „{format}“ zu contacts.date_formats"
        " hinzufügen, wenn das CRM Daten so schreibt"
    ),
    "reading_spelled": (
        "; das ist der {spoken}, der Monat so als Wort geschrieben, dass kein Datumsformat ihn liest:"
        " Daten aus dem CRM als Zahlen exportieren (TT.MM.JJJJ)"
    ),
    "reading_language": (
        "; das ist der {spoken}, der Monat als Wort geschrieben, und {language} Monatsnamen liest kein"
        " Datumsformat: Daten aus dem CRM als Zahlen exportieren (TT.MM.JJJJ)"
    ),
    "reading_two": (
        "; im Format „{format}“ ist das der {spoken}, im Format „{format2}“ der {spoken2}{then_advice}"
    ),
    "reading_one": "; im Format „{format}“ ist das der {spoken}{then_advice}",
    "advice_it": " (zu contacts.date_formats hinzufügen, wenn das CRM Daten so schreibt)",
    "advice_one": " (das Format, in dem das CRM schreibt, zu contacts.date_formats hinzufügen)",
    "future_typed": (
        "Feld {field}: {dotted} liegt in der Zukunft; wohl ohne Jahr eingegeben und so mit dem Jahr der"
        " Eingabe versehen: als {write} oder {write2} schreiben"
    ),
    "future": "Feld {field}: {dotted} liegt in der Zukunft",
    "too_old_placeholder": (
        "Feld {field}: {dotted} ergibt {years} (mehr als {n}: max_years); {year} steht oft für ein"
        " unbekanntes Jahr: den Tag ohne Jahr schreiben ({write} oder {write2})"
    ),
    "too_old": "Feld {field}: {dotted} ergibt {years} (mehr als {n}: max_years)",
    "too_young": (
        "Feld {field}: {dotted} ergibt {years} (weniger als {n}: min_years); wohl ohne Jahr eingegeben und"
        " so mit dem Jahr der Eingabe versehen: als {write} oder {write2} schreiben"
    ),
}

#: Estonian: «üheski kuus pole 32 päeva» (partitive); a month after its day stays nominative.
ESTONIAN: Final[Mapping[str, str]] = {
    "quote": "„{}“",
    "list.and": " ja ",
    "language.Russian": "venekeelseid",
    "bad_date": "{value} – {then}; õnnitlused ({greetings}) jäävad sellele kontaktile saatmata",
    "not_real": "sellist kuupäeva pole: {then}{then_reading}",
    "excel_serial": (
        "paistab olevat arvuna salvestatud Exceli kuupäev ({date}): andke veerule Excelis enne eksporti"
        " kuupäevavorming (või eksportige kuupäevad tekstina)"
    ),
    "no_format": "ei sobi ühegi vorminguga loendist contacts.date_formats ({list}){then_reading}",
    "no_month": "kuud numbriga {n} pole olemas",
    "no_day_0": "kuupäeva 0 pole olemas",
    "no_such_day": "üheski kuus pole {n} päeva",
    "not_leap": "{year} ei ole liigaasta, 29. veebruari selles pole",
    "month_short": "sellist kuupäeva nagu {n}. {month} pole olemas",
    "no_year_0": "aastat 0 pole olemas",
    "reading_add": (
        "; see on {spoken}, kuu on kirjutatud sõnaga: lisage „{format}“ loendisse contacts.date_formats,"
        " kui CRM kirjutab kuupäevi nii"
    ),
    "reading_spelled": (
        "; see on {spoken}, kuu on kirjutatud sõnaga nii, et ükski kuupäevavorming seda ei loe:"
        " eksportige CRM-ist kuupäevad numbritena (pp.kk.aaaa)"
    ),
    "reading_language": (
        "; see on {spoken}, kuu on kirjutatud sõnaga, aga {language} kuunimesid ei loe ükski"
        " kuupäevavorming: eksportige CRM-ist kuupäevad numbritena (pp.kk.aaaa)"
    ),
    "reading_two": "; vormingus „{format}“ on see {spoken}, vormingus „{format2}“ {spoken2}{then_advice}",
    "reading_one": "; vormingus „{format}“ on see {spoken}{then_advice}",
    "advice_it": " (lisage see loendisse contacts.date_formats, kui CRM kirjutab kuupäevi nii)",
    "advice_one": " (lisage loendisse contacts.date_formats see, mida CRM kasutab)",
    "future_typed": (
        "väli {field}: {dotted} on tulevikus; ilmselt sisestati päev aastata ja see sai sisestamise"
        " aasta: kirjutage see kujul {write} või {write2}"
    ),
    "future": "väli {field}: {dotted} on tulevikus",
    "too_old_placeholder": (
        "väli {field}: {dotted} annab {years} (üle {n}: max_years); {year} on sageli tundmatu aasta"
        " asemel: kirjutage päev aastata ({write} või {write2})"
    ),
    "too_old": "väli {field}: {dotted} annab {years} (üle {n}: max_years)",
    "too_young": (
        "väli {field}: {dotted} annab {years} (alla {n}: min_years); ilmselt sisestati päev aastata ja see"
        " sai sisestamise aasta: kirjutage see kujul {write} või {write2}"
    ),
}

#: Hungarian: no «a(z)» before a value (:mod:`greeter.gallery_lang_hu`); «egyik hónapnak sincs 32 napja».
HUNGARIAN: Final[Mapping[str, str]] = {
    "quote": "„{}”",
    "list.and": " és ",
    "language.Russian": "orosz",
    "bad_date": "{value} – {then}; ennél az ügyfélnél kimaradnak ezek az üdvözletek: {greetings}",
    "not_real": "nincs ilyen dátum: {then}{then_reading}",
    "excel_serial": (
        "számként mentett Excel-dátumnak tűnik ({date}): exportálás előtt adjon az oszlopnak"
        " dátumformátumot az Excelben (vagy exportálja a dátumokat szövegként)"
    ),
    "no_format": "egyik contacts.date_formats formátumnak sem felel meg ({list}){then_reading}",
    "no_month": "{n}. hónap nem létezik",
    "no_day_0": "0. nap nem létezik",
    "no_such_day": "egyik hónapnak sincs {n} napja",
    "not_leap": "{year} nem szökőév, így február 29. sincs benne",
    "month_short": "{month} {n}. nem létezik",
    "no_year_0": "0. év nem létezik",
    "reading_add": (
        "; ez {spoken}, a hónap betűvel írva: ha a CRM így írja a dátumokat, vegye fel a"
        " contacts.date_formats listába ezt a formátumot: „{format}”"
    ),
    "reading_spelled": (
        "; ez {spoken}, a hónap betűvel, egyetlen dátumformátum által sem olvasható módon írva:"
        " exportálja a dátumokat számokkal a CRM-ből (nn.hh.éééé)"
    ),
    "reading_language": (
        "; ez {spoken}, a hónap betűvel írva, de {language} hónapneveket egyetlen dátumformátum sem olvas:"
        " exportálja a dátumokat számokkal a CRM-ből (nn.hh.éééé)"
    ),
    "reading_two": "; „{format}” formátumban ez {spoken}, „{format2}” formátumban {spoken2}{then_advice}",
    "reading_one": "; „{format}” formátumban ez {spoken}{then_advice}",
    "advice_it": " (ha a CRM így írja a dátumokat, vegye fel a contacts.date_formats listába)",
    "advice_one": " (a CRM által használtat vegye fel a contacts.date_formats listába)",
    "future_typed": (
        "{field} mező: {dotted} a jövőben van; valószínűleg év nélkül írták be, és a beírás évét kapta:"
        " írja így: {write} vagy {write2}"
    ),
    "future": "{field} mező: {dotted} a jövőben van",
    "too_old_placeholder": (
        "{field} mező: {dotted} alapján {years} (több mint {n}: max_years); {year} gyakran az ismeretlen"
        " év helyett áll: írja a napot év nélkül ({write} vagy {write2})"
    ),
    "too_old": "{field} mező: {dotted} alapján {years} (több mint {n}: max_years)",
    "too_young": (
        "{field} mező: {dotted} alapján {years} (kevesebb mint {n}: min_years); valószínűleg év nélkül"
        " írták be, és a beírás évét kapta: írja így: {write} vagy {write2}"
    ),
}

#: Serbian (Cyrillic; the Latin is this transliterated): «нема 31. дана», the genitive of negation.
SERBIAN: Final[Mapping[str, str]] = {
    "quote": "„{}“",
    "list.and": " и ",
    "language.Russian": "руске",
    "bad_date": "{value} – {then}; честитке {greetings} се за овај контакт прескачу",
    "not_real": "такав датум не постоји: {then}{then_reading}",
    "excel_serial": (
        "личи на Excel датум сачуван као број ({date}): пре извоза задајте колони формат датума у Excel-у"
        " (или извозите датуме као текст)"
    ),
    "no_format": "не одговара ниједном формату из contacts.date_formats ({list}){then_reading}",
    "no_month": "месец под бројем {n} не постоји",
    "no_day_0": "нулти дан не постоји",
    "no_such_day": "ниједан месец нема {n} дана",
    "not_leap": "{year}. није преступна година, па у њој нема 29. фебруара",
    "month_short": "{month} нема {n}. дана",
    "no_year_0": "нулта година не постоји",
    "reading_add": (
        "; то је {spoken}, месец је написан речју: додајте „{format}“ у contacts.date_formats ако CRM"
        " тако пише датуме"
    ),
    "reading_spelled": (
        "; то је {spoken}, месец је написан речју тако да га ниједан формат датума не чита: извозите"
        " датуме из CRM-а бројевима (дд.мм.гггг)"
    ),
    "reading_language": (
        "; то је {spoken}, месец је написан речју, а {language} називе месеци не чита ниједан формат"
        " датума: извозите датуме из CRM-а бројевима (дд.мм.гггг)"
    ),
    "reading_two": "; у формату „{format}“ то је {spoken}, у формату „{format2}“ {spoken2}{then_advice}",
    "reading_one": "; у формату „{format}“ то је {spoken}{then_advice}",
    "advice_it": " (додајте га у contacts.date_formats ако CRM тако пише датуме)",
    "advice_one": " (додајте у contacts.date_formats онај којим пише CRM)",
    "future_typed": (
        "поље {field}: {dotted} је у будућности; изгледа да је дан унет без године и добио годину уноса:"
        " упишите га као {write} или {write2}"
    ),
    "future": "поље {field}: {dotted} је у будућности",
    "too_old_placeholder": (
        "поље {field}: {dotted} – {years} (више од {n}: max_years); {year}. се често пише уместо"
        " непознате године: упишите дан без године ({write} или {write2})"
    ),
    "too_old": "поље {field}: {dotted} – {years} (више од {n}: max_years)",
    "too_young": (
        "поље {field}: {dotted} – {years} (мање од {n}: min_years); изгледа да је дан унет без године"
        " и добио годину уноса: упишите га као {write} или {write2}"
    ),
}

#: Croatian (Bosnian: it in Bosnian's words, :func:`greeter.gallery_lang_hr.bosnian`).
CROATIAN: Final[Mapping[str, str]] = {
    "quote": "„{}”",
    "list.and": " i ",
    "language.Russian": "ruske",
    "bad_date": "{value} – {then}; čestitke {greetings} za ovaj se kontakt preskaču",
    "not_real": "takav datum ne postoji: {then}{then_reading}",
    "excel_serial": (
        "izgleda kao Excelov datum spremljen kao broj ({date}): prije izvoza zadajte stupcu format datuma"
        " u Excelu (ili izvozite datume kao tekst)"
    ),
    "no_format": "ne odgovara nijednom formatu iz contacts.date_formats ({list}){then_reading}",
    "no_month": "mjesec s brojem {n} ne postoji",
    "no_day_0": "nulti dan ne postoji",
    "no_such_day": "nijedan mjesec nema {n} dana",
    "not_leap": "{year}. nije prijestupna godina, pa u njoj nema {leap_day}",
    "month_short": "{month} nema {n}. dana",
    "no_year_0": "nulta godina ne postoji",
    "reading_add": (
        "; to je {spoken}, mjesec je napisan riječju: dodajte „{format}” u contacts.date_formats ako CRM"
        " tako piše datume"
    ),
    "reading_spelled": (
        "; to je {spoken}, mjesec je napisan riječju tako da ga nijedan format datuma ne čita: izvozite"
        " datume iz CRM-a brojkama (dd.mm.gggg)"
    ),
    "reading_language": (
        "; to je {spoken}, mjesec je napisan riječju, a {language} nazive mjeseci ne čita nijedan format"
        " datuma: izvozite datume iz CRM-a brojkama (dd.mm.gggg)"
    ),
    "reading_two": "; u formatu „{format}” to je {spoken}, u formatu „{format2}” {spoken2}{then_advice}",
    "reading_one": "; u formatu „{format}” to je {spoken}{then_advice}",
    "advice_it": " (dodajte ga u contacts.date_formats ako CRM tako piše datume)",
    "advice_one": " (dodajte u contacts.date_formats onaj kojim piše CRM)",
    "future_typed": (
        "polje {field}: {dotted} je u budućnosti; čini se da je dan unesen bez godine i dobio godinu unosa:"
        " upišite ga kao {write} ili {write2}"
    ),
    "future": "polje {field}: {dotted} je u budućnosti",
    "too_old_placeholder": (
        "polje {field}: {dotted} – {years} (više od {n}: max_years); {year}. često stoji umjesto"
        " nepoznate godine: upišite dan bez godine ({write} ili {write2})"
    ),
    "too_old": "polje {field}: {dotted} – {years} (više od {n}: max_years)",
    "too_young": (
        "polje {field}: {dotted} – {years} (manje od {n}: min_years); čini se da je dan unesen bez"
        " godine i dobio godinu unosa: upišite ga kao {write} ili {write2}"
    ),
}
