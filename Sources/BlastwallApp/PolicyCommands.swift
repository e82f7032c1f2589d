import BlastwallAnalysis
import BlastwallCore
import CEL

/// `blastwall policy eval` and `blastwall policy test`.
public enum PolicyCommands {
    /// Evaluates one expression against a JSON input file, or against the analysis of the current change.
    /// With an input file the expression is only parsed (the input may have any shape); otherwise it is type-checked.
    public static func evaluate(_ source: String, inputPath: String?, check: GateCheck.Options) async throws(BlastwallError) -> JSONValue {
        let activation: Activation
        let program: Program
        if let inputPath {
            let text = try FileSystem.read(inputPath)
            let input: JSONValue
            do {
                input = try JSONParser.parse(text)
            } catch {
                throw .file(path: inputPath, reason: error.description)
            }
            guard case .object(let members) = input else {
                throw .file(
                    path: inputPath, reason: "the input must be a JSON object whose keys become variables, e.g. {\"change\": {...}}")
            }
            var variables: [String: Value] = [:]
            for (key, value) in members { variables[key] = value.celValue }
            if variables["now"] == nil { variables["now"] = .timestamp(try Clock.now(override: check.now)) }
            activation = Activation(variables)
            do {
                program = try Program(source, declarations: nil)
            } catch {
                throw .expression(error, source: source)
            }
        } else {
            do {
                program = try Program(source, declarations: PolicySchema.declarations)
            } catch {
                throw .expression(error, source: source)
            }
            let report = try await GateCheck(check).run().report
            activation = PolicyInput.activation(
                files: report.files, commits: report.commits, provenance: report.provenance, classes: report.classes,
                services: report.services.map(\.name), unownedFiles: report.unownedFiles, blast: report.blastRadius,
                risk: report.risk, now: report.evaluatedAt)
        }
        do {
            return JSONValue(try program.evaluate(activation))
        } catch {
            throw .evaluation(error)
        }
    }

    /// The default test file: `blastwall.tests.yml` beside the configuration.
    public static func defaultTestPath(configPath: String) -> String {
        let directory = configPath.contains("/") ? String(configPath[..<configPath.lastIndex(of: "/")!]) : "."
        return FileSystem.join(directory, "blastwall.tests.yml")
    }

    public static func runTests(testPath: String?, configPath: String?, repository: String, now: String?) throws(BlastwallError)
        -> [PolicyTestSuite.Result]
    {
        let loaded = try ConfigurationFile.loadForCommand(path: configPath, directory: repository)
        let path = testPath ?? defaultTestPath(configPath: loaded.path)
        let text = try FileSystem.read(path)
        let suite: PolicyTestSuite
        do {
            suite = try PolicyTestSuite(yaml: text, file: ConfigurationFile.displayPath(path, relativeTo: repository))
        } catch {
            throw .configuration(error)
        }
        let configuration = loaded.configuration
        let analyzer = ChangeAnalyzer(configuration: configuration)
        return suite.run(with: analyzer, defaultNow: try Clock.now(override: now)) { testCase, time in
            CommandGate.testOutcome(testCase, configuration: configuration, now: time)
        }
    }
}
