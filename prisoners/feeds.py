from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from .models import Detainee


class UpdatedDetaineesFeed(Feed):
    feed_type = Atom1Feed
    title = _("Declaration Watch: detainees")
    subtitle = _("Records of named detainees, most recently changed first.")
    link = reverse_lazy("prisoners:detainee_list")

    def items(self):
        return Detainee.objects.public().order_by("-modified")[:30]

    def item_title(self, detainee):
        return f"{detainee.name}: {detainee.get_status_display()}"

    def item_description(self, detainee):
        return detainee.summary

    def item_pubdate(self, detainee):
        return detainee.created

    def item_updateddate(self, detainee):
        return detainee.modified
