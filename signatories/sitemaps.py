from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Declaration, PoliticalGroup, Signatory, Signature


class DeclarationSitemap(Sitemap):
    # Every page in English and in French (/fr/), each naming the other as an alternate.
    i18n = alternates = x_default = True
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return Declaration.objects.public().order_by("number")

    def lastmod(self, declaration):
        return declaration.modified


class SignatorySitemap(Sitemap):
    i18n = alternates = x_default = True
    changefreq = "weekly"

    def items(self):
        return Signatory.objects.public().order_by("slug")

    def lastmod(self, signatory):
        return signatory.modified


class GroupSitemap(Sitemap):
    i18n = alternates = x_default = True
    changefreq = "monthly"

    def items(self):
        return PoliticalGroup.objects.public().order_by("slug")


class CountrySitemap(Sitemap):
    i18n = alternates = x_default = True
    changefreq = "weekly"

    def items(self):
        codes = Signature.objects.public().order_by("country").values_list("country", flat=True)
        return list(codes.distinct())

    def location(self, code):
        return reverse("signatories:country_detail", kwargs={"code": code.lower()})
