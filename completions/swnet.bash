#!/bin/bash

__swnet_cursor_index_in_current_word() {
    local remaining="${COMP_LINE}"

    local word
    for word in "${COMP_WORDS[@]::COMP_CWORD}"; do
        remaining="${remaining##*([[:space:]])"${word}"*([[:space:]])}"
    done

    local -ir index="$((COMP_POINT - ${#COMP_LINE} + ${#remaining}))"
    if [[ "${index}" -le 0 ]]; then
        printf 0
    else
        printf %s "${index}"
    fi
}

# positional arguments:
#
# - 1: the current (sub)command's count of positional arguments
#
# required variables:
#
# - repeating_flags: the repeating flags that the current (sub)command can accept
# - non_repeating_flags: the non-repeating flags that the current (sub)command can accept
# - repeating_options: the repeating options that the current (sub)command can accept
# - non_repeating_options: the non-repeating options that the current (sub)command can accept
# - positional_number: value ignored
# - unparsed_words: unparsed words from the current command line
#
# modified variables:
#
# - non_repeating_flags: remove flags for this (sub)command that are already on the command line
# - non_repeating_options: remove options for this (sub)command that are already on the command line
# - positional_number: set to the current positional number
# - unparsed_words: remove all flags, options, and option values for this (sub)command
__swnet_offer_flags_options() {
    local -ir positional_count="${1}"
    positional_number=0

    local was_flag_option_terminator_seen=false
    local is_parsing_option_value=false

    local -ar unparsed_word_indices=("${!unparsed_words[@]}")
    local -i word_index
    for word_index in "${unparsed_word_indices[@]}"; do
        if "${is_parsing_option_value}"; then
            # This word is an option value:
            # Reset marker for next word iff not currently the last word
            [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]] && is_parsing_option_value=false
            unset "unparsed_words[${word_index}]"
            # Do not process this word as a flag or an option
            continue
        fi

        local word="${unparsed_words["${word_index}"]}"
        if ! "${was_flag_option_terminator_seen}"; then
            case "${word}" in
            --)
                unset "unparsed_words[${word_index}]"
                # by itself -- is a flag/option terminator, but if it is the last word, it is the start of a completion
                if [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]]; then
                    was_flag_option_terminator_seen=true
                fi
                continue
                ;;
            -*)
                # ${word} is a flag or an option
                # If ${word} is an option, mark that the next word to be parsed is an option value
                local option
                for option in "${repeating_options[@]}" "${non_repeating_options[@]}"; do
                    [[ "${word}" = "${option}" ]] && is_parsing_option_value=true && break
                done

                # Remove ${word} from ${non_repeating_flags} or ${non_repeating_options} so it isn't offered again
                local not_found=true
                local -i index
                for index in "${!non_repeating_flags[@]}"; do
                    if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                        unset "non_repeating_flags[${index}]"
                        non_repeating_flags=("${non_repeating_flags[@]}")
                        not_found=false
                        break
                    fi
                done
                if "${not_found}"; then
                    for index in "${!non_repeating_flags[@]}"; do
                        if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                            unset "non_repeating_flags[${index}]"
                            non_repeating_flags=("${non_repeating_flags[@]}")
                            break
                        fi
                    done
                fi
                unset "unparsed_words[${word_index}]"
                continue
                ;;
            esac
        fi

        # ${word} is neither a flag, nor an option, nor an option value
        if [[ "${positional_number}" -lt "${positional_count}" || "${positional_count}" -lt 0 ]]; then
            # ${word} is a positional
            ((positional_number++))
            unset "unparsed_words[${word_index}]"
        else
            if [[ -z "${word}" ]]; then
                # Could be completing a flag, option, or subcommand
                positional_number=-1
            else
                # ${word} is a subcommand or invalid, so stop processing this (sub)command
                positional_number=-2
            fi
            break
        fi
    done

    unparsed_words=("${unparsed_words[@]}")

    if\
        ! "${was_flag_option_terminator_seen}"\
        && ! "${is_parsing_option_value}"\
        && [[ ("${cur}" = -* && "${positional_number}" -ge 0) || "${positional_number}" -eq -1 ]]
    then
        COMPREPLY+=($(compgen -W "${repeating_flags[*]} ${non_repeating_flags[*]} ${repeating_options[*]} ${non_repeating_options[*]}" -- "${cur}"))
    fi
}

__swnet_add_completions() {
    local completion
    while IFS='' read -r completion; do
        COMPREPLY+=("${completion}")
    done < <(IFS=$'\n' compgen "${@}" -- "${cur}")
}

__swnet_custom_complete() {
    if [[ -n "${cur}" || -z ${COMP_WORDS[${COMP_CWORD}]} || "${COMP_LINE:${COMP_POINT}:1}" != ' ' ]]; then
        local -ar words=("${COMP_WORDS[@]}")
    else
        local -ar words=("${COMP_WORDS[@]::${COMP_CWORD}}" '' "${COMP_WORDS[@]:${COMP_CWORD}}")
    fi

    "${COMP_WORDS[0]}" "${@}" "${words[@]}"
}

_swnet() {
    local state
    state="$(shopt -p;shopt -po)"
    trap "${state//$'\n'/;}" RETURN
    shopt -s extglob
    set +o history +o posix

    local -xr SAP_SHELL=bash
    local -x SAP_SHELL_VERSION
    SAP_SHELL_VERSION="$(IFS='.';printf %s "${BASH_VERSINFO[*]}")"
    local -r SAP_SHELL_VERSION

    local -r cur="${2}"
    local -r prev="${3}"

    local -i positional_number
    local -a unparsed_words=("${COMP_WORDS[@]:1:${COMP_CWORD}}")

    local -a repeating_flags=()
    local -a non_repeating_flags=(--version -h --help)
    local -a repeating_options=()
    local -a non_repeating_options=()
    __swnet_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    network|sandbox|endpoint|join|leave|connect|disconnect|inspect|exec|up|down|system|version|help)
        # Offer subcommand argument completions
        "_swnet_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'network sandbox endpoint join leave connect disconnect inspect exec up down system version help' -- "${cur}"))
        ;;
    esac
}

_swnet_network() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __swnet_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    create|ls|inspect|exists|rm|prune)
        # Offer subcommand argument completions
        "_swnet_network_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'create ls inspect exists rm prune' -- "${cur}"))
        ;;
    esac
}

_swnet_network_create() {
    repeating_flags=()
    non_repeating_flags=(--debug --ipv6 --internal --ignore --version -h --help)
    repeating_options=(--subnet --gateway -o --opt --label)
    non_repeating_options=(--state-dir --netns-dir -d --driver --ip-range --mtu)
    __swnet_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--state-dir')
        return
        ;;
    '--netns-dir')
        return
        ;;
    '-d'|'--driver')
        return
        ;;
    '--subnet')
        return
        ;;
    '--gateway')
        return
        ;;
    '--ip-range')
        return
        ;;
    '--mtu')
        return
        ;;
    '-o'|'--opt')
        return
        ;;
    '--label')
        return
        ;;
    esac
}

_swnet_network_ls() {
    repeating_flags=()
    non_repeating_flags=(--debug --quiet -q --no-trunc --version -h --help)
    repeating_options=(--filter)
    non_repeating_options=(--state-dir --netns-dir --format)
    __swnet_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--state-dir')
        return
        ;;
    '--netns-dir')
        return
        ;;
    '--format')
        __swnet_add_completions -W 'table'$'\n''json'
        return
        ;;
    '--filter')
        return
        ;;
    esac
}

_swnet_network_inspect() {
    repeating_flags=()
    non_repeating_flags=(--debug --version -h --help)
    repeating_options=()
    non_repeating_options=(--state-dir --netns-dir --format -f)
    __swnet_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--state-dir')
        return
        ;;
    '--netns-dir')
        return
        ;;
    '--format'|'-f')
        __swnet_add_completions -W 'json'
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    *)
        __swnet_add_completions -W "$(__swnet_custom_complete ---completion network inspect -- positional@0 "${COMP_CWORD}" "$(__swnet_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_swnet_network_exists() {
    repeating_flags=()
    non_repeating_flags=(--debug --version -h --help)
    repeating_options=()
    non_repeating_options=(--state-dir --netns-dir)
    __swnet_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--state-dir')
        return
        ;;
    '--netns-dir')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __swnet_add_completions -W "$(__swnet_custom_complete ---completion network exists -- positional@0 "${COMP_CWORD}" "$(__swnet_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_swnet_network_rm() {
    repeating_flags=()
    non_repeating_flags=(--debug --force -f --version -h --help)
    repeating_options=()
    non_repeating_options=(--state-dir --netns-dir)
    __swnet_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--state-dir')
        return
        ;;
    '--netns-dir')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    *)
        __swnet_add_completions -W "$(__swnet_custom_complete ---completion network rm -- positional@0 "${COMP_CWORD}" "$(__swnet_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_swnet_network_prune() {
    repeating_flags=()
    non_repeating_flags=(--debug --force -f --version -h --help)
    repeating_options=(--filter)
    non_repeating_options=(--state-dir --netns-dir)
    __swnet_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--state-dir')
        return
        ;;
    '--netns-dir')
        return
        ;;
    '--filter')
        return
        ;;
    esac
}

_swnet_sandbox() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __swnet_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    create|ls|inspect|rm|prune)
        # Offer subcommand argument completions
        "_swnet_sandbox_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'create ls inspect rm prune' -- "${cur}"))
        ;;
    esac
}

_swnet_sandbox_create() {
    repeating_flags=()
    non_repeating_flags=(--debug --ignore --version -h --help)
    repeating_options=(--dns --dns-search --add-host --label --network --alias -p --publish)
    non_repeating_options=(--state-dir --netns-dir --hostname --domainname --netns --ip --ip6 --mac)
    __swnet_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--state-dir')
        return
        ;;
    '--netns-dir')
        return
        ;;
    '--hostname')
        return
        ;;
    '--domainname')
        return
        ;;
    '--dns')
        return
        ;;
    '--dns-search')
        return
        ;;
    '--add-host')
        return
        ;;
    '--netns')
        return
        ;;
    '--label')
        return
        ;;
    '--network')
        __swnet_add_completions -W "$(__swnet_custom_complete ---completion sandbox create -- --network "${COMP_CWORD}" "$(__swnet_cursor_index_in_current_word)")"
        return
        ;;
    '--ip')
        return
        ;;
    '--ip6')
        return
        ;;
    '--mac')
        return
        ;;
    '--alias')
        return
        ;;
    '-p'|'--publish')
        return
        ;;
    esac
}

_swnet_sandbox_ls() {
    repeating_flags=()
    non_repeating_flags=(--debug --quiet -q --no-trunc --version -h --help)
    repeating_options=(--filter)
    non_repeating_options=(--state-dir --netns-dir --format)
    __swnet_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--state-dir')
        return
        ;;
    '--netns-dir')
        return
        ;;
    '--format')
        __swnet_add_completions -W 'table'$'\n''json'
        return
        ;;
    '--filter')
        return
        ;;
    esac
}

_swnet_sandbox_inspect() {
    repeating_flags=()
    non_repeating_flags=(--debug --version -h --help)
    repeating_options=()
    non_repeating_options=(--state-dir --netns-dir --format -f)
    __swnet_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--state-dir')
        return
        ;;
    '--netns-dir')
        return
        ;;
    '--format'|'-f')
        __swnet_add_completions -W 'json'
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    *)
        __swnet_add_completions -W "$(__swnet_custom_complete ---completion sandbox inspect -- positional@0 "${COMP_CWORD}" "$(__swnet_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_swnet_sandbox_rm() {
    repeating_flags=()
    non_repeating_flags=(--debug --force -f --version -h --help)
    repeating_options=()
    non_repeating_options=(--state-dir --netns-dir)
    __swnet_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--state-dir')
        return
        ;;
    '--netns-dir')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    *)
        __swnet_add_completions -W "$(__swnet_custom_complete ---completion sandbox rm -- positional@0 "${COMP_CWORD}" "$(__swnet_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_swnet_sandbox_prune() {
    repeating_flags=()
    non_repeating_flags=(--debug --force -f --version -h --help)
    repeating_options=(--filter)
    non_repeating_options=(--state-dir --netns-dir)
    __swnet_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--state-dir')
        return
        ;;
    '--netns-dir')
        return
        ;;
    '--filter')
        return
        ;;
    esac
}

_swnet_endpoint() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __swnet_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    create|ls|inspect|rm)
        # Offer subcommand argument completions
        "_swnet_endpoint_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'create ls inspect rm' -- "${cur}"))
        ;;
    esac
}

_swnet_endpoint_create() {
    repeating_flags=()
    non_repeating_flags=(--debug --ignore --version -h --help)
    repeating_options=(--alias -p --publish --label)
    non_repeating_options=(--state-dir --netns-dir --network --ip --ip6 --mac)
    __swnet_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--state-dir')
        return
        ;;
    '--netns-dir')
        return
        ;;
    '--network')
        __swnet_add_completions -W "$(__swnet_custom_complete ---completion endpoint create -- --network "${COMP_CWORD}" "$(__swnet_cursor_index_in_current_word)")"
        return
        ;;
    '--ip')
        return
        ;;
    '--ip6')
        return
        ;;
    '--mac')
        return
        ;;
    '--alias')
        return
        ;;
    '-p'|'--publish')
        return
        ;;
    '--label')
        return
        ;;
    esac
}

_swnet_endpoint_ls() {
    repeating_flags=()
    non_repeating_flags=(--debug --quiet -q --no-trunc --version -h --help)
    repeating_options=(--filter)
    non_repeating_options=(--state-dir --netns-dir --format --network)
    __swnet_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--state-dir')
        return
        ;;
    '--netns-dir')
        return
        ;;
    '--format')
        __swnet_add_completions -W 'table'$'\n''json'
        return
        ;;
    '--filter')
        return
        ;;
    '--network')
        __swnet_add_completions -W "$(__swnet_custom_complete ---completion endpoint ls -- --network "${COMP_CWORD}" "$(__swnet_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_swnet_endpoint_inspect() {
    repeating_flags=()
    non_repeating_flags=(--debug --version -h --help)
    repeating_options=()
    non_repeating_options=(--state-dir --netns-dir --format -f)
    __swnet_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--state-dir')
        return
        ;;
    '--netns-dir')
        return
        ;;
    '--format'|'-f')
        __swnet_add_completions -W 'json'
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    *)
        __swnet_add_completions -W "$(__swnet_custom_complete ---completion endpoint inspect -- positional@0 "${COMP_CWORD}" "$(__swnet_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_swnet_endpoint_rm() {
    repeating_flags=()
    non_repeating_flags=(--debug --force -f --version -h --help)
    repeating_options=()
    non_repeating_options=(--state-dir --netns-dir)
    __swnet_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--state-dir')
        return
        ;;
    '--netns-dir')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    *)
        __swnet_add_completions -W "$(__swnet_custom_complete ---completion endpoint rm -- positional@0 "${COMP_CWORD}" "$(__swnet_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_swnet_join() {
    repeating_flags=()
    non_repeating_flags=(--debug --version -h --help)
    repeating_options=()
    non_repeating_options=(--state-dir --netns-dir --ifname)
    __swnet_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--state-dir')
        return
        ;;
    '--netns-dir')
        return
        ;;
    '--ifname')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __swnet_add_completions -W "$(__swnet_custom_complete ---completion join -- positional@0 "${COMP_CWORD}" "$(__swnet_cursor_index_in_current_word)")"
        return
        ;;
    2)
        __swnet_add_completions -W "$(__swnet_custom_complete ---completion join -- positional@1 "${COMP_CWORD}" "$(__swnet_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_swnet_leave() {
    repeating_flags=()
    non_repeating_flags=(--debug --version -h --help)
    repeating_options=()
    non_repeating_options=(--state-dir --netns-dir)
    __swnet_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--state-dir')
        return
        ;;
    '--netns-dir')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __swnet_add_completions -W "$(__swnet_custom_complete ---completion leave -- positional@0 "${COMP_CWORD}" "$(__swnet_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_swnet_connect() {
    repeating_flags=()
    non_repeating_flags=(--debug --version -h --help)
    repeating_options=(--alias -p --publish --label)
    non_repeating_options=(--state-dir --netns-dir --name --ifname --ip --ip6 --mac)
    __swnet_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--state-dir')
        return
        ;;
    '--netns-dir')
        return
        ;;
    '--name')
        return
        ;;
    '--ifname')
        return
        ;;
    '--ip')
        return
        ;;
    '--ip6')
        return
        ;;
    '--mac')
        return
        ;;
    '--alias')
        return
        ;;
    '-p'|'--publish')
        return
        ;;
    '--label')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __swnet_add_completions -W "$(__swnet_custom_complete ---completion connect -- positional@0 "${COMP_CWORD}" "$(__swnet_cursor_index_in_current_word)")"
        return
        ;;
    2)
        __swnet_add_completions -W "$(__swnet_custom_complete ---completion connect -- positional@1 "${COMP_CWORD}" "$(__swnet_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_swnet_disconnect() {
    repeating_flags=()
    non_repeating_flags=(--debug --version -h --help)
    repeating_options=()
    non_repeating_options=(--state-dir --netns-dir)
    __swnet_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--state-dir')
        return
        ;;
    '--netns-dir')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __swnet_add_completions -W "$(__swnet_custom_complete ---completion disconnect -- positional@0 "${COMP_CWORD}" "$(__swnet_cursor_index_in_current_word)")"
        return
        ;;
    2)
        __swnet_add_completions -W "$(__swnet_custom_complete ---completion disconnect -- positional@1 "${COMP_CWORD}" "$(__swnet_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_swnet_inspect() {
    repeating_flags=()
    non_repeating_flags=(--debug --version -h --help)
    repeating_options=()
    non_repeating_options=(--state-dir --netns-dir --format -f)
    __swnet_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--state-dir')
        return
        ;;
    '--netns-dir')
        return
        ;;
    '--format'|'-f')
        __swnet_add_completions -W 'json'
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    *)
        __swnet_add_completions -W "$(__swnet_custom_complete ---completion inspect -- positional@0 "${COMP_CWORD}" "$(__swnet_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_swnet_exec() {
    repeating_flags=()
    non_repeating_flags=(--debug --version -h --help)
    repeating_options=()
    non_repeating_options=(--state-dir --netns-dir)
    __swnet_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--state-dir')
        return
        ;;
    '--netns-dir')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __swnet_add_completions -W "$(__swnet_custom_complete ---completion exec -- positional@0 "${COMP_CWORD}" "$(__swnet_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_swnet_up() {
    repeating_flags=()
    non_repeating_flags=(--debug --version -h --help)
    repeating_options=()
    non_repeating_options=(--state-dir --netns-dir --file -f --project -p)
    __swnet_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--state-dir')
        return
        ;;
    '--netns-dir')
        return
        ;;
    '--file'|'-f')
        __swnet_add_completions -o plusdirs -fX '!*.@(yaml|yml|json)'
        return
        ;;
    '--project'|'-p')
        return
        ;;
    esac
}

_swnet_down() {
    repeating_flags=()
    non_repeating_flags=(--debug --version -h --help)
    repeating_options=()
    non_repeating_options=(--state-dir --netns-dir --file -f --project -p)
    __swnet_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--state-dir')
        return
        ;;
    '--netns-dir')
        return
        ;;
    '--file'|'-f')
        __swnet_add_completions -o plusdirs -fX '!*.@(yaml|yml|json)'
        return
        ;;
    '--project'|'-p')
        return
        ;;
    esac
}

_swnet_system() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __swnet_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    info|check|gc|restore)
        # Offer subcommand argument completions
        "_swnet_system_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'info check gc restore' -- "${cur}"))
        ;;
    esac
}

_swnet_system_info() {
    repeating_flags=()
    non_repeating_flags=(--debug --version -h --help)
    repeating_options=()
    non_repeating_options=(--state-dir --netns-dir --format)
    __swnet_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--state-dir')
        return
        ;;
    '--netns-dir')
        return
        ;;
    '--format')
        __swnet_add_completions -W 'table'$'\n''json'
        return
        ;;
    esac
}

_swnet_system_check() {
    repeating_flags=()
    non_repeating_flags=(--debug --version -h --help)
    repeating_options=()
    non_repeating_options=(--state-dir --netns-dir)
    __swnet_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--state-dir')
        return
        ;;
    '--netns-dir')
        return
        ;;
    esac
}

_swnet_system_gc() {
    repeating_flags=()
    non_repeating_flags=(--debug --version -h --help)
    repeating_options=()
    non_repeating_options=(--state-dir --netns-dir)
    __swnet_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--state-dir')
        return
        ;;
    '--netns-dir')
        return
        ;;
    esac
}

_swnet_system_restore() {
    repeating_flags=()
    non_repeating_flags=(--debug --version -h --help)
    repeating_options=()
    non_repeating_options=(--state-dir --netns-dir)
    __swnet_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--state-dir')
        return
        ;;
    '--netns-dir')
        return
        ;;
    esac
}

_swnet_version() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __swnet_offer_flags_options 0
}

_swnet_help() {
    repeating_flags=()
    non_repeating_flags=(--version)
    repeating_options=()
    non_repeating_options=()
    __swnet_offer_flags_options -1
}

complete -o filenames -F _swnet swnet
