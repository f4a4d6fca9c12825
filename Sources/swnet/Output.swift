import FoundationEssentials
import Glibc

/// Output shared by the commands: tables, JSON, and messages on standard error.
enum Output {
    static func standardError(_ line: String) {
        let bytes = Array((line + "\n").utf8)
        _ = bytes.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }

    /// Writes a question to standard error, leaving the cursor after it.
    static func prompt(_ question: String) {
        let bytes = Array(question.utf8)
        _ = bytes.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }

    static func error(_ message: String) {
        standardError("swnet: error: " + message)
    }

    static func warning(_ message: String) {
        standardError("swnet: warning: " + message)
    }

    /// Prints rows under a header with columns aligned by two spaces.
    static func table(_ header: [String], _ rows: [[String]]) {
        var widths = header.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        for row in [header] + rows {
            var line = ""
            for (index, cell) in row.enumerated() {
                line += index == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count + 2)
            }
            while line.last == " " { line.removeLast() }
            print(line)
        }
    }
}

/// Prints values as an indented JSON array with sorted keys, as `inspect` and `--format json` do.
func printJSONArray(_ values: [any Encodable]) throws {
    struct Element: Encodable {
        let value: any Encodable
        func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    print(String(decoding: try encoder.encode(values.map(Element.init)), as: UTF8.self))
}
