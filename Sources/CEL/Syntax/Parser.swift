/// Parses CEL source into an `Expr` tree, expanding the standard macros.
public struct Parser {
    private var tokens: [Token]
    private var index = 0
    private var depth = 0
    private static let maxDepth = 250

    /// Parses a complete expression; trailing tokens are an error.
    public static func parse(_ source: String) throws(SyntaxError) -> Expr {
        var lexer = Lexer(source)
        var parser = Parser(tokens: try lexer.tokenize())
        let expr = try parser.expression()
        guard parser.current.kind == .endOfInput else {
            throw SyntaxError("unexpected \(parser.current.kind) after the end of the expression", at: parser.current.position)
        }
        return expr
    }

    private init(tokens: [Token]) {
        self.tokens = tokens
    }

    private var current: Token { tokens[index] }

    private mutating func advance() -> Token {
        let token = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    private mutating func accept(_ kind: Token.Kind) -> Bool {
        guard current.kind == kind else { return false }
        _ = advance()
        return true
    }

    private mutating func expect(_ kind: Token.Kind, _ context: String) throws(SyntaxError) {
        guard accept(kind) else {
            throw SyntaxError("expected \(kind) \(context), found \(current.kind)", at: current.position)
        }
    }

    private mutating func expression() throws(SyntaxError) -> Expr {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxDepth else {
            throw SyntaxError("expression nests more than \(Self.maxDepth) levels deep", at: current.position)
        }
        let condition = try conditionalOr()
        guard current.kind == .question else { return condition }
        let position = advance().position
        let whenTrue = try conditionalOr()
        try expect(.colon, "in conditional expression")
        let whenFalse = try expression()
        return .call(function: Operator.conditional, target: nil, arguments: [condition, whenTrue, whenFalse], position)
    }

    private mutating func conditionalOr() throws(SyntaxError) -> Expr {
        var lhs = try conditionalAnd()
        while current.kind == .or {
            let position = advance().position
            let rhs = try conditionalAnd()
            lhs = .call(function: Operator.or, target: nil, arguments: [lhs, rhs], position)
        }
        return lhs
    }

    private mutating func conditionalAnd() throws(SyntaxError) -> Expr {
        var lhs = try relation()
        while current.kind == .and {
            let position = advance().position
            let rhs = try relation()
            lhs = .call(function: Operator.and, target: nil, arguments: [lhs, rhs], position)
        }
        return lhs
    }

    private mutating func relation() throws(SyntaxError) -> Expr {
        var lhs = try addition()
        while true {
            let function: String
            switch current.kind {
            case .less: function = Operator.less
            case .lessEqual: function = Operator.lessOrEqual
            case .greater: function = Operator.greater
            case .greaterEqual: function = Operator.greaterOrEqual
            case .equal: function = Operator.equals
            case .notEqual: function = Operator.notEquals
            case .in: function = Operator.in
            default: return lhs
            }
            let position = advance().position
            let rhs = try addition()
            lhs = .call(function: function, target: nil, arguments: [lhs, rhs], position)
        }
    }

    private mutating func addition() throws(SyntaxError) -> Expr {
        var lhs = try multiplication()
        while current.kind == .plus || current.kind == .minus {
            let token = advance()
            let rhs = try multiplication()
            let function = token.kind == .plus ? Operator.add : Operator.subtract
            lhs = .call(function: function, target: nil, arguments: [lhs, rhs], token.position)
        }
        return lhs
    }

    private mutating func multiplication() throws(SyntaxError) -> Expr {
        var lhs = try unary()
        while true {
            let function: String
            switch current.kind {
            case .star: function = Operator.multiply
            case .slash: function = Operator.divide
            case .percent: function = Operator.modulo
            default: return lhs
            }
            let position = advance().position
            let rhs = try unary()
            lhs = .call(function: function, target: nil, arguments: [lhs, rhs], position)
        }
    }

    private mutating func unary() throws(SyntaxError) -> Expr {
        switch current.kind {
        case .not:
            let position = advance().position
            return .call(function: Operator.not, target: nil, arguments: [try unary()], position)
        case .minus:
            let position = advance().position
            // Fold negative literals so that -9223372036854775808 is representable.
            if case .intOverflow(let digits) = current.kind, digits == "9223372036854775808" {
                _ = advance()
                return try member(.literal(.int(Int64.min), position))
            }
            if case .int(let value) = current.kind, tokens[index + 1].kind != .dot, tokens[index + 1].kind != .leftBracket {
                _ = advance()
                return .literal(.int(-value), position)
            }
            if case .double(let value) = current.kind, tokens[index + 1].kind != .dot, tokens[index + 1].kind != .leftBracket {
                _ = advance()
                return .literal(.double(-value), position)
            }
            return .call(function: Operator.negate, target: nil, arguments: [try unary()], position)
        default:
            return try member(try primary())
        }
    }

    private mutating func member(_ start: Expr) throws(SyntaxError) -> Expr {
        var expr = start
        while true {
            switch current.kind {
            case .dot:
                _ = advance()
                let nameToken = advance()
                guard case .identifier(let name) = nameToken.kind else {
                    throw SyntaxError("expected a field or method name after '.', found \(nameToken.kind)", at: nameToken.position)
                }
                if current.kind == .leftParen {
                    _ = advance()
                    let arguments = try expressionList(closing: .rightParen)
                    expr = try receiverCall(name, target: expr, arguments: arguments, at: nameToken.position)
                } else {
                    expr = .select(expr, field: name, testOnly: false, nameToken.position)
                }
            case .leftBracket:
                let position = advance().position
                let subscriptExpr = try expression()
                try expect(.rightBracket, "to close the index")
                expr = .call(function: Operator.index, target: nil, arguments: [expr, subscriptExpr], position)
            default:
                return expr
            }
        }
    }

    private mutating func primary() throws(SyntaxError) -> Expr {
        let token = advance()
        let position = token.position
        switch token.kind {
        case .int(let value): return .literal(.int(value), position)
        case .intOverflow(let digits):
            throw SyntaxError("integer literal '\(digits)' does not fit in a signed 64-bit integer", at: position)
        case .uint(let value): return .literal(.uint(value), position)
        case .double(let value): return .literal(.double(value), position)
        case .string(let value): return .literal(.string(value), position)
        case .bytes(let value): return .literal(.bytes(value), position)
        case .true: return .literal(.bool(true), position)
        case .false: return .literal(.bool(false), position)
        case .null: return .literal(.null, position)
        case .leftParen:
            let inner = try expression()
            try expect(.rightParen, "to close '('")
            return inner
        case .leftBracket:
            return .list(try expressionList(closing: .rightBracket), position)
        case .leftBrace:
            return .map(try mapEntries(), position)
        case .dot:
            let nameToken = advance()
            guard case .identifier(let name) = nameToken.kind else {
                throw SyntaxError("expected an identifier after leading '.'", at: nameToken.position)
            }
            return .identifier(name, position)
        case .identifier(let name):
            if current.kind == .leftParen {
                _ = advance()
                let arguments = try expressionList(closing: .rightParen)
                return try globalCall(name, arguments: arguments, at: position)
            }
            return .identifier(name, position)
        default:
            throw SyntaxError("unexpected \(token.kind)", at: position)
        }
    }

    private mutating func expressionList(closing: Token.Kind) throws(SyntaxError) -> [Expr] {
        var items: [Expr] = []
        if accept(closing) { return items }
        while true {
            items.append(try expression())
            if accept(closing) { return items }
            try expect(.comma, "between items")
            if accept(closing) { return items }
        }
    }

    private mutating func mapEntries() throws(SyntaxError) -> [(key: Expr, value: Expr)] {
        var entries: [(key: Expr, value: Expr)] = []
        if accept(.rightBrace) { return entries }
        while true {
            let key = try expression()
            try expect(.colon, "between map key and value")
            let value = try expression()
            entries.append((key, value))
            if accept(.rightBrace) { return entries }
            try expect(.comma, "between map entries")
            if accept(.rightBrace) { return entries }
        }
    }

    private func globalCall(_ name: String, arguments: [Expr], at position: SourcePosition) throws(SyntaxError) -> Expr {
        if name == "has" {
            guard arguments.count == 1, case .select(let operand, let field, _, let selectPosition) = arguments[0] else {
                throw SyntaxError("has() needs a single field selection, such as has(change.provenance)", at: position)
            }
            return .select(operand, field: field, testOnly: true, selectPosition)
        }
        return .call(function: name, target: nil, arguments: arguments, position)
    }

    private func receiverCall(_ name: String, target: Expr, arguments: [Expr], at position: SourcePosition) throws(SyntaxError) -> Expr {
        guard let kind = Comprehension.Kind(rawValue: name) else {
            return .call(function: name, target: target, arguments: arguments, position)
        }
        let expected = kind == .map ? [2, 3] : [2]
        guard expected.contains(arguments.count) else {
            throw SyntaxError("\(name)() takes \(kind == .map ? "2 or 3" : "2") arguments: a variable name and an expression", at: position)
        }
        guard case .identifier(let variable, _) = arguments[0] else {
            throw SyntaxError("the first argument of \(name)() must be a simple variable name", at: arguments[0].position)
        }
        let comprehension: Comprehension
        switch kind {
        case .map:
            comprehension = Comprehension(
                kind: kind, range: target, variable: variable,
                predicate: arguments.count == 3 ? arguments[1] : nil, transform: arguments.last)
        default:
            comprehension = Comprehension(kind: kind, range: target, variable: variable, predicate: arguments[1], transform: nil)
        }
        return .comprehension(comprehension, position)
    }
}
