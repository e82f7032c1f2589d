import Foundation
import Subprocess

#if canImport(System)
    import System
#else
    import SystemPackage
#endif

/// Runs a program for a router and collects what it printed.
enum ProgramRunner {
    struct Result {
        var succeeded: Bool
        var status: String
        var output: String
        var error: String
    }

    static func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> Result {
        precondition(!arguments.isEmpty, "a program to run")
        let executable: Executable = arguments[0].contains("/") ? .path(FilePath(arguments[0])) : .name(arguments[0])
        var updates: [Environment.Key: String?] = [:]
        for (key, value) in environment { updates[Environment.Key(stringLiteral: key)] = value }
        // A script written just before may still be open for writing in a process forked meanwhile (its file
        // descriptor lives until that child execs): launching it then fails with ETXTBSY for a moment. Retried.
        var attempt = 0
        while true {
            do {
                let result = try await Subprocess.run(
                    executable, arguments: Arguments(Array(arguments.dropFirst())), environment: .inherit.updating(updates),
                    output: .string(limit: 1 << 20), error: .string(limit: 1 << 20))
                return Result(
                    succeeded: result.terminationStatus.isSuccess, status: "\(result.terminationStatus)",
                    output: result.standardOutput, error: result.standardError)
            } catch let error as SubprocessError where error.underlyingError == Errno.textFileBusy && attempt < 10 {
                attempt += 1
                try await Task.sleep(for: .milliseconds(20 * attempt))
            }
        }
    }
}
