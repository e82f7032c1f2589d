import Foundation
import Testing

/// What a finished child process printed and how it ended.
public struct ProcessOutput: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

/// Runs child processes for tests, feeding standard input and reading both outputs without deadlocking.
/// The wait happens on a thread of its own: the concurrency pool has two threads on two cores, and a test
/// blocking one (schemathesis runs for a minute) starves every in-process server and timer of the others.
public enum ProcessRunner {
    public static func run(
        _ executable: String, _ arguments: [String], in directory: String? = nil, input: Data = Data(), environment: [String: String]? = nil
    ) async throws -> ProcessOutput {
        try await offThePool { try runBlocking(executable, arguments, in: directory, input: input, environment: environment) }
    }

    /// Runs `python3` from PATH.
    public static func python(_ arguments: [String], input: Data = Data()) async throws -> ProcessOutput {
        try await run("/usr/bin/env", ["python3"] + arguments, input: input)
    }

    private static func runBlocking(
        _ executable: String, _ arguments: [String], in directory: String?, input: Data, environment: [String: String]?
    ) throws -> ProcessOutput {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        if let environment { process.environment = environment }
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        // Write and read concurrently so neither side can fill a pipe and block the other.
        let writer = Thread {
            stdin.fileHandleForWriting.write(input)
            try? stdin.fileHandleForWriting.close()
        }
        writer.start()
        let errorReader = ErrorReader(stderr.fileHandleForReading)
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        let err = errorReader.wait()
        process.waitUntilExit()
        return ProcessOutput(
            status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self))
    }
}

/// Runs blocking work (a child process and its pipes) on a thread of its own and awaits it, so the test's
/// other tasks keep the concurrency pool's few threads (two on two cores) while it waits.
func offThePool<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws -> Value {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Swift.Result { try body() }) }.start()
    }
}

/// Reads a pipe to its end on a thread of its own.
private final class ErrorReader: @unchecked Sendable {
    // `data` is written once by the thread and read only after `done` is signalled.
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread {
            self.data = handle.readDataToEndOfFile()
            self.done.signal()
        }.start()
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}

/// A Python package that some tests need: CI installs it (.ci/run); elsewhere the test says what to install.
public struct PythonRequirement: Sendable {
    public var module: String
    public var package: String

    public init(module: String, package: String) {
        self.module = module
        self.package = package
    }

    public var isAvailable: Bool {
        get async { (try? await ProcessRunner.python(["-c", "import \(module)"]))?.status == 0 }
    }

    /// True when the package can be used. Missing in CI is a test failure; elsewhere the test is skipped with a note.
    public func check() async -> Bool {
        if await isAvailable { return true }
        if ProcessInfo.processInfo.environment["CI"] != nil {
            Issue.record("python3 with \(package) is required: python3 -m pip install \(package)")
        } else {
            print("skipped: python3 -m pip install \(package) to run this test")
        }
        return false
    }
}
