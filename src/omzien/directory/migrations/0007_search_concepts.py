"""Search concepts: everyday phrasing mapped to the kaart's terms, seeded for every installation.

The seed lives in `omzien.directory.search_concepts` (as the vocabularies' seed lives in
`vocabularies`); this migration only adds what is missing, so it is safe on any database.
"""

from django.db import migrations, models


def seed(apps, schema_editor):
    from omzien.directory.search_concepts import ensure_concepts

    ensure_concepts(apps.get_model("directory", "SearchConcept"), apps.get_model("directory", "TaxonomyTerm"))


class Migration(migrations.Migration):

    dependencies = [
        ('directory', '0006_taxonomyterm_resident_name'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchConcept',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, unique=True, verbose_name='naam')),
                ('phrases', models.TextField(help_text="Woorden en zinnen zoals inwoners ze typen, gescheiden door komma's. Bijvoorbeeld: iemand om mee te praten, aanspraak", verbose_name='zinnen')),
                ('words', models.TextField(blank=True, help_text="Woorden waarop dan ook gezocht wordt, gescheiden door komma's.", verbose_name='zoekwoorden')),
                ('terms', models.ManyToManyField(blank=True, related_name='search_concepts', to='directory.taxonomyterm', verbose_name='termen')),
            ],
            options={
                'verbose_name': 'zoekbegrip',
                'verbose_name_plural': 'zoekbegrippen',
                'ordering': ['name'],
            },
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
