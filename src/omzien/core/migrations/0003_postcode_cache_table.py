"""The postcode look-ups get a database cache of their own; make its table with migrate.

createcachetable makes every database cache table in CACHES that is missing, so this also
covers an installation that migrated before the table was added.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_rate_counter")]
    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
