"""A real OpenID Connect provider for tests: oidc-provider-mock (PyPI, 0.3.x on Python 3.11) on a
free loopback port. It prints {"port": N} once its discovery document answers, and stops when
its standard input closes (the test released it, or died).

The provider signs in whichever `sub` its authorization form is sent; PUT /users/<sub> with a
JSON object of claims (email, email_verified, given_name...) sets what its ID tokens say.
/lying/.well-known/openid-configuration names another issuer (a provider to refuse).
"""
import json
import os
import sys
import threading
import urllib.request

os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"  # plain http on loopback

import oidc_provider_mock  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

provider = oidc_provider_mock.app(require_nonce=True)


def app(environ, start_response):
    """The provider, plus /lying: a discovery document that names another issuer."""
    if environ.get("PATH_INFO") == "/lying/.well-known/openid-configuration":
        base = f"http://127.0.0.1:{environ['SERVER_PORT']}"
        body = json.dumps({
            "issuer": "https://elsewhere.example.com",
            "authorization_endpoint": f"{base}/oauth2/authorize",
            "token_endpoint": f"{base}/oauth2/token",
            "jwks_uri": f"{base}/jwks",
        }).encode()
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        return [body]
    return provider(environ, start_response)


# Port 0: the system picks a free port, so tests side by side never collide.
server = make_server("127.0.0.1", 0, app, threaded=True)
threading.Thread(target=server.serve_forever, daemon=True).start()
port = server.server_port
with urllib.request.urlopen(f"http://127.0.0.1:{port}/.well-known/openid-configuration", timeout=10) as answer:
    json.load(answer)
print(json.dumps({"port": port}), flush=True)
sys.stdin.read()
server.shutdown()
