import BlastwallCore
import ShellSyntax

/// One program a command line runs, with its wrappers removed and its name resolved: what a recogniser reads.
public struct Invocation: Sendable {
    /// The program's name: `/usr/bin/git` and `\git` are `git`.
    public var program: String
    public var arguments: [Argument]
    /// `VAR=value` before it, or exported earlier on the line.
    public var variables: [String: String]
    public var redirections: [Redirection]
    /// The wrappers it was found inside, outermost first: `sudo`, `bash -c`, `ssh db1`.
    public var wrappers: [String]
    /// Signals the wrappers gave: `kubectl exec --context prod-eu` runs its command in prod.
    public var inheritedSignals: [EnvironmentSignal]
    /// The directory it runs in, where the line's `cd` commands can be followed; nil when they cannot.
    public var directory: String?
    /// Whether its standard input comes from a pipe or a file the guard cannot read.
    public var readsUnknownInput: Bool
    /// The body of a here-document or here-string on its standard input, when one is.
    public var hereDocument: String?
    /// Runs on another machine (`ssh HOST CMD`): local paths say nothing about it.
    public var isRemote: Bool
    /// False when the program's name depends on an expansion (`$CMD`, `$(…)`, a glob): what runs is unknown.
    public var isProgramLiteral = true

    /// The command as written, wrappers left out: `git push --force origin main`.
    public var text: String { ([program] + arguments.map(\.shown)).joined(separator: " ") }

    public init(
        program: String, arguments: [Argument], variables: [String: String] = [:], redirections: [Redirection] = [],
        wrappers: [String] = [], inheritedSignals: [EnvironmentSignal] = [], directory: String? = nil,
        readsUnknownInput: Bool = false, hereDocument: String? = nil, isRemote: Bool = false
    ) {
        self.program = program
        self.arguments = arguments
        self.variables = variables
        self.redirections = redirections
        self.wrappers = wrappers
        self.inheritedSignals = inheritedSignals
        self.directory = directory
        self.readsUnknownInput = readsUnknownInput
        self.hereDocument = hereDocument
        self.isRemote = isRemote
    }

    /// The arguments' values; an argument with an expansion gives its text as written (`${DIR}/x`).
    public var values: [String] { arguments.map(\.value) }

    /// Arguments that are not options, in order; `--` ends options.
    public var operands: [String] {
        var found: [String] = []
        var optionsEnded = false
        for argument in arguments {
            if !optionsEnded, argument.value == "--" {
                optionsEnded = true
            } else if optionsEnded || !argument.value.hasPrefix("-") || argument.value == "-" {
                found.append(argument.value)
            }
        }
        return found
    }

    /// Whether a flag is present: `-f` also matches bundled short flags (`-rf`), `--force` also `--force=…`.
    public func has(_ flags: String...) -> Bool { flags.contains { flag in arguments.contains { $0.isFlag(flag) } } }

    /// Whether a flag is among the options before the first operand: a wrapper's own, not its command's.
    public func hasLeading(_ flags: String...) -> Bool {
        let leading = arguments.prefix { $0.value.hasPrefix("-") && $0.value != "--" }
        return flags.contains { flag in leading.contains { $0.isFlag(flag) } }
    }

    /// The value of an option given as `--name value`, `--name=value`, `-n value` or `-nvalue`.
    public func value(of names: String...) -> String? {
        let values = self.values
        for (index, argument) in values.enumerated() {
            if argument == "--" { return nil }
            for name in names {
                if argument == name, index + 1 < values.count { return values[index + 1] }
                if name.hasPrefix("--"), argument.hasPrefix(name + "=") { return String(argument.dropFirst(name.count + 1)) }
                if !name.hasPrefix("--"), name.count == 2, argument.hasPrefix(name), argument.count > 2, !argument.hasPrefix("--") {
                    return String(argument.dropFirst(2))
                }
            }
        }
        return nil
    }

    /// Every value of a repeatable option.
    public func allValues(of names: String...) -> [String] {
        let values = self.values
        var found: [String] = []
        var index = 0
        while index < values.count {
            let argument = values[index]
            for name in names {
                if argument == name, index + 1 < values.count {
                    found.append(values[index + 1])
                    index += 1
                } else if name.hasPrefix("--"), argument.hasPrefix(name + "=") {
                    found.append(String(argument.dropFirst(name.count + 1)))
                } else if !name.hasPrefix("--"), name.count == 2, argument.hasPrefix(name), argument.count > 2,
                    !argument.hasPrefix("--")
                {
                    found.append(String(argument.dropFirst(2)))
                }
            }
            index += 1
        }
        return found
    }
}

/// One argument: its value when it has no expansion, else its text as written.
public struct Argument: Sendable, Equatable {
    public var value: String
    /// False when it depends on an expansion (`$DIR`, `$(…)`) or an unquoted glob: its real value is unknown.
    public var isLiteral: Bool

    public init(_ value: String, isLiteral: Bool = true) {
        self.value = value
        self.isLiteral = isLiteral
    }

    /// How a reason shows it: quoted when it holds a space.
    public var shown: String { value.contains(" ") || value.isEmpty ? "'\(value)'" : value }

    /// `-f` matches `-f`, and `-rf` when it is a bundle of short flags; `--force` matches `--force` and `--force=…`.
    public func isFlag(_ flag: String) -> Bool {
        if flag.hasPrefix("--") { return value == flag || value.hasPrefix(flag + "=") }
        guard flag.count == 2, value.hasPrefix("-"), !value.hasPrefix("--"), value.count >= 2 else { return value == flag }
        // Only a bundle of letters (`-rf`) holds several flags; `-var-file=x` is one option.
        let bundle = value.dropFirst()
        return bundle.allSatisfy(\.isLetter) && bundle.contains(flag.last!)
    }
}

extension StringProtocol {
    /// Whether the text holds `needle`, compared byte by byte: the standard search builds tables per call,
    /// far more than the short paths and words searched here need.
    func includes(_ needle: String) -> Bool {
        let needle = Array(needle.utf8)
        guard let first = needle.first else { return true }
        let bytes = Array(utf8)
        guard bytes.count >= needle.count else { return false }
        var index = 0
        while index <= bytes.count - needle.count {
            if bytes[index] == first, bytes[index..<index + needle.count].elementsEqual(needle) { return true }
            index += 1
        }
        return false
    }
}
