import CEL

extension JSONValue {
    /// The CEL value of a JSON document: objects become maps with string keys, integers stay ints.
    public var celValue: Value {
        switch self {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .double(let d): return .double(d)
        case .string(let s): return .string(s)
        case .array(let items): return .list(items.map(\.celValue))
        case .object(let members): return .map(MapValue(members.map { (.string($0.0), $0.1.celValue) }))
        }
    }

    /// The JSON form of a CEL value, as `blastwall policy eval` prints it (timestamps and durations as strings).
    public init(_ value: Value) {
        switch value {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .int(i)
        case .uint(let u): self = u <= UInt64(Int64.max) ? .int(Int64(u)) : .double(Double(u))
        case .double(let d): self = .double(d)
        case .string(let s): self = .string(s)
        case .bytes(let b): self = .string(String(decoding: b, as: UTF8.self))
        case .list(let items): self = .array(items.map(JSONValue.init))
        case .map(let map):
            self = .object(
                map.entries.map { entry in
                    let key: String
                    if case .string(let s) = entry.key { key = s } else { key = entry.key.debugDescription }
                    return (key, JSONValue(entry.value))
                })
        case .timestamp(let t): self = .string(t.rfc3339)
        case .duration(let d): self = .string(d.description)
        case .type(let t): self = .string(t.description)
        }
    }
}
