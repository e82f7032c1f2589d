import BlastwallCore
import BlastwallTestSupport
import Foundation
import Testing

/// Every shell block of the README and the guides runs, in order, as a reader would type it, so a documented
/// command that breaks fails CI. A block that cannot run here says why, just before it:
///
/// - `<!-- doctest: skip: REASON -->` before a block: not run, for the reason given.
/// - `<!-- doctest: file PATH -->` before a block: the reader saves it as PATH (a config file the guide shows).
/// - `<!-- doctest: needs PROGRAM… -->` anywhere: the programs the guide uses (CI installs them).
/// - `<!-- doctest: run` … `-->`: commands the reader has already run (kept rare, never the guide's subject).
///
/// `sh` blocks run whole; `console` blocks run their `$ ` lines. Other blocks are output or illustration.
/// The guides listen on the ports a reader would use (8080, 7070), so they run one at a time.
@Suite(.serialized) struct DocumentationTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static var documents: [String] {
        let guides = (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("docs").path)) ?? []
        return ["README.md"] + guides.filter { $0.hasSuffix(".md") }.sorted().map { "docs/" + $0 }
    }

    @Test(arguments: documents)
    func everyShellBlockRuns(_ document: String) async throws {
        let text = try String(contentsOf: Self.root.appendingPathComponent(document), encoding: .utf8)
        let guide = try DocumentedGuide(document, text)
        guard guide.runsAnything else { return }
        for program in guide.programs where !Self.isInstalled(program) {
            if ProcessInfo.processInfo.environment["CI"] != nil {
                Issue.record("\(document) needs \(program), which is not installed; .ci/run installs it")
            } else {
                print("skipped \(document): it needs \(program), which is not installed")
            }
            return
        }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("blastwall-doc-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let script = work.appendingPathComponent(".doctest.sh")
        try guide.script.write(to: script, atomically: true, encoding: .utf8)
        // DOCTEST_SCRIPTS=DIR keeps each guide's script, to run one by hand.
        if let keep = ProcessInfo.processInfo.environment["DOCTEST_SCRIPTS"] {
            try guide.script.write(
                toFile: "\(keep)/\(document.replacingOccurrences(of: "/", with: "_")).sh", atomically: true, encoding: .utf8)
        }
        let result = try await ProcessRunner.run(
            "/usr/bin/timeout", ["-k", "5", "300", "bash", script.path], in: work.path, environment: Self.environment)
        let place = result.stderr.components(separatedBy: "\n").last { $0.hasPrefix("### ") }.map { String($0.dropFirst(4)) }
        #expect(
            result.status == 0,
            """
            \(document): the block at \(place ?? "its start") failed with status \(result.status)
            --- standard output (end) ---
            \(result.stdout.suffix(3000))
            --- standard error (end) ---
            \(result.stderr.suffix(3000))
            """)
    }

    @Test func everyShellBlockRunsOrSaysWhyNot() throws {
        var unmarked: [String] = []
        for document in Self.documents {
            let text = try String(contentsOf: Self.root.appendingPathComponent(document), encoding: .utf8)
            unmarked += try DocumentedGuide(document, text).blocks.filter(\.isShell).compactMap { block in
                if case .skip(let reason) = block.directive, reason.isEmpty { return "\(document):\(block.line): a skip without a reason" }
                return nil
            }
        }
        #expect(unmarked.isEmpty, "\(unmarked)")
        #expect(Self.documents.count >= 10, "the guides were not found under \(Self.root.path)/docs")
    }

    @Test func aGuideIsReadAsItsReaderWouldRunIt() throws {
        let text = """
            <!-- doctest: needs jq -->
            Save this:
            <!-- doctest: file conf/a.yml -->
            ```yaml
            a: 1
            ```
            ```sh
            cat conf/a.yml
            ```
            <!-- doctest: skip: it deploys to production -->
            ```sh
            deploy --everywhere
            ```
            ```console
            $ echo hi
            hi
            ```
            """
        let guide = try DocumentedGuide("x.md", text)
        #expect(guide.programs == ["jq"])
        #expect(guide.script.contains("cat > 'conf/a.yml' <<'DOCTEST_END'\na: 1\nDOCTEST_END"))
        #expect(guide.script.contains("### x.md:7' >&2\ncat conf/a.yml"))
        #expect(!guide.script.contains("deploy --everywhere"))
        #expect(guide.script.contains("### x.md:14' >&2\necho hi\n") && !guide.script.contains("\nhi\n"))
        #expect(throws: DocumentedGuide.Problem.self) { try DocumentedGuide("y.md", "```sh\nunclosed\n") }
    }

    /// The README says `blastwall check` works on Blastwall itself: every file of it is in a service.
    @Test func blastwallsOwnPolicyCoversEveryFileOfIt() async throws {
        let yaml = try String(contentsOf: Self.root.appendingPathComponent("blastwall.yml"), encoding: .utf8)
        let analyzer = ChangeAnalyzer(configuration: try ConfigurationLoader.load(yaml: yaml, file: "blastwall.yml").configuration)
        let listed = try await ProcessRunner.run("/usr/bin/env", ["git", "-C", Self.root.path, "ls-files"])
        try #require(listed.status == 0, "git ls-files: \(listed.stderr)")
        let unowned = listed.stdout.split(separator: "\n").map(String.init).filter { analyzer.service(of: $0) == nil }
        #expect(unowned.isEmpty, "in no service of blastwall.yml: \(unowned.prefix(20))")
    }

    static func isInstalled(_ program: String) -> Bool {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        return (path.split(separator: ":").map(String.init) + ["/usr/sbin", "/sbin"]).contains {
            FileManager.default.isExecutableFile(atPath: "\($0)/\(program)")
        }
    }

    /// The reader's shell: `blastwall` on PATH, no leftover Blastwall settings, git able to commit.
    static var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("BLASTWALL_") }
        let binaries = URL(fileURLWithPath: BlastwallBinary.path).deletingLastPathComponent().path
        environment["PATH"] = "\(binaries):\(environment["PATH"] ?? "/usr/bin:/bin"):/usr/sbin:/sbin"
        environment["NO_COLOR"] = "1"
        for (key, value) in [
            "GIT_AUTHOR_NAME": "Doc Reader", "GIT_AUTHOR_EMAIL": "reader@example.com", "GIT_COMMITTER_NAME": "Doc Reader",
            "GIT_COMMITTER_EMAIL": "reader@example.com",
        ] {
            environment[key] = value
        }
        return environment
    }
}

/// A guide's fenced blocks and directives, and the script that runs them in order.
struct DocumentedGuide {
    enum Directive: Equatable {
        case skip(String)
        case file(String)
    }

    struct Block {
        var line: Int
        var language: String
        var text: String
        var directive: Directive?
        /// Commands run before this block that the reader has run already (`<!-- doctest: run`).
        var hidden = false

        var isShell: Bool { language == "sh" || language == "console" }
    }

    struct Problem: Error, CustomStringConvertible {
        var description: String
    }

    let document: String
    private(set) var blocks: [Block] = []
    private(set) var programs: [String] = []

    init(_ document: String, _ text: String) throws {
        self.document = document
        let lines = text.components(separatedBy: "\n")
        var index = 0
        var pending: Directive?
        while index < lines.count {
            let line = lines[index]
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("<!-- doctest: run") {
                let start = index
                var commands: [String] = []
                index += 1
                while index < lines.count, !lines[index].trimmingCharacters(in: .whitespaces).hasPrefix("-->") {
                    commands.append(lines[index])
                    index += 1
                }
                guard index < lines.count else {
                    throw Problem(description: "\(document):\(start + 1): a doctest run comment without its -->")
                }
                blocks.append(Block(line: start + 1, language: "sh", text: commands.joined(separator: "\n"), hidden: true))
            } else if trimmed.hasPrefix("<!-- doctest:"), trimmed.hasSuffix("-->") {
                let body = trimmed.dropFirst("<!-- doctest:".count).dropLast(3).trimmingCharacters(in: .whitespaces)
                if body.hasPrefix("skip:") {
                    pending = .skip(body.dropFirst(5).trimmingCharacters(in: .whitespaces))
                } else if body.hasPrefix("file ") {
                    pending = .file(body.dropFirst(5).trimmingCharacters(in: .whitespaces))
                } else if body.hasPrefix("needs ") {
                    programs += body.dropFirst(6).split(separator: " ").map(String.init)
                } else {
                    throw Problem(description: "\(document):\(index + 1): unknown doctest directive '\(body)'")
                }
            } else if trimmed.hasPrefix("```") {
                let start = index
                let language = String(trimmed.dropFirst(3)).trimmingCharacters(in: .whitespaces)
                var body: [String] = []
                index += 1
                while index < lines.count, !lines[index].trimmingCharacters(in: .whitespaces).hasPrefix("```") {
                    body.append(lines[index])
                    index += 1
                }
                guard index < lines.count else { throw Problem(description: "\(document):\(start + 1): a code block that is never closed") }
                blocks.append(Block(line: start + 1, language: language, text: body.joined(separator: "\n"), directive: pending))
                pending = nil
            } else if !trimmed.isEmpty {
                pending = nil
            }
            index += 1
        }
    }

    var runsAnything: Bool { blocks.contains { $0.isShell && $0.directive == nil } }

    /// One bash script: the blocks in order, each announced on standard error by its place; background
    /// servers are waited for (a reader types the next command once they listen) and stopped at the end.
    var script: String {
        var body = ""
        var ports: [String] = []
        for block in blocks {
            switch block.directive {
            case .skip: continue
            case .file(let path):
                body += "mkdir -p \"$(dirname '\(path)')\"\ncat > '\(path)' <<'DOCTEST_END'\n\(block.text)\nDOCTEST_END\n"
                continue
            case nil: break
            }
            guard block.isShell else { continue }
            let commands =
                block.language == "console"
                ? block.text.components(separatedBy: "\n").filter { $0.hasPrefix("$ ") }.map { String($0.dropFirst(2)) }.joined(
                    separator: "\n")
                : block.text
            body += "echo '### \(document):\(block.line)' >&2\n"
            // A reader types the next command once a server started in the background listens.
            for command in commands.replacingOccurrences(of: "\\\n", with: " ").components(separatedBy: "\n") {
                body += command + "\n"
                let listening = Self.backgroundPorts(command)
                for port in listening { body += "wait_for_port \(port)\n" }
                ports += listening
            }
        }
        // At the end the servers are stopped, and their ports left free for the next guide.
        let release = ports.map { "port_released \($0)" }.joined(separator: "; ")
        return """
            set -euo pipefail
            trap 'exit 143' TERM
            trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; \(release)' EXIT
            # `swift run blastwall` is the built binary; `swift test` is the run this test is part of.
            swift() {
                if [ "$1" = run ] && [ "$2" = blastwall ]; then shift 2; blastwall "$@"
                elif [ "$1" = test ]; then echo "(swift test: this is that run)"
                else echo "doctest: cannot run swift $*" >&2; return 1; fi
            }
            wait_for_port() {
                for _ in $(seq 300); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done
                echo "doctest: nothing listens on port $1 after 30 s" >&2; return 1
            }
            port_released() {
                for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null || return 0; sleep 0.1; done
            }

            """ + body
    }

    /// The loopback ports that a command run in the background (`… &`) listens on.
    static func backgroundPorts(_ line: String) -> [String] {
        var ports: [String] = []
        let command = line.components(separatedBy: " #")[0].trimmingCharacters(in: .whitespaces)
        if command.hasSuffix("&"), !command.hasSuffix("&&") {
            let words = command.split(separator: " ").map(String.init)
            for (offset, word) in words.enumerated() {
                if word == "--port", offset + 1 < words.count { ports.append(words[offset + 1]) }
                for prefix in ["127.0.0.1:", "localhost:"] {
                    if let range = word.range(of: prefix) {
                        let digits = word[range.upperBound...].prefix { $0.isNumber }
                        if !digits.isEmpty { ports.append(String(digits)) }
                    }
                }
            }
        }
        return ports
    }
}
