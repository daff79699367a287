"""Schema.org JSON-LD for city pages, so search engines and maps know each desk."""

import json

from django.utils.html import format_html
from django.utils.safestring import mark_safe


def city_json_ld(city, request):
    """schema.org data for a city's desks: the city as an organisation, its departments."""
    return {
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
        "department": [_department(department) for department in city.departments.all()],
        "url": request.build_absolute_uri(city.get_absolute_url()),
    }


def _department(department):
    """A desk with what is filled in of its names, contacts, address, hours and languages."""
    data = {"@type": "GovernmentOrganization", "name": department.name}
    if department.name_ja:
        data["alternateName"] = department.name_ja
    if department.url:
        data["url"] = department.url
    if department.email:
        data["email"] = department.email
    # As the page's tel: links dial them (RFC 3966), the extension included: "+81...;ext=123".
    # Each number once, though staff list a line that is phone and fax twice.
    phones = list(
        dict.fromkeys(phone.tel_uri.removeprefix("tel:") for phone in department.phones.all())
    )
    if phones:
        data["telephone"] = phones if len(phones) > 1 else phones[0]
    if department.address_ja or department.postal_code:
        address = {"@type": "PostalAddress", "addressCountry": "JP"}
        if department.postal_code:
            address["postalCode"] = department.postal_code
        if department.address_ja:
            address["streetAddress"] = department.address_ja
        data["address"] = address
    openings = [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": f"https://schema.org/{DAYS[opening.weekday]}",
            "opens": f"{opening.opens:%H:%M}",
            "closes": f"{opening.closes:%H:%M}",
        }
        for opening in department.hours.all()
    ]
    if openings:
        data["openingHoursSpecification"] = openings
    if department.languages:
        data["knowsLanguage"] = department.languages
    return data


DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# The characters that could end a <script> element or open a comment inside it.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_ld_script(data):
    """A non-executed `<script type="application/ld+json">` block, escaped like `json_script`."""
    text = json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308
