/// The static type of a CEL value, used by the checker and by `type()`.
public indirect enum CELType: Sendable, Hashable, CustomStringConvertible {
    case null, bool, int, uint, double, string, bytes, timestamp, duration
    /// Any type: checked at run time.
    case dyn
    /// The type of type values such as `int`.
    case type
    case list(CELType)
    case map(CELType, CELType)
    /// A named record type declared by the host, such as `blastwall.Change`.
    case object(String)

    public var description: String {
        switch self {
        case .null: return "null_type"
        case .bool: return "bool"
        case .int: return "int"
        case .uint: return "uint"
        case .double: return "double"
        case .string: return "string"
        case .bytes: return "bytes"
        case .timestamp: return "google.protobuf.Timestamp"
        case .duration: return "google.protobuf.Duration"
        case .dyn: return "dyn"
        case .type: return "type"
        case .list(let element): return "list(\(element))"
        case .map(let key, let value): return "map(\(key), \(value))"
        case .object(let name): return name
        }
    }

    /// True for `int`, `uint` and `double`.
    public var isNumeric: Bool { self == .int || self == .uint || self == .double }

    /// Whether a value of type `self` may be used where `other` is expected; `dyn` fits everything.
    public func isAssignable(to other: CELType) -> Bool {
        switch (self, other) {
        case (.dyn, _), (_, .dyn): return true
        case (.list(let a), .list(let b)): return a.isAssignable(to: b)
        case (.map(let ka, let va), .map(let kb, let vb)): return ka.isAssignable(to: kb) && va.isAssignable(to: vb)
        default: return self == other
        }
    }

    /// The most specific type both sides fit, or `dyn` when they differ.
    public func joined(with other: CELType) -> CELType {
        switch (self, other) {
        case (.dyn, _), (_, .dyn): return .dyn
        case (.list(let a), .list(let b)): return .list(a.joined(with: b))
        case (.map(let ka, let va), .map(let kb, let vb)): return .map(ka.joined(with: kb), va.joined(with: vb))
        default: return self == other ? self : .dyn
        }
    }
}

/// A record type the host declares so that field selections can be checked before evaluation.
public struct ObjectType: Sendable {
    public var name: String
    public var fields: [String: CELType]

    public init(name: String, fields: [String: CELType]) {
        self.name = name
        self.fields = fields
    }
}
