from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from allauth.account.decorators import secure_admin_login

from omzien.accounts import views as account_views
from omzien.measurement import urls_record

# One way in: the admin's own password form is replaced by allauth's login, with its lock-out
# and its second step; a logged-in user without staff rights gets 403, not the admin's form.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("", include("omzien.core.urls")),
    path("kaart/", include("omzien.directory.urls")),
    path("beheer/kaart/", include("omzien.directory.manage_urls")),
    path("beheer/import/", include("omzien.interop.urls")),
    path("beheer/vocabulaires/", include("omzien.directory.vocabulary_urls")),
    path("api/v1/", include("omzien.api.urls")),
    path("", include("omzien.cases.urls")),
    path("metingen/", include(urls_record.staff_urlpatterns)),
    path("vragenlijst/", include(urls_record.public_urlpatterns)),
    path("dashboard/wijken/", include("omzien.insight.urls_areas")),
    path("dashboard/aanbod/", include("omzien.insight.urls_offering")),
    path("dashboard/effecten/", include("omzien.measurement.urls_effects")),
    path("dashboard/", include("omzien.insight.urls_dashboard")),
    path("account/", include("omzien.accounts.urls")),
    path("uitnodiging/<str:token>/", account_views.accept_invitation, name="invitation"),
    path("beheer/", include("omzien.audit.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

handler404 = "omzien.core.views.not_found"
handler403 = "omzien.core.views.forbidden"
