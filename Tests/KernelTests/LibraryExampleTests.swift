import Foundation
import SwnetCore
import XCTest

/// libnetwork's README example, line for line, through SwnetCore against the real kernel.
final class LibraryExampleTests: PrivateHostTestCase {
    func testLibnetworkReadmeExample() throws {
        var options = ControllerOptions()
        options.stateDirectory = stateDirectory
        options.netnsDirectory = netnsDirectory
        let controller = Controller(options: options)

        let network = try controller.newNetwork(driver: "bridge", name: "network1")
        let endpoint = try network.createEndpoint(name: "Endpoint1")
        let sandbox = try controller.newSandbox(containerID: "container1",
                                                options: [.hostname("test"), .domainname("docker.io")])
        try endpoint.join(sandbox)
        let mac = try XCTUnwrap(endpoint.driverInfo()[NetLabel.macAddress])

        XCTAssertEqual(sandbox.key, netnsDirectory + "/container1")
        let eth0 = ipJSON("-n", "container1", "link", "show", "eth0").first
        XCTAssertEqual(eth0?["address"] as? String, mac)
        XCTAssertTrue(inSandbox("container1", "cat", "/etc/hosts").output.contains("test.docker.io test"))

        try sandbox.delete()
        try endpoint.delete()
        try network.delete()
    }
}
