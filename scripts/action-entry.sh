#!/usr/bin/env bash
# Entry point of the leakproof GitHub Action (action.yml): runs `leakproof scan` with the
# action's inputs, writes the report (SARIF by default, for github/codeql-action/upload-sarif),
# a Markdown job summary listing the findings by class, and the step outputs. Exits with
# leakproof's own code: 0 clean, 1 findings at/above fail-on, 2 error, 3 incomplete scan.
#
# Inputs come the way GitHub passes them, as INPUT_<NAME> environment variables (the
# hyphenated INPUT_FAIL-ON is read with printenv, since bash cannot name it):
#   INPUT_PATH      paths to scan, one per line (default: .)
#   INPUT_FORMAT    report format: sarif (default), json, jsonl, junit or text
#   INPUT_OUTPUT    report file (default: leakproof.sarif, or leakproof.<format>)
#   INPUT_FAIL-ON   --fail-on level (default: leakproof's, secret)
#   INPUT_BASELINE  baseline file (--baseline), optional
#   INPUT_ARGS      more `leakproof scan` flags, split on whitespace
# LEAKPROOF_BIN overrides the binary (tests run the entry script against the build tree).
set -uo pipefail

input() { printenv "INPUT_$1" || true; }
bin=${LEAKPROOF_BIN:-leakproof}
format=$(input FORMAT)
format=${format:-sarif}
output=$(input OUTPUT)
output=${output:-leakproof.$format}
fail_on=$(input FAIL-ON)
baseline=$(input BASELINE)
read -r -a extra <<<"$(input ARGS)"

paths=()
while IFS= read -r p; do
  [ -n "$p" ] && paths+=("$p")
done <<<"$(input PATH)"
[ "${#paths[@]}" -gt 0 ] || paths=(.)

cmd=("$bin" scan --no-progress --format "$format" --output "$output")
[ -n "$fail_on" ] && cmd+=(--fail-on "$fail_on")
[ -n "$baseline" ] && cmd+=(--baseline "$baseline")
cmd+=("${extra[@]}" -- "${paths[@]}")

echo "leakproof-action: ${cmd[*]}" >&2
rc=0
"${cmd[@]}" || rc=$?

case $rc in
  0) verdict="clean: no findings at or above --fail-on" ;;
  1) verdict="**failed**: findings at or above --fail-on" ;;
  2) verdict="**error**: leakproof could not run (see the step log)" ;;
  3) verdict="**incomplete**: some input could not be fully scanned (see the step log)" ;;
  *) verdict="**unexpected exit code $rc**" ;;
esac

# One row per finding {class, rule, where, message} from the report, or nothing when the
# format is not one jq can read (or the run wrote no report).
rows() {
  [ -s "$output" ] || return 0
  case $format in
    sarif)
      jq -r '.runs[].results[]? | [
          (.properties.class // "unknown"), .ruleId,
          ((.locations[0].logicalLocations[0].fullyQualifiedName
            // .locations[0].physicalLocation.artifactLocation.uri // "<stdin>")
           + (if .locations[0].physicalLocation.region.startLine
              then ":" + (.locations[0].physicalLocation.region.startLine | tostring) else "" end)),
          .message.text] | @tsv' "$output"
      ;;
    json)
      jq -r '.findings[] | [.class, .rule_id,
          (.location.path + (if .location.line > 0 then ":" + (.location.line | tostring)
                             else "" end)), .rule_name] | @tsv' "$output"
      ;;
  esac
}

max_rows=${LEAKPROOF_SUMMARY_ROWS:-200}  # per class

# Table cells: no newlines, no pipes, no backticks (they would end a code span).
cell() { printf '%s' "$1" | tr '\n`' " '" | sed 's/|/\\|/g'; }

summary() {
  echo "## leakproof"
  echo
  echo "Result: $verdict (exit $rc)."
  echo
  if [ "$format" != sarif ] && [ "$format" != json ]; then
    echo "Findings are in \`$output\` ($format); use format sarif or json for a table here."
    return
  fi
  local all
  all=$(rows) || { echo "Could not read the report \`$output\`."; return; }
  if [ -z "$all" ]; then
    echo "No findings."
    return
  fi
  for class in secret conditional publishable unknown; do
    local these
    these=$(awk -F'\t' -v c="$class" '$1 == c' <<<"$all")
    [ -n "$these" ] || continue
    local count
    count=$(wc -l <<<"$these")
    echo "### $class ($count)"
    echo
    echo "| Rule | Where | Finding |"
    echo "| --- | --- | --- |"
    while IFS=$'\t' read -r _ rule where message; do
      echo "| $(cell "$rule") | \`$(cell "$where")\` | $(cell "$message") |"
    done < <(head -n "$max_rows" <<<"$these")
    # GitHub drops a step summary over 1 MiB: long lists end with a pointer to the report.
    [ "$count" -le "$max_rows" ] || echo "| … | $((count - max_rows)) more | see \`$output\` |"
    echo
  done
}

if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  summary >>"$GITHUB_STEP_SUMMARY"
else
  summary >&2
fi
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  {
    echo "report=$output"
    echo "exit-code=$rc"
    echo "findings=$(rows | wc -l)"
  } >>"$GITHUB_OUTPUT"
fi
exit "$rc"
