"""Page-number pagination: ``?page=N&page_size=M``, with M capped."""

from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination

from specs_app.authoring.pagination import CountingPaginator


class Pagination(PageNumberPagination):
    # The page's own query counts the list (see specs_app.authoring.pagination).
    django_paginator_class = CountingPaginator
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request) -> int:
        """The asked-for size, capped; anything but a positive whole number is refused."""
        value = request.query_params.get(self.page_size_query_param)
        if value is None:
            return self.page_size
        if not value.isascii() or not value.isdigit() or int(value) < 1:
            raise ValidationError({self.page_size_query_param: ["Give a whole number of at least 1."]})
        return min(int(value), self.max_page_size)

    def get_page_number(self, request, paginator):
        """``?page=`` with no number is an invalid page, not the first one."""
        number = request.query_params.get(self.page_query_param)
        if number is not None and not number.strip():
            raise NotFound("Invalid page.")
        return super().get_page_number(request, paginator)

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1}
                parameter["description"] = f"Results per page (at most {self.max_page_size})."
        return parameters
