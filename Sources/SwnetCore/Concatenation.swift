extension Array where Element == String {
    /// The strings with `separator` between them, as `joined(separator:)` gives them. The
    /// standard library runs its `joined` as unspecialized generic code, whose first call in a
    /// process looks up conformances at run time (~35 µs, a scan of every conformance record in
    /// the binary), which `sandbox create`, `connect` and `join` would each pay on every run.
    func concatenated(separator: String) -> String {
        var text = ""
        for (index, element) in enumerated() {
            if index > 0 { text += separator }
            text += element
        }
        return text
    }
}
