/// A network prefix such as 10.1.0.0/24 or fd12:3456:789a::/64, always with its host bits clear.
public struct Subnet: Hashable, Sendable, CustomStringConvertible {
    /// The first address of the prefix.
    public let network: IPAddress
    public let prefixLength: Int

    public var family: IPAddress.Family { network.family }

    /// Why a CIDR text was refused; `description` is meant for the user.
    public enum ParseError: Error, Equatable, CustomStringConvertible {
        case malformed(String)
        case prefixTooLong(String, max: Int)
        case hostBitsSet(String, suggestion: String)

        public var description: String {
            switch self {
            case .malformed(let text):
                return "invalid CIDR \"\(text)\" (expected ADDRESS/PREFIX such as 10.1.0.0/24 or fd00:1::/64)"
            case .prefixTooLong(let text, let max):
                return "invalid CIDR \"\(text)\" (prefix length must be 0-\(max))"
            case .hostBitsSet(let text, let suggestion):
                return "invalid CIDR \"\(text)\" (host bits are set; did you mean \(suggestion)?)"
            }
        }
    }

    /// Builds the prefix of `prefixLength` bits that contains `address`.
    public init(containing address: IPAddress, prefixLength: Int) {
        let mask = Subnet.mask(family: address.family, prefixLength: prefixLength)
        self.network = IPAddress(family: address.family, bits: address.bits & mask)
        self.prefixLength = prefixLength
    }

    /// Parses "10.1.0.0/24", refusing host bits so that a typo is not silently reinterpreted.
    public init(parsing text: String) throws(ParseError) {
        let (address, length) = try Subnet.split(text)
        let subnet = Subnet(containing: address, prefixLength: length)
        guard subnet.network == address else {
            throw .hostBitsSet(text, suggestion: subnet.description)
        }
        self = subnet
    }

    /// Parses "10.1.0.2/24" as an interface address: the address and its prefix.
    public static func parseInterfaceAddress(_ text: String) throws(ParseError) -> (IPAddress, Subnet) {
        let (address, length) = try split(text)
        return (address, Subnet(containing: address, prefixLength: length))
    }

    private static func split(_ text: String) throws(ParseError) -> (IPAddress, Int) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let address = IPAddress(String(parts[0])),
              !parts[1].isEmpty, parts[1].count <= 3, parts[1].allSatisfy(\.isASCIIDigit),
              let length = Int(parts[1]) else { throw .malformed(text) }
        guard length <= address.family.bitWidth else {
            throw .prefixTooLong(text, max: address.family.bitWidth)
        }
        return (address, length)
    }

    private static func mask(family: IPAddress.Family, prefixLength: Int) -> UInt128 {
        let width = family.bitWidth
        guard prefixLength > 0 else { return 0 }
        let all: UInt128 = width == 128 ? .max : (1 << width) - 1
        return all & ~((1 << UInt128(width - prefixLength)) - 1) & all
    }

    public var description: String { "\(network)/\(prefixLength)" }

    /// How many addresses the prefix spans.
    public var size: UInt128 {
        let hostBits = family.bitWidth - prefixLength
        return hostBits >= 128 ? .max : 1 << UInt128(hostBits)
    }

    /// The last address of the prefix (the IPv4 broadcast address).
    public var last: IPAddress {
        IPAddress(family: family, bits: network.bits | (size &- 1))
    }

    public func contains(_ address: IPAddress) -> Bool {
        address.family == family && address.bits >= network.bits && address.bits <= last.bits
    }

    /// True when the two prefixes share at least one address.
    public func overlaps(_ other: Subnet) -> Bool {
        family == other.family && network.bits <= other.last.bits && other.network.bits <= last.bits
    }

    /// True when `other` lies entirely inside this prefix.
    public func contains(_ other: Subnet) -> Bool {
        other.family == family && other.prefixLength >= prefixLength && contains(other.network)
    }

    /// The first address a host may use: after the network address, except in /31, /32, /127
    /// and /128, which have no network address to skip.
    public var firstUsable: IPAddress {
        family.bitWidth - prefixLength <= 1 ? network : IPAddress(family: family, bits: network.bits + 1)
    }

    /// The last address a host may use: IPv4 keeps its broadcast address back.
    public var lastUsable: IPAddress {
        family == .v4 && prefixLength < 31 ? IPAddress(family: family, bits: last.bits - 1) : last
    }
}

extension Subnet: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            self = try Subnet(parsing: text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
