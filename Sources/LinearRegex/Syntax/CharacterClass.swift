/// A set of scalars: `[a-z]`, `\d`, `[[:alpha:]]`, `\p{Lu}` and their negations.
struct CharacterClass: Sendable, Equatable {
    enum Item: Sendable, Equatable {
        case ranges([ClosedRange<UInt32>])
        /// Every scalar outside the ranges, as `\D` or `[:^digit:]` inside a class.
        case outside([ClosedRange<UInt32>])
        case categories([Unicode.GeneralCategory], negated: Bool)
    }

    private(set) var items: [Item]
    private(set) var negated: Bool
    private(set) var foldCase: Bool
    /// Membership of the 128 ASCII scalars, precomputed because nearly all input is ASCII.
    private var asciiLow: UInt64 = 0
    private var asciiHigh: UInt64 = 0

    init(_ items: [Item], negated: Bool = false, foldCase: Bool = false) {
        self.items = items
        self.negated = negated
        self.foldCase = foldCase
        for value in UInt32(0)..<128 where slowContains(Unicode.Scalar(value)!) {
            if value < 64 { asciiLow |= 1 << UInt64(value) } else { asciiHigh |= 1 << UInt64(value - 64) }
        }
    }

    func contains(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 64 { return asciiLow & (1 << UInt64(value)) != 0 }
        if value < 128 { return asciiHigh & (1 << UInt64(value - 64)) != 0 }
        return slowContains(scalar)
    }

    private func slowContains(_ scalar: Unicode.Scalar) -> Bool {
        var found = itemsContain(scalar)
        if !found, foldCase {
            found = CaseFolding.variants(of: scalar).contains { itemsContain($0) }
        }
        return found != negated
    }

    private func itemsContain(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        for item in items {
            switch item {
            case .ranges(let ranges): if ranges.contains(where: { $0.contains(value) }) { return true }
            case .outside(let ranges): if !ranges.contains(where: { $0.contains(value) }) { return true }
            case .categories(let categories, let negated):
                if categories.contains(scalar.properties.generalCategory) != negated { return true }
            }
        }
        return false
    }
}

extension CharacterClass {
    static let digitRanges: [ClosedRange<UInt32>] = [0x30...0x39]
    static let spaceRanges: [ClosedRange<UInt32>] = [0x09...0x0A, 0x0C...0x0D, 0x20...0x20]
    static let wordRanges: [ClosedRange<UInt32>] = [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A]

    /// The ranges of a Perl class letter (`d`, `s`, `w`), as RE2 defines them: ASCII only.
    static func perlRanges(_ letter: Unicode.Scalar) -> [ClosedRange<UInt32>]? {
        switch letter {
        case "d", "D": return digitRanges
        case "s", "S": return spaceRanges
        case "w", "W": return wordRanges
        default: return nil
        }
    }

    /// The ASCII ranges of a POSIX class name inside brackets, such as `alpha` in `[[:alpha:]]`.
    static func posixRanges(_ name: String) -> [ClosedRange<UInt32>]? {
        switch name {
        case "alnum": return [0x30...0x39, 0x41...0x5A, 0x61...0x7A]
        case "alpha": return [0x41...0x5A, 0x61...0x7A]
        case "ascii": return [0x00...0x7F]
        case "blank": return [0x09...0x09, 0x20...0x20]
        case "cntrl": return [0x00...0x1F, 0x7F...0x7F]
        case "digit": return digitRanges
        case "graph": return [0x21...0x7E]
        case "lower": return [0x61...0x7A]
        case "print": return [0x20...0x7E]
        case "punct": return [0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E]
        case "space": return [0x09...0x0D, 0x20...0x20]
        case "upper": return [0x41...0x5A]
        case "word": return wordRanges
        case "xdigit": return [0x30...0x39, 0x41...0x46, 0x61...0x66]
        default: return nil
        }
    }

    /// The general categories a Unicode class name stands for (`L`, `Lu`, `Nd`, …), or nil.
    static func unicodeCategories(_ name: String) -> [Unicode.GeneralCategory]? {
        if name == "Any" { return allCategories }
        if let exact = categoryNames[name] { return [exact] }
        guard name.count == 1 else { return nil }
        let matching = categoryNames.filter { $0.key.count == 2 && $0.key.hasPrefix(name) }.map(\.value)
        return matching.isEmpty ? nil : matching
    }

    private static let categoryNames: [String: Unicode.GeneralCategory] = [
        "Lu": .uppercaseLetter, "Ll": .lowercaseLetter, "Lt": .titlecaseLetter, "Lm": .modifierLetter, "Lo": .otherLetter,
        "Mn": .nonspacingMark, "Mc": .spacingMark, "Me": .enclosingMark, "Nd": .decimalNumber, "Nl": .letterNumber,
        "No": .otherNumber, "Pc": .connectorPunctuation, "Pd": .dashPunctuation, "Ps": .openPunctuation,
        "Pe": .closePunctuation, "Pi": .initialPunctuation, "Pf": .finalPunctuation, "Po": .otherPunctuation,
        "Sm": .mathSymbol, "Sc": .currencySymbol, "Sk": .modifierSymbol, "So": .otherSymbol, "Zs": .spaceSeparator,
        "Zl": .lineSeparator, "Zp": .paragraphSeparator, "Cc": .control, "Cf": .format, "Cs": .surrogate,
        "Co": .privateUse, "Cn": .unassigned,
    ]

    private static let allCategories = Array(categoryNames.values)
}
