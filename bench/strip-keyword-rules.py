#!/usr/bin/env python3
"""Write a copy of the built-in rule pack without its keyword-anchored rules.

A keyword-anchored rule is one whose regex starts with a case-insensitive keyword group,
`(?i:stripe[_-]?secret...)` followed by an assignment and the value. Those rules have no
distinctive key prefix, so Hyperscan anchors each on a word literal; bench/pack-cost.sh
scans with this copy to measure what they cost (and what a free keyword pre-gate could win
at most).

    bench/strip-keyword-rules.py RULES_DIR OUT_DIR    # prints kept and dropped counts

Provider files left without rules are not written (the loader rejects a file with no
[[rules]]).
"""
import pathlib
import re
import sys
import tomllib

RULE_HEADER = re.compile(r"(?m)^(?=\[\[rules\]\])")


def is_keyword_anchored(regex: str) -> bool:
    return regex.startswith("(?i:")


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    src, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.toml"):
        old.unlink()
    kept = dropped = 0
    for path in sorted(src.glob("*.toml")):
        text = path.read_text()
        # Every [[rules]] table is a textual block up to the next one; parse each block
        # with the provider header so the regex is read exactly as TOML defines it.
        head, *blocks = RULE_HEADER.split(text)
        keep = []
        for block in blocks:
            rule = tomllib.loads(block)["rules"][0]
            if is_keyword_anchored(rule["regex"]):
                dropped += 1
            else:
                keep.append(block)
        kept += len(keep)
        if keep:
            (out / path.name).write_text(head + "".join(keep))
    print(f"kept {kept} rules, dropped {dropped} keyword-anchored rules")
    return 0


if __name__ == "__main__":
    sys.exit(main())
