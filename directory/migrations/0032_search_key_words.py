"""Store each word of a desk's and a class provider's name in the cities' search keys, as
`search.search_key` now does: a word is found only where a name in the key begins."""

from django.db import migrations


def refresh_search_keys(apps, schema_editor):
    from directory.search import search_key

    City = apps.get_model("directory", "City")
    Department = apps.get_model("directory", "Department")
    ClassLink = apps.get_model("directory", "ClassLink")
    departments, providers = {}, {}
    for city_id, name in Department.objects.values_list("city_id", "name"):
        departments.setdefault(city_id, []).append(name)
    for city_id, label in ClassLink.objects.values_list("city_id", "label"):
        providers.setdefault(city_id, []).append(label)
    changed = []
    for city in City.objects.select_related("prefecture"):
        key = search_key(city, departments.get(city.pk, ()), providers.get(city.pk, ()))
        if key != city.search_key:
            city.search_key = key
            changed.append(city)
    City.objects.bulk_update(changed, ["search_key"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("directory", "0031_problem_report_kinds")]

    operations = [migrations.RunPython(refresh_search_keys, migrations.RunPython.noop)]
