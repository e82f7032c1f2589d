// swift-tools-version: 6.2
// libFuzzer targets for Blastwall's parsers. A package of its own, so that the main build never sees
// executables without a main. Built and run by run.sh (`-sanitize=fuzzer,address`).
import PackageDescription

let fuzz: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "BlastwallFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "Blastwall", path: "..")],
    targets: [
        // The entry point every target shares: libFuzzer's driver, called from each target's main.swift.
        .target(name: "FuzzDriver", path: "Sources/FuzzDriver"),
        .executableTarget(name: "FuzzCEL", dependencies: ["FuzzDriver", .product(name: "CEL", package: "Blastwall")], swiftSettings: fuzz),
        .executableTarget(
            name: "FuzzRegex", dependencies: ["FuzzDriver", .product(name: "LinearRegex", package: "Blastwall")], swiftSettings: fuzz),
        .executableTarget(
            name: "FuzzConfiguration", dependencies: ["FuzzDriver", .product(name: "BlastwallCore", package: "Blastwall")],
            swiftSettings: fuzz),
        .executableTarget(
            name: "FuzzJSON", dependencies: ["FuzzDriver", .product(name: "BlastwallCore", package: "Blastwall")], swiftSettings: fuzz),
        .executableTarget(
            name: "FuzzDiff", dependencies: ["FuzzDriver", .product(name: "BlastwallCore", package: "Blastwall")], swiftSettings: fuzz),
    ]
)
