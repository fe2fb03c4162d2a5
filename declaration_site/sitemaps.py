"""The sitemap registry: the site's list pages and every public record of both apps."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from prisoners.sitemaps import DetaineeSitemap
from signatories import sitemaps


class ListPagesSitemap(Sitemap):
    # Every page in English and in French (/fr/), each naming the other as an alternate.
    i18n = alternates = x_default = True
    changefreq = "daily"
    priority = 0.6

    def items(self):
        return [
            "home",
            "signatories:declaration_list",
            "signatories:signatory_list",
            "signatories:group_list",
            "signatories:country_list",
            "prisoners:detainee_list",
        ]

    def location(self, name):
        return reverse(name)


SITEMAPS = {
    "lists": ListPagesSitemap,
    "declarations": sitemaps.DeclarationSitemap,
    "signatories": sitemaps.SignatorySitemap,
    "groups": sitemaps.GroupSitemap,
    "countries": sitemaps.CountrySitemap,
    "detainees": DetaineeSitemap,
}
