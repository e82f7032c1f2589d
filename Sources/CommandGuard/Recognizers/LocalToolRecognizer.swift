import BlastwallCore

/// Everyday tools that only look (`ls`, `grep`, `cat`, `echo`) or only print: reading, whatever their
/// arguments say (`grep "rm -rf" notes.md` searches for text). What they write goes through redirections,
/// which are judged separately.
struct LocalToolRecognizer: CommandRecognizer {
    let programs = [
        "ls", "cat", "grep", "egrep", "fgrep", "rg", "ag", "ack", "echo", "printf", "head", "tail", "wc", "pwd", "whoami", "which",
        "type", "date", "true", "false", "test", "[", "jq", "yq", "less", "more", "sort", "uniq", "cut", "tr", "diff", "cmp", "stat",
        "file", "du", "df", "ps", "top", "htop", "uname", "hostname", "id", "groups", "tree", "basename", "dirname", "realpath",
        "readlink", "md5sum", "sha256sum", "sha1sum", "shasum", "cksum", "base64", "xxd", "hexdump", "od", "strings", "nl", "column",
        "fold", "fmt", "paste", "join", "comm", "expand", "unexpand", "rev", "tac", "seq", "sleep", "yes", "env", "printenv",
        "locale", "uptime", "free", "vmstat", "iostat", "lsof", "netstat", "ss", "ip", "ifconfig", "ping", "dig", "nslookup", "host",
        "traceroute", "whois", "man", "info", "help", "history", "alias", "set", "unset", "source", ".", "exit", "return", "shift",
        "read", "wait", "jobs", "fg", "bg", "trap", "umask", "ulimit", "hash", "getent", "lsblk", "blkid", "mount", "findmnt",
        "lscpu", "nproc", "arch", "tput", "clear", "reset", "bat", "fd", "fzf", "delta", "tokei", "cloc", "shellcheck", "gh",
        "glab", "openssl", "ssh-keygen", "gpg", "zcat", "zgrep", "zless", "bzcat", "xzcat", "journalctl", "dmesg", "last", "w",
        "who", "finger", "stty", "tty", "cal", "bc", "dc", "expr", "let", "getopts", "mktemp", "sponge", "pv", "watchman",
        "swiftformat", "swift-format", "eslint", "prettier", "tsc", "rustfmt", "gofmt", "clang-format",
    ]

    func recognize(_ invocation: Invocation, in context: CommandContext) -> Recognition {
        var recognition = Recognition(tool: invocation.program, verb: invocation.program)
        switch invocation.program {
        case "source", ".":
            recognition.findings.append(
                .opaque(invocation.text, "runs the script \(invocation.operands.first ?? "") in this shell, which the guard cannot see"))
        case "mount":
            recognition.add(invocation.operands.isEmpty ? .read : .write, invocation.text, "mounts a file system")
        case "gh", "glab":
            return forgeCommand(invocation)
        case "openssl", "ssh-keygen", "gpg", "mktemp":
            recognition.add(.write, invocation.text, "\(invocation.program) may write keys or files")
        case "swiftformat", "swift-format", "prettier", "eslint", "rustfmt", "gofmt", "clang-format":
            let writes = invocation.has("-i", "--in-place", "-w", "--write", "--fix")
            recognition.add(writes ? .write : .read, invocation.text, writes ? "formats files in place" : "checks formatting")
        case "ip", "ifconfig":
            let changes = invocation.operands.contains {
                ["add", "del", "delete", "set", "flush", "down", "up", "change", "replace"].contains($0)
            }
            recognition.add(
                changes ? .destructive : .read, invocation.text, changes ? "changes the network configuration" : "shows the network")
        default:
            recognition.add(.read, invocation.program, "\(invocation.program) only reads or prints")
        }
        return recognition
    }

    /// `gh` and `glab`: pull requests and issues are writes; deleting repositories and releases is destructive.
    private func forgeCommand(_ invocation: Invocation) -> Recognition {
        var recognition = Recognition(tool: invocation.program)
        let words = invocation.operands
        let verb = words.dropFirst().first ?? words.first ?? ""
        recognition.verb = verb
        let shown = ([invocation.program] + words.prefix(3)).joined(separator: " ")
        if ["delete", "archive", "transfer", "delete-asset"].contains(verb) {
            recognition.add(.destructive, shown, "\(verb) removes a repository, release or other shared object")
        } else if ["list", "view", "status", "diff", "checks", "search", "browse", "--version", "api"].contains(verb)
            && !invocation.has("-X", "--method")
        {
            recognition.add(.read, shown, "only reads")
        } else if words.first == "api" {
            let method = (invocation.value(of: "-X", "--method") ?? "GET").uppercased()
            recognition.add(method == "DELETE" ? .destructive : (method == "GET" ? .read : .write), shown, "an API call with \(method)")
        } else {
            recognition.add(.write, shown, "changes pull requests, issues or repositories")
        }
        return recognition
    }
}
