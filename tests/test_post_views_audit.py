"""Every view that accepts a POST writes through a service that records an audit event.

tests/audit_guard.py watches the POSTs the suite happens to send; this module makes sure every
POST view is sent one. It walks the URLconf, lists every view that accepts a writing method, and
posts a valid request to each one with the guard watching.

Which views accept POST
-----------------------
`post_views()` walks `django.urls.get_resolver()`, recursing into every include, and reads per
URL pattern which writing methods (POST, PUT, PATCH, DELETE) its view answers:

- a class-based view (`as_view()`; the callback carries `view_class`): the methods that
  `http_method_names` allows and the class has a handler for (`View.dispatch` answers 405 to
  every other method);
- a django-ninja path (everything under /api/v1/): the methods of the path's operations, read
  from the ninja `PathView` whose view the URL pattern calls;
- a function view: the method list of the nearest `require_http_methods` down its decorator chain
  (`require_GET`, `require_POST` and `require_safe` are made from it, and `functools.wraps` keeps
  the chain in `__wrapped__`). A function view without one answers every method, as Django does,
  so it counts as a POST view.

A pattern whose route repeats an earlier route is never reached (the first match wins for every
method) and is left out. `test_views_said_to_refuse_post_answer_405` checks this rule against
the views themselves: each of our views that the walk says refuses POST answers a POST with 405.

A view is named by its URL name, with its namespace ("cases:note"); a writing method other than
POST that a view declares is named with the method in front ("PUT cases:note"). A function view
that declares no methods is listed once, by its name, and sent a POST.

Where each POST view goes
-------------------------
Third-party views are left out, each for a reason (`THIRD_PARTY`). Every other POST view is in
exactly one of three tables, each entry a function that sets up what the request needs (objects
from tests/factories.py and the services, a named person from tests/conftest.py, logged in) and
returns the URL kwargs, the data and the status a successful request answers with:

- `WRITES`: a valid request writes rows of Omzien's tables and an audit event in the same
  request (so the write went through a service that audits, or the guard fails it);
- `AUDIT_ONLY`: the only row the request writes is its audit event (reading personal data by
  POST, which keeps the search terms out of URLs and logs; asking for work on the search index);
- `WRITES_NOTHING`: with a reason; the request writes no row of Omzien's tables. Sessions,
  cookies, caches, rate counters, the task queue and the search index are not data about anyone
  and do not count (tests/audit_guard.py lists them).

`test_every_post_view_has_an_entry` fails when a new POST view has no entry, and says what to
add.
"""

from __future__ import annotations

import dataclasses
import inspect
import json
import re
import types
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, include, path, resolve, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

import pytest
from ninja.operation import PathView

from omzien.accounts import services as account_services
from omzien.accounts.models import Organisation, User
from omzien.accounts.roles import OrganisationType, PartnerDomain, Role
from omzien.cases import partners, referrals
from omzien.cases import services as case_services
from omzien.cases.models import Case, CaseState, Referral
from omzien.core.spam import stamp
from omzien.directory import services as directory_services
from omzien.directory.forms import LocationForm
from omzien.directory.models import ErrorReport, Organization, Service, Taxonomy, TaxonomyTerm
from omzien.directory.vocabularies import term_id
from omzien.insight.models import Persona
from omzien.measurement import services as measurement_services
from omzien.measurement.models import Participant
from tests.audit_guard import watching
from tests.conftest import _person
from tests.factories import DirectoryOrganizationFactory, OrganisationFactory, ServiceFactory
from tests.factories import make_case as _make_case

pytestmark = pytest.mark.django_db

WRITING_METHODS = ("POST", "PUT", "PATCH", "DELETE")

# Left out of the walk: views of other projects, with what records their changes instead.
THIRD_PARTY = {
    "admin": (
        "Django's admin: every add, change and delete is written to the audit log by "
        "omzien/audit/admin_log.py (tests/test_audit_guard.py)."
    ),
    "allauth": (
        "allauth's account pages (log in and out, password, e-mail, second factor): their "
        "account events are recorded by omzien/accounts/signals.py "
        "(tests/security/test_09_account_events_audited.py)."
    ),
}


# --- The walk ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class View:
    name: str  # "cases:note"; in post_views() "PUT cases:note" for a method other than POST
    url_name: str  # for reverse()
    route: str
    callback: Callable[..., Any]
    methods: frozenset[str] | None  # None: the view declares none, so it answers every method
    namespace: str

    def accepts(self, method: str) -> bool:
        return self.methods is None or method in self.methods

    @property
    def module(self) -> str:
        target = _target(self.callback)
        return f"{getattr(target, '__module__', '?')}.{getattr(target, '__qualname__', '?')}"


def _target(callback: Callable[..., Any]) -> Any:
    """The function behind a partial (ninja's own pages are partials)."""
    return getattr(callback, "func", callback)


def _patterns(
    patterns: list[URLPattern | URLResolver], route: str = "", namespace: str = ""
) -> Iterator[tuple[str, str, URLPattern]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _patterns(pattern.url_patterns, route + str(pattern.pattern), inner)
        else:
            yield route + str(pattern.pattern), namespace, pattern


def _ninja_path_view(callback: Callable[..., Any]) -> PathView | None:
    """The ninja PathView this URL pattern's view belongs to (its `self`), or None."""
    if not callable(callback) or not getattr(callback, "__closure__", None):
        return None
    found = inspect.getclosurevars(callback).nonlocals.get("self")
    return found if isinstance(found, PathView) else None


def accepted_methods(callback: Callable[..., Any]) -> frozenset[str] | None:
    """The HTTP methods a view answers; None when it answers every method."""
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        return frozenset(
            m.upper() for m in view_class.http_method_names if hasattr(view_class, m.lower())
        )
    path_view = _ninja_path_view(callback)
    if path_view is not None:
        return frozenset(m.upper() for op in path_view.operations for m in op.methods)
    function: Any = _target(callback)
    while function is not None:
        code = getattr(function, "__code__", None)
        if code is not None and "request_method_list" in code.co_freevars:
            cell = function.__closure__[code.co_freevars.index("request_method_list")]
            return frozenset(m.upper() for m in cell.cell_contents)
        function = getattr(function, "__wrapped__", None)
    return None


def all_views() -> list[View]:
    """Every reachable URL pattern, with the methods its view answers."""
    seen_routes: set[str] = set()
    views = []
    for route, namespace, pattern in _patterns(get_resolver().url_patterns):
        if route in seen_routes:
            continue  # shadowed: an earlier pattern with the same route answers it
        seen_routes.add(route)
        url_name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
        views.append(
            View(
                name=url_name or "",
                url_name=url_name or "",
                route=route,
                callback=pattern.callback,
                methods=accepted_methods(pattern.callback),
                namespace=namespace,
            )
        )
    return views


def third_party_reason(view: View) -> str:
    """Why this view is left out of the walk, or "" when it is ours to check."""
    if view.namespace == "admin" or view.namespace.startswith("admin:"):
        return "admin"
    if _target(view.callback).__module__.startswith("allauth."):
        return "allauth"
    return ""


def post_views() -> dict[str, View]:
    """Our views that accept a writing method, by name (see the module's docstring)."""
    found: dict[str, View] = {}
    for view in all_views():
        if third_party_reason(view):
            continue
        # A view that declares no methods is listed once, by its name, and sent a POST.
        writing = {"POST"} if view.methods is None else set(WRITING_METHODS) & view.methods
        for method in sorted(writing):
            name = view.url_name if method == "POST" else f"{method} {view.url_name}"
            assert view.url_name, f"The POST view {view.module} at /{view.route} has no URL name."
            assert name not in found, (
                f"Two POST views are named {name}: /{found[name].route} and /{view.route}. "
                "Give each its own URL name."
            )
            found[name] = dataclasses.replace(view, name=name)
    return found


# --- How each POST view is posted -------------------------------------------------------------


class People:
    """The named people and organisations of tests/conftest.py (`p.case_worker_a`), and the
    client the request is sent with."""

    def __init__(self, request: pytest.FixtureRequest, client: Client) -> None:
        self._request = request
        self.client = client

    def __getattr__(self, name: str) -> Any:
        return self._request.getfixturevalue(name)

    def exist(self, *names: str) -> None:
        """Make these people or organisations, who must be there without acting."""
        for name in names:
            self._request.getfixturevalue(name)

    def log_in(self, user: User) -> None:
        self.client.force_login(user)


@dataclass
class Post:
    """What to send and what a successful request answers."""

    kwargs: dict[str, Any] = field(default_factory=dict)
    data: Any = field(default_factory=dict)
    status: int = 302
    content_type: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


Builder = Callable[[People], Post]

WRITES: dict[str, Builder] = {}
AUDIT_ONLY: dict[str, tuple[str, Builder]] = {}
WRITES_NOTHING: dict[str, tuple[str, Builder]] = {}


def writes(name: str) -> Callable[[Builder], Builder]:
    def register(builder: Builder) -> Builder:
        assert name not in WRITES, name
        WRITES[name] = builder
        return builder

    return register


def audit_only(name: str, reason: str) -> Callable[[Builder], Builder]:
    def register(builder: Builder) -> Builder:
        assert name not in AUDIT_ONLY, name
        AUDIT_ONLY[name] = (reason, builder)
        return builder

    return register


def writes_nothing(name: str, reason: str) -> Callable[[Builder], Builder]:
    def register(builder: Builder) -> Builder:
        assert name not in WRITES_NOTHING, name
        WRITES_NOTHING[name] = (reason, builder)
        return builder

    return register


def send(client: Client, name: str, post: Post) -> Any:
    method, _space, url_name = name.rpartition(" ")
    url = reverse(url_name, kwargs=post.kwargs)
    extra: dict[str, Any] = {"headers": post.headers}
    if post.content_type:
        extra["content_type"] = post.content_type
    if (method or "POST") == "POST":
        return client.post(url, post.data, **extra)
    return client.generic(method, url, post.data, **extra)


def _local(moment: Any) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _today() -> str:
    return timezone.localdate().isoformat()


# --- the sociale kaart -------------------------------------------------------------------------


def _provider_service(p: People, *, trusted: bool = True) -> Service:
    """A service of the organization provider_editor maintains."""
    organization = DirectoryOrganizationFactory(
        name="Stichting Samen", owner=p.provider_org, email="info@samen.example", is_trusted=trusted
    )
    return ServiceFactory(organization=organization, name="Koffieochtend", slug="koffieochtend")


def _service_form(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "Samen eten",
        "description": "Eén keer per week samen een warme maaltijd.",
        "status": "active",
        "eligibility_description": "Voor iedereen die niet graag alleen eet.",
        "minimum_age": "18",
        "application_process": "Bel ons.",
        "area_kind": "municipality",
        "terms_support_kind": ["meeting"],
        "terms_target_group": ["living_alone"],
        "languages": ["nl"],
        "phone_0_number": "040 123 45 67",
    }
    data.update(overrides)
    return data


LOCATION = {
    "name": "Buurthuis De Brug",
    "address_1": "Markt 1",
    "postal_code": "5701 AB",
    "city": "Helmond",
    "state_province": "Noord-Brabant",
    "description": "",
    "transportation": "",
}


def _service_with_location(p: People) -> tuple[Service, Any]:
    service = _provider_service(p)
    form = LocationForm(LOCATION)
    assert form.is_valid(), form.errors
    result = directory_services.save_location(
        user=p.provider_editor, service=service, data=form.to_data()
    )
    link = service.service_at_locations.get()
    assert result.is_live
    return service, link.location


def _proposal(p: People) -> Any:
    service = _provider_service(p, trusted=False)
    data = directory_services.service_data(service)
    data.name = "Koffie en taart"
    assert service.organization is not None
    result = directory_services.save_service(
        user=p.provider_editor, organization=service.organization, data=data, service=service
    )
    assert result.change_request is not None
    return result.change_request


@writes("directory:report_error")
def _(p: People) -> Post:
    service = ServiceFactory(name="Koffieochtend", slug="koffieochtend")  # anonymous resident
    data = {"message": "Het is op woensdag.", "reporter_email": "", "started": stamp()}
    return Post({"key": service.slug}, data, status=200)


@writes("directory_manage:service_create")
def _(p: People) -> Post:
    organization = _provider_service(p).organization
    assert organization is not None
    p.log_in(p.provider_editor)
    return Post(data=_service_form(organization=str(organization.pk)))


@writes("directory_manage:service_edit")
def _(p: People) -> Post:
    service = _provider_service(p)
    p.log_in(p.provider_editor)
    return Post({"pk": service.pk}, _service_form(name="Koffie en taart"))


@writes("directory_manage:service_verify")
def _(p: People) -> Post:
    service = _provider_service(p)
    p.log_in(p.provider_editor)
    return Post({"pk": service.pk})


@writes("directory_manage:location_create")
def _(p: People) -> Post:
    service = _provider_service(p)
    p.log_in(p.provider_editor)
    return Post({"pk": service.pk}, LOCATION)


@writes("directory_manage:location_edit")
def _(p: People) -> Post:
    service, location = _service_with_location(p)
    p.log_in(p.provider_editor)
    return Post({"pk": service.pk, "location_pk": location.pk}, {**LOCATION, "city": "Mierlo"})


@writes("directory_manage:location_remove")
def _(p: People) -> Post:
    service, location = _service_with_location(p)
    p.log_in(p.provider_editor)
    return Post({"pk": service.pk, "location_pk": location.pk})


@writes("directory_manage:error_report_resolve")
def _(p: People) -> Post:
    service = _provider_service(p)
    report = ErrorReport.objects.create(
        service=service, message="Het nummer klopt niet.", reporter_email="jan@example.nl"
    )
    p.log_in(p.provider_editor)
    return Post({"pk": report.pk})


@writes("directory_manage:change_request_approve")
def _(p: People) -> Post:
    proposal = _proposal(p)
    p.log_in(p.policy_officer)
    return Post({"pk": proposal.pk})


@writes("directory_manage:change_request_reject")
def _(p: People) -> Post:
    proposal = _proposal(p)
    p.log_in(p.policy_officer)
    return Post({"pk": proposal.pk}, {"reason": "Dit klopt niet met onze gegevens."})


@writes("directory_manage:organization_trust")
def _(p: People) -> Post:
    organization = _provider_service(p, trusted=False).organization
    assert isinstance(organization, Organization)
    p.log_in(p.administrator)
    return Post({"pk": organization.pk}, {"trusted": "1"})


@writes_nothing(
    "directory:list_add",
    "A resident's own list of services lives in the session, not the database.",
)
def _(p: People) -> Post:
    service = ServiceFactory(name="Koffieochtend", slug="koffieochtend")
    return Post(data={"service": str(service.pk)})


@writes_nothing("directory:list_remove", "Takes a service off the list in the session.")
def _(p: People) -> Post:
    service = ServiceFactory(name="Koffieochtend", slug="koffieochtend")
    p.client.post(reverse("directory:list_add"), {"service": str(service.pk)})
    return Post(data={"service": str(service.pk)})


@writes_nothing("directory:list_clear", "Empties the list in the session.")
def _(p: People) -> Post:
    return Post()


@writes_nothing(
    "directory:compare_pick",
    "The services a resident picks to compare live in the session, not the database.",
)
def _(p: People) -> Post:
    service = ServiceFactory(name="Koffieochtend", slug="koffieochtend")
    return Post(data={"service": service.slug, "ids": service.slug})


@writes_nothing("directory:compare_clear", "Empties the picks to compare in the session.")
def _(p: People) -> Post:
    return Post()


# --- vocabularies ------------------------------------------------------------------------------


@writes("vocabularies:term_edit")
def _(p: People) -> Post:
    term = TaxonomyTerm.objects.get(id=term_id("support_kind", "meeting"))
    p.log_in(p.administrator)
    return Post({"term_id": term.id}, {"name": "Mensen ontmoeten", "description": "Samen."})


@writes("vocabularies:term_add")
def _(p: People) -> Post:
    taxonomy = Taxonomy.objects.get(key="target_group")
    p.log_in(p.administrator)
    return Post({"taxonomy_id": taxonomy.id}, {"name": "Studenten", "description": "Wie studeert."})


@writes("vocabularies:synonyms")
def _(p: People) -> Post:
    p.log_in(p.administrator)
    return Post(data={"groups": "maatje, buddy\neenzaam, alleen"})


@writes("vocabularies:concept_add")
def _(p: People) -> Post:
    p.log_in(p.administrator)
    meeting = term_id("support_kind", "meeting")
    return Post(data={"name": "Kienen", "phrases": "kienen, bingo", "terms": [str(meeting)]})


@writes("vocabularies:concept_edit")
def _(p: People) -> Post:
    from omzien.directory.models import SearchConcept

    concept = SearchConcept.objects.get(name="Rouw en verlies")
    p.log_in(p.administrator)
    return Post({"pk": concept.pk}, {"name": concept.name, "phrases": "weduwe, weduwnaar"})


@writes("vocabularies:concept_delete")
def _(p: People) -> Post:
    from omzien.directory.models import SearchConcept

    p.log_in(p.administrator)
    return Post({"pk": SearchConcept.objects.get(name="Rouw en verlies").pk})


@audit_only(
    "vocabularies:rebuild_index",
    "Queues the rebuild of the search index, which follows the data it indexes.",
)
def _(p: People) -> Post:
    p.log_in(p.administrator)
    return Post()


# --- the spreadsheet import --------------------------------------------------------------------

SHEET = b"Naam;Omschrijving\nKoffieochtend;Samen koffie drinken.\n"


def _upload(p: People) -> None:
    response = p.client.post(
        reverse("interop:upload"), {"file": SimpleUploadedFile("diensten.csv", SHEET)}
    )
    assert response.status_code == 302, response.content[:800]


@writes_nothing(
    "interop:upload",
    "The parsed file waits in a private temporary file named in the session; nothing is "
    "imported until the columns are chosen (interop:preview).",
)
def _(p: People) -> Post:
    p.log_in(p.administrator)
    return Post(data={"file": SimpleUploadedFile("diensten.csv", SHEET)})


@writes("interop:preview")
def _(p: People) -> Post:
    p.log_in(p.administrator)
    _upload(p)
    return Post(data={"column_0": "name", "column_1": "description"}, status=200)


@writes_nothing("interop:cancel", "Throws the waiting upload away; nothing was imported.")
def _(p: People) -> Post:
    p.log_in(p.administrator)
    _upload(p)
    return Post()


# --- the JSON API ------------------------------------------------------------------------------


@writes("api:create_signal")
def _(p: People) -> Post:
    p.exist("welfare_a")  # the meldpunt that receives the signal
    housing = OrganisationFactory(
        name="Woningcorporatie Test", type=OrganisationType.PARTNER, domain=PartnerDomain.HOUSING
    )
    _key, key = partners.create_key(housing)
    body = {
        "description": "Huur drie maanden niet betaald.",
        "person": {"name": "Fictieve Persoon", "address": "Markt 1", "postcode": "5701 AB"},
        "indicators": ["rent_unpaid"],
        "source_reference": "WC-2025-0042",
    }
    return Post(
        data=json.dumps(body),
        content_type="application/json",
        headers={"authorization": f"Bearer {key}"},
        status=201,
    )


@writes_nothing("api:score_scale", "Scores the answers it is sent and stores nothing.")
def _(p: People) -> Post:
    return Post(
        {"scale": "ucla3"},
        json.dumps({"answers": [1, 2, 3]}),
        content_type="application/json",
        status=200,
    )


@writes_nothing("api:openapi-json", "django-ninja's OpenAPI schema: the same page for any method.")
def _(p: People) -> Post:
    return Post(status=200)


@writes_nothing("api:openapi-view", "The API documentation page: the same page for any method.")
def _(p: People) -> Post:
    return Post(status=200)


# --- the meldpunt: the public form ------------------------------------------------------------


@writes("cases:report")
def _(p: People) -> Post:
    p.exist("welfare_a")  # the meldpunt that receives the report
    page = p.client.get(reverse("cases:report")).content.decode()
    hidden = {
        name: re.search(rf'name="{name}" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
        for name in ("started", "form_token")
    }
    data = {
        "reporter_kind": "resident",
        "person_name": "Hendrika Vogelzang",
        "person_phone": "06 98765432",
        "person_address": "Lindelaan 17",
        "person_postcode": "5701 ab",
        "age_group": "75+",
        "indicators": ["rarely_goes_out"],
        "description": "Ik zie haar al weken niet meer bij de bakker.",
        "person_knows": "no",
        "reporter_name": "Buurman Jansen",
        "reporter_email": "buurman@example.org",
        "website": "",
        **hidden,
    }
    return Post(data=data, status=303)


# --- the meldpunt: case work -------------------------------------------------------------------


def _case(p: People, *, contact: bool = False) -> Case:
    case: Case = _make_case(p.welfare_a)
    if contact:
        case_services.record_contact_attempt(
            case, p.case_worker_a, at=timezone.now(), channel="phone", outcome="reached"
        )
        case.refresh_from_db()
    return case


@writes("cases:take")
def _(p: People) -> Post:
    case = _case(p)
    p.log_in(p.case_worker_a)
    return Post({"pk": case.pk})


@writes("cases:assign")
def _(p: People) -> Post:
    case = _case(p)
    p.log_in(p.coordinator_a)
    return Post({"pk": case.pk}, {"assignee": p.case_worker_a.pk})


@writes("cases:urgency")
def _(p: People) -> Post:
    case = _case(p)
    p.log_in(p.case_worker_a)
    return Post({"pk": case.pk}, {"urgency": "high"})


@writes("cases:status")
def _(p: People) -> Post:
    case = _case(p)
    p.log_in(p.case_worker_a)
    return Post({"pk": case.pk}, {"to_state": "intake"})


@writes("cases:contact_attempt")
def _(p: People) -> Post:
    case = _case(p)
    p.log_in(p.case_worker_a)
    data = {"at": _local(timezone.now()), "channel": "phone", "outcome": "reached", "note": ""}
    return Post({"pk": case.pk}, data)


@writes("cases:conversation")
def _(p: People) -> Post:
    case = _case(p, contact=True)
    p.log_in(p.case_worker_a)
    data = {"held_at": _local(timezone.now()), "text": "Mevrouw wil graag een maatje."}
    return Post({"pk": case.pk}, data)


@writes("cases:note")
def _(p: People) -> Post:
    case = _case(p)
    p.log_in(p.case_worker_a)
    return Post({"pk": case.pk}, {"text": "Buurvrouw belde nog."})


CONSENT = {"method": "verbal", "scope": "Doorverwijzen naar de buurtkamer."}


@writes("cases:consent")
def _(p: People) -> Post:
    case = _case(p, contact=True)
    p.log_in(p.case_worker_a)
    data = {**CONSENT, "given_at": _local(timezone.now()), "share_with_providers": "on"}
    return Post({"pk": case.pk}, data)


@writes("cases:consent_withdraw")
def _(p: People) -> Post:
    case = _case(p, contact=True)
    consent = case_services.record_consent(
        case, p.case_worker_a, given_at=timezone.now(), share_with_providers=True, **CONSENT
    )
    p.log_in(p.case_worker_a)
    return Post({"pk": case.pk, "consent_pk": consent.pk})


# --- the meldpunt: referrals -------------------------------------------------------------------


def _ready_case(p: People) -> Case:
    """A case after the conversation, with consent to share with providers."""
    worker = p.case_worker_a
    case = case_services.transition(_make_case(p.welfare_a), CaseState.INTAKE, worker)
    now = timezone.now()
    case_services.record_contact_attempt(case, worker, at=now, channel="phone", outcome="reached")
    case.refresh_from_db()
    case_services.record_conversation(case, worker, held_at=now, text="Verslag.")
    case.refresh_from_db()
    case_services.record_consent(case, worker, given_at=now, share_with_providers=True, **CONSENT)
    case.refresh_from_db()
    return case


def _inbox_service(p: People) -> Service:
    """A service whose provider has an inbox: provider_editor reads it."""
    p.exist("provider_editor")
    organization = DirectoryOrganizationFactory(name="Sportclub C", owner=p.provider_org)
    return ServiceFactory(organization=organization, name="Samen Wandelen")


def _referral(p: People, service: Service | None = None) -> Referral:
    (referral,) = referrals.create_referrals(
        _ready_case(p), [service or _inbox_service(p)], p.case_worker_a, ""
    )
    return referral


@writes("cases:refer")
def _(p: People) -> Post:
    case = _ready_case(p)
    service = _inbox_service(p)
    p.log_in(p.case_worker_a)
    data = {"services": [str(service.pk)], "message": "", "confirm_consent": "on"}
    return Post({"pk": case.pk}, data)


@writes("cases:referral_withdraw")
def _(p: People) -> Post:
    referral = _referral(p)
    p.log_in(p.case_worker_a)
    return Post({"pk": referral.pk})


@writes("cases:referral_complete")
def _(p: People) -> Post:
    referral = _referral(p)
    referrals.accept(referral, p.provider_editor)
    p.log_in(p.case_worker_a)
    return Post({"pk": referral.pk}, {"complete-outcome": "helped"})


@writes("cases:inbox_detail")
def _(p: People) -> Post:
    referral = _referral(p)
    p.log_in(p.provider_editor)
    return Post({"pk": referral.pk}, {"action": "accept"})


@writes("cases:referral_link")
def _(p: People) -> Post:
    organization = DirectoryOrganizationFactory(name="Stichting Zonder Account")
    service = ServiceFactory(organization=organization, email="info@koffie.example")
    referral = _referral(p, service)
    token = "t" * 43  # only its hash is stored; the real one is in the e-mail
    Referral.objects.filter(pk=referral.pk).update(token_hash=referrals.hash_token(token))
    return Post({"token": token}, {"action": "accept"})  # the provider, without an account


# --- the meldpunt: a person's rights -----------------------------------------------------------


@writes("cases:erase")
def _(p: People) -> Post:
    case = case_services.transition(_case(p), CaseState.CLOSED, p.case_worker_a, reason="unfounded")
    p.log_in(p.coordinator_a)
    return Post({"pk": case.pk}, {"reason": "request", "confirm": "on"})


@audit_only(
    "cases:subject_access",
    "The export of everything about a person is a read of personal data; the read is recorded.",
)
def _(p: People) -> Post:
    case = _case(p)
    p.log_in(p.coordinator_a)
    return Post({"pk": case.pk}, status=200)


@audit_only(
    "cases:subject_search",
    "Searching for a person's cases is a read of personal data (by POST, so the phone number "
    "stays out of the URL); the search is recorded.",
)
def _(p: People) -> Post:
    _case(p)
    p.log_in(p.coordinator_a)
    return Post(data={"phone": "0612345678"}, status=200)


# --- measurement -------------------------------------------------------------------------------

DJG6_ANSWERS = {"q1": "ja", "q2": "nee", "q3": "min of meer", "q4": "ja", "q5": "nee", "q6": "nee"}


def _participant(p: People) -> Participant:
    return measurement_services.create_participant(
        organisation=p.provider_org, actor=p.provider_editor, service=_inbox_service(p)
    )


@writes("measure_participant_create")
def _(p: People) -> Post:
    service = _inbox_service(p)
    p.log_in(p.provider_editor)
    return Post(data={"service": str(service.pk)})


@writes("measure_participant_edit")
def _(p: People) -> Post:
    participant = _participant(p)
    assert participant.service is not None and participant.service.organization is not None
    other = ServiceFactory(organization=participant.service.organization, name="Koffie-ochtend")
    p.log_in(p.provider_editor)
    return Post({"pk": participant.pk}, {"service": str(other.pk)})


@writes("measure_record")
def _(p: People) -> Post:
    participant = _participant(p)
    p.log_in(p.provider_editor)
    data = {**DJG6_ANSWERS, "moment": "start", "taken_on": _today(), "mode": "staff"}
    return Post({"pk": participant.pk, "scale": "djg6"}, data)


@writes("measure_invite")
def _(p: People) -> Post:
    participant = _participant(p)
    p.log_in(p.provider_editor)
    return Post({"pk": participant.pk}, {"scale": "djg6", "moment": "start"}, status=200)


@writes("measure_invitation_withdraw")
def _(p: People) -> Post:
    invitation, _token = measurement_services.create_invitation(
        _participant(p), actor=p.provider_editor, scale="djg6", moment="start"
    )
    p.log_in(p.provider_editor)
    return Post({"pk": invitation.pk})


@writes("measure_self_fill")
def _(p: People) -> Post:
    _invitation, token = measurement_services.create_invitation(
        _participant(p), actor=p.provider_editor, scale="djg6", moment="start"
    )
    return Post({"token": token}, DJG6_ANSWERS, status=303)  # the participant, without account


STORY = {"author": "participant", "text": "Een deelnemer wandelt nu elke week mee."}


def _story(p: People) -> Any:
    return measurement_services.create_story(
        service=_inbox_service(p),
        actor=p.provider_editor,
        author="participant",
        text="Een verhaal.",
        may_publish=False,
        told_on=timezone.localdate(),
    )


@writes("measure_story_create")
def _(p: People) -> Post:
    service = _inbox_service(p)
    p.log_in(p.provider_editor)
    return Post(data={**STORY, "service": str(service.pk), "told_on": _today()})


@writes("measure_story_edit")
def _(p: People) -> Post:
    story = _story(p)
    p.log_in(p.provider_editor)
    return Post({"pk": story.pk}, {**STORY, "told_on": _today()})


@writes("measure_story_delete")
def _(p: People) -> Post:
    story = _story(p)
    p.log_in(p.provider_editor)
    return Post({"pk": story.pk})


# --- insight: personas -------------------------------------------------------------------------

PERSONA = {
    "name": "Mantelzorger die vastloopt",
    "description": "Zorgt veel voor een naaste.",
    "target_groups": ["informal_carers"],
    "support_kinds": ["practical"],
    "size_indicator": "residents",
}


def _persona() -> Persona:
    return Persona.objects.create(
        name="Oudere alleen", target_groups=["older_adults"], support_kinds=["meeting"]
    )


@writes("offering_persona_add")
def _(p: People) -> Post:
    p.log_in(p.policy_officer)
    return Post(data=PERSONA)


@writes("offering_persona_edit")
def _(p: People) -> Post:
    persona = _persona()
    p.log_in(p.policy_officer)
    return Post({"persona_id": persona.pk}, PERSONA)


@writes("offering_persona_delete")
def _(p: People) -> Post:
    persona = _persona()
    p.log_in(p.policy_officer)
    return Post({"persona_id": persona.pk})


# --- accounts ----------------------------------------------------------------------------------


@writes("accounts:invite")
def _(p: People) -> Post:
    p.log_in(p.administrator)
    data = {
        "full_name": "Nieuwe Collega",
        "email": "nieuw@example.org",
        "organisation": p.welfare_a.pk,
        "role": Role.CASE_WORKER.value,
    }
    return Post(data=data, status=200)  # the page shows the one-time link


@writes("invitation")
def _(p: People) -> Post:
    issued = account_services.invite_member(
        by=p.administrator,
        email="nieuw@example.org",
        full_name="Nieuwe Collega",
        organisation=p.welfare_a,
        role=Role.CASE_WORKER,
    )
    password = "een lang en nieuw wachtwoord"
    return Post({"token": issued.token}, {"password1": password, "password2": password})


# --- Django ------------------------------------------------------------------------------------


@writes_nothing("set_language", "Django's language switch keeps the choice in a cookie.")
def _(p: People) -> Post:
    return Post(data={"language": "en", "next": "/"})


# --- The tests -----------------------------------------------------------------------------------


def _describe(tables: set[str]) -> str:
    return ", ".join(sorted(tables))


@pytest.mark.parametrize("name", sorted(WRITES))
def test_a_valid_post_writes_and_records_an_audit_event(
    name: str, request: pytest.FixtureRequest, client: Client
) -> None:
    post = WRITES[name](People(request, client))
    with watching() as watch:
        response = send(client, name, post)
    assert response.status_code == post.status, (
        f"POST {name} answered {response.status_code}, not {post.status}: the request in "
        f"this test must be valid, so the write really happens. {response.content[:1500]!r}"
    )
    assert watch.written, f"POST {name} wrote nothing; send data that makes it write."
    assert watch.audited, (
        f"POST {name} wrote {_describe(watch.written)} without an audit event: move the write "
        "into a typed function in the app's services that calls audit.services.record_event()."
    )


@pytest.mark.parametrize("name", sorted(AUDIT_ONLY))
def test_a_post_that_only_reads_or_queues_writes_just_its_audit_event(
    name: str, request: pytest.FixtureRequest, client: Client
) -> None:
    _reason, build = AUDIT_ONLY[name]
    post = build(People(request, client))
    with watching() as watch:
        response = send(client, name, post)
    assert response.status_code == post.status, response.content[:1500]
    assert watch.audited, f"POST {name} recorded no audit event."
    assert not watch.written, (
        f"POST {name} wrote {_describe(watch.written)}: move it to WRITES in this module."
    )


@pytest.mark.parametrize("name", sorted(WRITES_NOTHING))
def test_a_post_that_writes_nothing_writes_nothing(
    name: str, request: pytest.FixtureRequest, client: Client
) -> None:
    _reason, build = WRITES_NOTHING[name]
    post = build(People(request, client))
    with watching() as watch:
        response = send(client, name, post)
    assert response.status_code == post.status, response.content[:1500]
    assert not watch.written, (
        f"POST {name} is listed as writing nothing but wrote {_describe(watch.written)}: "
        "write through a service that records an audit event and move it to WRITES."
    )


def _listed() -> set[str]:
    tables = [set(WRITES), set(AUDIT_ONLY), set(WRITES_NOTHING)]
    assert not (tables[0] & tables[1] or tables[0] & tables[2] or tables[1] & tables[2])
    return set().union(*tables)


def without_entry(found: dict[str, View]) -> list[str]:
    """What to add for each POST view that has no entry in this module's tables."""
    return [
        f"{name} ({view.module}, /{view.route}) accepts POST but has no entry in "
        "tests/test_post_views_audit.py: add a function under @writes(...) that posts a valid "
        "request (it must write through a service that records an audit event), or, when it "
        "writes no data about anyone, @writes_nothing(...) or @audit_only(...) with the reason."
        for name, view in sorted(found.items())
        if name not in _listed()
    ]


def test_every_post_view_has_an_entry() -> None:
    found = post_views()
    missing = without_entry(found)
    assert not missing, "\n".join(missing)
    stale = _listed() - set(found)
    assert not stale, f"No POST view is named {', '.join(sorted(stale))}: remove the entry."


def _new_view(request: Any) -> Any:
    raise AssertionError("never called")


def test_a_new_post_view_without_an_entry_is_named(settings: Any) -> None:
    urlconf = types.ModuleType("urlconf_with_a_new_view")
    urlconf.urlpatterns = [  # type: ignore[attr-defined]
        path("nieuw/", require_POST(_new_view), name="new_view"),
        path("ook-nieuw/", _new_view, name="undeclared_view"),
        path("", include(settings.ROOT_URLCONF)),
    ]
    settings.ROOT_URLCONF = urlconf
    messages = without_entry(post_views())
    assert [m.split(" ", 1)[0] for m in messages] == ["new_view", "undeclared_view"]
    assert "/nieuw/" in messages[0] and "add a function under @writes" in messages[0]


def test_every_third_party_reason_still_applies() -> None:
    used = {third_party_reason(view) for view in all_views()} - {""}
    assert used == set(THIRD_PARTY)


def test_the_walk_finds_function_views_class_views_and_api_operations() -> None:
    found = post_views()
    assert found["cases:note"].methods == {"GET", "POST"}
    assert found["directory_manage:service_verify"].methods == {"POST"}
    assert found["api:create_signal"].methods == {"POST"}
    assert found["set_language"].methods is None  # declares no methods: answers them all
    assert "cases:detail" not in found and "api:list_services" not in found
    views = {view.name: view for view in all_views()}
    assert views["account_login"].accepts("POST")  # allauth's LoginView, a class
    assert not views["account_inactive"].accepts("POST")


def _sample_path(route: str) -> str:
    samples = {"int": "1", "uuid": str(uuid.UUID(int=1)), "slug": "x", "str": "x", "path": "x"}

    def sample(match: re.Match[str]) -> str:
        converter = match.group(1) or "str"
        return samples[converter]

    assert not route.startswith("^"), f"Cannot build a path for the regular expression {route}"
    return "/" + re.sub(r"<(?:(\w+):)?\w+>", sample, route)


@pytest.fixture
def everyone(municipality: Organisation) -> User:
    """Someone with every role, so no access check stands before the method check."""
    return _person("alles@example.org", municipality, *Role)


def test_views_said_to_refuse_post_answer_405(client: Client, everyone: User) -> None:
    client.force_login(everyone)
    refusing = [
        view for view in all_views() if not third_party_reason(view) and not view.accepts("POST")
    ]
    assert len(refusing) > 30
    answers = {}
    for view in refusing:
        url_path = _sample_path(view.route)
        assert resolve(url_path).func is view.callback, url_path
        answers[f"{view.name} {url_path}"] = client.post(url_path).status_code
    assert {name: status for name, status in answers.items() if status != 405} == {}
