from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=N&page_size=M`: M defaults to 50 and is capped at 500.

    Every list answers `{"count", "next", "previous", "results"}`; `next`/`previous` are full
    URLs (null at the ends). A page past the end is a 404 `not_found`.
    """

    page_size_query_param = "page_size"
    max_page_size = 500
