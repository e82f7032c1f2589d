import Foundation

/// Runs the real `blastwall` executable built next to the test bundle.
public enum BlastwallBinary {
    public static let path: String = {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        // The test bundle lives in the build folder (…/debug/BlastwallPackageTests.xctest).
        for _ in 0..<3 {
            let candidate = directory.appendingPathComponent("blastwall").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/debug/blastwall").path
    }()

    public static func run(_ arguments: [String], in directory: String, stdin: String? = nil, environment: [String: String] = [:])
        async throws
        -> ProcessOutput
    {
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        env.removeValue(forKey: "BLASTWALL_NOW")
        for (key, value) in environment { env[key] = value }
        return try await ProcessRunner.run(path, arguments, in: directory, input: Data((stdin ?? "").utf8), environment: env)
    }
}
