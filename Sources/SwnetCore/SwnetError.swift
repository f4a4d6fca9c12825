import KernelOps

/// An error a user can act on: what went wrong, why, and what to do about it.
///
/// The CLI prints it as one line, `swnet: error: <what> (<why>); <what to do>`, and exits with
/// the status its kind calls for.
public struct SwnetError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable, Equatable {
        /// Bad input: a name, address, option the user gave. Exit status 1.
        case invalidArgument
        /// The object named does not exist. Exit status 2.
        case notFound
        /// The request clashes with existing objects or state. Exit status 2.
        case conflict
        /// The kernel or the file system refused, or privileges are missing. Exit status 3.
        case system
    }

    public var kind: Kind
    /// What went wrong, naming the object or value.
    public var what: String
    /// The underlying reason, when there is one worth showing.
    public var why: String?
    /// What the user can do about it.
    public var hint: String?

    public init(_ kind: Kind, _ what: String, why: String? = nil, hint: String? = nil) {
        self.kind = kind
        self.what = what
        self.why = why
        self.hint = hint
    }

    public var description: String {
        var text = what
        if let why { text += " (\(why))" }
        if let hint { text += "; \(hint)" }
        return text
    }

    /// The exit status the CLI uses for this error.
    public var exitStatus: Int32 {
        switch kind {
        case .invalidArgument: return 1
        case .notFound, .conflict: return 2
        case .system: return 3
        }
    }

    static func invalid(_ what: String, why: String? = nil, hint: String? = nil) -> SwnetError {
        SwnetError(.invalidArgument, what, why: why, hint: hint)
    }

    static func notFound(_ kind: ObjectKind, _ name: String) -> SwnetError {
        SwnetError(.notFound, "\(kind.rawValue) \"\(name)\" not found",
                   hint: "see 'swnet \(kind.rawValue) ls'")
    }

    static func conflict(_ what: String, why: String? = nil, hint: String? = nil) -> SwnetError {
        SwnetError(.conflict, what, why: why, hint: hint)
    }

    /// Wraps a kernel failure, saying what swnet was doing when it happened.
    static func kernel(_ error: KernelError, while doing: String) -> SwnetError {
        let hint: String
        if error.isPermissionDenied {
            hint = "run swnet as root (it needs CAP_NET_ADMIN and CAP_SYS_ADMIN)"
        } else if error.isBridgeFull {
            hint = "nothing was changed; connect further sandboxes to another network"
        } else if error.isAlreadyExists {
            hint = "nothing was changed; if an interrupted swnet command left it, 'swnet system gc' removes it"
        } else {
            hint = "nothing was changed; run with --debug for details"
        }
        return SwnetError(.system, "cannot \(doing)", why: error.description, hint: hint)
    }
}

/// The kinds of object swnet manages, by the word the CLI uses for them.
public enum ObjectKind: String, Sendable, Codable, CaseIterable {
    case network
    case endpoint
    case sandbox
    /// A published host port's reservation (internal: not a user-visible object).
    case port
    /// An address held by an endpoint (internal).
    case address

    /// The kinds users name on the command line.
    public static let userVisible: [ObjectKind] = [.network, .endpoint, .sandbox]

    /// The state directory's subdirectory holding this kind's records.
    var directoryName: String {
        switch self {
        case .sandbox: return "sandboxes"
        case .address: return "addresses"
        default: return rawValue + "s"
        }
    }
}
