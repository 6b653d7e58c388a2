from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    """`page` and `page_size`: 20 by default, at most 100. A larger page size is capped, not refused."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    invalid_page_message = "There is no page {page_number} in this list."

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["description"] = "Page number, from 1. A page past the last one answers 404."
                parameter["schema"].update({"minimum": 1, "example": 1})
            elif parameter["name"] == self.page_size_query_param:
                parameter["description"] = (
                    f"Results per page, {self.page_size} by default. "
                    f"A value over {self.max_page_size} is treated as {self.max_page_size}."
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
        for name, description in descriptions.items():
            if isinstance(response["properties"][name], dict):  # drf-spectacular probes with a sentinel
                response["properties"][name]["description"] = description
        response["required"] = ["count", "next", "previous", "results"]
        return response
