import BlastwallTestSupport
import Foundation
import Testing

/// `check --attest KEY` and `attest verify` with real keys and a real repository.
@Suite struct AttestationCLITests {
    @Test func signedDecisionsVerifyAndTamperingIsCaught() async throws {
        let repo = try await TemporaryRepository()
        try repo.write([
            "blastwall.yml":
                "services:\n  web: { paths: [\"/web/\"], owners: [\"@w\"] }\nrules:\n  - name: r\n    when: \"true\"\n    require: { approvals: 1 }\n",
            "web/a.html": "a\n",
        ])
        try await repo.commit("Initial")
        try repo.write(["web/a.html": "b\n"])
        let head = try await repo.commit("Change")
        #expect(try await repo.run(["keygen", "--out", "signer.pem"]).status == 0)
        #expect(try await repo.run(["keygen", "--out", "other.pem"]).status == 0)

        let checked = try await repo.run(["check", "--attest", "signer.pem", "--now", "2026-11-23T12:00:00Z"])
        #expect(checked.status == 0 && checked.stderr.contains("blastwall.intoto.json"), "\(checked.stderr)")
        let envelope = try String(contentsOfFile: repo.path + "/blastwall.intoto.json", encoding: .utf8)
        #expect(envelope.contains("application/vnd.in-toto+json"))

        let verified = try await repo.run(["attest", "verify", "blastwall.intoto.json", "--key", "signer.pem.pub", "--commit", head])
        #expect(
            verified.status == 0 && verified.stdout == "valid: commit \(head) was decided 'review'\n",
            "\(verified.stdout)\(verified.stderr)")
        let statement = try json(
            try await repo.run(["attest", "verify", "blastwall.intoto.json", "--key", "signer.pem.pub", "--format", "json"]).stdout)
        #expect(statement["_type"] as? String == "https://in-toto.io/Statement/v1")
        #expect(((statement["subject"] as? [[String: Any]])?.first?["digest"] as? [String: String])?["gitCommit"] == head)

        #expect(
            try await repo.run(["attest", "verify", "blastwall.intoto.json", "--key", "other.pem.pub"]).status == 2,
            "another key does not verify"
        )
        #expect(
            try await repo.run(["attest", "verify", "blastwall.intoto.json", "--key", "signer.pem.pub", "--commit", "0000"]).status == 2)
        var tampered = try #require(try JSONSerialization.jsonObject(with: Data(envelope.utf8)) as? [String: Any])
        let payload = try #require(Data(base64Encoded: tampered["payload"] as! String))
        let forged = String(decoding: payload, as: UTF8.self).replacingOccurrences(of: "\"review\"", with: "\"allow\"")
        tampered["payload"] = Data(forged.utf8).base64EncodedString()
        try JSONSerialization.data(withJSONObject: tampered).write(to: URL(fileURLWithPath: repo.path + "/tampered.json"))
        let rejected = try await repo.run(["attest", "verify", "tampered.json", "--key", "signer.pem.pub"])
        #expect(rejected.status == 2 && rejected.stderr.contains("no signature verifies"))
    }
}
