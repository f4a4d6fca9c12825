import KernelOps

public typealias TransportProtocol = FirewallRule.TransportProtocol

/// A published port: traffic to `hostIP`:`hostPort` (any host address when nil) reaches the
/// endpoint's `containerPort`.
public struct PortBinding: Codable, Sendable, Hashable, CustomStringConvertible {
    public var transport: TransportProtocol
    public var hostIP: IPAddress?
    public var hostPort: UInt16
    public var containerPort: UInt16

    public var description: String {
        let host = hostIP.map { $0.family == .v6 ? "[\($0)]:" : "\($0):" } ?? ""
        return "\(host)\(hostPort):\(containerPort)/\(transport.rawValue)"
    }

    /// True when both bindings would claim the same host traffic.
    func clashes(with other: PortBinding) -> Bool {
        transport == other.transport && hostPort == other.hostPort
            && (hostIP == nil || other.hostIP == nil || hostIP == other.hostIP)
    }
}

/// A `--publish` request, before ephemeral host ports are chosen.
public struct PublishRequest: Sendable, Equatable {
    public var transport: TransportProtocol
    public var hostIP: IPAddress?
    /// nil: an ephemeral port for each container port.
    public var hostPorts: ClosedRange<UInt16>?
    public var containerPorts: ClosedRange<UInt16>

    /// Parses `[HOSTIP:][HOSTPORT[-END]:]PORT[-END][/tcp|/udp]`; an IPv6 host IP goes in brackets.
    public init(parsing text: String) throws(SwnetError) {
        let hint = "write --publish [HOSTIP:]HOSTPORT[-END]:PORT[-END][/tcp|/udp], e.g. 8080:80 or 127.0.0.1:5353:53/udp"
        var rest = Substring(text)
        transport = .tcp
        if let slash = rest.lastIndex(of: "/") {
            let name = rest[rest.index(after: slash)...]
            guard let parsed = TransportProtocol(rawValue: String(name)) else {
                throw .invalid("unknown protocol \"\(name)\" in --publish \(text)", hint: "use tcp or udp")
            }
            transport = parsed
            rest = rest[..<slash]
        }
        hostIP = nil
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]"), let address = IPAddress(String(rest[rest.index(after: rest.startIndex)..<close])),
                  address.family == .v6, rest[rest.index(after: close)...].hasPrefix(":") else {
                throw .invalid("invalid host address in --publish \(text)", hint: hint)
            }
            hostIP = address
            rest = rest[rest.index(close, offsetBy: 2)...]
        }
        var parts = rest.split(separator: ":", omittingEmptySubsequences: false)
        if parts.count == 3 && hostIP == nil {
            guard let address = IPAddress(String(parts[0])), address.family == .v4 else {
                throw .invalid("invalid host address \"\(parts[0])\" in --publish \(text)", hint: hint)
            }
            hostIP = address
            parts.removeFirst()
        }
        guard (1...2).contains(parts.count) else { throw .invalid("invalid --publish \"\(text)\"", hint: hint) }
        containerPorts = try Self.ports(parts[parts.count - 1], in: text, hint: hint)
        hostPorts = nil
        if parts.count == 2 && !parts[0].isEmpty {
            let host = try Self.ports(parts[0], in: text, hint: hint)
            guard host.count == containerPorts.count else {
                throw .invalid("--publish \(text) maps \(host.count) host ports to \(containerPorts.count) ports",
                               hint: "give ranges of equal length")
            }
            hostPorts = host
        }
        if hostIP?.bits == 0 { hostIP = nil }  // 0.0.0.0 and :: mean every address
    }

    private static func ports(_ text: Substring, in whole: String, hint: String) throws(SwnetError) -> ClosedRange<UInt16> {
        let bounds = text.split(separator: "-", omittingEmptySubsequences: false)
        let numbers = bounds.compactMap { bound -> UInt16? in
            guard !bound.isEmpty, bound.count <= 5, bound.allSatisfy(\.isASCIIDigit), let value = UInt16(bound), value > 0 else { return nil }
            return value
        }
        guard (1...2).contains(bounds.count), numbers.count == bounds.count, numbers[0] <= numbers[numbers.count - 1] else {
            throw .invalid("invalid port \"\(text)\" in --publish \(whole)", hint: "ports are 1-65535; a range is LOW-HIGH")
        }
        return numbers[0]...numbers[numbers.count - 1]
    }
}
