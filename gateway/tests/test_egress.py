"""Webhook SSRF (issue 15): outside dev no loopback/private/link-local/CGNAT/metadata targets, the
name resolved at delivery and the checked address connected to, no redirects, an allow-list; and
the Standard Webhooks signature headers, checked with the off-the-shelf library."""

import base64
import ipaddress
import threading
from datetime import UTC
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import orjson
import pytest
from standardwebhooks import Webhook, WebhookVerificationError

from gateway import egress
from gateway.webhooks.signing import signed_headers
from govkit.dev.testing import auth
from govkit.dev.testing import eventually as until

SUBS = "/api/v1/webhooks/subscriptions"
SECRET = "a-very-secret-webhook-key"


def event(type_="ProjectApproved"):
    import uuid
    from datetime import datetime

    from govkit.events import CloudEvent

    pid = str(uuid.uuid4())
    return CloudEvent(
        source="/govpm/approval", type=type_, time=datetime.now(UTC), subject=pid, data={"project_id": pid}
    )


STRONG = "Zq3v9Jw1xT8bK2mN7pR4sL6yH0cF5gD9aE3uQ8wV"
BLOCKED = [
    "http://127.0.0.1:9/h",
    "http://localhost/h",
    "http://[::1]/h",
    "http://10.1.2.3/h",
    "http://172.16.0.1/h",
    "http://192.168.1.1/h",
    "http://169.254.169.254/latest/meta-data",
    "http://100.64.0.1/h",
    "http://100.100.100.200/h",
    "http://0.0.0.0/h",
    "http://[fd00::1]/h",
    "http://[fe80::1]/h",
    "http://[::ffff:127.0.0.1]/h",
    "http://224.0.0.1/h",
]


@pytest.mark.parametrize("url", BLOCKED)
async def test_blocked_targets_refused_outside_dev(url):
    with pytest.raises(egress.BlockedTarget):
        await egress.resolve(url, egress.Policy(allow_private=False))


@pytest.mark.parametrize("ip", ["100.63.255.255", "100.128.0.0", "8.8.8.8", "2001:4860::8888"])
def test_neighbours_of_blocked_ranges_are_public(ip):
    assert egress.blocked_reason(ipaddress.ip_address(ip)) is None


async def test_a_name_is_checked_on_every_address_and_connected_to_the_checked_one():
    async def rebinding(host, port):
        return ["93.184.216.34", "10.0.0.5"]  # one public, one private answer: refused

    with pytest.raises(egress.BlockedTarget):
        await egress.resolve("https://hook.example/x", egress.Policy(False), rebinding)

    async def public(host, port):
        return ["93.184.216.34"]

    url, headers, ext = await egress.resolve("https://hook.example:8443/x?a=1", egress.Policy(False), public)
    assert url == "https://93.184.216.34:8443/x?a=1"
    assert headers == {"host": "hook.example:8443"} and ext == {"sni_hostname": "hook.example"}


async def test_allow_list_admits_departmental_hosts_and_networks():
    async def private(host, port):
        return ["10.20.1.7"]

    policy = egress.Policy(False, ["oa.dept.example", "10.30.0.0/16"])
    await egress.resolve("http://oa.dept.example/h", policy, private)
    await egress.resolve("http://10.30.5.5/h", policy)
    with pytest.raises(egress.BlockedTarget):
        await egress.resolve("http://other.dept.example/h", policy, private)


class Receiver:
    """Records requests; /redirect answers 302 to /target."""

    def __init__(self):
        self.requests = []
        outer = self

        class H(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                n = int(self.headers.get("content-length") or 0)
                outer.requests.append(
                    {
                        "path": self.path,
                        "host": self.headers.get("host"),
                        "headers": {k.lower(): v for k, v in self.headers.items()},
                        "body": self.rfile.read(n),
                    }
                )
                if self.path == "/redirect":
                    self.send_response(302)
                    self.send_header("location", "/target")
                else:
                    self.send_response(200)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *a):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), H)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.port = self.httpd.server_port

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


async def test_production_gateway_refuses_private_subscriptions_and_resolves_at_delivery(make_gateway):
    receiver = Receiver()
    try:
        async with make_gateway(
            env="prod",
            jwt_secret=STRONG,
            webhook_backoff_s=0.05,
            webhook_poll_s=0.05,
            webhook_max_attempts=1,
            webhook_allowed_hosts=["hook.dept.example", "good.dept.example"],
        ) as gw:
            headers = {"Authorization": f"Bearer {_token(STRONG)}"}
            for url in ("http://127.0.0.1:9/h", "http://169.254.169.254/", "http://100.64.0.1/h", "http://10.0.0.1/h"):
                r = await gw.post(SUBS, json={"url": url, "event_types": ["*"], "secret": SECRET}, headers=headers)
                assert r.status_code == 422, (url, r.text)
                assert r.json()["violations"][0]["field"] == "url"
            dispatcher = gw.app.state.dispatcher
            answers = {"hook.dept.example": "127.0.0.1", "good.dept.example": "127.0.0.1"}

            async def resolver(host, port):
                return [answers[host]]

            dispatcher.resolver = resolver
            original = egress.system_resolver
            egress.system_resolver = resolver  # the creation-time check resolves too
            try:
                for name in ("hook.dept.example", "good.dept.example"):
                    r = await gw.post(
                        SUBS,
                        json={
                            "url": f"http://{name}:{receiver.port}/redirect"
                            if name.startswith("good")
                            else f"http://{name}:{receiver.port}/ok",
                            "event_types": ["*"],
                            "secret": SECRET,
                        },
                        headers=headers,
                    )
                    assert r.status_code == 201, r.text
                # between the check at creation and the delivery the name moves to a metadata address:
                # the delivery connects to nothing there (allow-listing names only, not addresses)
                dispatcher.policy = egress.Policy(False, ["good.dept.example"])
                answers["hook.dept.example"] = "169.254.169.254"
                ev = event()
                await gw.app.state.consumer.handle(ev)
                await until(lambda: len(receiver.requests) >= 1)
            finally:
                egress.system_resolver = original

            async def settled():
                from sqlalchemy import select

                from gateway.models import Delivery

                async with gw.app.state.sessionmaker() as s:
                    rows = (await s.scalars(select(Delivery))).all()
                return rows if rows and all(d.status != "pending" for d in rows) else None

            rows = await until(settled)
            errors = sorted(d.last_error or "" for d in rows)
            assert any("169.254.169.254" in e for e in errors), errors  # refused, never connected
            assert [r["path"] for r in receiver.requests] == ["/redirect"]  # the 302 was not followed
            assert receiver.requests[0]["host"] == f"good.dept.example:{receiver.port}"
            assert any(d.last_status_code == 302 and d.status == "dead" for d in rows)
    finally:
        receiver.close()


def _token(secret):
    from govkit.auth import mint_token

    return mint_token(secret, sub="bdb-1", org="ORG-BDB", roles=["bdb"])


def test_standard_webhooks_library_verifies_our_signature():
    body = orjson.dumps(event().model_dump(mode="json", exclude_none=True))
    headers = signed_headers(SECRET, "evt-1", body)
    wh = Webhook("whsec_" + base64.b64encode(SECRET.encode()).decode())
    assert wh.verify(body, headers) == orjson.loads(body)
    with pytest.raises(WebhookVerificationError):
        wh.verify(body + b" ", headers)


async def test_dev_gateway_still_delivers_to_local_receivers(gw):
    receiver = Receiver()
    try:
        r = await gw.post(
            SUBS,
            json={"url": f"http://127.0.0.1:{receiver.port}/ok", "event_types": ["*"], "secret": SECRET},
            headers=auth("bdb", "ORG-BDB-E"),
        )
        assert r.status_code == 201
        await gw.app.state.consumer.handle(event())
        await until(lambda: receiver.requests)
        got = receiver.requests[0]
        wh = Webhook("whsec_" + base64.b64encode(SECRET.encode()).decode())
        wh.verify(got["body"], {k: got["headers"][k] for k in ("webhook-id", "webhook-timestamp", "webhook-signature")})
    finally:
        receiver.close()
