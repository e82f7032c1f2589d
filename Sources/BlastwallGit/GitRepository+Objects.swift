extension GitRepository {
    /// An object as `git cat-file --batch` gives it.
    public struct Object: Sendable {
        public var id: String
        public var type: String
        public var contents: [UInt8]
    }

    /// Several objects read by one git process: for each name (`main^{commit}`, `HEAD:blastwall.yml`), the
    /// object, or nil when there is none (a missing path, an unknown or ambiguous revision). One process
    /// instead of one per name is what makes a small check fast.
    public func objects(_ names: [String]) async throws(GitError) -> [Object?] {
        // Each name is a line of input; one that cannot be written as a line is not an object name.
        let valid = names.map { !$0.isEmpty && !$0.contains("\n") }
        let input = zip(names, valid).filter(\.1).map { $0.0 + "\n" }.joined()
        let output = input.isEmpty ? [] : try await run(["cat-file", "--batch"], input: Array(input.utf8)).output
        var reader = BatchReader(output: output[...])
        return try valid.map { (isValid) throws(GitError) -> Object? in
            guard isValid else { return nil }
            guard let object = try reader.next() else {
                throw GitError.commandFailed(
                    arguments: ["cat-file", "--batch"], status: "unreadable output", message: "output ended early")
            }
            return object
        }
    }

    /// The contents of `path` at `revision` for each path, read by one git process; nil where there is none.
    public func files(at revision: String, paths: [String]) async throws(GitError) -> [String?] {
        try await objects(paths.map { "\(revision):\($0)" }).map { object in
            object.flatMap { $0.type == "blob" ? String(decoding: $0.contents, as: UTF8.self) : nil }
        }
    }
}

/// Reads `git cat-file --batch` output: `<id> <type> <size>`, the contents and a newline per object found,
/// `<name> missing` (or `ambiguous`) for a name that names none.
private struct BatchReader {
    var output: ArraySlice<UInt8>

    /// The next object; `.some(nil)` for a name without one, nil when the output is used up.
    mutating func next() throws(GitError) -> Object?? {
        guard let end = output.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        let header = String(decoding: output[output.startIndex..<end], as: UTF8.self)
        output = output[(end + 1)...]
        let fields = header.split(separator: " ")
        guard fields.count == 3, let size = Int(fields[2]), size <= output.count else {
            guard header.hasSuffix(" missing") || header.hasSuffix(" ambiguous") else { throw unreadable(header) }
            return .some(nil)
        }
        let contents = Array(output.prefix(size))
        output = output.dropFirst(size)
        guard output.first == UInt8(ascii: "\n") else { throw unreadable(header) }
        output = output.dropFirst()
        return .some(GitRepository.Object(id: String(fields[0]), type: String(fields[1]), contents: contents))
    }

    typealias Object = GitRepository.Object

    private func unreadable(_ header: String) -> GitError {
        .commandFailed(arguments: ["cat-file", "--batch"], status: "unreadable output", message: "unexpected line '\(header)'")
    }
}
