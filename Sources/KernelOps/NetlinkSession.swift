import CNetlink
import Glibc

/// A route-netlink socket bound to one network namespace.
///
/// A netlink socket talks to the namespace it was opened in for its whole life, wherever it is
/// used from: swnet visits a sandbox's namespace only to open one, then configures the sandbox
/// from its own.
public final class NetlinkSession {
    let socket: OpaquePointer
    /// Where this session's socket lives, for error messages: "host" or a namespace path.
    public let namespace: String

    /// Opens a session in the calling thread's namespace (the host's, for swnet's main thread).
    public convenience init() throws {
        try self.init(namespace: "host")
    }

    private init(namespace: String) throws {
        guard let socket = nl_socket_alloc() else {
            throw KernelError("allocate netlink socket", namespace, errno: ENOMEM)
        }
        let rc = nl_connect(socket, NETLINK_ROUTE)
        if rc < 0 {
            nl_socket_free(socket)
            throw KernelError("connect netlink socket", namespace, netlink: rc)
        }
        self.socket = socket
        self.namespace = namespace
    }

    /// Opens a session inside the network namespace bound at `path`, first running `setUp`
    /// there (for what only a thread in the namespace can do, like its sysctls).
    public static func inNamespace(path: String, setUp: () throws -> Void = {}) throws -> NetlinkSession {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw KernelError("open network namespace", path, errno: errno) }
        defer { close(fd) }
        return try NamespaceVisit.run(in: fd, operation: "enter network namespace", object: path) {
            try setUp()
            return try NetlinkSession(namespace: path)
        }
    }

    deinit { nl_socket_free(socket) }

    /// Turns a libnl return code into a typed error naming the operation and object.
    func check(_ rc: Int32, _ operation: String, _ object: String) throws {
        if rc < 0 { throw KernelError(operation, object, netlink: rc) }
    }
}

/// Parses an address ("10.0.0.2/24", "fd00::1", "default") for libnl; the caller owns the result.
func parseNetlinkAddress(_ text: String, family: Int32 = AF_UNSPEC) throws -> OpaquePointer {
    var address: OpaquePointer?
    let rc = nl_addr_parse(text, family, &address)
    guard rc == 0, let address else { throw KernelError("parse address", text, netlink: rc) }
    return address
}

/// Prints a libnl address as text ("10.0.0.0/8"), or nil for an empty one.
func formatNetlinkAddress(_ address: OpaquePointer?) -> String? {
    guard let address else { return nil }
    var buffer = [CChar](repeating: 0, count: 128)
    guard let text = nl_addr2str(address, &buffer, buffer.count) else { return nil }
    return String(cString: text)
}
