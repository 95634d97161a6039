#!/usr/bin/env python3
"""Load leakproof's rules and export them for the benchmark tools.

Source of truth: `leakproof rules list --format json`. If that command is not available
(yet), falls back to parsing rules/builtin/*.toml directly (same schema), and says so.

  bench/rules.py --leakproof BIN --out bench/work
writes
  rules.json         normalized list: id, class, regex, secret_group, examples
  patterns.txt       one regex per line, every rule (Hyperscan harness: line number = id)
  patterns-ids.txt   the rule id of each line of patterns.txt
  rg-patterns.txt    the regexes ripgrep accepts (each tried on its own), and
  rg-skipped.txt     the ones it rejects, with the reason
  rules.yar          one YARA rule per regex YARA accepts, and yara-skipped.txt

The JSON emitted by `rules list` is read tolerantly: a list of rule objects, or an object
holding one under "rules"; field names id/regex/class/examples/secret_group (with a few
aliases) so the scripts survive small schema changes.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def _get(d, *names, default=None):
    for n in names:
        if n in d and d[n] is not None:
            return d[n]
    return default


def normalize(raw):
    if isinstance(raw, dict):
        raw = _get(raw, "rules", "items", default=[])
    out = []
    for r in raw:
        regex = _get(r, "regex", "pattern", "expression")
        if not regex:
            continue
        out.append({
            "id": _get(r, "id", "rule_id", "name"),
            "class": _get(r, "class", "rule_class", "klass", default="secret"),
            "regex": regex,
            "secret_group": _get(r, "secret_group", "secretGroup", "group"),
            "examples": list(_get(r, "examples", default=[]) or []),
        })
    return out


def load_via_cli(leakproof):
    try:
        extra = os.environ.get("LP_RULE_ARGS", "").split()
        p = subprocess.run([leakproof, "rules", "list", "--format", "json", *extra],
                           capture_output=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as e:
        return None, f"could not run {leakproof}: {e}"
    if p.returncode != 0:
        return None, f"`{leakproof} rules list --format json` exited {p.returncode}: " \
                     f"{p.stderr.decode(errors='replace').strip()[:300]}"
    try:
        return normalize(json.loads(p.stdout)), None
    except ValueError as e:
        return None, f"`rules list --format json` printed invalid JSON: {e}"


def load_via_toml(rules_dir):
    import tomllib
    rules = []
    for name in sorted(os.listdir(rules_dir)):
        if not name.endswith(".toml"):
            continue
        with open(os.path.join(rules_dir, name), "rb") as f:
            doc = tomllib.load(f)
        rules.extend(normalize(doc.get("rules", [])))
    return rules


def load_rules(leakproof=None, rules_dir=None, allow_fallback=True):
    """Returns (rules, source description)."""
    err = "no leakproof binary given"
    if leakproof:
        rules, err = load_via_cli(leakproof)
        if rules:
            return rules, f"{leakproof} rules list --format json"
        if rules is not None:
            err = "`rules list` returned no rules"
    rules_dir = rules_dir or os.path.join(REPO, "rules", "builtin")
    if allow_fallback and os.path.isdir(rules_dir) and any(
            n.endswith(".toml") for n in os.listdir(rules_dir)):
        print(f"rules.py: WARNING: {err}; falling back to parsing {rules_dir}/*.toml",
              file=sys.stderr)
        return load_via_toml(rules_dir), f"{rules_dir}/*.toml (fallback)"
    sys.exit(f"rules.py: cannot load rules: {err}")


# ---------------------------------------------------------------- Python `re` helpers
def to_python_re(regex):
    """Best-effort translation of the RE2/Hyperscan subset to Python `re`."""
    rx = regex.replace(r"\z", r"\Z")
    # Python 3.11 rejects global flags not at the start: turn a mid-pattern (?i) into a
    # scoped group over the rest of the pattern.
    m = re.search(r"(?<!^)\(\?([imsx]+)\)", rx)
    if m and m.start() > 0:
        rx = rx[:m.start()] + f"(?{m.group(1)}:" + rx[m.end():] + ")"
    return re.compile(rx.encode("latin-1", errors="strict"))


def secret_group_of(rule, compiled):
    g = rule.get("secret_group")
    if g is None or int(g) < 0:  # `rules list` prints -1 for "the default"
        g = 1 if compiled.groups >= 1 else 0
    return int(g)


# ---------------------------------------------------------------- ripgrep
RG_NEEDLESS_ESCAPES = re.compile(r"\\([/@:'\"<>=!#%&,;~`_ ])")


def to_rg(regex):
    """ripgrep 13's regex crate rejects escapes of characters that are not metacharacters
    (\' \/ \@ ...): drop the backslash, same meaning."""
    out, i = [], 0
    while i < len(regex):
        if regex[i] == "\\" and i + 1 < len(regex):
            m = RG_NEEDLESS_ESCAPES.match(regex, i)
            out.append(m.group(1) if m else regex[i:i + 2])
            i += 2
        else:
            out.append(regex[i])
            i += 1
    return "".join(out)


def rg_filter(rules, rg="rg"):
    ok, skipped = [], []
    for r in rules:
        r = dict(r, regex=to_rg(r["regex"]))
        rx = r["regex"]
        if "\n" in rx:
            skipped.append((r["id"], "newline in regex"))
            continue
        try:
            p = subprocess.run([rg, "--no-unicode", "-q", "-e", rx, "--", "/dev/null"],
                               capture_output=True, timeout=30)
        except subprocess.TimeoutExpired:
            skipped.append((r["id"], "rg timed out compiling"))
            continue
        if p.returncode == 2:  # 1 = no match (fine), 2 = error
            skipped.append((r["id"], p.stderr.decode(errors="replace").strip().splitlines()[-1:]))
        else:
            ok.append(r)
    return ok, skipped


# ---------------------------------------------------------------- YARA
def _uncase(s):
    """Rewrite a regex fragment so it matches case-insensitively without flags: letters
    become [aA], letter ranges in classes gain the other case. Escapes stay as they are."""
    out, i, n = [], 0, len(s)
    while i < n:
        c = s[i]
        if c == "\\":
            j = i + 4 if s[i + 1:i + 2] == "x" else i + 2
            out.append(s[i:j])
            i = j
        elif c == "[":
            j = i + 1
            if s[j:j + 1] == "^":
                j += 1
            if s[j:j + 1] == "]":
                j += 1
            while j < n and s[j] != "]":
                j += 2 if s[j] == "\\" else 1
            body = s[i + 1:j]
            extra = []
            for m in re.finditer(r"\\x[0-9a-fA-F]{2}|\\.|(.)-(.)|(.)", body):
                if m.group(1) and m.group(1).isalpha() and m.group(2).isalpha():
                    a, b = m.group(1), m.group(2)
                    extra.append((a.swapcase() + "-" + b.swapcase()))
                elif m.group(3) and m.group(3).isalpha():
                    extra.append(m.group(3).swapcase())
            if body.startswith("^") and extra:
                raise ValueError("case-insensitive negated class")
            out.append("[" + body + "".join(extra) + "]")
            i = j + 1
        elif c.isalpha():
            out.append("[" + c.lower() + c.upper() + "]")
            i += 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _expand_scoped_nocase(rx):
    """(?i:...) groups -> plain (...) groups with the letters uncased."""
    while True:
        k = rx.find("(?i:")
        if k < 0:
            return rx
        depth, j = 0, k
        while j < len(rx):
            if rx[j] == "\\":
                j += 2
                continue
            if rx[j] == "[":
                j += 1
                while j < len(rx) and rx[j] != "]":
                    j += 2 if rx[j] == "\\" else 1
            elif rx[j] == "(":
                depth += 1
            elif rx[j] == ")":
                depth -= 1
                if depth == 0:
                    break
            j += 1
        if j >= len(rx):
            raise ValueError("unbalanced (?i: group")
        rx = rx[:k] + "(" + _uncase(rx[k + 4:j]) + ")" + rx[j + 1:]


YARA_NOCASE_WHOLE = os.environ.get("BENCH_YARA_EXACT_CASE", "") == ""


def to_yara(regex):
    """Translate to a YARA regex string literal + modifiers, or raise ValueError."""
    rx = regex
    mods = []
    if rx.startswith("(?i)"):
        rx = rx[4:]
        mods.append("nocase")
    if YARA_NOCASE_WHOLE and "(?i:" in rx and "nocase" not in mods:
        # Letters spelled [aA] leave YARA no atoms (it warns "may slow down scanning" and
        # crawls). Make the whole regex case-insensitive instead: a superset of the rule's
        # matches, with the keyword as an atom. Counted as "nocase superset".
        rx = rx.replace("(?i:", "(?:")
        mods.append("nocase")
    rx = _expand_scoped_nocase(rx)
    if re.search(r"\(\?[a-zA-Z-]*[:)]", rx.replace("(?:", "(")):
        raise ValueError("inline flag group not at the start")
    rx = rx.replace("(?:", "(")
    if "(?" in rx:
        raise ValueError("look-around / named group")
    rx = rx.replace("/", r"\/")
    if "\n" in rx:
        raise ValueError("newline in regex")
    return "/" + rx + "/", mods


def yara_rules(rules, yarac="yarac"):
    """Returns (text of a .yar file, kept rules, skipped [(id, reason)]). Each candidate is
    compiled alone first so one bad regex does not sink the file."""
    kept, skipped, blocks = [], [], []
    tmp = tempfile.mkdtemp(prefix="lp-yara-")
    try:
        for i, r in enumerate(rules):
            try:
                lit, mods = to_yara(r["regex"])
            except ValueError as e:
                skipped.append((r["id"], str(e)))
                continue
            name = "r%d_%s" % (i, re.sub(r"[^A-Za-z0-9_]", "_", r["id"] or "rule"))
            block = "rule %s {\n  strings:\n    $a = %s %s\n  condition:\n    $a\n}\n" % (
                name, lit, " ".join(mods))
            src, out = os.path.join(tmp, "one.yar"), os.path.join(tmp, "one.yarc")
            with open(src, "w") as f:
                f.write(block)
            p = subprocess.run([yarac, src, out], capture_output=True, timeout=60)
            if p.returncode != 0:
                msg = (p.stderr or p.stdout).decode(errors="replace").strip().splitlines()
                skipped.append((r["id"], msg[-1] if msg else "yarac failed"))
                continue
            kept.append(r)
            blocks.append(block)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return "".join(blocks), kept, skipped


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--leakproof", help="path to the leakproof binary")
    ap.add_argument("--rules-dir", help="fallback TOML directory (default rules/builtin)")
    ap.add_argument("--no-fallback", action="store_true", help="fail if `rules list` does not work")
    ap.add_argument("--out", required=True, help="output directory")
    ap.add_argument("--rg", action="store_true", help="also write rg-patterns.txt")
    ap.add_argument("--yara", action="store_true", help="also write rules.yar")
    a = ap.parse_args()

    rules, source = load_rules(a.leakproof, a.rules_dir, not a.no_fallback)
    os.makedirs(a.out, exist_ok=True)
    bad = [r["id"] for r in rules if "\n" in r["regex"]]
    if bad:
        sys.exit(f"rules.py: regexes with a newline cannot go in a pattern file: {bad}")
    with open(os.path.join(a.out, "rules.json"), "w") as f:
        json.dump({"source": source, "rules": rules}, f, indent=1)
    with open(os.path.join(a.out, "patterns.txt"), "w") as f:
        f.writelines(r["regex"] + "\n" for r in rules)
    with open(os.path.join(a.out, "patterns-ids.txt"), "w") as f:
        f.writelines(f"{r['id']}\t{r['class']}\n" for r in rules)
    classes = {}
    for r in rules:
        classes[r["class"]] = classes.get(r["class"], 0) + 1
    print(f"rules.py: {len(rules)} rules from {source} ({', '.join(f'{v} {k}' for k, v in sorted(classes.items()))})")

    if a.rg:
        ok, skipped = rg_filter(rules)
        with open(os.path.join(a.out, "rg-patterns.txt"), "w") as f:
            f.writelines(r["regex"] + "\n" for r in ok)
        with open(os.path.join(a.out, "rg-skipped.txt"), "w") as f:
            f.writelines(f"{i}\t{why}\n" for i, why in skipped)
        print(f"rules.py: ripgrep takes {len(ok)}/{len(rules)} regexes ({len(skipped)} skipped)")
    if a.yara:
        text, kept, skipped = yara_rules(rules)
        with open(os.path.join(a.out, "rules.yar"), "w") as f:
            f.write(text)
        with open(os.path.join(a.out, "yara-skipped.txt"), "w") as f:
            f.writelines(f"{i}\t{why}\n" for i, why in skipped)
        widened = sum(1 for r in kept if "(?i:" in r["regex"] and not r["regex"].startswith("(?i)")) \
            if YARA_NOCASE_WHOLE else 0
        print(f"rules.py: YARA takes {len(kept)}/{len(rules)} regexes ({len(skipped)} skipped; "
              f"{widened} with a case-insensitive part made wholly nocase, a superset)")


if __name__ == "__main__":
    main()
