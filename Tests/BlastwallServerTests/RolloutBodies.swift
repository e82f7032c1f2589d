import BlastwallCore

/// Rollout bodies for route tests: the flags router and pushed metrics need no outside service.
enum RolloutBodies {
    static let artifact = "sha256:" + String(repeating: "ab", count: 32)

    /// `extra` is appended inside the object: further fields, each led by a comma.
    static func flags(
        service: String, change: Int64?, flag: String? = nil, steps: String = #"[{"weight": 10, "duration": "1h"}]"#, extra: String = ""
    ) -> String {
        let changeField = change.map { #""change": "\#($0)", "# } ?? ""
        return #"""
            {"service": "\#(service)", "version": "v2", "stable": "v1", "artifact": "\#(artifact)", \#(changeField)"router": {"type": "flags", "flag": "\#(flag ?? "flag-" + service)"}, "metrics": {"provider": "push"}, "steps": \#(steps)\#(extra)}
            """#
    }

    static func spec(service: String, flag: String, change: Int64? = nil) throws -> RolloutSpec {
        try RolloutSpecParser.parse(flags(service: service, change: change, flag: flag), file: "test")
    }
}
