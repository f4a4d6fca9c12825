import Glibc

/// An IPv4 or IPv6 address, kept as a 128-bit integer so subnet math is one code path.
///
/// IPv4 addresses use the low 32 bits. Text forms are strict: dotted quads with no leading
/// zeros (which some tools read as octal), and IPv6 as `inet_pton` accepts it.
public struct IPAddress: Hashable, Comparable, Sendable, CustomStringConvertible {
    public enum Family: String, Sendable, Codable {
        case v4 = "IPv4"
        case v6 = "IPv6"

        /// The number of bits in an address of this family.
        public var bitWidth: Int { self == .v4 ? 32 : 128 }
    }

    public let family: Family
    public let bits: UInt128

    public init(family: Family, bits: UInt128) {
        self.family = family
        self.bits = family == .v4 ? bits & 0xffff_ffff : bits
    }

    /// Parses "10.1.0.2" or "fd00::2"; nil for anything else.
    public init?(_ text: String) {
        if text.contains(":") {
            var raw = in6_addr()
            guard inet_pton(AF_INET6, text, &raw) == 1 else { return nil }
            var value: UInt128 = 0
            withUnsafeBytes(of: &raw) { bytes in
                for byte in bytes { value = value << 8 | UInt128(byte) }
            }
            self.init(family: .v6, bits: value)
        } else {
            let parts = text.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 4 else { return nil }
            var value: UInt128 = 0
            for part in parts {
                guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCIIDigit),
                      part.count == 1 || part.first != "0",
                      let octet = UInt8(part) else { return nil }
                value = value << 8 | UInt128(octet)
            }
            self.init(family: .v4, bits: value)
        }
    }

    public var description: String {
        switch family {
        case .v4:
            let value = UInt32(truncatingIfNeeded: bits)
            return "\(value >> 24).\(value >> 16 & 0xff).\(value >> 8 & 0xff).\(value & 0xff)"
        case .v6:
            var raw = in6_addr()
            withUnsafeMutableBytes(of: &raw) { bytes in
                for index in 0..<16 { bytes[index] = UInt8(truncatingIfNeeded: bits >> (8 * (15 - index))) }
            }
            var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            guard inet_ntop(AF_INET6, &raw, &buffer, socklen_t(buffer.count)) != nil else { return "::" }
            return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }

    public static func < (lhs: IPAddress, rhs: IPAddress) -> Bool {
        lhs.family == rhs.family ? lhs.bits < rhs.bits : lhs.family == .v4
    }

    /// The address `offset` places further on, or nil past the end of the family's space.
    public func advanced(by offset: UInt128) -> IPAddress? {
        let (sum, overflow) = bits.addingReportingOverflow(offset)
        guard !overflow, family == .v6 || sum <= 0xffff_ffff else { return nil }
        return IPAddress(family: family, bits: sum)
    }

    public var isLoopback: Bool {
        switch family {
        case .v4: return bits >> 24 == 127
        case .v6: return bits == 1
        }
    }
}

extension IPAddress: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let address = IPAddress(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "invalid IP address \(text)"))
        }
        self = address
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
