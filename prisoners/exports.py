import functools

from django_countries.fields import Country

from declaration_site.lib.csv import FilteredCsvView

from .models import all_names
from .views import DetaineeListView


@functools.lru_cache(maxsize=512)
def country_code(value):
    """The ISO code as the model's field gives it (`detainee.country.code`) for a stored value."""
    return Country(code=value).code or ""


class DetaineeCsvView(FilteredCsvView):
    list_view = DetaineeListView
    filename = "detainees.csv"
    header = (
        "slug", "name", "other_names", "country_code", "status", "detained_on", "released_on",
        "charges", "sentence", "place_of_detention", "declarations", "url",
    )  # fmt: skip
    fields = (
        "slug", "name", "other_names", "country", "status", "detained_on", "released_on",
        "charges", "sentence", "place_of_detention", "declaration_count",
    )  # fmt: skip
    detail = ("prisoners:detainee_detail", "slug")

    def row(self, detainee):
        return (
            detainee["slug"],
            detainee["name"],
            "; ".join(all_names(detainee["name"], detainee["other_names"])[1:]),
            country_code(detainee["country"]),
            detainee["status"],
            detainee["detained_on"].isoformat() if detainee["detained_on"] else "",
            detainee["released_on"].isoformat() if detainee["released_on"] else "",
            detainee["charges"],
            detainee["sentence"],
            detainee["place_of_detention"],
            detainee["declaration_count"],
            self.url(detainee),
        )
