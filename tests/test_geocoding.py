"""Locations that providers add are placed on the map from their postcode (for distance)."""

from __future__ import annotations

from unittest import mock

from django.core.cache import caches
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

import pytest

from omzien.directory.models import Address, Location, ServiceAtLocation
from tests.factories import DirectoryOrganizationFactory, LocationFactory, ServiceFactory
from tests.test_geo import recorded

pytestmark = pytest.mark.django_db

LOCATION = {
    "name": "Buurthuis",
    "address_1": "Evert van de Beekstraat 1",
    "postal_code": "1118 CP",
    "city": "Schiphol",
    "state_province": "Noord-Holland",
    "description": "",
    "transportation": "",
}


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    for cache in caches.all():
        cache.clear()


def test_a_location_a_provider_adds_gets_coordinates(
    client: Client, provider_editor, provider_org, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    organization = DirectoryOrganizationFactory(owner=provider_org, is_trusted=True)
    service = ServiceFactory(organization=organization)
    client.force_login(provider_editor)
    with (
        mock.patch("urllib.request.urlopen", return_value=recorded("postcode_1118CP.json")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(
            reverse("directory_manage:location_create", args=[service.pk]), LOCATION
        )
    assert response.status_code == 302
    location = ServiceAtLocation.objects.get(service=service).location
    assert (location.latitude, location.longitude) == (52.3031994, 4.74654356)


def test_the_command_places_what_is_missing_and_is_idempotent() -> None:
    placed = LocationFactory(latitude=51.0, longitude=5.0)
    Address.objects.create(location=placed, address_1="Markt 1", postal_code="1118CP")
    missing = LocationFactory(latitude=None, longitude=None)
    Address.objects.create(location=missing, address_1="Markt 2", postal_code="1118CP")
    unknown = LocationFactory(latitude=None, longitude=None)
    Address.objects.create(location=unknown, address_1="Nergens 1", postal_code="9999ZZ")
    with mock.patch("urllib.request.urlopen") as urlopen:
        urlopen.side_effect = lambda request, timeout: recorded(
            "postcode_1118CP.json" if "1118CP" in request.full_url else "not_found.json"
        )
        call_command("geocode_locations")
        call_command("geocode_locations")
    missing.refresh_from_db()
    placed.refresh_from_db()
    assert (missing.latitude, missing.longitude) == (52.3031994, 4.74654356)
    assert (placed.latitude, placed.longitude) == (51.0, 5.0)
    assert Location.objects.get(pk=unknown.pk).latitude is None
