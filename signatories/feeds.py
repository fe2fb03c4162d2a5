import datetime

from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from .models import Declaration


class LatestDeclarationsFeed(Feed):
    feed_type = Atom1Feed
    title = _("Declaration Watch: new declarations")
    subtitle = _("Written declarations as they are published, newest first.")
    link = reverse_lazy("signatories:declaration_list")

    def items(self):
        return Declaration.objects.public().order_by("-date", "-number")[:30]

    def item_title(self, declaration):
        return f"{declaration}: {declaration.title}"

    def item_description(self, declaration):
        return Truncator(declaration.text).words(60)

    def item_pubdate(self, declaration):
        return timezone.make_aware(datetime.datetime.combine(declaration.date, datetime.time()))

    def item_updateddate(self, declaration):
        return declaration.modified
