/// The variables an expression can read while it is evaluated.
public struct Activation: Sendable {
    private var variables: [String: Value]

    public init(_ variables: [String: Value] = [:]) {
        self.variables = variables
    }

    public subscript(name: String) -> Value? {
        get { variables[name] }
        set { variables[name] = newValue }
    }

    /// A copy with one more variable bound, for macro iteration.
    func binding(_ name: String, to value: Value) -> Activation {
        var copy = self
        copy.variables[name] = value
        return copy
    }
}
