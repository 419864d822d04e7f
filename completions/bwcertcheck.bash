# bash completion for bwcertcheck                              -*- sh -*-
# Installed by "make install" into share/bash-completion/completions.
# Rule IDs come from the installed binary ("bwcertcheck rules"), so they
# follow its rule table.

_bwcertcheck_rules()
{
	"${COMP_WORDS[0]}" rules 2>/dev/null | while read -r id _; do
		printf '%s\n' "$id"
	done
}

_bwcertcheck()
{
	local cur prev cmd common opts i
	COMPREPLY=()
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD - 1]}
	cmd=
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		lint | probe | fix-chain | listen | exporter | rules)
			cmd=${COMP_WORDS[i]}
			break
			;;
		esac
	done
	if [[ -z $cmd ]]; then
		COMPREPLY=($(compgen -W 'lint probe fix-chain listen exporter rules --help --version -V' -- "$cur"))
		return
	fi

	case $prev in
	--format)
		if [[ $cmd == rules ]]; then
			COMPREPLY=($(compgen -W 'text json' -- "$cur"))
		else
			COMPREPLY=($(compgen -W 'text json junit sarif nagios prometheus html markdown' -- "$cur"))
		fi
		return
		;;
	--color)
		COMPREPLY=($(compgen -W 'auto always never' -- "$cur"))
		return
		;;
	--disable)
		local pre=${cur%,*} last=${cur##*,}
		[[ $pre == "$cur" ]] && pre= || pre="$pre,"
		COMPREPLY=($(compgen -P "$pre" -W "$(_bwcertcheck_rules)" -- "$last"))
		return
		;;
	--password)
		COMPREPLY=($(compgen -W 'env: file: stdin pass:' -- "$cur"))
		compopt -o nospace 2>/dev/null
		return
		;;
	--trust-store | --key | --config | --targets | --cert | --client-cert | \
	    --client-key | --p12 | -o | --output)
		COMPREPLY=($(compgen -f -- "$cur"))
		compopt -o filenames 2>/dev/null
		return
		;;
	--save-chain)
		COMPREPLY=($(compgen -d -- "$cur"))
		compopt -o filenames 2>/dev/null
		return
		;;
	--fqdn | --at | --warn-days | --crit-days | --port | --timeout | \
	    --servername | --connect | --resolver | --jobs | --connections | \
	    --shard | --listen | \
	    --interval | --allow | --count)
		return
		;;
	esac

	common='--fqdn --trust-store --at --warn-days --crit-days --format -o
		--output --disable --config -q --quiet --color -v --show-chain --help'
	case $cmd in
	lint) opts="$common --key --password --each --jobs" ;;
	probe) opts="$common --port --timeout --servername --no-sni --connect
		--resolver --srv --sip --targets --jobs --connections --shard
		--save-chain --client-cert --client-key" ;;
	fix-chain) opts="$common --key --password --fetch --timeout --p12" ;;
	listen) opts="$common --listen --port --timeout --cert --key --password
		--count --require-client-cert" ;;
	exporter) opts="$common --listen --targets --interval --jobs --allow
		--port --timeout --resolver --sip --connections" ;;
	rules)
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W '--format --help' -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$(_bwcertcheck_rules)" -- "$cur"))
		fi
		return
		;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
	elif [[ $cmd == lint || $cmd == fix-chain ]]; then
		COMPREPLY=($(compgen -f -- "$cur"))
		compopt -o filenames 2>/dev/null
	fi
}
complete -F _bwcertcheck bwcertcheck
