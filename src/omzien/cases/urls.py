"""All routes of the meldpunt under one namespace, `cases:`; each part keeps its own list."""

from omzien.cases import privacy_urls, public_urls, referral_urls, work_urls

app_name = "cases"

urlpatterns = (
    public_urls.urlpatterns
    + work_urls.urlpatterns
    + referral_urls.urlpatterns
    + privacy_urls.urlpatterns
)
