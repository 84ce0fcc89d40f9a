"""A real OpenID Connect provider on 127.0.0.1 for the single sign-on tests.

The provider is ``oidc-provider-mock`` (authlib's authorization server in a Flask app, RS256
ID tokens, a JWKS endpoint, discovery), run in a thread. In front of it sits a small reverse
proxy of our own, which is the issuer Ladder is configured with: it passes everything through
unchanged, records what Ladder sent (to check PKCE), and can alter the ID token in the token
endpoint's answer, the way an attacker between the two would. Nothing of Ladder's or of the
OpenID Connect library is replaced.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import parse_qs

import requests
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

# authlib refuses plain http unless told this is a development setting (it is: loopback only).
os.environ.setdefault("AUTHLIB_INSECURE_TRANSPORT", "1")

from oidc_provider_mock import run_server_in_thread  # noqa: E402

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-encoding", "content-length"}


@dataclass
class Provider:
    issuer: str
    upstream: str
    tamper_id_token: Callable[[str], str] | None = None
    token_requests: list[dict[str, list[str]]] = field(default_factory=list)
    authorize_requests: list[dict[str, list[str]]] = field(default_factory=list)

    def add_person(self, sub: str, **claims) -> None:
        """Make (or replace) an account at the provider with these claims."""
        response = requests.put(f"{self.upstream}/users/{sub}", json=claims, timeout=5)
        response.raise_for_status()

    # The proxy, a WSGI app.
    def __call__(self, environ, start_response):
        request = Request(environ)
        body = request.get_data()
        if request.path == "/oauth2/token":
            self.token_requests.append(parse_qs(body.decode()))
        if request.path == "/oauth2/authorize" and request.method == "GET":
            self.authorize_requests.append(parse_qs(request.query_string.decode()))
        headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP}
        # The Host header is kept, so the provider names the proxy as its issuer.
        upstream = requests.request(
            request.method, self.upstream + request.full_path.rstrip("?"), headers=headers,
            data=body, allow_redirects=False, timeout=10,
        )
        content = upstream.content
        if request.path == "/oauth2/token" and upstream.ok and self.tamper_id_token:
            answer = upstream.json()
            answer["id_token"] = self.tamper_id_token(answer["id_token"])
            content = json.dumps(answer).encode()
        response = Response(content, status=upstream.status_code)
        for name, value in upstream.headers.items():
            if name.lower() not in HOP_BY_HOP:
                response.headers[name] = value
        return response(environ, start_response)


@contextlib.contextmanager
def running_provider(*, token_max_age: timedelta = timedelta(minutes=5)) -> Iterator[Provider]:
    with run_server_in_thread(
        port=0, require_nonce=True, access_token_max_age=token_max_age
    ) as upstream_server:
        upstream = f"http://localhost:{upstream_server.server_port}"
        provider = Provider(issuer="", upstream=upstream)
        proxy = make_server("127.0.0.1", 0, provider, threaded=True)
        provider.issuer = f"http://127.0.0.1:{proxy.server_port}"
        thread = threading.Thread(target=proxy.serve_forever, kwargs={"poll_interval": 0.1})
        thread.start()
        try:
            yield provider
        finally:
            proxy.shutdown()
            thread.join(5)
            proxy.server_close()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def claims_of(id_token: str) -> dict:
    return json.loads(_unb64(id_token.split(".")[1]))


def with_claims(id_token: str, **changes) -> str:
    """The same token, its payload changed and its signature kept (so no longer matching)."""
    header, payload, signature = id_token.split(".")
    claims = json.loads(_unb64(payload))
    claims.update(changes)
    return ".".join([header, _b64(json.dumps(claims).encode()), signature])
