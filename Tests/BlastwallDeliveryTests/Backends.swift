import BlastwallTestSupport
import Foundation
import Testing

/// Two tiny HTTP backends answering "stable" and "canary", so tests can see where a router sends traffic.
final class VersionBackends: @unchecked Sendable {
    let folder: TemporaryFolder
    let stablePort = freeLoopbackPort()
    let canaryPort = freeLoopbackPort()
    private var servers: [BackgroundProcess] = []

    init() async throws {
        folder = try TemporaryFolder("backends")
        for (name, port) in [("stable", stablePort), ("canary", canaryPort)] {
            try FileManager.default.createDirectory(atPath: folder.path + "/" + name, withIntermediateDirectories: true)
            try folder.write(name + "/index.html", name)
            servers.append(
                try BackgroundProcess(
                    "/usr/bin/env", ["python3", "-m", "http.server", String(port), "--bind", "127.0.0.1", "--directory", name],
                    directory: folder.path))
        }
        try #require(await waitForPort(stablePort), "backends started")
        try #require(await waitForPort(canaryPort), "backends started")
    }
}

/// Which backend answered each of `count` requests to `url`.
func answers(from url: String, count: Int) async throws -> [String: Int] {
    var tally: [String: Int] = [:]
    for _ in 0..<count {
        let reply = try await HTTP.get(url)
        tally[reply.body.trimmingCharacters(in: .whitespacesAndNewlines), default: 0] += 1
    }
    return tally
}
