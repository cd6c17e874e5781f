from django.urls import path

from omzien.cases import views_work

CASE = "meldpunt/casussen/<int:pk>/"

urlpatterns = [
    path("meldpunt/", views_work.queue, name="queue"),
    path(CASE, views_work.detail, name="detail"),
    path(f"{CASE}overnemen/", views_work.take, name="take"),
    path(f"{CASE}toewijzen/", views_work.assign, name="assign"),
    path(f"{CASE}urgentie/", views_work.urgency, name="urgency"),
    path(f"{CASE}status/", views_work.status, name="status"),
    path(f"{CASE}contactpoging/", views_work.contact_attempt, name="contact_attempt"),
    path(f"{CASE}gesprek/", views_work.conversation, name="conversation"),
    path(f"{CASE}notitie/", views_work.note, name="note"),
    path(f"{CASE}toestemming/", views_work.consent, name="consent"),
    path(
        f"{CASE}toestemming/<int:consent_pk>/intrekken/",
        views_work.consent_withdraw,
        name="consent_withdraw",
    ),
]
