"""NL Design System (Utrecht) styling and accessible errors for every form of Omzien.

Forms mix in `NldsFormMixin`, call `style_widgets()` in `__init__`, and the templates only lay
fields out: classes, `aria-invalid`, `aria-describedby` and the error summary come from here.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.boundfield import BoundField


def _group_widget(widget: forms.Widget) -> bool:
    # CheckboxSelectMultiple is a RadioSelect in Django: one check covers both.
    return isinstance(widget, forms.RadioSelect)


class NldsFormMixin:
    """Utrecht classes and ARIA on widgets; an error summary that links to each field."""

    fields: dict[str, forms.Field]
    errors: Any
    # Labels for the error summary where a field's own label needs context ("Telefoonnummer 2").
    summary_labels: dict[str, str]

    def style_widgets(self) -> None:
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple):
                css = "utrecht-checkbox utrecht-checkbox--html-input"
            elif isinstance(widget, forms.RadioSelect):
                css = "utrecht-radio-button utrecht-radio-button--html-input"
            elif isinstance(widget, forms.Textarea):
                css = "utrecht-textarea utrecht-textarea--html-textarea"
                widget.attrs["rows"] = 4  # Django's 10 rows push the form far down
            elif isinstance(widget, forms.Select):
                css = "utrecht-select utrecht-select--html-select"
            elif isinstance(widget, forms.CheckboxInput):
                css = "utrecht-checkbox utrecht-checkbox--html-input"
            else:
                css = "utrecht-textbox utrecht-textbox--html-input"
            extra = widget.attrs.get("class", "")
            widget.attrs["class"] = f"{css} {extra}".strip()

    def mark_invalid(self) -> None:
        """After validation: say which fields are wrong and where their message is."""
        for name, field in self.fields.items():
            if _group_widget(field.widget):
                continue  # the fieldset carries the description; see _field.html
            bound = self[name]  # type: ignore[index]
            described = []
            if field.help_text:
                described.append(f"{bound.auto_id}-hint")
            if name in self.errors:
                described.append(f"{bound.auto_id}-error")
                field.widget.attrs["aria-invalid"] = "true"
                classes = field.widget.attrs.get("class", "")
                for base in ("utrecht-textbox", "utrecht-textarea", "utrecht-select"):
                    if base in classes.split():
                        field.widget.attrs["class"] = f"{classes} {base}--invalid"
            if described:
                field.widget.attrs["aria-describedby"] = " ".join(described)

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        self.mark_invalid()

    @property
    def error_summary(self) -> list[dict[str, str]]:
        """Every message with a link to its field, in the order of the form (WCAG 3.3.1)."""
        items: list[dict[str, str]] = []
        for name, field in self.fields.items():
            if name not in self.errors:
                continue
            bound: BoundField = self[name]  # type: ignore[index]
            anchor = f"{bound.auto_id}_0" if _group_widget(field.widget) else bound.auto_id
            labels = getattr(self, "summary_labels", {})
            label = str(labels.get(name, bound.label)).rstrip("?")
            for message in self.errors[name]:
                items.append({"anchor": anchor, "label": label, "message": message})
        for message in self.errors.get("__all__", []):
            items.append({"anchor": "", "label": "", "message": message})
        return items
