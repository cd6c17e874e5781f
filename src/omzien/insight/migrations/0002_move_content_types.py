"""The content types of Persona and AreaFigure follow the models to `insight`.

Permissions and admin log entries point at a content type by id, so renaming its app label
takes them along. A fresh database has no content types yet (they are made after migrating),
and then there is nothing to do.

Both labels can exist at once after going back and forth, because after every `migrate` Django
makes the content types of the installed models. Then the one being relabelled keeps its id and
takes over the other's admin log entries and any permission or grant it lacks; the other goes.
"""

from collections.abc import Callable

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

MOVED = ("persona", "areafigure")


def merge_into(apps: Apps, db: str, target, other) -> None:  # type: ignore[no-untyped-def]
    Permission = apps.get_model("auth", "Permission")
    LogEntry = apps.get_model("admin", "LogEntry")
    LogEntry.objects.using(db).filter(content_type=other).update(content_type=target)
    for permission in Permission.objects.using(db).filter(content_type=other):
        kept = Permission.objects.using(db).filter(
            content_type=target, codename=permission.codename
        ).first()
        if kept is None:
            permission.content_type = target
            permission.save(update_fields=["content_type"])
            continue
        # Users and groups granted the other's permission get the kept one.
        for relation in Permission._meta.related_objects:
            if not relation.many_to_many:
                continue
            through = relation.through
            holder = next(
                f.name for f in through._meta.fields
                if f.is_relation and f.related_model is not Permission and not f.primary_key
            )
            have = through.objects.using(db).filter(permission=kept).values(holder)
            through.objects.using(db).filter(permission=permission).exclude(
                **{f"{holder}__in": have}
            ).update(permission=kept)
    other.delete()


def relabel(old: str, new: str) -> Callable[[Apps, BaseDatabaseSchemaEditor], None]:
    def run(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        ContentType = apps.get_model("contenttypes", "ContentType")
        db = schema_editor.connection.alias
        for model in MOVED:
            moving = ContentType.objects.using(db).filter(app_label=old, model=model).first()
            if moving is None:
                continue
            there = ContentType.objects.using(db).filter(app_label=new, model=model).first()
            if there is not None:
                merge_into(apps, db, moving, there)
            moving.app_label = new
            moving.save(update_fields=["app_label"])

    return run


class Migration(migrations.Migration):

    dependencies = [
        ('admin', '0003_logentry_add_action_flag_choices'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('insight', '0001_initial'),
        ('measurement', '0004_move_persona_and_area_figure_to_insight'),
    ]

    operations = [
        migrations.RunPython(relabel("measurement", "insight"), relabel("insight", "measurement")),
    ]
