/// A CEL map: insertion-ordered entries with lookup by key. Numerically equal keys are the same key.
public struct MapValue: Sendable {
    public private(set) var entries: [(key: Value, value: Value)]
    private var index: [MapKey: Int]

    public init() {
        entries = []
        index = [:]
    }

    /// Builds a map, keeping the last value of a repeated key.
    public init(_ pairs: [(Value, Value)]) {
        self.init()
        for (key, value) in pairs { try? insert(key, value, allowReplace: true) }
    }

    public var count: Int { entries.count }

    /// Adds an entry; fails on a key type CEL does not allow, or on a repeat when `allowReplace` is false.
    mutating func insert(_ key: Value, _ value: Value, allowReplace: Bool = false) throws(EvalError) {
        guard let mapKey = MapKey(key) else {
            throw EvalError(.invalidArgument, "unsupported key type '\(key.typeName)': map keys are int, uint, bool or string")
        }
        if let existing = index[mapKey] {
            guard allowReplace else { throw EvalError(.invalidArgument, "repeated key \(key.debugDescription) in map literal") }
            entries[existing].value = value
            return
        }
        index[mapKey] = entries.count
        entries.append((key, value))
    }

    /// The value for `key`, or nil when absent or not a valid key.
    public subscript(key: Value) -> Value? {
        guard let mapKey = MapKey(key), let position = index[mapKey] else { return nil }
        return entries[position].value
    }

    public subscript(field: String) -> Value? { self[.string(field)] }
}

/// A hashable map key. Integers are normalised so that `1`, `1u` and `1.0` find the same entry.
enum MapKey: Hashable {
    case bool(Bool)
    case integer(Int128)
    case string(String)

    init?(_ value: Value) {
        switch value {
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .integer(Int128(i))
        case .uint(let u): self = .integer(Int128(u))
        case .double(let d):
            guard d.rounded() == d, abs(d) < 1.8e19 else { return nil }
            self = .integer(Int128(d))
        case .string(let s): self = .string(s)
        default: return nil
        }
    }
}
