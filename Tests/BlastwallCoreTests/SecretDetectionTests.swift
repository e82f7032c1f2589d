import CEL
import Testing

@testable import BlastwallCore

/// The built-in `secrets` class: found by what a change adds and by files that are key material, never by a
/// word in a path, so that the starter policy's `no-secrets` denies keys and not documentation.
@Suite struct SecretDetectionTests {
    let analyzer = ChangeAnalyzer(configuration: Configuration())

    func classes(_ path: String, _ lines: [String] = []) -> [String] {
        let added = lines.enumerated().map { AddedLine(number: $0.offset + 1, text: $0.element) }
        let report = analyzer.analyze(
            ChangeSet(files: [FileChange(path: path, status: .added, linesAdded: lines.count, addedLines: added)]),
            now: Timestamp(rfc3339: "2026-12-01T00:00:00Z")!)
        return report.classes
    }

    @Test func wordsInPathsAreNotSecrets() {
        for path in [
            "pages/common/gh-secret-set.md", "docs/secrets-management.md", "src/credentials_test.go", "tests/fixtures/secrets/readme.txt",
            "lib/SecretStore.swift", ".env.example", "id_rsa.pub",
        ] {
            #expect(!classes(path, ["Set a secret with `gh secret set NAME`."]).contains("secrets"), "\(path)")
        }
    }

    @Test func keyMaterialFilesAre() {
        for path in [".env", "deploy/.env.production", "certs/server.p12", "home/.netrc", "keys/id_ed25519"] {
            #expect(classes(path).contains("secrets"), "\(path)")
        }
    }

    @Test func knownKeyFormatsAreFoundWithTheirLine() {
        let lines = [
            "let region = \"eu-west-1\"", "let key = \"AKIAIOSFODNN7EXAMPLE\"", "token: glpat-x7Yq2mR9vTb4Lk8pWz3N",
            "url = \"https://hooks.slack.com/services/T01ABCDEF23/B04GHIJKL56/x7Yq2mR9vTb4Lk8pWz3NaQ5s\"",
            "-----BEGIN OPENSSH PRIVATE KEY-----", "NPM_TOKEN=npm_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8",
        ]
        let added = lines.enumerated().map { AddedLine(number: $0.offset + 1, text: $0.element) }
        let report = analyzer.analyze(
            ChangeSet(files: [FileChange(path: "app/config.swift", status: .modified, linesAdded: lines.count, addedLines: added)]),
            now: Timestamp(rfc3339: "2026-12-01T00:00:00Z")!)
        #expect(report.files[0].findings.filter { $0.className == "secrets" }.map(\.line) == [2, 3, 4, 5, 6])
    }

    @Test func aRandomValueForAKeyLikeNameIsAPlaceholderIsNot() {
        #expect(classes("app/settings.py", [#"API_KEY = "q8ZrT3vL9xWm2NbK7pYc4Hd""#]).contains("secrets"))
        #expect(classes("app/settings.py", [#"password: "9fK2mQ7xL4vB8nR3tZ6wYp""#]).contains("secrets"))
        for placeholder in [
            #"API_KEY = "your-api-key-goes-here""#, #"password: "correct horse battery staple""#,
            #"token = "xxxxxxxxxxxxxxxxxxxxxxxx""#, #"secret = "${{ secrets.DEPLOY_TOKEN }}""#, #"api_key = "REPLACE_ME_WITH_KEY""#,
        ] {
            #expect(!classes("app/settings.py", [placeholder]).contains("secrets"), "\(placeholder)")
        }
    }

    @Test func entropyTellsRandomFromRepeated() {
        #expect(TokenEntropy.entropy(of: Array("aaaaaaaaaaaaaaaa".utf8)) == 0)
        #expect(TokenEntropy.entropy(of: Array("abcdefghijklmnop".utf8)) == 4)
        #expect(TokenEntropy.isRandom(Array("q8ZrT3vL9xWm2NbK".utf8), minimumBits: 3.5))
        #expect(!TokenEntropy.isRandom(Array("abcdefghijklmnop".utf8), minimumBits: 3.5), "no digit")
        #expect(!TokenEntropy.isRandom(Array("a1b2".utf8), minimumBits: 1), "too short")
    }
}
