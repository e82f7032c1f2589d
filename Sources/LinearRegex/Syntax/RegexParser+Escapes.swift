/// Backslash escapes and bracketed classes.
extension RegexParser {
    /// An escape outside brackets; `start` is the backslash's offset, already consumed.
    mutating func escape(at start: Int) throws(RegexSyntaxError) -> RegexNode {
        guard let letter = current else {
            throw RegexSyntaxError("trailing backslash at the end of the expression; write \\\\ for a backslash", at: start)
        }
        switch letter {
        case "A":
            position += 1
            return .assertion(.beginningOfText)
        case "z":
            position += 1
            return .assertion(.endOfText)
        case "b":
            position += 1
            return .assertion(.wordBoundary)
        case "B":
            position += 1
            return .assertion(.notWordBoundary)
        case "C":
            position += 1
            return .anyScalar(includingNewline: true)
        default:
            if let item = try classEscape(at: start) { return .characterClass(CharacterClass([item], foldCase: flags.foldCase)) }
            return literal(try escapedScalar(at: start))
        }
    }

    /// `\Q…\E`: the text up to `\E` (or the end) as literals; the backslash is consumed, `Q` is current.
    mutating func quotedLiterals() -> [RegexNode] {
        position += 1
        var literals: [RegexNode] = []
        while let scalar = current, !(scalar == "\\" && peek(1) == "E") {
            position += 1
            literals.append(literal(scalar))
        }
        if current != nil { position += 2 }
        return literals
    }

    /// `\d \s \w \D \S \W \pL \p{Lu} \PL \p{^Lu}` at the current position (after the backslash), or nil.
    mutating func classEscape(at start: Int) throws(RegexSyntaxError) -> CharacterClass.Item? {
        guard let letter = current else { return nil }
        if let ranges = CharacterClass.perlRanges(letter) {
            position += 1
            return letter.properties.isUppercase ? .outside(ranges) : .ranges(ranges)
        }
        guard letter == "p" || letter == "P" else { return nil }
        position += 1
        var negated = letter == "P"
        var name = ""
        if current == "{" {
            position += 1
            if current == "^" {
                negated.toggle()
                position += 1
            }
            while let scalar = current, scalar != "}" {
                name.unicodeScalars.append(scalar)
                position += 1
            }
            guard current == "}" else { throw RegexSyntaxError("missing '}' after \\p{", at: start) }
            position += 1
        } else if let scalar = current {
            name.unicodeScalars.append(scalar)
            position += 1
        }
        guard let categories = CharacterClass.unicodeCategories(name) else {
            throw RegexSyntaxError(
                "unknown Unicode class '\(name)': use a general category such as L, Lu, N or Nd "
                    + "(Unicode scripts such as Greek are not supported)", at: start)
        }
        return .categories(categories, negated: negated)
    }

    /// The scalar an escape such as `\n`, `\x41`, `\x{1F600}`, `\101` or `\.` stands for.
    mutating func escapedScalar(at start: Int) throws(RegexSyntaxError) -> Unicode.Scalar {
        let letter = advance()
        switch letter {
        case "a": return "\u{07}"
        case "f": return "\u{0C}"
        case "t": return "\t"
        case "n": return "\n"
        case "r": return "\r"
        case "v": return "\u{0B}"
        case "0"..."7":
            // RE2 reads \1 to \9 alone as backreferences, which it does not support; \0 and \12 are octal.
            guard letter == "0" || current.map({ ("0"..."7").contains($0) }) == true else {
                throw RegexSyntaxError("backreferences such as \\\(letter) are not RE2 syntax", at: start)
            }
            var value = letter.value - 0x30
            for _ in 0..<2 {
                guard let digit = current, ("0"..."7").contains(digit) else { break }
                value = value * 8 + digit.value - 0x30
                position += 1
            }
            return Unicode.Scalar(value)!
        case "x":
            return try hexadecimalScalar(at: start)
        default:
            guard letter.isASCII, !letter.properties.isAlphabetic, !("0"..."9").contains(letter) else {
                throw RegexSyntaxError("invalid escape sequence '\\\(letter)'", at: start)
            }
            return letter
        }
    }

    private mutating func hexadecimalScalar(at start: Int) throws(RegexSyntaxError) -> Unicode.Scalar {
        var digits = ""
        if current == "{" {
            position += 1
            while let scalar = current, scalar != "}", digits.count <= 8 {
                digits.unicodeScalars.append(scalar)
                position += 1
            }
            guard current == "}" else { throw RegexSyntaxError("missing '}' after \\x{", at: start) }
            position += 1
        } else {
            for _ in 0..<2 {
                guard let scalar = current else { break }
                digits.unicodeScalars.append(scalar)
                position += 1
            }
        }
        guard !digits.isEmpty, digits.count <= 8, let value = UInt32(digits, radix: 16), let scalar = Unicode.Scalar(value) else {
            throw RegexSyntaxError("invalid escape sequence '\\x\(digits)': expected hexadecimal digits of a scalar", at: start)
        }
        return scalar
    }

    // MARK: - Bracketed classes

    /// `[…]`; the `[` at `start` is already consumed.
    mutating func bracketClass(openedAt start: Int) throws(RegexSyntaxError) -> CharacterClass {
        var negated = false
        if current == "^" {
            negated = true
            position += 1
        }
        var items: [CharacterClass.Item] = []
        var ranges: [ClosedRange<UInt32>] = []
        var first = true
        while let scalar = current, scalar != "]" || first {
            first = false
            let itemStart = position
            if scalar == "[", peek(1) == ":" {
                if let posix = try posixClass() {
                    items.append(posix)
                    continue
                }
            }
            if scalar == "\\" {
                position += 1
                if let item = try classEscape(at: itemStart) {
                    items.append(item)
                    continue
                }
                position = itemStart
            }
            let low = try classScalar()
            var high = low
            if current == "-", let after = peek(1), after != "]" {
                position += 1
                high = try classScalar()
                guard high.value >= low.value else {
                    throw RegexSyntaxError("bad character class range \(low)-\(high): the end is below the start", at: itemStart)
                }
            }
            ranges.append(low.value...high.value)
        }
        guard current == "]" else {
            throw RegexSyntaxError("missing closing ']' for the class opened here", at: start)
        }
        position += 1
        if !ranges.isEmpty { items.append(.ranges(ranges)) }
        return CharacterClass(items, negated: negated, foldCase: flags.foldCase)
    }

    /// One scalar inside brackets: a literal or an escape.
    private mutating func classScalar() throws(RegexSyntaxError) -> Unicode.Scalar {
        let start = position
        let scalar = advance()
        guard scalar == "\\" else { return scalar }
        guard current != nil else { throw RegexSyntaxError("missing closing ']' for the class", at: start) }
        return try escapedScalar(at: start)
    }

    /// `[:alpha:]` or `[:^alpha:]`; nil (position unchanged) when the text is not of that form.
    private mutating func posixClass() throws(RegexSyntaxError) -> CharacterClass.Item? {
        let start = position
        position += 2
        var negated = false
        if current == "^" {
            negated = true
            position += 1
        }
        var name = ""
        while let scalar = current, scalar != ":", scalar != "]" {
            name.unicodeScalars.append(scalar)
            position += 1
        }
        guard current == ":", peek(1) == "]" else {
            position = start
            return nil
        }
        position += 2
        guard let ranges = CharacterClass.posixRanges(name) else {
            throw RegexSyntaxError("unknown POSIX class '[:\(name):]'", at: start)
        }
        return negated ? .outside(ranges) : .ranges(ranges)
    }
}
