"""``{% sso_button %}``: the single sign-on button, where single sign-on is configured."""

from django import template

from people import sso

register = template.Library()


@register.inclusion_tag("people/includes/sso_button.html")
def sso_button(next_url: str = "") -> dict:
    return {"enabled": sso.sso_enabled(), "label": sso.sso_login_label(), "next": next_url}
