"""Forms of the spreadsheet import: upload a file, then say per column what it holds."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from omzien.interop import spreadsheet


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Bestand"),
        help_text=gettext_lazy(
            "Een Excel-bestand (.xlsx) of CSV-bestand (.csv) van hoogstens 5 MB. De eerste regel "
            "bevat de namen van de kolommen; elke volgende regel is één dienst."
        ),
        error_messages={"required": gettext_lazy("Kies een bestand.")},
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,text/csv"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > spreadsheet.MAX_BYTES:
            raise forms.ValidationError(
                _("Het bestand is te groot: hoogstens %(mb)s MB.")
                % {"mb": spreadsheet.MAX_BYTES // (1024 * 1024)}
            )
        if not upload.name.lower().endswith((".xlsx", ".csv", ".txt")):
            raise forms.ValidationError(
                _("Kies een .xlsx- of .csv-bestand. Oude .xls-bestanden kunnen niet.")
            )
        return upload


class MappingForm(forms.Form):
    """One select per column of the spreadsheet, named column_0, column_1, ..."""

    def __init__(self, headers: list[str], *args: Any, **kwargs: Any) -> None:
        initial = kwargs.pop("guess", None) or [""] * len(headers)
        super().__init__(*args, **kwargs)
        choices = spreadsheet.target_choices()
        self.headers = headers
        for index, header in enumerate(headers):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=header,
                choices=choices,
                required=False,
                initial=initial[index],
                widget=forms.Select(attrs={"class": "utrecht-select"}),
            )

    def mapping(self) -> list[str]:
        return [self.cleaned_data.get(f"column_{i}") or "" for i in range(len(self.headers))]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors:
            for problem in spreadsheet.check_mapping(self.mapping(), len(self.headers)):
                self.add_error(None, problem)
        return cleaned
