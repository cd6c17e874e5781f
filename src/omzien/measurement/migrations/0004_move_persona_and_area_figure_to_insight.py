"""Persona and AreaFigure now belong to `insight` (its migration 0001): forget them here.

State only: the tables stay, under their old names, and are `insight`'s from now on.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('measurement', '0003_encrypt_story_text'),
        ('insight', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='Persona'),
                migrations.DeleteModel(name='AreaFigure'),
            ],
            database_operations=[],
        ),
    ]
