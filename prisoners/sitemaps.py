from django.contrib.sitemaps import Sitemap

from .models import Detainee


class DetaineeSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Detainee.objects.public().order_by("slug")

    def lastmod(self, detainee):
        return detainee.modified
