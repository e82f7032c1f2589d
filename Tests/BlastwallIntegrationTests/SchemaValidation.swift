import BlastwallTestSupport
import Foundation
import Testing

/// Validates documents against JSON Schemas with Python's `jsonschema` package (installed by .ci/run).
enum SchemaValidator {
    static let jsonschema = PythonRequirement(module: "jsonschema", package: "jsonschema")

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Returns nil when `document` is valid, or the validator's message.
    static func problems(in document: String, schema: URL) async throws -> String? {
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
        let result = try await ProcessRunner.python(["-c", script, schema.path], input: Data(document.utf8))
        return result.status == 0 ? nil : result.stdout + result.stderr
    }
}
