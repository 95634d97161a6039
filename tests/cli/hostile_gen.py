#!/usr/bin/env python3
"""Generates the hostile inputs of tests/cli/hostile_cli_test.cc at test time, so that
no bomb is ever committed.

  hostile_gen.py bomb OUT WIDTH DEPTH LEAF_BYTES
      A 42.zip-style nested bomb: DEPTH levels of zips of WIDTH members each, the
      innermost members LEAF_BYTES of zeros (each over the ratio limit).
  hostile_gen.py stream TOTAL_BYTES OFFSET=KEY ...
      Writes TOTAL_BYTES of 99-byte lines to stdout with each KEY planted at OFFSET.
  hostile_gen.py lying-zip OUT STORED|DEFLATED COMP BODY_FILE
      A one-member zip (a/app.js = BODY_FILE's bytes) whose central directory claims a
      compressed size of COMP; the local header tells the truth (unzip -t accepts it).
  hostile_gen.py big-stored-zip OUT KEY BIG_BYTES
      A stored zip: a.js holding KEY, then big.bin of BIG_BYTES (compressible text).
"""
import io
import struct
import sys
import zipfile


def bomb(out, width, depth, leaf_bytes):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for i in range(width):
            z.writestr(f"{i}.bin", b"\0" * leaf_bytes)
    level = buf.getvalue()
    for _ in range(depth - 1):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for i in range(width):
                z.writestr(f"{i}.zip", level)
        level = buf.getvalue()
    with open(out, "wb") as f:
        f.write(level)


def stream(total, plants):
    line = b"a" * 98 + b"\n"
    block = line * (1 << 14)  # 1.6 MB
    plants = sorted((int(o), k.encode()) for o, k in (p.split("=", 1) for p in plants))
    out = sys.stdout.buffer
    pos = 0
    while pos < total:
        chunk = bytearray(block[: min(len(block), total - pos)])
        for off, key in plants:
            # A key may straddle two generated blocks: write the part in this one.
            lo, hi = max(off, pos), min(off + len(key), pos + len(chunk))
            if lo < hi:
                chunk[lo - pos : hi - pos] = key[lo - off : hi - off]
        out.write(chunk)
        pos += len(chunk)
    out.flush()


def lying_zip(out, method, comp, body_file):
    with open(body_file, "rb") as f:
        body = f.read()
    buf = io.BytesIO()
    kind = zipfile.ZIP_STORED if method == "STORED" else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(buf, "w", kind) as z:
        z.writestr("a/app.js", body)
    data = bytearray(buf.getvalue())
    central = data.rfind(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 20, comp)
    with open(out, "wb") as f:
        f.write(data)


def big_stored_zip(out, key, big):
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
        z.writestr("a.js", f'const t = "{key}";\n')
        z.writestr("big.bin", (b"x" * 99 + b"\n") * (big // 100))


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "bomb":
        bomb(args[0], int(args[1]), int(args[2]), int(args[3]))
    elif cmd == "stream":
        stream(int(args[0]), args[1:])
    elif cmd == "big-stored-zip":
        big_stored_zip(args[0], args[1], int(args[2]))
    elif cmd == "lying-zip":
        lying_zip(args[0], args[1], int(args[2]), args[3])
    else:
        sys.exit("unknown command " + cmd)
