"""The content types of Persona and AreaFigure follow the models to `insight`.

Permissions and admin log entries point at a content type by id, so renaming its app label
takes them along. A fresh database has no content types yet (they are made after migrating),
and then there is nothing to do. Should the new content type already exist, the old one is left
for `remove_stale_contenttypes` rather than merged here.
"""

from collections.abc import Callable

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

MOVED = ("persona", "areafigure")


def relabel(old: str, new: str) -> Callable[[Apps, BaseDatabaseSchemaEditor], None]:
    def run(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        ContentType = apps.get_model("contenttypes", "ContentType")
        db = schema_editor.connection.alias
        for model in MOVED:
            if ContentType.objects.using(db).filter(app_label=new, model=model).exists():
                continue
            ContentType.objects.using(db).filter(app_label=old, model=model).update(app_label=new)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('insight', '0001_initial'),
        ('measurement', '0004_move_persona_and_area_figure_to_insight'),
    ]

    operations = [
        migrations.RunPython(relabel("measurement", "insight"), relabel("insight", "measurement")),
    ]
