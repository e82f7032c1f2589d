/// The most an expression can cost, in `CostBudget` units, when its inputs are as large as `SizeHints` say.
///
/// As Kubernetes does for CEL, a condition whose estimate is over the limit is refused when it is loaded,
/// so an expensive shape (a macro inside a macro over the changed files) never reaches a write path;
/// the budget counted at run time stops anything that gets past the estimate on larger inputs.
public struct CostEstimator {
    /// The largest sizes the inputs are expected to have, by dotted path; `@` stands for a list's element
    /// (`change.files.@.path` is the path of any changed file).
    public struct SizeHints: Sendable {
        public var elements: [String: Int]
        public var stringLengths: [String: Int]
        public var defaultElements: Int
        public var defaultStringLength: Int

        public init(
            elements: [String: Int] = [:], stringLengths: [String: Int] = [:], defaultElements: Int = 1000,
            defaultStringLength: Int = 256
        ) {
            self.elements = elements
            self.stringLengths = stringLengths
            self.defaultElements = defaultElements
            self.defaultStringLength = defaultStringLength
        }
    }

    /// What is known of a subexpression: what evaluating it costs, and how large its value can be.
    struct Estimate {
        var cost: Double
        /// Elements of a list or map; scalars of a string.
        var size: Double
        var isString: Bool
        /// The dotted path the value was read from, when it was.
        var path: String?
        var type: CELType = .dyn

        /// The units walking this value costs, as `Value.traversalCost` counts them.
        var traversal: Double { isString ? size / 10 : size }
    }

    private let hints: SizeHints
    private let declarations: Declarations
    /// Comprehension variables in scope: the path and type of the elements they range over.
    private var bindings: [String: (path: String?, type: CELType)] = [:]

    private init(hints: SizeHints, declarations: Declarations) {
        self.hints = hints
        self.declarations = declarations
    }

    /// The estimated worst-case cost of `expr`.
    public static func estimate(_ expr: Expr, declarations: Declarations, hints: SizeHints) -> Double {
        var estimator = CostEstimator(hints: hints, declarations: declarations)
        return estimator.estimate(expr).cost
    }

    private mutating func estimate(_ expr: Expr) -> Estimate {
        switch expr {
        case .literal(let literal, _):
            if case .string(let text) = literal { return Estimate(cost: 1, size: Double(text.utf8.count), isString: true) }
            if case .bytes(let bytes) = literal { return Estimate(cost: 1, size: Double(bytes.count), isString: true) }
            return Estimate(cost: 1, size: 1, isString: false)
        case .identifier(let name, _):
            if let bound = bindings[name] { return read(bound.path, bound.type, cost: 1) }
            return read(name, declarations.variables[name] ?? .dyn, cost: 1)
        case .select(let operand, let field, _, _):
            let base = estimate(operand)
            var type = CELType.dyn
            if case .object(let name) = base.type { type = declarations.objectTypes[name]?.fields[field] ?? .dyn }
            return read(base.path.map { "\($0).\(field)" }, type, cost: base.cost + 1)
        case .list(let items, _):
            let parts = items.map { estimate($0) }
            return Estimate(cost: 1 + parts.reduce(0) { $0 + $1.cost }, size: Double(items.count), isString: false)
        case .map(let entries, _):
            let cost = entries.reduce(1.0) { $0 + estimate($1.key).cost + estimate($1.value).cost }
            return Estimate(cost: cost, size: Double(entries.count), isString: false)
        case .call(let function, let target, let arguments, _):
            return call(function, (target.map { [$0] } ?? []) + arguments)
        case .comprehension(let comprehension, _):
            return self.comprehension(comprehension)
        }
    }

    /// A value of `type` read at `path`: a list or map as long as its hint says, a string as long as its
    /// hint, a scalar of size 1; a value of unknown type is taken to be a list of the default size.
    private func read(_ path: String?, _ type: CELType, cost: Double) -> Estimate {
        switch type {
        case .string, .bytes:
            let length = path.flatMap { hints.stringLengths[$0] } ?? hints.defaultStringLength
            return Estimate(cost: cost, size: Double(length), isString: true, path: path, type: type)
        case .list, .map, .dyn:
            let elements = path.flatMap { hints.elements[$0] } ?? hints.defaultElements
            return Estimate(cost: cost, size: Double(elements), isString: false, path: path, type: type)
        default:
            return Estimate(cost: cost, size: 1, isString: false, path: path, type: type)
        }
    }

    private mutating func call(_ function: String, _ arguments: [Expr]) -> Estimate {
        let parts = arguments.map { estimate($0) }
        var cost = 1 + parts.reduce(0) { $0 + $1.cost }
        var result = Estimate(cost: 0, size: 1, isString: false)
        switch function {
        case Operator.conditional:
            cost = 1 + parts[0].cost + max(parts[1].cost, parts[2].cost)
            result = parts[1].size >= parts[2].size ? parts[1] : parts[2]
        case "matches":
            let text = parts.first?.isString == true ? parts[0].size : Double(hints.defaultStringLength)
            let pattern = parts.count == 2 && parts[1].isString ? parts[1].size : Double(hints.defaultStringLength)
            cost += text * max(pattern, 1) / 40
        case Operator.in:
            cost += parts.count == 2 ? parts[1].size : 0
        case Operator.add:
            cost += parts.reduce(0) { $0 + $1.traversal }
            result = Estimate(cost: 0, size: parts.reduce(0) { $0 + $1.size }, isString: parts.first?.isString ?? false)
        case "size", Operator.index, Operator.not, Operator.negate, Operator.less, Operator.lessOrEqual, Operator.greater,
            Operator.greaterOrEqual:
            break
        default:
            cost += parts.reduce(0) { $0 + $1.traversal }
            if ["lowerAscii", "upperAscii", "string"].contains(function) {
                result = Estimate(cost: 0, size: parts.first?.size ?? 1, isString: true)
            }
        }
        result.cost = cost
        result.path = nil
        return result
    }

    private mutating func comprehension(_ comprehension: Comprehension) -> Estimate {
        let range = estimate(comprehension.range)
        let saved = bindings[comprehension.variable]
        var element = CELType.dyn
        switch range.type {
        case .list(let type), .map(let type, _): element = type
        default: break
        }
        bindings[comprehension.variable] = (range.path.map { "\($0).@" }, element)
        defer { bindings[comprehension.variable] = saved }
        let body = (comprehension.predicate.map { estimate($0).cost } ?? 0) + (comprehension.transform.map { estimate($0).cost } ?? 0)
        let kept = comprehension.kind == .filter || comprehension.kind == .map ? range.size : 1
        let path = comprehension.kind == .filter ? range.path : nil
        let type: CELType = comprehension.kind == .filter ? range.type : comprehension.kind == .map ? .list(.dyn) : .bool
        return Estimate(cost: range.cost + range.size * (1 + body), size: kept, isString: false, path: path, type: type)
    }
}
