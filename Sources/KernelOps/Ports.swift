import Glibc

/// Questions about the host's ports, asked the way a server would: by trying to bind.
public enum HostPorts {
    /// True when no socket on the host holds `port` for `transport` on `address` (every address
    /// when nil). A published port that a process also listens on would silently steal its
    /// traffic, so swnet refuses it.
    public static func isFree(_ transport: FirewallRule.TransportProtocol, address: String?, port: UInt16) -> Bool {
        let isV6 = address?.contains(":") == true
        let fd = socket(isV6 ? AF_INET6 : AF_INET, Int32(transport == .tcp ? SOCK_STREAM.rawValue : SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { return true }
        defer { close(fd) }
        // TIME_WAIT leftovers are no listener; SO_REUSEADDR still refuses a live one.
        var on: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        if isV6 {
            var socketAddress = sockaddr_in6()
            socketAddress.sin6_family = sa_family_t(AF_INET6)
            socketAddress.sin6_port = port.bigEndian
            if let address { inet_pton(AF_INET6, address, &socketAddress.sin6_addr) }
            return bindSucceeds(fd, &socketAddress)
        }
        var socketAddress = sockaddr_in()
        socketAddress.sin_family = sa_family_t(AF_INET)
        socketAddress.sin_port = port.bigEndian
        if let address { inet_pton(AF_INET, address, &socketAddress.sin_addr) }
        return bindSucceeds(fd, &socketAddress)
    }

    /// False only when the address is in use: any other failure is not a clash with a process.
    private static func bindSucceeds<Address>(_ fd: Int32, _ address: inout Address) -> Bool {
        withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<Address>.size)) == 0 || errno != EADDRINUSE
            }
        }
    }

    /// The kernel's range for ephemeral ports (net.ipv4.ip_local_port_range).
    public static func ephemeralRange(_ sysctl: Sysctl) throws -> ClosedRange<UInt16> {
        let text = try sysctl.get("net/ipv4/ip_local_port_range")
        let bounds = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).compactMap { UInt16($0) }
        guard bounds.count == 2, bounds[0] <= bounds[1] else {
            throw KernelError("read", "net.ipv4.ip_local_port_range", errno: EINVAL)
        }
        return bounds[0]...bounds[1]
    }
}
