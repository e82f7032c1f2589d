/// A pattern that is not valid RE2 syntax, or that compiles to more than the engine accepts.
public struct RegexSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, in words a policy author can act on.
    public var message: String
    /// Where in the pattern, counted in Unicode scalars from 0.
    public var offset: Int

    public init(_ message: String, at offset: Int) {
        self.message = message
        self.offset = offset
    }

    public var description: String { "\(message) (at offset \(offset))" }
}
