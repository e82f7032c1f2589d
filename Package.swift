// swift-tools-version: 6.2
import PackageDescription

let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "Blastwall",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "blastwall", targets: ["blastwall"]),
        .library(name: "CEL", targets: ["CEL"]),
        .library(name: "BlastwallCore", targets: ["BlastwallCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        // Pure: the Common Expression Language (lexer, parser, checker, evaluator).
        .target(name: "CEL", swiftSettings: strict),
        // Pure: configuration, path rules, classes, provenance, blast radius, risk, policy, decision.
        .target(
            name: "BlastwallCore",
            dependencies: ["CEL", .product(name: "Yams", package: "Yams")],
            swiftSettings: strict
        ),
        // Pure: renders a gate report as text, JSON, Markdown, SARIF, GitHub annotations, JUnit.
        .target(name: "BlastwallReporting", dependencies: ["BlastwallCore"], swiftSettings: strict),
        // Adapter: reads ranges, diffs and commits from git.
        .target(
            name: "BlastwallGit",
            dependencies: ["BlastwallCore", .product(name: "Subprocess", package: "swift-subprocess")],
            swiftSettings: strict
        ),
        // Use cases that wire the adapters to the core; the CLI only parses options and calls these.
        .target(
            name: "BlastwallApp",
            dependencies: ["BlastwallCore", "BlastwallGit", "BlastwallReporting", "CEL"],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "blastwall",
            dependencies: ["BlastwallApp", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: strict
        ),
        // Helpers shared by the test targets: running child processes, optional Python tools.
        .target(name: "BlastwallTestSupport", path: "Tests/BlastwallTestSupport", swiftSettings: strict),
        .testTarget(
            name: "CELTests",
            dependencies: [
                "CEL", "BlastwallCore", "BlastwallTestSupport", .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            exclude: ["Differential"],
            resources: [.copy("Conformance")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "BlastwallCoreTests",
            dependencies: ["BlastwallCore", "BlastwallReporting", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: strict
        ),
        // Drives the real `blastwall` binary against real git repositories built in temporary folders.
        .testTarget(
            name: "BlastwallIntegrationTests",
            dependencies: ["blastwall", "BlastwallApp", "BlastwallCore", "BlastwallGit", "BlastwallReporting", "BlastwallTestSupport"],
            exclude: ["Fixtures"],
            swiftSettings: strict
        ),
    ]
)
