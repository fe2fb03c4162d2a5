import datetime
import uuid

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import Detainee, Mention, StatusChange
from .views import events_of


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


def _midnight(day):
    """A date as the aware datetime a feed entry needs: the start of that day."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


class DetaineeRecordFeed(Feed):
    """One published detainee's record as it grows, newest first: each status change, and each
    published declaration that names them, dated as the record dates them. At
    /detainees/<slug>/feed/ (and under /fr/); a detainee who is not published has none."""

    feed_type = Atom1Feed
    limit = 30

    def get_object(self, request, slug):
        return get_object_or_404(Detainee.objects.public(), slug=slug)

    def title(self, detainee):
        return gettext("Declaration Watch: %(name)s") % {"name": detainee.name}

    def subtitle(self, detainee):
        return gettext("Status changes of %(name)s, and the declarations that name them.") % {
            "name": detainee.name
        }

    def link(self, detainee):
        return detainee.get_absolute_url()

    def items(self, detainee):
        changes = list(
            detainee.status_changes.prefetch_related("sources").order_by("-date", "-pk")[
                : self.limit
            ]
        )
        mentions = list(
            Mention.objects.public()
            .filter(detainee=detainee)
            .select_related("declaration", "detainee")
            .order_by("-declaration__date", "-declaration__number")[: self.limit]
        )
        return [record for _date, _kind, record in reversed(events_of(changes, mentions))][
            : self.limit
        ]

    def item_title(self, record):
        if isinstance(record, StatusChange):
            return gettext("%(name)s: %(status)s") % {
                "name": record.detainee.name,
                "status": record.get_status_display(),
            }
        return gettext("%(name)s named in %(declaration)s: %(title)s") % {
            "name": record.detainee.name,
            "declaration": record.declaration,
            "title": record.declaration.title_in()[0],
        }

    def item_description(self, record):
        if isinstance(record, StatusChange):
            text = record.note
            sources = "; ".join(source.title for source in record.sources.all())
            if sources:
                text = f"{text} {gettext('Source: %(sources)s') % {'sources': sources}}"
            return text.strip()
        return gettext("Named as %(name)s.") % {"name": record.name_as_written}

    def item_link(self, record):
        if isinstance(record, StatusChange):
            return f"{record.detainee.get_absolute_url()}#change-{record.pk}"
        return record.declaration.get_absolute_url()

    def item_guid(self, record):
        """A URN that stays the same whatever the address and the language the feed is read at
        (an Atom id is an absolute IRI), made from what the entry is about."""
        if isinstance(record, StatusChange):
            about = f"detainee-status-change:{record.pk}"
        else:
            about = f"detainee:{record.detainee_id}:declaration:{record.declaration.number}"
        return uuid.uuid5(uuid.NAMESPACE_URL, about).urn

    item_guid_is_permalink = False

    def item_pubdate(self, record):
        if isinstance(record, StatusChange):
            return _midnight(record.date)
        return _midnight(record.declaration.date)
