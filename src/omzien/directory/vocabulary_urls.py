from __future__ import annotations

from django.urls import path

from omzien.directory import vocabulary_views as views

app_name = "vocabularies"

urlpatterns = [
    path("", views.vocabulary_list, name="list"),
    path("term/<uuid:term_id>/", views.term_edit, name="term_edit"),
    path("<uuid:taxonomy_id>/nieuw/", views.term_add, name="term_add"),
    path("synoniemen/", views.synonyms_edit, name="synonyms"),
    path("begrippen/nieuw/", views.concept_add, name="concept_add"),
    path("begrippen/<int:pk>/", views.concept_edit, name="concept_edit"),
    path("begrippen/<int:pk>/verwijderen/", views.concept_delete, name="concept_delete"),
    path("zoekindex/", views.rebuild_index, name="rebuild_index"),
]
