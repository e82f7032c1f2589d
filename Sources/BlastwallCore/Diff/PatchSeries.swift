/// Reads the commits of a `git format-patch` series (mbox), so a diff file carries its authors and trailers.
///
/// Each patch starts with `From <sha> <date>`, then mail headers (`From:`, `Subject:`), a blank line, and the
/// commit message body, which ends at the `---` line before the diffstat (or at the diff itself).
public enum PatchSeries {
    /// Whether a line of `bytes` starts with `From ` (what every patch of a series starts with).
    static func hasMboxSeparator(_ bytes: [UInt8]) -> Bool {
        let marker = Array("From ".utf8)
        var lineStart = 0
        while lineStart + marker.count <= bytes.count {
            if bytes[lineStart..<lineStart + marker.count].elementsEqual(marker) { return true }
            guard let newline = bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n")) else { return false }
            lineStart = newline + 1
        }
        return false
    }

    public static func commits(in bytes: [UInt8]) -> [Commit] {
        // A plain diff has no `From ` line at all: found in one pass over the bytes, before any text is made.
        guard hasMboxSeparator(bytes) else { return [] }
        var commits: [Commit] = []
        var current: Commit?
        var subject = ""
        var body: [Substring] = []
        var inHeaders = false
        var inBody = false
        var lastHeader = ""

        func finish() {
            guard var commit = current else { return }
            var message = subject
            let text = body.joined(separator: "\n").trimmingWhitespace()
            if !text.isEmpty { message += "\n\n" + text }
            commit.message = message + "\n"
            commits.append(commit)
            current = nil
        }

        let text = String(decoding: bytes, as: UTF8.self)
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            if let sha = mboxSeparatorSHA(line) {
                finish()
                let unknown = Identity(name: "", email: "")
                current = Commit(sha: sha, author: unknown, committer: unknown, message: "")
                subject = ""
                body = []
                inHeaders = true
                inBody = false
                lastHeader = ""
                continue
            }
            guard current != nil else { continue }
            if inHeaders {
                if line.isEmpty {
                    inHeaders = false
                    inBody = true
                } else if line.first == " " || line.first == "\t" {
                    // A folded header continues the previous one.
                    if lastHeader == "subject" { subject += " " + line.trimmingWhitespace() }
                } else if line.lowercased().hasPrefix("from:") {
                    lastHeader = "from"
                    let identity = parseAddress(MailHeader.decode(String(line.dropFirst(5)).trimmingWhitespace()))
                    current!.author = identity
                    current!.committer = identity
                } else if line.lowercased().hasPrefix("subject:") {
                    lastHeader = "subject"
                    subject = MailHeader.decode(String(line.dropFirst(8)).trimmingWhitespace())
                } else {
                    lastHeader = ""
                }
                continue
            }
            if inBody {
                if line == "---" || line.hasPrefix("diff --git ") {
                    inBody = false
                } else {
                    body.append(line)
                }
            }
        }
        finish()
        return commits.map { commit in
            var commit = commit
            commit.message = stripPatchPrefix(commit.message)
            return commit
        }
    }

    /// `From 0123…abcd Mon Sep 17 00:00:00 2001` → the SHA.
    private static func mboxSeparatorSHA(_ line: Substring) -> String? {
        guard line.hasPrefix("From ") else { return nil }
        let candidate = line.dropFirst(5).prefix { $0 != " " }
        guard candidate.count == 40 || candidate.count == 64, candidate.allSatisfy(\.isHexDigit) else { return nil }
        return String(candidate)
    }

    /// `[PATCH 2/3] Fix it` → `Fix it`.
    private static func stripPatchPrefix(_ message: String) -> String {
        guard message.hasPrefix("["), let close = message.firstIndex(of: "]") else { return message }
        let tag = message[message.index(after: message.startIndex)..<close]
        guard tag.uppercased().contains("PATCH") else { return message }
        return String(message[message.index(after: close)...]).trimmingWhitespaceLeading()
    }

    private static func parseAddress(_ text: String) -> Identity {
        if let open = text.lastIndex(of: "<"), let close = text.lastIndex(of: ">"), open < close {
            var name = text[..<open].trimmingWhitespace()
            if name.hasPrefix("\""), name.hasSuffix("\""), name.count >= 2 { name = String(name.dropFirst().dropLast()) }
            return Identity(name: name, email: String(text[text.index(after: open)..<close]))
        }
        return Identity(name: text, email: text.contains("@") ? text : "")
    }
}

/// RFC 2047 encoded words in mail headers, as `git format-patch` writes non-ASCII names and subjects.
enum MailHeader {
    /// Decodes every `=?charset?Q|B?text?=` word (UTF-8 and ASCII charsets); other text is kept as it is.
    static func decode(_ header: String) -> String {
        var result = ""
        var rest = Substring(header)
        var previousWasEncoded = false
        while let start = rest.firstRange(of: "=?") {
            let before = rest[..<start.lowerBound]
            let afterStart = rest[start.upperBound...]
            let parts = afterStart.split(separator: "?", maxSplits: 3, omittingEmptySubsequences: false)
            guard parts.count == 4, parts[3].hasPrefix("="), let decoded = decodeWord(encoding: parts[1], text: parts[2]) else {
                result += rest[..<start.upperBound]
                rest = afterStart
                previousWasEncoded = false
                continue
            }
            // Whitespace between two encoded words is not part of the text.
            if !(previousWasEncoded && before.allSatisfy(\.isWhitespace)) { result += before }
            result += decoded
            rest = parts[3].dropFirst()
            previousWasEncoded = true
        }
        return result + rest
    }

    private static func decodeWord(encoding: Substring, text: Substring) -> String? {
        var bytes: [UInt8] = []
        switch encoding.uppercased() {
        case "Q":
            var index = text.utf8.startIndex
            let utf8 = text.utf8
            while index < utf8.endIndex {
                let byte = utf8[index]
                if byte == UInt8(ascii: "_") {
                    bytes.append(0x20)
                } else if byte == UInt8(ascii: "="), let high = hex(utf8, utf8.index(after: index)),
                    let low = hex(utf8, utf8.index(index, offsetBy: 2, limitedBy: utf8.endIndex) ?? utf8.endIndex)
                {
                    bytes.append(high << 4 | low)
                    index = utf8.index(index, offsetBy: 2)
                } else {
                    bytes.append(byte)
                }
                index = utf8.index(after: index)
            }
        case "B":
            guard let decoded = Base64.decode(String(text)) else { return nil }
            bytes = decoded
        default:
            return nil
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hex(_ utf8: Substring.UTF8View, _ index: Substring.UTF8View.Index) -> UInt8? {
        guard index < utf8.endIndex else { return nil }
        let byte = utf8[index]
        switch byte {
        case 48...57: return byte - 48
        case 65...70: return byte - 55
        case 97...102: return byte - 87
        default: return nil
        }
    }
}

extension String {
    func trimmingWhitespaceLeading() -> String { String(drop { $0.isWhitespace }) }
}
