/// Words: quoting, escapes, parameters, command and process substitutions, arithmetic.
extension ShellParser {
    /// The word at the current position, or nil when an operator or the end comes first.
    mutating func word() throws(ShellSyntaxError) -> Word? {
        var parts = PartsBuilder(isQuoted: false)
        while position < bytes.count {
            let byte = bytes[position]
            if (byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">")) && peekAt(position + 1) == UInt8(ascii: "(") {
                let start = position
                position += 2
                parts.add(.processSubstitution(try substitution(until: ")", opened: "'\(Character(Unicode.Scalar(byte)))('", at: start)))
                continue
            }
            if Self.isDelimiter(byte) { break }
            switch byte {
            case UInt8(ascii: "\\"):
                guard position + 1 < bytes.count else {
                    parts.text(byte)
                    position += 1
                    continue
                }
                if bytes[position + 1] == UInt8(ascii: "\n") {
                    position += 2
                    continue
                }
                // The escaped character whole, however many bytes its UTF-8 takes.
                let lead = bytes[position + 1]
                let length = lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
                let end = min(position + 1 + length, bytes.count)
                parts.add(.literal(String(decoding: bytes[(position + 1)..<end], as: UTF8.self), isQuoted: true))
                position = end
            case UInt8(ascii: "'"):
                let start = position
                position += 1
                guard let end = bytes[position...].firstIndex(of: UInt8(ascii: "'")) else {
                    throw ShellSyntaxError(kind: .unterminated("a single quote"), offset: start)
                }
                parts.add(.literal(String(decoding: bytes[position..<end], as: UTF8.self), isQuoted: true))
                position = end + 1
            case UInt8(ascii: "\""):
                let start = position
                position += 1
                parts.add(contentsOf: try doubleQuoted(until: UInt8(ascii: "\""), opened: start))
            case UInt8(ascii: "$"):
                parts.add(contentsOf: try dollar())
            case UInt8(ascii: "`"):
                parts.add(try backticks())
            default:
                parts.text(byte)
                position += 1
            }
        }
        let found = parts.finish()
        guard !found.isEmpty else { return nil }
        budget.words += 1
        guard budget.words <= Self.maximumWords else { throw ShellSyntaxError(kind: .tooManyWords, offset: position) }
        return Word(parts: found)
    }

    func peekAt(_ index: Int) -> UInt8? { index < bytes.count ? bytes[index] : nil }

    /// The inside of `"…"` (or, with `closing` nil, a whole here-document body), the closing quote consumed.
    mutating func doubleQuoted(until closing: UInt8?, opened start: Int) throws(ShellSyntaxError) -> [Word.Part] {
        var parts = PartsBuilder(isQuoted: true)
        while position < bytes.count {
            let byte = bytes[position]
            if byte == closing {
                position += 1
                let found = parts.finish()
                return found.isEmpty ? [.literal("", isQuoted: true)] : found
            }
            switch byte {
            case UInt8(ascii: "\\"):
                let next = peekAt(position + 1)
                if let next, next == UInt8(ascii: "\n") {
                    position += 2
                } else if let next, [UInt8(ascii: "$"), UInt8(ascii: "`"), UInt8(ascii: "\""), UInt8(ascii: "\\")].contains(next) {
                    parts.text(next)
                    position += 2
                } else {
                    parts.text(byte)
                    position += 1
                }
            case UInt8(ascii: "$"):
                parts.add(contentsOf: try dollar(inDoubleQuotes: true))
            case UInt8(ascii: "`"):
                parts.add(try backticks())
            default:
                parts.text(byte)
                position += 1
            }
        }
        if closing != nil { throw ShellSyntaxError(kind: .unterminated("a double quote"), offset: start) }
        return parts.finish()
    }

    /// What follows a `$`: `$'…'`, `$"…"`, `$((…))`, `$(…)`, `${…}`, `$NAME`, `$1`, `$?`; a lone `$` is text.
    /// Inside double quotes, `$'` and `$"` are a `$` and a quote.
    mutating func dollar(inDoubleQuotes: Bool = false) throws(ShellSyntaxError) -> [Word.Part] {
        let start = position
        position += 1
        guard let next = peekAt(position) else { return [.literal("$", isQuoted: inDoubleQuotes)] }
        if inDoubleQuotes && (next == UInt8(ascii: "'") || next == UInt8(ascii: "\"")) { return [.literal("$", isQuoted: true)] }
        switch next {
        case UInt8(ascii: "'"):
            position += 1
            return [.literal(try ansiC(opened: start), isQuoted: true)]
        case UInt8(ascii: "\""):
            position += 1
            return try doubleQuoted(until: UInt8(ascii: "\""), opened: start)
        case UInt8(ascii: "(") where peekAt(position + 1) == UInt8(ascii: "("):
            position += 2
            let expression = try balanced(open: UInt8(ascii: "("), close: UInt8(ascii: ")"), depth: 2, what: "'$(('", start: start)
            // Arithmetic may hold command substitutions of its own: `$(( $(wc -l < f) + 1 ))`.
            return [.arithmetic(expression, substitutions: try nestedSubstitutions(in: expression, at: start))]
        case UInt8(ascii: "("):
            position += 1
            return [.commandSubstitution(try substitution(until: ")", opened: "'$('", at: start))]
        case UInt8(ascii: "{"):
            position += 1
            let inside = try balanced(open: UInt8(ascii: "{"), close: UInt8(ascii: "}"), depth: 1, what: "'${'", start: start)
            // `${VAR:-$(cmd)}` runs cmd: the substitutions inside are read too.
            return [.parameter(inside, substitutions: try nestedSubstitutions(in: inside, at: start))]
        default:
            if Self.isLetter(next) || next == UInt8(ascii: "_") {
                let nameStart = position
                while let byte = peekAt(position), Self.isLetter(byte) || Self.isDigit(byte) || byte == UInt8(ascii: "_") { position += 1 }
                return [.parameter(String(decoding: bytes[nameStart..<position], as: UTF8.self))]
            }
            if Self.isDigit(next) || "@*#?-$!".utf8.contains(next) {
                position += 1
                return [.parameter(String(decoding: [next], as: UTF8.self))]
            }
            return [.literal("$", isQuoted: false)]
        }
    }

    /// The substitutions inside text read as a whole (a parameter's or arithmetic's), parsed by a parser of its own.
    mutating func nestedSubstitutions(in text: String, at start: Int) throws(ShellSyntaxError) -> [CommandList] {
        guard text.utf8.contains(UInt8(ascii: "$")) || text.utf8.contains(UInt8(ascii: "`")) else { return [] }
        var inner = ShellParser(bytes: Array(text.utf8), budget: budget, depth: depth + 1)
        guard inner.depth <= Self.maximumDepth else { throw ShellSyntaxError(kind: .tooDeep, offset: start) }
        do throws(ShellSyntaxError) {
            return Word(parts: try inner.doubleQuoted(until: nil, opened: 0)).substitutions
        } catch {
            throw ShellSyntaxError(kind: error.kind, offset: start)
        }
    }

    /// The command list of `$( … )` or `<( … )`, the closing parenthesis consumed.
    mutating func substitution(until closing: String, opened what: String, at start: Int) throws(ShellSyntaxError) -> CommandList {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth else { throw ShellSyntaxError(kind: .tooDeep, offset: start) }
        let list = try list(until: [closing])
        try expect(closing, opened: what, at: start)
        return list
    }

    /// `` `…` ``: the text between the backticks, unescaped, parsed as a command line of its own.
    mutating func backticks() throws(ShellSyntaxError) -> Word.Part {
        let start = position
        position += 1
        var inside: [UInt8] = []
        while true {
            guard let byte = peekAt(position) else { throw ShellSyntaxError(kind: .unterminated("a backquote"), offset: start) }
            position += 1
            if byte == UInt8(ascii: "`") { break }
            if byte == UInt8(ascii: "\\"), let next = peekAt(position),
                [UInt8(ascii: "`"), UInt8(ascii: "\\"), UInt8(ascii: "$")].contains(next)
            {
                inside.append(next)
                position += 1
                continue
            }
            inside.append(byte)
        }
        var inner = ShellParser(bytes: inside, budget: budget, depth: depth + 1)
        guard inner.depth <= Self.maximumDepth else { throw ShellSyntaxError(kind: .tooDeep, offset: start) }
        do throws(ShellSyntaxError) {
            let list = try inner.list(until: [])
            inner.skipBlanks()
            if inner.position < inside.count { throw inner.unexpected(expected: nil) }
            return .commandSubstitution(list)
        } catch {
            throw ShellSyntaxError(kind: error.kind, offset: start + 1 + error.offset)
        }
    }

    /// The inside of `$'…'` with its escapes read (`\n`, `\x41`, `\101`, `\u00e9`, `\'`), the quote consumed.
    mutating func ansiC(opened start: Int) throws(ShellSyntaxError) -> String {
        var output: [UInt8] = []
        while true {
            guard let byte = peekAt(position) else { throw ShellSyntaxError(kind: .unterminated("a $'…' quote"), offset: start) }
            position += 1
            if byte == UInt8(ascii: "'") { break }
            guard byte == UInt8(ascii: "\\"), let escape = peekAt(position) else {
                output.append(byte)
                continue
            }
            position += 1
            switch escape {
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "a"): output.append(0x07)
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "e"), UInt8(ascii: "E"): output.append(0x1B)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "v"): output.append(0x0B)
            case UInt8(ascii: "x"): output += scalarBytes(digits(radix: 16, atMost: 2), orText: "\\x")
            case UInt8(ascii: "u"): output += scalarBytes(digits(radix: 16, atMost: 4), orText: "\\u")
            case UInt8(ascii: "U"): output += scalarBytes(digits(radix: 16, atMost: 8), orText: "\\U")
            case UInt8(ascii: "c"):
                if let control = peekAt(position) {
                    position += 1
                    output.append(control & 0x1F)
                }
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                position -= 1
                let value = digits(radix: 8, atMost: 3) ?? 0
                output.append(UInt8(truncatingIfNeeded: value))
            default:
                // `\\`, `\'`, `\"`, `\?` are the character; an unknown escape keeps its backslash, as bash does.
                if ![UInt8(ascii: "\\"), UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "?")].contains(escape) {
                    output.append(UInt8(ascii: "\\"))
                }
                output.append(escape)
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    private mutating func digits(radix: Int, atMost count: Int) -> Int? {
        var value = 0
        var read = 0
        while read < count, let byte = peekAt(position), let digit = Int(String(Unicode.Scalar(byte)), radix: radix) {
            value = value * radix + digit
            position += 1
            read += 1
        }
        return read == 0 ? nil : value
    }

    private func scalarBytes(_ value: Int?, orText text: String) -> [UInt8] {
        guard let value else { return Array(text.utf8) }
        if value < 0x80 && text == "\\x" { return [UInt8(value)] }
        guard let scalar = Unicode.Scalar(UInt32(clamping: value)) else { return Array(text.utf8) }
        return Array(String(Character(scalar)).utf8)
    }
}

/// Collects a word's parts: runs of plain text become one literal part, quoted or not.
struct PartsBuilder {
    let isQuoted: Bool
    private var parts: [Word.Part] = []
    private var pending: [UInt8] = []

    init(isQuoted: Bool) {
        self.isQuoted = isQuoted
    }

    mutating func text(_ byte: UInt8) { pending.append(byte) }

    mutating func add(_ part: Word.Part) {
        flush()
        parts.append(part)
    }

    mutating func add(contentsOf more: [Word.Part]) {
        flush()
        parts += more
    }

    mutating func finish() -> [Word.Part] {
        flush()
        return parts
    }

    private mutating func flush() {
        if !pending.isEmpty { parts.append(.literal(String(decoding: pending, as: UTF8.self), isQuoted: isQuoted)) }
        pending = []
    }
}
