"""The sitemap: the site's list pages and every public record of both apps.

At scale 10 the sitemap lists about 94,000 addresses (each page in English and in French) and
took seconds to draw, more than the 50,000 addresses one sitemap file may hold. It is therefore
an export (`declaration_site/lib/exports.py`), built outside the request after each change:
`/sitemap.xml` is a sitemap index naming `/sitemap-<section>-<page>.xml`, each page at most
`URLS_PER_FILE` addresses, all served from files. Addresses start with `SITE_URL`.
"""

from types import SimpleNamespace
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem
from django.template.loader import render_to_string
from django.urls import reverse

from prisoners.sitemaps import DetaineeSitemap
from signatories import sitemaps

from .lib.exports import Export, serve

# Addresses per sitemap file (the protocol allows 50,000 and 50 MB); about 4 MB each.
URLS_PER_FILE = 10_000


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


def write_sitemaps(out, *, urls_per_file=None):
    """The sitemap index and its pages, one section after the other; the index last."""
    address = urlsplit(settings.SITE_URL)
    site = SimpleNamespace(domain=address.netloc, name=address.netloc)
    index = []
    for section, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        sitemap.limit = urls_per_file or URLS_PER_FILE
        items = list(sitemap.items())  # read once, not once per page
        sitemap.items = lambda items=items: items
        if not items:
            continue
        for page in sitemap.paginator.page_range:
            sitemap.latest_lastmod = None
            urls = sitemap.get_urls(page=page, site=site, protocol=address.scheme)
            filename = f"sitemap-{section}-{page}.xml"
            out.open(filename).write(render_to_string("sitemap.xml", {"urlset": urls}))
            lastmod = getattr(sitemap, "latest_lastmod", None)
            index.append(SitemapIndexItem(f"{settings.SITE_URL}/{filename}", lastmod))
    out.open("sitemap.xml").write(render_to_string("sitemap_index.xml", {"sitemaps": index}))


SITEMAP = Export("sitemap.xml", "application/xml", write_sitemaps, pattern="sitemap-*.xml")


def sitemap(request, filename="sitemap.xml"):
    """The sitemap index, or one of its pages, from the files of the last build."""
    response = serve(request, SITEMAP, filename)
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"
    return response
