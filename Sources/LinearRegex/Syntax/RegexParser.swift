/// Parses RE2 syntax (https://github.com/google/re2/wiki/Syntax) into a `RegexNode` tree.
///
/// What RE2 refuses is refused here too, with a message: backreferences, lookaround, possessive
/// quantifiers, repetition counts above 1000, and nesting deeper than 1000 levels.
struct RegexParser {
    struct Flags: Equatable {
        var foldCase = false
        var multiLine = false
        var dotMatchesNewline = false
    }

    static let maxRepetition = 1000
    static let maxNesting = 1000

    let scalars: [Unicode.Scalar]
    var position = 0
    var flags = Flags()
    private var nesting = 0

    static func parse(_ pattern: String) throws(RegexSyntaxError) -> RegexNode {
        var parser = RegexParser(scalars: Array(pattern.unicodeScalars))
        let node = try parser.alternation()
        if parser.position < parser.scalars.count {
            throw RegexSyntaxError("unexpected ')': no group is open here; escape it as \\)", at: parser.position)
        }
        return node
    }

    private init(scalars: [Unicode.Scalar]) {
        self.scalars = scalars
    }

    var current: Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }

    func peek(_ offset: Int) -> Unicode.Scalar? {
        position + offset < scalars.count ? scalars[position + offset] : nil
    }

    mutating func advance() -> Unicode.Scalar {
        defer { position += 1 }
        return scalars[position]
    }

    // MARK: - Alternation and concatenation

    private mutating func alternation() throws(RegexSyntaxError) -> RegexNode {
        var branches = [try concatenation()]
        while current == "|" {
            position += 1
            branches.append(try concatenation())
        }
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    private mutating func concatenation() throws(RegexSyntaxError) -> RegexNode {
        var items: [RegexNode] = []
        var lastIsRepetition = false
        while let scalar = current, scalar != "|", scalar != ")" {
            let start = position
            if let (min, max) = try repetitionOperator() {
                guard let operand = items.popLast() else {
                    throw RegexSyntaxError("missing argument to repetition operator '\(scalar)'", at: start)
                }
                guard !lastIsRepetition else {
                    throw RegexSyntaxError(
                        "bad repetition operator: a repetition of a repetition; group the first one with (?:…)", at: start)
                }
                if current == "?" { position += 1 }  // A lazy quantifier matches the same texts.
                if current == "+" {
                    throw RegexSyntaxError("possessive quantifiers such as '*+' are not RE2 syntax", at: position)
                }
                items.append(.repetition(operand, min: min, max: max))
                lastIsRepetition = true
                continue
            }
            lastIsRepetition = false
            items.append(contentsOf: try atoms())
        }
        switch items.count {
        case 0: return .empty
        case 1: return items[0]
        default: return .concatenation(items)
        }
    }

    /// `*`, `+`, `?` or a valid `{n}`, `{n,}`, `{n,m}` at the current position; a `{` that starts none is a literal.
    private mutating func repetitionOperator() throws(RegexSyntaxError) -> (Int, Int?)? {
        switch current {
        case "*":
            position += 1
            return (0, nil)
        case "+":
            position += 1
            return (1, nil)
        case "?":
            position += 1
            return (0, 1)
        case "{":
            let start = position
            position += 1
            guard let min = decimal() else {
                position = start
                return nil
            }
            var max: Int? = min
            if current == "," {
                position += 1
                max = current == "}" ? nil : decimal()
                if max == nil, current != "}" {
                    position = start
                    return nil
                }
            }
            guard current == "}" else {
                position = start
                return nil
            }
            position += 1
            guard min <= Self.maxRepetition, (max ?? min) <= Self.maxRepetition else {
                throw RegexSyntaxError("bad repetition operator: counts are at most \(Self.maxRepetition)", at: start)
            }
            if let max, max < min {
                throw RegexSyntaxError("bad repetition operator: {\(min),\(max)} has its maximum below its minimum", at: start)
            }
            return (min, max)
        default:
            return nil
        }
    }

    /// A run of decimal digits; more than 1000 is reported by the caller, so it is capped before overflow.
    private mutating func decimal() -> Int? {
        var value = 0
        var digits = 0
        while let scalar = current, ("0"..."9").contains(scalar) {
            value = min(value * 10 + Int(scalar.value - 0x30), 1_000_000)
            digits += 1
            position += 1
        }
        return digits > 0 ? value : nil
    }

    // MARK: - Atoms

    /// The next atom: none for a flag group such as `(?i)`, several for `\Q…\E` (a quantifier then takes the last).
    private mutating func atoms() throws(RegexSyntaxError) -> [RegexNode] {
        let start = position
        let scalar = advance()
        switch scalar {
        case "(": return try group(openedAt: start).map { [$0] } ?? []
        case "[": return [.characterClass(try bracketClass(openedAt: start))]
        case ".": return [.anyScalar(includingNewline: flags.dotMatchesNewline)]
        case "^": return [.assertion(flags.multiLine ? .beginningOfLine : .beginningOfText)]
        case "$": return [.assertion(flags.multiLine ? .endOfLine : .endOfText)]
        case "\\":
            if current == "Q" { return quotedLiterals() }
            return [try escape(at: start)]
        default: return [literal(scalar)]
        }
    }

    func literal(_ scalar: Unicode.Scalar) -> RegexNode {
        .literal(scalar, foldCase: flags.foldCase && CaseFolding.hasOtherCases(scalar))
    }

    private mutating func group(openedAt start: Int) throws(RegexSyntaxError) -> RegexNode? {
        nesting += 1
        defer { nesting -= 1 }
        guard nesting <= Self.maxNesting else {
            throw RegexSyntaxError("expression nests more than \(Self.maxNesting) groups deep", at: start)
        }
        let outerFlags = flags
        if current == "?" {
            position += 1
            if try groupModifiers(openedAt: start) == .flagsOnly { return nil }
        }
        let inner = try alternation()
        guard current == ")" else {
            throw RegexSyntaxError("missing closing ')' for the group opened here", at: start)
        }
        position += 1
        flags = outerFlags
        return inner
    }

    private enum GroupKind { case group, flagsOnly }

    /// What follows `(?`: a name, flags, or `:`.
    private mutating func groupModifiers(openedAt start: Int) throws(RegexSyntaxError) -> GroupKind {
        switch current {
        case ":":
            position += 1
            return .group
        case "=", "!":
            throw RegexSyntaxError("lookahead '(?\(current!)' is not RE2 syntax (RE2 has no lookaround)", at: start)
        case "P", "<":
            if current == "P" { position += 1 }
            if current == "=" || current == ">" {
                throw RegexSyntaxError("backreferences and recursion are not RE2 syntax", at: start)
            }
            guard current == "<" else { throw RegexSyntaxError("invalid named group: expected '<' after '(?P'", at: start) }
            if peek(1) == "=" || peek(1) == "!" {
                throw RegexSyntaxError("lookbehind is not RE2 syntax (RE2 has no lookaround)", at: start)
            }
            position += 1
            let nameStart = position
            while let scalar = current, scalar == "_" || scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                position += 1
            }
            guard position > nameStart, current == ">" else {
                throw RegexSyntaxError("invalid named group: a name is letters, digits and '_' closed by '>'", at: start)
            }
            position += 1
            return .group
        default:
            return try flagModifiers(openedAt: start)
        }
    }

    /// `(?i)`, `(?-s)`, `(?im:…)`: flags for the rest of the enclosing group, or for the group they open.
    private mutating func flagModifiers(openedAt start: Int) throws(RegexSyntaxError) -> GroupKind {
        var negate = false
        var sawFlag = false
        while let scalar = current {
            position += 1
            switch scalar {
            case "i": flags.foldCase = !negate
            case "m": flags.multiLine = !negate
            case "s": flags.dotMatchesNewline = !negate
            case "U": break  // Ungreedy changes which match is reported, not whether one exists.
            case "-":
                guard !negate else { throw RegexSyntaxError("invalid flags: '-' appears twice", at: start) }
                negate = true
                sawFlag = false
                continue
            case ")", ":":
                // `(?)` is an empty flag group; `(?-)` and `(?i-)` name no flag to turn off.
                guard sawFlag || !negate else { throw RegexSyntaxError("invalid flags: '-' names no flag to turn off", at: start) }
                // After ')' the flags hold to the end of the enclosing group; after ':' only inside this one.
                return scalar == ")" ? .flagsOnly : .group
            default:
                throw RegexSyntaxError(
                    "invalid or unsupported group syntax '(?\(scalar)': RE2 knows the flags i, m, s and U, "
                        + "named groups (?P<name>…) and non-capturing groups (?:…)", at: start)
            }
            sawFlag = true
        }
        throw RegexSyntaxError("missing closing ')' for the group opened here", at: start)
    }
}
