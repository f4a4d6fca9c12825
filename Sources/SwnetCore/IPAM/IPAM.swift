/// A range that automatic subnets are carved from: `base` split into prefixes of `size` bits.
public struct AddressPool: Codable, Sendable, Equatable, CustomStringConvertible {
    public var base: Subnet
    public var size: Int

    public init(base: Subnet, size: Int) {
        self.base = base
        self.size = size
    }

    /// Parses "172.20.0.0/14:24" (base and prefix size).
    public init(parsing text: String) throws(SwnetError) {
        let parts = text.split(separator: ":", maxSplits: 1)
        let hint = "write a pool as BASE/PREFIX:SIZE, e.g. 172.20.0.0/14:24"
        guard parts.count == 2, let size = Int(parts[1]) else {
            throw .invalid("invalid address pool \"\(text)\"", hint: hint)
        }
        let base: Subnet
        do {
            base = try Subnet(parsing: String(parts[0]))
        } catch {
            throw .invalid("invalid address pool \"\(text)\"", why: error.description, hint: hint)
        }
        guard size >= base.prefixLength, size <= base.family.bitWidth - 2 else {
            throw .invalid("invalid address pool \"\(text)\"",
                           why: "size must be between /\(base.prefixLength) and /\(base.family.bitWidth - 2)", hint: hint)
        }
        self.init(base: base, size: size)
    }

    public var description: String { "\(base):\(size)" }

    /// How many subnets the pool holds.
    public var count: UInt128 { 1 << UInt128(size - base.prefixLength) }

    /// The `index`th subnet of the pool.
    func subnet(at index: UInt128) -> Subnet? {
        guard index < count else { return nil }
        let step: UInt128 = 1 << UInt128(base.family.bitWidth - size)
        guard let address = base.network.advanced(by: index * step) else { return nil }
        return Subnet(containing: address, prefixLength: size)
    }
}

/// Address management: choosing subnets for new networks and addresses for new endpoints.
public enum IPAM {
    /// 1024 /24 networks in 172.20.0.0/14, clear of Docker's default 172.17.0.0/16 and the
    /// 192.168/16 ranges home routers use.
    public static let defaultPools = [AddressPool(base: Subnet(containing: IPAddress(family: .v4, bits: 0xac14_0000), prefixLength: 14), size: 24)]

    /// The first subnet of the pools that overlaps none of `taken`.
    public static func chooseSubnet(from pools: [AddressPool], avoiding taken: [Subnet]) -> Subnet? {
        for pool in pools {
            let conflicts = taken.filter { $0.overlaps(pool.base) }.sorted { $0.network < $1.network }
            // Candidates ascend and blockers are sorted by start, so one pass over both suffices.
            var blocker = 0
            var index: UInt128 = 0
            let step = UInt128(pool.base.family.bitWidth - pool.size)
            while let candidate = pool.subnet(at: index) {
                while blocker < conflicts.count && conflicts[blocker].last < candidate.network { blocker += 1 }
                guard blocker < conflicts.count, conflicts[blocker].overlaps(candidate) else { return candidate }
                // Jump past the blocker instead of testing every subnet inside it.
                let next = conflicts[blocker].last.bits &+ 1
                guard next > candidate.network.bits, next <= pool.base.last.bits else { break }
                let offset = next - pool.base.network.bits
                index = (offset >> step) + (offset & ((1 << step) - 1) == 0 ? 0 : 1)
            }
        }
        return nil
    }

    /// A random unique-local /64 (RFC 4193: fd00::/8, a random 40-bit global id, subnet 0).
    public static func randomUniqueLocalSubnet(avoiding taken: [Subnet]) -> Subnet {
        var generator = SystemRandomNumberGenerator()
        while true {
            let globalID = UInt128((generator.next() as UInt64) & 0xff_ffff_ffff)
            let bits: UInt128 = (0xfd << 120) | (globalID << 80)
            let subnet = Subnet(containing: IPAddress(family: .v6, bits: bits), prefixLength: 64)
            if !taken.contains(where: { $0.overlaps(subnet) }) { return subnet }
        }
    }

    /// True for addresses no endpoint may hold: the network address, the IPv4 broadcast
    /// address and the gateway.
    static func isReserved(_ address: IPAddress, in space: AddressSpace) -> Bool {
        address == space.gateway || address < space.subnet.firstUsable || address > space.subnet.lastUsable
    }

    /// Picks `requested`, or the next free automatic address, and counts it as allocated; the
    /// caller records who holds it. `holder` names the endpoint holding an address, or nil.
    static func allocate(_ requested: IPAddress?, in space: inout AddressSpace, networkName: String,
                         holder: (IPAddress) throws(SwnetError) -> String?) throws(SwnetError) -> IPAddress {
        if let requested {
            guard space.subnet.contains(requested) else {
                throw .invalid("address \(requested) is outside network \"\(networkName)\" (\(space.subnet))",
                               hint: "choose an address in \(space.subnet)")
            }
            guard !isReserved(requested, in: space) else {
                let role = requested == space.gateway ? "the gateway" : "reserved (network or broadcast address)"
                throw .invalid("address \(requested) is \(role) of network \"\(networkName)\"",
                               hint: "choose another address in \(space.subnet)")
            }
            if let name = try holder(requested) {
                throw .conflict("address \(requested) is already in use on network \"\(networkName)\"",
                                why: "held by endpoint \"\(name)\"", hint: "choose another --ip")
            }
            space.allocatedCount += 1
            return requested
        }
        let range = space.ipRange ?? space.subnet
        let first = max(range.network, space.subnet.firstUsable)
        let last = min(range.last, space.subnet.lastUsable)
        guard first <= last else { throw exhausted(networkName, range) }
        let span = last.bits - first.bits + 1
        var start: UInt128 = 0
        if let previous = space.lastAllocated, range.contains(previous), previous >= first, previous <= last {
            start = (previous.bits - first.bits + 1) % span
        }
        // The search is bounded by the allocations, not the range: at most |allocations| + 2
        // candidates can be taken or reserved before a free one turns up. Sequential allocation
        // makes the first candidate free almost always.
        let attempts = min(span, UInt128(space.allocatedCount) + 2)
        var offset: UInt128 = 0
        while offset < attempts {
            let candidate = IPAddress(family: first.family, bits: first.bits + (start + offset) % span)
            if !isReserved(candidate, in: space), try holder(candidate) == nil {
                space.allocatedCount += 1
                space.lastAllocated = candidate
                return candidate
            }
            offset += 1
        }
        throw exhausted(networkName, range)
    }

    private static func exhausted(_ networkName: String, _ range: Subnet) -> SwnetError {
        .conflict("no free address left on network \"\(networkName)\" (\(range))",
                  hint: "remove unused endpoints or create a network with a larger --subnet")
    }

    /// Counts an endpoint's address as free again; the caller drops the holder's record.
    static func release(_ address: IPAddress, in space: inout AddressSpace) {
        space.allocatedCount = max(0, space.allocatedCount - 1)
    }
}
