import CYAML

/// A YAML document as a tree whose nodes know the line they start on, so a topology error can
/// point at it.
///
/// The parsing is libyaml's (the C library Yams wraps); only its events are assembled here.
/// Yams itself would bring the whole of Foundation into the binary: 53 MB more, and 2.4 ms more
/// start-up for every swnet command, measured.
enum YAMLNode {
    /// A scalar; `plain` when unquoted (only a plain scalar can be null).
    case scalar(String, plain: Bool, line: Int)
    case sequence([YAMLNode], line: Int)
    case mapping([Pair], line: Int)

    /// One entry of a mapping, in file order.
    struct Pair {
        var key: YAMLNode
        var value: YAMLNode
    }

    /// The line the node starts on, from 1.
    var line: Int {
        switch self {
        case .scalar(_, _, let line), .sequence(_, let line), .mapping(_, let line): line
        }
    }

    /// A scalar's text; nil for a collection.
    var text: String? {
        if case .scalar(let text, _, _) = self { return text }
        return nil
    }

    /// True for `~`, `null` or nothing at all, unquoted.
    var isNull: Bool {
        guard case .scalar(let text, true, _) = self else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(text)
    }

    /// A YAML syntax error and the line it is on.
    struct SyntaxError: Error {
        var problem: String
        var line: Int
    }

    /// Parses the first document of `text`; nil when there is none.
    static func parse(_ text: String) throws(SyntaxError) -> YAMLNode? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { throw SyntaxError(problem: "out of memory", line: 0) }
        defer { yaml_parser_delete(&parser) }
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBufferPointer { (buffer) throws(SyntaxError) -> YAMLNode? in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var composer = Composer()
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else {
                    let problem = parser.problem.map { String(cString: $0) } ?? "unreadable YAML"
                    throw SyntaxError(problem: problem, line: Int(parser.problem_mark.line) + 1)
                }
                defer { yaml_event_delete(&event) }
                if let document = try composer.add(event) { return document }
                if event.type == YAML_STREAM_END_EVENT { return nil }
            }
        }
    }

    /// Builds nodes from parser events: open collections on a stack, anchors for aliases.
    private struct Composer {
        enum Open {
            case sequence([YAMLNode], line: Int)
            case mapping([Pair], pendingKey: YAMLNode?, line: Int)
        }

        var stack: [(collection: Open, anchor: String?)] = []
        var anchors: [String: YAMLNode] = [:]

        /// Takes one event; returns the document's root once it is complete.
        mutating func add(_ event: yaml_event_t) throws(SyntaxError) -> YAMLNode? {
            let line = Int(event.start_mark.line) + 1
            switch event.type {
            case YAML_SCALAR_EVENT:
                let scalar = event.data.scalar
                let text = String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
                let node = YAMLNode.scalar(text, plain: scalar.plain_implicit == 1, line: line)
                return try place(node, anchor: scalar.anchor.map { String(cString: $0) })
            case YAML_ALIAS_EVENT:
                let name = event.data.alias.anchor.map { String(cString: $0) } ?? ""
                guard let node = anchors[name] else { throw SyntaxError(problem: "unknown alias *\(name)", line: line) }
                return try place(node, anchor: nil)
            case YAML_SEQUENCE_START_EVENT:
                stack.append((.sequence([], line: line), event.data.sequence_start.anchor.map { String(cString: $0) }))
            case YAML_MAPPING_START_EVENT:
                stack.append((.mapping([], pendingKey: nil, line: line), event.data.mapping_start.anchor.map { String(cString: $0) }))
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                guard let (open, anchor) = stack.popLast() else { return nil }
                switch open {
                case .sequence(let items, let start): return try place(.sequence(items, line: start), anchor: anchor)
                case .mapping(let pairs, _, let start): return try place(.mapping(pairs, line: start), anchor: anchor)
                }
            default:
                break
            }
            return nil
        }

        /// Puts a finished node into the collection being built, or returns it as the root.
        private mutating func place(_ node: YAMLNode, anchor: String?) throws(SyntaxError) -> YAMLNode? {
            if let anchor { anchors[anchor] = node }
            guard let (open, openAnchor) = stack.popLast() else { return node }
            switch open {
            case .sequence(var items, let line):
                items.append(node)
                stack.append((.sequence(items, line: line), openAnchor))
            case .mapping(var pairs, let key?, let line):
                pairs.append(Pair(key: key, value: node))
                stack.append((.mapping(pairs, pendingKey: nil, line: line), openAnchor))
            case .mapping(let pairs, nil, let line):
                stack.append((.mapping(pairs, pendingKey: node, line: line), openAnchor))
            }
            return nil
        }
    }
}
