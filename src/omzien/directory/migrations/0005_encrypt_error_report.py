"""An error report's text and the reporter's address are encrypted, the stored ones too."""

import omzien.core.fields
from django.db import migrations

from omzien.core.encrypt_in_place import encrypt_columns


class Migration(migrations.Migration):

    dependencies = [
        ('directory', '0004_service_id_visible_index'),
    ]

    operations = [
        migrations.AlterField(
            model_name='errorreport',
            name='message',
            field=omzien.core.fields.EncryptedTextField(max_length=2000, verbose_name='wat klopt er niet?'),
        ),
        migrations.AlterField(
            model_name='errorreport',
            name='reporter_email',
            field=omzien.core.fields.EncryptedTextField(blank=True, verbose_name='uw e-mailadres (mag leeg)'),
        ),
        migrations.RunPython(*encrypt_columns("directory.ErrorReport", ['message', 'reporter_email'])),
    ]
