/// Rules for Linux interface names (`--ifname`, `bridge.name`).
enum InterfaceName {
    /// The kernel's limit (IFNAMSIZ less the terminating NUL).
    static let maximumLength = 15

    static func validate(_ name: String, what: String) throws(SwnetError) {
        let valid = !name.isEmpty && name.utf8.count <= maximumLength && name != "." && name != ".."
            && name.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7f && $0 != UInt8(ascii: "/") && $0 != UInt8(ascii: ":") }
        guard valid else {
            throw .invalid("invalid \(what) \"\(name)\"",
                           hint: "use 1-\(maximumLength) printable characters without '/', ':' or spaces")
        }
    }
}

/// Rules for MTUs.
enum MTU {
    /// IPv4's minimum and the largest value an interface can carry.
    static let range: ClosedRange<UInt32> = 68...65535

    static func parse(_ text: String) throws(SwnetError) -> UInt32 {
        guard let value = UInt32(text), range.contains(value) else {
            throw .invalid("invalid MTU \"\(text)\"", hint: "use a number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }
}

/// Rules for MAC addresses.
enum MACAddress {
    /// Normalizes "02:42:AC:11:00:02" to lowercase, refusing multicast and all-zero addresses,
    /// which no interface may carry.
    static func parse(_ text: String) throws(SwnetError) -> String {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        let octets = parts.compactMap { $0.count == 2 ? UInt8($0, radix: 16) : nil }
        guard parts.count == 6, octets.count == 6 else {
            throw .invalid("invalid MAC address \"\(text)\"", hint: "write it as six hex pairs, e.g. 02:42:ac:11:00:02")
        }
        guard octets[0] & 1 == 0, octets.contains(where: { $0 != 0 }) else {
            throw .invalid("MAC address \(text) is not a unicast address",
                           hint: "the first octet must be even and the address not all zeros")
        }
        return format(octets)
    }

    /// A locally administered MAC derived from an IPv4 address (02:42:a:b:c:d), as Docker does:
    /// unique wherever the address is, and stable across re-creation.
    static func derived(from address: IPAddress) -> String {
        let bits = UInt32(truncatingIfNeeded: address.bits)
        return format([0x02, 0x42, UInt8(bits >> 24), UInt8(bits >> 16 & 0xff), UInt8(bits >> 8 & 0xff), UInt8(bits & 0xff)])
    }

    /// A random locally administered unicast MAC, for endpoints without an IPv4 address.
    static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        var octets = (0..<6).map { _ in UInt8.random(in: 0...255, using: &generator) }
        octets[0] = octets[0] & 0xfe | 0x02
        return format(octets)
    }

    private static func format(_ octets: [UInt8]) -> String {
        octets.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.concatenated(separator: ":")
    }
}
