/// A sandbox as stored and as `inspect` shows it.
public struct SandboxRecord: StoredObject, Equatable {
    public static let kind = ObjectKind.sandbox

    public var id: String
    public var name: String
    public var created: String
    /// The network namespace file (libnetwork's sandbox key).
    public var key: String
    /// False for a namespace adopted with `--netns`: swnet never deletes what it did not make.
    public var ownsNamespace: Bool
    public var hostname: String?
    public var domainname: String?
    public var dns: [IPAddress]
    public var dnsSearch: [String]
    public var extraHosts: [ExtraHost]
    public var labels: [String: String]
    /// Joined endpoint ids, in join order; the first with a gateway owns the default route.
    public var endpoints: [String]
}

/// An `--add-host HOST:IP` entry.
public struct ExtraHost: Codable, Sendable, Equatable {
    public var host: String
    public var address: IPAddress
}
