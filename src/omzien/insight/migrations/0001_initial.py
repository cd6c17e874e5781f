"""Persona and AreaFigure move here from `measurement`, their tables untouched.

Only Django's idea of the models changes (state); the database is left as it is, so an existing
database upgrades in place and keeps every row. The tables keep their old names through
`db_table`. `measurement` 0004 removes the models from that app's state.
"""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('measurement', '0003_encrypt_story_text'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Persona',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=120, unique=True, verbose_name='naam')),
                        ('description', models.TextField(blank=True, verbose_name='beschrijving')),
                        ('target_groups', models.JSONField(default=list, verbose_name='doelgroepen')),
                        ('support_kinds', models.JSONField(default=list, verbose_name='soorten steun')),
                        ('characteristics', models.JSONField(blank=True, default=dict, verbose_name='kenmerken')),
                        ('size_indicator', models.CharField(blank=True, max_length=60)),
                    ],
                    options={
                        'db_table': 'measurement_persona',
                        'verbose_name': 'persona',
                        'verbose_name_plural': "persona's",
                        'ordering': ['name'],
                    },
                ),
                migrations.CreateModel(
                    name='AreaFigure',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('source', models.CharField(max_length=30)),
                        ('indicator', models.CharField(max_length=60)),
                        ('area_code', models.CharField(max_length=10)),
                        ('area_level', models.CharField(choices=[('municipality', 'Gemeente'), ('district', 'Wijk'), ('neighbourhood', 'Buurt')], max_length=15)),
                        ('area_year', models.PositiveSmallIntegerField()),
                        ('period', models.PositiveSmallIntegerField()),
                        ('value', models.FloatField(blank=True, null=True)),
                        ('margin_low', models.FloatField(blank=True, null=True)),
                        ('margin_high', models.FloatField(blank=True, null=True)),
                        ('unit', models.CharField(blank=True, max_length=20)),
                        ('is_generated', models.BooleanField(default=False)),
                        ('imported_at', models.DateTimeField(default=django.utils.timezone.now)),
                    ],
                    options={
                        'db_table': 'measurement_areafigure',
                        'ordering': ['area_code', 'indicator'],
                        'indexes': [models.Index(fields=['indicator', 'period'], name='area_figure_lookup_idx')],
                        'constraints': [models.UniqueConstraint(fields=('source', 'indicator', 'area_code', 'area_year', 'period'), name='area_figure_unique')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
