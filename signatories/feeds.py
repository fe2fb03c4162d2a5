import datetime

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import Country

from .models import Declaration, PoliticalGroup, Signatory, Signature
from .templatetags.bilingual import abbreviation


class LatestDeclarationsFeed(Feed):
    """The latest declarations, at /feeds/declarations/ in English and /fr/feeds/declarations/
    in French: each title and text in the feed's language where recorded, else in the other."""

    feed_type = Atom1Feed
    title = _("Declaration Watch: new declarations")
    subtitle = _("Written declarations as they are published, newest first.")
    link = reverse_lazy("signatories:declaration_list")

    def items(self):
        return Declaration.objects.public().order_by("-date", "-number")[:30]

    def item_title(self, declaration):
        return gettext("%(declaration)s: %(title)s") % {
            "declaration": declaration,
            "title": declaration.title_in()[0],
        }

    def item_description(self, declaration):
        heading = gettext("Doc. %(reference)s, %(date)s.") % {
            "reference": declaration.document_reference,
            "date": date_format(declaration.date),
        }
        return f"{heading} {Truncator(declaration.text_in()[0]).words(60)}"

    def item_pubdate(self, declaration):
        return timezone.make_aware(datetime.datetime.combine(declaration.date, datetime.time()))

    def item_updateddate(self, declaration):
        return declaration.modified


class RecordDeclarationsFeed(LatestDeclarationsFeed):
    """The published declarations one record took part in, newest first: what "follow" gives on
    a group's or a delegation's page. Subclasses say which record (`get_object()`) and which of
    its declarations (`declarations_of()`)."""

    def declarations_of(self, record):
        raise NotImplementedError

    def items(self, record):
        return self.declarations_of(record).order_by("-date", "-number")[:30]

    def link(self, record):
        return record.get_absolute_url()


class GroupDeclarationsFeed(RecordDeclarationsFeed):
    """Published declarations that members of a political group signed as such (their group as
    of signing), at /groups/<slug>/feed/."""

    def get_object(self, request, slug):
        return get_object_or_404(PoliticalGroup.objects.public(), slug=slug)

    def title(self, group):
        return gettext("Declaration Watch: declarations signed by members of %(group)s") % {
            "group": abbreviation(group)
        }

    def subtitle(self, group):
        return gettext(
            "Written declarations that members of %(group)s signed as such, newest first."
        ) % {"group": abbreviation(group)}

    def declarations_of(self, group):
        return Declaration.objects.public().signed_as(political_group=group)


class CountryDeclarationsFeed(RecordDeclarationsFeed):
    """Published declarations that members of a national delegation signed as such (their
    country as of signing), at /countries/<code>/feed/. A country with no public signature has
    no page, and no feed either."""

    def get_object(self, request, code):
        code = code.upper()
        if code not in countries:
            raise Http404("No such country.")
        if not Signature.objects.public().filter(country=code).exists():
            raise Http404("No public signature from this country.")
        return Country(code=code)

    def title(self, country):
        return gettext(
            "Declaration Watch: declarations signed by the delegation of %(country)s"
        ) % {"country": country.name}

    def subtitle(self, country):
        return gettext(
            "Written declarations that members of the delegation of %(country)s signed, newest "
            "first."
        ) % {"country": country.name}

    def link(self, country):
        return reverse("signatories:country_detail", kwargs={"code": country.code.lower()})

    def declarations_of(self, country):
        return Declaration.objects.public().signed_as(country=country.code)


class SignatoryFeed(LatestDeclarationsFeed):
    """A signatory's signatures on published declarations, newest first, at
    /signatories/<slug>/feed/. Only a public signatory (one who signed a published declaration)
    has one."""

    def get_object(self, request, slug):
        return get_object_or_404(Signatory.objects.public(), slug=slug)

    def title(self, signatory):
        return gettext("Declaration Watch: declarations signed by %(name)s") % {
            "name": signatory.full_name
        }

    def subtitle(self, signatory):
        return gettext("Written declarations %(name)s signed, newest first.") % {
            "name": signatory.full_name
        }

    def link(self, signatory):
        return signatory.get_absolute_url()

    def items(self, signatory):
        return (
            signatory.signatures.public()
            .select_related("declaration", "political_group")
            .order_by("-declaration__date", "-declaration__number")[:30]
        )

    def item_title(self, signature):
        return super().item_title(signature.declaration)

    def item_description(self, signature):
        group = (
            abbreviation(signature.political_group)
            if signature.political_group
            else gettext("no group printed")
        )
        signed_as = gettext("Signed as a member of the delegation of %(country)s, %(group)s.") % {
            "country": signature.country.name,
            "group": group,
        }
        return f"{signed_as} {super().item_description(signature.declaration)}"

    def item_link(self, signature):
        return signature.declaration.get_absolute_url()

    def item_pubdate(self, signature):
        return super().item_pubdate(signature.declaration)

    def item_updateddate(self, signature):
        return signature.declaration.modified
