"""Store the search keys as `search.key_of` and `search.search_key` now make them: each name
between "|"s, and each word of a desk's and a class provider's name as a name of its own."""

from django.db import migrations


def refresh_search_keys(apps, schema_editor):
    from directory import places
    from directory.search import search_key

    City = apps.get_model("directory", "City")
    Department = apps.get_model("directory", "Department")
    ClassLink = apps.get_model("directory", "ClassLink")
    Municipality = apps.get_model("directory", "Municipality")
    departments, providers = {}, {}
    for city_id, name in Department.objects.values_list("city_id", "name"):
        departments.setdefault(city_id, []).append(name)
    for city_id, label in ClassLink.objects.values_list("city_id", "label"):
        providers.setdefault(city_id, []).append(label)
    cities = list(City.objects.select_related("prefecture"))
    for city in cities:
        city.search_key = search_key(city, departments.get(city.pk, ()), providers.get(city.pk, ()))
    City.objects.bulk_update(cities, ["search_key"], batch_size=500)
    municipalities = list(Municipality.objects.all())
    for place in municipalities:
        place.search_key = places.search_key(place)
    Municipality.objects.bulk_update(municipalities, ["search_key"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("directory", "0031_problem_report_kinds")]

    operations = [migrations.RunPython(refresh_search_keys, migrations.RunPython.noop)]
