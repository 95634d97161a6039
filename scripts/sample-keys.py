#!/usr/bin/python3
"""Deterministic, random-looking FAKE credentials for leakproof's samples/.

Every value is derived from SEED with a SHA-256 counter-mode stream, one stream per
key label, so adding a key never changes the others and re-running gives the same
bytes.  None of these keys was ever issued by a provider; they are only *shaped* like
real ones (prefix, length, alphabet, and for ghp_/npm_ the CRC32 checksum).

The values deliberately avoid everything the scanner suppresses as a placeholder
(EXAMPLE, FAKE, xxxxx, your_, dummy, test, sample, ... and runs of identical
characters), so the samples test detection honestly.

Usage:
  sample-keys.py env               > samples/keys.env     (KEY=value manifest)
  sample-keys.py signer DIR        writes DIR/signer.pk8 + DIR/signer.x509.pem, a
                                   deterministic throwaway RSA-2048 APK signing key
  sample-keys.py check FILE...     fail if a value in FILE (KEY=value) looks like a
                                   placeholder
"""
import hashlib
import re
import sys
import zlib

SEED = b"leakproof-samples-v1"

DIGITS = "0123456789"
UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
LOWER = "abcdefghijklmnopqrstuvwxyz"
ALNUM = DIGITS + UPPER + LOWER            # base62 order used by GitHub/npm checksums
B64URL = UPPER + LOWER + DIGITS + "-_"
B64 = UPPER + LOWER + DIGITS + "+/"
HEX = "0123456789abcdef"
B36 = DIGITS + LOWER
B32 = UPPER + "234567"

# Case-insensitive substrings the scanner (and most scanners) treat as placeholders.
FORBIDDEN = ["example", "fake", "xxxx", "your", "dummy", "test", "sample", "placeholder",
             "demo", "redact", "changeme", "insert", "secret", "password", "token", "0000",
             "1234", "abcd", "lorem"]


class Stream:
    def __init__(self, label):
        self.label = label.encode()
        self.ctr = 0
        self.buf = b""

    def byte(self):
        if not self.buf:
            self.buf = hashlib.sha256(SEED + b"|" + self.label + b"|" +
                                      self.ctr.to_bytes(8, "big")).digest()
            self.ctr += 1
        b, self.buf = self.buf[0], self.buf[1:]
        return b

    def pick(self, alphabet, n):
        m = len(alphabet)
        limit = 256 - 256 % m
        out = []
        while len(out) < n:
            b = self.byte()
            if b < limit:
                out.append(alphabet[b % m])
        return "".join(out)

    def bigint(self, bits):
        nbytes = (bits + 7) // 8
        return int.from_bytes(bytes(self.byte() for _ in range(nbytes)), "big")


def looks_like_placeholder(v):
    low = v.lower()
    if any(f in low for f in FORBIDDEN):
        return True
    return re.search(r"(.)\1\1\1", v) is not None  # 4+ identical in a row (scanner: 7+)


def base62(n, width):
    s = ""
    while n:
        n, r = divmod(n, 62)
        s = ALNUM[r] + s
    return s.rjust(width, "0")


def gh_style(prefix, s):
    """GitHub/npm token: prefix + 30 base62 + base62(crc32(those 30)) padded to 6."""
    body = s.pick(ALNUM, 30)
    return prefix + body + base62(zlib.crc32(body.encode()) & 0xFFFFFFFF, 6)


def gen(label, fn, check_from=0):
    """fn(stream) -> value; re-rolls (deterministically) while the random part is
    placeholder-like.  check_from skips the fixed provider prefix (e.g. 'sk_test_')."""
    attempt = 0
    while True:
        v = fn(Stream(f"{label}#{attempt}"))
        if not looks_like_placeholder(v[check_from:]):
            return v
        attempt += 1


# label, generator, prefix length to skip in the placeholder check, comment
KEYS = [
    # ---- web (esbuild bundle + source maps)
    ("OPENAI_API_KEY_WEB_SRC",
     lambda s: "sk-proj-" + s.pick(B64URL, 74) + "T3BlbkFJ" + s.pick(B64URL, 74), 8,
     "OpenAI project key; only in web-src/src/api/client.ts -> main.js.map / widget.js inline map"),
    ("STRIPE_PUBLISHABLE_KEY_WEB",
     lambda s: "pk_live_51" + s.pick(ALNUM, 97), 8, "Stripe publishable key; web/main.js"),
    ("STRIPE_SECRET_KEY_WEB",
     lambda s: "sk_live_51" + s.pick(ALNUM, 97), 8, "Stripe secret key; web/main.js fetch()"),
    # ---- android
    ("GOOGLE_API_KEY_RES",
     lambda s: "AIzaSy" + s.pick(B64URL, 33), 6, "Google API key; APK res/values/strings.xml"),
    ("GOOGLE_MAPS_KEY_MANIFEST",
     lambda s: "AIzaSy" + s.pick(B64URL, 33), 6, "Google Maps key; APK AndroidManifest meta-data"),
    ("SLACK_BOT_TOKEN_RES",
     lambda s: "xoxb-" + s.pick("123456789", 1) + s.pick(DIGITS, 11) + "-" + s.pick("123456789", 1)
     + s.pick(DIGITS, 12) + "-" + s.pick(ALNUM, 24), 5, "Slack bot token; APK strings.xml"),
    ("SENDGRID_API_KEY_DEX",
     lambda s: "SG." + s.pick(B64URL, 22) + "." + s.pick(B64URL, 43), 3, "SendGrid key; classes.dex"),
    ("ANTHROPIC_API_KEY_HBC",
     lambda s: "sk-ant-api03-" + s.pick(B64URL, 93) + "AA", 13,
     "Anthropic key; Hermes bytecode assets/index.android.bundle"),
    ("GITHUB_TOKEN_HBC_DECOY",
     lambda s: gh_style("ghp_", s), 4,
     "NOT planted whole: split into two adjacent HBC strings (decoy; see expected-decoys.tsv)"),
    ("GITHUB_TOKEN_NATIVE",
     lambda s: gh_style("ghp_", s), 4, "GitHub classic PAT; libnative.so .rodata in the XAPK split"),
    # ---- ios
    ("AWS_ACCESS_KEY_ID_IOS",
     lambda s: "AKIA" + s.pick(B32, 16), 4, "AWS access key id; Mach-O App (both slices)"),
    ("AWS_SECRET_ACCESS_KEY_IOS",
     lambda s: s.pick(B64, 40), 0, "AWS secret key; Mach-O App (both slices)"),
    ("GOOGLE_API_KEY_IOS",
     lambda s: "AIzaSy" + s.pick(B64URL, 33), 6, "Google API key; GoogleService-Info.plist (bplist ASCII)"),
    ("TWILIO_ACCOUNT_SID_IOS",
     lambda s: "AC" + s.pick(HEX, 32), 2, "Twilio account SID; GoogleService-Info.plist UTF-16BE string"),
    ("TWILIO_AUTH_TOKEN_IOS",
     lambda s: s.pick(HEX, 32), 0, "Twilio auth token; GoogleService-Info.plist UTF-16BE string"),
    ("MAILGUN_API_KEY_IOS",
     lambda s: "key-" + s.pick(B36, 32), 4, "Mailgun key; Payload/App.app/main.jsbundle"),
    # ---- config
    ("OPENAI_API_KEY_ENV",
     lambda s: "sk-proj-" + s.pick(B64URL, 74) + "T3BlbkFJ" + s.pick(B64URL, 74), 8, "config/.env"),
    ("STRIPE_SECRET_KEY_ENV",
     lambda s: "sk_live_51" + s.pick(ALNUM, 97), 8, "config/.env"),
    ("AWS_ACCESS_KEY_ID_ENV",
     lambda s: "AKIA" + s.pick(B32, 16), 4, "config/.env"),
    ("AWS_SECRET_ACCESS_KEY_ENV",
     lambda s: s.pick(B64, 40), 0, "config/.env"),
    ("GITHUB_FINE_GRAINED_PAT_ENV",
     lambda s: "github_pat_11" + s.pick(UPPER + DIGITS, 20) + "_" + s.pick(ALNUM, 59), 11, "config/.env"),
    ("SLACK_WEBHOOK_PATH_ENV",
     lambda s: "T" + s.pick(UPPER + DIGITS, 10) + "/B" + s.pick(UPPER + DIGITS, 10) + "/"
     + s.pick(ALNUM, 24), 0, "config/.env (https://hooks.slack.com/services/<this>)"),
    ("NPM_TOKEN_ENV",
     lambda s: gh_style("npm_", s), 4, "config/.env"),
    ("POSTGRES_PASSWORD_ENV",
     lambda s: s.pick(ALNUM, 28), 0, "config/.env DATABASE_URL password"),
    ("STRIPE_RESTRICTED_KEY_JSON",
     lambda s: "rk_live_51" + s.pick(ALNUM, 97), 8, "config/config.json"),
    ("GOOGLE_OAUTH_CLIENT_SECRET_JSON",
     lambda s: "GOCSPX-" + s.pick(B64URL, 28), 7, "config/config.json"),
    ("SENTRY_DSN_KEY_JSON",
     lambda s: s.pick(HEX, 32), 0, "config/config.json (public DSN key part)"),
    ("DATADOG_API_KEY_JSON",
     lambda s: s.pick(HEX, 32), 0, "config/config.json"),
    ("FIREBASE_WEB_API_KEY",
     lambda s: "AIzaSy" + s.pick(B64URL, 33), 6, "config/firebase.js (publishable)"),
    ("FIREBASE_WEB_APP_ID_HEX",
     lambda s: s.pick(HEX, 22), 0, "config/firebase.js appId suffix (not a secret)"),
]


def values():
    return {label: gen(label, fn, skip) for label, fn, skip, _ in KEYS}


def cmd_env():
    v = values()
    print("# leakproof samples: FAKE credentials, deterministic (scripts/sample-keys.py, seed "
          f"{SEED.decode()!r}).")
    print("# Shaped like real keys, never issued by any provider. Regenerate: "
          "/usr/bin/python3 scripts/sample-keys.py env > samples/keys.env")
    for label, _, _, comment in KEYS:
        print(f"# {comment}")
        print(f"{label}={v[label]}")


def cmd_signer(outdir):
    """Deterministic RSA-2048 key + self-signed cert, so v1/v2/v3 (PKCS#1 v1.5)
    signatures are byte-identical across runs."""
    import datetime
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    s = Stream("apk-signer")
    e = 65537

    def is_probable_prime(n):
        if n < 2:
            return False
        for p in (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37):
            if n % p == 0:
                return n == p
        d, r = n - 1, 0
        while d % 2 == 0:
            d //= 2
            r += 1
        for a in (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53):
            x = pow(a, d, n)
            if x in (1, n - 1):
                continue
            for _ in range(r - 1):
                x = pow(x, 2, n)
                if x == n - 1:
                    break
            else:
                return False
        return True

    def prime():
        while True:
            c = s.bigint(1024) | (3 << 1022) | 1
            if is_probable_prime(c) and (c - 1) % e != 0:
                return c

    p, q = prime(), prime()
    if p < q:
        p, q = q, p
    n = p * q
    d = pow(e, -1, (p - 1) * (q - 1))
    priv = rsa.RSAPrivateNumbers(p, q, d, d % (p - 1), d % (q - 1), pow(q, -1, p),
                                 rsa.RSAPublicNumbers(e, n)).private_key()
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "AcmePay Debug"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "AcmePay"),
                      x509.NameAttribute(NameOID.COUNTRY_NAME, "US")])
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(priv.public_key()).serial_number(0x1EA4B700F)
            .not_valid_before(datetime.datetime(2024, 1, 1))
            .not_valid_after(datetime.datetime(2054, 1, 1))
            .sign(priv, hashes.SHA256()))
    with open(f"{outdir}/signer.pk8", "wb") as f:
        f.write(priv.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                   serialization.NoEncryption()))
    with open(f"{outdir}/signer.x509.pem", "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))


def cmd_check(paths):
    bad = 0
    for path in paths:
        for line in open(path, encoding="utf-8"):
            if line.startswith("#") or "=" not in line:
                continue
            k, v = line.rstrip("\n").split("=", 1)
            if looks_like_placeholder(re.sub(r"^(sk-proj-|sk_live_|pk_live_|rk_live_|sk-ant-api03-|"
                                             r"AIzaSy|xoxb-|SG\.|ghp_|npm_|github_pat_|AKIA|AC|key-|GOCSPX-)",
                                             "", v)):
                print(f"placeholder-like: {k}", file=sys.stderr)
                bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "env":
        cmd_env()
    elif len(sys.argv) == 3 and sys.argv[1] == "signer":
        cmd_signer(sys.argv[2])
    elif len(sys.argv) >= 3 and sys.argv[1] == "check":
        sys.exit(cmd_check(sys.argv[2:]))
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
