import BlastwallAudit
import BlastwallCore
import Testing

@Suite struct AuditChainTests {
    func log(_ count: Int) -> [AuditEvent] {
        var events: [AuditEvent] = []
        for index in 1...count {
            let previous = events.last.map { ($0.sequence, $0.hash) }
            events.append(
                AuditChain.makeEvent(
                    after: previous, time: "2026-11-23T12:00:0\(index % 10).000Z", actor: "dana", action: "approval.added",
                    subject: "change/\(index)", payload: .object([("head", .string("abc\(index)")), ("count", .int(Int64(index)))])))
        }
        return events
    }

    @Test func anIntactLogVerifies() {
        let result = LogVerification.verify(events: log(50), checkpoints: [], key: nil)
        #expect(result.isIntact)
        #expect(result.events == 50)
    }

    @Test func editsDeletionsAndReorderingsAreNamed() {
        var edited = log(10)
        edited[4].payload = .object([("head", .string("forged"))])
        #expect(
            LogVerification.verify(events: edited, checkpoints: [], key: nil).problem
                == "event 5: its content does not match its hash (the event was edited)")

        var deleted = log(10)
        deleted.remove(at: 6)
        #expect(LogVerification.verify(events: deleted, checkpoints: [], key: nil).problem?.hasPrefix("event 7: missing") == true)

        var swapped = log(10)
        swapped.swapAt(2, 3)
        #expect(
            LogVerification.verify(events: swapped, checkpoints: [], key: nil).problem
                == "event 3: missing: expected event 3 but found event 4 (events deleted or reordered)")

        // Rewriting an event and recomputing its hash still breaks the next link.
        var rehashed = log(10)
        let event = rehashed[2]
        rehashed[2] = AuditChain.makeEvent(
            after: (rehashed[1].sequence, rehashed[1].hash), time: event.time, actor: "mallory", action: event.action,
            subject: event.subject,
            payload: event.payload)
        #expect(
            LogVerification.verify(events: rehashed, checkpoints: [], key: nil).problem
                == "event 4: its previous hash does not match the hash of event 3")
    }

    @Test func signedCheckpointsCatchATruncatedTail() throws {
        let key = SigningKey()
        let events = log(20)
        let checkpoint = try Checkpoint.sign(events[14], time: "2026-11-23T12:00:00.000Z", key: key)
        let verifier = VerificationKey(key.privateKey.publicKey)
        #expect(LogVerification.verify(events: events, checkpoints: [checkpoint], key: verifier).isIntact)
        let truncated = LogVerification.verify(events: events.prefix(10), checkpoints: [checkpoint], key: verifier)
        #expect(truncated.problem == "checkpoint at event 15: the log ends at event 10 (events were removed from the end)")
        var forged = checkpoint
        forged.sequence = 16
        #expect(
            LogVerification.verify(events: events, checkpoints: [forged], key: verifier).problem?.contains("signature does not verify")
                == true)
    }

    @Test func canonicalEncodingIgnoresKeyOrder() {
        let a = JSONValue.object([("b", .int(1)), ("a", .array([.string("x"), .null]))])
        let b = JSONValue.object([("a", .array([.string("x"), .null])), ("b", .int(1))])
        #expect(a.canonicalBytes == b.canonicalBytes)
        #expect(String(decoding: a.canonicalBytes, as: UTF8.self) == #"{"a":["x",null],"b":1}"#)
    }

    @Test func keysRoundTripThroughPEMAndAttestationsVerify() throws {
        let key = SigningKey()
        let reread = try SigningKey(pem: key.pem)
        #expect(reread.keyID == key.keyID)
        let verifier = try VerificationKey(pem: key.publicKeyPEM)
        let statement = Attestation.statement(commit: "abc123", repository: nil, predicate: .object([("decision", .string("review"))]))
        let envelope = try Attestation.envelope(statement: statement, key: key)
        let verified = try Attestation.verify(envelope: envelope, key: verifier).get()
        #expect(verified.commit == "abc123")
        #expect(verified.decision == "review")
        let other = VerificationKey(SigningKey().privateKey.publicKey)
        #expect(throws: AttestationError.self) { try Attestation.verify(envelope: envelope, key: other).get() }
        #expect(throws: KeyError.self) { try SigningKey(pem: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n") }
    }
}
