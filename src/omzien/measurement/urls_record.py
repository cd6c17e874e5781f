"""Routes for measuring where the work happens.

The project's urls.py includes both lists (names are global, prefixed "measure_"):

    path("metingen/", include(urls_record.staff_urlpatterns)),
    path("vragenlijst/", include(urls_record.public_urlpatterns)),
"""

from django.urls import path

from omzien.measurement import views_record as views

PARTICIPANT = "deelnemers/<int:pk>/"

staff_urlpatterns = [
    path("", views.participant_list, name="measure_list"),
    path("deelnemers/nieuw/", views.participant_create, name="measure_participant_create"),
    path(PARTICIPANT, views.participant_detail, name="measure_participant"),
    path(f"{PARTICIPANT}aanpassen/", views.participant_edit, name="measure_participant_edit"),
    path(f"{PARTICIPANT}meting/", views.record_choose, name="measure_record_choose"),
    path(f"{PARTICIPANT}meting/<str:scale>/", views.record, name="measure_record"),
    path(f"{PARTICIPANT}link/", views.invite, name="measure_invite"),
    path(
        "links/<int:pk>/intrekken/",
        views.invitation_withdraw,
        name="measure_invitation_withdraw",
    ),
    path("formulier/<str:scale>/", views.paper_form, name="measure_paper_form"),
    path("verhalen/", views.story_list, name="measure_stories"),
    path("verhalen/nieuw/", views.story_create, name="measure_story_create"),
    path("verhalen/<int:pk>/aanpassen/", views.story_edit, name="measure_story_edit"),
    path("verhalen/<int:pk>/verwijderen/", views.story_delete, name="measure_story_delete"),
]

public_urlpatterns = [
    # "bedankt" comes first; a token is 32 characters and never that word.
    path("bedankt/", views.self_fill_thanks, name="measure_self_fill_thanks"),
    path("<str:token>/", views.self_fill, name="measure_self_fill"),
]
