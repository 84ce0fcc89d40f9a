"""Template tags behind the "nhsuk" crispy-forms template pack.

The pack's templates (templates/nhsuk/) stay declarative: ``NhsField`` works out, in one place,
the ids, classes and aria-describedby that NHS.UK frontend v10 expects for a bound field, and
the templates print them. Everything printed goes through Django's auto-escaping (or
``flatatt``/``format_html``), so user input can never become markup.

    {% load nhsuk_forms %}
    {% nhsuk_error_summary form %}             the "There is a problem" box
    <title>{{ form|nhsuk_error_prefix }}...    "Error: " while the form has errors
"""

from __future__ import annotations

from functools import cached_property

from django import forms, template
from django.core.validators import EmailValidator
from django.forms.formsets import BaseFormSet
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe

from core.form_renderer import shown
from nhsuk_forms.messages import INVALID_PK, said_the_nhs_way
from nhsuk_forms.widgets import DATE_PARTS, DateInput

register = template.Library()

DATE_HINT = "For example, 15 3 2024"

# Widget kind -> template in templates/nhsuk/fields/.
_TEMPLATES = {
    "input": "control",
    "textarea": "control",
    "select": "control",
    "file": "file",
    "checkbox": "checkbox",
    "radios": "choices",
    "checkboxes": "choices",
    "date": "date",
}
# Classes NHS.UK gives each single control, and the modifier it adds when the field has errors.
_CONTROL_CLASSES = {
    "input": ("nhsuk-input", "nhsuk-input--error"),
    "textarea": ("nhsuk-textarea", "nhsuk-textarea--error"),
    "select": ("nhsuk-select", "nhsuk-select--error"),
    "file": ("nhsuk-file-upload__input", ""),  # v10 marks only the form group for file inputs
    "checkbox": ("nhsuk-checkboxes__input", ""),
}


# Django's defaults, as Django words them, and the NHS.UK way of saying each about a field.
_DJANGO_REQUIRED = str(forms.Field.default_error_messages["required"])
_DJANGO_EMAIL = str(EmailValidator.message)
_DJANGO_CHOICE = str(forms.ChoiceField.default_error_messages["invalid_choice"]).split("%")[0]


def _lower_first(text: str) -> str:
    # "Date of birth" -> "date of birth", but leave acronyms alone: "CCT date" stays.
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def nhs_messages(bf, kind: str) -> list[str]:
    """The field's errors, with Django's generic defaults ("This field is required.") said the
    NHS.UK way, naming the field ("Enter hours per week", "Select a band"). Messages a form or
    service wrote itself pass through unchanged."""
    full = str(bf.label or bf.name).strip()
    label = _lower_first(full.rstrip(":"))
    choosing = kind in ("radios", "checkboxes", "select", "checkbox", "file")
    messages = []
    for error in bf.errors.as_data():
        text = next(iter(error))
        reworded = said_the_nhs_way(error, label=full.rstrip(":"), chosen=choosing)
        if reworded is not None:
            text = reworded
        elif text == _DJANGO_REQUIRED:
            if full.endswith("?"):  # a question: "Where do you work?"
                text = f"Select an answer to “{full}”" if choosing else f"Answer “{full}”"
            elif kind == "checkbox":
                text = f"Select “{bf.label}” to go on"
            elif kind == "file":
                text = f"Choose a file for {label}"
            else:
                text = f"{'Select' if choosing else 'Enter'} {label}"
        elif text == _DJANGO_EMAIL:
            text = "Enter an email address in the correct format, like name@example.com"
        elif text.startswith(_DJANGO_CHOICE) or error.code == "invalid_pk_value" and text == str(
            INVALID_PK % (error.params or {})
        ):
            # An error message, not SQL: bandit reads "Select ... from" as a query.
            text = f"Select {label.rstrip('?')} from the choices given"  # nosec B608  # noqa: S608 (a sentence, not SQL)
        messages.append(text)
    return messages


def _classes(*names) -> str:
    """Join class lists, dropping blanks and repeats but keeping order."""
    seen = dict.fromkeys(c for name in names if name for c in str(name).split())
    return " ".join(seen)


def _kind(widget) -> str:
    # Order matters: CheckboxSelectMultiple is a RadioSelect, and both are Selects.
    if isinstance(widget, DateInput):
        return "date"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.FileInput):
        return "file"
    return "input"


class NhsField:
    """What the pack's field templates need to draw one bound field as an NHS.UK form group."""

    def __init__(self, bf, *, show_errors=True, show_labels=True, wrapper_class=""):
        widget = bf.field.widget
        self.field = bf
        self.kind = _kind(widget)
        self.template_name = f"nhsuk/fields/{_TEMPLATES[self.kind]}.html"
        # The same id Django gives the control (a widget may set its own).
        self.id = widget.attrs.get("id") or bf.auto_id or bf.html_name
        self.label = bf.label
        # NHS.UK style marks optional questions, not required ones. A lone checkbox is
        # always answerable (unticked is an answer), so "(optional)" would only confuse.
        self.optional = not bf.field.required and self.kind != "checkbox"
        self.show_label = show_labels
        self.hint = bf.help_text or (DATE_HINT if self.kind == "date" else "")
        self.hint_id = f"{self.id}-hint" if self.hint else ""
        self.errors = nhs_messages(bf, self.kind) if show_errors else []
        self.error_id = f"{self.id}-error" if self.errors else ""
        self.maxlength = widget.attrs.get("maxlength") if self.kind == "textarea" else None
        described = [widget.attrs.get("aria-describedby"), self.hint_id, self.error_id]
        if self.maxlength:
            described.insert(0, f"{self.id}-info")  # the character count message, as v10 does
        self.describedby = _classes(*described)

        # The wrapping form group; file upload and character count are scripted modules on it.
        group, module = {}, ""
        if self.kind == "file":
            module = "nhsuk-file-upload"
        elif self.maxlength:
            module = "nhsuk-character-count"
            group["data-maxlength"] = self.maxlength
        if module:
            group["data-module"] = module
        error_class = "nhsuk-form-group--error" if self.errors else ""
        group["class"] = _classes("nhsuk-form-group", error_class, module, wrapper_class)
        self.group_attrs = mark_safe(flatatt(group))  # noqa: S308 (flatatt escapes) # nosec B308

    @cached_property
    def error_parts(self) -> tuple[str, ...]:
        """For a date input, the parts (day/month/year) the field's errors are about."""
        parts = set()
        for error in self.field.errors.as_data():
            parts.update((error.params or {}).get("error_parts", DATE_PARTS))
        return tuple(p for p in DATE_PARTS if p in parts)

    @cached_property
    def error_target(self) -> str:
        """The id the error summary links to: the first thing to fix."""
        if self.kind in ("radios", "checkboxes"):
            return self.items[0]["id"] if self.items else self.id
        if self.kind == "date":
            return f"{self.id}_{(self.error_parts or DATE_PARTS)[0]}"
        return self.id

    @cached_property
    def control(self):
        """The rendered input/textarea/select/file/checkbox, with NHS.UK classes and ids."""
        bf, widget = self.field, self.field.field.widget
        base, error = _CONTROL_CLASSES[self.kind]
        attrs = {"id": self.id}
        attrs["class"] = _classes(base, self.errors and error, widget.attrs.get("class"))
        if self.describedby:
            attrs["aria-describedby"] = self.describedby
        if self.maxlength:
            # The character count tells people the limit without cutting off what they type or
            # paste (NHS.UK guidance); the form field still enforces max_length.
            attrs["class"] = _classes(attrs["class"], "nhsuk-js-character-count")
            attrs["maxlength"] = False
        if isinstance(widget, forms.NumberInput):
            # NHS.UK asks for text inputs with inputmode, not type="number" (which mangles
            # values and is poorly announced); min/max/step are not allowed on text inputs.
            kept = {k: v for k, v in widget.attrs.items() if k not in ("min", "max", "step")}
            widget = forms.TextInput(attrs=kept)
            is_int = isinstance(bf.field, forms.IntegerField)
            attrs["inputmode"] = "numeric" if is_int else "decimal"
        if self.kind == "file":
            # Render without a value: ClearableFileInput would otherwise print its own
            # "Currently: ... Clear" markup; file.html shows the current file NHS.UK style.
            html = widget.render(
                bf.html_name, None, bf.build_widget_attrs(attrs, widget), bf.form.renderer
            )
        else:
            html = bf.as_widget(widget, attrs)
        if bf.field.show_hidden_initial:
            html += bf.as_hidden(only_initial=True)
        return html

    @cached_property
    def current_file(self):
        """A file field's existing file (editing a saved object), and whether it may be cleared."""
        widget, value = self.field.field.widget, self.field.value()
        if not (value and getattr(value, "url", False)):
            return None
        name = None
        if isinstance(widget, forms.ClearableFileInput) and not self.field.field.required:
            name = widget.clear_checkbox_name(self.field.html_name)
        return {
            "file": value,
            "clear_name": name,
            "clear_id": name and widget.clear_checkbox_id(name),
        }

    @cached_property
    def items(self) -> list[dict]:
        """Radios/checkboxes options: attrs for each <input> and its label."""
        kind = "radios" if self.kind == "radios" else "checkboxes"
        items = []
        for option in self.field.subwidgets:
            data = option.data
            attrs = {**data["attrs"], "type": data["type"], "name": data["name"]}
            attrs["value"] = "" if data["value"] is None else str(data["value"])
            attrs["class"] = _classes(f"nhsuk-{kind}__input", attrs.get("class"))
            attrs.pop("aria-invalid", None)  # the fieldset carries the error description
            items.append({"id": attrs.get("id", ""), "label": data["label"], "attrs": attrs})
        return items

    @cached_property
    def parts(self) -> list[dict]:
        """Date input parts: label and <input> attrs for day, month and year."""
        bf, widget = self.field, self.field.field.widget
        attrs = bf.build_widget_attrs({"id": self.id}, widget)
        subwidgets = widget.get_context(bf.html_name, bf.value(), attrs)["widget"]["subwidgets"]
        parts = []
        for name, sub in zip(DATE_PARTS, subwidgets, strict=True):
            error = bool(self.errors) and name in self.error_parts
            width = 4 if name == "year" else 2
            attrs = {**sub["attrs"], "type": sub["type"], "name": sub["name"]}
            attrs["value"] = sub["value"]
            attrs["class"] = _classes(
                "nhsuk-input nhsuk-date-input__input",
                f"nhsuk-input--width-{width}",
                error and "nhsuk-input--error",
                attrs.get("class"),
            )
            attrs["aria-invalid"] = "true" if error else None
            label = name.capitalize()
            parts.append({"label": label, "id": attrs["id"], "error": error, "attrs": attrs})
        return parts


@register.simple_tag(takes_context=True)
def nhsuk_field(context, field):
    """``{% nhsuk_field field as f %}``: an NhsField honouring crispy's helper settings."""
    return NhsField(
        field,
        show_errors=context.get("form_show_errors", True) is not False,
        show_labels=context.get("form_show_labels", True) is not False,
        wrapper_class=_classes(
            context.get("wrapper_class"), context.get("form_group_wrapper_class")
        ),
    )


@register.filter
def nhsuk_attrs(attrs) -> str:
    """``<input{{ attrs|nhsuk_attrs }}>``: a dict as escaped HTML attributes (True -> bare
    attribute, False/None -> left out)."""
    return mark_safe(flatatt(attrs))  # noqa: S308 (flatatt escapes every value) # nosec B308


@register.filter
def nhsuk_button_class(field_classes) -> str:
    """Crispy's Submit/Button/Reset carry Bootstrap classes; keep only the caller's extras."""
    bootstrap = {"btn", "btn-primary", "btn-inverse", "btn-secondary"}
    extra = [c for c in str(field_classes or "").split() if c not in bootstrap]
    return _classes("nhsuk-button", *extra)


HIDDEN_FIELD_PROBLEM = (
    "This page was out of date or incomplete, so nothing was saved. Reload the page and try again."
)


def error_summary_items(form) -> list[dict]:
    """Each error as {"text", "href"}: non-field errors first (no link), then fields in order."""
    if isinstance(form, BaseFormSet):
        items = [{"text": error, "href": ""} for error in form.non_form_errors()]
        for subform in form.forms:
            items += error_summary_items(subform)
        return items
    if not form.is_bound:
        return []
    items = [{"text": error, "href": ""} for error in form.non_field_errors()]
    for bf in form:
        if not bf.errors:
            continue
        if bf.is_hidden:
            # The person never saw this field (a record version, a step): its value came with
            # the page, so a wrong one means the page was old or damaged. Tell them what to do;
            # "(Hidden field version) Enter a whole number." meant nothing to them.
            if HIDDEN_FIELD_PROBLEM not in [item["text"] for item in items]:
                items.append({"text": HIDDEN_FIELD_PROBLEM, "href": ""})
        else:
            field = NhsField(bf)
            items += [{"text": error, "href": f"#{field.error_target}"} for error in field.errors]
    return items


@register.filter
def nhsuk_messages(bf) -> list[str]:
    """``{% for error in field|nhsuk_messages %}``: a bound field's errors the NHS.UK way, for
    templates that draw a field by hand (filters, conditional radios)."""
    return nhs_messages(bf, _kind(bf.field.widget))


@register.inclusion_tag("nhsuk/error_summary.html")
def nhsuk_error_summary(form, auto=False):
    """``{% nhsuk_error_summary form %}``: the NHS.UK error summary, or nothing if no errors.

    The pack's form templates call this with ``auto=True``; they then skip the summary if the
    page has already shown one for this form (put the tag above the form to move it).
    """
    if form is None or form == "" or (auto and getattr(form, "_nhsuk_error_summary_shown", False)):
        return {"errors": []}
    errors = error_summary_items(form)
    if errors:
        form._nhsuk_error_summary_shown = True
    return {"errors": errors}


@register.filter
def nhsuk_error_prefix(form) -> str:
    """``<title>{{ form|nhsuk_error_prefix }}Page – Ladder</title>``: "Error: " when the
    submitted form has errors, as NHS.UK asks, so screen reader users hear it first."""
    if isinstance(form, (forms.BaseForm, BaseFormSet)) and form.is_bound and not form.is_valid():
        return "Error: "
    return ""


# --- One field's group written in Python (issue 15) ----------------------------------------------

_CONTROL_TEMPLATE = "nhsuk/fields/control.html"


@register.filter
def as_nhsuk_field(bf) -> str:
    """``{{ form.field|as_nhsuk_field }}``: what crispy's ``|as_crispy_field`` draws through this
    pack (field.html, fields/control.html, fields/hint_and_error.html), character for character,
    written here for a text-like input or a select: a filter form's two selects took the matrix
    page 0.3 ms through the three templates. Any other field (hidden, a textarea with a
    character count, radios, dates, a form with a crispy helper) goes through crispy as before;
    tests/test_nhsuk_forms.py holds the two to each other."""
    f = NhsField(bf)
    if bf.is_hidden or f.template_name != _CONTROL_TEMPLATE or f.maxlength or getattr(bf.form, "helper", None):
        from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field

        return as_crispy_field(bf)
    hidden_label = "" if f.show_label else " nhsuk-u-visually-hidden"
    parts = [
        f'\n<div{f.group_attrs}>\n  <label class="nhsuk-label{hidden_label}" for="{shown(f.id)}">',
        shown(f.label), " (optional)" if f.optional else "", "</label>\n  ",
    ]
    if f.hint:
        parts.append(f'\n  <div class="nhsuk-hint" id="{shown(f.hint_id)}">{shown(f.hint)}</div>\n')
    if f.errors:
        parts.append(
            f'\n  <span class="nhsuk-error-message" id="{shown(f.error_id)}">'
            '<span class="nhsuk-u-visually-hidden">Error: </span>'
            + "<br>".join(shown(error) for error in f.errors) + "</span>\n"
        )
    parts.append(f"\n\n  {shown(f.control)}\n  \n</div>\n\n")
    return mark_safe("".join(parts))  # noqa: S308 (every value escaped as the templates escape it) # nosec B308


@register.filter
def as_filter_field(bf) -> str:
    """``{{ filter.form.status|as_filter_field }}``: what ``{% include "trainees/_filter_field.html"
    with field=... %}`` draws (one question of a filter form), character for character, written
    here: the include cost the cohort page's four questions more than their controls (issue 15).
    The control itself is the widget's own markup (core.form_renderer for a filter's inputs and
    selects); tests/test_nhsuk_forms.py holds the two to each other."""
    errors = bf.errors
    label_for = shown(bf.id_for_label)
    parts = [
        f'\n<div class="nhsuk-form-group{" nhsuk-form-group--error" if errors else ""}">\n'
        f'  <label class="nhsuk-label" for="{label_for}">{shown(bf.label)}</label>\n  '
    ]
    if errors:
        parts.append(
            f'<span class="nhsuk-error-message" id="{label_for}-error">'
            '<span class="nhsuk-u-visually-hidden">Error: </span>'
            + "<br>".join(shown(error) for error in nhsuk_messages(bf)) + "</span>"
        )
    parts.append(f"\n  {shown(bf)}\n</div>\n")
    return mark_safe("".join(parts))  # noqa: S308 (every value escaped as the template escapes it) # nosec B308
