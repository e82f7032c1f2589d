/// "Did you mean" hints beyond spelling: names from other languages, and names that live elsewhere.
extension Checker {
    /// What other expression languages call CEL's functions and macros.
    static let namesFromOtherLanguages: [String: String] = [
        "any": "exists", "some": "exists", "every": "all", "where": "filter", "select": "map",
        "length": "size", "len": "size", "count": "size",
    ]
    static let macros: Set<String> = ["all", "exists", "exists_one", "filter", "map"]

    /// A hint for an unknown function: a close spelling, else the CEL name of another language's function.
    static func functionHint(for function: String) -> String {
        let spelling = Suggestion.hint(for: function, among: knownFunctions + Array(macros))
        guard spelling.isEmpty, let name = namesFromOtherLanguages[function] else { return spelling }
        return macros.contains(name) ? "; did you mean '\(name)'? CEL writes it as list.\(name)(x, condition)" : "; did you mean '\(name)'?"
    }

    /// A hint for an unknown variable: a close spelling, else where a field of that name is (`change.provenance`).
    func variableHint(for name: String, among visible: [String]) -> String {
        let spelling = Suggestion.hint(for: name, among: visible)
        guard spelling.isEmpty else { return spelling }
        let places = selections(endingIn: name).map(\.path)
        return places.isEmpty ? "" : "; did you mean \(Self.alternatives(places))?"
    }

    /// A hint for an unknown field: a close spelling, else where that name is; a record found elsewhere
    /// (`change.risk`, where `risk` is a variable) is shown by its fields (`risk.score`).
    func fieldHint(for field: String, among fields: some Collection<String>) -> String {
        let spelling = Suggestion.hint(for: field, among: fields)
        guard spelling.isEmpty else { return spelling }
        let places = selections(endingIn: field).flatMap { place -> [String] in
            guard case .object(let name) = place.type, let object = declarations.objectTypes[name] else { return [place.path] }
            return object.fields.keys.sorted().map { "\(place.path).\($0)" }
        }
        return places.isEmpty ? "" : "; did you mean \(Self.alternatives(places))?"
    }

    /// Every `variable.field…` path, through records only and at most three deep, whose last name is `name`.
    private func selections(endingIn name: String) -> [(path: String, type: CELType)] {
        var found: [(path: String, type: CELType)] = []
        var frontier = declarations.variables.sorted { $0.key < $1.key }.map { (path: $0.key, type: $0.value) }
        for _ in 0..<3 {
            found += frontier.filter { $0.path.split(separator: ".").last.map(String.init) == name }
            frontier = frontier.flatMap { place -> [(path: String, type: CELType)] in
                guard case .object(let typeName) = place.type, let object = declarations.objectTypes[typeName] else { return [] }
                return object.fields.sorted { $0.key < $1.key }.map { (path: "\(place.path).\($0.key)", type: $0.value) }
            }
        }
        return found
    }

    private static func alternatives(_ names: [String]) -> String {
        let quoted = names.prefix(4).map { "'\($0)'" }
        guard quoted.count > 1 else { return quoted.joined() }
        return quoted.dropLast().joined(separator: ", ") + " or " + quoted.last!
    }

    /// `list.any(x, condition)`: a macro under another language's name. Reports the name once and checks
    /// the condition with `x` bound, rather than adding an error for every use of `x`.
    mutating func misnamedMacroType(_ function: String, target: Expr?, arguments: [Expr], at position: SourcePosition) -> CELType? {
        guard let target, arguments.count == 2, case .identifier(let variable, _) = arguments[0],
            let name = Self.namesFromOtherLanguages[function], Self.macros.contains(name)
        else { return nil }
        let elementType: CELType =
            switch type(of: target) {
            case .list(let element): element
            case .map(let key, _): key
            default: .dyn
            }
        report("undeclared function '\(function)'\(Self.functionHint(for: function))", at: position)
        withScope([variable: elementType]) { $0.type(of: arguments[1]) }
        return name == "all" || name == "exists" ? .bool : .dyn
    }
}
