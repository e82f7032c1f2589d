import BlastwallTestSupport
import Foundation
import Testing

/// A real `blastwall serve` process on loopback with a fresh SQLite database and a bootstrapped admin, or on a
/// database it is given (a `postgres://` URL other servers may share), with that database's admin token.
final class LiveServer: @unchecked Sendable {
    // Mutated only by start/stop, which tests call sequentially.
    let directory: String
    let database: String
    let port: Int
    let adminToken: String
    private var process: Process?

    var url: String { "http://127.0.0.1:\(port)" }
    var logPath: String { directory + "/serve.log" }

    init(extraArguments: [String] = [], database: String? = nil, adminToken: String? = nil) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("blastwall-live-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        self.database = database ?? directory + "/control.sqlite"
        port = freeLoopbackPort()
        if let adminToken {
            self.adminToken = adminToken
        } else {
            let bootstrap = try await BlastwallBinary.run(
                ["admin", "bootstrap", "--database", self.database, "--name", "root"], in: directory)
            try #require(bootstrap.status == 0, "\(bootstrap.stderr)")
            self.adminToken = bootstrap.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        try await start(extraArguments: extraArguments)
    }

    func start(extraArguments: [String] = []) async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: BlastwallBinary.path)
        process.arguments = ["serve", "--listen", "127.0.0.1:\(port)", "--database", database] + extraArguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardOutput = FileHandle.nullDevice
        // The server's log, for tests that read what it said.
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        process.standardError = FileHandle(forWritingAtPath: logPath)
        try process.run()
        self.process = process
        for _ in 0..<100 {
            if try await cli(["switch", "list"], token: adminToken).status == 0 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("the server did not become ready on port \(port)")
    }

    /// Stops the server: SIGTERM for a graceful shutdown, SIGKILL to simulate a crash.
    /// A server that has not exited 30 s after SIGTERM is killed, and its log's end printed: the test goes on,
    /// and the run says so. (Foundation's `waitUntilExit` spins a concurrency thread at full CPU while it waits,
    /// which on two cores starves every other test; this sleeps between looks instead.)
    func stop(signal: Int32 = SIGTERM) {
        guard let process else { return }
        kill(process.processIdentifier, signal)
        if !Self.exits(process, within: 30) {
            let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            print(
                "warning: blastwall serve on \(port) did not stop within 30 s of signal \(signal); killed. Its log ends:\n\(log.suffix(3000))"
            )
            kill(process.processIdentifier, SIGKILL)
            _ = Self.exits(process, within: 30)
        }
        self.process = nil
    }

    static func exits(_ process: Process, within seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning {
            if Date() > deadline { return false }
            usleep(50_000)
        }
        return true
    }

    /// Sends `signal` without waiting: SIGSTOP freezes the server (as a long pause would), SIGCONT thaws it.
    func signal(_ signal: Int32) {
        guard let process else { return }
        kill(process.processIdentifier, signal)
    }

    var terminationStatus: Int32? { process?.isRunning == false ? process?.terminationStatus : nil }

    func cli(_ arguments: [String], token: String?, stdin: String? = nil) async throws -> ProcessOutput {
        var environment = ["BLASTWALL_SERVER": url]
        environment["BLASTWALL_TOKEN"] = token ?? ""
        return try await BlastwallBinary.run(arguments, in: directory, stdin: stdin, environment: environment)
    }

    deinit {
        stop(signal: SIGKILL)
        try? FileManager.default.removeItem(atPath: directory)
    }
}
