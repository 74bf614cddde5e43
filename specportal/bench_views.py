"""A bare Django view for the benchmarks (bench/bench_api_list.py): one query, a small JSON.

Wired in specportal/urls.py only when SPECPORTAL_BENCH=1 is set; never in production.
"""

from __future__ import annotations

from django.http import JsonResponse

from specs_app.models import Spec


def bare(request):
    return JsonResponse({"specs": Spec.objects.count()})
