"""Pages of spec lists, counted in the query of the page itself.

A page needs the list's length (for the count and the last page) and its
rows; Django's Paginator asks the database twice. ``CountingPaginator`` asks
once: the page's query also returns the count. For a list it is the same
``COUNT(*)`` as a scalar subquery, which the database runs once: a round trip
saved (a third of the queries of the API's spec list). For a ranked search it
is a window ``COUNT(*) OVER ()``: ranking reads every match anyway, so the
matching is done once instead of twice (on SQLite, where matching is the
cost, a search page takes half the time; on PostgreSQL the window keeps every
matching row, the stored vector included, which costs about what the second
match saved). An empty page (past the last, or an empty list) is counted and
refused as Paginator does.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, IntegerField, QuerySet, Subquery, Window

# A page number beyond this is past the end of any list (and its offset could overflow SQL's integers).
MAX_COUNTED_PAGE = 2**31 // 100


class _CountOf(Subquery):
    """The number of rows of a queryset, as a scalar subquery."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) counted)"
    output_field = IntegerField()


class CountingPaginator(Paginator):
    def page(self, number: Any) -> Page:
        queryset = self.object_list
        if not isinstance(queryset, QuerySet) or self.orphans or "count" in self.__dict__:
            return super().page(number)
        try:
            wanted = int(number)
        except (TypeError, ValueError):
            return super().page(number)  # refused as Paginator refuses it
        if not 1 <= wanted <= MAX_COUNTED_PAGE:  # refused, or past any list: as Paginator does
            return super().page(number)
        if "search_rank" in queryset.query.annotations and not queryset.query.distinct:
            # A ranked search (specs_app.authoring.search); the window counts rows before DISTINCT.
            counted = queryset.annotate(listed=Window(Count("*")))
        else:
            counted = queryset.annotate(listed=_CountOf(queryset.order_by().values("pk")))
        bottom = (wanted - 1) * self.per_page
        rows = list(counted[bottom : bottom + self.per_page])
        if not rows:
            return super().page(number)
        self.__dict__["count"] = rows[0].listed  # Paginator.count is a cached_property
        return Page(rows, wanted, self)
