#!/usr/bin/env python3
"""Score one tool's output against the planted-key manifest.

  score.py --manifest M --rules rules.json --tool leakproof|hs_raw|rg|yara OUTPUT [--patterns-ids F]

Prints one JSON object:
  keys_found, keys_total      key level: same file, same rule (and, where the tool reports
                              offsets, an offset within a few bytes of the planted key)
                              null where the tool cannot say which rule hit (rg)
  files_hit, files_total      planted files the tool reported anything in
  clean_files_hit             files outside planted/ the tool reported anything in
  clean_secret_findings       (leakproof) secret-class findings outside planted/
  clean_findings_by_rule      (leakproof) {rule: count} for those
  other_rule_hits             (leakproof) planted keys found only under another rule id
"""
import argparse
import json
import os
import re
import sys
from collections import Counter, defaultdict

PLANTED = re.compile(r"(?:^|/)planted/([^/!]+)")


def planted_name(path):
    m = PLANTED.search(path or "")
    return m.group(1) if m else None


def _dig(d, *paths):
    for p in paths:
        cur = d
        for k in p.split("."):
            if isinstance(cur, dict) and k in cur:
                cur = cur[k]
            else:
                cur = None
                break
        if cur is not None:
            return cur
    return None


def leakproof_findings(path):
    """Tolerant reader of `leakproof scan --format json` (or jsonl) output."""
    with open(path, "rb") as f:
        text = f.read().decode("utf-8", errors="replace").strip()
    items = []
    if not text:
        return items
    try:
        doc = json.loads(text)
        docs = [doc]
    except ValueError:
        docs = [json.loads(line) for line in text.splitlines() if line.strip().startswith("{")]
    for doc in docs:
        if isinstance(doc, dict):
            found = doc.get("findings")
            if found is None and ("rule" in doc or "rule_id" in doc):
                found = [doc]
            items.extend(found or [])
        elif isinstance(doc, list):
            items.extend(doc)
    out = []
    for it in items:
        rule = _dig(it, "rule_id", "ruleId", "rule.id", "rule")
        if isinstance(rule, dict):
            rule = rule.get("id")
        loc = it.get("location")
        p = _dig(it, "location.path", "path", "file", "location.file")
        if p is None and isinstance(loc, str):
            p = loc
        if isinstance(p, list):
            p = "!".join(p)
        off = _dig(it, "location.offset", "offset", "byte_offset", "location.byte_offset")
        cls = _dig(it, "class", "rule.class", "rule_class")
        out.append({"rule": rule, "path": str(p or ""), "offset": off, "class": cls,
                    "secret": it.get("secret")})
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--manifest", required=True)
    ap.add_argument("--rules", required=True, help="rules.json written by rules.py")
    ap.add_argument("--tool", required=True, choices=["leakproof", "hs_raw", "rg", "yara"])
    ap.add_argument("--patterns-ids", help="patterns-ids.txt (hs_raw ids are its line numbers)")
    ap.add_argument("--yara-ids", help="file with the rule id of each YARA rule index")
    ap.add_argument("output")
    a = ap.parse_args()

    manifest = [json.loads(l) for l in open(a.manifest) if l.strip()]
    rules = json.load(open(a.rules))["rules"]
    rule_class = {r["id"]: r["class"] for r in rules}
    by_file = defaultdict(list)
    for e in manifest:
        by_file[os.path.basename(e["file"])].append(e)
    res = {"keys_total": len(manifest), "files_total": len(by_file)}

    hits = []  # (planted name or None, path, rule or None, offset or None, class)
    unlocated = Counter()  # leakproof findings with an empty path: cannot be attributed
    if a.tool == "leakproof":
        for f in leakproof_findings(a.output):
            if not f["path"]:
                unlocated[f["rule"]] += 1
                continue
            # The first "planted/" in the provenance chain: the file in a directory scan,
            # the member in an archive scan (big.apk!assets/planted/0001_x.js).
            hits.append((planted_name(f["path"]), f["path"], f["rule"], f["offset"],
                         f["class"] or rule_class.get(f["rule"])))
    elif a.tool == "hs_raw":
        ids = [l.split("\t")[0] for l in open(a.patterns_ids).read().splitlines()]
        for line in open(a.output, errors="replace"):
            p, rid, end = line.rstrip("\n").rsplit("\t", 2)
            rule = ids[int(rid)]
            hits.append((planted_name(p), p, rule, ("end", int(end)), rule_class.get(rule)))
    elif a.tool == "rg":
        for line in open(a.output, errors="replace"):
            line = line.rstrip("\n")
            if not line:
                continue
            p = line.rsplit(":", 1)[0]
            hits.append((planted_name(p), p, None, None, None))
    elif a.tool == "yara":
        for line in open(a.output, errors="replace"):
            parts = line.rstrip("\n").split(" ", 1)
            if len(parts) != 2 or not parts[0].startswith("r"):
                continue
            m = re.match(r"r(\d+)_", parts[0])
            rule = rules[int(m.group(1))]["id"] if m else None
            hits.append((planted_name(parts[1]), parts[1], rule, None, rule_class.get(rule)))

    planted_hit_files = {h[0] for h in hits if h[0]}
    res["files_hit"] = len(planted_hit_files & set(by_file))
    res["clean_files_hit"] = len({h[1].split("!", 1)[0] for h in hits if not h[0]})

    if a.tool == "rg":
        res["keys_found"] = None
    else:
        found, other_rule = 0, 0
        used = set()
        per_file_hits = defaultdict(list)
        for i, h in enumerate(hits):
            if h[0]:
                per_file_hits[h[0]].append(i)

        def close(entry, off):
            if off is None:
                return True
            if isinstance(off, tuple):  # Hyperscan end offset of the whole match
                return entry["offset"] <= off[1] <= entry["offset"] + entry["length"] + 256
            try:
                off = int(off)
            except (TypeError, ValueError):
                return True
            return abs(off - entry["offset"]) <= max(64, len(entry["match"]))

        for name, entries in by_file.items():
            for e in entries:
                ok = False
                for i in per_file_hits.get(name, []):
                    if i not in used and hits[i][2] == e["rule"] and close(e, hits[i][3]):
                        used.add(i)
                        ok = True
                        break
                if ok:
                    found += 1
                elif any(hits[i][2] != e["rule"] and close(e, hits[i][3]) and hits[i][3] is not None
                         for i in per_file_hits.get(name, [])):
                    other_rule += 1
        res["keys_found"] = found
        res["other_rule_hits"] = other_rule
        if unlocated:
            # Upper estimate: an unlocated finding of rule R may be a planted key of R that
            # was not matched by location.
            left = Counter()
            for name, entries in by_file.items():
                for e in entries:
                    left[e["rule"]] += 1
            matched = Counter(hits[i][2] for i in used)
            est = sum(min(unlocated[r], left[r] - matched[r]) for r in unlocated if r in left)
            res["unlocated_findings"] = sum(unlocated.values())
            res["keys_found_upper_estimate"] = found + est
        missed = []
        if a.tool == "leakproof":
            # Which planted keys were missed, by rule (helps the rule authors).
            for name, entries in by_file.items():
                for e in entries:
                    if not any(hits[i][2] == e["rule"] and close(e, hits[i][3])
                               for i in per_file_hits.get(name, [])):
                        missed.append(e["rule"])
            res["missed_by_rule"] = dict(Counter(missed).most_common())

    if a.tool == "leakproof":
        clean = [h for h in hits if not h[0]]
        secret = [h for h in clean if h[4] == "secret"]
        res["clean_findings"] = len(clean)
        res["clean_secret_findings"] = len(secret)
        res["clean_findings_by_rule"] = dict(Counter(h[2] for h in secret).most_common())
        res["clean_findings_by_class"] = dict(Counter(h[4] for h in clean).most_common())
        res["findings_total"] = len(hits)
    json.dump(res, sys.stdout)
    print()


if __name__ == "__main__":
    main()
