"""Security headers, login lockout, CSRF and caching of personal pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from programmes.models import Role

from .conftest import PASSWORD

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


def test_pages_carry_a_strict_content_security_policy(client, db):
    policy = client.get("/account/login/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_no_template_has_an_inline_script_or_style():
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        # A <script> without src= is inline code; style= attributes are inline styles.
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(r"\sstyle=", text):
            offenders.append(str(path.relative_to(TEMPLATES)))
    assert not offenders, f"Inline script or style (blocked by the CSP) in: {offenders}"


def test_personal_pages_are_not_stored_by_browsers(client_as):
    response = client_as(Role.TRAINEE).get("/")
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_repeated_failed_logins_lock_the_account_out_and_are_logged(client, world, caplog):
    for _ in range(5):
        client.post("/account/login/", {"username": "trainee.acme", "password": "guess"})
    response = client.post("/account/login/", {"username": "trainee.acme", "password": PASSWORD})
    assert response.status_code == 429
    assert b"Too many attempts to log in" in response.content
    # The lockout is logged (axes masks the username and address in the log line).
    assert any("Locking out" in record.getMessage() for record in caplog.records)
    # Another person at the same address is not locked out by someone else's failures.
    other = client.post("/account/login/", {"username": "manager.acme", "password": PASSWORD})
    assert other.status_code == 302


def test_a_successful_login_resets_the_failure_count(client, world):
    for _ in range(4):
        client.post("/account/login/", {"username": "mentor.acme", "password": "guess"})
    assert client.post("/account/login/", {"username": "mentor.acme", "password": PASSWORD}).status_code == 302
    client.post("/account/logout/")
    for _ in range(4):
        client.post("/account/login/", {"username": "mentor.acme", "password": "guess"})
    assert client.post("/account/login/", {"username": "mentor.acme", "password": PASSWORD}).status_code == 302


@pytest.mark.parametrize("path,data", [
    ("/account/login/", {"username": "trainee.acme", "password": PASSWORD}),
    ("/account/logout/", {}),
    ("/switch/", {"membership": "1"}),
])
def test_posts_without_a_csrf_token_are_refused(world, path, data):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.person(Role.TRAINEE))
    assert client.post(path, data).status_code == 403


def test_a_post_with_the_csrf_token_is_accepted(world):
    client = Client(enforce_csrf_checks=True)
    page = client.get("/account/login/")
    token = page.cookies["csrftoken"].value
    response = client.post("/account/login/", {
        "username": "trainee.acme", "password": PASSWORD, "csrfmiddlewaretoken": token,
    })
    assert response.status_code == 302
