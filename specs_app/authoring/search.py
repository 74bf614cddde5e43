"""Full-text search over specs: titles, file names, section titles and bodies.

On PostgreSQL each spec stores a weighted ``tsvector`` (``Spec.search_vector``):
title and file name weight A, section titles B, introduction and section bodies
C. Database triggers, created by migration 0005 with the vector's GIN index,
keep it up to date: a row trigger on the spec, and statement triggers on its
sections. Triggers rather than an update in every service because they also
cover the bulk paths (``bulk_create``, ``bulk_update``, ``queryset.update``) the
services use and any written later, at the cost of one aggregate per changed
spec per statement. Results are ranked with ``ts_rank`` (SearchRank) and
snippets come from ``ts_headline`` (SearchHeadline) over the first matching
section's body.

On SQLite (the embedded setup) search is ``icontains`` over the title, the file
name, the section titles and bodies; a title match ranks above a file-name match
above a section match, and the snippet is an excerpt around the first match.

Snippets are HTML: every character of the stored RST is escaped and only the
matches are wrapped in ``<mark>``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from specs_app.models import Project, Spec, SpecSection

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class _Rank(TypedDict):
    search_rank: float


CONFIG = "english"
# ts_headline's match markers: private-use characters, which escaping leaves alone and
# which are then turned into <mark>; any found in a stored body is dropped.
START, STOP = "\ue000", "\ue001"
EXCERPT_CHARS = 90
MAX_QUERY_LENGTH = 200


@dataclass(frozen=True)
class SearchResult:
    spec: Spec
    rank: float
    snippet_html: SafeString


def uses_postgresql() -> bool:
    return connection.vendor == "postgresql"


def _query(text: str) -> SearchQuery:
    return SearchQuery(text, search_type="websearch", config=CONFIG)


def filter_specs(specs: QuerySet[Spec], query: str) -> QuerySet[WithAnnotations[Spec, _Rank]]:
    """``specs`` matching ``query``, annotated with ``search_rank`` (higher is better)."""
    query = query.strip()[:MAX_QUERY_LENGTH]
    if uses_postgresql():
        search_query = _query(query)
        return specs.filter(search_vector=search_query).annotate(
            search_rank=SearchRank(F("search_vector"), search_query)
        )
    in_sections = SpecSection.objects.filter(spec=OuterRef("pk")).filter(
        Q(title__icontains=query) | Q(body__icontains=query)
    )
    return (
        specs.annotate(in_sections=Exists(in_sections))
        .filter(Q(title__icontains=query) | Q(slug__icontains=query) | Q(in_sections=True))
        .annotate(
            search_rank=Case(
                When(title__icontains=query, then=Value(1.0)),
                When(slug__icontains=query, then=Value(0.5)),
                default=Value(0.1),
                output_field=FloatField(),
            )
        )
    )


def ranked(specs: QuerySet[Spec], query: str) -> QuerySet[WithAnnotations[Spec, _Rank]]:
    """``filter_specs`` ordered best first, then most recently updated."""
    return filter_specs(specs, query).order_by("-search_rank", "-updated_at", "-pk")


def highlight(marked: str) -> SafeString:
    """HTML of ts_headline's output: everything escaped, START…STOP turned into balanced <mark>."""
    html, open_mark = [], False
    for part in re.split(f"([{START}{STOP}])", marked):
        if part == START:
            if not open_mark:
                html.append("<mark>")
                open_mark = True
        elif part == STOP:
            if open_mark:
                html.append("</mark>")
                open_mark = False
        else:
            html.append(escape(re.sub(r"\s+", " ", part)))
    if open_mark:
        html.append("</mark>")
    return mark_safe("".join(html).strip())


def _excerpt(text: str, query: str) -> SafeString:
    """An escaped excerpt of ``text`` around the first match of ``query``, the match marked."""
    text = text.replace(START, "").replace(STOP, "")
    at = text.lower().find(query.lower())
    if at < 0:
        return mark_safe("")
    start = max(0, at - EXCERPT_CHARS)
    end = min(len(text), at + len(query) + EXCERPT_CHARS)
    marked = text[start:at] + START + text[at : at + len(query)] + STOP + text[at + len(query) : end]
    html = highlight(marked)
    return mark_safe(("… " if start else "") + html + (" …" if end < len(text) else ""))


def _first_matching_sections(spec_ids: list[int], query: str) -> RawSQL:
    """On PostgreSQL: the id of each spec's first section (by position) whose body matches ``query``.

    The sections of a spec are read in order and parsed (``to_tsvector``, the
    cost) only until one matches: ``OFFSET 0`` keeps the ordered subquery from
    being merged into the outer one, whose filter then sees its rows one by
    one, and ``LIMIT 1`` stops at the first match; the outer ``OFFSET 0``
    keeps each spec's search from being run again where its id is used.
    (Asked with DISTINCT ON, the planner parses every section of every spec,
    then keeps the first.)
    """
    sections = SpecSection._meta.db_table
    return RawSQL(
        f"""SELECT found.id FROM (
            SELECT (
                SELECT ordered.id FROM (
                    SELECT section.id, section.body FROM {sections} section
                    WHERE section.spec_id = listed.id ORDER BY section.position OFFSET 0
                ) ordered
                WHERE to_tsvector(%s::regconfig, COALESCE(ordered.body, ''))
                      @@ websearch_to_tsquery(%s::regconfig, %s)
                LIMIT 1
            ) AS id FROM unnest(%s::bigint[]) AS listed(id) OFFSET 0
        ) found""",
        (CONFIG, CONFIG, query, spec_ids),
    )


def snippets(spec_ids: Iterable[int], query: str) -> dict[int, SafeString]:
    """The highlighted snippet of each spec whose sections match ``query``: one query.

    The snippet comes from the spec's first matching section (by position);
    only that section is highlighted (ts_headline parses the whole body) or
    read, in a query around the one that finds it.
    """
    spec_ids = list(spec_ids)
    query = query.strip()[:MAX_QUERY_LENGTH]
    if not spec_ids or not query:
        return {}
    if uses_postgresql():
        search_query = _query(query)
        rows = (
            SpecSection.objects.filter(pk__in=_first_matching_sections(spec_ids, query))
            .order_by()
            .annotate(
                headline=SearchHeadline(
                    "body",
                    search_query,
                    config=CONFIG,
                    start_sel=START,
                    stop_sel=STOP,
                    max_words=30,
                    min_words=12,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                ),
                # A body's own marker characters would be read as matches: they are dropped.
                has_markers=Case(
                    When(Q(body__contains=START) | Q(body__contains=STOP), then=Value(True)),
                    default=Value(False),
                    output_field=BooleanField(),
                ),
            )
            .values_list("spec_id", "headline", "has_markers")
        )
        return {
            spec_id: highlight(_strip(headline) if has_markers else headline)
            for spec_id, headline, has_markers in rows
        }
    # Each spec's first matching section: the subquery stops at it (sections in position order).
    first_match = (
        SpecSection.objects.filter(spec_id=OuterRef("pk"), body__icontains=query)
        .order_by("position")
        .values("pk")[:1]
    )
    specs = Spec.objects.filter(pk__in=spec_ids).annotate(first_match=Subquery(first_match))
    bodies = (
        SpecSection.objects.filter(pk__in=specs.values("first_match"))
        .order_by()
        .values_list("spec_id", "body")
    )
    return {spec_id: _excerpt(body, query) for spec_id, body in bodies}


def _strip(headline: str) -> str:
    return headline.replace(START, "").replace(STOP, "")


def search_specs(*, query: str, project: Project | None = None, limit: int = 50) -> list[SearchResult]:
    """The specs matching ``query``, best first, each with its rank and an HTML snippet."""
    if not query.strip():
        return []
    specs = Spec.objects.select_related("project", "owner")
    if project is not None:
        specs = specs.filter(project=project)
    found = list(ranked(specs, query)[:limit])
    marked = snippets((spec.pk for spec in found), query)
    return [
        SearchResult(spec=spec, rank=float(spec.search_rank), snippet_html=marked.get(spec.pk, mark_safe("")))
        for spec in found
    ]
