import KernelOps

extension Controller {
    /// Turns `--publish` requests into bindings, reserving each host port for `endpoint`.
    ///
    /// Refused, naming the holder: a port/protocol/address already published by another
    /// endpoint, or held by a process on the host (a published port would silently take its
    /// traffic). An omitted host port becomes a free ephemeral port.
    func reservePorts(_ requests: [PublishRequest], for endpoint: EndpointRecord, on network: NetworkRecord,
                      in transaction: Transaction) throws(SwnetError) -> [PortBinding] {
        guard !requests.isEmpty else { return [] }
        guard !network.internal else {
            throw .invalid("network \"\(network.name)\" is internal: nothing outside it can reach a published port",
                           hint: "publish on a network created without --internal")
        }
        let defaultHostIP = network.options["host_binding_ipv4"].flatMap(IPAddress.init)
        var bindings: [PortBinding] = []
        var ephemeral: ClosedRange<UInt16>?
        for request in requests {
            let hostIP = request.hostIP ?? defaultHostIP
            if let hostIP {
                try checkHostAddress(hostIP)
            }
            for (offset, containerPort) in request.containerPorts.enumerated() {
                var binding = PortBinding(transport: request.transport, hostIP: hostIP, hostPort: 0, containerPort: containerPort)
                if let hostPorts = request.hostPorts {
                    binding.hostPort = hostPorts.lowerBound + UInt16(offset)
                    try checkAvailable(binding, in: transaction)
                } else {
                    if ephemeral == nil {
                        do {
                            ephemeral = try kernel.ephemeralPortRange()
                        } catch {
                            throw SwnetError(.system, "cannot read the ephemeral port range", why: "\(error)")
                        }
                    }
                    binding.hostPort = try ephemeralPort(for: binding, in: ephemeral ?? 32768...60999, transaction)
                }
                try hold(binding, for: endpoint, in: transaction)
                bindings.append(binding)
            }
        }
        return bindings
    }

    /// Gives back the host ports of `endpoint`.
    func releasePorts(of endpoint: EndpointRecord, in transaction: Transaction) throws(SwnetError) {
        for binding in endpoint.ports {
            let name = PortReservation.name(binding.transport, binding.hostPort)
            guard var reservation = try transaction.load(PortReservation.self, named: name) else { continue }
            reservation.holders.removeAll { $0.endpointID == endpoint.id }
            if reservation.holders.isEmpty {
                transaction.delete(reservation)
            } else {
                transaction.save(reservation)
            }
        }
    }

    private func checkHostAddress(_ address: IPAddress) throws(SwnetError) {
        guard !address.isLoopback else { return }
        let addresses: [String]
        do {
            addresses = try kernel.hostAddresses()
        } catch {
            throw SwnetError(.system, "cannot read the host's addresses", why: "\(error)")
        }
        guard addresses.contains(address.description) else {
            throw .invalid("\(address) is not an address of this host", hint: "publish on one of: \(addresses.joined(separator: ", "))")
        }
    }

    private func checkAvailable(_ binding: PortBinding, in transaction: Transaction) throws(SwnetError) {
        let name = PortReservation.name(binding.transport, binding.hostPort)
        if let reservation = try transaction.load(PortReservation.self, named: name),
           let holder = reservation.holders.first(where: { binding.clashes(with: PortBinding(transport: binding.transport, hostIP: $0.hostIP, hostPort: binding.hostPort, containerPort: 0)) }) {
            throw .conflict("port \(binding.hostPort)/\(binding.transport.rawValue) is already published",
                            why: "by endpoint \"\(holder.endpointName)\"\(holder.hostIP.map { " on \($0)" } ?? "")",
                            hint: "choose another host port, or omit it for a free one")
        }
        guard kernel.isPortFree(binding.transport, address: binding.hostIP?.description, port: binding.hostPort) else {
            throw .conflict("port \(binding.hostPort)/\(binding.transport.rawValue) is in use on the host",
                            why: "a process is bound to it", hint: "choose another host port, or omit it for a free one")
        }
    }

    /// A free port of the ephemeral range, searched from a random start so that the expected
    /// cost does not grow with the number of ports already published.
    private func ephemeralPort(for binding: PortBinding, in range: ClosedRange<UInt16>,
                               _ transaction: Transaction) throws(SwnetError) -> UInt16 {
        let span = Int(range.upperBound) - Int(range.lowerBound) + 1
        let start = Int.random(in: 0..<span)
        for step in 0..<span {
            var candidate = binding
            candidate.hostPort = UInt16(Int(range.lowerBound) + (start + step) % span)
            if (try? checkAvailable(candidate, in: transaction)) != nil {
                return candidate.hostPort
            }
        }
        throw .conflict("no free \(binding.transport.rawValue) port left in \(range.lowerBound)-\(range.upperBound)",
                        hint: "unpublish ports or give host ports explicitly")
    }

    private func hold(_ binding: PortBinding, for endpoint: EndpointRecord, in transaction: Transaction) throws(SwnetError) {
        let name = PortReservation.name(binding.transport, binding.hostPort)
        var reservation = try transaction.load(PortReservation.self, named: name) ?? PortReservation(name: name, holders: [])
        reservation.holders.append(.init(hostIP: binding.hostIP, endpointID: endpoint.id, endpointName: endpoint.name))
        transaction.save(reservation)
    }
}
