"""Privacy pages of the meldpunt: a person's rights and who looked at a case."""

from django.urls import URLPattern, path

from omzien.cases import views_privacy

urlpatterns: list[URLPattern] = [
    path(
        "meldpunt/casussen/<int:pk>/inzage/",
        views_privacy.subject_access,
        name="subject_access",
    ),
    path("meldpunt/casussen/<int:pk>/wissen/", views_privacy.erase, name="erase"),
    path(
        "meldpunt/casussen/<int:pk>/inzage-log/",
        views_privacy.case_audit,
        name="case_audit",
    ),
    path("meldpunt/privacy/zoeken/", views_privacy.subject_search, name="subject_search"),
]
