"""A form renderer that writes the text input and the select in Python, as Django's own widget
templates write them, and renders every other template as Django does (issue 15).

Drawing a widget through the template engine costs more than the rest of its field: the
select's template includes another template for each option, and that one the attributes'
template. A filter form's four controls took the cohort page 0.9 ms, a third of its template.
The markup here is the templates' (django/forms/widgets/input.html, select.html,
select_option.html, attrs.html), character for character, each value escaped as they escape
it (render_value_in_context; stringformat keeps a safe string safe); tests/core
test_form_renderer.py compares the two for every state of a filter form. Any other widget,
or an option drawn by another template, goes through the templates."""

from __future__ import annotations

from html import escape

from django.forms.renderers import DjangoTemplates
from django.template import Context
from django.template.base import render_value_in_context
from django.utils.safestring import SafeData

_SELECT = "django/forms/widgets/select.html"
_OPTION = "django/forms/widgets/select_option.html"
_TEXT = "django/forms/widgets/text.html"


class QuickWidgetRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        widget = context.get("widget")
        if template_name == _TEXT:
            return _input_html(widget)
        if template_name == _SELECT and all(
            option["template_name"] == _OPTION for _, options, _ in widget["optgroups"] for option in options
        ):
            return _select_html(widget)
        return super().render(template_name, context, request)


QUICK_WIDGETS = QuickWidgetRenderer()

# What {{ value }} is in a template: localised, escaped unless safe (autoescape on).
_TEMPLATE_CONTEXT = Context(autoescape=True)


def shown(value) -> str:
    """``{{ value }}`` in a template: localised, escaped unless safe (autoescape on)."""
    # A plain str (most values) is only escaped, as Django's escape does (html.escape):
    # conditional_escape's handling of lazy strings cost more than the escaping.
    return escape(value) if type(value) is str else render_value_in_context(value, _TEMPLATE_CONTEXT)


def _as_s(value) -> str:
    """{{ value|stringformat:'s' }}: "%s" % value, escaped unless the value was safe."""
    text = "%s" % (value,)  # noqa: UP031 (stringformat's own formatting)
    return text if isinstance(value, SafeData) else escape(text)


def _attrs_html(attrs: dict) -> str:
    """attrs.html: `` name="value"`` each, a True value as the name alone, a False one left out."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {shown(name)}" if value is True else f' {shown(name)}="{_as_s(value)}"')
    return "".join(parts)


def _input_html(widget: dict) -> str:
    value = f' value="{_as_s(widget["value"])}"' if widget["value"] is not None else ""
    attrs = _attrs_html(widget["attrs"])
    return f'<input type="{shown(widget["type"])}" name="{shown(widget["name"])}"{value}{attrs}>'


def _select_html(widget: dict) -> str:
    parts = [f'<select name="{shown(widget["name"])}"{_attrs_html(widget["attrs"])}>']
    for group_name, options, _ in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{shown(group_name)}">')
        for option in options:
            value, attrs = _as_s(option["value"]), _attrs_html(option["attrs"])
            parts.append(f'\n  <option value="{value}"{attrs}>{shown(option["label"])}</option>\n')
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)
