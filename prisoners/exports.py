from declaration_site.lib.csv import FilteredCsvView

from .views import DetaineeListView


class DetaineeCsvView(FilteredCsvView):
    list_view = DetaineeListView
    filename = "detainees.csv"
    header = (
        "slug", "name", "other_names", "country_code", "status", "detained_on", "released_on",
        "charges", "sentence", "place_of_detention", "declarations", "url",
    )  # fmt: skip
    detail = ("prisoners:detainee_detail", "slug")

    def row(self, detainee):
        return (
            detainee.slug,
            detainee.name,
            "; ".join(detainee.all_names()[1:]),
            detainee.country.code or "",
            detainee.status,
            detainee.detained_on.isoformat() if detainee.detained_on else "",
            detainee.released_on.isoformat() if detainee.released_on else "",
            detainee.charges,
            detainee.sentence,
            detainee.place_of_detention,
            detainee.declaration_count,
            self.url(detainee),
        )
