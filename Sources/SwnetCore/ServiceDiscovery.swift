import CSwnetShim
import Glibc

/// One address and the names that resolve to it inside a sandbox.
public struct HostEntry: Sendable, Equatable {
    public var address: IPAddress
    public var names: [String]
}

/// The names one network's joined members are known by: the network's part of every member's
/// hosts file, and the data an embedded DNS server would answer from.
///
/// It is kept as a file per network (`<state-dir>/hosts/<network-id>`) in hosts(5) format, each
/// line tagged with the endpoint and sandbox it belongs to, so a join or leave changes one line
/// instead of reading every endpoint record. A sandbox on one network with no `--add-host`
/// entries uses that file as its own (its hosts file is a symbolic link to it): a join edits
/// one file however many members the network has. Only sandboxes on several networks, or with
/// extra entries, get a file of their own, composed from their networks' tables.
struct NameTable: Equatable {
    /// One line: hosts(5)'s `ADDRESS<tab>NAMES`, then swnet's tag `<tab># swnet <endpoint id>
    /// <sandbox id> <sandbox name> composed|shared`. A line read from a file is a slice of the
    /// file's bytes (sharing them, not copying them), with where its fields lie.
    struct Line: Equatable {
        /// The whole line, without its newline.
        let bytes: ArraySlice<UInt8>
        // Where the fields lie, from the line's start: the same wherever the line was read.
        private let hostsEnd: Int
        private let sandboxIDRange: Range<Int>
        private let sandboxNameRange: Range<Int>
        /// Whether that sandbox composes its own hosts file, and so must be rewritten when this
        /// table changes.
        let composed: Bool

        init(hosts: String, endpointID: String, sandboxID: String, sandboxName: String, composed: Bool) {
            var bytes = Array(hosts.utf8)
            hostsEnd = bytes.count
            bytes += NameTable.markerBytes + Array(endpointID.utf8) + [UInt8(ascii: " ")]
            sandboxIDRange = bytes.count..<(bytes.count + sandboxID.utf8.count)
            bytes += Array(sandboxID.utf8) + [UInt8(ascii: " ")]
            sandboxNameRange = bytes.count..<(bytes.count + sandboxName.utf8.count)
            bytes += Array(sandboxName.utf8) + Array((composed ? " composed" : " shared").utf8)
            self.bytes = bytes[...]
            self.composed = composed
        }

        /// A line of a table file, or nil for one without swnet's tag (the loopback names,
        /// comments) or switched off (see `file`). This finds the fields with plain byte
        /// searches (the tag starts at one of the line's two tabs), not by splitting, and makes
        /// no string.
        init?(_ line: ArraySlice<UInt8>) {
            guard line.first != NameTable.off else { return nil }
            let marker = NameTable.markerBytes
            var tab = line.firstIndex(of: marker[0])
            while let found = tab, !line[found...].starts(with: marker) {
                tab = line[(found + 1)...].firstIndex(of: marker[0])
            }
            guard let start = tab else { return nil }
            // <endpoint id> <sandbox id> <sandbox name> composed|shared
            let space = UInt8(ascii: " ")
            guard let afterEndpoint = line[(start + marker.count)...].firstIndex(of: space),
                  let afterSandbox = line[(afterEndpoint + 1)...].firstIndex(of: space),
                  let afterName = line[(afterSandbox + 1)...].firstIndex(of: space),
                  !line[(afterName + 1)...].contains(space) else { return nil }
            let base = line.startIndex
            bytes = line
            hostsEnd = start - base
            sandboxIDRange = (afterEndpoint + 1 - base)..<(afterSandbox - base)
            sandboxNameRange = (afterSandbox + 1 - base)..<(afterName - base)
            composed = line[(afterName + 1)...].elementsEqual("composed".utf8)
        }

        private func field(_ range: Range<Int>) -> ArraySlice<UInt8> {
            bytes[(bytes.startIndex + range.lowerBound)..<(bytes.startIndex + range.upperBound)]
        }

        /// Whether the line belongs to the sandbox with this id (as UTF-8).
        func belongs(toSandbox id: [UInt8]) -> Bool {
            field(sandboxIDRange).elementsEqual(id)
        }

        /// `ADDRESS<tab>NAMES`.
        var hosts: String { String(decoding: field(0..<hostsEnd), as: UTF8.self) }
        var sandboxID: String { String(decoding: field(sandboxIDRange), as: UTF8.self) }
        var sandboxName: String { String(decoding: field(sandboxNameRange), as: UTF8.self) }

        /// The address and names, for a reader that needs them apart (a DNS server, tests).
        var entry: HostEntry? {
            let fields = hosts.split(separator: "\t", maxSplits: 1)
            guard fields.count == 2, let address = IPAddress(String(fields[0])) else { return nil }
            return HostEntry(address: address, names: fields[1].split(separator: " ").map(String.init))
        }

        static func == (left: Line, right: Line) -> Bool {
            left.bytes.elementsEqual(right.bytes)
        }
    }

    /// The table's file: a header (the loopback names, a comment naming the network), then the
    /// tagged lines, each with its newline. A join appends its lines and a leave switches its
    /// lines off (their first byte becomes `#`: a comment), so the file read is edited in place
    /// (`patch`) and the processes reading it through a bind mount see every change; its other
    /// lines are found by byte searches, never split apart.
    private(set) var file: [UInt8]
    /// Where the tagged lines start.
    private var start: Int
    /// The size of the file as read, when this table can be written as a patch of it.
    private var base: Int?
    /// Lines of the file as read that were switched off, by where they start, with the first
    /// byte each had.
    private var switchedOff: [Int: UInt8] = [:]

    init(header: some Collection<UInt8> = [], lines: [Line] = []) {
        file = Array(header)
        start = file.count
        append(lines)
    }

    /// Reads a table file, whose tagged lines start at the first line carrying a tag; with
    /// `header`, a file not starting with it gets it in place of what comes before them.
    init(parsing file: [UInt8], header: [UInt8]? = nil) {
        let marker = Self.occurrences(of: Self.markerBytes, in: file, first: true).first
        start = marker.map { file[..<$0].lastIndex(of: Self.newline).map { $0 + 1 } ?? 0 } ?? file.count
        self.file = file
        base = file.count
        if let header, !file.starts(with: header) || start != header.count {
            self.file = header + file[start...]
            start = header.count
            base = nil
        }
        if self.file.count > start && self.file.last != Self.newline {
            self.file.append(Self.newline)
            base = nil
        }
    }

    /// The tagged lines switched on, each with its newline.
    var bytes: [UInt8] { tagged(skipping: switchedOffLines()) }

    /// The tagged lines but these.
    private func tagged(skipping lines: [Range<Int>]) -> [UInt8] {
        var live: [UInt8] = []
        live.reserveCapacity(file.count - start)
        var next = start
        for range in lines {
            live += file[next..<range.lowerBound]
            next = range.upperBound
        }
        return live + file[next...]
    }

    /// The tagged lines switched on; lines without a well-formed tag are skipped.
    var lines: [Line] {
        file[start...].split(separator: Self.newline).compactMap(Line.init)
    }

    /// This table as an edit of the file it was read from, or nil when it must be written whole
    /// (a new file, a new header, or one compacted). New lines are switched on before old ones
    /// go off: a member whose names changed is briefly known by both, never by neither.
    var patch: FilePatch? {
        guard let base else { return nil }
        var appended = Array(file[base...])
        var switches: [FilePatch.Switch] = []
        var lineStart = 0
        while lineStart < appended.count {
            if appended[lineStart] != Self.off {
                switches.append(.init(offset: base + lineStart, byte: appended[lineStart], previous: Self.off))
                appended[lineStart] = Self.off
            }
            lineStart = (appended[lineStart...].firstIndex(of: Self.newline) ?? appended.count) + 1
        }
        for (offset, previous) in switchedOff.sorted(by: { $0.key < $1.key }) {
            switches.append(.init(offset: offset, byte: Self.off, previous: previous))
        }
        return FilePatch(baseSize: base, appended: appended, switches: switches)
    }

    /// Writes the table afresh, without its switched-off lines, once they are more than both
    /// `compactionThreshold` bytes and the lines still on: a network whose members come and go
    /// would otherwise grow its table without end. A sandbox's processes that bound the old file
    /// keep it (as with any file replaced whole).
    mutating func compactIfSparse() {
        // The lines off cannot be more than the threshold when all the lines are not.
        guard file.count - start > Self.compactionThreshold else { return }
        let offLines = switchedOffLines()
        let off = offLines.reduce(0) { $0 + $1.count }
        guard off > Self.compactionThreshold, off > file.count - start - off else { return }
        file = Array(file[..<start]) + tagged(skipping: offLines)
        base = nil
        switchedOff = [:]
    }

    static let compactionThreshold = 64 * 1024

    /// The switched-off lines after `start`, each with its newline. Walks the lines with glibc's
    /// memchr (vectorized), looking at each one's first byte: a search for "\n#" would go
    /// through memmem byte by byte, ~1.4 million instructions at a thousand members.
    private func switchedOffLines() -> [Range<Int>] {
        file.withUnsafeBytes { bytes in
            guard let base = bytes.baseAddress else { return [] }
            var ranges: [Range<Int>] = []
            var lineStart = start
            while lineStart < bytes.count {
                let end = memchr(base + lineStart, Int32(Self.newline), bytes.count - lineStart)
                    .map { base.distance(to: UnsafeRawPointer($0)) + 1 } ?? bytes.count
                if bytes[lineStart] == Self.off { ranges.append(lineStart..<end) }
                lineStart = end
            }
            return ranges
        }
    }

    mutating func append(_ lines: [Line]) {
        file.reserveCapacity(file.count + lines.reduce(0) { $0 + $1.bytes.count + 1 })
        for line in lines {
            file += line.bytes
            file.append(Self.newline)
        }
    }

    /// Tables are equal when their members are: headers and switched-off lines aside.
    static func == (left: NameTable, right: NameTable) -> Bool {
        left.bytes == right.bytes
    }

    /// Switches off every line of these sandboxes (ids as UTF-8).
    mutating func removeLines(ofSandboxes ids: [[UInt8]]) {
        for id in ids {
            for hit in Self.occurrences(of: id, in: file, from: start) {
                let line = lineRange(around: hit)
                // A line switched off already is no `Line`: each is switched off once.
                guard Line(file[line])?.belongs(toSandbox: id) == true else { continue }
                if let base, line.lowerBound < base { switchedOff[line.lowerBound] = file[line.lowerBound] }
                file[line.lowerBound] = Self.off
            }
        }
    }

    /// The sandboxes whose lines say they compose their own hosts file from this table, by id,
    /// with their names.
    var composingSandboxes: [String: String] {
        var sandboxes: [String: String] = [:]
        for hit in Self.occurrences(of: Self.composedBytes, in: file, from: start) {
            if let line = Line(file[lineRange(around: hit)]), line.composed { sandboxes[line.sandboxID] = line.sandboxName }
        }
        return sandboxes
    }

    /// The line holding the byte at `index`, without its newline.
    private func lineRange(around index: Int) -> Range<Int> {
        let lineStart = file[start..<index].lastIndex(of: Self.newline).map { $0 + 1 } ?? start
        let end = file[index...].firstIndex(of: Self.newline) ?? file.endIndex
        return lineStart..<end
    }

    private static let newline = UInt8(ascii: "\n")
    /// The first byte of a switched-off line: hosts(5) reads it as a comment.
    private static let off = UInt8(ascii: "#")
    private static let markerBytes = Array("\t# swnet ".utf8)
    private static let composedBytes = Array(" composed\n".utf8)

    /// Where `needle` starts in `haystack`, by glibc's memmem (vectorized: a thousand-member
    /// table is searched in microseconds).
    private static func occurrences(of needle: [UInt8], in haystack: [UInt8], from start: Int = 0, first: Bool = false) -> [Int] {
        guard !needle.isEmpty else { return [] }
        return haystack.withUnsafeBytes { hay in
            needle.withUnsafeBytes { pin in
                guard let base = hay.baseAddress, let pattern = pin.baseAddress else { return [] }
                var found: [Int] = []
                var offset = start
                while offset < hay.count, let hit = swnet_memmem(base + offset, hay.count - offset, pattern, pin.count) {
                    let index = base.distance(to: UnsafeRawPointer(hit))
                    found.append(index)
                    if first { break }
                    offset = index + 1
                }
                return found
            }
        }
    }

    /// The lines of a joined endpoint: each of its addresses under its sandbox's hostname (with
    /// the domain), the sandbox's name, the endpoint's name and its aliases.
    static func lines(for endpoint: EndpointRecord, of sandbox: SandboxRecord, composed: Bool) -> [Line] {
        let hostname = sandbox.hostname ?? sandbox.name
        var names = sandbox.domainname.map { ["\(hostname).\($0)"] } ?? []
        names += [hostname, sandbox.name, endpoint.name] + endpoint.aliases
        var seen = Set<String>()
        let joined = names.filter { seen.insert($0).inserted }.concatenated(separator: " ")
        return [endpoint.ipv4Address, endpoint.ipv6Address].compactMap { $0 }.map { address in
            Line(hosts: "\(address)\t\(joined)", endpointID: endpoint.id, sandboxID: sandbox.id,
                 sandboxName: sandbox.name, composed: composed)
        }
    }
}

extension SandboxRecord {
    /// Whether the sandbox needs a hosts file of its own rather than its network's table.
    func composesHosts(networkCount: Int) -> Bool {
        networkCount != 1 || !extraHosts.isEmpty
    }
}

extension Controller {
    /// The file holding a network's name table.
    func nameTablePath(of networkID: String) -> String {
        store.root + "/hosts/" + networkID
    }

    /// Brings the name tables and hosts files up to date with the joins and leaves this
    /// transaction made. Runs once, just before the commit, so a command that changes many
    /// memberships writes each file once; its work grows with the size of the tables it touches,
    /// not with the number of objects on the host.
    ///
    /// With `rebuild`, the tables are written from the records alone (for `system restore`).
    func refreshHostsFiles(in transaction: Transaction, rebuild: Bool = false) throws(SwnetError) {
        let (changedNetworks, changedSandboxes) = transaction.takeChangedNames()
        guard !changedNetworks.isEmpty || !changedSandboxes.isEmpty else { return }

        // Each changed sandbox as it now is (nil when removed), with its joined endpoints.
        var current: [String: (sandbox: SandboxRecord, endpoints: [EndpointRecord])] = [:]
        var networkIDs = changedNetworks
        for (id, name) in changedSandboxes {
            guard let sandbox = try transaction.load(SandboxRecord.self, named: name), sandbox.id == id else { continue }
            let endpoints = try joinedEndpoints(of: sandbox, in: transaction)
            current[id] = (sandbox, endpoints)
            networkIDs.formUnion(endpoints.map(\.networkID))
        }

        // The tables: every line of a changed sandbox is dropped, then its joins written again.
        var tables: [String: NameTable] = [:]
        var toRewrite = Set(current.keys)
        var composing: [String: String] = [:]
        let changedIDs = changedSandboxes.keys.map { Array($0.utf8) }
        for networkID in networkIDs.sorted() {
            let path = nameTablePath(of: networkID)
            // Through the id index, not a listing: the other networks' records stay unread.
            guard let network = try transaction.load(NetworkRecord.self, id: networkID) else {
                transaction.removeFile(path)
                continue
            }
            let header = SandboxFiles.tableHeader(forNetwork: network.name)
            var table = rebuild ? NameTable(header: header) : NameTable(parsing: transaction.fileContents(path) ?? [], header: header)
            table.removeLines(ofSandboxes: changedIDs)
            for (sandbox, endpoints) in current.values.sorted(by: { $0.sandbox.name < $1.sandbox.name }) {
                let composed = sandbox.composesHosts(networkCount: endpoints.count)
                for endpoint in endpoints where endpoint.networkID == networkID {
                    table.append(NameTable.lines(for: endpoint, of: sandbox, composed: composed))
                }
            }
            table.compactIfSparse()
            tables[networkID] = table
            transaction.writeDerivedFile(path, bytes: table.file, patch: table.patch)
            composing.merge(table.composingSandboxes) { first, _ in first }
        }
        toRewrite.formUnion(composing.keys)

        // The hosts files: a link to the one table, or composed from several.
        for id in toRewrite.sorted() {
            var member = current[id]
            if member == nil, let name = composing[id], let sandbox = try transaction.load(SandboxRecord.self, named: name) {
                member = (sandbox, try joinedEndpoints(of: sandbox, in: transaction))
            }
            guard let (sandbox, endpoints) = member else { continue }
            let hostsPath = SandboxFiles.directory(of: sandbox, options: options) + "/hosts"
            if !sandbox.composesHosts(networkCount: endpoints.count), let networkID = endpoints.first?.networkID {
                transaction.writeSymlink(hostsPath, to: nameTablePath(of: networkID))
                continue
            }
            var sections: [(network: String, table: NameTable)] = []
            for endpoint in endpoints {
                let table = tables[endpoint.networkID]
                    ?? NameTable(parsing: transaction.fileContents(nameTablePath(of: endpoint.networkID)) ?? [])
                sections.append((endpoint.networkName, table))
            }
            transaction.writeDerivedFile(hostsPath, bytes: Array(SandboxFiles.hosts(for: sandbox, sections: sections).utf8))
        }
    }

    /// A sandbox's endpoints, in join order, skipping any that is gone.
    private func joinedEndpoints(of sandbox: SandboxRecord, in transaction: Transaction) throws(SwnetError) -> [EndpointRecord] {
        var endpoints: [EndpointRecord] = []
        for id in sandbox.endpoints {
            do {
                endpoints.append(try find(EndpointRecord.self, id, in: transaction))
            } catch where error.kind == .notFound {
                continue
            }
        }
        return endpoints
    }

    /// Writes every network's table and every sandbox's hosts file from the records (for
    /// `system restore`, when the files may be gone).
    func rewriteAllHostsFiles(in transaction: Transaction) throws(SwnetError) {
        for network in try transaction.loadAll(NetworkRecord.self) {
            transaction.namesChanged(network: network.id, sandbox: nil)
        }
        for sandbox in try transaction.loadAll(SandboxRecord.self) {
            transaction.namesChanged(network: nil, sandbox: sandbox)
        }
        try refreshHostsFiles(in: transaction, rebuild: true)
    }
}
