/// The 64-bit FNV-1a hash: fast, stable across runs and builds, not cryptographic. It names
/// settings in topology digests and tells a whole journal from one a crash cut short.
enum FNV1a {
    static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325

    /// The hash of `bytes`, or of what was hashed into `hash` followed by `bytes`.
    static func hash(_ bytes: some Sequence<UInt8>, continuing hash: UInt64 = offsetBasis) -> UInt64 {
        var hash = hash
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return hash
    }

    /// The hash as 16 lower-case hex digits.
    static func hex(_ bytes: some Sequence<UInt8>, continuing hash: UInt64 = offsetBasis) -> String {
        let hex = String(Self.hash(bytes, continuing: hash), radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
