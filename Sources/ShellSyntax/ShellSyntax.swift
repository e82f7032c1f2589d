/// The syntax tree of a shell command line, as a POSIX shell (with bash's common extensions) reads it.
///
/// Built to be classified, not run: every command the line could run is in the tree, including those in
/// command substitutions, subshells, loops, function bodies and unquoted here-documents.

/// Commands run one after another (`;`, newline) or in the background (`&`).
public struct CommandList: Sendable, Equatable {
    public var items: [Item]

    public struct Item: Sendable, Equatable {
        public var command: AndOrList
        /// `&` after it: run in the background.
        public var isBackground: Bool
    }
}

/// Pipelines joined by `&&` and `||`.
public struct AndOrList: Sendable, Equatable {
    public var first: Pipeline
    public var rest: [(connector: Connector, pipeline: Pipeline)]

    public enum Connector: String, Sendable, Equatable {
        case and = "&&"
        case or = "||"
    }

    public static func == (lhs: AndOrList, rhs: AndOrList) -> Bool {
        lhs.first == rhs.first && lhs.rest.map(\.connector) == rhs.rest.map(\.connector)
            && lhs.rest.map(\.pipeline) == rhs.rest.map(\.pipeline)
    }

    public var pipelines: [Pipeline] { [first] + rest.map(\.pipeline) }
}

/// Commands joined by `|`; `!` negates the status.
public struct Pipeline: Sendable, Equatable {
    public var isNegated: Bool
    public var commands: [Command]
}

public indirect enum Command: Sendable, Equatable {
    case simple(SimpleCommand)
    /// `( … )`.
    case subshell(CommandList, redirections: [Redirection])
    /// `{ …; }`.
    case group(CommandList, redirections: [Redirection])
    /// `if`, `while`, `until`, `for`, `case`, `select`: the words of its header (`for NAME in WORDS`, a case's
    /// subject and patterns) and every list it contains, in order.
    case compound(keyword: String, header: [Word], bodies: [CommandList], redirections: [Redirection])
    /// `name() { … }` or `function name { … }`: defining runs nothing, but the body is what calling it runs.
    case function(name: String, body: Command)
    /// `(( … ))` and `[[ … ]]`: tests and arithmetic, kept as their text and the words inside.
    case test(keyword: String, words: [Word])
}

/// `VAR=value … command arguments… redirections…`.
public struct SimpleCommand: Sendable, Equatable {
    public var assignments: [Assignment]
    /// The command name first; empty for a line of assignments only.
    public var words: [Word]
    public var redirections: [Redirection]
}

public struct Assignment: Sendable, Equatable {
    public var name: String
    public var value: Word
}

/// A word: literal text, quoted text and expansions, joined.
public struct Word: Sendable, Equatable {
    public var parts: [Part]

    public enum Part: Sendable, Equatable {
        /// Text; `isQuoted` when it came from quotes or an escape (globs and splitting do not apply).
        case literal(String, isQuoted: Bool)
        /// `$NAME`, `${…}`: the parameter's text as written inside, and the substitutions in it
        /// (`${X:-$(cmd)}` runs cmd).
        case parameter(String, substitutions: [CommandList] = [])
        /// `$( … )` or `` `…` ``.
        case commandSubstitution(CommandList)
        /// `<( … )` or `>( … )`.
        case processSubstitution(CommandList)
        /// `$(( … ))`, and the substitutions in it.
        case arithmetic(String, substitutions: [CommandList] = [])
    }

    public init(parts: [Part]) {
        self.parts = parts
    }

    /// The word's value when it has no expansion (`'a b'c` is `a bc`); nil when it depends on one.
    public var literalValue: String? {
        var text = ""
        for part in parts {
            guard case .literal(let piece, _) = part else { return nil }
            text += piece
        }
        return text
    }

    /// The word as text, expansions shown as written (`$HOME`, `$(…)`): for messages and matching.
    public var text: String {
        parts.map { part in
            switch part {
            case .literal(let piece, _): return piece
            case .parameter(let name, _): return "${\(name)}"
            case .commandSubstitution: return "$(…)"
            case .processSubstitution: return "<(…)"
            case .arithmetic(let expression, _): return "$((\(expression)))"
            }
        }.joined()
    }

    /// Whether any part is unquoted text with a glob character (`*`, `?`, `[`).
    public var hasGlob: Bool {
        parts.contains { part in
            guard case .literal(let piece, false) = part else { return false }
            // `[` opens a bracket expression only when a `]` closes it: `[` alone is the test command.
            var sawBracket = false
            for byte in piece.utf8 {
                switch byte {
                case UInt8(ascii: "*"), UInt8(ascii: "?"): return true
                case UInt8(ascii: "["): sawBracket = true
                case UInt8(ascii: "]") where sawBracket: return true
                default: continue
                }
            }
            return false
        }
    }

    /// The command lists inside this word's substitutions.
    public var substitutions: [CommandList] {
        parts.flatMap { part -> [CommandList] in
            switch part {
            case .commandSubstitution(let list), .processSubstitution(let list): return [list]
            case .parameter(_, let inside), .arithmetic(_, let inside): return inside
            case .literal: return []
            }
        }
    }
}

public struct Redirection: Sendable, Equatable {
    /// The file descriptor written before the operator (`2>`), if any.
    public var descriptor: Int?
    public var operation: Operation
    /// The file, the descriptor (`>&2`) or the here-document's delimiter.
    public var target: Word
    /// A here-document's body; when its delimiter was unquoted, the body's expansions are in `hereDocument`.
    public var hereDocumentBody: String?
    /// The body of an unquoted here-document read as a double-quoted word, so that its substitutions are seen.
    public var hereDocument: Word?

    public enum Operation: String, Sendable, Equatable {
        case input = "<"
        case output = ">"
        case append = ">>"
        case clobber = ">|"
        case readWrite = "<>"
        case duplicateInput = "<&"
        case duplicateOutput = ">&"
        case outputAndError = "&>"
        case appendOutputAndError = "&>>"
        case hereDocument = "<<"
        case hereDocumentStrippingTabs = "<<-"
        case hereString = "<<<"

        /// Whether it writes to its target (creating or replacing a file).
        public var writes: Bool {
            switch self {
            case .output, .append, .clobber, .readWrite, .outputAndError, .appendOutputAndError: return true
            case .duplicateOutput: return true
            default: return false
            }
        }
    }
}
