"""A story's text is encrypted, the stored ones too."""

import omzien.core.fields
from django.db import migrations

from omzien.core.encrypt_in_place import encrypt_columns


class Migration(migrations.Migration):

    dependencies = [
        ('measurement', '0002_dashboard_indexes'),
    ]

    operations = [
        migrations.AlterField(
            model_name='story',
            name='text',
            field=omzien.core.fields.EncryptedTextField(max_length=2000, verbose_name='verhaal'),
        ),
        migrations.RunPython(*encrypt_columns("measurement.Story", ['text'])),
    ]
