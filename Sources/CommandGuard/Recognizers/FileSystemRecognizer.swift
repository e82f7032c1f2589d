import BlastwallCore

/// Files and disks: `rm`, `mv`/`cp` over existing paths, `dd`, `shred`, `truncate`, `chmod -R`, `sed -i`, `tee`,
/// `find -delete/-exec`; judged by where the path lies (inside the working tree, git can tell what changed).
struct FileSystemRecognizer: CommandRecognizer {
    let programs = [
        "rm", "rmdir", "unlink", "mv", "cp", "dd", "shred", "truncate", "chmod", "chown", "chgrp", "tee", "sed", "ln", "mkdir",
        "touch", "install", "rsync", "find", "mkfs", "wipefs", "fdisk", "sfdisk", "parted", "srm", "wipe", "fallocate", "setfacl",
        "chattr", "patch", "tar", "unzip", "gzip", "gunzip", "zip",
    ]

    /// What a command does to a path.
    enum Action {
        case remove, overwrite, modify, modifyRecursively, create

        var verb: String {
            switch self {
            case .remove: "removes"
            case .overwrite: "writes"
            case .modify, .modifyRecursively: "changes"
            case .create: "creates"
            }
        }
    }

    func recognize(_ invocation: Invocation, in context: CommandContext) -> Recognition {
        let program = invocation.program.hasPrefix("mkfs") ? "mkfs" : invocation.program
        var recognition = Recognition(tool: "filesystem", verb: program)
        let operands = invocation.operands
        func judge(_ paths: [String], _ action: Action) {
            for path in paths {
                recognition.paths.append(path)
                if let finding = Self.judge(path, action, words: "\(program) \(path)", invocation, context) {
                    recognition.findings.append(finding)
                }
            }
        }
        switch program {
        case "rm", "unlink", "srm":
            if operands.isEmpty { recognition.add(.read, program, "removes nothing") }
            judge(operands, .remove)
        case "rmdir":
            judge(operands, .create)  // only empty directories
        case "shred", "wipe":
            recognition.add(.destructive, invocation.text, "\(program) destroys file contents beyond recovery")
            judge(operands, .remove)
        case "truncate", "fallocate":
            judge(
                Self.operands(invocation, valueOptions: ["-s", "--size", "-r", "--reference", "-o", "-l", "--offset", "--length"]), .remove)
        case "mv":
            guard operands.count >= 2 else { break }
            judge(Array(operands.dropLast()), .remove)
            judge([operands.last!], Self.destinationAction(operands.last!, invocation, context))
        case "cp", "install", "ln":
            guard operands.count >= 2 || program == "install" else { break }
            if let destination = invocation.value(of: "-t", "--target-directory") ?? operands.last {
                judge([destination], Self.destinationAction(destination, invocation, context))
            }
        case "dd":
            for value in invocation.values where value.hasPrefix("of=") {
                let target = String(value.dropFirst(3))
                if target.hasPrefix("/dev/"), !Self.harmlessDevices.contains(target) {
                    recognition.add(.destructive, value, "dd writes straight onto the device \(target)")
                } else {
                    judge([target], .overwrite)
                }
            }
            if !invocation.values.contains(where: { $0.hasPrefix("of=") }) { recognition.add(.read, program, "dd to standard output") }
        case "mkfs", "wipefs", "fdisk", "sfdisk", "parted":
            recognition.add(.destructive, invocation.text, "\(program) rewrites a disk or partition, erasing what is on it")
        case "chmod", "chown", "chgrp", "setfacl", "chattr":
            let targets = Array(Self.operands(invocation, valueOptions: ["--reference"]).dropFirst())
            judge(targets, invocation.has("-R", "--recursive") ? .modifyRecursively : .modify)
        case "tee":
            judge(operands, invocation.has("-a", "--append") ? .modify : .overwrite)
            if operands.isEmpty { recognition.add(.read, program, "tee to standard output") }
        case "sed":
            guard invocation.arguments.contains(where: { $0.isFlag("-i") || $0.isFlag("--in-place") }) else {
                recognition.add(.read, program, "sed without -i prints")
                break
            }
            let hasScriptOption = invocation.has("-e", "--expression", "-f", "--file")
            let files = Self.operands(invocation, valueOptions: ["-e", "--expression", "-f", "--file", "-l", "--line-length"])
            judge(hasScriptOption ? files : Array(files.dropFirst()), .overwrite)
        case "mkdir", "touch", "patch":
            judge(operands.isEmpty ? ["."] : operands, program == "patch" ? .modify : .create)
        case "tar", "unzip", "gzip", "gunzip", "zip":
            let extracts = program == "unzip" || program == "gunzip" || invocation.has("-x", "--extract")
            let creates = invocation.has("-c", "--create", "-r", "-u")
            if let archive = invocation.value(of: "-f", "--file"), creates || program == "zip" {
                judge([archive], .overwrite)
            }
            if extracts || creates || program == "gzip" {
                recognition.add(.write, invocation.text, "\(program) writes files")
            } else {
                recognition.add(.read, invocation.text, "\(program) lists an archive")
            }
        case "rsync":
            guard let destination = operands.last, operands.count >= 2 else { break }
            if let colon = destination.firstIndex(of: ":"), !destination.hasPrefix("/") {
                let host = destination[..<colon].split(separator: "@").last.map(String.init) ?? ""
                recognition.signals.append(EnvironmentSignal(.sshHosts, host))
                let deletes = invocation.values.contains { $0.hasPrefix("--delete") || $0 == "--remove-source-files" }
                recognition.add(
                    deletes ? .destructive : .write, invocation.text,
                    deletes ? "rsync --delete removes files on \(host) that the source lacks" : "copies files to \(host)")
            } else {
                let deletes = invocation.values.contains { $0.hasPrefix("--delete") }
                judge([destination], deletes ? .remove : .create)
            }
        case "find":
            find(invocation, context, &recognition)
        default:
            break
        }
        if recognition.findings.isEmpty { recognition.add(.read, program, "\(program) changes nothing here") }
        return recognition
    }

    /// `find PATHS… -delete`, `-exec CMD {} ;`: the command runs on what is found under the paths.
    private func find(_ invocation: Invocation, _ context: CommandContext, _ recognition: inout Recognition) {
        let values = invocation.values
        let roots = values.prefix { !$0.hasPrefix("-") && $0 != "(" && $0 != "!" }
        let searched = roots.isEmpty ? ["."] : Array(roots)
        // With a test (`-name`, `-type`, …) what is deleted lies under the paths; without one, the paths go too.
        let filters = values.contains {
            $0.hasPrefix("-") && !["-delete", "-depth", "-maxdepth", "-mindepth", "-xdev", "-mount", "-L", "-H", "-P"].contains($0)
        }
        if values.contains("-delete") {
            for root in searched {
                let target = filters ? (root == "/" ? "/{}" : root + "/{}") : root
                if let finding = Self.judge(target, .remove, words: "find \(root) -delete", invocation, context) {
                    recognition.findings.append(finding)
                }
            }
        }
        var index = 0
        while index < values.count {
            guard ["-exec", "-execdir", "-ok", "-okdir"].contains(values[index]) else {
                index += 1
                continue
            }
            let start = index + 1
            var end = start
            while end < values.count, values[end] != ";", values[end] != "+" { end += 1 }
            if start < end {
                // `{}` is each file found: somewhere under the searched paths.
                let root = searched[0]
                let arguments = invocation.arguments[start..<end].map { argument in
                    argument.value == "{}" ? Argument(root == "/" ? "/{}" : root + "/{}") : argument
                }
                let head = arguments[0]
                recognition.nested.append(
                    .invocation(
                        Invocation(
                            program: CommandReader.programName(head.value), arguments: Array(arguments.dropFirst()),
                            variables: invocation.variables, wrappers: invocation.wrappers + ["find \(values[index])"],
                            inheritedSignals: invocation.inheritedSignals, directory: invocation.directory,
                            isRemote: invocation.isRemote)))
            }
            index = end + 1
        }
        if recognition.findings.isEmpty, recognition.nested.isEmpty { recognition.add(.read, "find", "find only lists") }
    }

    static let harmlessDevices: Set<String> = [
        "/dev/null", "/dev/stdout", "/dev/stderr", "/dev/tty", "/dev/zero", "/dev/fd/1", "/dev/fd/2",
    ]

    /// Overwriting an existing file replaces it; into an existing directory, a new file is made.
    static func destinationAction(_ destination: String, _ invocation: Invocation, _ context: CommandContext) -> Action {
        guard let absolute = context.absolute(destination, from: invocation.directory) else { return .overwrite }
        return context.exists(absolute) && !destination.hasSuffix("/") ? .overwrite : .create
    }

    /// Operands, with the values of the given options skipped.
    static func operands(_ invocation: Invocation, valueOptions: Set<String>) -> [String] {
        var found: [String] = []
        var skipNext = false
        var optionsEnded = false
        for value in invocation.values {
            if skipNext {
                skipNext = false
                continue
            }
            if !optionsEnded, value == "--" {
                optionsEnded = true
                continue
            }
            if !optionsEnded, value.hasPrefix("-"), value != "-" {
                skipNext = valueOptions.contains(value)
                continue
            }
            found.append(value)
        }
        return found
    }

    /// What doing `action` to `path` is: inside the working tree a write (git can tell), outside it or to the
    /// history itself destructive; the guard's own files are destructive everywhere. Nil for a harmless device.
    static func judge(_ path: String, _ action: Action, words: String, _ invocation: Invocation, _ context: CommandContext) -> Finding? {
        if harmlessDevices.contains(path) || path == "-" { return nil }
        if path.utf8.contains(UInt8(ascii: "$")) || path.utf8.contains(UInt8(ascii: "`")) || path.includes("{standard input}")
            || path.includes("{arguments}")
        {
            return Finding(
                action == .create || action == .modify ? .write : .destructive, words,
                "\(action.verb) a path that depends on an expansion (\(path)), so it may be anywhere")
        }
        if invocation.isRemote {
            return Finding(action == .create ? .write : .destructive, words, "\(action.verb) \(path) on another machine")
        }
        if invocation.directory == nil, !path.hasPrefix("/"), !path.hasPrefix("~") {
            return Finding(
                action == .create ? .write : .destructive, words,
                "\(action.verb) \(path) after a 'cd' the guard could not follow, so it may be anywhere")
        }
        guard let absolute = context.absolute(path, from: invocation.directory) else {
            return Finding(.destructive, words, "\(action.verb) \(path), which depends on the home directory")
        }
        let placement = context.placement(of: absolute)
        if case .inside(let relative) = placement, GuardFiles.isGuardFile(relative) {
            return Finding(.destructive, words, "\(action.verb) \(relative), part of the guard's own configuration", isGuardWrite: true)
        }
        if placement == .outside, GuardFiles.isGuardFile(absolute) {
            return Finding(.destructive, words, "\(action.verb) \(absolute), part of the guard's own configuration", isGuardWrite: true)
        }
        switch placement {
        case .inside(let relative):
            return Finding(.write, words, "\(action.verb) \(relative) inside the working tree")
        case .workingTreeRoot:
            if action == .remove || action == .modifyRecursively {
                return Finding(.destructive, words, "\(action.verb) the whole working tree")
            }
            return Finding(.write, words, "\(action.verb) the working tree")
        case .repositoryData:
            if action == .modify || action == .create { return Finding(.write, words, "\(action.verb) the repository's own data") }
            return Finding(.destructive, words, "\(action.verb) the repository's history (.git), which nothing can restore")
        case .outside:
            let scratch = ["/tmp/", "/var/tmp/"].contains { absolute.hasPrefix($0) && absolute.count > $0.count }
            if scratch { return Finding(.write, words, "\(action.verb) \(absolute), a temporary file") }
            switch action {
            case .remove:
                return Finding(.destructive, words, "removes \(absolute) outside the working tree, where nothing can restore it")
            case .overwrite:
                return context.exists(absolute)
                    ? Finding(.destructive, words, "replaces \(absolute), an existing file outside the working tree")
                    : Finding(.write, words, "creates \(absolute) outside the working tree")
            case .modifyRecursively:
                return Finding(.destructive, words, "changes everything under \(absolute), outside the working tree")
            case .modify, .create:
                return Finding(.write, words, "\(action.verb) \(absolute) outside the working tree")
            }
        }
    }
}
