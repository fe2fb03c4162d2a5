"""Query expressions that several models' QuerySets build on."""

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce


def count_of(queryset, field):
    """How many rows of `queryset` point at the outer row through `field`, as an annotation.

    A subquery rather than a join, so that several counts on one queryset never multiply each
    other and filters on the outer queryset never change them:

    >>> Declaration.objects.annotate(  # doctest: +SKIP
    ...     signature_count=count_of(Signature.objects.all(), "declaration")
    ... ).get(number=695).signature_count
    25
    """
    return Coalesce(
        Subquery(
            queryset.filter(**{field: OuterRef("pk")})
            .order_by()
            .values(field)
            .annotate(count=Count("pk"))
            .values("count")
        ),
        0,
    )
