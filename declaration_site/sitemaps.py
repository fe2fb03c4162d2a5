"""The sitemap: the site's list pages and every public record of both apps.

At scale 10 the sitemap lists about 94,000 addresses (each page in English and in French) and
took seconds to draw, more than the 50,000 addresses one sitemap file may hold. It is therefore
an export (`declaration_site/lib/exports.py`), built outside the request after each change:
`/sitemap.xml` is a sitemap index naming `/sitemap-<section>-<page>.xml`, each page at most
`URLS_PER_FILE` addresses, all served from files. Addresses start with `SITE_URL`.
"""

import datetime
from types import SimpleNamespace
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

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


def _remember_locations(sitemap):
    """Let `sitemap` work out each page's address once per language: Django asks for it four
    times per address (the address, then each alternate and x-default)."""
    location = sitemap.location
    if not callable(location):
        return
    known = {}

    def remembered(item):
        key = (id(item), translation.get_language())
        if key not in known:
            known[key] = location(item)
        return known[key]

    sitemap.location = remembered


URLSET_START = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/'
    'sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">'
)


def _urlset(urls):
    """The XML of a sitemap file, as Django's `sitemap.xml` template writes it, without the
    template engine (which took half the build)."""
    lines = [URLSET_START]
    for url in urls:
        lines.append(f"<url><loc>{escape(url['location'])}</loc>")
        if lastmod := url["lastmod"]:
            if isinstance(lastmod, datetime.datetime) and timezone.is_aware(lastmod):
                lastmod = timezone.localtime(lastmod)
            lines.append(f"<lastmod>{lastmod:%Y-%m-%d}</lastmod>")
        if url["changefreq"]:
            lines.append(f"<changefreq>{escape(url['changefreq'])}</changefreq>")
        if url["priority"]:
            lines.append(f"<priority>{escape(url['priority'])}</priority>")
        for alternate in url["alternates"]:
            lines.append(
                f'<xhtml:link rel="alternate" hreflang="{escape(alternate["lang_code"])}" '
                f'href="{escape(alternate["location"])}"/>'
            )
        lines.append("</url>")
    lines.append("</urlset>\n")
    return "".join(lines)


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
        _remember_locations(sitemap)
        if not items:
            continue
        for page in sitemap.paginator.page_range:
            sitemap.latest_lastmod = None
            urls = sitemap.get_urls(page=page, site=site, protocol=address.scheme)
            filename = f"sitemap-{section}-{page}.xml"
            out.open(filename).write(_urlset(urls))
            lastmod = getattr(sitemap, "latest_lastmod", None)
            index.append(SitemapIndexItem(f"{settings.SITE_URL}/{filename}", lastmod))
    out.open("sitemap.xml").write(render_to_string("sitemap_index.xml", {"sitemaps": index}))


SITEMAP = Export("sitemap.xml", "application/xml", write_sitemaps, pattern="sitemap-*.xml")


def sitemap(request, filename="sitemap.xml"):
    """The sitemap index, or one of its pages, from the files of the last build."""
    response = serve(request, SITEMAP, filename)
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"
    return response
