@testable import SwnetCore
import XCTest

final class AddressTests: XCTestCase {
    func testIPv4ParsingIsStrict() {
        XCTAssertEqual(IPAddress("10.1.2.3")?.description, "10.1.2.3")
        XCTAssertEqual(IPAddress("0.0.0.0")?.bits, 0)
        XCTAssertEqual(IPAddress("255.255.255.255")?.bits, 0xffff_ffff)
        for bad in ["10.1.2", "10.1.2.3.4", "256.1.1.1", "010.1.1.1", "1.2.3.-4", "a.b.c.d", "", "1..2.3", " 1.2.3.4"] {
            XCTAssertNil(IPAddress(bad), bad)
        }
    }

    func testIPv6ParsesAndPrintsCanonically() {
        XCTAssertEqual(IPAddress("FD00:0:0::1")?.description, "fd00::1")
        XCTAssertEqual(IPAddress("::1")?.isLoopback, true)
        XCTAssertEqual(IPAddress("fd00::1")?.family, .v6)
        XCTAssertNil(IPAddress("fd00:::1"))
        XCTAssertNil(IPAddress("fd00::g"))
    }

    func testSubnetParsingRefusesHostBitsAndLongPrefixes() throws {
        XCTAssertEqual(try Subnet(parsing: "10.1.0.0/16").description, "10.1.0.0/16")
        XCTAssertThrowsError(try Subnet(parsing: "10.1.0.1/16")) { error in
            XCTAssertEqual(error as? Subnet.ParseError, .hostBitsSet("10.1.0.1/16", suggestion: "10.1.0.0/16"))
        }
        XCTAssertThrowsError(try Subnet(parsing: "10.0.0.0/33"))
        XCTAssertThrowsError(try Subnet(parsing: "fd00::/129"))
        XCTAssertThrowsError(try Subnet(parsing: "10.0.0.0"))
        XCTAssertThrowsError(try Subnet(parsing: "10.0.0.0/"))
        XCTAssertThrowsError(try Subnet(parsing: "10.0.0.0/+8"))
        XCTAssertEqual(try Subnet(parsing: "0.0.0.0/0").size, 1 << 32)
        XCTAssertEqual(try Subnet(parsing: "fd00::/64").description, "fd00::/64")
    }

    func testSubnetMath() throws {
        let subnet = try Subnet(parsing: "10.1.0.0/24")
        XCTAssertEqual(subnet.firstUsable.description, "10.1.0.1")
        XCTAssertEqual(subnet.lastUsable.description, "10.1.0.254")
        XCTAssertEqual(subnet.last.description, "10.1.0.255")
        XCTAssertTrue(subnet.contains(IPAddress("10.1.0.77")!))
        XCTAssertFalse(subnet.contains(IPAddress("10.1.1.0")!))
        XCTAssertFalse(subnet.contains(IPAddress("fd00::1")!))
        XCTAssertTrue(subnet.overlaps(try Subnet(parsing: "10.0.0.0/8")))
        XCTAssertTrue(try Subnet(parsing: "10.0.0.0/8").contains(subnet))
        XCTAssertFalse(subnet.overlaps(try Subnet(parsing: "10.1.1.0/24")))
        let pointToPoint = try Subnet(parsing: "10.2.0.0/31")
        XCTAssertEqual(pointToPoint.firstUsable.description, "10.2.0.0")
        XCTAssertEqual(pointToPoint.lastUsable.description, "10.2.0.1")
        let v6 = try Subnet(parsing: "fd00:1::/64")
        XCTAssertEqual(v6.lastUsable.description, "fd00:1::ffff:ffff:ffff:ffff")
        let (address, prefix) = try Subnet.parseInterfaceAddress("192.168.1.7/24")
        XCTAssertEqual(address.description, "192.168.1.7")
        XCTAssertEqual(prefix.description, "192.168.1.0/24")
    }

    func testMACAddresses() throws {
        XCTAssertEqual(try MACAddress.parse("02:42:AC:11:00:02"), "02:42:ac:11:00:02")
        XCTAssertThrowsError(try MACAddress.parse("01:00:5e:00:00:01"))
        XCTAssertThrowsError(try MACAddress.parse("00:00:00:00:00:00"))
        XCTAssertThrowsError(try MACAddress.parse("02:42:ac:11:00"))
        XCTAssertThrowsError(try MACAddress.parse("02-42-ac-11-00-02"))
        XCTAssertEqual(MACAddress.derived(from: IPAddress("172.17.0.2")!), "02:42:ac:11:00:02")
        let random = try MACAddress.parse(MACAddress.random())
        XCTAssertEqual(UInt8(random.prefix(2), radix: 16)! & 0x03, 0x02, "locally administered unicast")
    }

    func testNames() {
        for good in ["a", "net1", "my_net.v2-x", String(repeating: "z", count: 63)] {
            XCTAssertNoThrow(try Identifiers.validateName(good, of: .network), good)
            XCTAssertTrue(Identifiers.isValidName(good), good)
        }
        for bad in ["", ".", "..", "-x", "_x", ".hidden", "a/b", "a b", "a\nb", "ü", String(repeating: "z", count: 64)] {
            XCTAssertThrowsError(try Identifiers.validateName(bad, of: .network), bad)
            XCTAssertFalse(Identifiers.isValidName(bad), bad)
        }
        let id = Identifiers.newID()
        XCTAssertEqual(id.count, 64)
        XCTAssertFalse(Identifiers.isValidName(id), "an id is looked up as an id, never as a name")
        XCTAssertTrue(Identifiers.isIDPrefix(String(id.prefix(4))))
        XCTAssertFalse(Identifiers.isIDPrefix("abc"))
        XCTAssertFalse(Identifiers.isIDPrefix("ABCD"))
        XCTAssertNotEqual(Identifiers.newID(), id)
    }

    func testLabels() throws {
        XCTAssertEqual(try Labels.parse(["a=1", "b=", "c=x=y"]), ["a": "1", "b": "", "c": "x=y"])
        XCTAssertEqual(try Labels.parse(["bare"]), ["bare": ""], "a bare label has an empty value, as in Docker")
        XCTAssertThrowsError(try Labels.parse(["novalue"], option: "--opt"))
        XCTAssertThrowsError(try Labels.parse(["=v"]))
        XCTAssertThrowsError(try Labels.parse(["a=1", "a=2"]))
        XCTAssertTrue(Labels.match(["env": "ci", "team": "x"], filters: ["env", "team=x"]))
        XCTAssertFalse(Labels.match(["env": "ci"], filters: ["env=prod"]))
        XCTAssertFalse(Labels.match([:], filters: ["env"]))
    }

    func testResolvConfDropsLoopbackNameservers() {
        let parsed = ResolvConf(parsing: "# x\nnameserver 127.0.0.53\nnameserver 10.0.0.2\nsearch a.test b.test\noptions edns0 trust-ad\n")
        XCTAssertEqual(parsed.nameservers.map(\.description), ["127.0.0.53", "10.0.0.2"])
        XCTAssertEqual(parsed.search, ["a.test", "b.test"])
        XCTAssertEqual(parsed.options, ["edns0", "trust-ad"])
    }
}
