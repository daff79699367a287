"""The directory as open data: CSV and JSON downloads, and schema.org JSON-LD for city pages.

Plain functions over the ORM in a fixed number of queries. The admin export resources
(`directory/resources.py`) may replace `directory_rows()` later; the columns are `COLUMNS`.
"""

import csv
import json

from django.utils.html import format_html
from django.utils.safestring import mark_safe

from .models import City, ClassLink, Department

COLUMNS = (
    "city_code",
    "number",
    "prefecture_code",
    "prefecture",
    "prefecture_ja",
    "city",
    "city_ja",
    "city_kana",
    "note",
    "department",
    "department_url",
    "department_email",
    "class_url",
    "class_provider",
)
# A spreadsheet runs a cell starting with one of these as a formula (OWASP ASVS V1.2.10).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _directory():
    """Cities with their departments and class links attached, in three queries."""
    cities = list(City.objects.select_related("prefecture"))
    departments, links = {}, {}
    for department in Department.objects.order_by("city", "position", "pk"):
        departments.setdefault(department.city_id, []).append(department)
    for link in ClassLink.objects.order_by("city", "position", "pk"):
        links.setdefault(link.city_id, []).append(link)
    return [(city, departments.get(city.pk, []), links.get(city.pk, [])) for city in cities]


def _city_columns(city):
    return {
        "city_code": city.code,
        "number": city.number if city.number is not None else "",
        "prefecture_code": city.prefecture.code,
        "prefecture": city.prefecture.name,
        "prefecture_ja": city.prefecture.name_ja,
        "city": city.name,
        "city_ja": city.name_ja,
        "city_kana": city.name_kana,
        "note": city.note,
    }


def directory_rows():
    """One dict per class link, or per department (or city) that has none, keyed by COLUMNS."""
    blank = dict.fromkeys(COLUMNS, "")
    for city, departments, links in _directory():
        base = {**blank, **_city_columns(city)}
        rows = []
        for department in departments:
            row = {
                **base,
                "department": department.name,
                "department_url": department.url,
                "department_email": department.email,
            }
            own = [link for link in links if link.department_id == department.pk]
            rows += [{**row, **_link_columns(link)} for link in own] or [row]
        rows += [{**base, **_link_columns(link)} for link in links if link.department_id is None]
        yield from rows or [base]


def _link_columns(link):
    return {"class_url": link.url, "class_provider": link.label}


def _safe_cell(value):
    value = str(value)
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def write_csv(stream):
    """Write `directory_rows()` as CSV with a BOM, so spreadsheet programs read it as UTF-8."""
    stream.write("\ufeff")
    writer = csv.DictWriter(stream, fieldnames=COLUMNS)
    writer.writeheader()
    for row in directory_rows():
        writer.writerow({name: _safe_cell(value) for name, value in row.items()})


def directory_tree():
    """The directory nested: cities, each with its departments, each with its class links."""
    tree = []
    for city, departments, links in _directory():
        entry = _city_columns(city)
        entry["departments"] = [
            {
                "name": department.name,
                "url": department.url,
                "email": department.email,
                "class_links": [
                    _link_json(link) for link in links if link.department_id == department.pk
                ],
            }
            for department in departments
        ]
        entry["other_class_links"] = [
            _link_json(link) for link in links if link.department_id is None
        ]
        tree.append(entry)
    return tree


def _link_json(link):
    return {"url": link.url, "provider": link.label}


def city_json_ld(city, request=None):
    """schema.org data for a city's desks: the city as an organisation, its departments."""
    url = request.build_absolute_uri(city.get_absolute_url()) if request else None
    data = {
        "@context": "https://schema.org",
        "@type": "GovernmentOrganization",
        "name": city.name,
        "alternateName": city.name_ja,
        "address": {
            "@type": "PostalAddress",
            "addressLocality": city.name_ja,
            "addressRegion": city.prefecture.name,
            "addressCountry": "JP",
        },
        "department": [
            {
                "@type": "GovernmentOrganization",
                "name": department.name,
                **({"url": department.url} if department.url else {}),
                **({"email": department.email} if department.email else {}),
            }
            for department in city.departments.all()
        ],
    }
    if url:
        data["url"] = url
    return data


# The characters that could end a <script> element or open a comment inside it.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_ld_script(data):
    """A non-executed `<script type="application/ld+json">` block, escaped like `json_script`."""
    text = json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308
