import Foundation

@testable import BlastwallCore

/// The cases of `ProvenanceCorpus/commits.txt`: a commit and the provenance it must get.
enum ProvenanceCorpus {
    struct Case {
        var commit: Commit
        var kind: ProvenanceKind
        var tools: [String]
        var models: [String]
    }

    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    static func load() throws -> [Case] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("ProvenanceCorpus/commits.txt")
        let text = try String(contentsOf: url, encoding: .utf8)
        var cases: [Case] = []
        var headers: [String: String] = [:]
        var message: [String] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line == "%%%%" {
                cases.append(try makeCase(headers, message, endingAt: number + 1))
                headers = [:]
                message = []
            } else if line.hasPrefix("%% "), let colon = line.firstIndex(of: ":") {
                headers[String(line.dropFirst(3)[..<colon])] = String(line[line.index(after: colon)...]).trimmingCharacters(
                    in: .whitespaces)
            } else if !headers.isEmpty {
                message.append(String(line))
            }
        }
        return cases
    }

    private static func makeCase(_ headers: [String: String], _ lines: [String], endingAt line: Int) throws -> Case {
        guard let expect = headers["expect"], let author = headers["author"].flatMap(identity) else {
            throw Malformed(description: "commits.txt:\(line): a case needs '%% author:' and '%% expect:'")
        }
        var words = expect.split(separator: " ", maxSplits: 2).map(String.init)
        var models: [String] = []
        if let modelIndex = words.firstIndex(where: { $0.hasPrefix("model=") }) {
            models = [String(words[modelIndex...].joined(separator: " ").dropFirst("model=".count))]
            words.removeSubrange(modelIndex...)
        }
        guard let kind = ProvenanceKind(rawValue: words.first ?? "") else {
            throw Malformed(description: "commits.txt:\(line): unknown kind in '\(expect)'")
        }
        let tools = words.count > 1 ? words[1].split(separator: ",").map(String.init) : []
        let ending = headers["line-ends"] == "crlf" ? "\r\n" : "\n"
        let committer = try headers["committer"].map { text in
            guard let parsed = identity(text) else { throw Malformed(description: "commits.txt:\(line): bad committer '\(text)'") }
            return parsed
        }
        return Case(
            commit: Commit(sha: "c\(line)", author: author, committer: committer ?? author, message: lines.joined(separator: ending)),
            kind: kind, tools: tools, models: models)
    }

    /// `Name <email>`.
    private static func identity(_ text: String) -> Identity? {
        guard let open = text.lastIndex(of: "<"), text.hasSuffix(">") else { return nil }
        return Identity(
            name: text[..<open].trimmingCharacters(in: .whitespaces), email: String(text[text.index(after: open)...].dropLast()))
    }
}
