/// An input that looks like a diff but cannot be read as one.
public struct DiffParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var message: String

    public var description: String { "diff line \(line): \(message)" }
}

/// Reads unified diffs — git's extended format (renames, copies, modes, binary files, quoted paths)
/// and plain `diff -u` output — into file changes, in one pass over the bytes.
///
/// The parser is incremental: `feed` it output as it arrives and take the files completed so far,
/// so a change can be analysed while git is still writing it.
public struct UnifiedDiffParser {
    private var files: [FileChange] = []
    private var current: FileBuilder?
    private var sawGitHeader = false
    private var remainingOld = 0
    private var remainingNew = 0
    private var nextNewLine = 0
    private var inBinaryPatch = false
    /// The start of a line whose end has not arrived yet.
    private var pending: [UInt8] = []
    private var lineNumber = 0

    public init() {}

    /// Parses a whole diff. Lines that are not part of a diff (such as a mail header) are skipped.
    public static func parse(_ bytes: [UInt8]) throws(DiffParseError) -> [FileChange] {
        var parser = UnifiedDiffParser()
        var failure: DiffParseError?
        bytes.withUnsafeBytes { buffer in
            do throws(DiffParseError) { try parser.feed(buffer) } catch { failure = error }
        }
        if let failure { throw failure }
        return try parser.finish()
    }

    /// Consumes the next chunk of output; complete lines are parsed now, a trailing partial line is kept.
    public mutating func feed(_ chunk: UnsafeRawBufferPointer) throws(DiffParseError) {
        let bytes = chunk.bindMemory(to: UInt8.self)
        var start = 0
        while let newline = bytes[start...].firstIndex(of: 0x0A) {
            if pending.isEmpty {
                try consumeLine(UnsafeBufferPointer(rebasing: bytes[start..<newline]))
            } else {
                pending.append(contentsOf: bytes[start..<newline])
                let line = pending
                pending.removeAll(keepingCapacity: true)
                try consumeLine(line)
            }
            start = newline + 1
        }
        pending.append(contentsOf: bytes[start...])
    }

    /// The files completed so far (a file is complete when the next one starts); they are not returned again.
    public mutating func takeCompletedFiles() -> [FileChange] {
        defer { files.removeAll(keepingCapacity: true) }
        return files
    }

    /// Ends the input and returns the files not yet taken.
    public mutating func finish() throws(DiffParseError) -> [FileChange] {
        if !pending.isEmpty {
            let line = pending
            pending.removeAll()
            try consumeLine(line)
        }
        finishFile()
        return takeCompletedFiles()
    }

    private mutating func consumeLine(_ line: [UInt8]) throws(DiffParseError) {
        var failure: DiffParseError?
        line.withUnsafeBufferPointer { buffer in
            do throws(DiffParseError) { try consumeLine(buffer) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    private mutating func consumeLine(_ line: UnsafeBufferPointer<UInt8>) throws(DiffParseError) {
        lineNumber += 1
        try consume(line, lineNumber: lineNumber)
    }

    private struct FileBuilder {
        var oldPath: [UInt8]?
        var newPath: [UInt8]?
        var status: FileChange.Status?
        var change = FileChange(path: "", status: .modified)
        var sawHunkOrNewHeader = false
    }

    private mutating func finishFile() {
        guard var builder = current else { return }
        current = nil
        let oldPath = builder.oldPath.map { GitPathQuoting.displayString($0) }
        let newPath = builder.newPath.map { GitPathQuoting.displayString($0) }
        var status = builder.status ?? .modified
        if builder.newPath == nil, builder.oldPath != nil, builder.status == nil { status = .deleted }
        if builder.oldPath == nil, builder.newPath != nil, builder.status == nil { status = .added }
        builder.change.status = status
        switch status {
        case .deleted:
            builder.change.path = oldPath ?? newPath ?? ""
        case .renamed, .copied:
            builder.change.path = newPath ?? ""
            builder.change.oldPath = oldPath
        default:
            builder.change.path = newPath ?? oldPath ?? ""
        }
        if !builder.change.path.isEmpty { files.append(builder.change) }
    }

    private static func hasPrefix(_ line: UnsafeBufferPointer<UInt8>, _ prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard line.count >= count else { return false }
        let p = prefix.utf8Start
        for i in 0..<count where line[i] != p[i] { return false }
        return true
    }

    private mutating func consume(_ rawLine: UnsafeBufferPointer<UInt8>, lineNumber: Int) throws(DiffParseError) {
        if remainingOld > 0 || remainingNew > 0, current != nil {
            if consumeHunkLine(rawLine) { return }
            remainingOld = 0
            remainingNew = 0
        }
        var line = rawLine
        if let last = line.last, last == 0x0D { line = UnsafeBufferPointer(rebasing: line.dropLast()) }

        if Self.hasPrefix(line, "diff --git ") {
            finishFile()
            sawGitHeader = true
            inBinaryPatch = false
            var builder = FileBuilder()
            let (old, new) = Self.gitHeaderPaths(Array(line.dropFirst(11)))
            builder.oldPath = old
            builder.newPath = new
            current = builder
            return
        }
        if inBinaryPatch { return }
        if Self.hasPrefix(line, "--- ") {
            // In git diffs `---` follows `diff --git`; in plain diffs it starts the next file.
            if current?.sawHunkOrNewHeader ?? true {
                finishFile()
                current = FileBuilder()
            }
            let path = headerPath(Array(line.dropFirst(4)), prefix: "a/")
            if let path {
                current!.oldPath = path
            } else {
                current!.oldPath = nil
                current!.status = .added
            }
            return
        }
        guard current != nil else { return }
        if Self.hasPrefix(line, "+++ ") {
            let path = headerPath(Array(line.dropFirst(4)), prefix: "b/")
            if let path {
                current!.newPath = path
            } else {
                current!.newPath = nil
                current!.status = .deleted
            }
            current!.sawHunkOrNewHeader = true
            return
        }
        if Self.hasPrefix(line, "@@ ") {
            try startHunk(line, lineNumber: lineNumber)
            current!.sawHunkOrNewHeader = true
            return
        }
        if Self.hasPrefix(line, "new file mode") {
            current!.status = .added
            current!.oldPath = nil
        } else if Self.hasPrefix(line, "deleted file mode") {
            current!.status = .deleted
            current!.newPath = nil
        } else if Self.hasPrefix(line, "rename from ") {
            current!.status = .renamed
            current!.oldPath = Self.path(Array(line.dropFirst(12)))
        } else if Self.hasPrefix(line, "rename to ") {
            current!.status = .renamed
            current!.newPath = Self.path(Array(line.dropFirst(10)))
        } else if Self.hasPrefix(line, "copy from ") {
            current!.status = .copied
            current!.oldPath = Self.path(Array(line.dropFirst(10)))
        } else if Self.hasPrefix(line, "copy to ") {
            current!.status = .copied
            current!.newPath = Self.path(Array(line.dropFirst(8)))
        } else if Self.hasPrefix(line, "Binary files ") {
            current!.change.isBinary = true
        } else if Self.hasPrefix(line, "GIT binary patch") {
            current!.change.isBinary = true
            inBinaryPatch = true
        }
    }

    /// Returns false when the line cannot belong to the hunk, which then ends early.
    private mutating func consumeHunkLine(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = line.first else {
            // Some tools strip the single space of an empty context line.
            remainingOld -= 1
            remainingNew -= 1
            nextNewLine += 1
            return true
        }
        switch first {
        case UInt8(ascii: "+"):
            remainingNew -= 1
            current!.change.linesAdded += 1
            if current!.change.addedLines.count < DiffLimits.maxScannedLinesPerFile {
                var content = UnsafeBufferPointer(rebasing: line.dropFirst())
                if let last = content.last, last == 0x0D { content = UnsafeBufferPointer(rebasing: content.dropLast()) }
                let kept = UnsafeBufferPointer(rebasing: content.prefix(DiffLimits.maxScannedLineLength))
                current!.change.addedLines.append(AddedLine(number: nextNewLine, text: String(decoding: kept, as: UTF8.self)))
            } else {
                current!.change.isTruncated = true
            }
            nextNewLine += 1
        case UInt8(ascii: "-"):
            remainingOld -= 1
            current!.change.linesRemoved += 1
        case UInt8(ascii: " "):
            remainingOld -= 1
            remainingNew -= 1
            nextNewLine += 1
        case UInt8(ascii: "\\"):
            break
        default:
            return false
        }
        return true
    }

    private mutating func startHunk(_ line: UnsafeBufferPointer<UInt8>, lineNumber: Int) throws(DiffParseError) {
        // @@ -oldStart[,oldCount] +newStart[,newCount] @@ optional section heading
        var index = 3
        func number() -> Int? {
            var value = 0
            var digits = 0
            while index < line.count, line[index] >= 48, line[index] <= 57 {
                value = value &* 10 &+ Int(line[index] - 48)
                index += 1
                digits += 1
            }
            return digits > 0 ? value : nil
        }
        func range(_ sign: UInt8) -> (start: Int, count: Int)? {
            guard index < line.count, line[index] == sign else { return nil }
            index += 1
            guard let start = number() else { return nil }
            var count = 1
            if index < line.count, line[index] == UInt8(ascii: ",") {
                index += 1
                guard let parsed = number() else { return nil }
                count = parsed
            }
            return (start, count)
        }
        guard let old = range(UInt8(ascii: "-")), index < line.count, line[index] == UInt8(ascii: " ") else {
            throw DiffParseError(line: lineNumber, message: "malformed hunk header; expected '@@ -start,count +start,count @@'")
        }
        index += 1
        guard let new = range(UInt8(ascii: "+")) else {
            throw DiffParseError(line: lineNumber, message: "malformed hunk header; expected '@@ -start,count +start,count @@'")
        }
        remainingOld = old.count
        remainingNew = new.count
        nextNewLine = new.start
    }

    /// A path from a `---`/`+++` line: nil for /dev/null; the a/ or b/ prefix and any timestamp removed.
    private func headerPath(_ text: [UInt8], prefix: String) -> [UInt8]? {
        var raw = text
        if raw.first == UInt8(ascii: "\"") {
            raw = Self.path(raw)
        } else if let tab = raw.firstIndex(of: 0x09) {
            raw = Array(raw[..<tab])
        }
        if raw == Array("/dev/null".utf8) { return nil }
        let prefixBytes = Array(prefix.utf8)
        if sawGitHeader {
            if raw.starts(with: prefixBytes) { raw.removeFirst(prefixBytes.count) }
        } else if raw.starts(with: prefixBytes) {
            raw.removeFirst(prefixBytes.count)
        } else if raw.starts(with: Array("./".utf8)) {
            raw.removeFirst(2)
        }
        return raw
    }

    /// A path from an extended header line, unquoting it when git quoted it.
    private static func path(_ text: [UInt8]) -> [UInt8] {
        guard text.count >= 2, text.first == UInt8(ascii: "\""), text.last == UInt8(ascii: "\"") else { return text }
        return GitPathQuoting.unquote(text[1..<(text.count - 1)])
    }

    /// Splits `a/OLD b/NEW`. Unquoted names with spaces are ambiguous; equal names (the common case) are
    /// recognised exactly, and later `---`/`+++`/rename lines correct the rest.
    static func gitHeaderPaths(_ text: [UInt8]) -> (old: [UInt8]?, new: [UInt8]?) {
        func stripPrefix(_ path: [UInt8]) -> [UInt8] {
            path.count >= 2 && path[1] == UInt8(ascii: "/") ? Array(path.dropFirst(2)) : path
        }
        if text.first == UInt8(ascii: "\"") {
            var index = 1
            while index < text.count, !(text[index] == UInt8(ascii: "\"") && text[index - 1] != UInt8(ascii: "\\")) { index += 1 }
            let old = GitPathQuoting.unquote(text[1..<min(index, text.count)])
            var rest = Array(text.dropFirst(index + 2))
            if rest.first == UInt8(ascii: "\""), rest.count >= 2 { rest = GitPathQuoting.unquote(rest[1..<(rest.count - 1)]) }
            return (stripPrefix(old), stripPrefix(rest))
        }
        if text.count % 2 == 1 {
            let half = (text.count - 1) / 2
            let old = Array(text[..<half])
            let new = Array(text[(half + 1)...])
            if text[half] == UInt8(ascii: " "), stripPrefix(old) == stripPrefix(new) { return (stripPrefix(old), stripPrefix(new)) }
        }
        let separator = Array(" b/".utf8)
        if let range = text.firstRange(of: separator) {
            var new = Array(text[range.upperBound...])
            if new.first == UInt8(ascii: "\""), new.count >= 2 { new = GitPathQuoting.unquote(new[1..<(new.count - 1)]) }
            return (stripPrefix(Array(text[..<range.lowerBound])), new)
        }
        return (nil, nil)
    }
}
