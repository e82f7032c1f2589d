import BlastwallApp
import BlastwallForges
import BlastwallTestSupport
import Foundation
import Testing

/// `serve`'s forge options: each forge is on with its webhook secret and needs API credentials; every
/// mistake is refused at start with what to give instead.
@Suite struct ForgeSetupTests {
    let directory: String

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("blastwall-forge-setup-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for (name, text) in [
            ("secret", "s3cret\n"), ("token", "tok\n"), ("empty", "\n"), ("key.pem", try FakeForge.makeAppKey().privatePEM),
        ] {
            try Data(text.utf8).write(to: URL(fileURLWithPath: "\(directory)/\(name)"))
        }
    }

    func message(_ inputs: [ForgeKind: ForgeSetup.Inputs], environment: [String: String] = [:]) -> String? {
        do {
            _ = try ForgeSetup.forges(inputs, environment: environment)
            return nil
        } catch {
            return error.description
        }
    }

    @Test func eachForgeNeedsItsSecretAndCredentials() throws {
        let secret = "\(directory)/secret"
        #expect(try ForgeSetup.forges([:], environment: [:]).isEmpty)
        let github = try ForgeSetup.forges([.github: .init(webhookSecretFile: secret, tokenFile: "\(directory)/token")], environment: [:])
        #expect(github[.github]?.kind == .github)
        let app = try ForgeSetup.forges(
            [.github: .init(webhookSecretFile: secret, appID: "12", privateKeyFile: "\(directory)/key.pem")], environment: [:])
        #expect(app.keys.sorted { $0.rawValue < $1.rawValue } == [.github])
        let fromEnvironment = try ForgeSetup.forges(
            [.gitea: .init(apiURL: "https://git.example/api/v1")],
            environment: ["BLASTWALL_GITEA_WEBHOOK_SECRET": "s", "BLASTWALL_GITEA_TOKEN": "t"])
        #expect(fromEnvironment[.gitea] != nil)

        #expect(message([.github: .init(webhookSecretFile: secret)])?.contains("--github-token-file") == true)
        #expect(message([.github: .init(webhookSecretFile: secret, appID: "12")])?.contains("go together") == true)
        #expect(message([.github: .init(tokenFile: "\(directory)/token")])?.contains("--github-webhook-secret-file") == true)
        #expect(
            message([.github: .init(webhookSecretFile: "\(directory)/empty", tokenFile: "\(directory)/token")])?.contains("is empty")
                == true)
        #expect(
            message([.github: .init(webhookSecretFile: secret, appID: "12", privateKeyFile: "\(directory)/token")])?
                .contains("not an RSA key in PEM") == true)
        #expect(message([.gitea: .init(webhookSecretFile: secret, tokenFile: "\(directory)/token")])?.contains("--gitea-api-url") == true)
        #expect(message([.gitlab: .init(webhookSecretFile: secret)])?.contains("--gitlab-token-file") == true)
        #expect(
            message([.gitlab: .init(webhookSecretFile: secret, tokenFile: "\(directory)/token", apiURL: "gitlab.example")])?
                .contains("must be an http(s) URL") == true)
    }

    /// The CLI refuses to start with the same message.
    @Test func serveRefusesToStartWithoutCredentials() async throws {
        let result = try await BlastwallBinary.run(
            ["serve", "--database", "\(directory)/db.sqlite", "--github-webhook-secret-file", "\(directory)/secret"], in: directory)
        #expect(result.status != 0 && result.stderr.contains("--github-app-id"), "\(result.stderr)")
    }
}
