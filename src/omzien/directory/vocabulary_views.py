"""Administrators edit the vocabularies (HSDS taxonomies) and the search synonyms."""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from omzien.accounts.models import User
from omzien.accounts.permissions import requires
from omzien.accounts.roles import Capability
from omzien.directory.models import Synonym, Taxonomy, TaxonomyTerm
from omzien.directory.services import vocabularies


class TermForm(forms.ModelForm):
    class Meta:
        model = TaxonomyTerm
        fields = ["name", "resident_name", "description"]
        labels = {
            "name": gettext_lazy("Naam"),
            "resident_name": gettext_lazy("Naam voor inwoners"),
            "description": gettext_lazy("Uitleg"),
        }
        help_texts = {
            "name": gettext_lazy("Het vakwoord: voor medewerkers, aanbieders en uitwisseling."),
            "resident_name": gettext_lazy(
                "Wat inwoners lezen in de filters en bij een dienst, in eenvoudige woorden (B1). "
                "Leeg: de naam."
            ),
        }
        widgets = {
            "name": forms.TextInput(attrs={"class": "utrecht-textbox"}),
            "resident_name": forms.TextInput(attrs={"class": "utrecht-textbox"}),
            "description": forms.Textarea(attrs={"rows": 3, "class": "utrecht-textarea"}),
        }
        error_messages = {
            "name": {"required": gettext_lazy("Geef de term een naam.")},
            "description": {"required": gettext_lazy("Leg in één zin uit wat de term betekent.")},
        }


class SynonymsForm(forms.Form):
    groups = forms.CharField(
        label=gettext_lazy("Woorden die hetzelfde betekenen"),
        help_text=gettext_lazy(
            "Eén groep per regel, woorden gescheiden door komma's. Bijvoorbeeld: maatje, buddy"
        ),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 12}),
    )

    def clean_groups(self) -> list[str]:
        lines = []
        for number, line in enumerate(self.cleaned_data["groups"].splitlines(), start=1):
            words = [w.strip().lower() for w in line.split(",") if w.strip()]
            if not words:
                continue
            if len(words) < 2:
                raise forms.ValidationError(
                    _("Regel %(n)s heeft maar één woord. Een groep heeft er minstens twee.")
                    % {"n": number}
                )
            if any(len(w) > 60 for w in words):
                raise forms.ValidationError(
                    _("Regel %(n)s heeft een te lang woord.") % {"n": number}
                )
            lines.append(", ".join(dict.fromkeys(words)))
        return lines


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # every view here is behind @requires
    return request.user


@require_GET
@requires(Capability.MANAGE_VOCABULARIES)
def vocabulary_list(request: HttpRequest) -> HttpResponse:
    taxonomies = Taxonomy.objects.prefetch_related("terms").order_by("name")
    return render(
        request,
        "directory/vocabularies.html",
        {"taxonomies": taxonomies, "synonyms": Synonym.objects.order_by("words")},
    )


@require_http_methods(["GET", "POST"])
@requires(Capability.MANAGE_VOCABULARIES)
def term_edit(request: HttpRequest, term_id: uuid.UUID) -> HttpResponse:
    term = get_object_or_404(TaxonomyTerm, id=term_id)
    form = TermForm(request.POST or None, instance=term)
    if request.method == "POST" and form.is_valid():
        vocabularies.update_term(
            term,
            _user(request),
            name=form.cleaned_data["name"],
            description=form.cleaned_data["description"],
            resident_name=form.cleaned_data["resident_name"],
            request=request,
        )
        messages.success(request, _("De term is opgeslagen."))
        return redirect("vocabularies:list")
    return render(request, "directory/term_form.html", {"form": form, "term": term})


@require_http_methods(["GET", "POST"])
@requires(Capability.MANAGE_VOCABULARIES)
def term_add(request: HttpRequest, taxonomy_id: uuid.UUID) -> HttpResponse:
    taxonomy = get_object_or_404(Taxonomy, id=taxonomy_id)
    form = TermForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        vocabularies.add_term(
            taxonomy,
            _user(request),
            name=form.cleaned_data["name"],
            description=form.cleaned_data["description"],
            resident_name=form.cleaned_data["resident_name"],
            request=request,
        )
        messages.success(request, _("De term is toegevoegd."))
        return redirect("vocabularies:list")
    return render(request, "directory/term_form.html", {"form": form, "taxonomy": taxonomy})


@require_http_methods(["GET", "POST"])
@requires(Capability.MANAGE_VOCABULARIES)
def synonyms_edit(request: HttpRequest) -> HttpResponse:
    current = "\n".join(Synonym.objects.order_by("words").values_list("words", flat=True))
    form = SynonymsForm(request.POST or None, initial={"groups": current})
    if request.method == "POST" and form.is_valid():
        vocabularies.replace_synonyms(form.cleaned_data["groups"], _user(request), request=request)
        messages.success(request, _("De synoniemen zijn opgeslagen."))
        return redirect("vocabularies:list")
    return render(request, "directory/synonyms_form.html", {"form": form})


@require_POST
@requires(Capability.MANAGE_VOCABULARIES)
def rebuild_index(request: HttpRequest) -> HttpResponse:
    vocabularies.rebuild_index(_user(request), request=request)
    messages.success(request, _("De zoekindex wordt opnieuw opgebouwd."))
    return redirect("vocabularies:list")
