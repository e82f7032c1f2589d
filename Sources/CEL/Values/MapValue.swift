/// A CEL map: insertion-ordered entries with lookup by key. Numerically equal keys are the same key.
public struct MapValue: Sendable {
    public private(set) var entries: [(key: Value, value: Value)]
    /// Built only for larger maps: host records are small, and a linear scan beats hashing there.
    private var index: [MapKey: Int]?
    private static let indexThreshold = 12

    public init() {
        entries = []
    }

    /// Builds a map, keeping the last value of a repeated key.
    public init(_ pairs: [(Value, Value)]) {
        self.init()
        entries.reserveCapacity(pairs.count)
        for (key, value) in pairs { try? insert(key, value, allowReplace: true) }
    }

    public var count: Int { entries.count }

    private func position(of key: MapKey) -> Int? {
        if let index { return index[key] }
        return entries.firstIndex { MapKey($0.key) == key }
    }

    /// Adds an entry; fails on a key type CEL does not allow, or on a repeat when `allowReplace` is false.
    mutating func insert(_ key: Value, _ value: Value, allowReplace: Bool = false) throws(EvalError) {
        guard let mapKey = MapKey(key) else {
            throw EvalError(.invalidArgument, "unsupported key type '\(key.typeName)': map keys are int, uint, bool or string")
        }
        if let existing = position(of: mapKey) {
            guard allowReplace else { throw EvalError(.invalidArgument, "repeated key \(key.debugDescription) in map literal") }
            entries[existing].value = value
            return
        }
        entries.append((key, value))
        if index != nil {
            index![mapKey] = entries.count - 1
        } else if entries.count > Self.indexThreshold {
            var built: [MapKey: Int] = [:]
            for (offset, entry) in entries.enumerated() { built[MapKey(entry.key)!] = offset }
            index = built
        }
    }

    /// The value for `key`, or nil when absent or not a valid key.
    public subscript(key: Value) -> Value? {
        guard let mapKey = MapKey(key), let position = position(of: mapKey) else { return nil }
        return entries[position].value
    }

    public subscript(field: String) -> Value? {
        if index == nil {
            for entry in entries {
                if case .string(let name) = entry.key, name == field { return entry.value }
            }
            return nil
        }
        return self[.string(field)]
    }
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
