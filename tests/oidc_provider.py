"""A small but real OpenID Connect provider for the tests, run as its own process on 127.0.0.1.

It serves discovery, JWKS, authorize (a sign-in form), token (authorization code with PKCE, and
refresh token) and userinfo, signing RS256 ID tokens with a key made at start-up. Its people are
set by the tests through /_people (POST a JSON person; POST /_people/<sub>/disable to disable one):
a disabled person's refresh tokens and access tokens are refused from then on, as Entra ID does.

    python tests/oidc_provider.py  → prints "listening on http://127.0.0.1:<port>" and serves.
"""

import base64
import hashlib
import html
import json
import secrets
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

CLIENT_ID = "casework-tests"
CLIENT_SECRET = "casework-tests-secret"
PASSWORD = "provider-password-2026"
TOKEN_SECONDS = 3600

_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
_jwk = {**json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(_key.public_key())), "kid": "test-key", "alg": "RS256"}
_lock = threading.Lock()
# sub → {"sub", "preferred_username", "given_name", "family_name", "email", "groups", "amr", "acr",
# "audience" (to issue an ID token meant for another service), "disabled"}
people: dict[str, dict] = {}
codes: dict[str, dict] = {}  # code → {"sub", "client_id", "redirect_uri", "nonce", "challenge"}
access_tokens: dict[str, str] = {}  # token → sub
refresh_tokens: dict[str, str] = {}  # token → sub


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class Provider(BaseHTTPRequestHandler):
    issuer = ""

    def log_message(self, *args):  # quiet: the tests' output is what matters
        pass

    def _send(self, status: int, body, content_type="application/json", headers=()):
        data = json.dumps(body).encode() if content_type == "application/json" else body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _form(self) -> dict[str, str]:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode()
        if self.headers.get("Content-Type", "").startswith("application/json"):
            return json.loads(raw or "{}")
        return {k: v[0] for k, v in parse_qs(raw).items()}

    def do_GET(self):
        url = urlparse(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        if url.path == "/.well-known/openid-configuration":
            return self._send(
                200,
                {
                    "issuer": self.issuer,
                    "authorization_endpoint": f"{self.issuer}/authorize",
                    "token_endpoint": f"{self.issuer}/token",
                    "userinfo_endpoint": f"{self.issuer}/userinfo",
                    "jwks_uri": f"{self.issuer}/jwks",
                    "response_types_supported": ["code"],
                    "subject_types_supported": ["public"],
                    "id_token_signing_alg_values_supported": ["RS256"],
                    "code_challenge_methods_supported": ["S256"],
                },
            )
        if url.path == "/favicon.ico":
            return self._send(204, "", content_type="image/x-icon")
        if url.path == "/jwks":
            return self._send(200, {"keys": [_jwk]})
        if url.path == "/authorize":
            if query.get("client_id") != CLIENT_ID or query.get("response_type") != "code":
                return self._send(400, {"error": "invalid_request"})
            return self._send(200, _sign_in_page(query), content_type="text/html; charset=utf-8")
        if url.path == "/userinfo":
            token = self.headers.get("Authorization", "").removeprefix("Bearer ")
            with _lock:
                person = people.get(access_tokens.get(token, ""))
            if person is None or person["disabled"]:
                return self._send(401, {"error": "invalid_token"}, headers=[("WWW-Authenticate", "Bearer")])
            return self._send(200, _claims(person, userinfo=True))
        return self._send(404, {"error": "not_found"})

    def do_POST(self):
        url = urlparse(self.path)
        form = self._form()
        if url.path == "/_people":
            with _lock:
                people[form["sub"]] = {"amr": ["pwd", "mfa"], "acr": "", "disabled": False, **form}
            return self._send(201, {"sub": form["sub"]})
        if url.path.startswith("/_people/") and url.path.endswith("/disable"):
            with _lock:
                people[url.path.split("/")[2]]["disabled"] = True
            return self._send(200, {})
        if url.path == "/authorize":
            return self._authorize(form)
        if url.path == "/token":
            return self._token(form)
        return self._send(404, {"error": "not_found"})

    def _authorize(self, form):
        with _lock:
            person = next((p for p in people.values() if p["preferred_username"] == form.get("username")), None)
        if person is None or person["disabled"] or form.get("password") != PASSWORD:
            return self._send(200, _sign_in_page(form, error=True), content_type="text/html; charset=utf-8")
        code = secrets.token_urlsafe(24)
        with _lock:
            codes[code] = {
                "sub": person["sub"],
                "redirect_uri": form["redirect_uri"],
                "nonce": form.get("nonce", ""),
                "challenge": form.get("code_challenge", ""),
            }
        location = f"{form['redirect_uri']}?{urlencode({'code': code, 'state': form['state']})}"
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _token(self, form):
        if form.get("client_id") != CLIENT_ID or form.get("client_secret") != CLIENT_SECRET:
            return self._send(401, {"error": "invalid_client"})
        nonce = ""
        with _lock:
            if form.get("grant_type") == "authorization_code":
                grant = codes.pop(form.get("code", ""), None)  # a code is good once
                if grant is None or grant["redirect_uri"] != form.get("redirect_uri"):
                    return self._send(400, {"error": "invalid_grant"})
                if grant["challenge"]:
                    verifier = form.get("code_verifier", "").encode()
                    if _b64url(hashlib.sha256(verifier).digest()) != grant["challenge"]:
                        return self._send(400, {"error": "invalid_grant"})
                sub, nonce = grant["sub"], grant["nonce"]
            elif form.get("grant_type") == "refresh_token":
                sub = refresh_tokens.pop(form.get("refresh_token", ""), "")  # rotated at each use
            else:
                return self._send(400, {"error": "unsupported_grant_type"})
            person = people.get(sub)
            if person is None or person["disabled"]:
                return self._send(400, {"error": "invalid_grant"})
            access, refresh = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
            access_tokens[access], refresh_tokens[refresh] = sub, sub
        now = int(time.time())
        id_claims = {
            **_claims(person),
            "iss": self.issuer,
            "aud": person.get("audience", CLIENT_ID),  # another audience: a token meant for another service
            "iat": now,
            "exp": now + TOKEN_SECONDS,
            "auth_time": now,
            **({"nonce": nonce} if nonce else {}),
        }
        id_token = jwt.encode(id_claims, _key, algorithm="RS256", headers={"kid": _jwk["kid"]})
        return self._send(
            200,
            {
                "access_token": access,
                "token_type": "Bearer",
                "expires_in": TOKEN_SECONDS,
                "refresh_token": refresh,
                "id_token": id_token,
            },
        )


def _claims(person: dict, userinfo: bool = False) -> dict:
    names = ("sub", "preferred_username", "given_name", "family_name", "email")
    claims = {name: person[name] for name in names if person.get(name)}
    if userinfo:
        return claims  # as Entra ID's: the groups and the sign-in's methods are in the ID token only
    claims["groups"] = person.get("groups", [])
    if person.get("amr"):
        claims["amr"] = person["amr"]
    if person.get("acr"):
        claims["acr"] = person["acr"]
    return claims


def _sign_in_page(params: dict, error: bool = False) -> str:
    carried = ("client_id", "redirect_uri", "state", "nonce", "code_challenge", "scope", "response_type")
    hidden = "".join(
        f'<input type="hidden" name="{name}" value="{html.escape(params.get(name, ""))}">' for name in carried
    )
    message = "<p role='alert'>Wrong username or password.</p>" if error else ""
    return (
        "<!doctype html><html lang='en'><head><title>Test Force sign-in</title></head><body>"
        f"<h1>Test Force sign-in</h1>{message}<form method='post' action='/authorize'>{hidden}"
        "<label for='u'>Force username</label><input id='u' name='username'>"
        "<label for='p'>Force password</label><input id='p' name='password' type='password'>"
        "<button type='submit'>Continue</button></form></body></html>"
    )


class RunningProvider:
    """The tests' handle on a provider process: its issuer, and its people."""

    def __init__(self, issuer: str):
        self.issuer = issuer

    def add(self, sub: str, username: str, groups: list[str], **claims) -> None:
        import requests

        person = {"sub": sub, "preferred_username": username, "groups": groups, **claims}
        requests.post(f"{self.issuer}/_people", json=person, timeout=5).raise_for_status()

    def disable(self, sub: str) -> None:
        import requests

        requests.post(f"{self.issuer}/_people/{sub}/disable", timeout=5).raise_for_status()

    def settings(self, group_map: dict) -> dict:
        """The settings that point the service at this provider."""
        return {
            "OIDC_ISSUER": self.issuer,
            "OIDC_PROVIDER_NAME": "Test Force",
            "OIDC_RP_CLIENT_ID": CLIENT_ID,
            "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_GROUP_MAP": group_map,
        }


@contextmanager
def running() -> Iterator[RunningProvider]:
    """A provider in its own process for the duration."""
    process = subprocess.Popen([sys.executable, __file__], stdout=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        if not line.startswith("listening on "):
            raise RuntimeError(f"the test identity provider did not start: {line!r}")
        yield RunningProvider(line.split()[-1])
    finally:
        process.terminate()
        process.wait(timeout=10)


def main() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Provider)
    Provider.issuer = f"http://127.0.0.1:{server.server_address[1]}"
    print(f"listening on {Provider.issuer}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
