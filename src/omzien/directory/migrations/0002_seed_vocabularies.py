"""Seed the vocabularies every installation needs (support kinds, target groups, ...)."""

from django.db import migrations


def seed(apps, schema_editor):
    from omzien.directory.vocabularies import ensure_vocabularies

    ensure_vocabularies(apps.get_model("directory", "Taxonomy"), apps.get_model("directory", "TaxonomyTerm"))


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
