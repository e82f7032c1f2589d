import BlastwallCore

/// python, node, perl, ruby, …: code given inline is opaque unless it is trivially read-only (it prints); a
/// script file is opaque.
struct InterpreterRecognizer: CommandRecognizer {
    let programs = [
        "python", "python3", "python2", "node", "nodejs", "perl", "ruby", "php", "lua", "Rscript", "osascript", "pwsh", "powershell",
        "tclsh", "awk", "gawk", "mawk", "jshell", "groovy", "julia", "irb",
    ]

    /// Words that can reach the file system, processes, the network or the interpreter itself.
    static let reaching = [
        "open", "write", "remove", "unlink", "rmtree", "rmdir", "mkdir", "rename", "replace", "system", "popen", "subprocess",
        "exec", "eval", "spawn", "fork", "socket", "request", "urllib", "http", "fetch", "fs", "child_process", "shutil", "os.",
        "File", "Dir", "IO", "kill", "`", "__import__", "compile", "getattr", "import", "require", "load", "pathlib", "glob", "sys.",
        "process", "Deno", "Bun", "truncate", "chmod", "chown", "delete", "drop", "$", "@", "qx", "sysread", "syswrite", "<", ">",
        "|", "getline", "print >", "ENV", "env",
    ]

    func recognize(_ invocation: Invocation, in context: CommandContext) -> Recognition {
        var recognition = Recognition(tool: invocation.program)
        if ["awk", "gawk", "mawk"].contains(invocation.program) {
            let program = invocation.operands.first ?? ""
            let reaches = ["system", "|", ">", "getline"].contains { program.includes($0) }
            if invocation.has("-i") || invocation.values.contains("inplace") {
                recognition.add(.write, invocation.text, "awk -i inplace rewrites files")
            } else if reaches {
                recognition.findings.append(.opaque(invocation.text, "the awk program runs commands or writes files"))
            } else {
                recognition.add(.read, invocation.text, "awk prints")
            }
            return recognition
        }
        let inline =
            invocation.value(of: "-c", "-e", "--eval", "-E", "-r", "-Command", "--command") ?? invocation.value(of: "-p", "--print")
        if let code = inline {
            recognition.verb = "inline"
            if Self.isTriviallyReadOnly(code) {
                recognition.add(.read, code, "inline code that only prints")
            } else {
                recognition.findings.append(.opaque(code, "inline \(invocation.program) code, which the guard cannot follow"))
            }
            return recognition
        }
        if invocation.has("--version", "-V", "--help", "-h") {
            recognition.add(.read, invocation.text, "prints its version")
            return recognition
        }
        if let module = invocation.value(of: "-m") {
            recognition.verb = module
            let tools = [
                "pytest", "unittest", "mypy", "black", "ruff", "flake8", "pylint", "doctest", "coverage", "build", "venv", "compileall",
            ]
            if ["json.tool", "pydoc", "this", "site", "platform", "sysconfig", "timeit", "tokenize", "ast", "dis"].contains(module) {
                recognition.add(.read, "-m \(module)", "a module that only prints")
            } else if tools.contains(module) {
                recognition.add(.write, "-m \(module)", "runs the project's tests or tools locally")
            } else if module == "pip" {
                return PackageRecognizer().recognize(
                    Invocation(program: "pip", arguments: Array(invocation.arguments.drop { $0.value != "pip" }.dropFirst())), in: context)
            } else {
                recognition.findings.append(.opaque("-m \(module)", "runs the module \(module), which the guard cannot follow"))
            }
            return recognition
        }
        if let script = invocation.operands.first {
            recognition.verb = "script"
            recognition.findings.append(
                .opaque("\(invocation.program) \(script)", "runs the script \(script), which the guard cannot see into"))
        } else if let body = invocation.hereDocument {
            recognition.findings.append(
                Self.isTriviallyReadOnly(body)
                    ? Finding(.read, body, "inline code that only prints")
                    : .opaque(body, "code on its input, which the guard cannot follow"))
        } else {
            recognition.findings.append(.opaque(invocation.text, "an interpreter reading code the guard cannot see"))
        }
        return recognition
    }

    /// Short code that names nothing able to reach outside: `print(1 + 1)`, `console.log("x")`.
    static func isTriviallyReadOnly(_ code: String) -> Bool {
        guard code.utf8.count <= 300 else { return false }
        var stripped = code
        for safe in ["import json", "import math", "import platform", "import datetime", "console.log", "print"] {
            stripped = stripped.replacing(safe, with: " ")
        }
        return !reaching.contains { stripped.includes($0) }
    }
}
