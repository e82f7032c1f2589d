import BlastwallCore

/// Commands that run another command: seen through, so that `sudo env -i bash -c 'git push -f'` is `git push -f`.
enum Wrappers {
    enum Unwrapped {
        case invocation(Invocation)
        /// Text a shell reads: `bash -c '…'`, `eval …`, `ssh HOST '…'`.
        case script(String, wrapper: String, signals: [EnvironmentSignal], isRemote: Bool, variables: [String: String])
        /// Runs something the guard cannot see: an interactive shell, a script file.
        case opaque(Finding)
        /// Only looks: `command -v git`, `env` alone.
        case read(String)
    }

    static let shells: Set<String> = ["bash", "sh", "zsh", "dash", "ksh", "ash", "fish", "mksh", "busybox"]
    static let programs: Set<String> =
        shells.union([
            "sudo", "doas", "env", "command", "builtin", "exec", "nohup", "nice", "time", "timeout", "stdbuf", "ionice", "setsid",
            "chroot", "unbuffer", "caffeinate", "flock", "watch", "xargs", "parallel", "eval", "su", "ssh",
            "script", "nsenter", "chrt", "taskset", "systemd-run", "runuser", "gtimeout", "npx", "pnpx", "bunx",
        ])

    static func unwrap(_ invocation: Invocation) -> Unwrapped? {
        guard programs.contains(invocation.program) else { return nil }
        let arguments = invocation.arguments
        switch invocation.program {
        case "sudo", "doas", "runuser":
            let start = skipOptions(
                arguments, from: 0, valueOptions: ["-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U", "-T", "--user", "--group"])
            guard start < arguments.count else {
                return invocation.hasLeading("-s", "-i", "--shell", "--login")
                    ? .opaque(.opaque(invocation.text, "opens an interactive root shell, whose commands the guard cannot see"))
                    : .read("\(invocation.program) without a command")
            }
            return .invocation(inner(invocation, at: start))
        case "env":
            var index = 0
            var variables: [String: String] = [:]
            while index < arguments.count {
                let value = arguments[index].value
                if value == "-S" || value == "--split-string" || value.hasPrefix("--split-string=")
                    || (value.hasPrefix("-S") && value.count > 2)
                {
                    let text =
                        value == "-S" || value == "--split-string"
                        ? (index + 1 < arguments.count ? arguments[index + 1].value : "")
                        : (value.hasPrefix("-S") ? String(value.dropFirst(2)) : String(value.dropFirst("--split-string=".count)))
                    let rest = arguments.dropFirst(index + (value == "-S" || value == "--split-string" ? 2 : 1)).map(\.shown)
                    return .script(
                        ([text] + rest).joined(separator: " "), wrapper: "env -S", signals: [], isRemote: false, variables: variables)
                }
                if ["-u", "--unset", "-C", "--chdir"].contains(value) {
                    index += 2
                    continue
                }
                if value.hasPrefix("-") {
                    index += 1
                    continue
                }
                if let assignment = Self.assignment(value) {
                    variables[assignment.name] = assignment.value
                    index += 1
                    continue
                }
                break
            }
            guard index < arguments.count else { return .read("env without a command prints the environment") }
            var found = inner(invocation, at: index)
            found.variables.merge(variables) { $1 }
            return .invocation(found)
        case "command":
            if invocation.hasLeading("-v", "-V") { return .read("command -v only looks a name up") }
            let start = skipOptions(arguments, from: 0, valueOptions: [])
            return start < arguments.count ? .invocation(inner(invocation, at: start)) : .read("command alone")
        case "builtin", "nohup", "setsid", "unbuffer", "caffeinate", "npx", "pnpx", "bunx":
            let start = skipOptions(arguments, from: 0, valueOptions: ["-p", "--package"])
            return start < arguments.count ? .invocation(inner(invocation, at: start)) : .read("\(invocation.program) alone")
        case "exec", "time", "nice", "stdbuf", "ionice", "chrt", "taskset", "nsenter", "systemd-run":
            let valued: Set<String> = [
                "-a", "-n", "--adjustment", "-i", "-o", "-e", "-c", "-p", "-t", "--unit", "-u", "--uid", "-g", "--gid",
            ]
            var start = skipOptions(arguments, from: 0, valueOptions: valued)
            if ["chrt", "taskset"].contains(invocation.program), start < arguments.count { start += 1 }  // the priority or mask
            return start < arguments.count ? .invocation(inner(invocation, at: start)) : .read("\(invocation.program) alone")
        case "timeout", "gtimeout":
            let start = skipOptions(arguments, from: 0, valueOptions: ["-s", "--signal", "-k", "--kill-after"]) + 1  // the duration
            return start < arguments.count ? .invocation(inner(invocation, at: start)) : .read("timeout without a command")
        case "chroot", "flock":
            if invocation.program == "flock", let script = invocation.value(of: "-c", "--command") {
                return .script(script, wrapper: "flock -c", signals: [], isRemote: false, variables: [:])
            }
            let start = skipOptions(arguments, from: 0, valueOptions: ["-w", "--timeout", "-E", "--conflict-exit-code"]) + 1
            return start < arguments.count ? .invocation(inner(invocation, at: start)) : .read("\(invocation.program) alone")
        case "watch":
            let start = skipOptions(arguments, from: 0, valueOptions: ["-n", "--interval", "-q", "--equexit"])
            guard start < arguments.count else { return .read("watch alone") }
            if invocation.hasLeading("-x", "--exec") { return .invocation(inner(invocation, at: start)) }
            return .script(
                arguments[start...].map(\.value).joined(separator: " "), wrapper: "watch", signals: [], isRemote: false, variables: [:])
        case "xargs", "parallel":
            let valued: Set<String> = [
                "-I", "-i", "-n", "-P", "-L", "-l", "-d", "-E", "-e", "-s", "-a", "--max-args", "--max-procs", "--delimiter",
                "--arg-file", "--replace", "-j", "--jobs", "-S", "--sshlogin",
            ]
            let start = skipOptions(arguments, from: 0, valueOptions: valued)
            var found =
                start < arguments.count
                ? inner(invocation, at: start) : Invocation(program: "echo", arguments: [], wrappers: invocation.wrappers)
            if invocation.program == "parallel", let separator = found.arguments.firstIndex(where: { $0.value == ":::" }) {
                found.arguments = Array(found.arguments[..<separator]) + [Argument("{arguments}", isLiteral: false)]
            } else {
                found.arguments.append(Argument("{standard input}", isLiteral: false))
            }
            found.readsUnknownInput = true
            return .invocation(found)
        case "eval":
            return .script(arguments.map(\.value).joined(separator: " "), wrapper: "eval", signals: [], isRemote: false, variables: [:])
        case "su":
            if let script = invocation.value(of: "-c", "--command") {
                return .script(script, wrapper: "su -c", signals: [], isRemote: false, variables: [:])
            }
            return .opaque(.opaque(invocation.text, "opens a shell as another user, whose commands the guard cannot see"))
        case "script":
            if let script = invocation.value(of: "-c", "--command") {
                return .script(script, wrapper: "script -c", signals: [], isRemote: false, variables: [:])
            }
            return .opaque(.opaque(invocation.text, "records an interactive shell, whose commands the guard cannot see"))
        case "ssh":
            return ssh(invocation)
        default:
            return shell(invocation)
        }
    }

    /// `bash -c SCRIPT`, `bash FILE`, `bash <<EOF`, `curl … | sh`.
    private static func shell(_ invocation: Invocation) -> Unwrapped {
        let arguments = invocation.arguments
        var index = invocation.program == "busybox" ? 1 : 0
        if invocation.program == "busybox" {
            // `busybox rm -rf x` is `rm -rf x`.
            guard let applet = arguments.first, !shells.contains(applet.value) else {
                return index < arguments.count ? shell(inner(invocation, at: 0)) : .read("busybox alone")
            }
            return .invocation(inner(invocation, at: 0))
        }
        while index < arguments.count {
            let value = arguments[index].value
            if value == "--" {
                index += 1
                break
            }
            if value.hasPrefix("-") || value.hasPrefix("+") {
                if value.hasPrefix("--") {
                    if value == "--rcfile" || value == "--init-file" { index += 1 }
                } else if value.dropFirst().contains("c"), value.hasPrefix("-") {
                    guard index + 1 < arguments.count else {
                        return .opaque(.opaque(invocation.text, "'-c' without a script"))
                    }
                    let script = arguments[index + 1]
                    guard script.isLiteral else {
                        return .opaque(.opaque(invocation.text, "the script given to '\(invocation.program) -c' depends on an expansion"))
                    }
                    return .script(script.value, wrapper: "\(invocation.program) -c", signals: [], isRemote: false, variables: [:])
                } else if value.dropFirst().contains("o") {
                    index += 1
                }
                index += 1
                continue
            }
            break
        }
        if index < arguments.count {
            return .opaque(
                .opaque(
                    "\(invocation.program) \(arguments[index].shown)",
                    "runs the script file \(arguments[index].shown), whose commands the guard cannot see"))
        }
        if let body = invocation.hereDocument {
            return .script(body, wrapper: "\(invocation.program) <<here-document", signals: [], isRemote: false, variables: [:])
        }
        if invocation.readsUnknownInput {
            return .opaque(.opaque(invocation.text, "runs a script read from its input, which the guard cannot see"))
        }
        return .opaque(.opaque(invocation.text, "opens an interactive shell, whose commands the guard cannot see"))
    }

    private static func ssh(_ invocation: Invocation) -> Unwrapped {
        let valued: Set<String> = [
            "-b", "-c", "-D", "-E", "-e", "-F", "-I", "-i", "-J", "-L", "-l", "-m", "-O", "-o", "-p", "-Q", "-R", "-S", "-W", "-w", "-B",
        ]
        let start = skipOptions(invocation.arguments, from: 0, valueOptions: valued)
        guard start < invocation.arguments.count else { return .read("ssh without a host") }
        var host = invocation.arguments[start].value
        if let at = host.lastIndex(of: "@") { host = String(host[host.index(after: at)...]) }
        if host.hasPrefix("ssh://") { host = String(host.dropFirst(6)) }
        if let colon = host.firstIndex(of: ":") { host = String(host[..<colon]) }
        let signals = [EnvironmentSignal(.sshHosts, host)]
        let rest = invocation.arguments.dropFirst(start + 1)
        guard !rest.isEmpty else {
            if let body = invocation.hereDocument {
                return .script(body, wrapper: "ssh \(host)", signals: signals, isRemote: true, variables: [:])
            }
            return .opaque(.opaque(invocation.text, "opens an interactive session on \(host), whose commands the guard cannot see"))
        }
        // The remote side joins the words with spaces and hands them to its shell.
        return .script(rest.map(\.value).joined(separator: " "), wrapper: "ssh \(host)", signals: signals, isRemote: true, variables: [:])
    }

    /// The invocation that starts at `index`, wrapped by the one given.
    static func inner(_ invocation: Invocation, at start: Int, wrapper: String? = nil) -> Invocation {
        var found = invocation
        // `sudo VAR=value cmd` sets VAR for cmd (other wrappers would fail to run `VAR=value`: reading it so is safe).
        var index = start
        while index + 1 < invocation.arguments.count, let assignment = Self.assignment(invocation.arguments[index].value) {
            found.variables[assignment.name] = assignment.value
            index += 1
        }
        let head = invocation.arguments[index]
        found.program = head.isLiteral ? CommandReader.programName(head.value) : head.value
        found.isProgramLiteral = head.isLiteral
        found.arguments = Array(invocation.arguments[(index + 1)...])
        found.wrappers.append(wrapper ?? invocation.program)
        return found
    }

    /// `NAME=value`, when the word is one.
    static func assignment(_ word: String) -> (name: String, value: String)? {
        guard let equals = word.firstIndex(of: "="), equals != word.startIndex else { return nil }
        let name = word[..<equals]
        guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }), !name.first!.isNumber else { return nil }
        return (String(name), String(word[word.index(after: equals)...]))
    }

    /// The index of the first operand: options (and the values of those in `valueOptions`) skipped.
    static func skipOptions(_ arguments: [Argument], from start: Int, valueOptions: Set<String>) -> Int {
        var index = start
        while index < arguments.count {
            let value = arguments[index].value
            if value == "--" { return index + 1 }
            guard value.hasPrefix("-"), value.count > 1 else { return index }
            if valueOptions.contains(value) { index += 1 }
            index += 1
        }
        return index
    }
}
