/// A regular expression in RE2 syntax whose search takes time linear in the text's length.
///
/// CEL's `matches`, content classes and every other pattern a submitter or policy author can write go
/// through this type, so no pattern and no input can stall the server the way backtracking engines can
/// (`(a+)+$` on a line of `a`s). Only whether a match exists is computed; captures are not.
public struct LinearRegex: Sendable {
    public let pattern: String
    private let program: Program

    /// The longest pattern accepted, in Unicode scalars.
    public static let maxPatternLength = 10_000

    public init(_ pattern: String) throws(RegexSyntaxError) {
        let length = pattern.unicodeScalars.count
        guard length <= Self.maxPatternLength else {
            throw RegexSyntaxError("regular expression too long: \(length) characters, at most \(Self.maxPatternLength)", at: 0)
        }
        self.pattern = pattern
        program = try Compiler.compile(try RegexParser.parse(pattern), patternLength: length)
    }

    /// The number of instructions the pattern compiled to: the work per scalar of text is at most this.
    public var size: Int { program.instructions.count }

    /// Whether the pattern matches anywhere in `text` (RE2's partial match, CEL's `matches`).
    public func matches(in text: String) -> Bool {
        var machine = PikeVM(program)
        return machine.search(text)
    }
}
