"""Plain http identity providers are refused at start-up, except on loopback addresses."""

from __future__ import annotations

from tests.test_settings import run_manage

SSO = {"OIDC_CLIENT_ID": "ladder", "OIDC_CLIENT_SECRET": "secret"}


def test_a_plain_http_issuer_elsewhere_is_refused_at_start_up_with_the_reason():
    result = run_manage("check", OIDC_ISSUER="http://login.example.nhs.uk", **SSO)
    assert result.returncode != 0
    assert "OIDC_ISSUER='http://login.example.nhs.uk' is refused" in result.stderr
    assert "must be reached over https" in result.stderr


def test_https_and_loopback_issuers_start():
    for issuer in ("https://login.microsoftonline.com/tenant/v2.0", "http://127.0.0.1:8080",
                   "http://localhost:9000/realms/ladder"):
        result = run_manage("check", OIDC_ISSUER=issuer, **SSO)
        assert result.returncode == 0, (issuer, result.stderr)


def test_the_providers_origin_may_receive_forms_only_when_single_sign_on_is_on():
    # The invitation page's single sign-on button is a form whose redirects end at the provider.
    show = "from django.conf import settings; print(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action'])"  # noqa: E501
    on = run_manage("shell", "-c", show, OIDC_ISSUER="https://login.example.nhs.uk/tenant/v2.0", **SSO)
    off = run_manage("shell", "-c", show)
    assert on.stdout.strip().splitlines()[-1] == "[\"'self'\", 'https://login.example.nhs.uk']"
    assert off.stdout.strip().splitlines()[-1] == "[\"'self'\"]"
