from django.urls import path

from omzien.cases import views_public

urlpatterns = [
    path("melden/", views_public.report, name="report"),
    path("melden/bedankt/<str:receipt>/", views_public.thanks, name="report_thanks"),
    path("melden/status/", views_public.status, name="status"),
]
