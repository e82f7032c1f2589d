// swift-tools-version: 6.2
import PackageDescription

let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "Blastwall",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "blastwall", targets: ["blastwall"]),
        .library(name: "CEL", targets: ["CEL"]),
        .library(name: "LinearRegex", targets: ["LinearRegex"]),
        .library(name: "BlastwallCore", targets: ["BlastwallCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/vapor/sqlite-nio", from: "1.13.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.8.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        // Pure: regular expressions in RE2 syntax, matched in linear time (no backtracking).
        .target(name: "LinearRegex", swiftSettings: strict),
        // Pure: shell command lines read into a syntax tree (quoting, substitutions, here-documents), bounded.
        .target(name: "ShellSyntax", swiftSettings: strict),
        // Pure: what a command line would do (tool, class, environment, services), read from its syntax tree,
        // and what an agent may therefore do: the agent gateway's classifier and decision.
        .target(
            name: "CommandGuard", dependencies: ["ShellSyntax", "BlastwallCore", "CEL"],
            // Foundation's string members, visible through BlastwallCore otherwise, would bridge every search.
            swiftSettings: strict + [.enableUpcomingFeature("MemberImportVisibility")]
        ),
        // Pure: the Common Expression Language (lexer, parser, checker, evaluator).
        .target(name: "CEL", dependencies: ["LinearRegex"], swiftSettings: strict),
        // Pure: configuration, path rules, classes, provenance, blast radius, risk, policy, decision.
        .target(
            name: "BlastwallCore",
            dependencies: ["CEL", "LinearRegex", .product(name: "Yams", package: "Yams")],
            swiftSettings: strict
        ),
        // Pure: renders a gate report as text, JSON, Markdown, SARIF, GitHub annotations, JUnit.
        .target(name: "BlastwallReporting", dependencies: ["BlastwallCore"], swiftSettings: strict),
        // Pure: the hash-chained audit log, signed checkpoints, in-toto/DSSE attestations.
        .target(
            name: "BlastwallAudit",
            dependencies: ["BlastwallCore", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict
        ),
        // Adapter: the control plane's storage, one SQL layer over SQLite and PostgreSQL.
        .target(
            name: "BlastwallStorage",
            dependencies: [
                "BlastwallCore", "BlastwallAudit", "CEL",
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // Use cases of the control plane: each state change in one transaction with its audit event.
        .target(
            name: "BlastwallControlPlane",
            dependencies: [
                "BlastwallCore", "BlastwallAudit", "BlastwallStorage", "BlastwallDelivery", "BlastwallAnalysis", "CEL", "CommandGuard",
                "BlastwallForges", "BlastwallReporting", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // Entry point: the control plane's HTTP API (Hummingbird), wiring storage to the core.
        .target(
            name: "BlastwallServer",
            dependencies: [
                "BlastwallCore", "BlastwallAudit", "BlastwallStorage", "BlastwallControlPlane", "BlastwallAnalysis", "CommandGuard",
                "BlastwallForges", "BlastwallDashboard", .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Resources/openapi.json")],
            swiftSettings: strict
        ),
        // The dashboard's pages: templates embedded in the binary (swift-mustache), the view of each page built
        // from the control plane's records, the stylesheet and the script; rendering only, the server wires it.
        .target(
            name: "BlastwallDashboard",
            dependencies: [
                "BlastwallCore", "BlastwallStorage", "BlastwallControlPlane", "BlastwallAudit", "CEL",
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            swiftSettings: strict
        ),
        // Adapters of progressive delivery: traffic routers, metrics providers, rollback notifications.
        .target(
            name: "BlastwallDelivery",
            dependencies: [
                "BlastwallCore", .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"), .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // Adapters of the forges, one folder per forge behind one protocol: webhooks authenticated and read, and
        // the REST calls that read reviews and show the gate on the pull request.
        .target(
            name: "BlastwallForges",
            dependencies: [
                "BlastwallCore", "BlastwallAudit", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"), .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        // `blastwall demo-app`: a service with Prometheus metrics to roll out, the fixture of rollout tests and drills.
        .target(
            name: "BlastwallDemoApp",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"), .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // Adapter: the HTTP client the CLI uses to talk to the control plane.
        .target(
            name: "BlastwallClient",
            dependencies: ["BlastwallCore", .product(name: "AsyncHTTPClient", package: "async-http-client")],
            swiftSettings: strict
        ),
        // Adapter: reads ranges, diffs and commits from git.
        .target(
            name: "BlastwallGit",
            dependencies: ["BlastwallCore", .product(name: "Subprocess", package: "swift-subprocess")],
            swiftSettings: strict
        ),
        // The use case both the CLI and the server need: analysing a git range by the policy at its base.
        .target(
            name: "BlastwallAnalysis",
            dependencies: [
                "BlastwallCore", "BlastwallGit", "BlastwallAudit", "BlastwallReporting", "CEL",
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // Use cases that wire the adapters to the core; the CLI only parses options and calls these.
        .target(
            name: "BlastwallApp",
            dependencies: [
                "BlastwallCore", "BlastwallGit", "BlastwallAnalysis", "BlastwallReporting", "CEL", "BlastwallAudit", "BlastwallClient",
                "BlastwallStorage", "CommandGuard", "BlastwallForges",
                "BlastwallServer", "BlastwallControlPlane", .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "blastwall",
            dependencies: [
                "BlastwallApp", "BlastwallAnalysis", "BlastwallAudit", "BlastwallClient", "BlastwallCore", "BlastwallServer",
                "BlastwallStorage", "CommandGuard", "BlastwallForges",
                "BlastwallDemoApp", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // Fills an audit log with chained events for the `audit verify` benchmark (Benchmarks/control-plane).
        .executableTarget(
            name: "blastwall-audit-seed",
            dependencies: ["BlastwallStorage", "BlastwallCore", .product(name: "Logging", package: "swift-log")],
            path: "Benchmarks/control-plane/AuditSeed",
            swiftSettings: strict
        ),
        // The agent gateway's in-process throughput: the labelled corpus classified and decided (Benchmarks/agent-gateway).
        .executableTarget(
            name: "blastwall-guard-bench",
            dependencies: ["CommandGuard", "BlastwallCore", "CEL"],
            path: "Benchmarks/agent-gateway/Throughput",
            swiftSettings: strict
        ),
        // The forge benchmark's driver: the fake forge in process against the release server (Benchmarks/forge).
        .executableTarget(
            name: "blastwall-forge-bench",
            dependencies: [
                "BlastwallTestSupport", .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Benchmarks/forge/Driver",
            swiftSettings: strict
        ),
        // The incidents benchmark: suspects, alerts and DORA over a seeded history, in process (Benchmarks/incidents).
        .executableTarget(
            name: "blastwall-incident-bench",
            dependencies: [
                "BlastwallControlPlane", "BlastwallStorage", "BlastwallCore", "CEL", "BlastwallTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/incidents/Driver",
            swiftSettings: strict
        ),
        // The dashboard benchmark: every page of the release server on a seeded database (Benchmarks/dashboard).
        .executableTarget(
            name: "blastwall-dashboard-bench",
            dependencies: [
                "BlastwallControlPlane", "BlastwallStorage", "BlastwallCore", "CEL", "BlastwallTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/dashboard/Driver",
            swiftSettings: strict
        ),
        // The statistical benchmark of canary analysis: simulated traffic, Blastwall vs the optimum and the anchors.
        .target(name: "TrafficSimulation", path: "Benchmarks/canary-analysis/TrafficSimulation", swiftSettings: strict),
        .executableTarget(
            name: "blastwall-canary-bench",
            dependencies: ["BlastwallCore", "TrafficSimulation"],
            path: "Benchmarks/canary-analysis/Simulator",
            swiftSettings: strict
        ),
        // Helpers shared by the test targets: running child processes, optional Python tools.
        .target(
            name: "BlastwallTestSupport",
            dependencies: [
                "BlastwallStorage", .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                // The fake forge: an in-process HTTP server that checks GitHub Apps' RS256 JWTs.
                .product(name: "Hummingbird", package: "hummingbird"), .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/BlastwallTestSupport",
            swiftSettings: strict
        ),
        .testTarget(
            name: "LinearRegexTests",
            dependencies: [
                "LinearRegex", "BlastwallTestSupport", .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            exclude: ["Differential"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "CommandGuardTests",
            dependencies: ["CommandGuard", "BlastwallCore", "CEL", .product(name: "PropertyBased", package: "swift-property-based")],
            exclude: ["Corpus"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "BlastwallForgesTests",
            dependencies: [
                "BlastwallForges", "BlastwallCore", "BlastwallTestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(
            name: "ShellSyntaxTests",
            dependencies: ["ShellSyntax", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: strict
        ),
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
            dependencies: [
                "BlastwallCore", "BlastwallReporting", "TrafficSimulation",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            exclude: ["ProvenanceCorpus"],
            swiftSettings: strict
        ),
        .testTarget(name: "BlastwallAuditTests", dependencies: ["BlastwallAudit", "BlastwallCore"], swiftSettings: strict),
        .testTarget(
            name: "BlastwallStorageTests",
            dependencies: [
                "BlastwallStorage", "BlastwallTestSupport", "BlastwallAudit", "BlastwallCore",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "BlastwallServerTests",
            dependencies: [
                "BlastwallServer", "BlastwallTestSupport", "BlastwallControlPlane", "BlastwallStorage", "BlastwallCore",
                "BlastwallReporting", "CEL", "BlastwallAudit", "BlastwallAnalysis", "BlastwallGit", "CommandGuard", "BlastwallForges",
                "BlastwallDashboard", .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        // The dashboard's pages and charts rendered as text.
        .testTarget(
            name: "BlastwallDashboardTests",
            dependencies: ["BlastwallDashboard", "BlastwallCore", "BlastwallStorage", "BlastwallControlPlane", "CEL"],
            swiftSettings: strict
        ),
        // Routers and metrics providers against the real programs: HAProxy, nginx, Prometheus.
        .testTarget(
            name: "BlastwallDeliveryTests",
            dependencies: ["blastwall", "BlastwallDelivery", "BlastwallCore", "BlastwallTestSupport"],
            swiftSettings: strict
        ),
        // Drives the real `blastwall` binary against real git repositories built in temporary folders.
        .testTarget(
            name: "BlastwallIntegrationTests",
            dependencies: [
                "blastwall", "BlastwallApp", "BlastwallCore", "BlastwallDelivery", "BlastwallGit", "BlastwallReporting", "BlastwallStorage",
                "BlastwallTestSupport", "TrafficSimulation", .product(name: "Yams", package: "Yams"),
            ],
            exclude: ["Fixtures"],
            swiftSettings: strict
        ),
    ]
)
