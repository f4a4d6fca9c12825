// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "swnet",
    products: [
        .library(name: "SwnetCore", targets: ["SwnetCore"]),
        .executable(name: "swnet", targets: ["swnet"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CNetlink",
            pkgConfig: "libnl-route-3.0",
            providers: [.apt(["libnl-3-dev", "libnl-route-3-dev"])]
        ),
        .systemLibrary(
            name: "CNetfilter",
            pkgConfig: "libnl-nf-3.0",
            providers: [.apt(["libnl-nf-3-dev"])]
        ),
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        .target(
            name: "CSwnetShim",
            cSettings: [.define("_GNU_SOURCE")]
        ),
        .target(
            name: "CIPTables",
            cSettings: [.define("_GNU_SOURCE")]
        ),
        .target(
            name: "CNFTables",
            cSettings: [.define("_GNU_SOURCE")]
        ),
        .target(
            name: "KernelOps",
            dependencies: [
                "CNetlink",
                "CNetfilter",
                "CSwnetShim",
                "CIPTables",
                "CNFTables",
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        .target(
            name: "SwnetCore",
            dependencies: [
                "KernelOps",
                "CSwnetShim",
                .product(name: "SystemPackage", package: "swift-system"),
                "CYAML",
            ]
        ),
        .executableTarget(
            name: "swnet",
            dependencies: [
                "SwnetCore",
                "KernelOps",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "SwnetCoreTests", dependencies: ["SwnetCore", "KernelOps"]),
        .testTarget(name: "SwnetCLITests", dependencies: ["swnet", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .testTarget(name: "KernelTests", dependencies: ["SwnetCore", "KernelOps"], exclude: ["Golden"]),
    ]
)
