import BlastwallCore

/// What the guard knows of the place a command runs in, gathered by the caller (the guard itself does no I/O).
public struct CommandContext: Sendable {
    /// The absolute directory the command starts in.
    public var directory: String
    /// The repository's root, when the directory is inside one: writes under it can be restored, others not.
    public var workingTree: String?
    public var home: String?
    /// Read from each tool's own configuration, by tool family: `kubectl` → the kubeconfig's current context,
    /// `aws` → `AWS_PROFILE`, `terraform` → the selected workspace.
    public var toolSignals: [String: [EnvironmentSignal]]
    /// Whether a path (absolute) exists: `mv a b` over an existing `b` replaces it.
    public var exists: @Sendable (String) -> Bool

    public init(
        directory: String, workingTree: String? = nil, home: String? = nil, toolSignals: [String: [EnvironmentSignal]] = [:],
        exists: @escaping @Sendable (String) -> Bool = { _ in false }
    ) {
        self.directory = directory
        self.workingTree = workingTree
        self.home = home
        self.toolSignals = toolSignals
        self.exists = exists
    }

    /// `path` made absolute against `directory` (the context's when nil), `.` and `..` removed; nil when it
    /// depends on an expansion the guard cannot know.
    public func absolute(_ path: String, from directory: String? = nil) -> String? {
        var path = path
        if path == "~" || path.hasPrefix("~/") {
            guard let home else { return nil }
            path = home + path.dropFirst()
        }
        if path.utf8.contains(UInt8(ascii: "$")) || path.utf8.contains(UInt8(ascii: "`")) { return nil }
        let base = directory ?? self.directory
        let joined = path.hasPrefix("/") ? path : base + "/" + path
        var parts: [Substring] = []
        for part in joined.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..": if !parts.isEmpty { parts.removeLast() }
            default: parts.append(part)
            }
        }
        return "/" + parts.joined(separator: "/")
    }

    /// Where an absolute path lies relative to the working tree.
    public func placement(of absolutePath: String) -> Placement {
        guard let workingTree else { return .outside }
        if absolutePath == workingTree { return .workingTreeRoot }
        guard absolutePath.hasPrefix(workingTree.hasSuffix("/") ? workingTree : workingTree + "/") else { return .outside }
        let relative = String(absolutePath.dropFirst(workingTree.count).drop { $0 == "/" })
        if relative == ".git" || relative.hasPrefix(".git/") { return .repositoryData }
        return .inside(relative)
    }

    public enum Placement: Sendable, Equatable {
        /// Under the working tree (the path relative to its root): git can tell what changed.
        case inside(String)
        case workingTreeRoot
        /// `.git`: the history itself.
        case repositoryData
        case outside
    }
}
