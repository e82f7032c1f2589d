import BlastwallCore
import ShellSyntax

/// Walks a command line's syntax tree in the order a shell would run it and lists every invocation, each with
/// the directory and variables the earlier commands on the line left (`cd`, `export`).
struct CommandReader {
    private(set) var invocations: [Invocation] = []
    private var directory: String?
    private var variables: [String: String] = [:]
    private let wrappers: [String]
    private let inheritedSignals: [EnvironmentSignal]
    private let isRemote: Bool

    init(directory: String?, wrappers: [String] = [], inheritedSignals: [EnvironmentSignal] = [], isRemote: Bool = false) {
        self.directory = directory
        self.wrappers = wrappers
        self.inheritedSignals = inheritedSignals
        self.isRemote = isRemote
    }

    var wrapperNames: [String] { wrappers }

    /// Variables a wrapper set (`env A=b bash -c …`) before the script begins.
    mutating func preset(variables: [String: String]) { self.variables.merge(variables) { $1 } }

    mutating func read(_ list: CommandList, stdinIsUnknown: Bool = false) {
        for item in list.items {
            for pipeline in item.command.pipelines {
                for (index, command) in pipeline.commands.enumerated() {
                    read(command, piped: stdinIsUnknown || index > 0)
                }
            }
        }
    }

    private mutating func read(_ command: Command, piped: Bool) {
        switch command {
        case .simple(let simple):
            read(simple, piped: piped)
        case .subshell(let list, let redirections):
            // A subshell's `cd` and variables do not leak out.
            let saved = (directory, variables)
            read(list, stdinIsUnknown: piped)
            (directory, variables) = saved
            readRedirections(redirections)
        case .group(let list, let redirections):
            read(list, stdinIsUnknown: piped)
            readRedirections(redirections)
        case .compound(_, let header, let bodies, let redirections):
            for word in header { readSubstitutions(word) }
            for body in bodies { read(body, stdinIsUnknown: piped) }
            readRedirections(redirections)
        case .function(_, let body):
            read(body, piped: piped)
        case .test(_, let words):
            for word in words { readSubstitutions(word) }
        }
    }

    private mutating func readSubstitutions(_ word: Word) {
        for list in word.substitutions {
            let saved = (directory, variables)
            read(list)
            (directory, variables) = saved
        }
    }

    /// Redirections of a compound command: written files are seen as an invocation without a program.
    private mutating func readRedirections(_ redirections: [Redirection]) {
        for redirection in redirections {
            readSubstitutions(redirection.target)
            if let body = redirection.hereDocument { readSubstitutions(body) }
        }
        guard redirections.contains(where: { $0.operation.writes }) else { return }
        invocations.append(invocation(program: "", arguments: [], redirections: redirections, piped: false))
    }

    private mutating func read(_ simple: SimpleCommand, piped: Bool) {
        for word in simple.words { readSubstitutions(word) }
        for assignment in simple.assignments { readSubstitutions(assignment.value) }
        for redirection in simple.redirections {
            readSubstitutions(redirection.target)
            if let body = redirection.hereDocument { readSubstitutions(body) }
        }
        let assigned = Dictionary(
            simple.assignments.map { ($0.name, $0.value.literalValue ?? $0.value.text) }, uniquingKeysWith: { $1 })
        guard let first = simple.words.first else {
            // `VAR=value` alone sets a shell variable; commands later on the line may export or use it.
            variables.merge(assigned) { $1 }
            if simple.redirections.contains(where: { $0.operation.writes }) {
                invocations.append(invocation(program: "", arguments: [], redirections: simple.redirections, piped: piped))
            }
            return
        }
        let arguments = simple.words.dropFirst().map { word in
            Argument(word.literalValue ?? word.text, isLiteral: word.literalValue != nil && !word.hasGlob)
        }
        guard let name = first.literalValue else {
            var opaque = invocation(program: first.text, arguments: Array(arguments), redirections: simple.redirections, piped: piped)
            opaque.variables.merge(assigned) { $1 }
            opaque.isProgramLiteral = false
            invocations.append(opaque)
            return
        }
        let program = Self.programName(name)
        switch program {
        case "cd", "pushd":
            let target = arguments.first { !$0.value.hasPrefix("-") }
            if let target, target.isLiteral, let directory {
                self.directory = Self.join(directory, target.value)
            } else if target == nil {
                self.directory = nil  // `cd` alone goes home
            } else {
                self.directory = nil
            }
            return
        case "export", "declare", "typeset", "local", "readonly":
            for argument in arguments where argument.value.contains("=") && !argument.value.hasPrefix("-") {
                let parts = argument.value.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                variables[String(parts[0])] = String(parts[1])
            }
            return
        default:
            break
        }
        var found = invocation(program: program, arguments: Array(arguments), redirections: simple.redirections, piped: piped)
        found.variables.merge(assigned) { $1 }
        found.isProgramLiteral = !first.hasGlob
        invocations.append(found)
    }

    private func invocation(program: String, arguments: [Argument], redirections: [Redirection], piped: Bool) -> Invocation {
        var hereDocument: String?
        var unknownInput = piped
        for redirection in redirections {
            switch redirection.operation {
            case .hereDocument, .hereDocumentStrippingTabs: hereDocument = redirection.hereDocumentBody
            case .hereString: hereDocument = redirection.target.literalValue ?? redirection.target.text
            case .input, .readWrite, .duplicateInput:
                if redirection.descriptor == nil || redirection.descriptor == 0 { unknownInput = true }
            default: break
            }
        }
        return Invocation(
            program: program, arguments: arguments, variables: variables, redirections: redirections, wrappers: wrappers,
            inheritedSignals: inheritedSignals, directory: directory, readsUnknownInput: unknownInput && hereDocument == nil,
            hereDocument: hereDocument, isRemote: isRemote)
    }

    /// `/usr/bin/git` → `git`; `\git` is already `git` once its quoting is read.
    static func programName(_ written: String) -> String {
        guard let slash = written.lastIndex(of: "/") else { return written }
        let name = written[written.index(after: slash)...]
        return name.isEmpty ? written : String(name)
    }

    static func join(_ directory: String, _ path: String) -> String? {
        if path.hasPrefix("~") || path == "-" { return nil }
        return path.hasPrefix("/") ? path : directory + "/" + path
    }
}
