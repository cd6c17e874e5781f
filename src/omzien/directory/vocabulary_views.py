"""Administrators edit the vocabularies (HSDS taxonomies), the search synonyms and the search
concepts."""

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
from omzien.directory.filters import FACET_PARAMS
from omzien.directory.models import SearchConcept, Synonym, Taxonomy, TaxonomyTerm, split_list
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


def concept_terms() -> list[tuple[str, list[TaxonomyTerm]]]:
    """The terms a concept can stand for, per vocabulary: those residents filter on."""
    groups: dict[str, list[TaxonomyTerm]] = {}
    for term in (
        TaxonomyTerm.objects.filter(taxonomy__key__in=list(FACET_PARAMS.values()))
        .select_related("taxonomy")
        .order_by("taxonomy__name", "name")
    ):
        assert term.taxonomy is not None  # filtered on its key above
        groups.setdefault(term.taxonomy.name, []).append(term)
    return list(groups.items())


class ConceptForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Naam"),
        max_length=100,
        error_messages={"required": gettext_lazy("Geef het begrip een naam.")},
    )
    phrases = forms.CharField(
        label=gettext_lazy("Zinnen"),
        help_text=gettext_lazy(
            "Woorden en zinnen zoals inwoners ze typen, gescheiden door komma's. "
            "Bijvoorbeeld: iemand om mee te praten, aanspraak"
        ),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": gettext_lazy("Schrijf minstens één woord of zin.")},
    )
    words = forms.CharField(
        label=gettext_lazy("Zoekwoorden"),
        help_text=gettext_lazy("Woorden waarop dan ook gezocht wordt, gescheiden door komma's."),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    terms = forms.MultipleChoiceField(label=gettext_lazy("Termen"), required=False)

    def __init__(self, *args: object, concept: SearchConcept | None = None, **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.concept = concept
        self.term_groups = concept_terms()
        self.terms_by_id = {str(t.id): t for _, terms in self.term_groups for t in terms}
        terms = self.fields["terms"]
        assert isinstance(terms, forms.MultipleChoiceField)
        terms.choices = [(i, t.name) for i, t in self.terms_by_id.items()]

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        taken = SearchConcept.objects.filter(name__iexact=name)
        if self.concept is not None:
            taken = taken.exclude(pk=self.concept.pk)
        if taken.exists():
            raise forms.ValidationError(_("Er is al een begrip met deze naam."))
        return name

    def clean_phrases(self) -> str:
        phrases = split_list(self.cleaned_data["phrases"])
        if not phrases:
            raise forms.ValidationError(_("Schrijf minstens één woord of zin."))
        if any(len(phrase) > 100 for phrase in phrases):
            raise forms.ValidationError(_("Een zin is te lang: hoogstens 100 tekens."))
        return ", ".join(phrases)

    def clean_words(self) -> str:
        return ", ".join(split_list(self.cleaned_data["words"]))

    def chosen_terms(self) -> list[TaxonomyTerm]:
        return [self.terms_by_id[i] for i in self.cleaned_data["terms"]]

    def checked(self) -> set[str]:
        if self.is_bound:
            return set(self.data.getlist("terms"))  # type: ignore[attr-defined]
        return {str(i) for i in self.initial.get("terms", [])}


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
        {
            "taxonomies": taxonomies,
            "synonyms": Synonym.objects.order_by("words"),
            "concepts": SearchConcept.objects.prefetch_related("terms"),
        },
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


def _concept_page(
    request: HttpRequest, form: ConceptForm, concept: SearchConcept | None
) -> HttpResponse:
    return render(
        request,
        "directory/concept_form.html",
        {"form": form, "concept": concept, "checked": form.checked()},
    )


def _save_concept(
    request: HttpRequest, concept: SearchConcept | None, initial: dict[str, object]
) -> HttpResponse:
    form = ConceptForm(request.POST or None, concept=concept, initial=initial)
    if request.method == "POST" and form.is_valid():
        vocabularies.save_concept(
            concept,
            _user(request),
            name=form.cleaned_data["name"],
            phrases=form.cleaned_data["phrases"],
            words=form.cleaned_data["words"],
            terms=form.chosen_terms(),
            request=request,
        )
        messages.success(request, _("Het zoekbegrip is opgeslagen."))
        return redirect("vocabularies:list")
    return _concept_page(request, form, concept)


@require_http_methods(["GET", "POST"])
@requires(Capability.MANAGE_VOCABULARIES)
def concept_add(request: HttpRequest) -> HttpResponse:
    return _save_concept(request, None, {})


@require_http_methods(["GET", "POST"])
@requires(Capability.MANAGE_VOCABULARIES)
def concept_edit(request: HttpRequest, pk: int) -> HttpResponse:
    concept = get_object_or_404(SearchConcept, pk=pk)
    initial: dict[str, object] = {
        "name": concept.name,
        "phrases": concept.phrases,
        "words": concept.words,
        "terms": list(concept.terms.values_list("id", flat=True)),
    }
    return _save_concept(request, concept, initial)


@require_POST
@requires(Capability.MANAGE_VOCABULARIES)
def concept_delete(request: HttpRequest, pk: int) -> HttpResponse:
    concept = get_object_or_404(SearchConcept, pk=pk)
    vocabularies.delete_concept(concept, _user(request), request=request)
    messages.success(request, _("Het zoekbegrip is verwijderd."))
    return redirect("vocabularies:list")


@require_POST
@requires(Capability.MANAGE_VOCABULARIES)
def rebuild_index(request: HttpRequest) -> HttpResponse:
    vocabularies.rebuild_index(_user(request), request=request)
    messages.success(request, _("De zoekindex wordt opnieuw opgebouwd."))
    return redirect("vocabularies:list")
