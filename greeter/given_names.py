"""Common first names — pure data, to tell «Имя Фамилия» from «Фамилия Имя».

A full-name cell of two words is documented as «Фамилия Имя»; written the
other way ("Анна Петрова", "Јелена Николић", "Jaan Kask") it made the letter
greet «Петрова», «Николић», «Kask». No installed library lists Russian,
Serbian, Estonian or Kazakh first names: pytrovich only has ending rules (and
-ина, -ев are both names and surnames: Марина, Лев), Babel has none. The one
maintained list installed is shevchenko-py's dictionary of Ukrainian given
names (Іван, Марія, Олександр; some 1,100), read from its package data when
first needed. The others are the short lists below: the most common names of
each language, enough for most clients, not a census.

So the order is turned round only when the first word is one of these names
and the second is not — a conservative rule: a rare name is simply not
recognised, and the cell is read the documented way (the loader warns when a
contact of another language than Russian is read so, see
:func:`greeter.names.read_full_name`).

The same lists, kept apart by gender, say a contact's gender where nothing else
does (:func:`given_name_gender`, used by :func:`greeter.names.gender_of` after the
gender column and the patronymic): a Serbian, Estonian or Hungarian CRM has no
patronymic, and without it every Serbian letter opened «Поштовани,» with no
name. Only a name the lists give one gender counts: one listed as both (across
languages too), or one of :data:`_EITHER` (Саша/Saša, Женя, Валя, Vanja), is no
answer. The lists are the languages' own: Nikola is a man in Serbian (a woman in
Czech, whose names are not listed), so «Nikola» is male. German (with Austrian
and Swiss forms) and English names say the gender too — a DACH CRM's empty
«Anrede» made «Guten Tag Maria Lange» of «Sehr geehrte Frau Lange». For the
order of a full-name cell they are read only for a contact of their own
language, who writes the first name first (:func:`greeter.names.given_name_first`):
«Huber Thomas» of a German client is written surname first (:func:`is_own_first_name`).
Hungarian given names are listed for the order alone: which words of «Kiss Anna
Mária» or «Fülöp Ürmös Gyöngyvér» are given names (:func:`is_hungarian_given_name`). No installed library
does this for these languages: pytrovich's gender detector is a Russian ending
heuristic (it calls Слава and Валя female, and knows no Serbian), shevchenko's
is Ukrainian, and its dictionary of names has no genders — so a Ukrainian name's is its
detector's reading of a name in that dictionary alone (:func:`_with_ukrainian`).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Final

__all__ = [
    "APOSTROPHES_AS_ONE",
    "given_name_gender",
    "is_first_name",
    "is_hungarian_given_name",
    "is_listed_first_name",
    "is_own_first_name",
]

_MALE: Final = """
александр алексей анатолий андрей антон аркадий арсений артём артем артур богдан борис вадим
валентин валерий василий виктор виталий владимир владислав всеволод вячеслав геннадий георгий
герман глеб григорий давид даниил данила денис дмитрий евгений егор емельян ефим захар иван игорь
илья иосиф кирилл константин лев леонид макар максим марат марк матвей михаил назар никита
николай олег павел пётр петр платон прохор роберт родион роман ростислав руслан рустам савелий
святослав семён семен сергей станислав степан тимофей тимур фёдор федор филипп эдуард юлиан юрий
яков ярослав гусейн рашид ильдар ринат айдар азат эльдар али магомед ахмед
"""
_FEMALE: Final = """
агата александра алевтина алина алиса алла анастасия ангелина анжелика анна антонина арина
валентина валерия варвара василиса вера вероника виктория виолетта галина дарья диана ева евгения
екатерина елена елизавета жанна зинаида злата зоя инна ирина камила карина кира клавдия кристина
ксения лариса лейла лидия лилия любовь людмила майя маргарита марина мария милана надежда наталия
наталья нелли нина оксана олеся ольга полина раиса регина римма роза светлана снежана софия софья
стефания таисия тамара татьяна ульяна эвелина элина эльвира эмилия юлия яна ярослава гульнара
динара лейсан алсу
"""
#: Serbian men's names, written in Cyrillic; the Latin spelling of each is added by :func:`_serbian_latin`.
_SERBIAN_MALE: Final = """
марко милош никола стефан лазар вук душан драган зоран горан милан небојша дејан ненад бојан
дарко срђан александар филип огњен петар јован немања урош драгољуб милутин бранко слободан живко
мирослав предраг радован вељко ђорђе андрија лука душко миодраг војислав момчило жељко
"""
_SERBIAN_FEMALE: Final = """
јелена марија ана милица јована ивана драгана снежана биљана гордана мирјана наташа тијана теодора
ања катарина јасмина весна зорица сања бојана невена сара мила дуња исидора софија данијела маја
јасна љиљана радмила слађана бранка ксенија оливера драгица
"""
#: Serbian names of either gender: a first name, but no gender (Saša is a man in Belgrade, Sasha a woman
#: in an English CRM; Vanja is a man or a woman in Serbia and Croatia alike).
_SERBIAN_EITHER: Final = "саша вања"
_SERBIAN: Final = _SERBIAN_MALE + _SERBIAN_FEMALE + _SERBIAN_EITHER
_ESTONIAN_MALE: Final = """
jaan mart tiit toomas andres peeter jüri rein priit margus indrek kristjan siim tõnu urmas ain aivar
tarmo rasmus karl kaspar mihkel martin raul hendrik juhan tanel madis lauri ott kalle heiki arvo enn
mati tõnis joosep oskar sander kevin markus oliver erik andrus marek meelis
"""
_ESTONIAN_FEMALE: Final = """
mari kadri kati tiina kristiina anu triin liis kertu helen piret pille malle tiiu ene eve anneli
katrin kersti merike maarja laura eliise mia emma hanna grete kaisa evelin marju sirje reet ülle aino
helgi kairi riina marika liina
"""
_ESTONIAN: Final = _ESTONIAN_MALE + _ESTONIAN_FEMALE
#: Georgian, in the Georgian script, as a passport writes them (დავით, ზურაბ, not the nominative
#: დავითი), with the short forms CRMs keep (გოგი, დათო, ნიკა). For the gender only, of a Georgian
#: letter's «ბატონო» / «ქალბატონო» (:func:`greeter.letter_forms._ka`): no installed library lists
#: Georgian names, so these are common ones chosen by hand, not a census. Latin spellings are
#: left out: «Nino» is a woman in Tbilisi and a man in Italy.
_GEORGIAN_MALE: Final = """
გიორგი დავით ლევან ირაკლი ნიკოლოზ ალექსანდრე ზურაბ გოგი გელა გია ვახტანგ ზაზა თამაზ მამუკა
მერაბ მიხეილ ნიკა ლაშა ლუკა საბა სანდრო შოთა ვლადიმერ თენგიზ რევაზ ბესიკ გურამ ბადრი კახა
კობა ოთარ რეზო ჯემალ ნოდარ დიმიტრი ილია ბექა გივი შალვა ვასილ ბაჩანა გიგა ტარიელ ავთანდილ
ემზარ ზვიად თორნიკე ვაჟა ზურა ბიძინა გოდერძი ერეკლე დემეტრე ანდრია არჩილ თემურ ლადო დათო
ნიკოლოზი დავითი ლევანი ზურაბი ვახტანგი თამაზი გურამი მიხეილი
"""
_GEORGIAN_FEMALE: Final = """
ნინო მარიამ თამარ ეკატერინე ანა ნათია ქეთევან მაია ნანა ლალი მანანა ხათუნა ნატო თეონა სალომე
ელენე ლიკა ნინი მაკა თეა ეკა ირმა ლია ნანული მზია ციური ლეილა ნათელა ქეთი თინათინ რუსუდან
სოფიო ანი ლელა ნესტან მარინა ნონა შორენა ია ხატია თამთა ბარბარე ლიზი ნუცა თაკო გვანცა ლუიზა
დარეჯან მედეა ციცინო მარიამი თამარი
"""
#: Bosnian, in Latin (a Bosnian client is written to in Serbian Latin: :func:`greeter.i18n.kindred_locale`).
#: For the gender only: their order in a name cell is not read by them.
_BOSNIAN_MALE: Final = """
dževad emir amir adnan edin mirza haris kenan almir elvir senad nedim samir armin tarik adis enes faruk
salih muhamed mehmed hamza eldar
"""
_BOSNIAN_FEMALE: Final = """
amra amela lejla selma aida amina emina merima azra belma sanela dženana edina adna ajla lamija medina
naida
"""
#: Kazakh, in Cyrillic; names with the Kazakh letters also as Russian forms often spell them (Қайрат, Кайрат).
_KAZAKH_MALE: Final = """
нурлан ерлан асхат арман бауыржан данияр ержан жандос нурсултан ерболат серик берик болат самат
қайрат кайрат мейрам айбек алмас асылбек даурен дархан ерик есен жанибек қанат канат мурат олжас
санжар талгат бекзат абай ерасыл алихан арсен мадияр ербол аскар нуржан ермек
"""
_KAZAKH_FEMALE: Final = """
айгуль айгүл айгерим жанар гульмира асель әсел аружан айжан жазира гульнар салтанат сауле мадина
дана назерке алия айнур айдана балжан гаухар меруерт томирис ақерке акерке әсем асем зарина индира
карлыгаш мөлдір молдир шолпан улжан айсулу бибигуль гульжан жұлдыз жулдыз эльмира асия
"""
_KAZAKH: Final = _KAZAKH_MALE + _KAZAKH_FEMALE
#: German, Austrian and Swiss German: the most common names of the last eighty years (the clients of a
#: DACH business are of every age), in their usual spellings; the forms without umlauts an export
#: writes (Juergen, Jurgen) are added by :func:`_without_umlauts`. For the gender only, like Bosnian.
#: Left out, as names of both genders or read so across the region (:data:`_EITHER`): Kim, Alex,
#: Andrea (a woman in Germany, a man in Ticino), Jan, Kai, Luca, Toni, Sascha, Simone, Nicola…
#: The last line of each: the Swiss and Austrian short forms a CRM holds as the name (Jürg, Ueli,
#: Res, Sepp, Hias; Fränzi, Käthi, Gerti, Liesl). Hansi, Poldi, Pepi, Franzi are either (Johann,
#: Leopold, Josef, Franz; Johanna, Leopoldine, Josefine, Franziska): :data:`_GERMAN_ENGLISH_EITHER`.
_GERMAN_MALE: Final = """
adrian alexander alfred alois andreas andré anton armin arne arno arnold axel beat ben benedikt benjamin
bernd bernhard björn bruno burkhard carl carsten christian christoph claus clemens constantin cyrill
daniel david dennis detlef dieter dietmar dietrich dirk dominic dominik eberhard eckhard edgar edmund
egon elias emil engelbert erhard erich ernst erwin eugen fabian felix ferdinand finn florian frank
franz friedhelm friedrich fritz georg gerald gerd gerhard gernot gottfried gregor guido gunnar günter
günther gustav hannes hans hansjörg hanspeter harald hartmut heiko heiner heinrich heinz helmut
helmuth henning herbert hermann horst hubert hugo ignaz ingo jakob jens joachim jochen johann
johannes jonas jonathan josef joseph julian julius jörg jürgen karl karlheinz karsten kaspar kilian klaus
konrad konstantin kurt lars leo leon leonhard leopold lorenz lothar ludwig luis lukas lutz malte
manfred manuel marc marcel marco marcus mario markus martin mathias matthias max maximilian michael
moritz niklas nils noah norbert olaf oliver oskar otmar ottmar otto pascal patrick paul peter philipp
pirmin raimund rainer ralf ralph raphael reinhard reinhold reto richard robert roland rolf roman rudi
rudolf ruedi rupert rüdiger samuel sebastian siegfried silvan simon stefan steffen stephan sven theo
theodor thilo thomas thorsten till tilo tim timo tobias torsten udo ulf ulrich urs uwe valentin viktor
vinzenz volker walter werner wilfried wilhelm willi winfried wolfgang xaver
ferdl franzl gustl hansruedi hansueli heiri hias jürg köbi loisl res schorsch sepp seppl ueli wastl werni
"""
_GERMAN_FEMALE: Final = """
adelheid agnes alexandra alina alma amelie angela angelika anja anke anna annalena anne annegret
annemarie annette antje antonia astrid barbara beate bettina bianca birgit brigitte britta carina
carla carmen carola carolin caroline charlotte christa christel christiane christina christine
claudia cornelia dagmar daniela doris dorothea edith elfriede elisabeth elke ella ellen elsa emilia
emma erika eva evelyn franziska frieda friederike gabriela gerda gertraud gertrud gisela greta gudrun
hanna hannah hannelore hedwig heidi heike helena helene helga herta hertha hildegard ida ilse ina
ines inge ingeborg ingrid irene iris irmgard isabel isabell jana janina jasmin jennifer jessica
johanna josefa josefine judith julia juliane jutta karin karolina katarina katharina kathrin katja
katrin kerstin klara kristina larissa laura lea lena leonie lina lisa lotte luisa luise magdalena
maike manuela mareike margarete margit margot margrit maria marianne marie marina marion marlene
marlies martha martina melanie mia michaela miriam monika nadine nadja natalie nicole nina nora
paula petra pia rahel regina regula renate resi rita romana rosa rosemarie rosina ruth sabine
sabrina sandra sara sarah saskia silke silvia sofia sonja sophia sophie stefanie stephanie susanne
svenja sylvia tamara tanja theresa theresia therese tina ulla ulrike ursula ute valentina vanessa
vera verena veronika viktoria vreni waltraud wiebke yvonne zita
annelies berta burgi elsbeth erna evi fränzi gerti gretl hermine käthi leopoldine liesl lisbeth margrith
marlis mitzi rosi rösli traudl trudi ursi susi vroni
"""
#: Hungarian given names, men's and women's: which words of a Hungarian full-name cell are given names
#: ("Kiss Anna Mária": two; "Fülöp Ürmös Gyöngyvér": one, after a double family name), for the split
#: only (:func:`greeter.names.read_full_name`), not for the gender. Fülöp, Pál, Máté, Balázs, Bálint
#: are surnames too: a word is a given name only in the given names' place (after the family name).
_HUNGARIAN: Final = """
ádám ágoston ákos aladár albert alex andor andrás antal áron árpád attila balázs bálint barnabás béla
bence benedek benjámin bertalan botond bulcsú csaba dániel dávid dénes dezső domonkos dominik ede
elek elemér előd emil endre erik ernő ervin ferenc flórián frigyes fülöp gábor gáspár gedeon gellért
gergely gergő géza gusztáv gyula győző györgy henrik hugó huba ignác imre istván iván jakab jános jenő
józsef kálmán károly kornél kristóf krisztián lajos lászló lehel levente lőrinc marcell márk márton
máté mátyás menyhért mihály miklós milán nándor norbert ödön olivér örs oszkár ottó pál patrik péter
richárd róbert roland rudolf sándor szabolcs szilárd tamás tibor tivadar tódor vilmos viktor vince
zalán zoltán zsigmond zsolt
ágnes ágota alexandra alíz amália andrea anett anikó anita anna annamária beáta bernadett bettina
bianka boglárka borbála boróka brigitta csenge csilla dalma dóra dorina dorottya edina edit emese emma
enikő erika erzsébet eszter etelka éva evelin fanni flóra gabriella gizella gréta gyöngyi gyöngyvér
hajnalka hanna hedvig ibolya ildikó ilka ilona irén irma izabella jázmin jolán judit júlia julianna
kamilla katalin kinga kitti klára krisztina laura lili lilla lívia luca magdolna margit mária
marianna márta melinda mónika nikolett nikoletta noémi nóra olga orsolya panna petra piroska réka
renáta rita rozália sára sarolta szabina szilvia tímea terézia tünde valéria vanda veronika
viktória vivien zita zsófia zsuzsa zsuzsanna
"""
#: English (British, American, Irish): the most common names, in the same way.
_ENGLISH_MALE: Final = """
aaron adam alan albert alfie andrew anthony archie arthur austin barry benjamin bill billy bob bobby
brandon brian bruce bryan callum carl charles christopher colin conor craig damian darren dave david
dean declan dennis derek donald douglas dylan edward eric ethan eugene frank freddie frederick gareth
gary gavin geoffrey george gerald gordon graham gregory harold harry henry howard ian isaac jack
jacob jake james jason jeffrey jeremy jerry jim jimmy joe john jonathan joseph joshua justin keith
kenneth kevin kyle lawrence liam lewis louis luke malcolm mark martin matthew michael mike nathan
neil nicholas nigel noah oliver oscar owen patrick paul peter philip raymond richard robert roger
ronald roy russell ryan samuel scott sean shaun simon stanley stephen steve steven stuart terence
thomas timothy trevor tyler victor walter wayne william zachary
"""
_ENGLISH_FEMALE: Final = """
abigail alice alison amanda amber amelia amy angela ann anna anne audrey barbara beatrice betty
beverly brenda bridget caroline catherine charlotte chloe christina christine claire deborah debra
denise diana diane donna doris dorothy eileen eleanor elizabeth ella ellie emily emma evelyn fiona
florence frances gemma georgia gillian gloria grace hannah harriet hazel heather helen holly isabel
isabella isla jacqueline jane janet janice jennifer jessica jill joanne josephine joyce judith judy
julia julie karen katherine kathleen kathryn katie kimberly laura lauren linda lisa lucy lydia
madison margaret marilyn martha mary megan melissa michelle mildred millie molly nancy natalie
nicole olivia pamela patricia pauline penelope phoebe poppy rachel rebecca rose ruby ruth
samantha sandra sarah sharon sheila shirley sophia sophie stephanie susan teresa theresa tracy
valerie victoria virginia wendy
"""
#: German and English names of either gender (see :data:`_EITHER`).
_GERMAN_ENGLISH_EITHER: Final = """
alex alexis andrea ashley charlie chris claude dana dominique eike gabriele jamie jan janne jean jo joan
jordan kai kim kris leslie lou luca maxi mika morgan nicola robin sam sascha simone taylor toni
franzi hansi pepi poldi
"""
_SERBIAN_LATIN: Final = str.maketrans(
    {"љ": "lj", "њ": "nj", "џ": "dž", "ђ": "đ", "ћ": "ć", "ж": "ž", "ч": "č", "ш": "š", "ј": "j"}
    | dict(zip("абвгдезиклмнопрстуфхц", "abvgdeziklmnoprstufhc", strict=True))
)


def _serbian_latin(names: str) -> frozenset[str]:
    """Serbian names in both scripts: a CRM in Serbia writes either (Јелена, Jelena)."""
    cyrillic = names.split()
    return frozenset(cyrillic) | frozenset(name.translate(_SERBIAN_LATIN) for name in cyrillic)


_NAMES: Final = (
    frozenset(_MALE.split())
    | frozenset(_FEMALE.split())
    | _serbian_latin(_SERBIAN)
    | frozenset(_ESTONIAN.split())
    | frozenset(_KAZAKH.split())
    | frozenset((_GEORGIAN_MALE + _GEORGIAN_FEMALE).split())
)


#: Serbian Latin as a CRM without diacritics exports it: Đorđe is Djordje, Snežana Snezana, Miloš Milos.
_ASCII_FOLD: Final = str.maketrans({"đ": "dj", "ć": "c", "č": "c", "š": "s", "ž": "z"})
#: Names of either gender in the languages of the contacts greeter writes to: no answer, whatever a
#: list says (Женя, Валя, Саша are Евгений or Евгения, Валентин or Валентина, Александр or Александра).
#: In German and English: Kim, Alex, Chris, Robin, Toni, Jo are given to both; Jan is a man in Germany
#: and a woman in England; Andrea, Simone, Nicola, Gabriele, Luca are women's names north of the Alps
#: and men's in Italy and Ticino, Jean a man in Geneva and a woman in Leeds — lists of languages
#: greeter does not list (Italian, French) cannot cancel them out, so they are named here.
_EITHER: Final = (
    frozenset({"саша", "женя", "валя", "шура", "слава", "ваня", "sasha", "sascha", "sasa", "vanja"})
    | _serbian_latin(_SERBIAN_EITHER)
    | frozenset(_GERMAN_ENGLISH_EITHER.split())
)


def _gendered(male: frozenset[str], female: frozenset[str]) -> dict[str, str]:
    """Each name → "male" or "female"; a name in both lists, or in :data:`_EITHER`, is left out."""
    return {
        name: gender
        for names, gender in ((male - female, "male"), (female - male, "female"))
        for name in names
        if name not in _EITHER
    }


def _with_ascii(names: frozenset[str]) -> frozenset[str]:
    return names | frozenset(name.translate(_ASCII_FOLD) for name in names)


#: German names as an export without umlauts writes them: Jürgen is Juergen or Jurgen, Björn Bjoern.
_UMLAUTS: Final = (
    str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "é": "e"}),
    str.maketrans({"ä": "a", "ö": "o", "ü": "u", "é": "e"}),
)


def _without_umlauts(names: str) -> frozenset[str]:
    """German names with their spellings without umlauts (Jürgen, Juergen, Jurgen)."""
    words = frozenset(names.split())
    return words.union(*(frozenset(w.translate(fold) for w in words) for fold in _UMLAUTS))


#: Names of people who carry a patronymic (Russian, Kazakh): their patronymic says the gender.
_PATRONYMIC_MALE: Final = frozenset(_MALE.split()) | frozenset(_KAZAKH_MALE.split())
_PATRONYMIC_FEMALE: Final = frozenset(_FEMALE.split()) | frozenset(_KAZAKH_FEMALE.split())
#: Names of people who have none (Serbian in both scripts, Bosnian, both also without diacritics;
#: Estonian; Georgian, whose patronymic is a document's; German, also without umlauts; English).
_OTHER_MALE: Final = (
    _with_ascii(_serbian_latin(_SERBIAN_MALE) | frozenset(_BOSNIAN_MALE.split()))
    | frozenset(_ESTONIAN_MALE.split())
    | frozenset(_GEORGIAN_MALE.split())
    | _without_umlauts(_GERMAN_MALE)
    | frozenset(_ENGLISH_MALE.split())
)
_OTHER_FEMALE: Final = (
    _with_ascii(_serbian_latin(_SERBIAN_FEMALE) | frozenset(_BOSNIAN_FEMALE.split()))
    | frozenset(_ESTONIAN_FEMALE.split())
    | frozenset(_GEORGIAN_FEMALE.split())
    | _without_umlauts(_GERMAN_FEMALE)
    | frozenset(_ENGLISH_FEMALE.split())
)
_GENDER_ALL: Final = _gendered(_PATRONYMIC_MALE | _OTHER_MALE, _PATRONYMIC_FEMALE | _OTHER_FEMALE)
#: Only the names of no patronymic culture: "Марко", "Jaan", "Јелена", never "Иван" or "Снежана".
_GENDER_OTHER: Final = {
    name: gender
    for name, gender in _GENDER_ALL.items()
    if name not in _PATRONYMIC_MALE and name not in _PATRONYMIC_FEMALE
}


#: Every apostrophe a name is written with, as the ASCII ``'``: a Ukrainian name's (Мар'яна, Мар’яна,
#: Марʼяна), an Uzbek Latin one's (o‘, g‘: the modifier letters ʻ ʼ, the quotes ‘ ’, the grave accent
#: `` ` ``) and what a keyboard types. One table for the name lists here and for comparing names
#: (:func:`greeter.history_people.name_key`).
APOSTROPHES_AS_ONE: Final = str.maketrans(dict.fromkeys("\u2018\u2019\u02bb\u02bc`\u00b4\u2032", "'"))


@lru_cache(maxsize=1)
def _with_ukrainian() -> dict[str, str]:
    """:data:`_GENDER_ALL` with shevchenko-py's Ukrainian given names, each of the gender its
    detector reads from the name (:func:`_ukrainian`'s dictionary; every name in it gets one).

    Why: a Ukrainian CRM often has no patronymic, and the lists above are Russian: «Олена»,
    «Ірина», «Тарас», «Андрій» said no gender, so a Kyiv office's «Олег» got «Добрий день!» with
    no name (neither vocative, Олеже nor Олего, was certain) and «Олена» «Добрий день, Олено!»
    where «Шановна пані Олено!» is the letter's. The detector alone is an ending heuristic (it
    calls Сава, Хома and Саша women), so only the dictionary's names count, through
    :func:`_gendered`: a name the other lists give the other gender, or one of :data:`_EITHER`
    (Слава), says none. Read on the first name asked of, as :func:`_ukrainian`.
    """
    import shevchenko  # here, not at the top: 10 ms of import, paid by a first name no list has

    genders = {"masculine": "male", "feminine": "female"}
    said = {name: genders.get(shevchenko.detect_gender(given_name=name) or "") for name in _ukrainian()}
    male = frozenset(n for n, g in said.items() if g == "male")
    female = frozenset(n for n, g in said.items() if g == "female")
    return _gendered(_PATRONYMIC_MALE | _OTHER_MALE | male, _PATRONYMIC_FEMALE | _OTHER_FEMALE | female)


def given_name_gender(word: str, *, patronymic_names: bool = True) -> str | None:
    """ "male" or "female" for a first name the lists give one gender only (any case), else ``None``.

    ``"Marko"`` → male, ``"Јелена"``/``"Snezana"`` → female, ``"Олена"``, ``"Тарас"``
    (shevchenko-py's Ukrainian names: :func:`_with_ukrainian`), ``"Saša"``, ``"Sasha"``,
    ``"Женя"`` or a name not listed → ``None``. A hyphenated name answers when its
    parts agree ("Анна-Мария"). ``patronymic_names=False`` leaves out the Russian,
    Kazakh and Ukrainian lists: for a contact whose language is not known, only a name
    that is no Russian one ("Марко", "Jaan") says a gender — a Russian client's
    patronymic is what says theirs (:func:`greeter.names.gender_of`).
    """
    parts = word.strip().lower().translate(APOSTROPHES_AS_ONE).split("-")
    genders = {_GENDER_OTHER.get(part) for part in parts}
    if patronymic_names:  # the Russian, Kazakh and Ukrainian names too: a people with patronymics
        genders = {_GENDER_ALL.get(part) or _with_ukrainian().get(part) for part in parts}
    return genders.pop() if len(genders) == 1 else None


@lru_cache(maxsize=1)
def _ukrainian() -> frozenset[str]:
    """shevchenko-py's dictionary of Ukrainian given names, or none if the package has moved it.

    The dictionary is package data, not its documented API: should a release
    move it, Ukrainian names are merely not recognised (the documented order
    applies) rather than the loader failing. Read once, on the first
    two-word cell that the other lists do not settle.
    """
    import shevchenko  # here, not at the top: only a full-name column needs it

    try:
        words = json.loads(
            (Path(shevchenko.__file__).parent / "data" / "given-names.json").read_text("utf-8")
        )
    except (OSError, ValueError):
        return frozenset()
    return frozenset(w.lower() for w in words if isinstance(w, str))


def is_first_name(word: str) -> bool:
    """Whether ``word`` is a common first name (any case; "Анна-Мария": each part is one).

    Russian, Ukrainian, Serbian (either script), Estonian, Kazakh or Georgian.
    """
    parts = word.lower().split("-")
    return all(part in _NAMES or part in _ukrainian() for part in parts)


_HUNGARIAN_NAMES: Final = frozenset(_HUNGARIAN.split())


def is_hungarian_given_name(word: str) -> bool:
    """Whether ``word`` is a common Hungarian given name (any case; "Anna-Mária": each part is one)."""
    return all(part in _HUNGARIAN_NAMES for part in word.lower().split("-"))


#: The first names of the languages that write them first, each its own: a German client's «Thomas»,
#: an English client's «John» (with the forms an export writes without umlauts: Jürgen, Juergen).
_OWN: Final = {
    "de": _without_umlauts(_GERMAN_MALE + _GERMAN_FEMALE + _GERMAN_ENGLISH_EITHER),
    "en": frozenset((_ENGLISH_MALE + _ENGLISH_FEMALE + _GERMAN_ENGLISH_EITHER).split()),
}


def is_own_first_name(word: str, language: str) -> bool | None:
    """Whether ``word`` is a common first name of ``language`` ("de", "en"); None for a language not listed.

    For the order of a full-name cell of such a contact: «Huber Thomas» of a
    German client is Thomas Huber written surname first, as an Austrian CRM
    sorts it (:func:`greeter.names.read_full_name`).
    """
    names = _OWN.get(language)
    if names is None:
        return None
    return all(part in names for part in word.lower().split("-"))


def is_listed_first_name(word: str) -> bool:
    """Whether ``word`` is a first name in any list: :func:`is_first_name`'s languages, German, English."""
    return is_first_name(word) or any(is_own_first_name(word, language) for language in _OWN)
