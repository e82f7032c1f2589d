/// Splits CEL source text into tokens, following the lexical grammar of the CEL specification.
public struct Lexer {
    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    private var column = 1

    public init(_ source: String) {
        bytes = Array(source.utf8)
    }

    private static let reservedWords: Set<String> = [
        "as", "break", "const", "continue", "else", "for", "function", "if", "import",
        "let", "loop", "package", "namespace", "return", "var", "void", "while",
    ]

    /// Tokenizes the whole source; the last token is always `.endOfInput`.
    public mutating func tokenize() throws(SyntaxError) -> [Token] {
        var tokens: [Token] = []
        while true {
            let token = try next()
            tokens.append(token)
            if token.kind == .endOfInput { return tokens }
        }
    }

    private var position: SourcePosition { SourcePosition(offset: index, line: line, column: column) }

    private func peek(_ ahead: Int = 0) -> UInt8? {
        index + ahead < bytes.count ? bytes[index + ahead] : nil
    }

    private mutating func advance() -> UInt8 {
        let byte = bytes[index]
        index += 1
        if byte == UInt8(ascii: "\n") {
            line += 1
            column = 1
        } else if byte & 0xC0 != 0x80 {
            column += 1
        }
        return byte
    }

    private mutating func skipWhitespaceAndComments() {
        while let byte = peek() {
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"), 0x0C:
                _ = advance()
            case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "/"):
                while let next = peek(), next != UInt8(ascii: "\n") { _ = advance() }
            default:
                return
            }
        }
    }

    private mutating func next() throws(SyntaxError) -> Token {
        skipWhitespaceAndComments()
        let start = position
        guard let byte = peek() else { return Token(kind: .endOfInput, position: start) }
        func token(_ kind: Token.Kind, length: Int) -> Token {
            for _ in 0..<length { _ = advance() }
            return Token(kind: kind, position: start)
        }
        switch byte {
        case UInt8(ascii: "("): return token(.leftParen, length: 1)
        case UInt8(ascii: ")"): return token(.rightParen, length: 1)
        case UInt8(ascii: "["): return token(.leftBracket, length: 1)
        case UInt8(ascii: "]"): return token(.rightBracket, length: 1)
        case UInt8(ascii: "{"): return token(.leftBrace, length: 1)
        case UInt8(ascii: "}"): return token(.rightBrace, length: 1)
        case UInt8(ascii: ","): return token(.comma, length: 1)
        case UInt8(ascii: ":"): return token(.colon, length: 1)
        case UInt8(ascii: "?"): return token(.question, length: 1)
        case UInt8(ascii: "+"): return token(.plus, length: 1)
        case UInt8(ascii: "-"): return token(.minus, length: 1)
        case UInt8(ascii: "*"): return token(.star, length: 1)
        case UInt8(ascii: "/"): return token(.slash, length: 1)
        case UInt8(ascii: "%"): return token(.percent, length: 1)
        case UInt8(ascii: "!"):
            return peek(1) == UInt8(ascii: "=") ? token(.notEqual, length: 2) : token(.not, length: 1)
        case UInt8(ascii: "="):
            guard peek(1) == UInt8(ascii: "=") else {
                throw SyntaxError("unexpected '='; use '==' to compare", at: start)
            }
            return token(.equal, length: 2)
        case UInt8(ascii: "<"):
            return peek(1) == UInt8(ascii: "=") ? token(.lessEqual, length: 2) : token(.less, length: 1)
        case UInt8(ascii: ">"):
            return peek(1) == UInt8(ascii: "=") ? token(.greaterEqual, length: 2) : token(.greater, length: 1)
        case UInt8(ascii: "&"):
            guard peek(1) == UInt8(ascii: "&") else { throw SyntaxError("unexpected '&'; use '&&'", at: start) }
            return token(.and, length: 2)
        case UInt8(ascii: "|"):
            guard peek(1) == UInt8(ascii: "|") else { throw SyntaxError("unexpected '|'; use '||'", at: start) }
            return token(.or, length: 2)
        case UInt8(ascii: "."):
            if let digit = peek(1), isDigit(digit) { return try number(start: start) }
            return token(.dot, length: 1)
        case UInt8(ascii: "\""), UInt8(ascii: "'"):
            return Token(kind: .string(try stringLiteral(raw: false, start: start)), position: start)
        default:
            if isDigit(byte) { return try number(start: start) }
            if isIdentifierStart(byte) { return try identifierOrPrefixedLiteral(start: start) }
            throw SyntaxError("unexpected character '\(Self.describe(byte))'", at: start)
        }
    }

    private static func describe(_ byte: UInt8) -> String {
        byte >= 0x20 && byte < 0x7F ? String(UnicodeScalar(byte)) : "\\x" + String(byte, radix: 16)
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
    private func isHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "f"))
    }
    private func isIdentifierStart(_ byte: UInt8) -> Bool {
        (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z")) || byte == UInt8(ascii: "_")
    }

    private mutating func identifierOrPrefixedLiteral(start: SourcePosition) throws(SyntaxError) -> Token {
        // String prefixes: r"raw", b"bytes", and both combined in either order.
        var raw = false
        var isBytes = false
        var lookahead = 0
        while lookahead < 2, let byte = peek(lookahead), "rRbB".utf8.contains(byte) {
            if byte | 0x20 == UInt8(ascii: "r") {
                if raw { break }
                raw = true
            } else {
                if isBytes { break }
                isBytes = true
            }
            lookahead += 1
            if let quote = peek(lookahead), quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
                for _ in 0..<lookahead { _ = advance() }
                let text = try stringLiteral(raw: raw, start: start, bytesLiteral: isBytes)
                if isBytes { return Token(kind: .bytes(text.bytesValue), position: start) }
                return Token(kind: .string(text.stringValue), position: start)
            }
        }
        var name = ""
        while let byte = peek(), isIdentifierStart(byte) || isDigit(byte) {
            name.unicodeScalars.append(UnicodeScalar(advance()))
        }
        switch name {
        case "true": return Token(kind: .true, position: start)
        case "false": return Token(kind: .false, position: start)
        case "null": return Token(kind: .null, position: start)
        case "in": return Token(kind: .in, position: start)
        default:
            if Self.reservedWords.contains(name) {
                throw SyntaxError("'\(name)' is a reserved word and cannot be used as an identifier", at: start)
            }
            return Token(kind: .identifier(name), position: start)
        }
    }

    private mutating func number(start: SourcePosition) throws(SyntaxError) -> Token {
        if peek() == UInt8(ascii: "0"), let x = peek(1), x | 0x20 == UInt8(ascii: "x") {
            _ = advance()
            _ = advance()
            var digits = ""
            while let byte = peek(), isHexDigit(byte) { digits.unicodeScalars.append(UnicodeScalar(advance())) }
            guard !digits.isEmpty else { throw SyntaxError("hexadecimal literal needs digits after '0x'", at: start) }
            return try integerToken(digits, radix: 16, start: start)
        }
        var text = ""
        var isDouble = false
        while let byte = peek(), isDigit(byte) { text.unicodeScalars.append(UnicodeScalar(advance())) }
        if peek() == UInt8(ascii: "."), let digit = peek(1), isDigit(digit) {
            isDouble = true
            text.unicodeScalars.append(UnicodeScalar(advance()))
            while let byte = peek(), isDigit(byte) { text.unicodeScalars.append(UnicodeScalar(advance())) }
        }
        if let e = peek(), e | 0x20 == UInt8(ascii: "e") {
            var ahead = 1
            if let sign = peek(1), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { ahead = 2 }
            if let digit = peek(ahead), isDigit(digit) {
                isDouble = true
                for _ in 0..<ahead { text.unicodeScalars.append(UnicodeScalar(advance())) }
                while let byte = peek(), isDigit(byte) { text.unicodeScalars.append(UnicodeScalar(advance())) }
            }
        }
        if text.hasPrefix(".") { text = "0" + text }
        if isDouble {
            guard let value = Double(text) else { throw SyntaxError("invalid number '\(text)'", at: start) }
            return Token(kind: .double(value), position: start)
        }
        return try integerToken(text, radix: 10, start: start)
    }

    private mutating func integerToken(_ digits: String, radix: Int, start: SourcePosition) throws(SyntaxError) -> Token {
        if let u = peek(), u | 0x20 == UInt8(ascii: "u") {
            _ = advance()
            guard let value = UInt64(digits, radix: radix) else {
                throw SyntaxError("unsigned integer literal '\(digits)' does not fit in 64 bits", at: start)
            }
            return Token(kind: .uint(value), position: start)
        }
        if let value = Int64(digits, radix: radix) { return Token(kind: .int(value), position: start) }
        if UInt64(digits, radix: radix) != nil { return Token(kind: .intOverflow(digits), position: start) }
        throw SyntaxError("integer literal '\(digits)' does not fit in 64 bits", at: start)
    }

    /// The decoded contents of a quoted literal: text for strings, raw bytes for bytes literals.
    private struct LiteralText {
        var bytes: [UInt8] = []
        var stringValue: String { String(decoding: bytes, as: UTF8.self) }
        var bytesValue: [UInt8] { bytes }
    }

    private mutating func stringLiteral(raw: Bool, start: SourcePosition) throws(SyntaxError) -> String {
        try stringLiteral(raw: raw, start: start, bytesLiteral: false).stringValue
    }

    private mutating func stringLiteral(raw: Bool, start: SourcePosition, bytesLiteral: Bool) throws(SyntaxError) -> LiteralText {
        let quote = advance()
        let triple = peek() == quote && peek(1) == quote
        if triple {
            _ = advance()
            _ = advance()
        }
        var text = LiteralText()
        while true {
            guard let byte = peek() else { throw SyntaxError("unterminated string literal", at: start) }
            if byte == quote {
                if !triple {
                    _ = advance()
                    return text
                }
                if peek(1) == quote && peek(2) == quote {
                    _ = advance()
                    _ = advance()
                    _ = advance()
                    return text
                }
            }
            if !triple && (byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")) {
                throw SyntaxError("newline in string literal; use a triple-quoted string or '\\n'", at: position)
            }
            if byte == UInt8(ascii: "\\") && !raw {
                try escape(into: &text, bytesLiteral: bytesLiteral)
            } else {
                text.bytes.append(advance())
            }
        }
    }

    private mutating func escape(into text: inout LiteralText, bytesLiteral: Bool) throws(SyntaxError) {
        let escapeStart = position
        _ = advance()
        guard let byte = peek() else { throw SyntaxError("unterminated escape sequence", at: escapeStart) }
        _ = advance()
        switch byte {
        case UInt8(ascii: "a"): text.bytes.append(0x07)
        case UInt8(ascii: "b"): text.bytes.append(0x08)
        case UInt8(ascii: "f"): text.bytes.append(0x0C)
        case UInt8(ascii: "n"): text.bytes.append(0x0A)
        case UInt8(ascii: "r"): text.bytes.append(0x0D)
        case UInt8(ascii: "t"): text.bytes.append(0x09)
        case UInt8(ascii: "v"): text.bytes.append(0x0B)
        case UInt8(ascii: "\\"), UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "`"), UInt8(ascii: "?"):
            text.bytes.append(byte)
        case UInt8(ascii: "x"), UInt8(ascii: "X"):
            let value = try hexDigits(count: 2, at: escapeStart)
            appendCodeUnit(value, to: &text, bytesLiteral: bytesLiteral)
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
            // In bytes literals a unicode escape stands for its UTF-8 encoding.
            let value = try hexDigits(count: byte == UInt8(ascii: "u") ? 4 : 8, at: escapeStart)
            guard let scalar = UnicodeScalar(value) else {
                throw SyntaxError("invalid unicode code point in escape sequence", at: escapeStart)
            }
            text.bytes.append(contentsOf: Array(String(Character(scalar)).utf8))
        case UInt8(ascii: "0")...UInt8(ascii: "3"):
            var value = UInt32(byte - UInt8(ascii: "0"))
            for _ in 0..<2 {
                guard let digit = peek(), digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "7") else {
                    throw SyntaxError("octal escape needs three digits", at: escapeStart)
                }
                value = value * 8 + UInt32(advance() - UInt8(ascii: "0"))
            }
            appendCodeUnit(value, to: &text, bytesLiteral: bytesLiteral)
        default:
            throw SyntaxError("invalid escape sequence '\\\(Self.describe(byte))'", at: escapeStart)
        }
    }

    /// In bytes literals `\xNN` is one byte; in strings it is the code point U+00NN.
    private func appendCodeUnit(_ value: UInt32, to text: inout LiteralText, bytesLiteral: Bool) {
        if bytesLiteral {
            text.bytes.append(UInt8(value))
        } else {
            text.bytes.append(contentsOf: Array(String(Character(UnicodeScalar(UInt8(value)))).utf8))
        }
    }

    private mutating func hexDigits(count: Int, at escapeStart: SourcePosition) throws(SyntaxError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<count {
            guard let digit = peek(), isHexDigit(digit) else {
                throw SyntaxError("escape sequence needs \(count) hexadecimal digits", at: escapeStart)
            }
            value = value * 16 + UInt32(Self.hexValue(advance()))
        }
        return value
    }

    private static func hexValue(_ byte: UInt8) -> UInt8 {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        default: return (byte | 0x20) - UInt8(ascii: "a") + 10
        }
    }
}
