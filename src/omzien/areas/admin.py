from __future__ import annotations

from django.contrib import admin

from omzien.areas.models import District, Municipality, Neighbourhood, Postcode


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "year"]
    list_filter = ["year"]


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "year", "municipality"]
    list_filter = ["year"]
    search_fields = ["code", "name"]
    exclude = ["geometry"]


@admin.register(Neighbourhood)
class NeighbourhoodAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "year", "district"]
    list_filter = ["year"]
    search_fields = ["code", "name"]
    exclude = ["geometry"]


@admin.register(Postcode)
class PostcodeAdmin(admin.ModelAdmin):
    list_display = ["postcode", "year", "neighbourhood"]
    list_filter = ["year"]
    search_fields = ["postcode"]
    raw_id_fields = ["neighbourhood"]
