import BlastwallCore

/// Reads SQL text statement by statement, enough to class each: `DROP`, `TRUNCATE`, `DELETE`/`UPDATE`
/// without `WHERE` and `ALTER … DROP` are destructive; other changes write; queries read.
enum SQLStatements {
    struct Judgement: Equatable {
        var operation: OperationClass
        var statement: String
        var reason: String
        var isOpaque = false
    }

    /// The statements of `text`, split on `;` outside quotes, dollar quotes and comments, each judged.
    static func judge(_ text: String) -> [Judgement] {
        split(text).map(judgeStatement)
    }

    static func split(_ text: String) -> [String] {
        var statements: [String] = []
        var current: [UInt8] = []
        let bytes = Array(text.utf8)
        var index = 0
        func flush() {
            let statement = String(decoding: current, as: UTF8.self).trimmingSpaces
            if !statement.isEmpty { statements.append(statement) }
            current = []
        }
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "`"):
                // A quoted string or name; a doubled quote is an escaped one.
                var end = index + 1
                while end < bytes.count {
                    if bytes[end] == byte {
                        if end + 1 < bytes.count, bytes[end + 1] == byte {
                            end += 2
                            continue
                        }
                        break
                    }
                    if bytes[end] == UInt8(ascii: "\\"), byte != UInt8(ascii: "`") { end += 1 }
                    end += 1
                }
                current += bytes[index..<min(end + 1, bytes.count)]
                index = end + 1
            case UInt8(ascii: "-") where index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "-"):
                while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
                current.append(UInt8(ascii: " "))
            case UInt8(ascii: "/") where index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "*"):
                index += 2
                while index + 1 < bytes.count, !(bytes[index] == UInt8(ascii: "*") && bytes[index + 1] == UInt8(ascii: "/")) { index += 1 }
                index += 2
                current.append(UInt8(ascii: " "))
            case UInt8(ascii: "$"):
                // `$$ … $$` or `$tag$ … $tag$`: a function body, kept whole.
                var tagEnd = index + 1
                while tagEnd < bytes.count,
                    bytes[tagEnd] == UInt8(ascii: "_") || (bytes[tagEnd] | 0x20 >= 0x61 && bytes[tagEnd] | 0x20 <= 0x7a)
                {
                    tagEnd += 1
                }
                guard tagEnd < bytes.count, bytes[tagEnd] == UInt8(ascii: "$") else {
                    current.append(byte)
                    index += 1
                    continue
                }
                let tag = Array(bytes[index...tagEnd])
                var end = tagEnd + 1
                while end + tag.count <= bytes.count, Array(bytes[end..<end + tag.count]) != tag { end += 1 }
                let stop = min(end + tag.count, bytes.count)
                current += bytes[index..<stop]
                index = stop
            case UInt8(ascii: ";"):
                flush()
                index += 1
            case UInt8(ascii: "\n") where current.first == UInt8(ascii: "\\") || current.first == UInt8(ascii: "."):
                // psql's backslash commands and sqlite's dot commands end at the line's end.
                flush()
                index += 1
            default:
                current.append(byte)
                index += 1
            }
        }
        flush()
        return statements
    }

    static func judgeStatement(_ statement: String) -> Judgement {
        let words = keywords(statement)
        let first = words.first ?? ""
        let shown = statement.count > 80 ? String(statement.prefix(77)) + "…" : statement
        func judgement(_ operation: OperationClass, _ reason: String, opaque: Bool = false) -> Judgement {
            Judgement(operation: operation, statement: shown, reason: reason, isOpaque: opaque)
        }
        if statement.hasPrefix("\\") { return metaCommand(statement, shown) }
        if statement.hasPrefix(".") { return dotCommand(statement, shown) }
        switch first {
        case "SELECT", "SHOW", "DESCRIBE", "DESC", "VALUES", "TABLE", "LIST", "HELP", "USE", "LISTEN", "FETCH", "PREPARE", "DECLARE":
            if first == "SELECT", words.contains("INTO") { return judgement(.write, "SELECT … INTO creates a table") }
            return judgement(.read, "\(first) only reads")
        case "EXPLAIN":
            // `EXPLAIN ANALYZE` runs the statement it explains.
            if words.dropFirst().prefix(3).contains("ANALYZE") || words.dropFirst().prefix(3).contains("ANALYSE") {
                let rest = statement.drop { $0 != " " }.dropFirst().trimmingSpaces
                let inner = String(rest.drop { !$0.isWhitespace }).trimmingSpaces
                let judged = judgeStatement(inner)
                return Judgement(operation: judged.operation, statement: shown, reason: "EXPLAIN ANALYZE runs it: " + judged.reason)
            }
            return judgement(.read, "EXPLAIN only plans")
        case "WITH":
            for verb in ["DELETE", "UPDATE"] where words.contains(verb) {
                return words.contains("WHERE")
                    ? judgement(.write, "\(verb) in a WITH query") : judgement(.destructive, "\(verb) without WHERE, in a WITH query")
            }
            if words.contains("INSERT") { return judgement(.write, "INSERT in a WITH query") }
            return judgement(.read, "a query")
        case "PRAGMA":
            return statement.contains("=") ? judgement(.write, "PRAGMA sets an option") : judgement(.read, "PRAGMA reads an option")
        case "DROP":
            return judgement(.destructive, "DROP \(words.dropFirst().first ?? "") removes it and its data")
        case "TRUNCATE":
            return judgement(.destructive, "TRUNCATE removes every row")
        case "DELETE":
            return words.contains("WHERE")
                ? judgement(.write, "DELETE with a WHERE clause") : judgement(.destructive, "DELETE without WHERE removes every row")
        case "UPDATE":
            return words.contains("WHERE")
                ? judgement(.write, "UPDATE with a WHERE clause") : judgement(.destructive, "UPDATE without WHERE changes every row")
        case "ALTER":
            if words.contains("DROP") { return judgement(.destructive, "ALTER … DROP removes a column or constraint and its data") }
            return judgement(.write, "ALTER changes the schema")
        case "DO", "CALL", "EXECUTE", "EXEC":
            return judgement(.destructive, "\(first) runs code the guard cannot read", opaque: true)
        case "INSERT", "CREATE", "GRANT", "REVOKE", "COMMENT", "COPY", "SET", "RESET", "BEGIN", "START", "COMMIT", "END", "ROLLBACK",
            "SAVEPOINT", "RELEASE", "ANALYZE", "ANALYSE", "VACUUM", "REINDEX", "CLUSTER", "REFRESH", "LOCK", "MERGE", "REPLACE",
            "UPSERT", "RENAME", "ATTACH", "DETACH", "NOTIFY", "DISCARD", "LOAD", "SECURITY", "IMPORT", "UNLISTEN", "OPTIMIZE", "FLUSH":
            return judgement(.write, "\(first) changes the database")
        default:
            return judgement(.write, "\(first.isEmpty ? "the statement" : first) is not known to only read")
        }
    }

    /// psql's `\d`, `\l`, `\i FILE`, `\! CMD`, `\c DB`.
    private static func metaCommand(_ statement: String, _ shown: String) -> Judgement {
        let name = statement.prefix { !$0.isWhitespace }
        switch name {
        case "\\i", "\\ir", "\\include", "\\include_relative":
            return Judgement(operation: .destructive, statement: shown, reason: "\(name) runs a file the guard cannot see", isOpaque: true)
        case "\\!", "\\copy", "\\o", "\\w", "\\g", "\\gexec":
            return Judgement(
                operation: .destructive, statement: shown, reason: "\(name) runs or writes what the guard cannot see", isOpaque: true)
        default:
            return Judgement(operation: .read, statement: shown, reason: "\(name) describes the database")
        }
    }

    /// sqlite3's `.tables`, `.schema`, `.dump`, `.read FILE`, `.import`, `.shell`.
    private static func dotCommand(_ statement: String, _ shown: String) -> Judgement {
        let name = statement.prefix { !$0.isWhitespace }
        switch name {
        case ".read", ".shell", ".system", ".output", ".once", ".save", ".backup", ".restore", ".load", ".open":
            return Judgement(
                operation: .destructive, statement: shown, reason: "\(name) reads or writes what the guard cannot see", isOpaque: true)
        case ".import", ".recover", ".clone":
            return Judgement(operation: .write, statement: shown, reason: "\(name) writes to the database")
        default:
            return Judgement(operation: .read, statement: shown, reason: "\(name) describes the database")
        }
    }

    /// The statement's words in capitals, outside quotes: enough to find its verb and a `WHERE`.
    static func keywords(_ statement: String) -> [String] {
        var words: [String] = []
        var current: [UInt8] = []
        var quote: UInt8?
        func flush() {
            if !current.isEmpty { words.append(String(decoding: current, as: UTF8.self)) }
            current.removeAll(keepingCapacity: true)
        }
        for byte in statement.utf8 {
            if let open = quote {
                if byte == open { quote = nil }
                continue
            }
            switch byte {
            case UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "`"):
                quote = byte
                flush()
            case UInt8(ascii: "a")...UInt8(ascii: "z"): current.append(byte - 32)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"), 0x80...: current.append(byte)
            default: flush()
            }
        }
        flush()
        return words
    }
}

extension StringProtocol {
    /// Without leading and trailing white space (ASCII, which is all SQL and shell words use).
    var trimmingSpaces: String {
        let bytes = Array(utf8)
        let isSpace = { (byte: UInt8) in byte == 0x20 || (0x09...0x0d).contains(byte) }
        guard let start = bytes.firstIndex(where: { !isSpace($0) }), let end = bytes.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(decoding: bytes[start...end], as: UTF8.self)
    }
}
