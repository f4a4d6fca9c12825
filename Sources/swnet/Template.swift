import FoundationEssentials

/// A JSON value, as `inspect` prints an object; what templates read.
enum JSONValue: Decodable, Equatable {
    case null
    case bool(Bool)
    case integer(Int)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// The value of an encodable object, through its JSON form.
    init(_ value: some Encodable) throws {
        self = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(value))
    }

    /// A member looked up as Go templates name fields: `.ID` finds `id`, `.NetworkName` finds
    /// `networkName`.
    func field(_ name: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        if let exact = members[name] { return exact }
        let lowered = name.lowercased()
        return members.first { $0.key.lowercased() == lowered }?.value
    }

    /// True unless empty, false, zero or null, as Go's `if` decides.
    var isTruthy: Bool {
        switch self {
        case .null: false
        case .bool(let value): value
        case .integer(let value): value != 0
        case .number(let value): value != 0
        case .string(let value): !value.isEmpty
        case .array(let values): !values.isEmpty
        case .object(let members): !members.isEmpty
        }
    }

    /// Compact JSON with sorted keys, as `{{json .}}` prints.
    var json: String {
        switch self {
        case .null: "null"
        case .bool(let value): value ? "true" : "false"
        case .integer(let value): String(value)
        case .number(let value): String(value)
        case .string(let value): Self.quoted(value)
        case .array(let values): "[" + values.map(\.json).joined(separator: ",") + "]"
        case .object(let members):
            "{" + members.sorted { $0.key < $1.key }.map { Self.quoted($0.key) + ":" + $0.value.json }.joined(separator: ",") + "}"
        }
    }

    /// Text as a template prints it: strings bare, lists as `[a b]`, maps as `k=v,k2=v2` (the
    /// way `docker network ls` shows labels).
    var text: String {
        switch self {
        case .null: "<no value>"
        case .string(let value): value
        case .array(let values): "[" + values.map(\.text).joined(separator: " ") + "]"
        case .object(let members): members.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.text)" }.joined(separator: ",")
        default: json
        }
    }

    private static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}

/// A template in the subset of Go's text/template that `--format` takes.
///
/// Actions: `{{.Field}}`, `{{.A.B}}`, `{{.}}`, string literals, pipelines with `|`, functions
/// `json`, `index`, `join`, `len`, `lower`, `upper`, and `{{if …}}…{{else}}…{{end}}`,
/// `{{range …}}…{{end}}`; `{{-` and `-}}` trim the spaces beside them. A format starting with
/// `table` prints a header and aligns the columns separated by `\t`.
struct Template {
    /// A failure to parse or run a template, with the reason.
    struct Error: Swift.Error {
        var message: String
    }

    private indirect enum Node {
        case text(String)
        case action(Pipeline)
        case conditional(Pipeline, then: [Node], otherwise: [Node])
        case loop(Pipeline, body: [Node])
    }

    private enum Operand {
        case dot
        case field([String])
        case literal(String)
        case function(String)
    }

    /// Commands joined by `|`; each command's result is the last argument of the next.
    private typealias Pipeline = [[Operand]]

    private let nodes: [Node]
    /// True when the format started with `table`: a header line and aligned columns.
    let isTable: Bool
    /// The column headers of a table, from each action's last field name.
    let header: String

    init(_ format: String) throws(Error) {
        var source = format
        isTable = source.hasPrefix("table")
        if isTable { source = String(source.dropFirst(5)).trimmingLeadingSpaces() }
        // As Docker does: the two characters \t and \n typed in a shell mean tab and newline.
        source = source.replacing("\\t", with: "\t").replacing("\\n", with: "\n")
        var parser = Parser(source: source)
        var ending: String?
        nodes = try parser.parseNodes(until: [], terminator: &ending)
        header = Self.header(for: nodes)
    }

    /// Renders the template for one object.
    func render(_ value: JSONValue) throws(Error) -> String {
        try Self.render(nodes, dot: value)
    }

    private static func render(_ nodes: [Node], dot: JSONValue) throws(Error) -> String {
        var output = ""
        for node in nodes {
            switch node {
            case .text(let text):
                output += text
            case .action(let pipeline):
                output += try evaluate(pipeline, dot: dot).text
            case .conditional(let pipeline, let then, let otherwise):
                output += try render(try evaluate(pipeline, dot: dot).isTruthy ? then : otherwise, dot: dot)
            case .loop(let pipeline, let body):
                switch try evaluate(pipeline, dot: dot) {
                case .array(let elements):
                    for element in elements { output += try render(body, dot: element) }
                case .object(let members):
                    for (_, value) in members.sorted(by: { $0.key < $1.key }) { output += try render(body, dot: value) }
                case .null:
                    continue
                case let other:
                    throw Error(message: "range cannot iterate over \(other.json)")
                }
            }
        }
        return output
    }

    private static func evaluate(_ pipeline: Pipeline, dot: JSONValue) throws(Error) -> JSONValue {
        var previous: JSONValue?
        for command in pipeline {
            var arguments: [JSONValue] = []
            let head = command[0]
            for operand in command.dropFirst() {
                arguments.append(try value(of: operand, dot: dot))
            }
            if let previous { arguments.append(previous) }
            if case .function(let name) = head {
                previous = try call(name, arguments)
            } else {
                guard arguments.isEmpty else { throw Error(message: "only a function takes arguments") }
                previous = try value(of: head, dot: dot)
            }
        }
        return previous ?? .null
    }

    private static func value(of operand: Operand, dot: JSONValue) throws(Error) -> JSONValue {
        switch operand {
        case .dot:
            return dot
        case .literal(let text):
            return .string(text)
        case .field(let path):
            var current = dot
            for name in path {
                guard let next = current.field(name) else { return .null }
                current = next
            }
            return current
        case .function(let name):
            return try call(name, [])
        }
    }

    private static func call(_ name: String, _ arguments: [JSONValue]) throws(Error) -> JSONValue {
        func expect(_ count: Int) throws(Error) {
            guard arguments.count == count else {
                throw Error(message: "\(name) takes \(count) argument\(count == 1 ? "" : "s"), not \(arguments.count)")
            }
        }
        switch name {
        case "json":
            try expect(1)
            return .string(arguments[0].json)
        case "index":
            try expect(2)
            switch (arguments[0], arguments[1]) {
            case (.object(let members), .string(let key)): return members[key] ?? .string("")
            case (.array(let elements), .integer(let position)) where elements.indices.contains(position): return elements[position]
            case (.array(let elements), .string(let text)):
                guard let position = Int(text), elements.indices.contains(position) else { return .string("") }
                return elements[position]
            default: return .string("")
            }
        case "join":
            try expect(2)
            guard case .array(let elements) = arguments[0], case .string(let separator) = arguments[1] else {
                throw Error(message: "join takes a list and a separator")
            }
            return .string(elements.map(\.text).joined(separator: separator))
        case "len":
            try expect(1)
            switch arguments[0] {
            case .array(let elements): return .integer(elements.count)
            case .object(let members): return .integer(members.count)
            case .string(let text): return .integer(text.count)
            default: return .integer(0)
            }
        case "lower", "upper":
            try expect(1)
            let text = arguments[0].text
            return .string(name == "lower" ? text.lowercased() : text.uppercased())
        default:
            throw Error(message: "function \"\(name)\" not defined (known: index, join, json, len, lower, upper)")
        }
    }

    /// The header of a table: for each action, the last field it names or its string literal.
    private static func header(for nodes: [Node]) -> String {
        nodes.map { node in
            switch node {
            case .text(let text): return text
            case .action(let pipeline):
                for command in pipeline.reversed() {
                    for operand in command.reversed() {
                        if case .literal(let key) = operand { return key.uppercased() }
                        if case .field(let path) = operand, let last = path.last { return last.uppercased() }
                    }
                }
                return ""
            case .conditional, .loop: return ""
            }
        }.joined()
    }

    /// Reads template text into nodes.
    private struct Parser {
        let source: [Character]
        var position = 0

        init(source: String) { self.source = Array(source) }

        /// Nodes up to one of the keywords in `terminators` (`end`, `else`), which is consumed
        /// and returned through `terminator`.
        mutating func parseNodes(until terminators: Set<String>, terminator: inout String?) throws(Error) -> [Node] {
            var nodes: [Node] = []
            while position < source.count {
                guard let open = find("{{", from: position) else {
                    nodes.append(.text(String(source[position...])))
                    position = source.count
                    break
                }
                var text = String(source[position..<open])
                position = open + 2
                if peek("-") && source.indices.contains(position + 1) && source[position + 1] == " " {
                    text = text.trimmingTrailingWhitespace()
                    position += 1
                }
                if !text.isEmpty { nodes.append(.text(text)) }
                guard let close = find("}}", from: position) else {
                    throw Error(message: "unclosed action at \"{{\(String(source[position...]).prefix(20))\"")
                }
                var body = String(source[position..<close])
                position = close + 2
                if body.hasSuffix(" -") {
                    body.removeLast()
                    while position < source.count && source[position].isWhitespace { position += 1 }
                }
                let words = try Self.tokens(body)
                guard let keyword = words.first else { throw Error(message: "empty action {{}}") }
                switch keyword {
                case "end", "else":
                    guard terminators.contains(keyword) else { throw Error(message: "unexpected {{\(keyword)}}") }
                    terminator = keyword
                    return nodes
                case "if":
                    let condition = try Self.pipeline(Array(words.dropFirst()))
                    var ending: String?
                    let then = try parseNodes(until: ["else", "end"], terminator: &ending)
                    var otherwise: [Node] = []
                    if ending == "else" {
                        otherwise = try parseNodes(until: ["end"], terminator: &ending)
                    }
                    guard ending == "end" else { throw Error(message: "{{if}} without {{end}}") }
                    nodes.append(.conditional(condition, then: then, otherwise: otherwise))
                case "range":
                    let list = try Self.pipeline(Array(words.dropFirst()))
                    var ending: String?
                    let body = try parseNodes(until: ["end"], terminator: &ending)
                    guard ending == "end" else { throw Error(message: "{{range}} without {{end}}") }
                    nodes.append(.loop(list, body: body))
                default:
                    nodes.append(.action(try Self.pipeline(words)))
                }
            }
            if !terminators.isEmpty { throw Error(message: "missing {{end}}") }
            return nodes
        }

        private func peek(_ character: Character) -> Bool {
            position < source.count && source[position] == character
        }

        private func find(_ marker: String, from start: Int) -> Int? {
            let marker = Array(marker)
            var index = start
            while index + marker.count <= source.count {
                if Array(source[index..<index + marker.count]) == marker { return index }
                index += 1
            }
            return nil
        }

        /// Splits an action into words: quoted strings stay whole (quotes kept), `|` is a word.
        static func tokens(_ body: String) throws(Error) -> [String] {
            var words: [String] = []
            var current = ""
            var quoted = false
            var escaped = false
            for character in body {
                if quoted {
                    current.append(character)
                    if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { quoted = false }
                    continue
                }
                switch character {
                case "\"":
                    current.append(character)
                    quoted = true
                case "|":
                    if !current.isEmpty { words.append(current); current = "" }
                    words.append("|")
                case _ where character.isWhitespace:
                    if !current.isEmpty { words.append(current); current = "" }
                default:
                    current.append(character)
                }
            }
            if quoted { throw Error(message: "unterminated string in {{\(body)}}") }
            if !current.isEmpty { words.append(current) }
            return words
        }

        static func pipeline(_ words: [String]) throws(Error) -> Pipeline {
            var commands: Pipeline = [[]]
            for word in words {
                if word == "|" {
                    guard !(commands.last?.isEmpty ?? true) else { throw Error(message: "empty command before |") }
                    commands.append([])
                    continue
                }
                commands[commands.count - 1].append(try operand(word))
            }
            guard !(commands.last?.isEmpty ?? true) else { throw Error(message: "missing value in action") }
            return commands
        }

        static func operand(_ word: String) throws(Error) -> Operand {
            if word == "." { return .dot }
            if word.hasPrefix("\"") {
                var text = ""
                var escaped = false
                for character in word.dropFirst().dropLast() {
                    if escaped {
                        text.append(character == "n" ? "\n" : character == "t" ? "\t" : character)
                        escaped = false
                    } else if character == "\\" {
                        escaped = true
                    } else {
                        text.append(character)
                    }
                }
                return .literal(text)
            }
            if word.hasPrefix(".") {
                let path = word.dropFirst().split(separator: ".", omittingEmptySubsequences: false).map(String.init)
                guard path.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } }) else {
                    throw Error(message: "bad field \"\(word)\"")
                }
                return .field(path)
            }
            if let number = Int(word) { return .literal(String(number)) }
            guard word.allSatisfy({ $0.isLetter }) else { throw Error(message: "unexpected \"\(word)\"") }
            return .function(word)
        }
    }
}

private extension String {
    func trimmingLeadingSpaces() -> String {
        String(drop { $0 == " " })
    }

    func trimmingTrailingWhitespace() -> String {
        var text = self
        while text.last?.isWhitespace == true { text.removeLast() }
        return text
    }
}
