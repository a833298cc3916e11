from django.db import migrations

DEFAULT_COMMODITIES = [
    ("makanan-minuman", "Makanan & minuman", "Food & beverages"),
    ("kain-tenun", "Kain tenun", "Woven fabric (tenun)"),
    ("kain-batik", "Kain batik", "Batik fabric"),
    ("anyaman", "Anyaman", "Plaited crafts (anyaman)"),
    ("gerabah", "Gerabah", "Pottery (gerabah)"),
]


def seed(apps, schema_editor):
    CommodityGroup = apps.get_model("centres", "CommodityGroup")
    for position, (code, name, name_en) in enumerate(DEFAULT_COMMODITIES):
        CommodityGroup.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("centres", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
