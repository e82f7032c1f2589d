/// Generates well-typed CEL expressions over the subset that Blastwall and cel-python both implement
/// with the same semantics (same-type arithmetic and comparison, strings, lists, maps, macros, logic).
struct ExpressionGenerator {
    /// SplitMix64: small, fast, and the same sequence on every platform for a given seed.
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func int(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    mutating func pick<T>(_ items: [T]) -> T { items[int(items.count)] }

    enum Kind: CaseIterable {
        case int, uint, double, bool, string, intList
    }

    mutating func expression(_ kind: Kind, depth: Int, variable: String? = nil) -> String {
        let leaf = depth <= 0 || int(3) == 0
        switch kind {
        case .int:
            if leaf {
                if let variable, int(2) == 0 { return variable }
                return pick(["0", "1", "2", "-3", "7", "42", "-100", "9223372036854775807", "-9223372036854775808", "4611686018427387904"])
            }
            switch int(9) {
            case 0:
                return
                    "(\(expression(.int, depth: depth - 1, variable: variable)) + \(expression(.int, depth: depth - 1, variable: variable)))"
            case 1:
                return
                    "(\(expression(.int, depth: depth - 1, variable: variable)) - \(expression(.int, depth: depth - 1, variable: variable)))"
            case 2:
                return
                    "(\(expression(.int, depth: depth - 1, variable: variable)) * \(expression(.int, depth: depth - 1, variable: variable)))"
            case 3:
                return
                    "(\(expression(.int, depth: depth - 1, variable: variable)) / \(expression(.int, depth: depth - 1, variable: variable)))"
            case 4:
                return
                    "(\(expression(.int, depth: depth - 1, variable: variable)) % \(expression(.int, depth: depth - 1, variable: variable)))"
            case 5: return "size(\(expression(pick([.string, .intList]), depth: depth - 1)))"
            case 6:
                return
                    "(\(expression(.bool, depth: depth - 1, variable: variable)) ? \(expression(.int, depth: depth - 1, variable: variable)) : \(expression(.int, depth: depth - 1, variable: variable)))"
            case 7: return "\(expression(.intList, depth: depth - 1))[\(pick(["0", "1", "2"]))]"
            // Map values stay literals: cel-python keeps error values inside maps instead of failing the literal.
            default: return "{'a': \(pick(["1", "-7", "42"])), 'b': 5}.\(pick(["a", "b", "c"]))"
            }
        case .uint:
            if leaf { return pick(["0u", "1u", "3u", "10u", "18446744073709551615u"]) }
            let op = pick(["+", "-", "*", "/", "%"])
            return "(\(expression(.uint, depth: depth - 1)) \(op) \(expression(.uint, depth: depth - 1)))"
        case .double:
            if leaf { return pick(["0.5", "1.0", "-2.25", "3.75", "100.0"]) }
            switch int(4) {
            case 0: return "(\(expression(.double, depth: depth - 1)) \(pick(["+", "-", "*"])) \(expression(.double, depth: depth - 1)))"
            case 1: return "-\(expression(.double, depth: depth - 1))"
            case 2:
                return
                    "(\(expression(.bool, depth: depth - 1)) ? \(expression(.double, depth: depth - 1)) : \(expression(.double, depth: depth - 1)))"
            default: return "double(\(pick(["1", "-7", "42"])))"
            }
        case .string:
            if leaf { return pick(["''", "'a'", "'abc'", "'héllo'", "'foo'", "'bar'"]) }
            switch int(3) {
            case 0: return "(\(expression(.string, depth: depth - 1)) + \(expression(.string, depth: depth - 1)))"
            case 1:
                return
                    "(\(expression(.bool, depth: depth - 1)) ? \(expression(.string, depth: depth - 1)) : \(expression(.string, depth: depth - 1)))"
            default: return "string(\(pick(["0", "12", "-5"])))"
            }
        case .intList:
            if leaf { return pick(["[]", "[1, 2, 3]", "[0]", "[5, -5]", "[2, 4, 6, 8]"]) }
            switch int(4) {
            case 0: return "(\(expression(.intList, depth: depth - 1)) + \(expression(.intList, depth: depth - 1)))"
            case 1: return "\(expression(.intList, depth: depth - 1)).filter(x, \(expression(.bool, depth: depth - 1, variable: "x")))"
            case 2: return "\(expression(.intList, depth: depth - 1)).map(x, \(expression(.int, depth: depth - 1, variable: "x")))"
            default:
                return
                    "[\(expression(.int, depth: depth - 1, variable: variable)), \(expression(.int, depth: depth - 1, variable: variable))]"
            }
        case .bool:
            if leaf {
                if let variable, int(2) == 0 { return "(\(variable) > \(pick(["0", "2", "-1"])))" }
                return pick(["true", "false"])
            }
            switch int(12) {
            // The operand is parenthesised whole: cel-python applies `!` before a member call in `!(x).f()`.
            case 0: return "!(\(expression(.bool, depth: depth - 1, variable: variable)))"
            case 1:
                return
                    "(\(expression(.bool, depth: depth - 1, variable: variable)) && \(expression(.bool, depth: depth - 1, variable: variable)))"
            case 2:
                return
                    "(\(expression(.bool, depth: depth - 1, variable: variable)) || \(expression(.bool, depth: depth - 1, variable: variable)))"
            case 3:
                let kind = pick([Kind.int, .uint, .double, .string])
                let op = pick(["==", "!=", "<", "<=", ">", ">="])
                return
                    "(\(expression(kind, depth: depth - 1, variable: kind == .int ? variable : nil)) \(op) \(expression(kind, depth: depth - 1, variable: kind == .int ? variable : nil)))"
            case 4: return "(\(expression(.int, depth: depth - 1, variable: variable)) in \(expression(.intList, depth: depth - 1)))"
            // Receivers are literals: cel-python's `+` on strings returns a value without CEL's string methods.
            case 5:
                return
                    "\(expression(.string, depth: 0)).\(pick(["contains", "startsWith", "endsWith"]))(\(expression(.string, depth: depth - 1)))"
            case 6: return "\(expression(.string, depth: 0)).matches('\(pick(["^a", "b+", "o$", "h.l", "^$"]))')"
            case 7:
                return
                    "\(expression(.intList, depth: depth - 1)).\(pick(["exists", "all", "exists_one"]))(x, \(expression(.bool, depth: depth - 1, variable: "x")))"
            case 8: return "(\(expression(.intList, depth: depth - 1)) == \(expression(.intList, depth: depth - 1)))"
            case 9: return "('\(pick(["a", "b", "z"]))' in {'a': 1, 'b': 2})"
            case 10:
                return
                    "(\(expression(.bool, depth: depth - 1, variable: variable)) ? \(expression(.bool, depth: depth - 1, variable: variable)) : \(expression(.bool, depth: depth - 1, variable: variable)))"
            default:
                return
                    "(\(expression(.bool, depth: depth - 1, variable: variable)) == \(expression(.bool, depth: depth - 1, variable: variable)))"
            }
        }
    }
}
