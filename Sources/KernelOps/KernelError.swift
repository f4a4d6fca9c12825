import CNetlink
import Glibc
import SystemPackage

/// A failed kernel operation: what was attempted, on which object, and why the kernel refused.
public struct KernelError: Error, CustomStringConvertible, Sendable {
    /// The underlying reason, as reported by a system call or by netlink.
    public enum Cause: Sendable, Equatable {
        case errno(Errno)
        /// A libnl error code (`NLE_*`, positive) and its text.
        case netlink(code: Int32, message: String)
        /// The bridge has as many ports as the kernel gives one (`BR_MAX_PORTS` less port 0).
        /// The kernel says `EXFULL`, which libnl reports as an unspecific failure.
        case bridgeFull(bridge: String, ports: Int)
    }

    /// What was attempted, as a verb phrase: "create bridge", "move veth peer".
    public var operation: String
    /// The object acted on: an interface name, a namespace path, a sysctl key.
    public var object: String
    public var cause: Cause

    public init(_ operation: String, _ object: String, _ cause: Cause) {
        self.operation = operation
        self.object = object
        self.cause = cause
    }

    init(_ operation: String, _ object: String, errno: Int32) {
        self.init(operation, object, .errno(Errno(rawValue: errno)))
    }

    init(_ operation: String, _ object: String, netlink code: Int32) {
        let positive = code < 0 ? -code : code
        self.init(operation, object, .netlink(code: positive, message: String(cString: nl_geterror(positive))))
    }

    public var description: String {
        switch cause {
        case .errno(let errno): return "cannot \(operation) \(object): \(errno)"
        case .netlink(_, let message): return "cannot \(operation) \(object): \(message)"
        case .bridgeFull(let bridge, let ports):
            return "cannot \(operation) \(object): bridge \(bridge) has \(ports) ports, the most the kernel lets a bridge have"
        }
    }

    /// True when a bridge could take no more ports.
    public var isBridgeFull: Bool {
        if case .bridgeFull = cause { return true }
        return false
    }

    /// True when the kernel said the object already exists.
    public var isAlreadyExists: Bool {
        switch cause {
        case .errno(let errno): return errno == .fileExists
        case .netlink(let code, _): return code == NLE_EXIST
        case .bridgeFull: return false
        }
    }

    /// True when the kernel said the object (or the device it names) does not exist.
    public var isNotFound: Bool {
        switch cause {
        case .errno(let errno): return errno == .noSuchFileOrDirectory || errno == Errno(rawValue: ENODEV)
        case .netlink(let code, _): return code == NLE_OBJ_NOTFOUND || code == NLE_NODEV
        case .bridgeFull: return false
        }
    }

    /// True when the caller lacks the privilege for the operation.
    public var isPermissionDenied: Bool {
        switch cause {
        case .errno(let errno): return errno == .notPermitted || errno == .permissionDenied
        case .netlink(let code, _): return code == NLE_PERM || code == NLE_NOACCESS
        case .bridgeFull: return false
        }
    }
}
