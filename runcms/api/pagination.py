from rest_framework.pagination import PageNumberPagination
from rest_framework.utils.urls import remove_query_param, replace_query_param

from runcms.api.fields import absolute_url


class Pagination(PageNumberPagination):
    """`page` and `page_size`: 20 by default, at most 100. A larger page size is capped, not refused."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    invalid_page_message = "There is no page {page_number} in this list."

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
        return absolute_url(self.request, self.request.get_full_path())

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["description"] = "Page number, from 1. A page past the last one answers 404."
                parameter["schema"].update({"minimum": 1, "example": 1})
            elif parameter["name"] == self.page_size_query_param:
                # Not a minimum of 1: 0, a negative number or text gets the default page size.
                parameter["description"] = (
                    f"Results per page, {self.page_size} by default (also for 0, a negative number or text). "
                    f"A value over {self.max_page_size} is treated as {self.max_page_size}."
                )
                parameter["schema"]["example"] = self.page_size
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
