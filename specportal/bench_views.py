"""Bare Django views for the benchmarks (bench/bench_api_list.py), the baselines of the API list.

``bare``: one COUNT query, a small JSON. ``bare_page``: the API list's first page
(``GET /api/v1/specs/``, 20 specs) with the same JSON, built by hand from
``values_list`` rows: what a page costs without DRF, django-filter or model
instances. Wired in specportal/urls.py only when SPECPORTAL_BENCH=1 is set;
never in production.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.utils import timezone

from specs_app.models import Attention, Spec

PAGE_SIZE = 20
_COLUMNS = (
    "id",
    "project__slug",
    "slug",
    "name",
    "title",
    "release",
    "status",
    "blueprint_url",
    "owner__username",
    "template_id",
    "path",
    "proposed_from_id",
    "version",
    "created_at",
    "updated_at",
)


def bare(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"specs": Spec.objects.count()})


def _when(value: datetime) -> str:
    # DRF's DateTimeField: ISO 8601 in the current time zone, "Z" for UTC.
    text = timezone.localtime(value).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def bare_page(request: HttpRequest) -> JsonResponse:
    count = Spec.objects.count()
    rows = list(Spec.objects.order_by("-updated_at", "-pk").values_list(*_COLUMNS)[:PAGE_SIZE])
    ids = [row[0] for row in rows]
    co_authors: dict[int, list[str]] = defaultdict(list)
    for spec_id, username in Spec.co_authors.through.objects.filter(spec_id__in=ids).values_list(
        "spec_id", "user__username"
    ):
        co_authors[spec_id].append(username)
    attention: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for spec_id, username, reason, since in (
        Attention.objects.filter(spec_id__in=ids)
        .order_by("since", "pk")
        .values_list("spec_id", "user__username", "reason", "since")
    ):
        attention[spec_id].append({"user": username, "reason": reason, "since": _when(since)})
    results = []
    for (
        pk,
        project,
        slug,
        name,
        title,
        release,
        status,
        blueprint_url,
        owner,
        template,
        path,
        proposed_from,
        version,
        created_at,
        updated_at,
    ) in rows:
        results.append(
            {
                "id": pk,
                "project": project,
                "slug": slug,
                "name": name,
                "title": title,
                "release": release,
                "status": status,
                "blueprint_url": blueprint_url,
                "owner": owner,
                "co_authors": co_authors.get(pk, []),
                "template": template,
                "path": path,
                "proposed_from": proposed_from,
                "version": version,
                "created_at": _when(created_at),
                "updated_at": _when(updated_at),
                "url": f"/api/v1/specs/{pk}/",
                "html_url": f"/p/{project}/{slug}/",
                "attention": attention.get(pk, []),
            }
        )
    next_page = request.build_absolute_uri("/api/v1/specs/?page=2") if count > PAGE_SIZE else None
    return JsonResponse({"count": count, "next": next_page, "previous": None, "results": results})
