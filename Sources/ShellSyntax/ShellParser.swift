/// Reads a command line into a `CommandList`: quoting, operators, compound commands, substitutions (parsed,
/// not skipped), redirections and here-documents.
///
/// The work is bounded: input longer than `maximumLength`, nested deeper than `maximumDepth` or with more than
/// `maximumWords` words is refused with an error, in time linear in the input.
public struct ShellParser {
    public static let maximumLength = 64 * 1024
    public static let maximumDepth = 64
    public static let maximumWords = 20_000
    /// Each here-document's body is looked for from its line: more than this many would cost time, not tell more.
    public static let maximumHereDocuments = 100

    public static func parse(_ text: String) throws(ShellSyntaxError) -> CommandList {
        let bytes = Array(text.utf8)
        guard bytes.count <= maximumLength else { throw ShellSyntaxError(kind: .tooLong, offset: maximumLength) }
        var parser = ShellParser(bytes: bytes, budget: Budget(), depth: 0)
        let list = try parser.list(until: [])
        parser.skipBlanks()
        if parser.position < bytes.count {
            throw parser.unexpected(expected: nil)
        }
        return list
    }

    /// Counts shared by the parsers of one line (substitutions and here-documents get parsers of their own).
    final class Budget {
        var words = 0
        var hereDocuments = 0
    }

    let bytes: [UInt8]
    var position = 0
    let budget: Budget
    var depth: Int
    /// For each newline that ends a line with here-documents, where reading resumes after their bodies.
    var resumeAfterNewline: [Int: Int] = [:]

    init(bytes: [UInt8], budget: Budget, depth: Int) {
        self.bytes = bytes
        self.budget = budget
        self.depth = depth
    }

    static let reservedWords: Set<String> = [
        "if", "then", "elif", "else", "fi", "do", "done", "while", "until", "for", "in", "case", "esac", "select",
        "function", "{", "}", "!", "[[", "]]",
    ]

    // MARK: - Lists, pipelines, commands

    /// Commands until the end, or until one of `terminators` (a reserved word, `)` or a case item's `;;`).
    mutating func list(until terminators: Set<String>) throws(ShellSyntaxError) -> CommandList {
        var items: [CommandList.Item] = []
        while true {
            skipBlanksAndNewlines()
            if position >= bytes.count || atTerminator(terminators) { break }
            let command = try andOr()
            skipBlanks()
            var background = false
            if peek("&"), !peek("&&"), !peek("&>") {
                position += 1
                background = true
            } else if peek(";"), !peek(";;"), !peek(";&") {
                position += 1
            } else if peek("\n") {
                consumeNewline()
            } else if !(position >= bytes.count || atTerminator(terminators)) {
                throw unexpected(expected: "';', '&' or a new line")
            }
            items.append(CommandList.Item(command: command, isBackground: background))
        }
        return CommandList(items: items)
    }

    private func atTerminator(_ terminators: Set<String>) -> Bool {
        if terminators.contains(")") && peek(")") { return true }
        for terminator in [";;&", ";;", ";&"] where terminators.contains(terminator) && peek(terminator) { return true }
        if let word = reservedWordAhead(), terminators.contains(word) { return true }
        return false
    }

    mutating func andOr() throws(ShellSyntaxError) -> AndOrList {
        let first = try pipeline()
        var rest: [(connector: AndOrList.Connector, pipeline: Pipeline)] = []
        while true {
            skipBlanks()
            let connector: AndOrList.Connector
            if peek("&&") {
                connector = .and
            } else if peek("||") {
                connector = .or
            } else {
                break
            }
            position += 2
            skipBlanksAndNewlines()
            rest.append((connector, try pipeline()))
        }
        return AndOrList(first: first, rest: rest)
    }

    mutating func pipeline() throws(ShellSyntaxError) -> Pipeline {
        skipBlanks()
        var negated = false
        if reservedWordAhead() == "!" {
            position += 1
            negated = true
        }
        var commands = [try command()]
        while true {
            skipBlanks()
            guard peek("|"), !peek("||") else { break }
            position += peek("|&") ? 2 : 1
            skipBlanksAndNewlines()
            commands.append(try command())
        }
        return Pipeline(isNegated: negated, commands: commands)
    }

    mutating func command() throws(ShellSyntaxError) -> Command {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth else { throw ShellSyntaxError(kind: .tooDeep, offset: position) }
        skipBlanks()
        // `(( … ))` is arithmetic only when it closes with `))`; otherwise, as bash does, it is two subshells.
        if peek("((") {
            let start = position
            position += 2
            if let expression = try? balanced(open: UInt8(ascii: "("), close: UInt8(ascii: ")"), depth: 2, what: "'(('", start: start),
                bytes[position - 2] == UInt8(ascii: ")")
            {
                let arithmetic = Word.Part.arithmetic(expression, substitutions: try nestedSubstitutions(in: expression, at: start))
                return .test(keyword: "((", words: [Word(parts: [arithmetic])])
            }
            position = start
        }
        if peek("(") {
            let start = position
            position += 1
            let body = try list(until: [")"])
            try expect(")", opened: "'('", at: start)
            return .subshell(body, redirections: try redirections())
        }
        switch reservedWordAhead() {
        case "{":
            let start = position
            position += 1
            let body = try list(until: ["}"])
            try expectWord("}", opened: "'{'", at: start)
            return .group(body, redirections: try redirections())
        case "if": return try ifCommand()
        case "while", "until": return try loop()
        case "for", "select": return try forCommand()
        case "case": return try caseCommand()
        case "function": return try functionKeyword()
        case "[[": return try conditional()
        case let word? where Self.closingWords.contains(word):
            throw unexpected(expected: nil)
        default: return try simpleOrFunction()
        }
    }

    /// Reserved words that only close something: one where a command should start is an error.
    static let closingWords: Set<String> = ["then", "elif", "else", "fi", "do", "done", "esac", "}", "]]", "in"]

    private mutating func ifCommand() throws(ShellSyntaxError) -> Command {
        let start = position
        position += 2
        var bodies = [try list(until: ["then"])]
        try expectWord("then", opened: "'if'", at: start)
        bodies.append(try list(until: ["elif", "else", "fi"]))
        while reservedWordAhead() == "elif" {
            position += 4
            bodies.append(try list(until: ["then"]))
            try expectWord("then", opened: "'elif'", at: start)
            bodies.append(try list(until: ["elif", "else", "fi"]))
        }
        if reservedWordAhead() == "else" {
            position += 4
            bodies.append(try list(until: ["fi"]))
        }
        try expectWord("fi", opened: "'if'", at: start)
        return .compound(keyword: "if", header: [], bodies: bodies, redirections: try redirections())
    }

    private mutating func loop() throws(ShellSyntaxError) -> Command {
        let start = position
        let keyword = reservedWordAhead()!
        position += keyword.utf8.count
        let condition = try list(until: ["do"])
        try expectWord("do", opened: "'\(keyword)'", at: start)
        let body = try list(until: ["done"])
        try expectWord("done", opened: "'\(keyword)'", at: start)
        return .compound(keyword: keyword, header: [], bodies: [condition, body], redirections: try redirections())
    }

    private mutating func forCommand() throws(ShellSyntaxError) -> Command {
        let start = position
        let keyword = reservedWordAhead()!
        position += keyword.utf8.count
        skipBlanks()
        var header: [Word] = []
        if keyword == "for", peek("((") {
            let open = position
            position += 2
            let expression = try balanced(open: UInt8(ascii: "("), close: UInt8(ascii: ")"), depth: 2, what: "'for (('", start: open)
            header.append(Word(parts: [.literal(expression, isQuoted: true)]))
        } else {
            guard let name = try word() else { throw unexpected(expected: "a variable name after '\(keyword)'") }
            header.append(name)
            skipBlanksAndNewlines()
            if reservedWordAhead() == "in" {
                position += 2
                while true {
                    skipBlanks()
                    guard !peek(";"), !peek("\n"), position < bytes.count, let item = try word() else { break }
                    header.append(item)
                }
            }
        }
        skipBlanks()
        if peek(";") { position += 1 }
        skipBlanksAndNewlines()
        try expectWord("do", opened: "'\(keyword)'", at: start)
        let body = try list(until: ["done"])
        try expectWord("done", opened: "'\(keyword)'", at: start)
        return .compound(keyword: keyword, header: header, bodies: [body], redirections: try redirections())
    }

    private mutating func caseCommand() throws(ShellSyntaxError) -> Command {
        let start = position
        position += 4
        skipBlanks()
        guard let subject = try word() else { throw unexpected(expected: "a word after 'case'") }
        var header = [subject]
        skipBlanksAndNewlines()
        try expectWord("in", opened: "'case'", at: start)
        var bodies: [CommandList] = []
        while true {
            skipBlanksAndNewlines()
            if reservedWordAhead() == "esac" { break }
            guard position < bytes.count else { throw ShellSyntaxError(kind: .unterminated("'case'"), offset: start) }
            if peek("(") { position += 1 }
            while true {
                skipBlanks()
                guard let pattern = try word() else { throw unexpected(expected: "a pattern") }
                header.append(pattern)
                skipBlanks()
                if peek("|") {
                    position += 1
                    continue
                }
                break
            }
            try expect(")", opened: "a case pattern", at: start)
            bodies.append(try list(until: [";;", ";&", ";;&", "esac"]))
            for separator in [";;&", ";;", ";&"] where peek(separator) {
                position += separator.utf8.count
                break
            }
        }
        try expectWord("esac", opened: "'case'", at: start)
        return .compound(keyword: "case", header: header, bodies: bodies, redirections: try redirections())
    }

    private mutating func functionKeyword() throws(ShellSyntaxError) -> Command {
        position += "function".utf8.count
        skipBlanks()
        guard let name = try word()?.literalValue else { throw unexpected(expected: "a function name") }
        skipBlanks()
        if peek("()") { position += 2 }
        skipBlanksAndNewlines()
        return .function(name: name, body: try command())
    }

    private mutating func conditional() throws(ShellSyntaxError) -> Command {
        let start = position
        position += 2
        var words: [Word] = []
        while true {
            skipBlanksAndNewlines()
            if reservedWordAhead() == "]]" {
                position += 2
                break
            }
            guard position < bytes.count else { throw ShellSyntaxError(kind: .unterminated("'[['"), offset: start) }
            // Inside `[[ ]]`, `&&`, `||`, `<`, `>`, `(` and `)` are operators of the test, kept as words.
            if let symbol = ["&&", "||", "<", ">", "(", ")", "!"].first(where: { peek($0) }) {
                position += symbol.utf8.count
                words.append(Word(parts: [.literal(symbol, isQuoted: false)]))
                continue
            }
            guard let next = try word() else { throw unexpected(expected: "']]'") }
            words.append(next)
        }
        return .test(keyword: "[[", words: words)
    }

    private mutating func simpleOrFunction() throws(ShellSyntaxError) -> Command {
        var simple = SimpleCommand(assignments: [], words: [], redirections: [])
        while true {
            skipBlanks()
            guard position < bytes.count else { break }
            if let redirection = try redirection() {
                simple.redirections.append(redirection)
                continue
            }
            if peek("("), simple.words.count == 1, simple.assignments.isEmpty, let name = simple.words[0].literalValue {
                // `name() body`: a function definition.
                let open = position
                position += 1
                skipBlanks()
                try expect(")", opened: "'('", at: open)
                skipBlanksAndNewlines()
                return .function(name: name, body: try command())
            }
            guard let next = try word() else { break }
            if simple.words.isEmpty, let assignment = Self.assignment(next) {
                simple.assignments.append(assignment)
            } else {
                simple.words.append(next)
            }
        }
        if simple.words.isEmpty && simple.assignments.isEmpty && simple.redirections.isEmpty {
            throw unexpected(expected: "a command")
        }
        return .simple(simple)
    }

    /// `NAME=value` as an assignment: the name is unquoted and valid, the value the rest of the word.
    static func assignment(_ word: Word) -> Assignment? {
        guard case .literal(let first, false)? = word.parts.first, let equals = first.firstIndex(of: "=") else { return nil }
        let name = String(first[..<equals])
        guard let head = name.utf8.first, head == UInt8(ascii: "_") || isLetter(head),
            name.utf8.allSatisfy({ $0 == UInt8(ascii: "_") || isLetter($0) || isDigit($0) })
        else { return nil }
        var parts = Array(word.parts.dropFirst())
        let rest = String(first[first.index(after: equals)...])
        if !rest.isEmpty { parts.insert(.literal(rest, isQuoted: false), at: 0) }
        return Assignment(name: name, value: Word(parts: parts))
    }

    private mutating func redirections() throws(ShellSyntaxError) -> [Redirection] {
        var found: [Redirection] = []
        while true {
            skipBlanks()
            guard let next = try redirection() else { return found }
            found.append(next)
        }
    }

    // MARK: - Scanning

    func peek(_ text: String) -> Bool {
        var index = position
        for byte in text.utf8 {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
        }
        return true
    }

    /// A reserved word at the current position, if the word there is one (and not, say, `done2` or `"fi"`).
    func reservedWordAhead() -> String? {
        // The longest reserved word has eight letters: no need to look further.
        var end = position
        while end < bytes.count, end - position <= 8, !Self.isDelimiter(bytes[end]) { end += 1 }
        guard end > position, end - position <= 8 else { return nil }
        let word = String(decoding: bytes[position..<end], as: UTF8.self)
        return Self.reservedWords.contains(word) ? word : nil
    }

    static func isDelimiter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: ";"), UInt8(ascii: "&"), UInt8(ascii: "|"),
            UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "<"), UInt8(ascii: ">"):
            return true
        default: return false
        }
    }

    static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }

    /// Spaces, tabs, line continuations and comments.
    mutating func skipBlanks() {
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"): position += 1
            case UInt8(ascii: "\\") where position + 1 < bytes.count && bytes[position + 1] == UInt8(ascii: "\n"): position += 2
            case UInt8(ascii: "#"):
                while position < bytes.count, bytes[position] != UInt8(ascii: "\n") { position += 1 }
            default: return
            }
        }
    }

    mutating func skipBlanksAndNewlines() {
        while true {
            skipBlanks()
            guard peek("\n") else { return }
            consumeNewline()
        }
    }

    /// Past a newline, and past the bodies of the here-documents its line opened.
    mutating func consumeNewline() {
        let newline = position
        position = resumeAfterNewline.removeValue(forKey: newline) ?? newline + 1
    }

    mutating func expect(_ text: String, opened what: String, at start: Int) throws(ShellSyntaxError) {
        skipBlanksAndNewlines()
        guard peek(text) else {
            if position >= bytes.count { throw ShellSyntaxError(kind: .unterminated(what), offset: start) }
            throw unexpected(expected: "'\(text)'")
        }
        position += text.utf8.count
    }

    mutating func expectWord(_ word: String, opened what: String, at start: Int) throws(ShellSyntaxError) {
        skipBlanksAndNewlines()
        guard reservedWordAhead() == word else {
            if position >= bytes.count { throw ShellSyntaxError(kind: .unterminated(what), offset: start) }
            throw unexpected(expected: "'\(word)'")
        }
        position += word.utf8.count
    }

    func unexpected(expected: String?) -> ShellSyntaxError {
        guard position < bytes.count else {
            return ShellSyntaxError(kind: .unexpected("end of input", expected: expected), offset: position)
        }
        let byte = bytes[position]
        let found = byte == UInt8(ascii: "\n") ? "new line" : "'\(String(decoding: [byte], as: UTF8.self))'"
        return ShellSyntaxError(kind: .unexpected(found, expected: expected), offset: position)
    }

    /// The text up to the bracket that closes `depth` open ones (quotes respected), the closing ones consumed.
    mutating func balanced(open: UInt8, close: UInt8, depth: Int, what: String, start: Int) throws(ShellSyntaxError) -> String {
        var level = depth
        let contentStart = position
        var quote: UInt8?
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            if let open = quote {
                if byte == UInt8(ascii: "\\") && open == UInt8(ascii: "\"") {
                    position += 1
                } else if byte == open {
                    quote = nil
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "'"), UInt8(ascii: "\""): quote = byte
            case UInt8(ascii: "\\"): position += 1
            case open: level += 1
            case close:
                level -= 1
                if level == 0 {
                    let end = max(contentStart, position - depth)
                    return String(decoding: bytes[contentStart..<min(end, bytes.count)], as: UTF8.self)
                }
            default: break
            }
        }
        throw ShellSyntaxError(kind: .unterminated(what), offset: start)
    }
}
