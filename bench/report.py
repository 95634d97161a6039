#!/usr/bin/env python3
"""Turn one bench/run.sh result directory into the table (markdown on stdout) and
results.json. Called by run.sh; can be re-run on an old directory:

  bench/report.py --out bench/work/results/<stamp> --bytes N --files N
"""
import argparse
import json
import os
import platform
import re
import statistics
import subprocess

TARGET_SMALL = 0.90        # full pack MB/s >= 0.90 x the small rule set (issue 3)
TARGET_RAW = 0.70          # leakproof MB/s >= 0.70 x raw Hyperscan
TARGET_STARTUP_MS = 150.0  # leakproof scan /dev/null


def load_scores(path):
    out = {}
    if os.path.exists(path):
        for line in open(path):
            name, _, js = line.strip().partition(" ")
            try:
                out[name] = json.loads(js) if js else {}
            except ValueError:
                out[name] = {}
    return out


def hyperfine_ms(path):
    try:
        r = json.load(open(path))["results"][0]
        return {"mean_ms": r["mean"] * 1e3, "stddev_ms": (r.get("stddev") or 0) * 1e3,
                "median_ms": r["median"] * 1e3, "min_ms": r["min"] * 1e3, "runs": len(r["times"]),
                "exit_codes": sorted(set(r.get("exit_codes") or []))}
    except (OSError, ValueError, KeyError, IndexError):
        return None


def version(cmd):
    try:
        p = subprocess.run(cmd, capture_output=True, timeout=10)
        return (p.stdout or p.stderr).decode(errors="replace").strip().splitlines()[0]
    except Exception:
        return "?"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--bytes", type=int, required=True)
    ap.add_argument("--files", type=int, required=True)
    ap.add_argument("--threads", default="2")
    ap.add_argument("--leakproof", default="leakproof")
    ap.add_argument("--load-before", default="")
    ap.add_argument("--load-after", default="")
    ap.add_argument("--cold-how", default="")
    a = ap.parse_args()
    out = a.out
    mb = a.bytes / 1e6

    rows = {}
    for line in open(os.path.join(out, "measurements.tsv")).read().splitlines()[1:]:
        tool, rnd, wall, rss, rc = line.split("\t")
        rows.setdefault(tool, []).append((float(wall), int(rss or 0), int(rc)))
    runs_of = rows
    scores = load_scores(os.path.join(out, "scores.txt"))
    summary = {}
    try:
        summary = json.load(open(os.path.join(out, "planted-manifest-summary.json")))
    except (OSError, ValueError):
        pass
    keys_total = summary.get("keys_planted")
    files_total = summary.get("files_written")

    res = {"corpus_bytes": a.bytes, "corpus_files": a.files, "threads": a.threads, "tools": {}}
    for tool, runs in rows.items():
        # 1 = "found something" for rg/leakproof; 3 = leakproof scanned only part (a limit,
        # a corrupt file): still a measured run, its diagnostics say what was lost.
        ok = [r for r in runs if r[2] in (0, 1, 3)]
        timed_out = any(r[2] in (124, 137) for r in runs)
        walls = [r[0] for r in ok]
        t = {"rounds": len(runs), "ok_rounds": len(ok), "timed_out": timed_out,
             "exit_codes": sorted({r[2] for r in runs})}
        if walls:
            w = statistics.median(walls)
            t.update(wall_s=w, mbps=mb / w if w > 0 else None,
                     wall_min_s=min(walls), wall_max_s=max(walls),
                     maxrss_mb=statistics.median([r[1] for r in ok]) / 1024)
        res["tools"][tool] = t

    # hs_raw's own account (compile/cache, scan loop)
    try:
        txt = open(os.path.join(out, "hs_raw-1.txt")).read()
        m = re.search(r"RESULT (.*)", txt)
        if m:
            res["hs_raw_result"] = dict(kv.split("=", 1) for kv in m.group(1).split())
    except OSError:
        pass

    def found_col(tool):
        s = scores.get(tool) or {}
        if s.get("keys_found") is not None:
            extra = ""
            if s.get("unlocated_findings"):
                extra = (f" (≤ {s['keys_found_upper_estimate']} counting {s['unlocated_findings']} "
                         f"findings with an empty path)")
            return f"{s['keys_found']}/{s.get('keys_total', keys_total)} keys{extra}"
        if s.get("files_hit") is not None:
            return f"{s['files_hit']}/{s.get('files_total', files_total)} files"
        return "–"

    small_count = ""
    try:
        small_count = f": {int(open(os.path.join(out, 'small-rules-count.txt')).read())} rules"
    except (OSError, ValueError):
        pass
    names = {
        "cat": "`cat` of every file (I/O floor)",
        "leakproof": f"leakproof scan --format json -j{a.threads}",
        "leakproof_small": f"leakproof, small rule set (bench/small-rules.txt{small_count}), -j{a.threads}",
        "hs_raw": f"raw Hyperscan, one block DB, read(), {a.threads} threads",
        "yara": f"YARA, same regexes, -p {a.threads}",
        "rg": f"ripgrep -f --no-unicode -c, -j{a.threads}",
    }
    lines = []
    lines.append(f"Corpus: {a.files} files, {mb:.1f} MB (bench/corpus: npm/ + planted/); "
                 f"threads {a.threads}; load average before {a.load_before}, after {a.load_after}.")
    if summary:
        lines.append(f"Planted: {summary.get('keys_planted')} keys of {summary.get('secret_rules_planted')} "
                     f"secret rules in {summary.get('files_written')} copied files "
                     f"({summary.get('secret_rules_skipped')} secret rules skipped: no usable example; "
                     f"{summary.get('keys_dropped')} keys dropped).")
    lines.append("")
    lines.append("| tool | MB/s (median) | wall s (min–max) | peak RSS MB | planted found | clean-corpus findings |")
    lines.append("|---|---|---|---|---|---|")
    for tool in ["cat", "leakproof", "leakproof_small", "hs_raw", "yara", "rg"]:
        t = res["tools"].get(tool)
        if not t:
            continue
        if "mbps" not in t:
            if t["timed_out"]:
                w = max(r[0] for r in runs_of[tool])
                rss = max(r[1] for r in runs_of[tool]) / 1024
                lines.append(f"| {names[tool]} | timed out: < {mb / w:.2f} | > {w:.0f} | ≥ {rss:.0f} | – | – |")
            else:
                lines.append(f"| {names[tool]} | failed (exit {t['exit_codes']}) | – | – | – | – |")
            continue
        s = scores.get(tool) or {}
        if tool == "leakproof" and s:
            clean = f"{s.get('clean_secret_findings', '?')} secret-class ({s.get('clean_findings', '?')} all classes)"
            if s.get("unlocated_findings"):
                clean = (f"unknown: {s['unlocated_findings']} of {s.get('findings_total', 0) + s['unlocated_findings']} "
                         f"findings have an empty path ({s.get('clean_secret_findings', '?')} located ones are clean-corpus)")
        elif tool in ("cat", "leakproof_small"):
            clean = "–"
        else:
            clean = f"{s.get('clean_files_hit', '?')} files hit" if s else "–"
        found = "–" if tool in ("cat", "leakproof_small") else found_col(tool)
        lines.append(f"| {names[tool]} | {t['mbps']:.1f} | {t['wall_s']:.2f} ({t['wall_min_s']:.2f}–{t['wall_max_s']:.2f}) "
                     f"| {t['maxrss_mb']:.0f} | {found} | {clean} |")

    def mbps(tool):
        return (res["tools"].get(tool) or {}).get("mbps")

    lines.append("")
    ratios = {}
    lp = mbps("leakproof")
    for other, label, target in [("hs_raw", "leakproof / raw Hyperscan", TARGET_RAW),
                                 ("yara", "leakproof / YARA", None),
                                 ("rg", "leakproof / ripgrep", None),
                                 ("cat", "leakproof / cat", None)]:
        o = mbps(other)
        if lp and o:
            ratios[label] = lp / o
            verdict = ""
            if target is not None:
                verdict = f" (target ≥ {target:.2f}: {'met' if lp / o >= target else 'NOT met'})"
            lines.append(f"- {label}: **{lp / o:.2f}×**{verdict}")
    small = mbps("leakproof_small")
    if lp and small:
        ratios["full pack / small rule set"] = lp / small
        ok = "met" if lp / small >= TARGET_SMALL else "NOT met"
        lines.append(f"- leakproof full pack / small rule set: **{lp / small:.2f}×** "
                     f"(target ≥ {TARGET_SMALL:.2f}, i.e. within 10%: {ok})")
    res["ratios"] = ratios

    warm = hyperfine_ms(os.path.join(out, "startup-warm.json"))
    cold = hyperfine_ms(os.path.join(out, "startup-cold.json"))
    res["startup"] = {"warm": warm, "cold": cold, "cold_how": a.cold_how}
    for label, h in [("warm database cache", warm), (f"cold database cache ({a.cold_how})", cold)]:
        if h:
            ok = "met" if h["mean_ms"] < TARGET_STARTUP_MS else "NOT met"
            lines.append(f"- start-up `leakproof scan /dev/null`, {label}: **{h['mean_ms']:.1f} ms** "
                         f"± {h['stddev_ms']:.1f} (median {h['median_ms']:.1f}, {h['runs']} runs, exit {h['exit_codes']}; "
                         f"target < {TARGET_STARTUP_MS:.0f} ms: {ok})")

    s = scores.get("leakproof") or {}
    if s.get("missed_by_rule"):
        missed = s["missed_by_rule"]
        top = dict(list(missed.items())[:15])
        lines.append(f"- planted keys leakproof missed: {sum(missed.values())} keys of {len(missed)} rules; "
                     f"top: {json.dumps(top)}{' …(all in results.json)' if len(missed) > 15 else ''}")
    if s.get("clean_findings_by_rule"):
        lines.append(f"- secret-class findings in the clean corpus, by rule: {json.dumps(s['clean_findings_by_rule'])}")
    if res.get("hs_raw_result"):
        r = res["hs_raw_result"]
        lines.append(f"- raw Hyperscan: {r.get('exact')} exact / {r.get('prefilter')} prefilter / "
                     f"{r.get('excluded')} excluded patterns; database {'from cache' if r.get('db_cached') == '1' else 'compiled'} "
                     f"in {float(r.get('compile_s', 0)):.3f} s; scan loop alone {r.get('scan_mbps')} MB/s")
    try:
        for line in open(os.path.join(out, "rules.log")):
            if line.startswith("rules.py:") and ("takes" in line or "rules from" in line):
                lines.append("- " + line.strip()[len("rules.py: "):])
    except OSError:
        pass

    res["versions"] = {
        "leakproof": a.leakproof,
        "ripgrep": version(["rg", "--version"]),
        "yara": version(["yara", "--version"]),
        "hyperfine": version(["hyperfine", "--version"]),
        "kernel": platform.release(),
        "cpus": os.cpu_count(),
    }
    res["scores"] = scores
    lines.append(f"- versions: {res['versions']['ripgrep']}; yara {res['versions']['yara']}; "
                 f"{res['versions']['hyperfine']}; {os.cpu_count()} CPUs")
    with open(os.path.join(out, "results.json"), "w") as f:
        json.dump(res, f, indent=1)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
