import CEL
import Foundation
import Testing

/// Cases ported from the CEL specification's conformance suite (see Conformance/README.md).
@Suite struct ConformanceTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var expression: String
        /// The expected value as a CEL literal, or nil when evaluation must fail.
        var expected: String?
        var testDescription: String { name }
    }

    static let cases: [Case] = {
        let url = Bundle.module.url(forResource: "simple", withExtension: "tsv", subdirectory: "Conformance")!
        let text = try! String(contentsOf: url, encoding: .utf8)
        return text.split(separator: "\n").compactMap { line in
            guard !line.hasPrefix("#"), !line.isEmpty else { return nil }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            precondition(fields.count == 3, "malformed case: \(line)")
            let expected = fields[2] == "!" ? nil : String(fields[2].dropFirst(2))
            return Case(name: fields[0], expression: fields[1], expected: expected)
        }
    }()

    @Test func suiteIsLoaded() {
        #expect(Self.cases.count > 400)
        #expect(Set(Self.cases.map(\.name)).count == Self.cases.count, "case names are unique")
    }

    @Test(arguments: cases)
    func conformanceCase(_ testCase: Case) throws {
        let program: Program
        do {
            program = try Program(testCase.expression, declarations: nil)
        } catch {
            if testCase.expected != nil { Issue.record("\(testCase.expression) did not parse: \(error)") }
            return
        }
        let outcome = Result { () throws(EvalError) -> Value in try program.evaluate(Activation()) }
        guard let expectedSource = testCase.expected else {
            if case .success(let value) = outcome {
                Issue.record("\(testCase.expression) gave \(value.debugDescription), expected an error")
            }
            return
        }
        let expected = try Program(expectedSource, declarations: nil).evaluate(Activation())
        switch outcome {
        case .success(let value):
            #expect(value.type == expected.type, "\(testCase.expression): type \(value.type), expected \(expected.type)")
            #expect(
                Self.same(value, expected), "\(testCase.expression) gave \(value.debugDescription), expected \(expected.debugDescription)")
        case .failure(let error):
            Issue.record("\(testCase.expression) failed: \(error)")
        }
    }

    /// CEL equality, except that NaN is taken as equal to itself.
    static func same(_ a: Value, _ b: Value) -> Bool {
        if case .double(let x) = a, case .double(let y) = b { return (x.isNaN && y.isNaN) || x == y }
        return a.celEquals(b)
    }
}
