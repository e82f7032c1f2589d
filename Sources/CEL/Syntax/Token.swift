/// A lexical token of CEL source.
public struct Token: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case identifier(String)
        case int(Int64)
        /// An integer literal too large for `Int64`; valid only as the operand of unary minus.
        case intOverflow(String)
        case uint(UInt64)
        case double(Double)
        case string(String)
        case bytes([UInt8])
        case `true`, `false`, null
        case `in`
        case leftParen, rightParen, leftBracket, rightBracket, leftBrace, rightBrace
        case dot, comma, colon, question
        case plus, minus, star, slash, percent
        case not, and, or
        case equal, notEqual, less, lessEqual, greater, greaterEqual
        case endOfInput
    }

    public var kind: Kind
    public var position: SourcePosition
}

extension Token.Kind: CustomStringConvertible {
    public var description: String {
        switch self {
        case .identifier(let name): return "identifier '\(name)'"
        case .int(let value): return "'\(value)'"
        case .intOverflow(let text): return "'\(text)'"
        case .uint(let value): return "'\(value)u'"
        case .double(let value): return "'\(value)'"
        case .string: return "string literal"
        case .bytes: return "bytes literal"
        case .true: return "'true'"
        case .false: return "'false'"
        case .null: return "'null'"
        case .in: return "'in'"
        case .leftParen: return "'('"
        case .rightParen: return "')'"
        case .leftBracket: return "'['"
        case .rightBracket: return "']'"
        case .leftBrace: return "'{'"
        case .rightBrace: return "'}'"
        case .dot: return "'.'"
        case .comma: return "','"
        case .colon: return "':'"
        case .question: return "'?'"
        case .plus: return "'+'"
        case .minus: return "'-'"
        case .star: return "'*'"
        case .slash: return "'/'"
        case .percent: return "'%'"
        case .not: return "'!'"
        case .and: return "'&&'"
        case .or: return "'||'"
        case .equal: return "'=='"
        case .notEqual: return "'!='"
        case .less: return "'<'"
        case .lessEqual: return "'<='"
        case .greater: return "'>'"
        case .greaterEqual: return "'>='"
        case .endOfInput: return "end of input"
        }
    }
}
