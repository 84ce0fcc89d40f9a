from rest_framework.pagination import PageNumberPagination

from core.pagination import CountedPaginator


class Pagination(PageNumberPagination):
    """?page=N, ?page_size=N (at most 100). A page out of range is 404, as DRF answers."""

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100


class CountedPagination(Pagination):
    """For a list whose count costs as much as its page (enrolments, filtered through joins):
    the page's rows bring the count (core.pagination.CountedPaginator). One query fewer than
    Pagination."""

    django_paginator_class = CountedPaginator
