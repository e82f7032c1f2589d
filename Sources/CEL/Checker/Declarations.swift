/// What an expression may refer to: top-level variables and the record types their fields have.
public struct Declarations: Sendable {
    public var variables: [String: CELType]
    public var objectTypes: [String: ObjectType]

    public init(variables: [String: CELType] = [:], objectTypes: [ObjectType] = []) {
        self.variables = variables
        self.objectTypes = Dictionary(uniqueKeysWithValues: objectTypes.map { ($0.name, $0) })
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
