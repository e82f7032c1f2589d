import CEL
import PropertyBased
import Testing

/// Evaluates `source` with no variables, returning the value or the error kind.
func run(_ source: String, _ variables: [String: Value] = [:]) -> Result<Value, EvalError> {
    do {
        let program = try Program(source, declarations: nil)
        return .success(try program.evaluate(Activation(variables)))
    } catch let error as EvalError {
        return .failure(error)
    } catch {
        Issue.record("unexpected compile error for \(source): \(error)")
        return .failure(EvalError(.invalidArgument, "compile"))
    }
}

func expectValue(_ source: String, _ expected: Value, _ variables: [String: Value] = [:], sourceLocation: SourceLocation = #_sourceLocation)
{
    switch run(source, variables) {
    case .success(let value):
        #expect(
            value.celEquals(expected) && value.type == expected.type, "\(source) gave \(value.debugDescription)",
            sourceLocation: sourceLocation)
    case .failure(let error):
        Issue.record("\(source) failed: \(error)", sourceLocation: sourceLocation)
    }
}

func expectError(_ source: String, _ kind: EvalError.Kind, sourceLocation: SourceLocation = #_sourceLocation) {
    switch run(source) {
    case .success(let value): Issue.record("\(source) gave \(value.debugDescription), expected \(kind)", sourceLocation: sourceLocation)
    case .failure(let error): #expect(error.kind == kind, "\(source): \(error)", sourceLocation: sourceLocation)
    }
}

@Suite struct EvaluatorTests {
    @Test func arithmetic() {
        expectValue("1 + 2 * 3", 7)
        expectValue("(1 + 2) * 3", 9)
        expectValue("7 / 2", 3)
        expectValue("-7 % 3", -1)
        expectValue("2u * 3u", .uint(6))
        expectValue("1.5 + 2.0", 3.5)
        expectValue("'a' + 'b'", "ab")
        expectValue("[1] + [2, 3]", [1, 2, 3])
        expectValue("-9223372036854775808", .int(.min))
        expectError("9223372036854775807 + 1", .overflow)
        expectError("-(-9223372036854775808)", .overflow)
        expectError("0u - 1u", .overflow)
        expectError("1 / 0", .divisionByZero)
        expectError("1 % 0", .divisionByZero)
        expectError("1 + 1u", .noMatchingOverload)
    }

    @Test func logicAbsorbsErrors() {
        expectValue("false && 1 / 0 == 1", false)
        expectValue("1 / 0 == 1 && false", false)
        expectValue("1 / 0 == 1 || true", true)
        expectError("1 / 0 == 1 || false", .divisionByZero)
        expectValue("[1, 0].exists(x, 1 / x == 1)", true)
        expectValue("[0, 1].all(x, x > 0)", false)
        expectError("[0, 1].all(x, 1 / x > 0)", .divisionByZero)
    }

    @Test func comparisonAndEquality() {
        expectValue("1 == 1.0", true)
        expectValue("1u < 2", true)
        expectValue("'a' < 'b'", true)
        expectValue("[1, 2] == [1, 2]", true)
        expectValue("{'a': 1} == {'a': 1}", true)
        expectValue("1 in [1, 2]", true)
        expectValue("'k' in {'k': 1}", true)
        expectValue("0.0/0.0 == 0.0/0.0", false)
        expectValue("null == null", true)
    }

    @Test func stringsAndMacros() {
        expectValue("'hello'.contains('ell')", true)
        expectValue("'hello'.startsWith('he') && 'hello'.endsWith('lo')", true)
        expectValue("'abc123'.matches('[0-9]+$')", true)
        expectValue("'MiXed'.lowerAscii()", "mixed")
        expectValue("size('héllo')", 5)
        expectValue("[1, 2, 3].filter(x, x > 1)", [2, 3])
        expectValue("[1, 2, 3].map(x, x * 2)", [2, 4, 6])
        expectValue("[1, 2, 3].map(x, x > 1, x * 10)", [20, 30])
        expectValue("[1, 2, 3].exists_one(x, x == 2)", true)
        expectValue("{'a': 1, 'b': 2}.all(k, k.size() == 1)", true)
        expectValue("has(m.a) && !has(m.b)", true, ["m": .record(["a": 1])])
        expectError("{'a': 1}.b", .noSuchKey)
    }

    @Test func timeArithmetic() {
        expectValue("timestamp('2026-11-23T10:00:00Z') + duration('1h30m') == timestamp('2026-11-23T11:30:00Z')", true)
        expectValue("timestamp('2026-11-23T10:00:00Z') - timestamp('2026-11-23T09:00:00Z') == duration('3600s')", true)
        expectValue("string(timestamp('2026-11-23T10:00:00.5+01:00'))", "2026-11-23T09:00:00.500Z")
        expectValue("timestamp('2026-11-23T10:00:00Z').getHours()", 10)
        expectValue("timestamp('2026-11-23T10:00:00Z').getDayOfWeek()", 1)
        expectValue("string(duration('1.5h'))", "5400s")
        expectError("timestamp('9999-12-31T23:59:59Z') + duration('1s')", .overflow)
        expectError("timestamp('not a time')", .invalidArgument)
    }
}

/// What a hostile policy author or submitter can write: each is refused with a message, never a crash.
@Suite struct ParserLimitTests {
    static func expectRefused(_ source: String, _ words: String, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try Parser.parse(source)
            Issue.record("accepted \(source.prefix(40))…", sourceLocation: sourceLocation)
        } catch {
            #expect(error.message.contains(words), "\(error.message)", sourceLocation: sourceLocation)
        }
    }

    @Test func everyKindOfNestingIsBounded() {
        let deep = 10_000
        Self.expectRefused(String(repeating: "-", count: deep) + "1", "nests more than 250 levels")
        Self.expectRefused(String(repeating: "!", count: deep) + "true", "nests more than 250 levels")
        Self.expectRefused("[1]" + String(repeating: "[0]", count: deep), "nests more than 250 levels")
        Self.expectRefused("'a'" + String(repeating: "+'a'", count: deep), "nests more than 250 levels")
        Self.expectRefused("a" + String(repeating: ".a", count: 30_000), "nests more than 250 levels")
        Self.expectRefused(String(repeating: "(", count: deep) + "1" + String(repeating: ")", count: deep), "nests more than 250 levels")
        Self.expectRefused(String(repeating: "[", count: deep) + String(repeating: "]", count: deep), "nests more than 250 levels")
        Self.expectRefused(String(repeating: "size(", count: deep) + "1" + String(repeating: ")", count: deep), "nests more than")
        Self.expectRefused("x" + String(repeating: ".size()", count: deep), "nests more than 250 levels")
    }

    @Test func longSourcesAreRefused() {
        Self.expectRefused(String(repeating: " ", count: Parser.maxLength + 1) + "1", "more than the 100000 allowed")
    }

    /// `||` and `&&` chains are balanced, so a long list of alternatives is accepted and evaluates as written.
    @Test func longLogicalChainsStayShallow() {
        let alternatives = (0..<2000).map { "x == \($0)" }.joined(separator: " || ")
        expectValue(alternatives, true, ["x": 1999])
        expectValue(alternatives, false, ["x": 5000])
        let conjunction = (0..<2000).map { "x != \($0)" }.joined(separator: " && ")
        expectValue(conjunction, true, ["x": 5000])
        expectValue(conjunction, false, ["x": 0])
    }

    @Test func justUnderTheLimitParses() throws {
        _ = try Parser.parse(String(repeating: "-", count: 200) + "x")
        _ = try Parser.parse("'a'" + String(repeating: "+'a'", count: 200))
    }

    @Test func hugeDurationsAreErrorsNotTraps() {
        expectError("duration('1000000000000000000000000000000s')", .invalidArgument)
        expectError("duration('99999999999999999999999999999999999999999h')", .invalidArgument)
        expectError("duration('315576000001s')", .invalidArgument)
    }

    @Test func catastrophicRegexesFinish() {
        expectValue("'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!'.matches('^(a+)+$')", false)
        expectError("'a'.matches('(?=a)')", .invalidArgument)
    }
}

/// Evaluation has a cost budget counted at run time, and conditions are estimated at load.
@Suite struct CostLimitTests {
    static let numbers = Value.list((0..<2000).map { .int(Int64($0)) })

    @Test func theRunTimeBudgetStopsAnEvaluation() throws {
        let program = try Program("xs.all(a, xs.all(b, a + b >= 0))", declarations: nil)
        #expect(throws: EvalError.self) { try program.evaluate(Activation(["xs": Self.numbers]), costLimit: 100_000) }
        do {
            _ = try program.evaluate(Activation(["xs": Self.numbers]), costLimit: 100_000)
        } catch {
            #expect(error.kind == .costLimitExceeded)
            #expect(error.message.contains("stopped after 100000 units"))
        }
        // The same expression within a budget large enough for it.
        let small = Value.list((0..<10).map { .int(Int64($0)) })
        #expect(try program.evaluate(Activation(["xs": small]), costLimit: 100_000).celEquals(.bool(true)))
    }

    /// `||`, `&&` and the quantifiers absorb errors, but never the budget's: a stopped evaluation stays stopped.
    @Test(arguments: [
        "xs.all(a, xs.all(b, a + b >= 0)) || true", "true && xs.all(a, xs.all(b, a >= 0))",
        "xs.exists(a, xs.all(b, b >= 0) && false) || true", "[1].exists(x, xs.map(a, xs.map(b, b)).size() > 0)",
    ])
    func theBudgetIsNeverAbsorbed(source: String) throws {
        let program = try Program(source, declarations: nil)
        #expect(throws: EvalError.self) { try program.evaluate(Activation(["xs": Self.numbers]), costLimit: 50_000) }
    }

    @Test func regexWorkIsCharged() throws {
        let program = try Program("s.matches('a+b+c+d+')", declarations: nil)
        let text = Value.string(String(repeating: "a", count: 100_000))
        #expect(throws: EvalError.self) { try program.evaluate(Activation(["s": text]), costLimit: 10_000) }
        #expect(try program.evaluate(Activation(["s": text])).celEquals(.bool(false)))
    }

    static let declarations = Declarations(
        variables: ["files": .list(.object("File")), "names": .list(.string)],
        objectTypes: [ObjectType(name: "File", fields: ["path": .string, "service": .string])],
        sizeHints: .init(elements: ["files": 10_000, "names": 500], defaultStringLength: 256))

    @Test(arguments: [
        "files.all(f, files.exists(g, g.path == f.path))", "files.exists(f, names.exists(n, files.exists(g, g.path == n)))",
        "files.map(f, files.map(g, g.path)).size() > 0",
    ])
    func expensiveShapesAreRefusedAtLoad(source: String) {
        #expect(throws: Program.CompileError.self) { try Program(source, declarations: Self.declarations) }
        do {
            _ = try Program(source, declarations: Self.declarations)
        } catch {
            #expect(error.description.contains("more than the limit of 10,000,000"), "\(error)")
        }
    }

    @Test(arguments: [
        "files.exists(f, f.path.matches('^db/migrations/[0-9]+_.*[.]sql$'))", "files.exists(f, f.service in names)",
        "files.filter(f, f.path.startsWith('docs/')).size() == files.size()", "names.exists(n, n == 'payments') && files.size() > 10",
    ])
    func ordinaryConditionsAreAccepted(source: String) throws {
        _ = try Program(source, declarations: Self.declarations)
    }
}

/// Any text: the parser accepts or refuses it, and evaluation ends within its budget.
@Suite struct ParserPropertyTests {
    static let pieces = [
        "(", ")", "[", "]", "{", "}", "!", "-", "+", "*", ".", ",", ":", "?", "&&", "||", "==", "in", "a", "x", "1", "2.5", "'s'",
        "\"t\"", "size", "matches", "all", "exists", "map", "filter", "true", "null", " ", "\\", "'", "b'", "0x", "u",
    ]

    @Test(.timeLimit(.minutes(1))) func arbitraryTextIsParsedOrRefusedAndEvaluationEnds() async {
        let sources = Gen<String?>.element(of: Self.pieces).map { $0! }.array(of: 0...60).map { $0.joined() }
        await propertyCheck(count: 3000, input: sources) { source in
            guard let program = try? Program(source, declarations: nil) else { return }
            _ = try? program.evaluate(Activation(["x": .list((0..<30).map { .int(Int64($0)) }), "a": .int(3)]), costLimit: 100_000)
        }
    }
}
