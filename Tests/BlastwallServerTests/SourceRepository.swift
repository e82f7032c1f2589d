import BlastwallGit
import Foundation

/// A git repository the server mirrors in tests: commits are made in a working repository and pushed to a
/// bare one whose default branch is `main`, as a forge would hold it.
final class SourceRepository: Sendable {
    let work: GitRepository
    let bare: GitRepository
    let folder: String

    init() async throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("blastwall-source-\(UUID().uuidString)").path
        for name in ["work", "origin.git"] {
            try FileManager.default.createDirectory(atPath: folder + "/" + name, withIntermediateDirectories: true)
        }
        work = GitRepository(directory: folder + "/work")
        bare = GitRepository(directory: folder + "/origin.git")
        try await bare.execute(["init", "--quiet", "--bare", "--initial-branch=main"])
        try await work.execute(["init", "--quiet", "--initial-branch=main"])
        try await work.execute(["remote", "add", "origin", bare.directory])
        try await work.execute(["config", "commit.gpgsign", "false"])
    }

    deinit { try? FileManager.default.removeItem(atPath: folder) }

    var url: String { bare.directory }
    var mirrors: String { folder + "/mirrors" }

    /// Writes `files` (nil deletes), commits them on `branch` as `author`, pushes, and returns the commit id.
    @discardableResult
    func commit(
        _ files: [String: String?], on branch: String, message: String = "Change", author: (String, String) = ("Sam", "sam@acme.example")
    ) async throws -> String {
        let branches = try await work.execute(["branch", "--list", branch])
        if branches.isEmpty, try await !work.execute(["branch", "--list"]).isEmpty {
            try await work.execute(["checkout", "--quiet", "-b", branch])
        } else if try await !work.execute(["branch", "--list"]).isEmpty {
            try await work.execute(["checkout", "--quiet", branch])
        }
        for (path, text) in files {
            let url = URL(fileURLWithPath: work.directory).appendingPathComponent(path)
            if let text {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(text.utf8).write(to: url)
            } else {
                try FileManager.default.removeItem(at: url)
            }
        }
        let identity = [
            "GIT_AUTHOR_NAME": author.0, "GIT_AUTHOR_EMAIL": author.1, "GIT_COMMITTER_NAME": author.0,
            "GIT_COMMITTER_EMAIL": author.1,
        ]
        try await work.execute(["add", "-A"])
        try await work.execute(["commit", "--quiet", "--allow-empty", "-m", message], environment: identity)
        try await work.execute(["push", "--quiet", "--force", "origin", branch])
        return try await work.execute(["rev-parse", "HEAD"]).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
