import BlastwallTestSupport
import CEL
import Foundation
import Testing

/// Compares Blastwall's CEL with cel-python (PyPI), an implementation no one here wrote, on generated
/// expressions: both must give the same value, or both an error of the same class.
@Suite struct DifferentialTests {
    static let expressionCount = 2000
    static let seed: UInt64 = ProcessInfo.processInfo.environment["BLASTWALL_DIFFERENTIAL_SEED"].flatMap { UInt64($0) } ?? 20_261_123

    static var scriptPath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Differential/celpy_eval.py").path
    }

    static let celPython = PythonRequirement(module: "celpy", package: "cel-python")

    @Test func agreesWithCelPython() async throws {
        guard await Self.celPython.check() else { return }
        var generator = ExpressionGenerator(seed: Self.seed)
        var expressions: [String] = []
        while expressions.count < Self.expressionCount {
            let kind = generator.pick(ExpressionGenerator.Kind.allCases)
            expressions.append(generator.expression(kind, depth: 4))
        }
        let input = try JSONSerialization.data(withJSONObject: expressions)
        let result = try await ProcessRunner.python([Self.scriptPath], input: input)
        #expect(result.status == 0, "\(result.stderr)")
        let theirs = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(theirs.count == expressions.count)

        // cel-python turns an error into `no_matching_overload` at every operator that encloses it, so the
        // error class is compared only for information; agreement means the same value, or an error on both sides.
        var disagreements: [String] = []
        var errorsOnBothSides = 0
        var sameErrorClass = 0
        for (source, other) in zip(expressions, theirs) {
            let ours = Self.evaluate(source)
            switch (ours, other["error"] as? String, other["value"]) {
            case (.failure(let error), let theirClass?, _):
                errorsOnBothSides += 1
                if error.name == theirClass { sameErrorClass += 1 }
                if error.name == "syntax" || theirClass == "other" && (other["detail"] as? String)?.contains("Parse") == true {
                    disagreements.append("\(source): \(error) vs cel-python \(theirClass) \(other["detail"] ?? "")")
                }
            case (.success(let value), nil, let typed?):
                if !Self.matches(value, typed) {
                    disagreements.append("\(source): \(value.debugDescription) vs cel-python \(typed)")
                }
            case (.success(let value), let theirClass?, _):
                disagreements.append("\(source): \(value.debugDescription) vs cel-python error \(theirClass) \(other["detail"] ?? "")")
            case (.failure(let error), nil, let typed):
                disagreements.append("\(source): error \(error) vs cel-python \(typed ?? "nothing")")
            case (.success(let value), nil, nil):
                disagreements.append("\(source): \(value.debugDescription) vs cel-python: no result")
            }
        }
        print(
            "DifferentialTests: \(expressions.count) expressions (seed \(Self.seed)), \(expressions.count - errorsOnBothSides) values, "
                + "\(errorsOnBothSides) errors on both sides (\(sameErrorClass) with the same class), \(disagreements.count) disagreements")
        for line in disagreements.prefix(20) { print("  \(line)") }
        #expect(disagreements.isEmpty, "\(disagreements.count) disagreements; first: \(disagreements.first ?? "")")
    }

    static func evaluate(_ source: String) -> Result<Value, ClassName> {
        do {
            return .success(try Program(source, declarations: nil).evaluate(Activation()))
        } catch let error as EvalError {
            return .failure(ClassName(error.kind.rawValue))
        } catch {
            return .failure(ClassName("syntax"))
        }
    }

    struct ClassName: Error, Equatable, CustomStringConvertible {
        var name: String
        init(_ name: String) { self.name = name }
        var description: String { name }
    }

    /// Whether our value equals cel-python's typed JSON value, type included.
    static func matches(_ value: Value, _ typed: Any) -> Bool {
        guard let typed = typed as? [String: Any], let type = typed["type"] as? String else { return false }
        let raw = typed["value"]
        switch (value, type) {
        case (.bool(let b), "bool"): return (raw as? Bool) == b
        case (.int(let i), "int"): return (raw as? String) == String(i)
        case (.uint(let u), "uint"): return (raw as? String) == String(u)
        case (.double(let d), "double"):
            if let number = raw as? Double { return number == d }
            return (raw as? String).map { ($0 == "nan" && d.isNaN) || ($0 == "inf" && d == .infinity) || ($0 == "-inf" && d == -.infinity) }
                ?? false
        case (.string(let s), "string"): return (raw as? String) == s
        case (.null, "null"): return true
        case (.list(let items), "list"):
            guard let others = raw as? [Any], others.count == items.count else { return false }
            return zip(items, others).allSatisfy { matches($0, $1) }
        default: return false
        }
    }
}
