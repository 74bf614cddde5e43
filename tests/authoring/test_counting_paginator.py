"""A list's pages count it in the page's own query, with Paginator's pages and errors."""

from __future__ import annotations

import pytest
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from specs_app.authoring import search, services
from specs_app.authoring.pagination import CountingPaginator
from specs_app.models import Spec


@pytest.fixture
def found(project, alice):
    for n in range(7):
        spec = services.create_spec(
            actor=alice,
            project=project,
            title=f"Spec {n}" + (" about tangerines" if n % 3 == 0 else ""),
            release="2026.1",
            blueprint_url=f"https://blueprints.launchpad.net/cinder/+spec/bp-{n}",
        )
        section = spec.sections.order_by("position").first()
        services.update_section(
            actor=alice, section=section, base_version=section.version, text=f"Tangerine number {n}.\n"
        )
    return search.ranked(Spec.objects.all(), "tangerine")


def _pages(paginator: Paginator) -> list[tuple]:
    return [
        (page.number, [spec.pk for spec in page], page.has_next(), paginator.count, paginator.num_pages)
        for page in (paginator.page(number) for number in paginator.page_range)
    ]


@pytest.mark.parametrize("per_page", [1, 3, 7, 20])
def test_a_search_has_the_pages_paginator_gives(found, per_page):
    assert _pages(CountingPaginator(found, per_page)) == _pages(Paginator(found, per_page))


def test_a_list_that_is_not_a_search_has_the_pages_paginator_gives(found):
    specs = Spec.objects.order_by("-updated_at", "-pk")

    assert _pages(CountingPaginator(specs, 3)) == _pages(Paginator(specs, 3))


def test_a_page_of_a_search_is_one_query_with_its_count(found):
    paginator = CountingPaginator(found, 3)

    with CaptureQueriesContext(connection) as queries:
        page = paginator.page(2)
        count, last = paginator.count, paginator.num_pages

    assert len(queries) == 1
    assert (count, last, len(page)) == (7, 3, 3)


@pytest.mark.parametrize(("number", "error"), [(4, EmptyPage), (0, EmptyPage), ("x", PageNotAnInteger)])
def test_a_page_that_is_not_there_is_refused_as_paginator_refuses_it(found, number, error):
    with pytest.raises(error):
        CountingPaginator(found, 3).page(number)


def test_get_page_falls_back_as_paginator_does(found):
    assert CountingPaginator(found, 3).get_page(99).number == 3
    assert CountingPaginator(found, 3).get_page("x").number == 1


def test_a_plain_list_page_is_one_query_with_its_count(found):
    specs = Spec.objects.filter(title__startswith="Spec").order_by("-updated_at", "-pk")
    paginator = CountingPaginator(specs, 3)

    with CaptureQueriesContext(connection) as queries:
        page = paginator.page(3)
        count, last = paginator.count, paginator.num_pages

    assert len(queries) == 1
    assert (count, last, len(page)) == (7, 3, 1)


def test_a_distinct_list_is_counted_apart(found):
    specs = Spec.objects.filter(sections__body__icontains="tangerine").distinct().order_by("pk")

    assert _pages(CountingPaginator(specs, 3)) == _pages(Paginator(specs, 3))
