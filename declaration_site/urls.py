from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.generic import TemplateView

from prisoners.feeds import UpdatedDetaineesFeed
from prisoners.sitemaps import DetaineeSitemap
from signatories import sitemaps
from signatories.exports import popolo
from signatories.feeds import LatestDeclarationsFeed
from signatories.health import healthz

SITEMAPS = {
    "lists": sitemaps.ListPagesSitemap,
    "declarations": sitemaps.DeclarationSitemap,
    "signatories": sitemaps.SignatorySitemap,
    "groups": sitemaps.GroupSitemap,
    "countries": sitemaps.CountrySitemap,
    "detainees": DetaineeSitemap,
}


class RobotsView(TemplateView):
    template_name = "robots.txt"
    content_type = "text/plain; charset=utf-8"

    def get_context_data(self, **kwargs):
        sitemap_url = self.request.build_absolute_uri("/sitemap.xml")
        return super().get_context_data(sitemap_url=sitemap_url, **kwargs)


urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("api/popolo.json", popolo, name="popolo"),
    path("api/", include("signatories.api_urls")),
    path("feeds/declarations/", LatestDeclarationsFeed(), name="declaration_feed"),
    path("feeds/detainees/", UpdatedDetaineesFeed(), name="detainee_feed"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", RobotsView.as_view(), name="robots"),
    path("", include("prisoners.urls")),
    path("", include("signatories.urls")),
]

handler500 = "signatories.errors.server_error"
