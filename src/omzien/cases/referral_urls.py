from django.urls import path

from omzien.cases import views_referrals

urlpatterns = [
    path("meldpunt/casussen/<int:pk>/verwijzen/", views_referrals.refer, name="refer"),
    path(
        "meldpunt/verwijzingen/<int:pk>/intrekken/",
        views_referrals.withdraw,
        name="referral_withdraw",
    ),
    path(
        "meldpunt/verwijzingen/<int:pk>/afronden/",
        views_referrals.complete_by_case_worker,
        name="referral_complete",
    ),
    path("aanbieder/verwijzingen/", views_referrals.inbox, name="inbox"),
    path("aanbieder/verwijzingen/<int:pk>/", views_referrals.inbox_detail, name="inbox_detail"),
    path("verwijzing/<str:token>/", views_referrals.referral_link, name="referral_link"),
]
