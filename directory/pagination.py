"""A paginator that counts the rows with a query of its own only when they run past a page."""

from django.core import paginator


class Paginator(paginator.Paginator):
    """Django's Paginator, except that the first page is read with one row more than it shows.

    Most searches find a handful of cities: when they all fit on the first page, that read
    tells their number too, and the page costs one query instead of two.
    """

    def page(self, number):
        if number != 1 or "count" in self.__dict__:
            return super().page(number)
        fits = self.per_page + self.orphans
        rows = list(self.object_list[: fits + 1])
        if not rows and not self.allow_empty_first_page:
            return super().page(number)
        if len(rows) <= fits:
            self.__dict__["count"] = len(rows)  # the cached_property, filled in
            return self._get_page(rows, 1, self)
        return self._get_page(rows[: self.per_page], 1, self)
