#!/usr/bin/python3
"""Helpers for scripts/make-samples.sh (stdlib only, run with Debian's /usr/bin/python3).

  samples-util.py repack IN OUT [SUFFIX..] rewrite a zip with fixed timestamps/attrs, same
                                           entry order and compression per entry (entries
                                           ending in a SUFFIX become STORED)
  samples-util.py mkzip OUT ROOT SPEC...   build a zip from files under ROOT; SPEC is
                                           'path' (deflated) or 'path=stored' or 'path=exec'
  samples-util.py mkasar OUT ROOT SPEC...  build an Electron .asar (format of @electron/asar's
                                           README) from files under ROOT; SPEC is 'path'
                                           or 'path=unpacked' (listed, stored beside it)
  samples-util.py mkcrx3 OUT ZIP           frame ZIP as a Chrome CRX3 (header fields are
                                           placeholders: nothing here verifies signatures)
  samples-util.py verify SAMPLES           check expected-keys.tsv / expected-decoys.tsv
                                           against keys.env and the artifacts
  samples-util.py expected-md SAMPLES      print the generated table part of EXPECTED.md

Timestamps come from SOURCE_DATE_EPOCH (default 2025-01-01T00:00:00Z).
"""
import base64
import bz2
import gzip
import io
import json
import lzma
import os
import re
import struct
import subprocess
import sys
import tarfile
import time
import zipfile

EPOCH = int(os.environ.get("SOURCE_DATE_EPOCH", "1735689600"))
DATE_TIME = time.gmtime(max(EPOCH, 315532800))[:6]   # zip cannot store < 1980


def _info(name, compress, mode):
    zi = zipfile.ZipInfo(name, date_time=DATE_TIME)
    zi.compress_type = compress
    zi.create_system = 3                      # unix, so external_attr carries the mode
    zi.external_attr = (0o100000 | mode) << 16
    return zi


def repack(src, dst, store_suffixes=()):
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for e in zin.infolist():
            mode = (e.external_attr >> 16) & 0o777 or 0o644
            comp = e.compress_type
            if store_suffixes and e.filename.endswith(tuple(store_suffixes)):
                comp = zipfile.ZIP_STORED
            zout.writestr(_info(e.filename, comp, mode), zin.read(e.filename),
                          compresslevel=9 if comp == zipfile.ZIP_DEFLATED else None)


def mkzip(dst, root, specs):
    with zipfile.ZipFile(dst, "w") as z:
        for spec in specs:
            path, _, flag = spec.partition("=")
            comp = zipfile.ZIP_STORED if flag == "stored" else zipfile.ZIP_DEFLATED
            mode = 0o755 if flag == "exec" else 0o644
            with open(os.path.join(root, path), "rb") as f:
                z.writestr(_info(path, comp, mode), f.read(),
                           compresslevel=9 if comp == zipfile.ZIP_DEFLATED else None)


def mkasar(dst, root, specs):
    """An .asar as @electron/asar writes it: UInt32 4 | UInt32 header pickle size |
    header pickle (UInt32 payload size, UInt32 JSON length, JSON, padding to 4) | the
    packed files back to back; "offset" is a decimal string from the end of the header."""
    tree = {"files": {}}
    data = b""
    for spec in specs:
        path, _, flag = spec.partition("=")
        with open(os.path.join(root, path), "rb") as f:
            body = f.read()
        node = tree
        parts = path.split("/")
        for d in parts[:-1]:
            node = node["files"].setdefault(d, {"files": {}})
        entry = {"size": len(body)}
        if flag == "unpacked":
            entry["unpacked"] = True
        else:
            entry["offset"] = str(len(data))
            data += body
        node["files"][parts[-1]] = entry
    js = json.dumps(tree, separators=(",", ":")).encode()
    pickle = struct.pack("<I", len(js)) + js
    pickle += b"\0" * (-len(pickle) % 4)
    pickle = struct.pack("<I", len(pickle)) + pickle
    with open(dst, "wb") as f:
        f.write(struct.pack("<II", 4, len(pickle)) + pickle + data)


def mkcrx3(dst, zip_path):
    """"Cr24", version 3, header length, a protobuf CrxFileHeader, then the zip. The
    header carries one signed_header_data field (tag 10000) with a fixed crx_id; real
    Chrome would also want sha256_with_rsa proofs, which a scanner never checks."""
    crx_id = bytes(range(16))
    signed = b"\x0a\x10" + crx_id                       # SignedData { crx_id = 1 }
    header = b"\x82\xf1\x04" + bytes([len(signed)]) + signed  # field 10000, length-delimited
    with open(zip_path, "rb") as f:
        z = f.read()
    with open(dst, "wb") as f:
        f.write(b"Cr24" + struct.pack("<II", 3, len(header)) + header + z)


# ------------------------------------------------------------------ verify

def load_keys(samples):
    keys = {}
    for line in open(os.path.join(samples, "keys.env"), encoding="utf-8"):
        if line.startswith("#") or "=" not in line:
            continue
        k, v = line.rstrip("\n").split("=", 1)
        keys[k] = v
    return keys


def load_tsv(path):
    rows = []
    if not os.path.exists(path):
        return rows
    for line in open(path, encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        rows.append(line.rstrip("\n").split("\t"))
    return rows


def member_bytes(data, chain):
    for m in chain:
        data = zipfile.ZipFile(io.BytesIO(data)).read(m)
    return data


def _decompress(data):
    """(name of the decoding step, decoded bytes) for a compressed stream, else None."""
    if data[:2] == b"\x1f\x8b":
        return "gzip", gzip.decompress(data)
    if data[:3] == b"BZh":
        return "bzip2", bz2.decompress(data)
    if data[:6] == b"\xfd7zXZ\x00":
        return "xz", lzma.decompress(data)
    if data[:4] == b"\x28\xb5\x2f\xfd":
        return "zstd", subprocess.run(["zstd", "-dc"], input=data, capture_output=True,
                                      check=True).stdout
    return None


def _tar_members(data):
    """[(label, bytes)] of a tar's regular files, labelled as the scanner does."""
    out = []
    with tarfile.open(fileobj=io.BytesIO(data)) as t:
        for m in t.getmembers():
            if not m.isfile():
                continue
            name = m.name
            while name.startswith("./"):
                name = name[2:]
            if re.fullmatch(r"blobs/sha256/[0-9a-f]{64}", name):
                name = "sha256:" + name[len("blobs/sha256/"):]
            out.append((name, t.extractfile(m).read()))
    return out


def _asar_members(data):
    hsize = struct.unpack_from("<I", data, 4)[0]
    jlen = struct.unpack_from("<I", data, 12)[0]
    tree = json.loads(data[16:16 + jlen])
    base = 8 + hsize
    out = []

    def visit(files, prefix):
        for name, e in sorted(files.items()):
            if "files" in e:
                visit(e["files"], prefix + name + "/")
            elif "offset" in e and not e.get("unpacked"):
                off = base + int(e["offset"])
                out.append((prefix + name, data[off:off + e["size"]]))
    visit(tree["files"], "")
    return out


def walk(data, chain=(), name=""):
    """Yield (chain, bytes) for the file and, recursively, every member the scanner
    opens (zip, tar, compressed streams, .br by name, crx, asar), with the scanner's
    provenance steps: members by name, decoding steps as "[gzip]"."""
    yield chain, data
    members = None
    if data[:4] == b"PK\x03\x04":
        try:
            z = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile:
            return
        members = [(n, z.read(n)) for n in z.namelist() if not n.endswith("/")]
    elif data[257:262] == b"ustar":
        members = _tar_members(data)
    elif data[:4] == b"Cr24" and struct.unpack_from("<I", data, 4)[0] == 3:
        at = 12 + struct.unpack_from("<I", data, 8)[0]
        yield from walk(data[at:], chain + ("[crx]",))
        return
    elif data[:4] == b"\x04\x00\x00\x00" and data[16:17] == b"{":
        members = _asar_members(data)
    elif name.endswith(".br"):
        out = subprocess.run(["brotli", "-dc"], input=data, capture_output=True,
                             check=True).stdout
        yield from walk(out, chain + ("[brotli]",))
        return
    else:
        dec = _decompress(data)
        if dec is None:
            return
        step, out = dec
        if out[257:262] == b"ustar":  # a .tar.gz is one step: its members
            members = _tar_members(out)
        else:
            yield from walk(out, chain + ("[" + step + "]",))
            return
    for n, b in members:
        yield from walk(b, chain + (n,), n)


INLINE_MAP = re.compile(rb"sourceMappingURL=data:application/json;(?:charset=utf-8;)?base64,"
                        rb"([A-Za-z0-9+/=]+)")


def encodings(data, key):
    """Occurrences of key in data per encoding."""
    out = {
        "ascii": data.count(key.encode()),
        "utf16le": data.count(key.encode("utf-16-le")),
        "utf16be": data.count(key.encode("utf-16-be")),
    }
    n = 0
    for m in INLINE_MAP.finditer(data):
        n += base64.b64decode(m.group(1)).count(key.encode())
    out["base64-datauri"] = n
    return out


def verify(samples):
    keys = load_keys(samples)
    exp = load_tsv(os.path.join(samples, "expected-keys.tsv"))
    dec = load_tsv(os.path.join(samples, "expected-decoys.tsv"))
    errors = []
    want = {}
    for row in exp + dec:
        if len(row) < 7:
            errors.append(f"short row: {row}")
            continue
        f, prov, provider, prefix, label, enc, cls = row[:7]
        if label == "-":
            continue
        if label not in keys:
            errors.append(f"unknown label {label}")
            continue
        if keys[label][:8] != prefix:
            errors.append(f"{f} {label}: prefix {prefix!r} != {keys[label][:8]!r}")
        chain = tuple(x for x in prov.rsplit(":", 1)[0].split("!") if x)
        want[(f, chain, label, enc)] = want.get((f, chain, label, enc), 0) + 1

    seen = {}
    for dirpath, _, files in os.walk(samples):
        for fn in files:
            full = os.path.join(dirpath, fn)
            rel = os.path.relpath(full, samples)
            if rel in ("keys.env", "expected-keys.tsv", "expected-decoys.tsv", "EXPECTED.md",
                       "README.md"):
                continue
            data = open(full, "rb").read()
            for chain, b in walk(data, (), fn):
                for label, key in keys.items():
                    for enc, n in encodings(b, key).items():
                        if n:
                            seen[(rel, chain, label, enc)] = n
    # A key found in a zip is also "found" in the raw zip bytes when the member is
    # stored; only compare the innermost occurrence that the manifest names.
    for k, n in sorted(want.items()):
        if seen.get(k, 0) != n:
            errors.append(f"expected {n}x {k[2]} ({k[3]}) in {k[0]}:{'!'.join(k[1])}, "
                          f"found {seen.get(k, 0)}")
    listed_members = {(f, c) for (f, c, _, _) in want}
    for (f, chain, label, enc), n in sorted(seen.items()):
        if (f, chain, label, enc) in want:
            continue
        # raw occurrence visible through a STORED zip member that is itself listed
        covered = any(f == wf and wc[:len(chain)] == chain and len(wc) > len(chain)
                      and wl == label for (wf, wc, wl, we) in want)
        if covered:
            continue
        # an ASCII string in UTF-16LE also matches as UTF-16BE one byte earlier (and vice
        # versa) when a NUL is adjacent: count it once, under the listed UTF-16 flavour
        other = {"utf16le": "utf16be", "utf16be": "utf16le"}.get(enc)
        if other and (f, chain, label, other) in want:
            continue
        errors.append(f"unlisted: {n}x {label} ({enc}) in {f}:{'!'.join(chain)}")
    for e in errors:
        print("verify:", e, file=sys.stderr)
    print(f"verify: {len(exp)} expected rows, {len(dec)} decoy rows, "
          f"{len(listed_members)} members, {len(errors)} problems")
    return 1 if errors else 0


def expected_md(samples):
    exp = load_tsv(os.path.join(samples, "expected-keys.tsv"))
    dec = load_tsv(os.path.join(samples, "expected-decoys.tsv"))
    print("| file | where (zip chain : format) | provider | prefix | keys.env label | encoding | class |")
    print("|---|---|---|---|---|---|---|")
    for r in exp:
        print("| " + " | ".join(f"`{c}`" if i in (0, 1, 3, 4) else c
                               for i, c in enumerate(r[:7])) + " |")
    print()
    print("### Decoys (must NOT be reported as the key named here)")
    print()
    print("| file | where | provider | prefix | keys.env label | encoding | why |")
    print("|---|---|---|---|---|---|---|")
    for r in dec:
        print("| " + " | ".join(f"`{c}`" if i in (0, 1, 3, 4) else c
                               for i, c in enumerate(r[:7])) + " |")


if __name__ == "__main__":
    a = sys.argv[1:]
    if a[:1] == ["repack"] and len(a) >= 3:
        repack(a[1], a[2], a[3:])
    elif a[:1] == ["mkzip"] and len(a) >= 4:
        mkzip(a[1], a[2], a[3:])
    elif a[:1] == ["mkasar"] and len(a) >= 4:
        mkasar(a[1], a[2], a[3:])
    elif a[:1] == ["mkcrx3"] and len(a) == 3:
        mkcrx3(a[1], a[2])
    elif a[:1] == ["verify"] and len(a) == 2:
        sys.exit(verify(a[1]))
    elif a[:1] == ["expected-md"] and len(a) == 2:
        expected_md(a[1])
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
