"""Terms get a plain label for residents; the risk groups the vocabularies lacked are added.

The seeding runs the same `ensure_vocabularies` as migration 0002, now with the resident names:
new terms (autism, psychiatric background, students, status holders, single parents) reach
existing databases, and a term still bearing its seeded name gets its plain label. Terms an
administrator renamed keep their name.
"""

from django.db import migrations, models


def seed(apps, schema_editor):
    from omzien.directory.vocabularies import ensure_vocabularies

    ensure_vocabularies(apps.get_model("directory", "Taxonomy"), apps.get_model("directory", "TaxonomyTerm"))


class Migration(migrations.Migration):

    dependencies = [
        ('directory', '0005_encrypt_error_report'),
    ]

    operations = [
        migrations.AddField(
            model_name='taxonomyterm',
            name='resident_name',
            field=models.CharField(blank=True, max_length=255, verbose_name='naam voor inwoners'),
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
