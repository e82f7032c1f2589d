import CEL

extension PolicyInput {
    /// The policy variables rebuilt from a stored `blastwall check --format json` report, so conditions written
    /// later (runtime freezes) can be evaluated against changes submitted earlier.
    public static func activation(report: JSONValue, now: Timestamp) -> Activation {
        func strings(_ value: JSONValue?) -> Value { .list((value?.arrayValue ?? []).compactMap(\.stringValue).map(Value.string)) }
        func int(_ value: JSONValue?) -> Value { .int(Int64(value?.intValue ?? 0)) }
        func person(_ value: JSONValue?) -> Value {
            .record(["name": .string(value?["name"]?.stringValue ?? ""), "email": .string(value?["email"]?.stringValue ?? "")])
        }
        func provenance(_ value: JSONValue?) -> Value {
            .record([
                "kind": .string(value?["kind"]?.stringValue ?? "human"), "tools": strings(value?["tools"]),
                "models": strings(value?["models"]),
                "signals": strings(value?["signals"]),
            ])
        }
        let files: [Value] = (report["files"]?.arrayValue ?? []).map { file in
            .record([
                "path": .string(file["path"]?.stringValue ?? ""),
                "old_path": .string(file["old_path"]?.stringValue ?? file["path"]?.stringValue ?? ""),
                "status": .string(file["status"]?.stringValue ?? ""), "added": int(file["added"]), "removed": int(file["removed"]),
                "binary": .bool(file["binary"] == .bool(true)), "service": .string(file["service"]?.stringValue ?? ""),
                "classes": strings(file["classes"]),
            ])
        }
        let commits = report["commits"]?.arrayValue ?? []
        let change: Value = .record([
            "author": person(commits.first?["author"]),
            "committers": .list(commits.map { person($0["committer"] ?? $0["author"]) }),
            "files": .list(files),
            "classes": strings(report["classes"]),
            "services": .list((report["services"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }.map(Value.string)),
            "unowned_files": strings(report["unowned_files"]),
            "lines_added": int(report["lines_added"]),
            "lines_removed": int(report["lines_removed"]),
            "messages": .list(commits.compactMap { $0["subject"]?.stringValue }.map(Value.string)),
            "commits": .list(
                commits.map { commit in
                    .record([
                        "sha": .string(commit["sha"]?.stringValue ?? ""), "author": person(commit["author"]),
                        "committer": person(commit["committer"] ?? commit["author"]),
                        "message": .string(commit["subject"]?.stringValue ?? ""),
                        "provenance": provenance(commit["provenance"]),
                    ])
                }),
            "provenance": provenance(report["provenance"]),
        ])
        let blastJSON = report["blast_radius"]
        var tiers: [(Value, Value)] = []
        if case .object(let members)? = blastJSON?["tiers"] { tiers = members.map { (.string($0.0), int($0.1)) } }
        let blastServices = blastJSON?["services"]?.arrayValue ?? []
        let blast: Value = .record([
            "services": strings(blastJSON?["services"]), "count": .int(Int64(blastServices.count)), "max_tier": int(blastJSON?["max_tier"]),
            "dependents": strings(blastJSON?["dependents"]), "tiers": .map(MapValue(tiers)),
        ])
        let risk: Value = .record([
            "score": int(report["risk"]?["score"]), "level": .string(report["risk"]?["level"]?.stringValue ?? "low"),
            "factors": .list(
                (report["risk"]?["factors"]?.arrayValue ?? []).map { factor in
                    .record([
                        "name": .string(factor["name"]?.stringValue ?? ""), "points": int(factor["points"]),
                        "reason": .string(factor["reason"]?.stringValue ?? ""),
                    ])
                }),
        ])
        return Activation(["change": change, "blast": blast, "risk": risk, "now": .timestamp(now)])
    }
}
