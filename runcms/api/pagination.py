from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.utils.urls import remove_query_param, replace_query_param

from runcms.links import public_url


def whole_number(request, name, allowed):
    """The query parameter `name` as a whole number from 1 up; None when absent or empty.

    Only ASCII digits: not a sign, a fraction, an exponent or another script's digits, which
    `int()` would read. Anything else is a 400 that says what is allowed.
    """
    value = request.query_params.get(name, "")
    if value == "":
        return None
    if not (value.isascii() and value.isdigit()) or int(value) < 1:
        raise ValidationError({name: f"Enter a whole number {allowed}."})
    return int(value)


class Pagination(PageNumberPagination):
    """`page` and `page_size`: 20 by default, at most 100. A larger page size is capped, not refused.

    A value that is not a whole number from 1 up (text, 0, a negative number, a fraction) is a 400
    naming the allowed range; an empty one counts as absent, as the schema's `allowEmptyValue` says.
    """

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    invalid_page_message = "There is no page {page_number} in this list."

    def get_page_number(self, request, paginator):
        return whole_number(request, self.page_query_param, "from 1 up") or 1

    def get_page_size(self, request):
        size = whole_number(
            request, self.page_size_query_param,
            f"from 1 to {self.max_page_size} (a larger one counts as {self.max_page_size})",
        )
        return self.page_size if size is None else min(size, self.max_page_size)

    # DRF's links are on the request's host; ours, like every URL in a response, on RUNCMS_PUBLIC_BASE_URL.
    def get_next_link(self):
        if not self.page.has_next():
            return None
        return replace_query_param(self._url(), self.page_query_param, self.page.next_page_number())

    def get_previous_link(self):
        if not self.page.has_previous():
            return None
        number = self.page.previous_page_number()
        if number == 1:
            return remove_query_param(self._url(), self.page_query_param)
        return replace_query_param(self._url(), self.page_query_param, number)

    def _url(self):
        return public_url(self.request.get_full_path(), self.request)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["description"] = (
                    "Page number, from 1 (the default). A page past the last one answers 404; "
                    "a value that is not a whole number from 1 up answers 400."
                )
                parameter["schema"].update({"minimum": 1, "example": 1})
            elif parameter["name"] == self.page_size_query_param:
                # No maximum: a larger value is capped, never an error (the contract).
                parameter["description"] = (
                    f"Results per page, {self.page_size} by default. A value over {self.max_page_size} is "
                    f"treated as {self.max_page_size}; a value that is not a whole number from 1 up answers 400."
                )
                parameter["schema"].update({"minimum": 1, "example": self.page_size})
        return parameters

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        descriptions = {
            "count": "How many results the whole list has, over all pages.",
            "next": "Absolute URL of the next page; null on the last page.",
            "previous": "Absolute URL of the previous page; null on the first page.",
            "results": "This page of the list.",
        }
        examples = {
            "count": 42,
            "next": "https://runcms.example.com/api/v1/drills/?page=3",
            "previous": "https://runcms.example.com/api/v1/drills/?page=1",
        }
        for name, description in descriptions.items():
            if isinstance(response["properties"][name], dict):  # drf-spectacular probes with a sentinel
                response["properties"][name]["description"] = description
                if name in examples:
                    response["properties"][name]["example"] = examples[name]
        response["required"] = ["count", "next", "previous", "results"]
        return response
