import BlastwallCore
import CommandGuard
import Foundation

/// A configuration with three environments, two services and one agent, and a working tree at /work/repo.
enum GuardFixture {
    /// `Corpus/blastwall.yml`, which the agent-gateway benchmark uses too.
    static let yaml: String = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Corpus/blastwall.yml")
        do { return try String(contentsOf: url, encoding: .utf8) } catch { fatalError("cannot read \(url.path): \(error)") }
    }()

    static let configuration: Configuration = {
        do { return try ConfigurationLoader.load(yaml: yaml, file: "blastwall.yml").configuration } catch {
            fatalError("the fixture configuration does not load: \(error)")
        }
    }()

    static let classifier = CommandClassifier(configuration: configuration)

    static let context = CommandContext(
        directory: "/work/repo", workingTree: "/work/repo", home: "/home/dana",
        exists: { path in
            ["/etc/hosts", "/work/repo/README.md", "/home/dana/.bashrc", "/work/repo/services/payments/main.swift"].contains(path)
        })

    static func classify(_ text: String, context: CommandContext = context) -> CommandClassification {
        classifier.classify(text, in: context, defaultEnvironment: "dev")
    }
}
