/// The work one evaluation may do, counted as Kubernetes counts CEL cost: one unit per node evaluated and
/// per element a macro visits, plus the length of the strings, lists and maps a function has to walk.
///
/// A policy condition runs on whatever a submitter sends, so its cost is bounded twice: estimated when
/// it is loaded (`CostEstimator`) and counted while it runs, stopping it at the limit.
final class CostBudget {
    private(set) var spent = 0
    let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    func charge(_ units: Int) throws(EvalError) {
        spent += units
        guard spent <= limit else {
            throw EvalError(
                .costLimitExceeded,
                "the evaluation was stopped after \(limit) units of work (its cost limit); simplify the expression or bound the lists it walks"
            )
        }
    }
}

extension Value {
    /// How many units walking this value costs: a string's length in tenths, a list's or map's size.
    var traversalCost: Int {
        switch self {
        case .string(let text): return text.utf8.count / 10
        case .bytes(let bytes): return bytes.count / 10
        case .list(let items): return items.count
        case .map(let map): return map.count
        default: return 0
        }
    }
}
