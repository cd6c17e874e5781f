"""A provider's decline note is free text about a person: encrypt it, and every stored one."""

import omzien.core.fields
from django.db import migrations

from omzien.core.encrypt_in_place import encrypt_columns


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0004_dashboard_indexes'),
    ]

    operations = [
        migrations.AlterField(
            model_name='referral',
            name='decline_note',
            field=omzien.core.fields.EncryptedTextField(blank=True, max_length=500, verbose_name='toelichting bij de afwijzing'),
        ),
        migrations.RunPython(*encrypt_columns("cases.Referral", ['decline_note'])),
    ]
