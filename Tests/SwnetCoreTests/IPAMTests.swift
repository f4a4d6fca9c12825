@testable import SwnetCore
import XCTest

final class IPAMTests: XCTestCase {
    private func subnet(_ text: String) -> Subnet { try! Subnet(parsing: text) }

    func testDefaultPoolsHoldOver1000NetworksAndSkipTakenOnes() {
        XCTAssertGreaterThanOrEqual(IPAM.defaultPools.reduce(0) { $0 + $1.count }, 1000)
        var taken: [Subnet] = []
        for _ in 0..<1024 {
            guard let next = IPAM.chooseSubnet(from: IPAM.defaultPools, avoiding: taken) else {
                return XCTFail("pool exhausted after \(taken.count)")
            }
            XCTAssertFalse(taken.contains { $0.overlaps(next) })
            taken.append(next)
        }
        XCTAssertNil(IPAM.chooseSubnet(from: IPAM.defaultPools, avoiding: taken))
    }

    func testAutomaticSubnetJumpsOverLargeHostRoutes() {
        let pool = AddressPool(base: subnet("10.0.0.0/8"), size: 24)
        let chosen = IPAM.chooseSubnet(from: [pool], avoiding: [subnet("10.0.0.0/9"), subnet("10.128.0.0/24")])
        XCTAssertEqual(chosen?.description, "10.128.1.0/24")
    }

    func testPoolParsing() throws {
        XCTAssertEqual(try AddressPool(parsing: "10.200.0.0/16:24").count, 256)
        XCTAssertThrowsError(try AddressPool(parsing: "10.200.0.0/16"))
        XCTAssertThrowsError(try AddressPool(parsing: "10.200.0.0/16:8"))
        XCTAssertThrowsError(try AddressPool(parsing: "10.200.0.1/16:24"))
    }

    /// Allocates like the controller does: `held` plays the per-address records.
    private func allocate(_ requested: String?, _ space: inout AddressSpace, _ held: inout [IPAddress: String],
                          as name: String) throws -> IPAddress {
        let snapshot = held
        let address = try IPAM.allocate(requested.flatMap(IPAddress.init), in: &space, networkName: "n") { snapshot[$0] }
        held[address] = name
        return address
    }

    func testAllocationSkipsGatewayAndDoesNotReuseJustFreedAddresses() throws {
        var space = AddressSpace(subnet: subnet("10.1.0.0/24"), gateway: IPAddress("10.1.0.1"), ipRange: nil)
        var held: [IPAddress: String] = [:]
        let first = try allocate(nil, &space, &held, as: "a")
        let second = try allocate(nil, &space, &held, as: "b")
        XCTAssertEqual([first, second].map(\.description), ["10.1.0.2", "10.1.0.3"])
        IPAM.release(first, in: &space)
        held[first] = nil
        let third = try allocate(nil, &space, &held, as: "c")
        XCTAssertEqual(third.description, "10.1.0.4")
        XCTAssertEqual(space.allocatedCount, 2)
        XCTAssertThrowsError(try allocate("10.1.0.3", &space, &held, as: "d")) {
            XCTAssertEqual(($0 as? SwnetError)?.kind, .conflict)
            XCTAssertTrue("\($0)".contains("held by endpoint \"b\""), "\($0)")
        }
        for reserved in ["10.1.0.0", "10.1.0.1", "10.1.0.255", "10.1.1.1"] {
            XCTAssertThrowsError(try allocate(reserved, &space, &held, as: "d")) {
                XCTAssertEqual(($0 as? SwnetError)?.kind, .invalidArgument, reserved)
            }
        }
    }

    func testAllocationStaysInRangeAndReportsExhaustion() throws {
        var space = AddressSpace(subnet: subnet("10.1.0.0/24"), gateway: IPAddress("10.1.0.1"), ipRange: subnet("10.1.0.0/30"))
        var held: [IPAddress: String] = [:]
        let got = try (0..<2).map { _ in try allocate(nil, &space, &held, as: "x") }
        XCTAssertEqual(got.map(\.description), ["10.1.0.2", "10.1.0.3"])
        XCTAssertThrowsError(try allocate(nil, &space, &held, as: "x")) {
            XCTAssertEqual(($0 as? SwnetError)?.kind, .conflict)
        }
        // Outside the range but inside the subnet, a static address is still allowed.
        XCTAssertEqual(try allocate("10.1.0.200", &space, &held, as: "y").description, "10.1.0.200")
    }

    func testAFullSlash24HandsOut253DistinctAddresses() throws {
        var space = AddressSpace(subnet: subnet("10.1.0.0/24"), gateway: IPAddress("10.1.0.1"), ipRange: nil)
        var held: [IPAddress: String] = [:]
        for index in 0..<253 {
            _ = try allocate(nil, &space, &held, as: "e\(index)")
        }
        XCTAssertEqual(held.count, 253)
        XCTAssertThrowsError(try allocate(nil, &space, &held, as: "x"))
    }

    func testPlanChecksGatewaysRangesAndOverlaps() throws {
        let request = AddressRequest(subnets: ["10.5.0.0/16", "fd00:5::/64"], gateways: ["10.5.255.254"], ipRange: "10.5.1.0/24")
        var warnings: [String] = []
        let spaces = try IPAM.plan(request, networkName: "n", networks: [], hostPrefixes: [subnet("10.5.0.0/24")],
                                   pools: IPAM.defaultPools, warn: { warnings.append($0) })
        XCTAssertEqual(spaces.map(\.subnet.description), ["10.5.0.0/16", "fd00:5::/64"])
        XCTAssertEqual(spaces.map { $0.gateway?.description }, ["10.5.255.254", "fd00:5::1"])
        XCTAssertEqual(spaces[0].ipRange?.description, "10.5.1.0/24")
        XCTAssertEqual(warnings.count, 1)

        let ipv6Only = try IPAM.plan(AddressRequest(ipv6: true), networkName: "n", networks: [], hostPrefixes: [],
                                     pools: IPAM.defaultPools, warn: { _ in })
        XCTAssertEqual(ipv6Only.count, 2)
        XCTAssertTrue(ipv6Only[1].subnet.description.hasPrefix("fd"))
        XCTAssertEqual(ipv6Only[1].subnet.prefixLength, 64)

        for bad in [AddressRequest(subnets: ["10.5.0.0/16"], gateways: ["10.6.0.1"]),
                    AddressRequest(subnets: ["10.5.0.0/16"], ipRange: "10.6.0.0/24"),
                    AddressRequest(subnets: ["10.5.0.0/16"], gateways: ["10.5.0.0"]),
                    AddressRequest(subnets: ["10.5.0.0/31"]),
                    AddressRequest(subnets: ["10.5.0.0/16", "10.6.0.0/16"])] {
            XCTAssertThrowsError(try IPAM.plan(bad, networkName: "n", networks: [], hostPrefixes: [],
                                               pools: IPAM.defaultPools, warn: { _ in }), "\(bad)")
        }
    }
}
