/// One file in a change, as read from a diff.
public struct FileChange: Sendable, Equatable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        case added, modified, deleted, renamed, copied
    }

    /// The path after the change (the old path for deletions).
    public var path: String
    /// The path before a rename or copy.
    public var oldPath: String?
    public var status: Status
    public var linesAdded: Int
    public var linesRemoved: Int
    public var isBinary: Bool
    /// Added lines with their line numbers in the new file, for content rules and annotations.
    public var addedLines: [AddedLine]
    /// True when added lines beyond `DiffLimits.maxScannedLinesPerFile` were counted but not kept.
    public var isTruncated: Bool

    public init(
        path: String, oldPath: String? = nil, status: Status, linesAdded: Int = 0, linesRemoved: Int = 0,
        isBinary: Bool = false, addedLines: [AddedLine] = [], isTruncated: Bool = false
    ) {
        self.path = path
        self.oldPath = oldPath
        self.status = status
        self.linesAdded = linesAdded
        self.linesRemoved = linesRemoved
        self.isBinary = isBinary
        self.addedLines = addedLines
        self.isTruncated = isTruncated
    }
}

/// A line added by a change.
public struct AddedLine: Sendable, Equatable {
    public var number: Int
    public var text: String

    public init(number: Int, text: String) {
        self.number = number
        self.text = text
    }
}

/// Bounds that keep huge diffs from exhausting memory: lines are counted in full, kept up to a limit.
public enum DiffLimits {
    public static let maxScannedLinesPerFile = 20_000
    public static let maxScannedLineLength = 4_096
}
