/// The syntax tree of an RE2 pattern, with flags already applied to each node.
indirect enum RegexNode: Sendable, Equatable {
    case empty
    /// One scalar; with `foldCase` it also matches its other cases.
    case literal(Unicode.Scalar, foldCase: Bool)
    case characterClass(CharacterClass)
    /// `.`: any scalar, and a newline too under the `s` flag.
    case anyScalar(includingNewline: Bool)
    case assertion(Assertion)
    case concatenation([RegexNode])
    case alternation([RegexNode])
    /// `max` nil means unbounded.
    case repetition(RegexNode, min: Int, max: Int?)
}

/// Zero-width conditions on the position between two scalars.
enum Assertion: Sendable, Equatable {
    /// `\A`, or `^` without the `m` flag.
    case beginningOfText
    /// `\z`, or `$` without the `m` flag (RE2's `$` does not match before a final newline).
    case endOfText
    /// `^` under the `m` flag.
    case beginningOfLine
    /// `$` under the `m` flag.
    case endOfLine
    /// `\b`: an ASCII word character on exactly one side.
    case wordBoundary
    /// `\B`.
    case notWordBoundary

    /// Whether the assertion holds between `previous` and `next` (nil at the ends of the text).
    func holds(previous: Unicode.Scalar?, next: Unicode.Scalar?) -> Bool {
        switch self {
        case .beginningOfText: return previous == nil
        case .endOfText: return next == nil
        case .beginningOfLine: return previous == nil || previous == "\n"
        case .endOfLine: return next == nil || next == "\n"
        case .wordBoundary: return Self.isWord(previous) != Self.isWord(next)
        case .notWordBoundary: return Self.isWord(previous) == Self.isWord(next)
        }
    }

    private static func isWord(_ scalar: Unicode.Scalar?) -> Bool {
        guard let value = scalar?.value else { return false }
        return (0x30...0x39).contains(value) || (0x41...0x5A).contains(value) || (0x61...0x7A).contains(value) || value == 0x5F
    }
}
