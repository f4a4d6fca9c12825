/// Object names and ids.
///
/// Names are what users type and what appear in paths (`<netns-dir>/<name>`,
/// `/etc/netns/<name>`), so the rule keeps them to one safe path component: no `/`, no leading
/// dot (so never `.` or `..`), nothing a shell or a file would treat specially.
public enum Identifiers {
    /// The longest name accepted.
    public static let maximumNameLength = 63

    /// Whether `validateName` accepts `name`, without building its error.
    static func isValidName(_ name: String) -> Bool {
        let bytes = name.utf8
        let isAlphanumeric = { (byte: UInt8) in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a)
        }
        guard let first = bytes.first, isAlphanumeric(first), bytes.count <= maximumNameLength else { return false }
        return bytes.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
    }

    /// Checks a name against `[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}`, with an error naming what is wrong.
    public static func validateName(_ name: String, of kind: ObjectKind) throws(SwnetError) {
        if isValidName(name) { return }
        // Built only for the error: looking up Unicode properties costs a command ~0.1 ms.
        let hint = "use 1-\(maximumNameLength) letters, digits, '_', '.' or '-', starting with a letter or digit"
        guard !name.isEmpty else {
            throw .invalid("invalid \(kind.rawValue) name \"\"", why: "a name is required", hint: hint)
        }
        let printable = name.unicodeScalars.map { $0.properties.isWhitespace || $0.value < 0x20 ? "?" : String($0) }.joined()
        guard name.utf8.count <= maximumNameLength else {
            throw .invalid("invalid \(kind.rawValue) name \"\(printable.prefix(20))…\"",
                           why: "\(name.utf8.count) characters, at most \(maximumNameLength) allowed", hint: hint)
        }
        throw .invalid("invalid \(kind.rawValue) name \"\(printable)\"", hint: hint)
    }

    /// How many hex digits an id has.
    static let idLength = 64

    /// A new random 64-hex-digit id.
    public static func newID() -> String {
        var generator = SystemRandomNumberGenerator()
        var text = ""
        for _ in 0..<4 {
            let word = generator.next() as UInt64
            let hex = String(word, radix: 16)
            text += String(repeating: "0", count: 16 - hex.count) + hex
        }
        return text
    }

    /// True when `text` could be an id prefix a user typed (4 to 64 lowercase hex digits).
    static func isIDPrefix(_ text: String) -> Bool {
        (4...idLength).contains(text.utf8.count) && text.utf8.allSatisfy {
            ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66)
        }
    }
}
