from django.contrib.sitemaps import Sitemap

from .models import Detainee


class DetaineeSitemap(Sitemap):
    # Every page in English and in French (/fr/), each naming the other as an alternate.
    i18n = alternates = x_default = True
    changefreq = "weekly"

    def items(self):
        return Detainee.objects.public().order_by("slug")

    def lastmod(self, detainee):
        return detainee.modified
