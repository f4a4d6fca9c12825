function __swnet_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __swnet_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __swnet_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __swnet_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __swnet_parse_tokens -S
    set -l unparsed_tokens (__swnet_tokens -pc)
    switch $unparsed_tokens[1]
    case 'swnet'
        __swnet_parse_subcommand 0 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'network'
            __swnet_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'create'
                __swnet_parse_subcommand 1 'state-dir=' 'netns-dir=' 'debug' 'd/driver=' 'subnet=+' 'gateway=+' 'ip-range=' 'ipv6' 'internal' 'mtu=' 'o/opt=+' 'label=+' 'ignore' 'version' 'h/help'
            case 'ls'
                __swnet_parse_subcommand 0 'state-dir=' 'netns-dir=' 'debug' 'q/quiet' 'format=' 'no-trunc' 'filter=+' 'version' 'h/help'
            case 'inspect'
                __swnet_parse_subcommand -r 1 'state-dir=' 'netns-dir=' 'debug' 'f/format=' 'version' 'h/help'
            case 'exists'
                __swnet_parse_subcommand 1 'state-dir=' 'netns-dir=' 'debug' 'version' 'h/help'
            case 'rm'
                __swnet_parse_subcommand -r 1 'state-dir=' 'netns-dir=' 'debug' 'f/force' 'version' 'h/help'
            case 'prune'
                __swnet_parse_subcommand 0 'state-dir=' 'netns-dir=' 'debug' 'filter=+' 'f/force' 'version' 'h/help'
            end
        case 'sandbox'
            __swnet_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'create'
                __swnet_parse_subcommand 1 'state-dir=' 'netns-dir=' 'debug' 'hostname=' 'domainname=' 'dns=+' 'dns-search=+' 'add-host=+' 'netns=' 'label=+' 'network=+' 'ip=' 'ip6=' 'mac=' 'alias=+' 'p/publish=+' 'ignore' 'version' 'h/help'
            case 'ls'
                __swnet_parse_subcommand 0 'state-dir=' 'netns-dir=' 'debug' 'q/quiet' 'format=' 'no-trunc' 'filter=+' 'version' 'h/help'
            case 'inspect'
                __swnet_parse_subcommand -r 1 'state-dir=' 'netns-dir=' 'debug' 'f/format=' 'version' 'h/help'
            case 'rm'
                __swnet_parse_subcommand -r 1 'state-dir=' 'netns-dir=' 'debug' 'f/force' 'version' 'h/help'
            case 'prune'
                __swnet_parse_subcommand 0 'state-dir=' 'netns-dir=' 'debug' 'filter=+' 'f/force' 'version' 'h/help'
            end
        case 'endpoint'
            __swnet_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'create'
                __swnet_parse_subcommand 1 'state-dir=' 'netns-dir=' 'debug' 'network=' 'ip=' 'ip6=' 'mac=' 'alias=+' 'p/publish=+' 'label=+' 'ignore' 'version' 'h/help'
            case 'ls'
                __swnet_parse_subcommand 0 'state-dir=' 'netns-dir=' 'debug' 'q/quiet' 'format=' 'no-trunc' 'filter=+' 'network=' 'version' 'h/help'
            case 'inspect'
                __swnet_parse_subcommand -r 1 'state-dir=' 'netns-dir=' 'debug' 'f/format=' 'version' 'h/help'
            case 'rm'
                __swnet_parse_subcommand -r 1 'state-dir=' 'netns-dir=' 'debug' 'f/force' 'version' 'h/help'
            end
        case 'join'
            __swnet_parse_subcommand 2 'state-dir=' 'netns-dir=' 'debug' 'ifname=' 'version' 'h/help'
        case 'leave'
            __swnet_parse_subcommand 1 'state-dir=' 'netns-dir=' 'debug' 'version' 'h/help'
        case 'connect'
            __swnet_parse_subcommand 2 'state-dir=' 'netns-dir=' 'debug' 'name=' 'ifname=' 'ip=' 'ip6=' 'mac=' 'alias=+' 'p/publish=+' 'label=+' 'version' 'h/help'
        case 'disconnect'
            __swnet_parse_subcommand 2 'state-dir=' 'netns-dir=' 'debug' 'version' 'h/help'
        case 'inspect'
            __swnet_parse_subcommand -r 1 'state-dir=' 'netns-dir=' 'debug' 'f/format=' 'version' 'h/help'
        case 'exec'
            __swnet_parse_subcommand -r 2 'state-dir=' 'netns-dir=' 'debug' 'version' 'h/help'
        case 'up'
            __swnet_parse_subcommand 0 'state-dir=' 'netns-dir=' 'debug' 'f/file=' 'p/project=' 'version' 'h/help'
        case 'down'
            __swnet_parse_subcommand 0 'state-dir=' 'netns-dir=' 'debug' 'f/file=' 'p/project=' 'version' 'h/help'
        case 'system'
            __swnet_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'info'
                __swnet_parse_subcommand 0 'state-dir=' 'netns-dir=' 'debug' 'format=' 'version' 'h/help'
            case 'check'
                __swnet_parse_subcommand 0 'state-dir=' 'netns-dir=' 'debug' 'version' 'h/help'
            case 'gc'
                __swnet_parse_subcommand 0 'state-dir=' 'netns-dir=' 'debug' 'version' 'h/help'
            case 'restore'
                __swnet_parse_subcommand 0 'state-dir=' 'netns-dir=' 'debug' 'version' 'h/help'
            end
        case 'version'
            __swnet_parse_subcommand 0 'version' 'h/help'
        case 'help'
            __swnet_parse_subcommand -r 1 'version'
        end
    end
end

function __swnet_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __swnet_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __swnet_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __swnet_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__swnet_tokens -p)
    if test -z "$(__swnet_tokens -t)"
        set -l index (count (__swnet_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'swnet' -f
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet" version' -l 'version' -d 'Show the version.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_positional "swnet" -eq 1' -fa 'network' -d 'Create, list, inspect and remove networks.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_positional "swnet" -eq 1' -fa 'sandbox' -d 'Create, list, inspect and remove sandboxes (a container\'s network namespace).'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_positional "swnet" -eq 1' -fa 'endpoint' -d 'Create, list, inspect and remove endpoints.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_positional "swnet" -eq 1' -fa 'join' -d 'Join an endpoint to a sandbox.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_positional "swnet" -eq 1' -fa 'leave' -d 'Take an endpoint out of its sandbox; the endpoint and its addresses remain.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_positional "swnet" -eq 1' -fa 'connect' -d 'Connect a sandbox to a network: endpoint create and join in one step.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_positional "swnet" -eq 1' -fa 'disconnect' -d 'Disconnect a sandbox from a network: leave, then remove the endpoint.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_positional "swnet" -eq 1' -fa 'inspect' -d 'Show networks, endpoints or sandboxes, of any kind, as a JSON array.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_positional "swnet" -eq 1' -fa 'exec' -d 'Run a command inside a sandbox.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_positional "swnet" -eq 1' -fa 'up' -d 'Create or update the networks and sandboxes a topology file declares.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_positional "swnet" -eq 1' -fa 'down' -d 'Remove every network and sandbox a topology made.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_positional "swnet" -eq 1' -fa 'system' -d 'Host-wide information and repair.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_positional "swnet" -eq 1' -fa 'version' -d 'Print swnet\'s version.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_positional "swnet" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet network" version' -l 'version' -d 'Show the version.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet network" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_positional "swnet network" -eq 1' -fa 'create' -d 'Create a network.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_positional "swnet network" -eq 1' -fa 'ls' -d 'List networks.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_positional "swnet network" -eq 1' -fa 'inspect' -d 'Show networks as a JSON array.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_positional "swnet network" -eq 1' -fa 'exists' -d 'Exit 0 when the network exists, 1 when it does not; print nothing.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_positional "swnet network" -eq 1' -fa 'rm' -d 'Remove networks.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_positional "swnet network" -eq 1' -fa 'prune' -d 'Remove every network without endpoints.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet network create" state-dir' -l 'state-dir' -d 'Where swnet keeps its state (env SWNET_STATE_DIR).' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet network create" netns-dir' -l 'netns-dir' -d 'Where sandbox namespaces are bound (env SWNET_NETNS_DIR).' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet network create" debug' -l 'debug' -d 'Print each kernel step and its duration on standard error.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet network create" d driver' -s 'd' -l 'driver' -d 'Driver: bridge or null.' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet network create"' -l 'subnet' -d 'A subnet in CIDR form; at most one IPv4 and one IPv6.' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet network create"' -l 'gateway' -d 'The gateway of a subnet (default: its first address).' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet network create" ip-range' -l 'ip-range' -d 'Hand out automatic addresses from this part of the subnet only.' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet network create" ipv6' -l 'ipv6' -d 'Add an IPv6 subnet.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet network create" internal' -l 'internal' -d 'Give the network no route out of the host.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet network create" mtu' -l 'mtu' -d 'The MTU of the bridge and its endpoints.' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet network create"' -s 'o' -l 'opt' -d 'A driver option.' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet network create"' -l 'label' -d 'A label.' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet network create" ignore' -l 'ignore' -d 'Succeed without change when the network exists with every setting given; fail naming the difference otherwise.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet network create" version' -l 'version' -d 'Show the version.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet network create" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet network ls" state-dir' -l 'state-dir' -d 'Where swnet keeps its state (env SWNET_STATE_DIR).' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet network ls" netns-dir' -l 'netns-dir' -d 'Where sandbox namespaces are bound (env SWNET_NETNS_DIR).' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet network ls" debug' -l 'debug' -d 'Print each kernel step and its duration on standard error.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet network ls" q quiet' -l 'quiet' -s 'q' -d 'Print names only, one per line.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet network ls" format' -l 'format' -d 'table (default), json, or a Go template: {{.Name}}, {{.ID}}, {{json .}}, {{.Labels}}, {{index .Labels "k"}}, {{if …}}…{{else}}…{{end}}, {{range …}}…{{end}}, functions json, index, join, len, lower, upper; \'table TEMPLATE\' prints a header and aligns columns split by \\t. Fields are those of \'inspect\', matched without regard to case.' -rfka 'table json'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet network ls" no-trunc' -l 'no-trunc' -d 'Show whole ids.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet network ls"' -l 'filter' -d 'Show only objects matching KEY=VALUE (name, id, label=KEY or label=KEY=VALUE, and per kind driver, network, sandbox); repeatable, all must match.' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet network ls" version' -l 'version' -d 'Show the version.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet network ls" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet network inspect" state-dir' -l 'state-dir' -d 'Where swnet keeps its state (env SWNET_STATE_DIR).' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet network inspect" netns-dir' -l 'netns-dir' -d 'Where sandbox namespaces are bound (env SWNET_NETNS_DIR).' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet network inspect" debug' -l 'debug' -d 'Print each kernel step and its duration on standard error.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet network inspect" f format' -l 'format' -s 'f' -d 'json (default: a JSON array) or a Go template applied to each object, as for \'ls\'.' -rfka 'json'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_positional "swnet network inspect" -ge 1' -fka '(__swnet_custom_completion ---completion network inspect -- positional@0 (count (__swnet_tokens -pc)) (__swnet_tokens -tC))'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet network inspect" version' -l 'version' -d 'Show the version.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet network inspect" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet network exists" state-dir' -l 'state-dir' -d 'Where swnet keeps its state (env SWNET_STATE_DIR).' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet network exists" netns-dir' -l 'netns-dir' -d 'Where sandbox namespaces are bound (env SWNET_NETNS_DIR).' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet network exists" debug' -l 'debug' -d 'Print each kernel step and its duration on standard error.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_positional "swnet network exists" -eq 1' -fka '(__swnet_custom_completion ---completion network exists -- positional@0 (count (__swnet_tokens -pc)) (__swnet_tokens -tC))'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet network exists" version' -l 'version' -d 'Show the version.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet network exists" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet network rm" state-dir' -l 'state-dir' -d 'Where swnet keeps its state (env SWNET_STATE_DIR).' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet network rm" netns-dir' -l 'netns-dir' -d 'Where sandbox namespaces are bound (env SWNET_NETNS_DIR).' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet network rm" debug' -l 'debug' -d 'Print each kernel step and its duration on standard error.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet network rm" f force' -l 'force' -s 'f' -d 'Remove endpoints too; ignore networks that do not exist.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_positional "swnet network rm" -ge 1' -fka '(__swnet_custom_completion ---completion network rm -- positional@0 (count (__swnet_tokens -pc)) (__swnet_tokens -tC))'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet network rm" version' -l 'version' -d 'Show the version.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet network rm" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet network prune" state-dir' -l 'state-dir' -d 'Where swnet keeps its state (env SWNET_STATE_DIR).' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet network prune" netns-dir' -l 'netns-dir' -d 'Where sandbox namespaces are bound (env SWNET_NETNS_DIR).' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet network prune" debug' -l 'debug' -d 'Print each kernel step and its duration on standard error.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet network prune"' -l 'filter' -d 'Only objects with this label (label=KEY or label=KEY=VALUE); repeatable, all must match.' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet network prune" f force' -l 'force' -s 'f' -d 'Do not ask for confirmation.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet network prune" version' -l 'version' -d 'Show the version.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet network prune" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet sandbox" version' -l 'version' -d 'Show the version.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet sandbox" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_positional "swnet sandbox" -eq 1' -fa 'create' -d 'Create a sandbox.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_positional "swnet sandbox" -eq 1' -fa 'ls' -d 'List sandboxes.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_positional "swnet sandbox" -eq 1' -fa 'inspect' -d 'Show sandboxes as a JSON array.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_positional "swnet sandbox" -eq 1' -fa 'rm' -d 'Remove sandboxes.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_positional "swnet sandbox" -eq 1' -fa 'prune' -d 'Remove every sandbox with no endpoint joined.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet sandbox create" state-dir' -l 'state-dir' -d 'Where swnet keeps its state (env SWNET_STATE_DIR).' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet sandbox create" netns-dir' -l 'netns-dir' -d 'Where sandbox namespaces are bound (env SWNET_NETNS_DIR).' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet sandbox create" debug' -l 'debug' -d 'Print each kernel step and its duration on standard error.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet sandbox create" hostname' -l 'hostname' -d 'The hostname \'swnet exec\' sets and /etc/hosts maps to the sandbox\'s addresses.' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet sandbox create" domainname' -l 'domainname' -d 'The domain name.' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet sandbox create"' -l 'dns' -d 'A nameserver (default: the host\'s, without loopback ones).' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet sandbox create"' -l 'dns-search' -d 'A search domain.' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet sandbox create"' -l 'add-host' -d 'An extra /etc/hosts entry.' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet sandbox create" netns' -l 'netns' -d 'Adopt this existing network namespace.' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet sandbox create"' -l 'label' -d 'A label.' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet sandbox create"' -l 'network' -d 'Connect the new sandbox to this network (name or id prefix); repeat for more.' -rfka '(__swnet_custom_completion ---completion sandbox create -- --network (count (__swnet_tokens -pc)) (__swnet_tokens -tC))'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet sandbox create" ip' -l 'ip' -d 'A static IPv4 address inside the network\'s subnet.' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet sandbox create" ip6' -l 'ip6' -d 'A static IPv6 address inside the network\'s IPv6 subnet.' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet sandbox create" mac' -l 'mac' -d 'The MAC address (default: derived from the IPv4 address).' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet sandbox create"' -l 'alias' -d 'Another name for the endpoint on its network.' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet sandbox create"' -s 'p' -l 'publish' -d 'Publish a port: [HOSTIP:][HOSTPORT[-END]:]PORT[-END][/tcp|/udp]; without HOSTPORT a free one is chosen.' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet sandbox create" ignore' -l 'ignore' -d 'Succeed without change when the sandbox exists with every setting given, on each --network with every setting given there; fail naming the difference otherwise.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet sandbox create" version' -l 'version' -d 'Show the version.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet sandbox create" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet sandbox ls" state-dir' -l 'state-dir' -d 'Where swnet keeps its state (env SWNET_STATE_DIR).' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet sandbox ls" netns-dir' -l 'netns-dir' -d 'Where sandbox namespaces are bound (env SWNET_NETNS_DIR).' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet sandbox ls" debug' -l 'debug' -d 'Print each kernel step and its duration on standard error.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet sandbox ls" q quiet' -l 'quiet' -s 'q' -d 'Print names only, one per line.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet sandbox ls" format' -l 'format' -d 'table (default), json, or a Go template: {{.Name}}, {{.ID}}, {{json .}}, {{.Labels}}, {{index .Labels "k"}}, {{if …}}…{{else}}…{{end}}, {{range …}}…{{end}}, functions json, index, join, len, lower, upper; \'table TEMPLATE\' prints a header and aligns columns split by \\t. Fields are those of \'inspect\', matched without regard to case.' -rfka 'table json'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet sandbox ls" no-trunc' -l 'no-trunc' -d 'Show whole ids.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet sandbox ls"' -l 'filter' -d 'Show only objects matching KEY=VALUE (name, id, label=KEY or label=KEY=VALUE, and per kind driver, network, sandbox); repeatable, all must match.' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet sandbox ls" version' -l 'version' -d 'Show the version.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet sandbox ls" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet sandbox inspect" state-dir' -l 'state-dir' -d 'Where swnet keeps its state (env SWNET_STATE_DIR).' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet sandbox inspect" netns-dir' -l 'netns-dir' -d 'Where sandbox namespaces are bound (env SWNET_NETNS_DIR).' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet sandbox inspect" debug' -l 'debug' -d 'Print each kernel step and its duration on standard error.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet sandbox inspect" f format' -l 'format' -s 'f' -d 'json (default: a JSON array) or a Go template applied to each object, as for \'ls\'.' -rfka 'json'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_positional "swnet sandbox inspect" -ge 1' -fka '(__swnet_custom_completion ---completion sandbox inspect -- positional@0 (count (__swnet_tokens -pc)) (__swnet_tokens -tC))'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet sandbox inspect" version' -l 'version' -d 'Show the version.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet sandbox inspect" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet sandbox rm" state-dir' -l 'state-dir' -d 'Where swnet keeps its state (env SWNET_STATE_DIR).' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet sandbox rm" netns-dir' -l 'netns-dir' -d 'Where sandbox namespaces are bound (env SWNET_NETNS_DIR).' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet sandbox rm" debug' -l 'debug' -d 'Print each kernel step and its duration on standard error.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet sandbox rm" f force' -l 'force' -s 'f' -d 'Ignore sandboxes that do not exist.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_positional "swnet sandbox rm" -ge 1' -fka '(__swnet_custom_completion ---completion sandbox rm -- positional@0 (count (__swnet_tokens -pc)) (__swnet_tokens -tC))'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet sandbox rm" version' -l 'version' -d 'Show the version.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet sandbox rm" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet sandbox prune" state-dir' -l 'state-dir' -d 'Where swnet keeps its state (env SWNET_STATE_DIR).' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet sandbox prune" netns-dir' -l 'netns-dir' -d 'Where sandbox namespaces are bound (env SWNET_NETNS_DIR).' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet sandbox prune" debug' -l 'debug' -d 'Print each kernel step and its duration on standard error.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet sandbox prune"' -l 'filter' -d 'Only objects with this label (label=KEY or label=KEY=VALUE); repeatable, all must match.' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet sandbox prune" f force' -l 'force' -s 'f' -d 'Do not ask for confirmation.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet sandbox prune" version' -l 'version' -d 'Show the version.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet sandbox prune" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet endpoint" version' -l 'version' -d 'Show the version.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet endpoint" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_positional "swnet endpoint" -eq 1' -fa 'create' -d 'Create an endpoint on a network.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_positional "swnet endpoint" -eq 1' -fa 'ls' -d 'List endpoints.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_positional "swnet endpoint" -eq 1' -fa 'inspect' -d 'Show endpoints as a JSON array.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_positional "swnet endpoint" -eq 1' -fa 'rm' -d 'Remove endpoints.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet endpoint create" state-dir' -l 'state-dir' -d 'Where swnet keeps its state (env SWNET_STATE_DIR).' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet endpoint create" netns-dir' -l 'netns-dir' -d 'Where sandbox namespaces are bound (env SWNET_NETNS_DIR).' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet endpoint create" debug' -l 'debug' -d 'Print each kernel step and its duration on standard error.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet endpoint create" network' -l 'network' -d 'The network (name or id prefix).' -rfka '(__swnet_custom_completion ---completion endpoint create -- --network (count (__swnet_tokens -pc)) (__swnet_tokens -tC))'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet endpoint create" ip' -l 'ip' -d 'A static IPv4 address inside the network\'s subnet.' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet endpoint create" ip6' -l 'ip6' -d 'A static IPv6 address inside the network\'s IPv6 subnet.' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet endpoint create" mac' -l 'mac' -d 'The MAC address (default: derived from the IPv4 address).' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet endpoint create"' -l 'alias' -d 'Another name for the endpoint on its network.' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet endpoint create"' -s 'p' -l 'publish' -d 'Publish a port: [HOSTIP:][HOSTPORT[-END]:]PORT[-END][/tcp|/udp]; without HOSTPORT a free one is chosen.' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet endpoint create"' -l 'label' -d 'A label.' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet endpoint create" ignore' -l 'ignore' -d 'Succeed without change when the endpoint exists with every setting given; fail naming the difference otherwise.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet endpoint create" version' -l 'version' -d 'Show the version.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet endpoint create" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet endpoint ls" state-dir' -l 'state-dir' -d 'Where swnet keeps its state (env SWNET_STATE_DIR).' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet endpoint ls" netns-dir' -l 'netns-dir' -d 'Where sandbox namespaces are bound (env SWNET_NETNS_DIR).' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet endpoint ls" debug' -l 'debug' -d 'Print each kernel step and its duration on standard error.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet endpoint ls" q quiet' -l 'quiet' -s 'q' -d 'Print names only, one per line.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet endpoint ls" format' -l 'format' -d 'table (default), json, or a Go template: {{.Name}}, {{.ID}}, {{json .}}, {{.Labels}}, {{index .Labels "k"}}, {{if …}}…{{else}}…{{end}}, {{range …}}…{{end}}, functions json, index, join, len, lower, upper; \'table TEMPLATE\' prints a header and aligns columns split by \\t. Fields are those of \'inspect\', matched without regard to case.' -rfka 'table json'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet endpoint ls" no-trunc' -l 'no-trunc' -d 'Show whole ids.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet endpoint ls"' -l 'filter' -d 'Show only objects matching KEY=VALUE (name, id, label=KEY or label=KEY=VALUE, and per kind driver, network, sandbox); repeatable, all must match.' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet endpoint ls" network' -l 'network' -d 'Only endpoints of this network.' -rfka '(__swnet_custom_completion ---completion endpoint ls -- --network (count (__swnet_tokens -pc)) (__swnet_tokens -tC))'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet endpoint ls" version' -l 'version' -d 'Show the version.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet endpoint ls" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet endpoint inspect" state-dir' -l 'state-dir' -d 'Where swnet keeps its state (env SWNET_STATE_DIR).' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet endpoint inspect" netns-dir' -l 'netns-dir' -d 'Where sandbox namespaces are bound (env SWNET_NETNS_DIR).' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet endpoint inspect" debug' -l 'debug' -d 'Print each kernel step and its duration on standard error.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet endpoint inspect" f format' -l 'format' -s 'f' -d 'json (default: a JSON array) or a Go template applied to each object, as for \'ls\'.' -rfka 'json'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_positional "swnet endpoint inspect" -ge 1' -fka '(__swnet_custom_completion ---completion endpoint inspect -- positional@0 (count (__swnet_tokens -pc)) (__swnet_tokens -tC))'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet endpoint inspect" version' -l 'version' -d 'Show the version.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet endpoint inspect" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet endpoint rm" state-dir' -l 'state-dir' -d 'Where swnet keeps its state (env SWNET_STATE_DIR).' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet endpoint rm" netns-dir' -l 'netns-dir' -d 'Where sandbox namespaces are bound (env SWNET_NETNS_DIR).' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet endpoint rm" debug' -l 'debug' -d 'Print each kernel step and its duration on standard error.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet endpoint rm" f force' -l 'force' -s 'f' -d 'Leave the sandbox first; ignore endpoints that do not exist.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_positional "swnet endpoint rm" -ge 1' -fka '(__swnet_custom_completion ---completion endpoint rm -- positional@0 (count (__swnet_tokens -pc)) (__swnet_tokens -tC))'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet endpoint rm" version' -l 'version' -d 'Show the version.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet endpoint rm" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet join" state-dir' -l 'state-dir' -d 'Where swnet keeps its state (env SWNET_STATE_DIR).' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet join" netns-dir' -l 'netns-dir' -d 'Where sandbox namespaces are bound (env SWNET_NETNS_DIR).' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet join" debug' -l 'debug' -d 'Print each kernel step and its duration on standard error.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_positional "swnet join" -eq 1' -fka '(__swnet_custom_completion ---completion join -- positional@0 (count (__swnet_tokens -pc)) (__swnet_tokens -tC))'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_positional "swnet join" -eq 2' -fka '(__swnet_custom_completion ---completion join -- positional@1 (count (__swnet_tokens -pc)) (__swnet_tokens -tC))'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet join" ifname' -l 'ifname' -d 'The interface name inside the sandbox.' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet join" version' -l 'version' -d 'Show the version.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet join" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet leave" state-dir' -l 'state-dir' -d 'Where swnet keeps its state (env SWNET_STATE_DIR).' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet leave" netns-dir' -l 'netns-dir' -d 'Where sandbox namespaces are bound (env SWNET_NETNS_DIR).' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet leave" debug' -l 'debug' -d 'Print each kernel step and its duration on standard error.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_positional "swnet leave" -eq 1' -fka '(__swnet_custom_completion ---completion leave -- positional@0 (count (__swnet_tokens -pc)) (__swnet_tokens -tC))'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet leave" version' -l 'version' -d 'Show the version.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet leave" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet connect" state-dir' -l 'state-dir' -d 'Where swnet keeps its state (env SWNET_STATE_DIR).' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet connect" netns-dir' -l 'netns-dir' -d 'Where sandbox namespaces are bound (env SWNET_NETNS_DIR).' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet connect" debug' -l 'debug' -d 'Print each kernel step and its duration on standard error.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_positional "swnet connect" -eq 1' -fka '(__swnet_custom_completion ---completion connect -- positional@0 (count (__swnet_tokens -pc)) (__swnet_tokens -tC))'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_positional "swnet connect" -eq 2' -fka '(__swnet_custom_completion ---completion connect -- positional@1 (count (__swnet_tokens -pc)) (__swnet_tokens -tC))'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet connect" name' -l 'name' -d 'The endpoint\'s name.' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet connect" ifname' -l 'ifname' -d 'The interface name inside the sandbox.' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet connect" ip' -l 'ip' -d 'A static IPv4 address inside the network\'s subnet.' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet connect" ip6' -l 'ip6' -d 'A static IPv6 address inside the network\'s IPv6 subnet.' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet connect" mac' -l 'mac' -d 'The MAC address (default: derived from the IPv4 address).' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet connect"' -l 'alias' -d 'Another name for the endpoint on its network.' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet connect"' -s 'p' -l 'publish' -d 'Publish a port: [HOSTIP:][HOSTPORT[-END]:]PORT[-END][/tcp|/udp]; without HOSTPORT a free one is chosen.' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet connect"' -l 'label' -d 'A label.' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet connect" version' -l 'version' -d 'Show the version.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet connect" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet disconnect" state-dir' -l 'state-dir' -d 'Where swnet keeps its state (env SWNET_STATE_DIR).' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet disconnect" netns-dir' -l 'netns-dir' -d 'Where sandbox namespaces are bound (env SWNET_NETNS_DIR).' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet disconnect" debug' -l 'debug' -d 'Print each kernel step and its duration on standard error.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_positional "swnet disconnect" -eq 1' -fka '(__swnet_custom_completion ---completion disconnect -- positional@0 (count (__swnet_tokens -pc)) (__swnet_tokens -tC))'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_positional "swnet disconnect" -eq 2' -fka '(__swnet_custom_completion ---completion disconnect -- positional@1 (count (__swnet_tokens -pc)) (__swnet_tokens -tC))'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet disconnect" version' -l 'version' -d 'Show the version.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet disconnect" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet inspect" state-dir' -l 'state-dir' -d 'Where swnet keeps its state (env SWNET_STATE_DIR).' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet inspect" netns-dir' -l 'netns-dir' -d 'Where sandbox namespaces are bound (env SWNET_NETNS_DIR).' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet inspect" debug' -l 'debug' -d 'Print each kernel step and its duration on standard error.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_positional "swnet inspect" -ge 1' -fka '(__swnet_custom_completion ---completion inspect -- positional@0 (count (__swnet_tokens -pc)) (__swnet_tokens -tC))'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet inspect" f format' -l 'format' -s 'f' -d 'json (default: a JSON array) or a Go template applied to each object, as for \'ls\'.' -rfka 'json'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet inspect" version' -l 'version' -d 'Show the version.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet inspect" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet exec" state-dir' -l 'state-dir' -d 'Where swnet keeps its state (env SWNET_STATE_DIR).' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet exec" netns-dir' -l 'netns-dir' -d 'Where sandbox namespaces are bound (env SWNET_NETNS_DIR).' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet exec" debug' -l 'debug' -d 'Print each kernel step and its duration on standard error.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_positional "swnet exec" -eq 1' -fka '(__swnet_custom_completion ---completion exec -- positional@0 (count (__swnet_tokens -pc)) (__swnet_tokens -tC))'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet exec" version' -l 'version' -d 'Show the version.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet exec" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet up" state-dir' -l 'state-dir' -d 'Where swnet keeps its state (env SWNET_STATE_DIR).' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet up" netns-dir' -l 'netns-dir' -d 'Where sandbox namespaces are bound (env SWNET_NETNS_DIR).' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet up" debug' -l 'debug' -d 'Print each kernel step and its duration on standard error.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet up" f file' -l 'file' -s 'f' -d 'The topology file (YAML or JSON); see swnet-topology(5).' -rfa '(set -l exts \'yaml\' \'yml\' \'json\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet up" p project' -l 'project' -s 'p' -d 'The topology\'s name (default: the file\'s \'name:\', else its base name).' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet up" version' -l 'version' -d 'Show the version.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet up" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet down" state-dir' -l 'state-dir' -d 'Where swnet keeps its state (env SWNET_STATE_DIR).' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet down" netns-dir' -l 'netns-dir' -d 'Where sandbox namespaces are bound (env SWNET_NETNS_DIR).' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet down" debug' -l 'debug' -d 'Print each kernel step and its duration on standard error.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet down" f file' -l 'file' -s 'f' -d 'The topology file (YAML or JSON); see swnet-topology(5).' -rfa '(set -l exts \'yaml\' \'yml\' \'json\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet down" p project' -l 'project' -s 'p' -d 'The topology\'s name (default: the file\'s \'name:\', else its base name).' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet down" version' -l 'version' -d 'Show the version.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet down" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet system" version' -l 'version' -d 'Show the version.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet system" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_positional "swnet system" -eq 1' -fa 'info' -d 'Show swnet\'s state and where its kernel objects are.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_positional "swnet system" -eq 1' -fa 'check' -d 'Report every difference between the state and the kernel.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_positional "swnet system" -eq 1' -fa 'gc' -d 'Clean up after interrupted commands: remove swnet\'s leftovers, put back what they half removed.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_positional "swnet system" -eq 1' -fa 'restore' -d 'Re-create every network, sandbox, join and firewall rule from the state.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet system info" state-dir' -l 'state-dir' -d 'Where swnet keeps its state (env SWNET_STATE_DIR).' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet system info" netns-dir' -l 'netns-dir' -d 'Where sandbox namespaces are bound (env SWNET_NETNS_DIR).' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet system info" debug' -l 'debug' -d 'Print each kernel step and its duration on standard error.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet system info" format' -l 'format' -d 'table (default), json, or a Go template such as {{.Firewall}}.' -rfka 'table json'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet system info" version' -l 'version' -d 'Show the version.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet system info" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet system check" state-dir' -l 'state-dir' -d 'Where swnet keeps its state (env SWNET_STATE_DIR).' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet system check" netns-dir' -l 'netns-dir' -d 'Where sandbox namespaces are bound (env SWNET_NETNS_DIR).' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet system check" debug' -l 'debug' -d 'Print each kernel step and its duration on standard error.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet system check" version' -l 'version' -d 'Show the version.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet system check" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet system gc" state-dir' -l 'state-dir' -d 'Where swnet keeps its state (env SWNET_STATE_DIR).' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet system gc" netns-dir' -l 'netns-dir' -d 'Where sandbox namespaces are bound (env SWNET_NETNS_DIR).' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet system gc" debug' -l 'debug' -d 'Print each kernel step and its duration on standard error.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet system gc" version' -l 'version' -d 'Show the version.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet system gc" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet system restore" state-dir' -l 'state-dir' -d 'Where swnet keeps its state (env SWNET_STATE_DIR).' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet system restore" netns-dir' -l 'netns-dir' -d 'Where sandbox namespaces are bound (env SWNET_NETNS_DIR).' -rfka ''
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet system restore" debug' -l 'debug' -d 'Print each kernel step and its duration on standard error.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet system restore" version' -l 'version' -d 'Show the version.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet system restore" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet version" version' -l 'version' -d 'Show the version.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet version" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'swnet' -n '__swnet_should_offer_completions_for_flags_or_options "swnet help" version' -l 'version' -d 'Show the version.'
