import Glibc

/// Lends C copies of strings to a call into C: `copy` makes one (nil for nil), and all of them
/// are freed when `body` returns.
func withCStringCopies<T>(_ body: (_ copy: (String?) -> UnsafePointer<CChar>?) -> T) -> T {
    var copies: [UnsafeMutablePointer<CChar>] = []
    defer { copies.forEach { free($0) } }
    return body { text in
        guard let text, let copy = strdup(text) else { return nil }
        copies.append(copy)
        return UnsafePointer(copy)
    }
}
