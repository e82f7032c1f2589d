import BlastwallControlPlane
import BlastwallCore
import BlastwallStorage
import Foundation
import Hummingbird

/// `/api/v1/rollouts`, `/api/v1/drills`, `/api/v1/services/:service/undo` and `/api/v1/flags/:name/evaluate`.
enum RolloutRoutes {
    static let rolloutFields: Set<String> = Set([
        "service", "version", "stable", "artifact", "change", "router", "metrics", "analysis", "steps", "notify",
    ])

    static func json(_ rollout: RolloutRecord, now: Double) -> JSONValue {
        let state = rollout.state
        func time(_ seconds: Double?) -> JSONValue { seconds.map { .double($0) } ?? .null }
        func text(_ value: String?) -> JSONValue { value.map { .string($0) } ?? .null }
        func integer(_ value: Int?) -> JSONValue { value.map { .int(Int64($0)) } ?? .null }
        let active = state.phase == .progressing || state.phase == .paused
        let step = rollout.spec.steps[min(state.stepIndex, rollout.spec.steps.count - 1)]
        var members: [(String, JSONValue)] = []
        members += [("id", .int(rollout.id)), ("service", .string(rollout.spec.service)), ("version", .string(rollout.spec.version))]
        members += [("stable", .string(rollout.spec.stableVersion)), ("artifact", .string(rollout.spec.artifact))]
        members += [("change", rollout.changeID.map { .int($0) } ?? .null), ("drill", .bool(rollout.drill))]
        members += [
            ("phase", .string(state.phase.rawValue)), ("step", integer(state.stepIndex + 1)), ("steps", integer(rollout.spec.steps.count)),
        ]
        members += [("canary_weight", integer(state.canaryWeight)), ("applied_weight", integer(state.appliedWeight))]
        members += [
            ("step_min_duration_s", .double(step.durationSeconds)), ("time_in_step_s", time(active ? now - state.stepStartedAt : nil)),
        ]
        members += [("pause_reason", text(state.pauseReason)), ("rollback_cause", text(state.rollbackCause?.rawValue))]
        members += [("rollback_reason", text(state.rollbackReason))]
        members += [("verdict", text(state.lastVerdict?.rawValue)), ("reason", text(state.lastReason))]
        members += [("evidence", rollout.lastResult?.evidence.json ?? .null)]
        members += [("started_at", time(state.startedAt)), ("canary_serving_since", time(state.canaryServingSince))]
        members += [
            ("detected_at", time(state.detectedAt)), ("recovered_at", time(state.recoveredAt)), ("finished_at", time(state.finishedAt)),
        ]
        members += [("time_to_detect_s", time(state.timeToDetect)), ("time_to_recover_s", time(state.timeToRecover))]
        members += [("spec", rollout.spec.json), ("created_by", .string(rollout.createdBy))]
        members += [("created_at", .string(rollout.createdAt)), ("updated_at", .string(rollout.updatedAt))]
        return .object(members)
    }

    static func tickJSON(_ tick: RolloutTick) -> JSONValue {
        .object([
            ("tick", .int(tick.tick)), ("time", .string(tick.time)), ("step", .int(Int64(tick.step))),
            ("canary_weight", .int(Int64(tick.canaryWeight))), ("verdict", .string(tick.result.verdict.rawValue)),
            ("reason", .string(tick.result.reason)), ("evidence", tick.result.evidence.json),
        ])
    }

    /// A rollout body, read by the same parser as rollout files; its errors are 422s naming the field.
    static func spec(_ request: Request, options: ServerOptions) async throws -> RolloutSpec {
        let body = try await JSONBody.read(request, limit: options.bodyLimit, allowed: rolloutFields)
        let spec: RolloutSpec
        do {
            spec = try RolloutSpecParser.parse(JSONValue.object(body.object).serialized(), file: "body")
        } catch {
            let first = error.diagnostics.first
            let message = error.diagnostics.map(\.message).joined(separator: "; ")
            throw Problem(.unprocessableContent, message, field: first.flatMap { fieldName(in: $0.message) })
        }
        switch spec.router {
        case .nginx where !options.allowHostRouters, .command where !options.allowHostRouters:
            throw Problem(
                .unprocessableContent,
                "this server does not run \(spec.router.kind) routers: they run programs on its host; start it with --allow-host-routers",
                field: "router")
        default: break
        }
        if let refused = options.outboundAllowlist?.firstRefused(in: spec) {
            throw Problem(
                .unprocessableContent,
                "\(refused.field) reaches \(refused.description), which is not among the hosts this server may connect to for rollouts (serve --allow-outbound): use an allowed host or ask the server's operator to add it",
                field: refused.field.split(separator: ".").first.map(String.init))
        }
        return spec
    }

    /// The field a parser message is about: its first quoted key or leading word.
    static func fieldName(in message: String) -> String? {
        let word = message.prefix { $0.isLetter || $0 == "_" }
        return rolloutFields.contains(String(word)) ? String(word) : nil
    }

    static func id(_ context: BlastwallRequestContext) throws -> Int64 {
        let text = try context.parameters.require("id")
        guard let id = Int64(text), id > 0 else { throw Problem(.badRequest, "'\(text)' is not a rollout id", field: "id") }
        return id
    }

    static func counts(_ value: JSONValue?, field: String) throws -> VersionCounts {
        guard let value, case .object(let members) = value else {
            throw Problem(.badRequest, "'\(field)' must be an object with requests, errors and optionally latency_ms", field: field)
        }
        for (key, _) in members where !["requests", "errors", "latency_ms"].contains(key) {
            throw Problem(.badRequest, "unknown field '\(key)' in \(field); known: requests, errors, latency_ms", field: field)
        }
        guard let requests = value["requests"]?.intValue, let errors = value["errors"]?.intValue, requests >= 0, errors >= 0,
            requests <= 1_000_000_000
        else {
            throw Problem(.badRequest, "\(field).requests and \(field).errors must be whole numbers of at least 0", field: field)
        }
        guard errors <= requests else {
            throw Problem(.unprocessableContent, "\(field).errors cannot exceed \(field).requests", field: field)
        }
        var counts = VersionCounts(requests: requests, errors: errors)
        if let samples = value["latency_ms"], samples != .null {
            guard let items = samples.arrayValue, items.count <= 100_000 else {
                throw Problem(.badRequest, "\(field).latency_ms must be a list of at most 100000 milliseconds", field: field)
            }
            var histogram = LatencyHistogram(boundariesMs: LatencyHistogram.sampleBoundariesMs)
            var values: [Double] = []
            for item in items {
                guard let sample = item.doubleValue, sample >= 0, sample <= 86_400_000 else {
                    throw Problem(.badRequest, "\(field).latency_ms must hold milliseconds from 0 to 86400000", field: field)
                }
                values.append(sample)
            }
            histogram.record(samplesMs: values)
            counts.latency = histogram
        }
        return counts
    }

    static func routes(_ handle: ControlPlaneHandle, controller: RolloutController, options: ServerOptions) -> [RouteSpec] {
        let clock: @Sendable () -> Double = { Date().timeIntervalSince1970 }
        var specs = [
            RouteSpec(method: .post, path: "/api/v1/rollouts", access: .permission(.rollout)) { request, _, principal in
                let spec = try await spec(request, options: options)
                return .json(json(try await controller.create(spec, by: principal!), now: clock()), status: .created)
            },
            RouteSpec(method: .post, path: "/api/v1/drills", access: .permission(.rollout)) { request, _, principal in
                let spec = try await spec(request, options: options)
                return .json(json(try await controller.create(spec, drill: true, by: principal!), now: clock()), status: .created)
            },
            RouteSpec(method: .get, path: "/api/v1/rollouts", access: .permission(.read)) { request, _, principal in
                let service = request.uri.queryParameters["service"].map(String.init)
                let items = try await handle.value.rollouts(service: service, limit: try Page(request).limit, by: principal!)
                return .json(.object([("items", .array(items.map { json($0, now: clock()) }))]))
            },
            RouteSpec(method: .get, path: "/api/v1/rollouts/:id", access: .permission(.read)) { _, context, principal in
                .json(json(try await controller.current(rollout: try id(context), by: principal!), now: clock()))
            },
            RouteSpec(method: .get, path: "/api/v1/rollouts/:id/ticks", access: .permission(.read)) { request, context, principal in
                let rolloutID = try id(context)
                _ = try await handle.value.rollout(id: rolloutID, by: principal!)
                let ticks = try await handle.value.rolloutTicks(id: rolloutID, limit: try Page(request).limit, by: principal!)
                return .json(.object([("items", .array(ticks.map(tickJSON)))]))
            },
            RouteSpec(method: .post, path: "/api/v1/rollouts/:id/observations", access: .permission(.pushObservations)) {
                request, context, principal in
                let body = try await JSONBody.read(request, limit: options.bodyLimit, allowed: ["canary", "baseline"])
                let totals = try await handle.value.pushObservations(
                    rollout: try id(context), canary: try counts(body.value("canary"), field: "canary"),
                    baseline: try counts(body.value("baseline"), field: "baseline"), by: principal!)
                return .json(
                    .object([
                        (
                            "canary",
                            .object([("requests", .int(Int64(totals.canary.requests))), ("errors", .int(Int64(totals.canary.errors)))])
                        ),
                        (
                            "baseline",
                            .object([("requests", .int(Int64(totals.baseline.requests))), ("errors", .int(Int64(totals.baseline.errors)))])
                        ),
                    ]), status: .accepted)
            },
            RouteSpec(method: .post, path: "/api/v1/services/:service/undo", access: .permission(.rollout)) { request, context, principal in
                try await LeaderForwarding.orForward(request) {
                    .json(json(try await controller.undo(service: try context.parameters.require("service"), by: principal!), now: clock()))
                }
            },
            RouteSpec(method: .get, path: "/api/v1/flags/:name/evaluate", access: .permission(.read)) { request, context, principal in
                let name = try context.parameters.require("name")
                guard let key = request.uri.queryParameters["key"].map(String.init), !key.isEmpty else {
                    throw Problem(.badRequest, "give the caller's key: ?key=USER-OR-REQUEST-ID", field: "key")
                }
                let answer = try await handle.value.evaluateFlag(name, key: key, by: principal!)
                return .json(
                    .object([
                        ("flag", .string(name)), ("key", .string(key)), ("on", .bool(answer.on)),
                        ("percentage", .int(Int64(answer.percentage))),
                    ]))
            },
        ]
        for command in RolloutController.Command.allCases {
            specs.append(
                RouteSpec(method: .post, path: "/api/v1/rollouts/:id/\(command.rawValue)", access: .permission(.rollout)) {
                    request, context, principal in
                    try await LeaderForwarding.orForward(request) {
                        .json(json(try await controller.command(command, rollout: try id(context), by: principal!), now: clock()))
                    }
                })
        }
        return specs
    }
}
