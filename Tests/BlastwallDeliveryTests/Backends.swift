import BlastwallTestSupport
import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Two tiny HTTP backends answering "stable" and "canary", so tests can see where a router sends traffic.
final class VersionBackends: @unchecked Sendable {
    let folder: TemporaryFolder
    let stablePort = freeLoopbackPort()
    let canaryPort = freeLoopbackPort()
    private var servers: [BackgroundProcess] = []

    init() throws {
        folder = try TemporaryFolder("backends")
        for (name, port) in [("stable", stablePort), ("canary", canaryPort)] {
            try FileManager.default.createDirectory(atPath: folder.path + "/" + name, withIntermediateDirectories: true)
            try folder.write(name + "/index.html", name)
            servers.append(
                try BackgroundProcess(
                    "/usr/bin/env", ["python3", "-m", "http.server", String(port), "--bind", "127.0.0.1", "--directory", name],
                    directory: folder.path))
        }
        try #require(waitForPort(stablePort) && waitForPort(canaryPort), "backends started")
    }
}

/// Which backend answered each of `count` requests to `url`.
func answers(from url: String, count: Int) async throws -> [String: Int] {
    let session = URLSession(configuration: .ephemeral)
    var tally: [String: Int] = [:]
    for _ in 0..<count {
        var request = URLRequest(url: URL(string: url)!)
        request.setValue("close", forHTTPHeaderField: "Connection")
        let (data, _) = try await session.data(for: request)
        tally[String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines), default: 0] += 1
    }
    return tally
}
