from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "omzien.search"
    label = "search"
    verbose_name = _("Zoeken")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from omzien.directory.models import Synonym
        from omzien.search.synonyms import forget

        # Synonyms are few and cached; an edit must show in the next search.
        post_save.connect(forget, sender=Synonym, dispatch_uid="search-synonyms-saved")
        post_delete.connect(forget, sender=Synonym, dispatch_uid="search-synonyms-deleted")
