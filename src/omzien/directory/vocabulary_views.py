"""Administrators edit the vocabularies (HSDS taxonomies) and the search synonyms."""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from omzien.accounts.permissions import requires
from omzien.accounts.roles import Capability
from omzien.audit.services import record_event
from omzien.directory.models import Synonym, Taxonomy, TaxonomyTerm
from omzien.directory.search_tasks import rebuild_search_index


class TermForm(forms.ModelForm):
    class Meta:
        model = TaxonomyTerm
        fields = ["name", "description"]
        labels = {"name": gettext_lazy("Naam"), "description": gettext_lazy("Uitleg")}
        widgets = {
            "name": forms.TextInput(attrs={"class": "utrecht-textbox"}),
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
        with transaction.atomic():
            form.save()
            record_event(
                "taxonomy_term.update",
                request=request,
                obj=term,
                details={"fields": form.changed_data},
            )
            # Term names are part of the searchable text of every service that has them.
            transaction.on_commit(lambda: rebuild_search_index.enqueue())
        messages.success(request, _("De term is opgeslagen."))
        return redirect("vocabularies:list")
    return render(request, "directory/term_form.html", {"form": form, "term": term})


@require_http_methods(["GET", "POST"])
@requires(Capability.MANAGE_VOCABULARIES)
def term_add(request: HttpRequest, taxonomy_id: uuid.UUID) -> HttpResponse:
    taxonomy = get_object_or_404(Taxonomy, id=taxonomy_id)
    form = TermForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        term = form.save(commit=False)
        term.taxonomy = taxonomy
        term.language = "nl"
        base = slugify(term.name).replace("-", "_")[:80] or "term"
        code, n = base, 1
        while TaxonomyTerm.objects.filter(taxonomy=taxonomy, code=code).exists():
            n += 1
            code = f"{base}_{n}"
        term.code = code
        with transaction.atomic():
            term.save()
            record_event("taxonomy_term.create", request=request, obj=term)
        messages.success(request, _("De term is toegevoegd."))
        return redirect("vocabularies:list")
    return render(request, "directory/term_form.html", {"form": form, "taxonomy": taxonomy})


@require_http_methods(["GET", "POST"])
@requires(Capability.MANAGE_VOCABULARIES)
def synonyms_edit(request: HttpRequest) -> HttpResponse:
    current = "\n".join(Synonym.objects.order_by("words").values_list("words", flat=True))
    form = SynonymsForm(request.POST or None, initial={"groups": current})
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            Synonym.objects.all().delete()
            Synonym.objects.bulk_create(
                [Synonym(words=line) for line in form.cleaned_data["groups"]]
            )
            record_event(
                "synonyms.update",
                request=request,
                details={"groups": len(form.cleaned_data["groups"])},
            )
        messages.success(request, _("De synoniemen zijn opgeslagen."))
        return redirect("vocabularies:list")
    return render(request, "directory/synonyms_form.html", {"form": form})


@require_POST
@requires(Capability.MANAGE_VOCABULARIES)
def rebuild_index(request: HttpRequest) -> HttpResponse:
    rebuild_search_index.enqueue()
    record_event("search.rebuild", request=request)
    messages.success(request, _("De zoekindex wordt opnieuw opgebouwd."))
    return redirect("vocabularies:list")
