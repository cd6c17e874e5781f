"""An existing database upgrades in place when Persona and AreaFigure move to insight.

The database is taken back to the last migrations before the move, rows are written with that
state's models, and migrating forward must leave them readable through `insight.models`, in the
same tables, with their content type (and so their permissions) following along. Runs on
SQLite and on PostgreSQL, like the rest of the suite.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.apps.registry import Apps
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

import pytest

from omzien.insight.models import AreaFigure, AreaLevel, Persona

# The last migrations before the move, and insight not there yet.
BEFORE = [("measurement", "0003_encrypt_story_text"), ("insight", None)]

pytestmark = pytest.mark.django_db(transaction=True)


def migrate(targets: list[tuple[str, str | None]]) -> Apps:
    """Migrate to `targets` and return the models as they are at that point."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)  # type: ignore[arg-type]
    executor.loader.build_graph()
    graph = executor.loader.graph
    named = {app: name for app, name in targets}
    # Every other app at its latest; the named ones where they were taken (None: absent).
    nodes = [node for node in graph.leaf_nodes() if node[0] not in named]
    nodes += [(app, name) for app, name in named.items() if name is not None]
    return executor.loader.project_state(nodes).apps


def migrate_to_latest() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.fixture
def before_the_move() -> Iterator[Apps]:
    old = migrate(BEFORE)
    try:
        yield old
    finally:
        # Whatever happens, the other tests get the database at its latest.
        migrate_to_latest()
    ContentType.objects.clear_cache()


def test_rows_written_before_the_move_are_read_by_the_insight_models(
    before_the_move: Apps,
) -> None:
    OldPersona = before_the_move.get_model("measurement", "Persona")
    OldAreaFigure = before_the_move.get_model("measurement", "AreaFigure")
    persona = OldPersona.objects.create(
        name="Alleenwonende oudere",
        description="75 jaar of ouder, woont alleen",
        target_groups=["elderly"],
        support_kinds=["meeting"],
        characteristics={"place": ["at_home"]},
        size_indicator="residents_75_plus",
    )
    figure = OldAreaFigure.objects.create(
        source="rivm_50120",
        indicator="lonely",
        area_code="WK079410",
        area_level="district",
        area_year=2022,
        period=2022,
        value=51.5,
        margin_low=47.0,
        margin_high=56.0,
        unit="percent",
    )

    migrate_to_latest()

    moved = Persona.objects.get(pk=persona.pk)
    assert moved.name == "Alleenwonende oudere"
    assert moved.characteristics == {"place": ["at_home"]}
    assert moved.size_indicator == "residents_75_plus"
    moved_figure = AreaFigure.objects.get(pk=figure.pk)
    assert moved_figure.area_level == AreaLevel.DISTRICT
    assert (moved_figure.value, moved_figure.margin_low, moved_figure.margin_high) == (
        51.5,
        47.0,
        56.0,
    )
    # Still writable, and the sequence of the old table carries on.
    assert Persona.objects.create(name="Jonge mantelzorger").pk > persona.pk


def test_no_table_is_renamed_or_added(before_the_move: Apps) -> None:
    tables_before = set(connection.introspection.table_names())

    migrate_to_latest()

    assert set(connection.introspection.table_names()) == tables_before
    assert Persona._meta.db_table == "measurement_persona"
    assert AreaFigure._meta.db_table == "measurement_areafigure"


def test_content_types_and_their_permissions_follow_the_models(before_the_move: Apps) -> None:
    OldContentType = before_the_move.get_model("contenttypes", "ContentType")
    OldPermission = before_the_move.get_model("auth", "Permission")
    # As in a database that never had insight: only the old content types exist.
    OldContentType.objects.filter(app_label="insight").delete()
    old_ids = {}
    for model in ("persona", "areafigure"):
        content_type, _created = OldContentType.objects.get_or_create(
            app_label="measurement", model=model
        )
        OldPermission.objects.get_or_create(
            content_type=content_type, codename=f"change_{model}", defaults={"name": model}
        )
        old_ids[model] = content_type.pk

    migrate_to_latest()
    ContentType.objects.clear_cache()

    for model_class in (Persona, AreaFigure):
        content_type = ContentType.objects.get_for_model(model_class)
        model = model_class._meta.model_name
        assert content_type.pk == old_ids[model]
        assert content_type.app_label == "insight"
        assert Permission.objects.filter(
            content_type=content_type, codename=f"change_{model}"
        ).exists()
    assert not ContentType.objects.filter(
        app_label="measurement", model__in=["persona", "areafigure"]
    ).exists()


def test_after_going_back_and_forth_the_old_content_type_keeps_its_history(
    before_the_move: Apps,
) -> None:
    """Going back leaves insight's content types behind (Django makes them after every
    migrate); going forward again keeps the old one, with its log entries and grants."""
    OldContentType = before_the_move.get_model("contenttypes", "ContentType")
    OldPermission = before_the_move.get_model("auth", "Permission")
    OldGroup = before_the_move.get_model("auth", "Group")
    OldLogEntry = before_the_move.get_model("admin", "LogEntry")
    OldContentType.objects.filter(model="persona").delete()
    old = OldContentType.objects.create(app_label="measurement", model="persona")
    kept = OldPermission.objects.create(content_type=old, codename="change_persona", name="a")
    left_behind = OldContentType.objects.create(app_label="insight", model="persona")
    duplicate = OldPermission.objects.create(
        content_type=left_behind, codename="change_persona", name="b"
    )
    only_there = OldPermission.objects.create(
        content_type=left_behind, codename="view_persona", name="c"
    )
    editors = OldGroup.objects.create(name="Persona editors")
    editors.permissions.add(duplicate, only_there)
    admin = before_the_move.get_model("accounts", "User").objects.create(
        email="beheer@example.org", password="!"
    )
    entry = OldLogEntry.objects.create(
        content_type=left_behind, object_id="1", object_repr="persona", action_flag=2, user=admin
    )

    migrate_to_latest()
    ContentType.objects.clear_cache()

    content_type = ContentType.objects.get(app_label="insight", model="persona")
    assert content_type.pk == old.pk
    assert not ContentType.objects.filter(pk=left_behind.pk).exists()
    assert set(
        Permission.objects.filter(group__name="Persona editors").values_list("pk", "content_type")
    ) == {(kept.pk, old.pk), (only_there.pk, old.pk)}
    assert LogEntry.objects.get(pk=entry.pk).content_type_id == old.pk
