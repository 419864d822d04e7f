#!/bin/sh
# completion.sh - the bash and zsh completions: make install puts them
# where the shells look, bash completes commands, options, formats and
# rule IDs from the binary itself, and every option either offers is
# one the binary documents in --help.
SUITE=completion
. "$TOP/tests/lib.sh"
BASHC="$TOP/completions/bwcertcheck.bash"
ZSHC="$TOP/completions/_bwcertcheck"

## make install
if make -C "$TOP" -s install DESTDIR="$WORK/root" PREFIX=/usr/local >"$WORK/install.log" 2>&1; then
	ok "make install DESTDIR"
else
	not_ok "make install DESTDIR" "$(head -c 400 "$WORK/install.log")"
fi
for f in share/bash-completion/completions/bwcertcheck share/zsh/site-functions/_bwcertcheck \
    bin/bwcertcheck share/man/man1/bwcertcheck.1; do
	if [ -f "$WORK/root/usr/local/$f" ]; then ok "installed: $f"; else not_ok "installed: $f" "missing"; fi
done
make -C "$TOP" -s uninstall DESTDIR="$WORK/root" PREFIX=/usr/local >/dev/null 2>&1
if [ -z "$(find "$WORK/root" -type f)" ]; then ok "make uninstall removes them"; else not_ok "make uninstall removes them" "$(find "$WORK/root" -type f)"; fi

## bash: what a TAB offers after the words given.
# complete WORD... : COMPREPLY, one a line, for the last word being typed.
complete_words() {
	bash -c '
		. "$1"
		shift
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		_bwcertcheck
		printf "%s\n" "${COMPREPLY[@]}"
	' sh "$BASHC" "$@" 2>&1
}
expect_offer() {
	name=$1
	want=$2
	shift 2
	complete_words "$@" >"$WORK/offer"
	if grep -qx -e "$want" "$WORK/offer"; then
		ok "bash: $name"
	else
		not_ok "bash: $name" "wanted '$want' in: $(tr '\n' ' ' <"$WORK/offer" | head -c 300)"
	fi
}
expect_offer "the commands" lint "$BWC" li
expect_offer "probe's options" --targets "$BWC" probe --tar
expect_offer "lint's options" --each "$BWC" lint --ea
expect_offer "--format's values" markdown "$BWC" lint --format m
expect_offer "--color's values" never "$BWC" probe --color n
expect_offer "rule IDs for --disable, from the binary" fqdn-match "$BWC" lint --disable fqdn
expect_offer "--disable, after a comma" fqdn-match,not-expired "$BWC" lint --disable fqdn-match,not-ex
expect_offer "rules ID" chain-complete "$BWC" rules chain-c
expect_offer "rules --format" json "$BWC" rules --format j

## every option offered is one the binary documents
"$BWC" --help >"$WORK/help" 2>&1
for f in "$BASHC" "$ZSHC"; do
	missing=
	for o in $(grep -o -- '--[a-z][a-z0-9-]*' "$f" | sort -u); do
		grep -q -- "$o\\b" "$WORK/help" || missing="$missing $o"
	done
	if [ -z "$missing" ]; then
		ok "$(basename "$f"): every option is in --help"
	else
		not_ok "$(basename "$f"): every option is in --help" "not in --help:$missing"
	fi
done

## zsh reads its completion
if zsh -n "$ZSHC" 2>"$WORK/zsh.err"; then ok "zsh -n _bwcertcheck"; else not_ok "zsh -n _bwcertcheck" "$(cat "$WORK/zsh.err")"; fi
if bash -n "$BASHC" 2>"$WORK/bash.err"; then ok "bash -n bwcertcheck.bash"; else not_ok "bash -n bwcertcheck.bash" "$(cat "$WORK/bash.err")"; fi

finish
