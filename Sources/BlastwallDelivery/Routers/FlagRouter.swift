/// Blastwall's own percentage flag: applications ask `GET /api/v1/flags/NAME/evaluate?key=K` which side a
/// key is on, so deploying and enabling are separate steps.
public struct FlagRouter: TrafficRouter {
    public let flag: String
    let store: any FlagPercentages

    public init(flag: String, store: any FlagPercentages) {
        self.flag = flag
        self.store = store
    }

    public func setCanaryWeight(_ canaryWeight: Int) async throws(RouterError) {
        do {
            try await store.setPercentage(canaryWeight, of: flag)
        } catch {
            throw RouterError(
                router: "flags", message: "cannot set flag '\(flag)' to \(canaryWeight)%: \(error)", hint: "check the database")
        }
    }

    public func canaryWeight() async throws(RouterError) -> Int {
        do {
            return try await store.percentage(of: flag) ?? 0
        } catch {
            throw RouterError(router: "flags", message: "cannot read flag '\(flag)': \(error)", hint: "check the database")
        }
    }
}
