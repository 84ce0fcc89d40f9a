from rest_framework.pagination import PageNumberPagination

from core.pagination import RowsLastPaginator


class Pagination(PageNumberPagination):
    """?page=N, ?page_size=N (at most 100). A page out of range is 404, as DRF answers."""

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100


class WideRowsPagination(Pagination):
    """For a list whose rows are wide and many (enrolments with their figures): the page's keys
    first, then its rows (core.pagination.RowsLastPaginator). One query more than Pagination."""

    django_paginator_class = RowsLastPaginator
