import BlastwallAudit
import BlastwallControlPlane
import BlastwallCore
import BlastwallStorage
import Hummingbird

/// `/api/v1/changes`: submissions, reviews and the gate CI waits on.
enum ChangeRoutes {
    static func json(_ status: GateStatus) -> JSONValue {
        .object([
            ("state", .string(status.state.rawValue)), ("summary", .string(status.summary)),
            ("missing", .array(status.missing.map(JSONValue.string))), ("reasons", .array(status.reasons.map(JSONValue.string))),
            ("counted_approvers", .array(status.countedApprovers.map(JSONValue.string))),
        ])
    }

    static func json(_ review: ReviewRecord) -> JSONValue {
        .object([
            ("id", .int(review.id)), ("reviewer", .string(review.reviewer)), ("verdict", .string(review.verdict)),
            ("override", .bool(review.isOverride)), ("head", .string(review.head)),
            ("comment", review.comment.map(JSONValue.string) ?? .null),
            ("created_at", .string(review.createdAt)), ("dismissed_at", review.dismissedAt.map(JSONValue.string) ?? .null),
        ])
    }

    static func json(_ change: ChangeRecord) -> [(String, JSONValue)] {
        [
            ("id", .int(change.id)), ("repository", .string(change.repository)), ("branch", .string(change.branch)),
            ("head", .string(change.head)), ("base", change.base.map(JSONValue.string) ?? .null),
            ("submitted_by", .string(change.submittedBy)),
            ("decision", .string(change.decision)), ("state", .string(change.state)),
            ("services", .array(change.services.map(JSONValue.string))), ("provenance", .string(change.provenance)),
            ("analysed_by", .string(change.analysis.name)), ("attested_by", change.analysis.attestedBy.map(JSONValue.string) ?? .null),
            ("risk", change.report["risk"]?["score"] ?? .null), ("created_at", .string(change.createdAt)),
            ("updated_at", .string(change.updatedAt)),
        ]
    }

    static func json(_ view: ControlPlane.ChangeView) -> JSONValue {
        .object(
            json(view.change) + [
                ("gate", json(view.status)), ("reviews", .array(view.reviews.map(json))), ("dismissed", .array(view.dismissed.map(json))),
            ])
    }

    static func changeID(_ context: BlastwallRequestContext) throws -> Int64 { try context.positiveID(of: "change") }

    static func routes(_ handle: ControlPlaneHandle, options: ServerOptions, metrics: ServerMetrics) -> [RouteSpec] {
        [
            RouteSpec(method: .post, path: "/api/v1/changes", access: .permission(.submitChange)) { request, _, principal in
                // Reports of large changes are big: allow 64 times the usual body size.
                let body = try await JSONBody.read(
                    request, limit: options.bodyLimit * 64, allowed: ["repository", "branch", "head", "base", "report", "attestation"])
                for field in ["report", "attestation"] {
                    guard let value = body.value(field), value != .null else { continue }
                    guard case .object = value else { throw Problem(.badRequest, "'\(field)' must be a JSON object", field: field) }
                }
                let submission = ControlPlane.Submission(
                    repository: try body.requiredString("repository"), branch: try body.requiredString("branch"),
                    head: try body.requiredString("head"), base: try body.string("base"),
                    report: body.value("report").flatMap { $0 == .null ? nil : $0 },
                    attestation: body.value("attestation").flatMap { $0 == .null ? nil : $0 })
                let view = try await handle.value.submit(submission, by: principal!)
                metrics.count("blastwall_gate_decisions_total", [("decision", view.change.decision)])
                return .json(json(view), status: .created)
            },
            RouteSpec(method: .get, path: "/api/v1/changes", access: .permission(.read)) { request, _, principal in
                let page = try Page(request)
                let query = request.uri.queryParameters
                let filter = ChangeStore.Filter(
                    repository: query["repository"].map(String.init), branch: query["branch"].map(String.init),
                    service: query["service"].map(String.init), provenance: query["provenance"].map(String.init),
                    state: query["state"].map(String.init))
                let changes = try await handle.value.changes(filter, after: page.after, limit: page.limit, by: principal!)
                let next = changes.count == page.limit ? changes.last.map { JSONValue.int($0.id) } ?? .null : .null
                return .json(.object([("items", .array(changes.map { .object(json($0)) })), ("next_after", next)]))
            },
            RouteSpec(method: .get, path: "/api/v1/changes/:id", access: .permission(.read)) { _, context, principal in
                .json(json(try await handle.value.change(id: try changeID(context), by: principal!)))
            },
            RouteSpec(method: .get, path: "/api/v1/changes/:id/gate", access: .permission(.read)) { _, context, principal in
                let id = try changeID(context)
                let gate = try await handle.value.gate(changeID: id, by: principal!)
                return .json(
                    .object(
                        [("change_id", .int(id))]
                            + {
                                if case .object(let members) = json(gate.status) { return members }
                                return []
                            }()))
            },
            RouteSpec(method: .post, path: "/api/v1/changes/:id/attestation", access: .permission(.submitChange)) { _, context, principal in
                guard let key = options.attestationKey else {
                    throw Problem(.conflict, "this server has no attestation key; start it with 'blastwall serve --attestation-key FILE'")
                }
                let view = try await handle.value.change(id: try changeID(context), by: principal!)
                let predicate = Attestation.predicate(fromReport: view.change.report, gate: json(view.status))
                let statement = Attestation.statement(commit: view.change.head, repository: view.change.repository, predicate: predicate)
                do {
                    return .json(try Attestation.envelope(statement: statement, key: key), status: .created)
                } catch {
                    throw Problem(.internalServerError, "signing failed: \(error)")
                }
            },
            RouteSpec(method: .post, path: "/api/v1/changes/:id/reviews", access: .permission(.review)) { request, context, principal in
                let body = try await JSONBody.read(request, limit: options.bodyLimit, allowed: ["verdict", "comment", "override"])
                guard let verdict = try body.enumeration("verdict", Review.Verdict.self) else {
                    throw Problem(.badRequest, "'verdict' is required: approve or reject", field: "verdict")
                }
                let view = try await handle.value.review(
                    changeID: try changeID(context), verdict: verdict, comment: try body.string("comment"),
                    isOverride: try body.bool("override") ?? false,
                    by: principal!)
                metrics.count("blastwall_reviews_total", [("verdict", verdict.rawValue)])
                return .json(json(view), status: .created)
            },
        ]
    }
}

extension Review.Verdict: CaseIterable {
    public static let allCases: [Review.Verdict] = [.approve, .reject]
}
