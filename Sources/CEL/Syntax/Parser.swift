/// Parses CEL source into an `Expr` tree, expanding the standard macros.
///
/// Every kind of nesting is bounded — parentheses, operator chains, prefix operators, member and index
/// chains, calls — because the checker and the evaluator recurse over the tree: the tree's height is at
/// most `maxHeight`, and the source at most `maxLength` scalars, as cel-go bounds them. Chains of `&&` and
/// `||` are built balanced (they are commutative in CEL), so a long list of alternatives stays shallow.
public struct Parser {
    private var tokens: [Token]
    private var index = 0
    private var depth = 0

    /// The deepest tree accepted: the longest path from the root to a leaf.
    public static let maxHeight = 250
    /// The longest source accepted, in Unicode scalars.
    public static let maxLength = 100_000

    /// A subtree with its height, so that every construction can check the bound without walking the tree.
    private struct Node {
        var expr: Expr
        var height: Int
    }

    /// Parses a complete expression; trailing tokens are an error.
    public static func parse(_ source: String) throws(SyntaxError) -> Expr {
        let length = source.unicodeScalars.count
        guard length <= maxLength else {
            throw SyntaxError(
                "expression is \(length) characters long, more than the \(maxLength) allowed; split it into several rules",
                at: .start)
        }
        var lexer = Lexer(source)
        var parser = Parser(tokens: try lexer.tokenize())
        let node = try parser.expression()
        guard parser.current.kind == .endOfInput else {
            throw SyntaxError("unexpected \(parser.current.kind) after the end of the expression", at: parser.current.position)
        }
        return node.expr
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

    /// Counts one level of recursion of the parser itself, which nests before any tree is built.
    private mutating func enter() throws(SyntaxError) {
        depth += 1
        guard depth <= Self.maxHeight else { throw tooDeep(at: current.position) }
    }

    private func tooDeep(at position: SourcePosition) -> SyntaxError {
        SyntaxError(
            "expression nests more than \(Self.maxHeight) levels deep (parentheses, operators, calls or member accesses); "
                + "split it into several rules or name its parts", at: position)
    }

    /// A call node one level above its deepest child, refused when that is too deep.
    private func call(_ function: String, target: Node? = nil, _ arguments: [Node], at position: SourcePosition) throws(SyntaxError)
        -> Node
    {
        let height = 1 + max(target?.height ?? 0, arguments.map(\.height).max() ?? 0)
        guard height <= Self.maxHeight else { throw tooDeep(at: position) }
        return Node(expr: .call(function: function, target: target?.expr, arguments: arguments.map(\.expr), position), height: height)
    }

    private func leaf(_ expr: Expr) -> Node { Node(expr: expr, height: 1) }

    private mutating func expression() throws(SyntaxError) -> Node {
        try enter()
        defer { depth -= 1 }
        let condition = try conditionalOr()
        guard current.kind == .question else { return condition }
        let position = advance().position
        let whenTrue = try conditionalOr()
        try expect(.colon, "in conditional expression")
        let whenFalse = try expression()
        return try call(Operator.conditional, [condition, whenTrue, whenFalse], at: position)
    }

    private mutating func conditionalOr() throws(SyntaxError) -> Node {
        var operands = [try conditionalAnd()]
        var positions: [SourcePosition] = []
        while current.kind == .or {
            positions.append(advance().position)
            operands.append(try conditionalAnd())
        }
        return try balanced(Operator.or, operands, positions)
    }

    private mutating func conditionalAnd() throws(SyntaxError) -> Node {
        var operands = [try relation()]
        var positions: [SourcePosition] = []
        while current.kind == .and {
            positions.append(advance().position)
            operands.append(try relation())
        }
        return try balanced(Operator.and, operands, positions)
    }

    /// `a op b op c …` as a balanced tree; `positions[i]` is the operator between operands i and i+1.
    private func balanced(_ function: String, _ operands: [Node], _ positions: [SourcePosition]) throws(SyntaxError) -> Node {
        if operands.count == 1 { return operands[0] }
        let middle = operands.count / 2
        let left = try balanced(function, Array(operands[..<middle]), Array(positions[..<(middle - 1)]))
        let right = try balanced(function, Array(operands[middle...]), Array(positions[middle...]))
        return try call(function, [left, right], at: positions[middle - 1])
    }

    private mutating func relation() throws(SyntaxError) -> Node {
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
            lhs = try call(function, [lhs, rhs], at: position)
        }
    }

    private mutating func addition() throws(SyntaxError) -> Node {
        var lhs = try multiplication()
        while current.kind == .plus || current.kind == .minus {
            let token = advance()
            let rhs = try multiplication()
            let function = token.kind == .plus ? Operator.add : Operator.subtract
            lhs = try call(function, [lhs, rhs], at: token.position)
        }
        return lhs
    }

    private mutating func multiplication() throws(SyntaxError) -> Node {
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
            lhs = try call(function, [lhs, rhs], at: position)
        }
    }

    private mutating func unary() throws(SyntaxError) -> Node {
        switch current.kind {
        case .not:
            try enter()
            defer { depth -= 1 }
            let position = advance().position
            return try call(Operator.not, [try unary()], at: position)
        case .minus:
            try enter()
            defer { depth -= 1 }
            let position = advance().position
            // Fold negative literals so that -9223372036854775808 is representable.
            if case .intOverflow(let digits) = current.kind, digits == "9223372036854775808" {
                _ = advance()
                return try member(leaf(.literal(.int(Int64.min), position)))
            }
            if case .int(let value) = current.kind, tokens[index + 1].kind != .dot, tokens[index + 1].kind != .leftBracket {
                _ = advance()
                return leaf(.literal(.int(-value), position))
            }
            if case .double(let value) = current.kind, tokens[index + 1].kind != .dot, tokens[index + 1].kind != .leftBracket {
                _ = advance()
                return leaf(.literal(.double(-value), position))
            }
            return try call(Operator.negate, [try unary()], at: position)
        default:
            return try member(try primary())
        }
    }

    private mutating func member(_ start: Node) throws(SyntaxError) -> Node {
        var node = start
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
                    let arguments = try expressionList(closing: .rightParen, opener: "'\(name)('")
                    node = try receiverCall(name, target: node, arguments: arguments, at: nameToken.position)
                } else {
                    guard node.height < Self.maxHeight else { throw tooDeep(at: nameToken.position) }
                    node = Node(expr: .select(node.expr, field: name, testOnly: false, nameToken.position), height: node.height + 1)
                }
            case .leftBracket:
                let position = advance().position
                let subscriptNode = try expression()
                try expect(.rightBracket, "to close the index")
                node = try call(Operator.index, [node, subscriptNode], at: position)
            default:
                return node
            }
        }
    }

    private mutating func primary() throws(SyntaxError) -> Node {
        let token = advance()
        let position = token.position
        switch token.kind {
        case .int(let value): return leaf(.literal(.int(value), position))
        case .intOverflow(let digits):
            throw SyntaxError("integer literal '\(digits)' does not fit in a signed 64-bit integer", at: position)
        case .uint(let value): return leaf(.literal(.uint(value), position))
        case .double(let value): return leaf(.literal(.double(value), position))
        case .string(let value): return leaf(.literal(.string(value), position))
        case .bytes(let value): return leaf(.literal(.bytes(value), position))
        case .true: return leaf(.literal(.bool(true), position))
        case .false: return leaf(.literal(.bool(false), position))
        case .null: return leaf(.literal(.null, position))
        case .leftParen:
            let inner = try expression()
            try expect(.rightParen, "to close '('")
            return inner
        case .leftBracket:
            let items = try expressionList(closing: .rightBracket, opener: "the list's '['")
            return try container(.list(items.map(\.expr), position), items, at: position)
        case .leftBrace:
            let entries = try mapEntries()
            let children = entries.flatMap { [$0.key, $0.value] }
            return try container(.map(entries.map { ($0.key.expr, $0.value.expr) }, position), children, at: position)
        case .dot:
            let nameToken = advance()
            guard case .identifier(let name) = nameToken.kind else {
                throw SyntaxError("expected an identifier after leading '.'", at: nameToken.position)
            }
            return leaf(.identifier(name, position))
        case .identifier(let name):
            if current.kind == .leftParen {
                _ = advance()
                let arguments = try expressionList(closing: .rightParen, opener: "'\(name)('")
                return try globalCall(name, arguments: arguments, at: position)
            }
            return leaf(.identifier(name, position))
        default:
            throw SyntaxError("unexpected \(token.kind)", at: position)
        }
    }

    /// A list or map literal one level above its deepest item.
    private func container(_ expr: Expr, _ children: [Node], at position: SourcePosition) throws(SyntaxError) -> Node {
        let height = 1 + (children.map(\.height).max() ?? 0)
        guard height <= Self.maxHeight else { throw tooDeep(at: position) }
        return Node(expr: expr, height: height)
    }

    /// Items up to `closing`; `opener` names what it closes (`'size('`), for the message when it is missing.
    private mutating func expressionList(closing: Token.Kind, opener: String) throws(SyntaxError) -> [Node] {
        var items: [Node] = []
        if accept(closing) { return items }
        while true {
            items.append(try expression())
            if accept(closing) { return items }
            if current.kind == .endOfInput {
                throw SyntaxError("missing \(closing) to close \(opener)", at: current.position)
            }
            guard accept(.comma) else {
                throw SyntaxError("expected ',' or \(closing) after an item of \(opener), found \(current.kind)", at: current.position)
            }
            if accept(closing) { return items }
        }
    }

    private mutating func mapEntries() throws(SyntaxError) -> [(key: Node, value: Node)] {
        var entries: [(key: Node, value: Node)] = []
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

    private func globalCall(_ name: String, arguments: [Node], at position: SourcePosition) throws(SyntaxError) -> Node {
        if name == "has" {
            guard arguments.count == 1, case .select(let operand, let field, _, let selectPosition) = arguments[0].expr else {
                throw SyntaxError("has() needs a single field selection, such as has(change.provenance)", at: position)
            }
            return Node(expr: .select(operand, field: field, testOnly: true, selectPosition), height: arguments[0].height)
        }
        return try call(name, arguments, at: position)
    }

    private func receiverCall(_ name: String, target targetNode: Node, arguments argumentNodes: [Node], at position: SourcePosition)
        throws(SyntaxError) -> Node
    {
        guard let kind = Comprehension.Kind(rawValue: name) else {
            return try call(name, target: targetNode, argumentNodes, at: position)
        }
        // A comprehension is one node above its range and its bodies.
        let height = try call(name, target: targetNode, argumentNodes, at: position).height
        let target = targetNode.expr
        let arguments = argumentNodes.map(\.expr)
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
        return Node(expr: .comprehension(comprehension, position), height: height)
    }
}
