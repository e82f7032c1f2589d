/// Why a command line could not be read. A guard treats any of these as a command it cannot understand.
public struct ShellSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// A quote, substitution or compound command that does not end: what was open.
        case unterminated(String)
        /// Something where it cannot be: what was found, and what was expected if that is known.
        case unexpected(String, expected: String?)
        /// Nested deeper than `ShellParser.maximumDepth`.
        case tooDeep
        /// Longer than `ShellParser.maximumLength` bytes.
        case tooLong
        /// More than `ShellParser.maximumWords` words.
        case tooManyWords
        /// More than `ShellParser.maximumHereDocuments` here-documents.
        case tooManyHereDocuments
    }

    public var kind: Kind
    /// The byte offset in the command line where the problem was seen.
    public var offset: Int

    public var description: String {
        switch kind {
        case .unterminated(let what): return "\(what) is not closed (opened at byte \(offset))"
        case .unexpected(let found, let expected):
            return "unexpected \(found) at byte \(offset)" + (expected.map { "; expected \($0)" } ?? "")
        case .tooDeep: return "nested more than \(ShellParser.maximumDepth) levels deep"
        case .tooLong: return "longer than \(ShellParser.maximumLength) bytes"
        case .tooManyWords: return "more than \(ShellParser.maximumWords) words"
        case .tooManyHereDocuments: return "more than \(ShellParser.maximumHereDocuments) here-documents"
        }
    }
}
