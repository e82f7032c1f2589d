import BlastwallGit
import BlastwallTestSupport
import Foundation
import Testing

/// A real git repository in a temporary folder, removed when the test ends.
final class TemporaryRepository {
    let path: String
    let git: GitRepository

    init() async throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("blastwall-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        git = GitRepository(directory: path)
        try await git.execute(["init", "--quiet", "--initial-branch=main"])
        try await git.execute(["config", "commit.gpgsign", "false"])
        try await git.execute(["config", "user.name", "Test Person"])
        try await git.execute(["config", "user.email", "person@example.com"])
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    func write(_ files: [String: String]) throws {
        for (relative, contents) in files {
            let url = URL(fileURLWithPath: path).appendingPathComponent(relative)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(contents.utf8).write(to: url)
        }
    }

    /// Writes a file whose name is raw bytes (for example, not valid UTF-8).
    func writeFile(namedBytes name: [UInt8], contents: String) throws {
        let fullPath = Array(path.utf8) + [UInt8(ascii: "/")] + name + [0]
        let descriptor = fullPath.withUnsafeBufferPointer {
            $0.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_WRONLY | O_CREAT | O_TRUNC, 0o644) }
        }
        try #require(descriptor >= 0)
        let bytes = Array(contents.utf8)
        _ = bytes.withUnsafeBufferPointer { Foundation.write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
    }

    @discardableResult
    func commit(_ message: String, author: String = "Test Person", email: String = "person@example.com") async throws -> String {
        try await git.execute(["add", "-A"])
        try await git.execute(
            ["commit", "--quiet", "--allow-empty", "-m", message],
            environment: ["GIT_AUTHOR_NAME": author, "GIT_AUTHOR_EMAIL": email])
        return try await git.execute(["rev-parse", "HEAD"]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func run(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]) async throws -> ProcessOutput {
        try await BlastwallBinary.run(arguments, in: path, stdin: stdin, environment: environment)
    }
}

/// Parses JSON output into Foundation objects for assertions.
func json(_ text: String) throws -> [String: Any] {
    try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
}
