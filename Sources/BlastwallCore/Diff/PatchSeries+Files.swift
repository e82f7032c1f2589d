extension PatchSeries {
    /// The files of a series as one change: a file that several patches touch is one file, followed
    /// through renames, with the status of the series as a whole (added then changed is added; added
    /// then deleted is no change at all).
    ///
    /// Line counts are the sums over the patches, since the files' contents are not at hand. Added lines
    /// are kept from every patch: a secret added by one and removed by the next is still in history.
    public static func combined(_ files: [FileChange]) -> [FileChange] {
        var result: [FileChange?] = []
        var indexByPath: [String: Int] = [:]
        for file in files {
            let earlierPath = file.status == .renamed ? file.oldPath ?? file.path : file.path
            guard file.status != .copied, let index = indexByPath[earlierPath], let earlier = result[index] else {
                indexByPath[file.path] = result.count
                result.append(file)
                continue
            }
            indexByPath[earlierPath] = nil
            let merged = merging(earlier, then: file)
            result[index] = merged
            if let merged { indexByPath[merged.path] = index }
        }
        return result.compactMap { $0 }
    }

    private static func merging(_ earlier: FileChange, then later: FileChange) -> FileChange? {
        var merged = later
        merged.linesAdded += earlier.linesAdded
        merged.linesRemoved += earlier.linesRemoved
        merged.isBinary = earlier.isBinary || later.isBinary
        merged.addedLines = earlier.addedLines + later.addedLines
        merged.isTruncated = earlier.isTruncated || later.isTruncated
        let original = earlier.status == .renamed ? earlier.oldPath : earlier.path
        switch (earlier.status, later.status) {
        case (.added, .deleted):
            return nil
        case (.added, _):
            merged.status = .added
            merged.oldPath = nil
        case (.deleted, .added):
            merged.status = .modified
        case (_, .deleted):
            merged.path = original ?? later.path
            merged.oldPath = nil
        case (_, .renamed), (.renamed, _):
            if original == later.path {
                merged.status = .modified
                merged.oldPath = nil
            } else {
                merged.status = .renamed
                merged.oldPath = original
            }
        default:
            merged.status = later.status
        }
        return merged
    }
}
