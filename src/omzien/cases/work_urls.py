from django.urls import path

from omzien.cases import views_work

urlpatterns = [
    path("meldpunt/", views_work.queue, name="queue"),
    path("meldpunt/casussen/<int:pk>/", views_work.detail, name="detail"),
]
