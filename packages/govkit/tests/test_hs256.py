"""govkit.hs256 against PyJWT: the same tokens accepted, the same ones refused with the same error
name (a 401 reports it), and PyJWT accepts what we sign."""

import base64
import time

import jwt
import orjson
import pytest

from govkit import hs256
from govkit.auth import TokenVerifier, mint_token
from govkit.dev.testing import TEST_SECRET
from govkit.errors import Problem

NOW = int(time.time())
GOOD = {"sub": "u1", "name": "张三", "org": "ORG-A", "roles": ["unit"], "iat": NOW, "exp": NOW + 600}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _forge(header: dict, claims, secret: str = TEST_SECRET) -> str:
    """A token with any header, signed HS256 over what it says (PyJWT would not write most of these)."""
    import hashlib
    import hmac

    body = claims if isinstance(claims, bytes) else orjson.dumps(claims)
    signing = f"{_b64(orjson.dumps(header))}.{_b64(body)}"
    sig = hmac.new(secret.encode(), signing.encode(), hashlib.sha256).digest()
    return f"{signing}.{_b64(sig)}"


def _pyjwt(token, audience=None, issuer=None):
    require = ["exp", "sub"] + (["iss"] if issuer else []) + (["aud"] if audience else [])
    options = {"require": require, "verify_aud": audience is not None}
    return jwt.decode(token, TEST_SECRET, algorithms=["HS256"], audience=audience, issuer=issuer, options=options)


def _ours(token, audience=None, issuer=None):
    return hs256.decode(token, TEST_SECRET, require=("exp", "sub"), audience=audience, issuer=issuer)


HS = {"alg": "HS256", "typ": "JWT"}
CASES = {
    "good": jwt.encode(GOOD, TEST_SECRET, algorithm="HS256"),
    "good, kid": jwt.encode(GOOD, TEST_SECRET, algorithm="HS256", headers={"kid": "k"}),
    "wrong secret": jwt.encode(GOOD, TEST_SECRET + "x", algorithm="HS256"),
    "HS512": jwt.encode(GOOD, TEST_SECRET, algorithm="HS512"),
    "alg none": jwt.encode(GOOD, None, algorithm="none"),
    "alg none, our signature": _forge({"alg": "none"}, GOOD),
    "no alg": _forge({"typ": "JWT"}, GOOD),
    "expired": jwt.encode({**GOOD, "exp": NOW - 1}, TEST_SECRET, algorithm="HS256"),
    "exp as text": _forge(HS, {**GOOD, "exp": "soon"}),
    "missing exp": jwt.encode({k: v for k, v in GOOD.items() if k != "exp"}, TEST_SECRET, algorithm="HS256"),
    "missing sub": jwt.encode({k: v for k, v in GOOD.items() if k != "sub"}, TEST_SECRET, algorithm="HS256"),
    "sub not a string": _forge(HS, {**GOOD, "sub": 7}),
    "jti not a string": _forge(HS, {**GOOD, "jti": 7}),
    "iat in the future": jwt.encode({**GOOD, "iat": NOW + 3600}, TEST_SECRET, algorithm="HS256"),
    "iat not a number": _forge(HS, {**GOOD, "iat": "x"}),
    "nbf in the future": jwt.encode({**GOOD, "nbf": NOW + 3600}, TEST_SECRET, algorithm="HS256"),
    "payload a list": _forge(HS, b"[1,2]"),
    "payload not json": _forge(HS, b"{not json"),
    "header a list": "WzFd." + _b64(orjson.dumps(GOOD)) + ".c2ln",
    "two segments": "abc.def",
    "one segment": "abcdef",
    "kid a number": _forge({**HS, "kid": 5}, GOOD),
    "crit": _forge({**HS, "crit": ["exp"]}, GOOD),
    "bad base64 in the signature": jwt.encode(GOOD, TEST_SECRET, algorithm="HS256")[:-3] + "$$$",
}


@pytest.mark.parametrize("case", CASES)
def test_the_same_verdict_as_pyjwt(case):
    token = CASES[case]
    try:
        want = ("ok", _pyjwt(token))
    except jwt.PyJWTError as exc:
        want = ("refused", type(exc).__name__)
    try:
        got = ("ok", _ours(token))
    except hs256.TokenError as exc:
        got = ("refused", type(exc).__name__)
    if case == "crit":  # PyJWT names it InvalidTokenError as well; we support no extension at all
        assert want[0] == got[0] == "refused"
        return
    assert got == want


@pytest.mark.parametrize(
    "claims, audience, issuer, ok",
    [
        ({**GOOD, "aud": "govpm", "iss": "idp"}, "govpm", "idp", True),
        ({**GOOD, "aud": ["x", "govpm"], "iss": "idp"}, "govpm", "idp", True),
        ({**GOOD, "aud": "other", "iss": "idp"}, "govpm", "idp", False),
        ({**GOOD, "aud": "govpm", "iss": "evil"}, "govpm", "idp", False),
        ({**GOOD, "iss": "idp"}, "govpm", "idp", False),  # aud missing
        ({**GOOD, "aud": "govpm"}, "govpm", "idp", False),  # iss missing
        ({**GOOD, "aud": [1]}, "govpm", None, False),
        ({**GOOD, "aud": "anything"}, None, None, True),  # no audience configured: not checked
    ],
)
def test_audience_and_issuer_as_pyjwt(claims, audience, issuer, ok):
    token = jwt.encode(claims, TEST_SECRET, algorithm="HS256")
    for decode, error in ((_pyjwt, jwt.PyJWTError), (_ours, hs256.TokenError)):
        if ok:
            assert decode(token, audience, issuer)["sub"] == "u1"
        else:
            with pytest.raises(error):
                decode(token, audience, issuer)


def test_pyjwt_accepts_what_we_sign_and_a_verifier_reports_its_expiry():
    token = mint_token(TEST_SECRET, sub="s", org="ORG-A", roles=["unit", "bdb"], name="李四", extra={"via": "x"})
    claims = _pyjwt(token)
    assert claims["roles"] == ["bdb", "unit"] and claims["name"] == "李四" and claims["via"] == "x"
    assert jwt.get_unverified_header(token) == {"alg": "HS256", "typ": "JWT"}
    v = TokenVerifier(TEST_SECRET)
    assert v.expiry(token) is None
    assert v.verify(token).org == "ORG-A"
    assert v.expiry(token) == float(claims["exp"])


def test_a_401_names_the_error():
    with pytest.raises(Problem) as exc:
        TokenVerifier(TEST_SECRET).verify(CASES["wrong secret"])
    assert exc.value.status == 401 and exc.value.detail == "凭证无效：InvalidSignatureError"
