import BlastwallControlPlane
import BlastwallCore
import Hummingbird

/// `GET /api/v1/dora`: the four keys, split by provenance, tier or service.
enum DORARoutes {
    /// `90d`, `12h` or a number of days.
    static func days(_ text: String) -> Double? {
        if text.hasSuffix("d"), let value = Double(text.dropLast()) { return value }
        if text.hasSuffix("h"), let value = Double(text.dropLast()) { return value / 24 }
        return Double(text)
    }

    static func routes(_ handle: ControlPlaneHandle) -> [RouteSpec] {
        [
            RouteSpec(method: .get, path: "/api/v1/dora", access: .permission(.read)) { request, _, principal in
                let query = request.uri.queryParameters
                let sinceText = query["since"].map(String.init) ?? "90d"
                guard let days = days(sinceText), days.isFinite else {
                    throw Problem(
                        .badRequest, "since must be a number of days such as 90d (or hours: 12h), not '\(sinceText)'", field: "since")
                }
                let byText = query["by"].map(String.init) ?? "provenance"
                guard let split = DORAMetrics.Split(rawValue: byText) else {
                    throw Problem(.badRequest, "by must be provenance, tier or service, not '\(byText)'", field: "by")
                }
                var tier: Int?
                if let text = query["tier"] {
                    guard let value = Int(String(text)), (1...9).contains(value) else {
                        throw Problem(.badRequest, "tier must be a whole number from 1 to 9", field: "tier")
                    }
                    tier = value
                }
                let view = try await handle.value.dora(
                    days: days, service: query["service"].map(String.init), tier: tier, by: split, actor: principal!)
                return .json(
                    .object([
                        ("since", .string(view.since)), ("days", .double(view.days)), ("by", .string(split.rawValue)),
                        ("groups", .array(view.figures.map(\.json))),
                        (
                            "ranking",
                            .object([
                                ("confirmed_incidents", .int(Int64(view.confirmed))),
                                ("cause_ranked_first", .int(Int64(view.causeRankedFirst))),
                                ("mean_cause_rank", view.meanCauseRank.map(JSONValue.double) ?? .null),
                            ])
                        ),
                    ]))
            }
        ]
    }
}
