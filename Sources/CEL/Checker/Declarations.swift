/// What an expression may refer to: top-level variables and the record types their fields have.
public struct Declarations: Sendable {
    public var variables: [String: CELType]
    public var objectTypes: [String: ObjectType]
    /// How large the variables' lists and strings may be, for the cost estimate made at load.
    public var sizeHints: CostEstimator.SizeHints

    public init(
        variables: [String: CELType] = [:], objectTypes: [ObjectType] = [], sizeHints: CostEstimator.SizeHints = .init()
    ) {
        self.variables = variables
        self.objectTypes = Dictionary(uniqueKeysWithValues: objectTypes.map { ($0.name, $0) })
        self.sizeHints = sizeHints
    }
}

/// A type error found before evaluation, with its position in the source.
public struct CheckError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var position: SourcePosition

    public init(_ message: String, at position: SourcePosition) {
        self.message = message
        self.position = position
    }

    public var description: String { "\(position): \(message)" }
}
