#!/usr/bin/env python3
"""Plant fake keys of every secret-class rule into COPIES of random corpus files.

  bench/plant-keys.py [--leakproof BIN] [--seed 1] [--per-rule 3]

For each rule of class "secret" the fake keys come from the rule's own `examples`: the rule
regex is run (Python `re`) over each example; the whole match is what gets planted (so
rules that need context, like `aws_secret_access_key = ...`, keep it) and the secret group
is the key recorded in the manifest. Rules whose regex Python cannot compile or whose
examples it does not match are skipped and counted.

Each planted copy gets 1-3 keys at random places, in one of three contexts:
  js-minified   mid-line in a .js file, after a ';' or ',':      ;var _lp3="<match>";
  json          in a .json/.map file, as the first member of the top-level object (the file
                stays valid JSON; matches with quotes/backslashes go to js-minified instead):
                                                                 {"lp_key_3":"<match>",
  template      mid-line in a .js file, as a template literal:   ;var _lp3=`${h}/x?k=<match>&v=1`;
After planting, every key is re-found with the rule regex at its recorded offset in the
written file; a key that is not (the context broke a \\b, say) is dropped and counted.

Writes bench/corpus/planted/NNNN_<name> and bench/work/planted-manifest.jsonl (one object a
line: file, offset, length, rule, secret, match, context) plus a summary on stdout. The
manifest lives outside bench/corpus so scanning the corpus does not scan the keys twice.
"""
import argparse
import json
import os
import random
import shutil
import sys

sys.dont_write_bytecode = True  # no bench/__pycache__ in the tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rules as rules_mod  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
MIN_FILE, MAX_FILE = 2_000, 4_000_000


def corpus_files(root):
    js, js_min, json_files = [], [], []
    for d, _, names in os.walk(root):
        for n in names:
            p = os.path.join(d, n)
            try:
                size = os.path.getsize(p)
            except OSError:
                continue
            if not (MIN_FILE <= size <= MAX_FILE):
                continue
            if n.endswith((".js", ".mjs", ".cjs")):
                js.append(p)
                if ".min." in n or "/dist/" in p or "/umd/" in p or "/bundles/" in p:
                    js_min.append(p)
            elif n.endswith((".json", ".map")):
                json_files.append(p)
    js.sort(), js_min.sort(), json_files.sort()
    return js, js_min, json_files


def extract_keys(rule):
    """[(match bytes, secret bytes, secret start within match)] from the rule's examples."""
    try:
        rx = rules_mod.to_python_re(rule["regex"])
    except Exception as e:  # re.error, UnicodeEncodeError
        return None, f"python re cannot compile: {e}"
    g = rules_mod.secret_group_of(rule, rx)
    if g > rx.groups:
        return None, f"secret_group {g} > groups {rx.groups}"
    out, seen = [], set()
    for ex in rule.get("examples", []):
        m = rx.search(ex.encode("utf-8", errors="surrogateescape"))
        if not m or m.group(g) is None:
            continue
        match, secret = m.group(0), m.group(g)
        if secret in seen or not secret:
            continue
        seen.add(secret)
        out.append((match, secret, m.start(g) - m.start(0)))
    if not out:
        return None, "no example matched by Python re"
    return out, None


def find_anchor(data, anchors, rng, used):
    """A random position just after the first byte of one of `anchors`, preferably away
    from the file's very start, not already used."""
    n = len(data)
    for attempt in range(20):
        start = rng.randrange(n // 20, max(n // 20 + 1, n - 1))
        best = min((k for k in (data.find(c, start) for c in anchors) if k >= 0), default=-1)
        if best >= 0 and best + 1 not in used:
            return best + 1
    # Few anchors (a source map has its structure only at the start): pick any of them.
    cands = []
    for c in anchors:
        k = data.find(c)
        while k >= 0 and len(cands) < 10000:
            if k + 1 not in used:
                cands.append(k + 1)
            k = data.find(c, k + 1)
    return rng.choice(cands) if cands else None


def wrap(context, idx, match):
    if context == "json":
        pre = b'"lp_key_%d":"' % idx
        return pre, pre + match + b'",'
    if context == "template":
        pre = b'var _lp%d=`${h}/x?k=' % idx
        return pre, pre + match + b'&v=1`;'
    pre = b'var _lp%d="' % idx
    return pre, pre + match + b'";'


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--leakproof", default=os.environ.get("LEAKPROOF"))
    ap.add_argument("--rules-dir")
    ap.add_argument("--corpus", default=os.path.join(HERE, "corpus", "npm"))
    ap.add_argument("--out", default=os.path.join(HERE, "corpus", "planted"))
    ap.add_argument("--manifest", default=os.path.join(HERE, "work", "planted-manifest.jsonl"))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--per-rule", type=int, default=3, help="keys planted per secret rule")
    a = ap.parse_args()

    rng = random.Random(a.seed)
    all_rules, source = rules_mod.load_rules(a.leakproof, a.rules_dir)
    secret_rules = [r for r in all_rules if r["class"] == "secret"]
    skipped, usable = [], []
    for r in secret_rules:
        keys, why = extract_keys(r)
        if keys is None:
            skipped.append((r["id"], why))
        else:
            usable.append((r, keys))
    if not usable:
        sys.exit("plant-keys: no secret rule has an example Python can extract a key from")

    js, js_min, json_files = corpus_files(a.corpus)
    if not js or not json_files:
        sys.exit(f"plant-keys: corpus {a.corpus} has no usable .js/.json files: run bench/make-corpus.sh")
    code_pool = js_min if len(js_min) >= 50 else js

    # Plan: per rule, per-rule keys cycling through its examples and the three contexts.
    contexts = ["js-minified", "json", "template"]
    plants = []
    for r, keys in usable:
        for k in range(a.per_rule):
            match, secret, soff = keys[k % len(keys)]
            ctx = contexts[(k + rng.randrange(3)) % 3]
            if ctx == "json" and any(c in match for c in (b'"', b"\\", b"\n", b"\r", b"\t")):
                ctx = "js-minified"  # would need JSON escaping (and break the file's JSON)
            plants.append({"rule": r, "match": match, "secret": secret, "soff": soff,
                           "context": ctx})
    rng.shuffle(plants)

    # Group into files: 1-3 plants per copied file, same kind of file for the context; a
    # file never gets the same secret twice (two keys of one rule in one file do happen).
    files = []
    i = 0
    while i < len(plants):
        kind = "json" if plants[i]["context"] == "json" else "code"
        group = [plants[i]]
        i += 1
        want = rng.choice([1, 1, 2, 3])
        while len(group) < want and i < len(plants):
            p = plants[i]
            same_kind = ("json" if p["context"] == "json" else "code") == kind
            if not same_kind or any(q["secret"] == p["secret"] for q in group):
                break
            group.append(p)
            i += 1
        src = rng.choice(json_files if kind == "json" else code_pool)
        files.append((src, group))

    if os.path.isdir(a.out):
        shutil.rmtree(a.out)
    os.makedirs(a.out)
    os.makedirs(os.path.dirname(a.manifest), exist_ok=True)
    manifest, dropped, idx = [], [], 0
    for fno, (src, group) in enumerate(files):
        with open(src, "rb") as f:
            data = f.read()
        inserts = []
        used = set()
        for p in group:
            anchors = [b"{"] if p["context"] == "json" else [b";", b","]
            if p["context"] == "json":
                # A random '{' is usually inside a string (sourcesContent): use the first one,
                # the top-level object, so the file stays valid JSON. Members may share it.
                k = data.find(b"{")
                pos = k + 1 if k >= 0 else None
            else:
                pos = find_anchor(data, anchors, rng, used)
            if pos is None:
                dropped.append((p["rule"]["id"], f"no free anchor for {p['context']} in {src}"))
                continue
            used.add(pos)
            idx += 1
            pre, text = wrap(p["context"], idx, p["match"])
            inserts.append((pos, pre, text, p))
        inserts.sort(key=lambda t: t[0])
        out, last, shift, entries = [], 0, 0, []
        for pos, pre, text, p in inserts:
            out.append(data[last:pos])
            new_pos = pos + shift
            out.append(text)
            last = pos
            shift += len(text)
            entries.append((new_pos + len(pre) + p["soff"], p))
        out.append(data[last:])
        blob = b"".join(out)
        name = "%04d_%s" % (fno, os.path.basename(src))
        dst = os.path.join(a.out, name)
        with open(dst, "wb") as f:
            f.write(blob)
        for off, p in entries:
            # Re-find with the rule's regex: the recorded key must match where we say it is.
            rx = rules_mod.to_python_re(p["rule"]["regex"])
            g = rules_mod.secret_group_of(p["rule"], rx)
            lo = max(0, off - p["soff"] - 256)
            ok = False
            for m in rx.finditer(blob, lo, off + len(p["secret"]) + 256):
                if m.start(g) == off and m.group(g) == p["secret"]:
                    ok = True
                    break
            if not ok:
                dropped.append((p["rule"]["id"], "not re-found after planting (context changed the match)"))
                continue
            manifest.append({
                "file": os.path.relpath(dst, os.path.dirname(HERE)),
                "offset": off,
                "length": len(p["secret"]),
                "rule": p["rule"]["id"],
                "secret": p["secret"].decode("latin-1"),
                "match": p["match"].decode("latin-1"),
                "context": p["context"],
                "source": os.path.relpath(src, os.path.dirname(HERE)),
            })

    with open(a.manifest, "w") as f:
        for e in manifest:
            f.write(json.dumps(e) + "\n")
    summary = {
        "rules_source": source,
        "seed": a.seed,
        "rules_total": len(all_rules),
        "secret_rules": len(secret_rules),
        "secret_rules_planted": len({e["rule"] for e in manifest}),
        "secret_rules_skipped": len(skipped),
        "keys_planted": len(manifest),
        "keys_dropped": len(dropped),
        "files_written": len(files),
        "bytes_written": sum(os.path.getsize(os.path.join(a.out, n)) for n in os.listdir(a.out)),
        "contexts": {c: sum(1 for e in manifest if e["context"] == c) for c in contexts},
    }
    with open(os.path.splitext(a.manifest)[0] + "-summary.json", "w") as f:
        json.dump({**summary, "skipped": skipped, "dropped": dropped}, f, indent=1)
    print("plant-keys: " + ", ".join(f"{k}={v}" for k, v in summary.items()))
    for rid, why in skipped:
        print(f"plant-keys: skipped rule {rid}: {why}")
    for rid, why in dropped[:20]:
        print(f"plant-keys: dropped a key of {rid}: {why}")


if __name__ == "__main__":
    main()
