"""The site's addresses: the admin, the site's own pages and feeds, the API, and one include()
per app.

Public pages exist in English at their own addresses and in French under /fr/
(`i18n_patterns`, without a prefix for English, so that addresses already published stay
English). The admin, the API, the health check, the sitemap and robots.txt have one address.
"""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path, re_path

from prisoners.feeds import UpdatedDetaineesFeed
from signatories.exports import popolo
from signatories.feeds import LatestDeclarationsFeed

from .health import healthz
from .sitemaps import sitemap
from .statistics import StatisticsCsvView, StatisticsView
from .views import HomeView, RobotsView, SearchView


def favicon(request):
    """/favicon.ico, which browsers and crawlers ask for whatever the page links: the SVG icon
    the pages name. Not permanent, since its static name changes with its content."""
    return redirect(static("favicon.svg"))


urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("favicon.ico", favicon, name="favicon"),
    path("healthz", healthz, name="healthz"),
    path("api/popolo.json", popolo, name="popolo"),
    path("api/", include("declaration_site.api_urls")),
    path("sitemap.xml", sitemap, name="sitemap"),
    re_path(r"^(?P<filename>sitemap-[a-z]+-[0-9]+\.xml)$", sitemap, name="sitemap_page"),
    path("robots.txt", RobotsView.as_view(), name="robots"),
]

urlpatterns += i18n_patterns(
    path("", HomeView.as_view(), name="home"),
    path("search/", SearchView.as_view(), name="search"),
    path("statistics/", StatisticsView.as_view(), name="statistics"),
    path("statistics/<slug:chart>.csv", StatisticsCsvView.as_view(), name="statistics_csv"),
    path("feeds/declarations/", LatestDeclarationsFeed(), name="declaration_feed"),
    path("feeds/detainees/", UpdatedDetaineesFeed(), name="detainee_feed"),
    path("", include("prisoners.urls")),
    path("", include("signatories.urls")),
    prefix_default_language=False,
)

handler500 = "declaration_site.errors.server_error"
