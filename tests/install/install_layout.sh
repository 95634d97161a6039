#!/usr/bin/env bash
# `cmake --install` and `cpack -G DEB` from a build tree give a working leakproof: the
# binary runs and scans, the man page (from the CLI's own help) renders, the bash/zsh/fish
# completions are in their Debian places and complete (bash, zsh, fish, each driven as its
# shell does) the subcommands and options the CLI reports; the .deb holds those files and
# Depends on the Debian package of every shared library the binary links.
# Usage: install_layout.sh BUILD_DIR [CACHE_DIR]
set -euo pipefail
build=$(cd "${1:?usage: install_layout.sh BUILD_DIR [CACHE_DIR]}" && pwd)
export XDG_CACHE_HOME=${2:-${XDG_CACHE_HOME:-$HOME/.cache}}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "install_layout: $*" >&2; exit 1; }

prefix="$work/prefix"
cmake --install "$build" --prefix "$prefix" >/dev/null
bin="$prefix/bin/leakproof"
[ -x "$bin" ] || fail "no executable $bin"
grep -q '^leakproof [0-9]' <<<"$("$bin" --version)" || fail "--version of the installed binary"

# The installed binary scans: a fake GitHub token (built from pieces) is a finding (exit 1).
printf 'const t = "%s";\n' "ghp_$(printf 'R8mK2xQ9vLp4TzW7nYb3')HcJ6dF1sA5gE0uNi" >"$work/a.js"
rc=0
"$bin" scan -q --format json -o "$work/r.json" "$work/a.js" || rc=$?
[ "$rc" = 1 ] || fail "installed scan exit $rc, expected 1"
grep -q '"github.personal-access-token"' "$work/r.json" || fail "installed scan missed the token"

# Man page: generated from --help (one section per subcommand), renders without warnings.
man1="$prefix/share/man/man1/leakproof.1.gz"
[ -f "$man1" ] || fail "no man page $man1"
man_src=$(zcat "$man1")  # grep reads variables: an early `grep -q` exit is no pipefail
grep -q '^\.TH LEAKPROOF "1"' <<<"$man_src" || fail "man page has no .TH header"
commands=$("$bin" --help | sed -n '/^Subcommands:/,$p' | awk 'NR > 1 && /^  [a-z]/ {print $1}')
[ -n "$commands" ] || fail "could not read the subcommands from --help"
for c in $commands; do
  [ "$c" = help ] && continue
  grep -q "^\\.SS \"leakproof $c\"" <<<"$man_src" || fail "man page has no section for $c"
done
grep -q 'fail\\-on' <<<"$man_src" || fail "man page lacks the scan options"
warnings=$(MANWIDTH=80 man -l "$man1" 2>&1 >/dev/null) || fail "man -l failed"
[ -z "$warnings" ] || fail "man -l warnings: $warnings"

# Completions in the places bash-completion, zsh and fish look on Debian.
bash_c="$prefix/share/bash-completion/completions/leakproof"
zsh_c="$prefix/share/zsh/vendor-completions/_leakproof"
fish_c="$prefix/share/fish/vendor_completions.d/leakproof.fish"
for f in "$bash_c" "$zsh_c" "$fish_c"; do [ -s "$f" ] || fail "missing completion $f"; done
grep -q '^#compdef leakproof' <<<"$(head -1 "$zsh_c")" || fail "zsh completion lacks #compdef"

# Bash: drive the completion function as bash does (COMP_WORDS/COMP_CWORD), in an empty
# directory (words are completed with file names too) unless DIR is given.
complete_in() {
  local dir=$1
  shift
  (cd "$dir" && bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
    _leakproof; printf "%s\n" "${COMPREPLY[@]}"' _ "$bash_c" "$@")
}
mkdir "$work/empty"
complete_words() { complete_in "$work/empty" "$@"; }
top=$(complete_words leakproof '')
for c in $commands; do
  grep -qx "$c" <<<"$top" || fail "bash: 'leakproof <TAB>' lacks $c"
done
[ "$(complete_words leakproof sc)" = scan ] || fail "bash: 'leakproof sc<TAB>' is not scan"
# Every long option `leakproof scan --help` lists is offered after 'leakproof scan --'.
scan_opts=$(complete_words leakproof scan --)
for o in $("$bin" scan --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
  grep -qx -- "$o" <<<"$scan_opts" || fail "bash: 'leakproof scan --<TAB>' lacks $o"
done
grep -qx -- '--fail-on' <<<"$(complete_words leakproof scan --fa)" || fail "bash: --fa<TAB>"
grep -qx list <<<"$(complete_words leakproof rules '')" || fail "bash: 'rules <TAB>' lacks list"
# After an option that takes a value: file names (here, the directory holds a.js).
grep -qx a.js <<<"$(complete_in "$work" leakproof scan --baseline a)" ||
  fail "bash: '--baseline a<TAB>' does not complete files"

# zsh: the script parses, and with _describe/_files stubbed to print what they are given,
# it offers the right candidates for the words typed.
zsh -n "$zsh_c" || fail "zsh completion does not parse"
zsh_complete() {
  local current=$1
  shift
  (cd "$work/empty" && zsh -c '_describe() { local arr=${@[-1]}; print -l -- ${(P)arr}; }
    _files() { print -- "<files>"; }
    c=$1; f=$2; shift 2; words=("$@"); CURRENT=$c; source "$f"' _ "$current" "$zsh_c" "$@")
}
grep -qx -- '--fail-on:.*' <<<"$(zsh_complete 3 leakproof scan --fa)" || fail "zsh: scan --fa<TAB>"
grep -qx 'list:.*' <<<"$(zsh_complete 3 leakproof rules '')" || fail "zsh: 'rules <TAB>' lacks list"
[ "$(zsh_complete 4 leakproof scan --baseline '')" = "<files>" ] ||
  fail "zsh: '--baseline <TAB>' does not complete files"
for c in $commands; do
  grep -qx "$c:.*" <<<"$(zsh_complete 2 leakproof '')" || fail "zsh: 'leakproof <TAB>' lacks $c"
done

# fish: the script parses and fish's own completer (complete -C) uses it.
fish -n "$fish_c" || fail "fish completion does not parse"
fish_complete() { (cd "$work/empty" && fish -c "source '$fish_c'; complete -C '$1'" | cut -f1); }
for c in $commands; do
  grep -qx "$c" <<<"$(fish_complete 'leakproof ')" || fail "fish: 'leakproof <TAB>' lacks $c"
done
grep -qx -- '--fail-on' <<<"$(fish_complete 'leakproof scan --fa')" || fail "fish: --fa<TAB>"
grep -qx list <<<"$(fish_complete 'leakproof rules ')" || fail "fish: 'rules <TAB>' lacks list"

# .deb: the same files, and Depends naming the package of every library the binary links.
(cd "$build" && cpack -G DEB -B "$work/deb" >"$work/cpack.log" 2>&1) ||
  { cat "$work/cpack.log" >&2; fail "cpack -G DEB failed"; }
deb=$(ls "$work"/deb/leakproof_*.deb)
listing=$(dpkg-deb -c "$deb")
for f in ./usr/bin/leakproof ./usr/share/man/man1/leakproof.1.gz \
  ./usr/share/bash-completion/completions/leakproof \
  ./usr/share/zsh/vendor-completions/_leakproof \
  ./usr/share/fish/vendor_completions.d/leakproof.fish; do
  grep -q " $f\$" <<<"$listing" || fail ".deb lacks $f"
done
depends=$(dpkg-deb -f "$deb" Depends)
[ -n "$depends" ] || fail ".deb has no Depends"
# "libc6 (>= 2.34), libstdc++6 (>= 12) | x" -> one package name per line
depends_names=$(sed -e 's/ *([^)]*)//g' -e 's/ *[,|] */\n/g' <<<"$depends")
# The libraries the binary links directly (its DT_NEEDED entries), resolved by ldd;
# transitive ones are their own packages' Depends.
for soname in $(readelf -d "$bin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
  lib=$(ldd "$bin" | awk -v so="$soname" '$1 == so && $2 == "=>" {print $3}')
  [ -n "$lib" ] || fail "ldd does not resolve $soname"
  pkg=$(dpkg -S "$lib" 2>/dev/null || dpkg -S "$(readlink -f "$lib")" 2>/dev/null ||
    dpkg -S "${lib#/usr}" 2>/dev/null) || fail "no Debian package owns $lib"
  pkg=${pkg%%:*}
  grep -qxF "$pkg" <<<"$depends_names" || fail ".deb Depends lacks $pkg (for $lib): $depends"
done
echo "install_layout: ok ($(wc -l <<<"$listing") files in the .deb; Depends: $depends)"
