from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    """?page=N, ?page_size=N (at most 100). A page out of range is 404, as DRF answers."""

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100
