"""Provider self-service and the municipality's review queue, under /beheer/kaart/."""

from __future__ import annotations

from django.urls import path

from omzien.directory import manage_views as views

app_name = "directory_manage"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("dienst/nieuw/", views.service_create, name="service_create"),
    path("dienst/<uuid:pk>/", views.service_edit, name="service_edit"),
    path("dienst/<uuid:pk>/klopt-nog/", views.service_verify, name="service_verify"),
    path("dienst/<uuid:pk>/geschiedenis/", views.service_history, name="service_history"),
    path("dienst/<uuid:pk>/locaties/nieuw/", views.location_create, name="location_create"),
    path(
        "dienst/<uuid:pk>/locaties/<uuid:location_pk>/",
        views.location_edit,
        name="location_edit",
    ),
    path(
        "dienst/<uuid:pk>/locaties/<uuid:location_pk>/weghalen/",
        views.location_remove,
        name="location_remove",
    ),
    path("meldingen/", views.error_reports, name="error_reports"),
    path("meldingen/<int:pk>/", views.error_report_detail, name="error_report"),
    path("meldingen/<int:pk>/opgelost/", views.error_report_resolve, name="error_report_resolve"),
    path("beoordelen/", views.review_queue, name="review_queue"),
    path("beoordelen/<int:pk>/", views.change_request_detail, name="change_request"),
    path(
        "beoordelen/<int:pk>/goedkeuren/",
        views.change_request_approve,
        name="change_request_approve",
    ),
    path(
        "beoordelen/<int:pk>/afwijzen/", views.change_request_reject, name="change_request_reject"
    ),
    path("aanbieders/", views.organizations, name="organizations"),
    path("aanbieders/<uuid:pk>/vertrouwd/", views.organization_trust, name="organization_trust"),
]
