"""Measuring where the work happens: staff pages under /metingen/ and the self-fill page.

Staff pages need RECORD_MEASUREMENTS (provider editors, case workers, coordinators) and show
only the user's own organisations: another organisation's participant answers 404. There are no
names here: a participant is a code. Every change goes through `services`, which writes the
audit event.

The self-fill page (/vragenlijst/<token>/) needs no account. It shows the name of the
organisation and of the intervention, never anything about the person. A link works once and
for 14 days; wrong, used and expired links get a plain page. Requests are rate limited per
client address (without storing the address).
"""

from __future__ import annotations

import base64
import io
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

import segno

from omzien.accounts.models import User
from omzien.accounts.permissions import (
    get_scoped_or_404,
    has_capability,
    organisation_ids,
    requires,
    scope_queryset,
)
from omzien.accounts.roles import Capability
from omzien.core.links import absolute_url
from omzien.core.ratelimit import allow
from omzien.directory.models import Service
from omzien.measurement import scales, services
from omzien.measurement.forms import (
    AnswersForm,
    ChooseScaleForm,
    InvitationForm,
    ParticipantForm,
    StoryForm,
    answer_form_key,
    answer_values,
    localised,
    option_label,
)
from omzien.measurement.models import (
    Invitation,
    Measurement,
    Moment,
    Participant,
    Scale,
    Story,
    StoryAuthor,
)

RECORD = Capability.RECORD_MEASUREMENTS
PER_PAGE = 50
SELF_FILL_RATE_LIMIT = 30
SELF_FILL_RATE_WINDOW = 3600
TEMPLATES = "measurement/record/"


class HttpResponseSeeOther(HttpResponseRedirect):
    status_code = 303


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # every staff view here is behind @requires
    return request.user


def _participant(request: HttpRequest, pk: int) -> Participant:
    return get_scoped_or_404(
        Participant.objects.select_related("organisation", "service__organization", "case"),
        request.user,
        RECORD,
        pk=pk,
    )


def _scale(code: str) -> scales.Scale:
    scale = scales.get_scale(code)
    if scale is None:
        raise Http404
    return scale


def _number(value: float | None) -> str:
    if value is None:
        return "–"
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _category_label(scale: scales.Scale, code: str) -> str:
    for category in scale.categories:
        if category.code == code:
            return localised(category.text)
    return ""


def _score_text(measurement: Measurement) -> str:
    """'4 van 6' or the direct question's answer; '' when there is no score."""
    scale = scales.get_scale(measurement.scale)
    if scale is None:
        return ""
    if scale.total_range is None:
        return _category_label(scale, measurement.category)
    if measurement.total is None:
        return ""
    low, high = scale.total_range
    return _("%(score)s (van %(low)d tot %(high)d)") % {
        "score": _number(measurement.total),
        "low": low,
        "high": high,
    }


def _measurement_row(measurement: Measurement) -> dict[str, Any]:
    scale = scales.get_scale(measurement.scale)
    return {
        "measurement": measurement,
        "scale_name": measurement.get_scale_display(),
        "score": _score_text(measurement),
        "emotional": _number(measurement.emotional),
        "social": _number(measurement.social),
        "has_subscales": bool(scale and any(i.subscale for i in scale.items)),
        "category": _category_label(scale, measurement.category) if scale else "",
        "mode": measurement.get_mode_display(),
    }


def _link(token: str) -> str:
    # The same public address as in e-mails, whatever host the page was asked for on.
    return absolute_url(reverse("measure_self_fill", args=[token]))


def qr_data_uri(text: str) -> str:
    """A QR code of the text as an inline SVG image (the CSP allows data: images)."""
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="svg", scale=8, border=4, xmldecl=False)
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f"data:image/svg+xml;base64,{encoded}"


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


# --- participants ------------------------------------------------------------------------------


@require_GET
@requires(RECORD)
def participant_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    participants = scope_queryset(
        Participant.objects.select_related("service", "organisation"), user, RECORD
    )
    code = request.GET.get("code", "").strip().upper()[:20]
    if code:
        participants = participants.filter(code__icontains=code)
    participants = participants.annotate(
        n_start=Count("measurements", filter=Q(measurements__moment=Moment.START)),
        n_end=Count("measurements", filter=Q(measurements__moment=Moment.END)),
        n_follow_up=Count("measurements", filter=Q(measurements__moment=Moment.FOLLOW_UP)),
    ).order_by("-created_at", "-pk")
    page = Paginator(participants, PER_PAGE).get_page(request.GET.get("pagina"))
    ids = organisation_ids(user, RECORD)
    many_organisations = ids is None or len(ids) > 1
    return render(
        request,
        TEMPLATES + "participant_list.html",
        {"page": page, "code": code, "many_organisations": many_organisations},
    )


@require_http_methods(["GET", "POST"])
@requires(RECORD)
def participant_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = ParticipantForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        organisation = form.chosen_organisation()
        assert organisation is not None
        try:
            participant = services.create_participant(
                organisation=organisation,
                actor=user,
                service=form.cleaned_data.get("service"),
                case=form.cleaned_data.get("case"),
                request=request,
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                _("Deelnemer %(code)s is aangemaakt. Schrijf deze code op het papieren formulier.")
                % {"code": participant.code},
            )
            return redirect("measure_participant", pk=participant.pk)
    return render(
        request,
        TEMPLATES + "participant_form.html",
        {"form": form, "title": _("Nieuwe deelnemer"), "participant": None},
    )


@require_http_methods(["GET", "POST"])
@requires(RECORD)
def participant_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    participant = _participant(request, pk)
    form = ParticipantForm(request.POST or None, user=user, participant=participant)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_participant(
                participant,
                actor=user,
                service=form.cleaned_data.get("service"),
                case=form.cleaned_data.get("case"),
                request=request,
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("De gegevens van de deelnemer zijn aangepast."))
            return redirect("measure_participant", pk=participant.pk)
    return render(
        request,
        TEMPLATES + "participant_form.html",
        {
            "form": form,
            "title": _("Deelnemer %(code)s aanpassen") % {"code": participant.code},
            "participant": participant,
        },
    )


@require_GET
@requires(RECORD)
def participant_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    participant = _participant(request, pk)
    measurements = list(participant.measurements.order_by("taken_on", "pk"))
    by_moment = [
        {
            "moment": moment,
            "label": moment.label,
            "rows": [_measurement_row(m) for m in measurements if m.moment == moment],
        }
        for moment in Moment
    ]
    now = timezone.now()
    invitations = [
        {"invitation": invitation, "state": services.invitation_state(invitation, now)}
        for invitation in participant.invitations.all()
    ]
    case_visible = participant.case_id is not None and has_capability(
        user, Capability.VIEW_CASES, participant.organisation_id
    )
    return render(
        request,
        TEMPLATES + "participant_detail.html",
        {
            "participant": participant,
            "by_moment": by_moment,
            "count": len(measurements),
            "invitations": invitations,
            "case_visible": case_visible,
            "scales": Scale.choices,
        },
    )


# --- recording answers -------------------------------------------------------------------------


@require_GET
@requires(RECORD)
def record_choose(request: HttpRequest, pk: int) -> HttpResponse:
    participant = _participant(request, pk)
    form = ChooseScaleForm(request.GET or None)
    if request.GET and form.is_valid():
        url = reverse("measure_record", args=[participant.pk, form.cleaned_data["scale"]])
        scale = _scale(form.cleaned_data["scale"])
        vorm = answer_form_key(scale, form.cleaned_data.get("vorm"))
        return redirect(f"{url}?vorm={vorm}" if vorm == "5" else url)
    return render(
        request, TEMPLATES + "record_choose.html", {"participant": participant, "form": form}
    )


@require_http_methods(["GET", "POST"])
@requires(RECORD)
def record(request: HttpRequest, pk: int, scale: str) -> HttpResponse:
    user = _user(request)
    participant = _participant(request, pk)
    the_scale = _scale(scale)
    vorm = request.POST.get("vorm") if request.method == "POST" else request.GET.get("vorm")
    initial = {}
    if request.GET.get("moment") in Moment.values:
        initial["moment"] = request.GET["moment"]
    form = AnswersForm(
        request.POST or None, scale=the_scale, answer_form=vorm or "3", initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            measurement = services.record_measurement(
                participant,
                actor=user,
                scale=the_scale.code,
                moment=form.cleaned_data["moment"],
                mode=form.cleaned_data["mode"],
                answers=form.answers(),
                taken_on=form.cleaned_data["taken_on"],
                request=request,
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            score = _score_text(measurement)
            if measurement.complete:
                messages.success(
                    request,
                    _("De antwoorden zijn opgeslagen. Uitkomst: %(score)s.") % {"score": score},
                )
            elif score:
                messages.warning(
                    request,
                    _(
                        "De antwoorden zijn opgeslagen, maar niet compleet. "
                        "Uitkomst: %(score)s. %(reason)s"
                    )
                    % {"score": score, "reason": measurement.reason},
                )
            else:
                messages.warning(
                    request,
                    _("De antwoorden zijn opgeslagen, maar er is geen uitkomst. %(reason)s")
                    % {"reason": measurement.reason},
                )
            return redirect("measure_participant", pk=participant.pk)
    existing = participant.measurements.filter(scale=the_scale.code).values_list(
        "moment", flat=True
    )
    return render(
        request,
        TEMPLATES + "record_form.html",
        {
            "participant": participant,
            "scale": the_scale,
            "scale_name": localised(the_scale.name),
            "instruction": localised(the_scale.instruction),
            "form": form,
            "vorm": form.answer_form,
            "has_five": "5-point" in the_scale.answer_forms,
            "existing_moments": sorted({Moment(m).label for m in existing}),
        },
    )


# --- one-time links ----------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
@requires(RECORD)
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    participant = _participant(request, pk)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, token = services.create_invitation(
                participant,
                actor=user,
                scale=form.cleaned_data["scale"],
                moment=form.cleaned_data["moment"],
                request=request,
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            # The token is shown on this page only: it is not stored, so no redirect.
            link = _link(token)
            response = render(
                request,
                TEMPLATES + "invitation.html",
                {
                    "participant": participant,
                    "invitation": invitation,
                    "link": link,
                    "qr": qr_data_uri(link),
                    "scale_name": localised(_scale(invitation.scale).name),
                    "moment_label": Moment(invitation.moment).label,
                    "organisation_name": participant.organisation.name,
                    "service_name": participant.service.name if participant.service else "",
                    "valid_days": services.INVITATION_VALID_DAYS,
                },
            )
            return _no_store(response)
    return render(
        request, TEMPLATES + "invite_form.html", {"participant": participant, "form": form}
    )


@require_POST
@requires(RECORD)
def invitation_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    invitation = get_scoped_or_404(
        Invitation.objects.select_related("participant__organisation"),
        user,
        RECORD,
        field="participant__organisation",
        pk=pk,
    )
    services.withdraw_invitation(invitation, actor=user, request=request)
    messages.success(request, _("De link werkt niet meer."))
    return redirect("measure_participant", pk=invitation.participant_id)


# --- the paper form ----------------------------------------------------------------------------


@require_GET
@requires(RECORD)
def paper_form(request: HttpRequest, scale: str) -> HttpResponse:
    the_scale = _scale(scale)
    vorm = answer_form_key(the_scale, request.GET.get("vorm"))
    options = [option_label(the_scale, v) for v in answer_values(the_scale, vorm)]
    options.append(_("Weet niet / geen antwoord"))
    items = [{"number": i.number, "text": localised(i.text)} for i in the_scale.items]
    return render(
        request,
        TEMPLATES + "paper_form.html",
        {
            "scale": the_scale,
            "scale_name": localised(the_scale.name),
            "instruction": localised(the_scale.instruction),
            "items": items,
            "options": options,
            "moments": Moment.choices,
            "vorm": vorm,
            "has_five": "5-point" in the_scale.answer_forms,
            "code_boxes": range(services.CODE_LENGTH),
            "code_prefix": services.CODE_PREFIX,
            "scales": Scale.choices,
        },
    )


# --- stories -----------------------------------------------------------------------------------


def _story(request: HttpRequest, pk: int) -> Story:
    return get_scoped_or_404(
        Story.objects.select_related("service__organization", "organisation"),
        request.user,
        RECORD,
        pk=pk,
    )


def _story_fields(form: StoryForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "author": data["author"],
        "text": data["text"],
        "may_publish": data["may_publish"],
        "told_on": data["told_on"],
    }


@require_GET
@requires(RECORD)
def story_list(request: HttpRequest) -> HttpResponse:
    stories = scope_queryset(
        Story.objects.select_related("service", "organisation"), request.user, RECORD
    ).order_by("-told_on", "-pk")
    page = Paginator(stories, PER_PAGE).get_page(request.GET.get("pagina"))
    return render(request, TEMPLATES + "story_list.html", {"page": page})


@require_http_methods(["GET", "POST"])
@requires(RECORD)
def story_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    initial: dict[str, Any] = {"author": StoryAuthor.PARTICIPANT.value}
    wanted = request.GET.get("aanbod", "")
    if wanted:
        initial["service"] = wanted
    form = StoryForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        service: Service = form.cleaned_data["service"]
        try:
            services.create_story(
                service=service, actor=user, request=request, **_story_fields(form)
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Het verhaal is opgeslagen."))
            return redirect("measure_stories")
    return render(
        request,
        TEMPLATES + "story_form.html",
        {"form": form, "title": _("Verhaal toevoegen"), "story": None},
    )


@require_http_methods(["GET", "POST"])
@requires(RECORD)
def story_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    story = _story(request, pk)
    form = StoryForm(request.POST or None, user=user, story=story)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_story(story, actor=user, request=request, **_story_fields(form))
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Het verhaal is aangepast."))
            return redirect("measure_stories")
    return render(
        request,
        TEMPLATES + "story_form.html",
        {"form": form, "title": _("Verhaal aanpassen"), "story": story},
    )


@require_http_methods(["GET", "POST"])
@requires(RECORD)
def story_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    story = _story(request, pk)
    if request.method == "POST":
        services.delete_story(story, actor=user, request=request)
        messages.success(request, _("Het verhaal is verwijderd."))
        return redirect("measure_stories")
    return render(request, TEMPLATES + "story_delete.html", {"story": story})


# --- the public self-fill page -----------------------------------------------------------------


def _self_fill_problem(request: HttpRequest, problem: str, status: int) -> HttpResponse:
    response = render(
        request, TEMPLATES + "self_fill_problem.html", {"problem": problem}, status=status
    )
    response["X-Robots-Tag"] = "noindex"
    return _no_store(response)


@never_cache
@require_http_methods(["GET", "POST"])
def self_fill(request: HttpRequest, token: str) -> HttpResponse:
    if not allow(request, "self-fill", SELF_FILL_RATE_LIMIT, SELF_FILL_RATE_WINDOW):
        return _self_fill_problem(request, "busy", 429)
    invitation = services.find_invitation(token)
    if invitation is None:
        return _self_fill_problem(request, "unknown", 404)
    state = services.invitation_state(invitation)
    if state != "open":
        return _self_fill_problem(request, state, 410)
    scale = _scale(invitation.scale)
    form = AnswersForm(
        request.POST or None,
        scale=scale,
        with_details=False,
        missing_label=_("Weet ik niet / zeg ik liever niet"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.redeem_invitation(token, form.answers(), request=request)
        except services.InvitationUsed:
            return _self_fill_problem(request, "used", 410)
        except services.InvitationExpired:
            return _self_fill_problem(request, "expired", 410)
        except LookupError:
            return _self_fill_problem(request, "unknown", 404)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            return HttpResponseSeeOther(reverse("measure_self_fill_thanks"))
    participant = invitation.participant
    service = participant.service
    response = render(
        request,
        TEMPLATES + "self_fill.html",
        {
            "form": form,
            "scale_name": localised(scale.name),
            "instruction": localised(scale.instruction),
            "organisation_name": participant.organisation.name,
            "service_name": service.name if service else "",
            "count": len(scale.items),
        },
    )
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def self_fill_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, TEMPLATES + "self_fill_thanks.html")
