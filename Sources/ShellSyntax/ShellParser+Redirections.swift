/// Redirections and here-documents.
extension ShellParser {
    /// Longest operators first, so that `>>` is not read as `>`.
    static let redirectionOperators: [Redirection.Operation] = [
        .appendOutputAndError, .hereString, .hereDocumentStrippingTabs, .outputAndError, .hereDocument, .readWrite,
        .duplicateInput, .append, .clobber, .duplicateOutput, .input, .output,
    ]

    /// A redirection at the current position (`2>>log`, `<in`, `&>out`, `<<EOF`), or nil when there is none.
    mutating func redirection() throws(ShellSyntaxError) -> Redirection? {
        let start = position
        var descriptor: Int?
        var index = position
        while index < bytes.count, Self.isDigit(bytes[index]), index - position < 4 { index += 1 }
        if index > position, index < bytes.count, bytes[index] == UInt8(ascii: "<") || bytes[index] == UInt8(ascii: ">") {
            descriptor = Int(String(decoding: bytes[position..<index], as: UTF8.self))
            position = index
        }
        // `<(` and `>(` begin a process substitution, which is a word.
        if descriptor == nil && (peek("<(") || peek(">(")) { return nil }
        guard let operation = Self.redirectionOperators.first(where: { peek($0.rawValue) }) else {
            position = start
            return nil
        }
        position += operation.rawValue.utf8.count
        skipBlanks()
        guard let target = try word() else { throw unexpected(expected: "a file name after '\(operation.rawValue)'") }
        var redirection = Redirection(descriptor: descriptor, operation: operation, target: target)
        if operation == .hereDocument || operation == .hereDocumentStrippingTabs {
            try readHereDocument(into: &redirection, opened: start)
        }
        return redirection
    }

    /// Finds the body of a here-document: the lines after the one it is on (after the bodies of those before
    /// it on that line), up to its delimiter. Reading resumes after them at the line's end.
    private mutating func readHereDocument(into redirection: inout Redirection, opened start: Int) throws(ShellSyntaxError) {
        budget.hereDocuments += 1
        guard budget.hereDocuments <= Self.maximumHereDocuments else {
            throw ShellSyntaxError(kind: .tooManyHereDocuments, offset: start)
        }
        let quoted = redirection.target.parts.contains {
            if case .literal(_, true) = $0 { return true }
            return false
        }
        let delimiter = Array((redirection.target.literalValue ?? redirection.target.text).utf8)
        let stripsTabs = redirection.operation == .hereDocumentStrippingTabs
        // The line's end: the next newline (a quote spanning lines before it would be misread, as a guard may).
        guard let newline = bytes[position...].firstIndex(of: UInt8(ascii: "\n")) else {
            redirection.hereDocumentBody = ""
            return
        }
        var lineStart = resumeAfterNewline[newline] ?? newline + 1
        var bodyLines: [ArraySlice<UInt8>] = []
        var resume = bytes.count
        while lineStart < bytes.count {
            let lineEnd = bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            var line = bytes[lineStart..<lineEnd]
            if stripsTabs { line = line.drop { $0 == UInt8(ascii: "\t") } }
            if line.elementsEqual(delimiter) {
                resume = min(lineEnd + 1, bytes.count)
                break
            }
            bodyLines.append(line)
            lineStart = lineEnd + 1
        }
        resumeAfterNewline[newline] = resume
        let body = bodyLines.map { String(decoding: $0, as: UTF8.self) }.joined(separator: "\n") + (bodyLines.isEmpty ? "" : "\n")
        redirection.hereDocumentBody = body
        guard !quoted else { return }
        // Unquoted: the body expands like a double-quoted word, so its substitutions run.
        var inner = ShellParser(bytes: Array(body.utf8), budget: budget, depth: depth + 1)
        guard inner.depth <= Self.maximumDepth else { throw ShellSyntaxError(kind: .tooDeep, offset: start) }
        do {
            redirection.hereDocument = Word(parts: try inner.doubleQuoted(until: nil, opened: 0))
        } catch {
            throw ShellSyntaxError(kind: error.kind, offset: start)
        }
    }
}
