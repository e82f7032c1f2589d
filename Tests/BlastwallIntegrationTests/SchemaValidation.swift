import Foundation
import Testing

/// Validates documents against JSON Schemas with Python's `jsonschema` package (installed by .ci/run).
enum SchemaValidator {
    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static var available: Bool {
        (try? runPython(["-c", "import jsonschema"], input: Data()))?.status == 0
    }

    /// Returns nil when `document` is valid, or the validator's message.
    static func problems(in document: String, schema: URL) throws -> String? {
        let script = """
            import json, sys
            from jsonschema import Draft202012Validator, Draft7Validator, FormatChecker
            schema = json.load(open(sys.argv[1]))
            document = json.load(sys.stdin)
            cls = Draft7Validator if "draft-07" in schema.get("$schema", "") else Draft202012Validator
            errors = sorted(cls(schema, format_checker=FormatChecker()).iter_errors(document), key=lambda e: list(e.path))
            for error in errors[:5]:
                print("/".join(str(p) for p in error.path) + ": " + error.message)
            sys.exit(1 if errors else 0)
            """
        let result = try runPython(["-c", script, schema.path], input: Data(document.utf8))
        return result.status == 0 ? nil : result.output
    }

    static func runPython(_ arguments: [String], input: Data) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stdout
        try process.run()
        stdin.fileHandleForWriting.write(input)
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    /// In CI a missing validator is a failure; elsewhere the test says what to install and stops.
    static func requireAvailable() -> Bool {
        if available { return true }
        if ProcessInfo.processInfo.environment["CI"] != nil {
            Issue.record("python3 with jsonschema is required: python3 -m pip install jsonschema")
        } else {
            print("schema validation skipped: python3 -m pip install jsonschema")
        }
        return false
    }
}
