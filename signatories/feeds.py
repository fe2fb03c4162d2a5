import datetime

from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import Declaration


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
