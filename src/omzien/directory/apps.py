from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "omzien.directory"
    label = "directory"
    verbose_name = _("Sociale kaart")

    def ready(self) -> None:
        # Imported here, not at the top: these modules use models, not loaded yet at this point.
        from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

        from omzien.core import periodic
        from omzien.directory.models import SearchConcept, Synonym
        from omzien.directory.search import concepts
        from omzien.directory.search.synonyms import forget
        from omzien.directory.services import remind_stale_services
        from omzien.directory.services.national import load_after_migrate

        periodic.register("remind-stale-services", remind_stale_services, order=10)
        # Synonyms are few and cached; an edit must show in the next search.
        post_save.connect(forget, sender=Synonym, dispatch_uid="search-synonyms-saved")
        post_delete.connect(forget, sender=Synonym, dispatch_uid="search-synonyms-deleted")
        # So are the search concepts, with their terms.
        post_save.connect(
            concepts.forget, sender=SearchConcept, dispatch_uid="search-concepts-saved"
        )
        post_delete.connect(
            concepts.forget, sender=SearchConcept, dispatch_uid="search-concepts-deleted"
        )
        m2m_changed.connect(
            concepts.forget,
            sender=SearchConcept.terms.through,
            dispatch_uid="search-concept-terms-changed",
        )
        # Every installation has the national services, kept up to date by every migrate.
        post_migrate.connect(
            load_after_migrate, sender=self, dispatch_uid="directory-national-services"
        )
