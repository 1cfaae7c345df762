"""Whom an occasion is for: its audience (tiers, tags, contacts, countries, genders, locales,
years) prepared once per plan — pure.

Apart from :mod:`greeter.policy` (the cap and merging) because the planner, the plan tables and
several checks ask it on their own: who is in an occasion's audience does not depend on the
journal or on other occasions.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from greeter.config import Audience, Occasion
from greeter.contacts import Contact, Gender
from greeter.i18n import keys_for, normalize_locale
from greeter.names import CONTRADICTED, NAME_UNREAD, AudienceGender, audience_gender


@dataclass(frozen=True, slots=True)
class AudienceRule:
    """An :class:`Audience` prepared once per plan: case-folded tiers and sets to test against.

    The planner asks it about every hit of every contact (through
    :class:`AudienceVerdicts` and :func:`precheck`); building the case-folded
    tier set each time was a measurable part of a million-contact plan.
    """

    tiers: frozenset[str] | None
    tags: frozenset[str] | None
    contacts: frozenset[str] | None
    round_years: int | None
    min_years: int | None
    #: The tiers as the config spells them, for :meth:`why_not` ("VIP", not "vip").
    tier_names: tuple[str, ...] = ()
    #: Only clients in these countries (:meth:`for_occasion`); a contact without one is in the default.
    countries: frozenset[str] | None = None
    default_country: str = ""
    #: Only these genders (``"male"``, ``"female"``), as :func:`~greeter.names.audience_gender` tells a
    #: contact's (the letter's gender, unless the gender column contradicts the patronymic); a
    #: contact whose gender is unknown is in none of them.
    genders: frozenset[str] | None = None
    #: Only letters in these locales, matched by :func:`~greeter.i18n.keys_for` ("sr" takes "sr_Latn");
    #: a contact without a locale is written to in ``default_locale``.
    locales: tuple[str, ...] | None = None
    default_locale: str = ""

    @classmethod
    def of(cls, audience: Audience, default_country: str = "", default_locale: str = "") -> AudienceRule:
        """The rule of ``audience``; ``default_country``/``default_locale``: a contact's without one."""
        return cls(
            tiers=None if audience.tiers is None else frozenset(t.casefold() for t in audience.tiers),
            tags=None if audience.tags is None else frozenset(audience.tags),
            contacts=None if audience.contacts is None else frozenset(audience.contacts),
            round_years=audience.round_years,
            min_years=audience.min_years,
            tier_names=tuple(sorted(audience.tiers or ())),
            countries=None if audience.countries is None else frozenset(audience.countries),
            default_country=default_country,
            genders=None if audience.genders is None else frozenset(audience.genders),
            locales=None if audience.locales is None else tuple(audience.locales),
            default_locale=default_locale,
        )

    @classmethod
    def for_occasion(cls, occ: Occasion, default_country: str, default_locale: str = "") -> AudienceRule:
        """``occ``'s audience with its countries (:attr:`Occasion.countries`: a national holiday's)."""
        rule = cls.of(occ.audience, default_country, default_locale)
        countries = occ.countries
        return rule if countries is None else replace(rule, countries=frozenset(countries))

    def in_countries(self, contact: Contact) -> bool:
        """Whether ``contact``'s country (else the default) is listed; a listed "GB" takes "GB-ENG" too."""
        if self.countries is None:
            return True
        code = contact.country or self.default_country
        return code in self.countries or code.partition("-")[0] in self.countries

    @property
    def everyone(self) -> bool:
        """No rule is given: :meth:`admits` says yes to every contact and anniversary."""
        return (
            self.tiers is None
            and self.tags is None
            and self.contacts is None
            and self.round_years is None
            and self.min_years is None
            and self.countries is None
            and self.genders is None
            and self.locales is None
        )

    def locale_of(self, contact: Contact) -> str:
        """The locale ``contact``'s letter is in, as the renderer reads it (else the default's)."""
        return normalize_locale(contact.locale, self.default_locale)

    def admits(self, contact: Contact, years: int | None) -> bool:
        """Whether ``contact`` (and this anniversary number) is targeted; every given rule must hold."""
        if self.tiers is not None and (contact.tier or "").casefold() not in self.tiers:
            return False
        if self.tags is not None and contact.tags.isdisjoint(self.tags):
            return False
        if self.contacts is not None and contact.id not in self.contacts:
            return False
        if self.countries is not None and not self.in_countries(contact):
            return False
        if self.genders is not None and audience_gender(contact).gender.value not in self.genders:
            return False
        if self.locales is not None and not keys_for(self.locale_of(contact), self.locales):
            return False
        if self.round_years is not None and (years is None or years % self.round_years):
            return False
        return not (self.min_years is not None and (years is None or years < self.min_years))

    def why_not(self, contact: Contact, years: int | None) -> str:
        """Which rule leaves ``contact`` out, in words ("" if none does): the skip's detail.

        Asked only after :meth:`admits` said no, so the hot path stays a few set
        look-ups. A reviewer seeing "outside_audience" for a VIP client needs to
        know it was the 29th year, not the tier.
        """
        if self.tiers is not None and (contact.tier or "").casefold() not in self.tiers:
            return f"tier {contact.tier or '(none)'!r} is not one of: {', '.join(self.tier_names)}"
        if self.tags is not None and contact.tags.isdisjoint(self.tags):
            have = ", ".join(sorted(contact.tags)) or "none"
            return f"has none of the tags {', '.join(sorted(self.tags))} (the contact's tags: {have})"
        if self.contacts is not None and contact.id not in self.contacts:
            return "not one of the audience's contacts"
        if self.countries is not None and not self.in_countries(contact):
            return (
                f"the client's country {contact.country or self.default_country} is not one of: "
                f"{', '.join(sorted(self.countries))}"
            )
        if (
            self.genders is not None
            and (reading := audience_gender(contact)).gender.value not in self.genders
        ):
            # Unknown is no third gender to list: greeting a woman "for 23 February" costs the client.
            return f"gender {gender_words(reading)} is not one of: {', '.join(sorted(self.genders))}"
        if self.locales is not None and not keys_for(locale := self.locale_of(contact), self.locales):
            return f"the letter's locale {locale or '(none)'} is not one of: {', '.join(self.locales)}"
        if self.round_years is not None and (years is None or years % self.round_years):
            if years is None:
                return "round_years needs years to count, and this occasion has none"
            return f"{years} years is not a multiple of {self.round_years} (round_years)"
        if self.min_years is not None and (years is None or years < self.min_years):
            if years is None:
                return "min_years needs years to count, and this occasion has none"
            return f"{years} years is fewer than {self.min_years} (min_years)"
        return ""


def gender_words(reading: AudienceGender) -> str:
    """``reading``'s gender as a skip's detail says it: "male", or "unknown (…)" with why it is.

    :mod:`greeter.gallery_words` says each in Russian; the three reasons are
    three fixes (fill the column, correct the row, or fill the column for a
    name greeter does not read).
    """
    if reading.gender is not Gender.UNKNOWN:
        return reading.gender.value
    if reading.why == CONTRADICTED:
        return (
            f"unknown (the gender column says {reading.column.value} but the patronymic is "
            f"{reading.patronymic.value}: one of them is wrong)"
        )
    if reading.why == NAME_UNREAD:
        return (
            "unknown (neither the gender column nor a patronymic says it, and a first name says it only "
            "with no patronymic, for a language without patronymics: not a Russian or Kazakh name)"
        )
    return "unknown (neither the gender column, a patronymic nor a first name greeter knows says it)"


class AudienceVerdicts:
    """One plan's answers of an :class:`AudienceRule`, remembered by all they depend on.

    A plan asks every contact's every anniversary; the answer depends on the
    contact's tier, tags and country and the anniversary number (with a ``genders`` rule,
    its gender; with a ``contacts`` rule, the id: then nothing is remembered), which take a
    few hundred values in an export — and the refusal's words are the same each time.
    """

    #: Stop remembering here: an export of unique tiers must not fill memory.
    LIMIT = 1 << 16

    def __init__(self, rule: AudienceRule) -> None:
        self.rule = rule
        # What the rule asks, looked up once here rather than on each of a plan's millions of calls.
        self._by_id = rule.contacts is not None
        self._genders = rule.genders is not None
        self._locales = rule.locales is not None
        self._memo: dict[
            tuple[str | None, frozenset[str], int | None, str | None, AudienceGender | None, str | None],
            str | None,
        ] = {}

    def refusal(self, contact: Contact, years: int | None) -> str | None:
        """None if ``contact`` (and ``years``) is in the audience, else :meth:`AudienceRule.why_not`."""
        if self._by_id:
            return None if self.rule.admits(contact, years) else self.rule.why_not(contact, years)
        gender = audience_gender(contact) if self._genders else None  # else no rule asks it
        locale = contact.locale if self._locales else None  # else no rule asks it
        key = (contact.tier, contact.tags, years, contact.country, gender, locale)
        try:
            return self._memo[key]  # one look-up where `in` and `[]` hashed the key twice
        except KeyError:
            pass
        found = None if self.rule.admits(contact, years) else self.rule.why_not(contact, years)
        if len(self._memo) < self.LIMIT:
            self._memo[key] = found
        return found


def in_audience(audience: Audience, contact: Contact, years: int | None) -> bool:
    """Whether ``contact`` (and this anniversary number) is targeted; every given rule must hold."""
    return AudienceRule.of(audience).admits(contact, years)
