import BlastwallCore

/// Compares the report a client sent with the one the server computed: the client's is never used, only
/// checked, so that a client whose analysis disagrees is refused rather than silently overruled.
public enum ReportComparison {
    /// What the gate depends on, each with how to read it from a `blastwall check --format json` report.
    static let fields: [(name: String, read: @Sendable (JSONValue) -> JSONValue)] = [
        ("head", { $0["head"] ?? .null }),
        ("base", { $0["base"] ?? .null }),
        ("decision", { $0["decision"] ?? .null }),
        ("requirements", { $0["requirements"] ?? .null }),
        ("services", { .array(($0["services"]?.arrayValue ?? []).map { $0["name"] ?? .null }) }),
        ("classes", { $0["classes"] ?? .null }),
        ("provenance", { $0["provenance"]?["kind"] ?? .null }),
        ("files", { .array(($0["files"]?.arrayValue ?? []).map { $0["path"] ?? .null }) }),
        ("commits", { .array(($0["commits"]?.arrayValue ?? []).map { $0["sha"] ?? .null }) }),
    ]

    /// The fields where `claimed` differs from `analysed`, each described for the submitter; empty when they agree.
    public static func differences(claimed: JSONValue, analysed: JSONValue) -> [String] {
        fields.compactMap { field in
            let mine = field.read(claimed)
            let theirs = field.read(analysed)
            guard mine != theirs else { return nil }
            return "\(field.name): the report says \(summary(mine)), the server's analysis \(summary(theirs))"
        }
    }

    static func summary(_ value: JSONValue) -> String {
        let text = value.serialized(pretty: false)
        return text.count > 120 ? String(text.prefix(117)) + "..." : text
    }
}
